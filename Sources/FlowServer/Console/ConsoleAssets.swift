import FlowCore
import Foundation
import Hummingbird

/// The console's stylesheets and scripts, compiled into the binary and served with an `ETag`: a browser that
/// sends it back in `If-None-Match` gets 304 and keeps its copy.
///
/// `console.js`, `live.js` (an execution page followed live) and `console.css` are written in `Console/Assets/`;
/// scripts/generate-console-assets.sh copies them into the generated Swift files beside this one, and a test
/// fails when those drift from their sources.
/// `diagram.css` is the diagrams' own stylesheet, which a page cannot carry inline under its
/// Content-Security-Policy.
package struct ConsoleAssets: Sendable {
    package struct Asset: Sendable {
        package let path: String
        package let contentType: String
        package let text: String
        /// A strong validator of `text`: the same text always gives the same tag, in every process.
        package let etag: String

        init(name: String, contentType: String, text: String) {
            path = "/ui/assets/" + name
            self.contentType = contentType
            self.text = text
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            etag = "\"" + String(hash, radix: 16) + "\""
        }
    }

    package let js: Asset
    package let liveJS: Asset
    package let css: Asset

    /// The console's scripts and stylesheet.
    package static let console = ConsoleAssets(
        js: Asset(name: "console.js", contentType: "text/javascript; charset=utf-8", text: scriptSource),
        liveJS: Asset(name: "live.js", contentType: "text/javascript; charset=utf-8", text: liveScriptSource),
        css: Asset(name: "console.css", contentType: "text/css; charset=utf-8", text: styleSource)
    )

    /// The diagrams' stylesheet.
    package static let diagram = Asset(
        name: "diagram.css", contentType: "text/css; charset=utf-8", text: SVGDiagram.stylesheet)

    /// Every asset, by path.
    static let all: [String: Asset] = Dictionary(
        uniqueKeysWithValues: [console.js, console.liveJS, console.css, diagram].map { ($0.path, $0) })

    /// `asset`, or 304 when the request already holds this version.
    static func response(_ asset: Asset, to request: Request) -> Response {
        var headers: HTTPFields = [.eTag: asset.etag, .cacheControl: "no-cache"]
        let held =
            request.headers[.ifNoneMatch]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        if held.contains(asset.etag) || held.contains("*") {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: asset.text)))
    }
}
