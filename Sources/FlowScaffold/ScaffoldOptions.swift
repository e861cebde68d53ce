import Foundation

/// Where a generated package gets FlowLang from.
package enum FlowLangDependency: Sendable, Equatable {
    /// A local checkout: `.package(path:)`.
    case path(String)
    /// A git repository: `.package(url:, branch:)`.
    case url(String, branch: String)

    /// The FlowLang checkout this library was compiled from (found through `#filePath`), the default for
    /// packages scaffolded on the machine that built the `flowlang` tool.
    package static var buildCheckout: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .standardizedFileURL.path
    }

    /// Whether the build checkout still exists, with its `Package.swift`.
    package static var buildCheckoutExists: Bool {
        FileManager.default.fileExists(atPath: (buildCheckout as NSString).appendingPathComponent("Package.swift"))
    }

    /// Reads `--flowlang`: a URL (`https://…`, `git@…`, `file://…`, anything ending in `.git`) or a path,
    /// made absolute against `directory`.
    package init(argument: String, relativeTo directory: String? = nil) {
        let directory = directory ?? FileManager.default.currentDirectoryPath
        if argument.contains("://") || argument.hasPrefix("git@") || argument.hasSuffix(".git") {
            self = .url(argument, branch: "main")
        } else {
            let absolute = argument.hasPrefix("/") ? argument : (directory as NSString).appendingPathComponent(argument)
            self = .path(URL(fileURLWithPath: absolute).standardizedFileURL.path)
        }
    }

    /// A local checkout written relative to the package in `directory` when the package is inside the checkout
    /// or near it (at most three levels up to a common folder other than `/`), so both can move together and the
    /// manifest names no machine's paths; a far checkout or a URL is returned unchanged.
    package func relative(to directory: String) -> FlowLangDependency {
        guard case .path(let checkout) = self, checkout.hasPrefix("/") else { return self }
        let from = URL(fileURLWithPath: directory).standardizedFileURL.pathComponents
        let to = URL(fileURLWithPath: checkout).standardizedFileURL.pathComponents
        let common = zip(from, to).prefix { $0 == $1 }.count
        let climbs = from.count - common
        guard common > 1, climbs <= 3 else { return self }
        let parts = Array(repeating: "..", count: climbs) + to[common...]
        return .path(parts.isEmpty ? "." : parts.joined(separator: "/"))
    }

    /// How the generated manifest names the package in `.product(name:package:)`.
    ///
    /// A local checkout is given the explicit name `FlowLang`, so the manifest works whatever the checkout's
    /// folder is called; a git URL is named by SwiftPM's identity: its last component without `.git`, lowercased.
    package var packageIdentity: String {
        let location: String
        switch self {
        case .path: return "FlowLang"
        case .url(let url, _): location = url
        }
        var last = location.split(separator: "/").last.map(String.init) ?? location
        if let colon = last.lastIndex(of: ":") { last = String(last[last.index(after: colon)...]) }
        if last.hasSuffix(".git") { last = String(last.dropLast(4)) }
        return last.lowercased()
    }

    /// The `.package(...)` line of the generated manifest.
    var manifestEntry: String {
        switch self {
        case .path(let path): ".package(name: \"FlowLang\", path: \(SwiftNaming.stringLiteral(path)))"
        case .url(let url, let branch):
            ".package(url: \(SwiftNaming.stringLiteral(url)), branch: \(SwiftNaming.stringLiteral(branch)))"
        }
    }

    /// The checkout path, when FlowLang comes from one.
    var checkoutPath: String? {
        if case .path(let path) = self { return path }
        return nil
    }
}

/// How to generate a package.
package struct ScaffoldOptions: Sendable {
    /// Where the package gets FlowLang from.
    package var flowLang: FlowLangDependency
    /// The `flowlang` version recorded in the manifest.
    package var generatorVersion: String
    /// Tasks whose files are implemented already, shown ✅ in the README.
    package var implementedTasks: Set<String>

    package init(
        flowLang: FlowLangDependency = .path(FlowLangDependency.buildCheckout),
        generatorVersion: String = "0.1.0",
        implementedTasks: Set<String> = []
    ) {
        self.flowLang = flowLang
        self.generatorVersion = generatorVersion
        self.implementedTasks = implementedTasks
    }
}
