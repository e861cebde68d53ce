package import FlowCore
import Foundation
import NIOCore
import NIOPosix

/// How `doctor` looks at the machine; tests replace each probe to make the checks deterministic.
package struct DoctorProbes: Sendable {
    /// Runs a program found on PATH in an optional directory; `nil` when it cannot be started (it is not installed).
    package var run: @Sendable (_ name: String, _ arguments: [String], _ directory: String?) async -> CommandResult?
    /// Whether a server could listen on host:port now.
    package var portIsFree: @Sendable (_ host: String, _ port: Int) async -> Bool
    /// Whether a TCP connection to host:port opens within a few seconds.
    package var canConnect: @Sendable (_ host: String, _ port: Int) async -> Bool
    /// Whether a file exists.
    package var fileExists: @Sendable (_ path: String) -> Bool
    /// Free bytes on the file system holding `path`.
    package var freeBytes: @Sendable (_ path: String) -> Int64?
    /// The environment (`DATABASE_URL`, and the variables flows' `connections:` use).
    package var environment: [String: String]
    /// Whether a declared connection's database answers: nil when it does, else why not (never with a password).
    /// The live probe only checks that the server accepts TCP connections or the SQLite file's directory exists;
    /// `flowlang doctor` replaces it with one that connects and runs `SELECT 1`.
    package var checkConnection: @Sendable (_ connection: ConnectionDefinition) async -> String?

    package init(
        run: @escaping @Sendable (_ name: String, _ arguments: [String], _ directory: String?) async -> CommandResult?,
        portIsFree: @escaping @Sendable (_ host: String, _ port: Int) async -> Bool,
        canConnect: @escaping @Sendable (_ host: String, _ port: Int) async -> Bool,
        fileExists: @escaping @Sendable (_ path: String) -> Bool,
        freeBytes: @escaping @Sendable (_ path: String) -> Int64?,
        environment: [String: String],
        checkConnection: (@Sendable (_ connection: ConnectionDefinition) async -> String?)? = nil
    ) {
        self.checkConnection =
            checkConnection ?? { connection in await Self.reachability(of: connection, canConnect: canConnect) }
        self.run = run
        self.portIsFree = portIsFree
        self.canConnect = canConnect
        self.fileExists = fileExists
        self.freeBytes = freeBytes
        self.environment = environment
    }

    /// The real machine.
    package static var live: DoctorProbes {
        DoctorProbes(
            run: { name, arguments, directory in
                try? await ChildProcess.run(
                    ProcessCommand(executable: name, arguments: arguments, workingDirectory: directory))
            },
            portIsFree: { host, port in await Self.bindSucceeds(host: host, port: port) },
            canConnect: { host, port in await Self.connectSucceeds(host: host, port: port) },
            fileExists: { FileManager.default.fileExists(atPath: $0) },
            freeBytes: { path in
                let attributes = try? FileManager.default.attributesOfFileSystem(forPath: path)
                return (attributes?[.systemFreeSize] as? NSNumber)?.int64Value
            },
            environment: ProcessInfo.processInfo.environment
        )
    }

    /// Whether a PostgreSQL server accepts TCP connections; SQLite files are created on first use, so they pass.
    static func reachability(of connection: ConnectionDefinition, canConnect: @Sendable (String, Int) async -> Bool)
        async -> String?
    {
        guard case .postgres(let settings) = connection.kind else { return nil }
        return await canConnect(settings.host, settings.port)
            ? nil : "\(settings.host):\(settings.port) does not accept connections"
    }

    static func bindSucceeds(host: String, port: Int) async -> Bool {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        guard let channel = try? await bootstrap.bind(host: host, port: port).get() else { return false }
        try? await channel.close()
        return true
    }

    static func connectSucceeds(host: String, port: Int) async -> Bool {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(.seconds(3))
        guard let channel = try? await bootstrap.connect(host: host, port: port).get() else { return false }
        try? await channel.close()
        return true
    }
}
