import Foundation

/// One server behind `flowlang serve --multi`: a task package's own server (a child process) or the
/// in-process server of the flow-only directories, each on a private loopback port.
package struct MultiServeBackend: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// A scaffolded package, built and run as a child process.
        case package(TaskPackage)
        /// Flow-only directories (built-in tasks), served by flowlang itself.
        case inProcess(directories: [String])
    }

    /// How messages name it: the package directory's name, or "built-in tasks".
    package var label: String
    package var kind: Kind
    /// Its private port on 127.0.0.1.
    package var port: Int
    /// The flows it serves: `/flows/<name>/…` goes to it.
    package var flows: [String]

    package init(label: String, kind: Kind, port: Int, flows: [String]) {
        self.label = label
        self.kind = kind
        self.port = port
        self.flows = flows
    }
}

/// Which backend serves which flow.
package struct MultiServeRoutes: Sendable, Equatable {
    package var backends: [MultiServeBackend]

    package init(backends: [MultiServeBackend]) {
        self.backends = backends
    }

    /// Every flow name, sorted.
    package var flowNames: [String] { backends.flatMap(\.flows).sorted() }

    /// The backend serving `flow`.
    package func backend(serving flow: String) -> MultiServeBackend? {
        backends.first { $0.flows.contains(flow) }
    }

    /// The flow a request path addresses: `/flows/<name>` or `/flows/<name>/…`; `nil` for every other path.
    package static func flowName(inPath path: String) -> String? {
        let pathOnly =
            path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        let parts = pathOnly.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0] == "flows" else { return nil }
        return String(parts[1]).removingPercentEncoding ?? String(parts[1])
    }
}
