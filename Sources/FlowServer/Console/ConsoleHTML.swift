import FlowCore
import Foundation
import HTTPTypes
import Hummingbird

/// The frame every console page shares, and the one way user data enters a page: ``escape(_:)``.
///
/// Pages carry no inline script, style or event handler, so the console runs under a Content-Security-Policy
/// of `default-src 'self'`; the stylesheets and the script are the console's own assets.
enum ConsoleHTML {
    /// The console's sections, for the navigation bar.
    enum Section: String {
        case flows = "Flows"
        case executions = "Executions"
    }

    /// `text` safe for HTML character data and quoted attribute values.
    static func escape(_ text: some StringProtocol) -> String {
        XMLText.escaped(String(text))
    }

    /// `text` as a URL query or path component.
    static func component(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? ""
    }

    /// The policy of every console answer: nothing from elsewhere, nothing inline.
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"

    /// A whole page: `title` (plain text) and `body` (HTML already escaped).
    static func page(title: String, section: Section?, body: String) -> String {
        let links = [(Section.flows, "/ui"), (Section.executions, "/ui/executions")].map { linked, href in
            let current = linked == section ? " aria-current=\"page\"" : ""
            return "<a href=\"\(href)\"\(current)>\(linked.rawValue)</a>"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>\(escape(title)) · FlowLang</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="\(ConsoleAssets.console.css.path)">
            <link rel="stylesheet" href="\(ConsoleAssets.diagram.path)">
            <script src="\(ConsoleAssets.console.js.path)" defer></script>
            <script src="\(ConsoleAssets.console.liveJS.path)" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="bar">
            <a class="brand" href="/ui">FlowLang</a>
            <nav aria-label="Console">\(links.joined())<a href="/docs">API docs</a></nav>
            </header>
            <main id="main" tabindex="-1">
            \(body)
            </main>
            </body>
            </html>

            """
    }

    /// A `<time>` element showing `date` in UTC to the second.
    static func time(_ date: Date) -> String {
        let text = ExecutionRecord.naiveUTC(date)
        return "<time datetime=\"\(text)Z\">\(escape(text.prefix(19).replacingOccurrences(of: "T", with: " ")))</time>"
    }

    /// `milliseconds` for people: `850 ms`, `2.4 s`, `3 min 5 s`.
    static func duration(milliseconds: Double) -> String {
        if milliseconds < 1000 { return "\(Int(milliseconds.rounded())) ms" }
        let seconds = milliseconds / 1000
        if seconds < 60 { return "\(oneDecimal(seconds)) s" }
        let whole = Int(seconds.rounded())
        return "\(whole / 60) min \(whole % 60) s"
    }

    /// A status badge: `not-run` reads "not run".
    static func status(_ status: String) -> String {
        "<span class=\"status\" data-status=\"\(escape(status))\">\(escape(status.replacingOccurrences(of: "-", with: " ")))</span>"
    }
}

extension CharacterSet {
    /// What may stand unescaped in a query value: unreserved characters only.
    static let urlQueryValueAllowed = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
}

extension ConsoleHTML {
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    /// `html` as a response, with the console's Content-Security-Policy.
    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: contentSecurityPolicy,
                contentTypeOptions: "nosniff",
                referrerPolicy: "same-origin",
                .cacheControl: "no-store",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html))
        )
    }
}
