import FlowCore
import Foundation
import HTTPTypes
import Hummingbird

/// How the console's pages get the API key when the server requires one.
///
/// Pages list and show without a script, so the browser must present the key when it asks for a page, which a
/// header cannot do: the page that asks for the key (`/ui/key`, a plain form) posts it back, and the server
/// checks it and keeps it in a cookie for the console's paths only (`Path=/ui`), `HttpOnly` (no script reads
/// it), `SameSite=Strict` (no other site's page sends it) and without an expiry (gone with the browser
/// session). The API itself never takes the cookie, so a cross-site request can never act with it; and the
/// console's own routes only read, except the form that sets the key. The script keeps the same key in
/// `sessionStorage` (the tab's session) and sends it as `X-API-Key` on the API calls that start and cancel runs.
enum ConsoleKey {
    static let cookieName = "flowlang_console_key"

    /// Whether `path` is the console's (`/ui` and below).
    static func isConsolePath(_ path: String) -> Bool {
        path == "/ui" || path.hasPrefix("/ui/")
    }

    /// The key the request presents: its `X-API-Key` or bearer token, else the console's cookie.
    static func presented(_ headers: HTTPFields) -> String? {
        if case .presented(let key) = APICredential(headers) { return String(key) }
        for cookies in headers[values: .cookie] {
            for pair in cookies.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == cookieName else { continue }
                return String(parts[1]).removingPercentEncoding
            }
        }
        return nil
    }

    /// The page asking for the key, answered 401 (or 200 when shown on purpose), to come back to `next`.
    static func prompt(next: String, message: String?, status: HTTPResponse.Status = .unauthorized) -> Response {
        let notice = message.map { "<p class=\"error\" role=\"alert\">\(ConsoleHTML.escape($0))</p>" } ?? ""
        let body = """
            <h1>API key</h1>
            <p>This server requires an API key. It is kept for this browser session only.</p>
            \(notice)
            <form id="key-form" method="post" action="/ui/key">
            <input type="hidden" name="next" value="\(ConsoleHTML.escape(safeNext(next)))">
            <label for="key">API key</label> <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
            <button type="submit">Continue</button>
            </form>
            """
        return ConsoleHTML.response(ConsoleHTML.page(title: "API key", section: nil, body: body), status: status)
    }

    /// `POST /ui/key`: a valid key sets the cookie and goes on to `next`; another asks again.
    static func accept(_ request: Request, keys: APIKeySet, maxBodyBytes: Int) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: maxBodyBytes)
        let form = formFields(String(decoding: body.readableBytesView, as: UTF8.self))
        let next = safeNext(form["next"] ?? "/ui")
        guard let key = form["key"], !key.isEmpty, keys.match(Substring(key)) != nil else {
            return prompt(next: next, message: "That key is not valid.")
        }
        let value = key.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? ""
        return Response(
            status: .seeOther,
            headers: [
                .location: next,
                .setCookie: "\(cookieName)=\(value); Path=/ui; HttpOnly; SameSite=Strict",
                .contentSecurityPolicy: ConsoleHTML.contentSecurityPolicy,
            ]
        )
    }

    /// `next` when it is a console path of this server, else `/ui`: the form cannot send anyone elsewhere.
    static func safeNext(_ next: String) -> String {
        isConsolePath(String(next.prefix { $0 != "?" })) && !next.hasPrefix("//") && !next.contains("\\") ? next : "/ui"
    }

    /// The fields of an `application/x-www-form-urlencoded` body.
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
