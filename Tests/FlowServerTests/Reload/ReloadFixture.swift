import FlowCore
import FlowServer
import FlowTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A temporary directory of flows, a catalog scanned from it, and an application with reload on a manual clock.
struct ReloadFixture {
    let root: String
    let clock = ManualClock()
    static let interval = Duration.milliseconds(500)
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A flow named `name` whose output `message` is `message`.
    static func flow(_ name: String = "Greeting", message: String) -> String {
        """
        flow: \(name)
        steps:
          - task: Echo
            id: say
            inputs: {message: "\(message)"}
        outputs:
          - name: message
            value: ${say.message}
        """
    }

    /// `flows` maps relative directories (empty for a single flow at the root) to their flow.yaml text.
    init(flows: [String: String]) throws {
        root =
            FileManager.default.temporaryDirectory.appendingPathComponent("flowlang-reload-\(UUID().uuidString)").path
        for (directory, text) in flows { try write(text, in: directory) }
    }

    func path(_ directory: String) -> String {
        directory.isEmpty ? root + "/flow.yaml" : root + "/" + directory + "/flow.yaml"
    }

    func write(_ text: String, in directory: String = "") throws {
        let file = path(directory)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try text.write(toFile: file, atomically: false, encoding: .utf8)
    }

    func remove(in directory: String = "") throws {
        try FileManager.default.removeItem(atPath: path(directory))
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: root)
    }

    func catalog() throws -> FlowCatalog {
        let discovery = try FlowDirectoryScanner.scan(root)
        return discovery.isSingleFlow
            ? FlowCatalog(flow: discovery.flows[0])
            : FlowCatalog(flows: discovery.flows, projects: discovery.projects)
    }

    func application(_ catalog: FlowCatalog) -> some ApplicationProtocol {
        buildApplication(
            catalog: catalog,
            configuration: ServerConfiguration(requestLogLevel: nil, reload: true, reloadPollInterval: Self.interval),
            clock: clock,
            logger: Self.quiet
        )
    }

    /// Lets one poll happen: waits for the reloader to sleep, moves time on, waits until it sleeps again.
    ///
    /// The reloader is the only sleeper on this clock: the flows have no schedules and run no `Sleep`.
    func poll() async {
        await clock.waitForSleepers(count: 1)
        clock.advance(by: Self.interval)
        await clock.waitForSleepers(count: 1)
    }
}

extension ReloadFixture {
    /// The JSON body of `uri`'s response.
    static func json(
        _ client: some TestClientProtocol,
        _ uri: String,
        method: HTTPRequest.Method = .get,
        body: String? = nil
    ) async throws -> FlowValue {
        try await client.execute(
            uri: uri,
            method: method,
            headers: body == nil ? [:] : [.contentType: "application/json"],
            body: body.map { ByteBuffer(string: $0) }
        ) { response in
            try FlowValue(json: String(buffer: response.body))
        }
    }

    /// Runs `flow` with no inputs and returns its `message` output.
    static func message(_ client: some TestClientProtocol, of flow: String) async throws -> FlowValue? {
        try await json(client, "/flows/\(flow)/execute", method: .post, body: "{}")["outputs"]?["message"]
    }
}
