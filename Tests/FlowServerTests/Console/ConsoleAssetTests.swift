import FlowServer
import Foundation
import Testing

/// The console's assets compiled into the binary are its committed sources: regenerate with
/// scripts/generate-console-assets.sh after editing `Sources/FlowServer/Console/Assets/`.
@Suite struct ConsoleAssetTests {
    static let assets = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "Sources/FlowServer/Console/Assets")

    @Test(arguments: ["console.js", "live.js", "console.css"])
    func theGeneratedSwiftHoldsExactlyTheSource(name: String) throws {
        let source = try String(contentsOf: Self.assets.appending(path: name), encoding: .utf8)
        let compiled =
            switch name {
            case "console.js": ConsoleAssets.console.js.text
            case "live.js": ConsoleAssets.console.liveJS.text
            default: ConsoleAssets.console.css.text
            }
        #expect(compiled == source, "\(name) drifted from its generated Swift: run scripts/generate-console-assets.sh")
    }
}
