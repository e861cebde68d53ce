import ArgumentParser
import FlowCore
public import FlowPostgres
import FlowSQLite
public import FlowServer
import Foundation
public import Logging
public import ServiceLifecycle

extension ServerLaunch {
    /// The execution store `DATABASE_URL` names, opened (and migrated) before the server listens, with the
    /// services it needs running beside the server.
    ///
    /// - unset: an SQLite file under `.flowlang/` beside the served flows (``defaultStorePath(servedPath:)``),
    ///   so records and async runs' results survive a restart;
    /// - `memory:`: nil, the bounded memory store (records end with the process);
    /// - `sqlite://PATH` (`sqlite:///var/lib/flowlang/executions.db` is absolute, `sqlite://data/executions.db`
    ///   relative to the working directory): an SQLite file, one server per file;
    /// - `postgres://` or `postgresql://`: PostgreSQL, shared by several instances; its connection pool runs as
    ///   one of the returned services.
    ///
    /// A store that cannot be used, or another scheme, is printed as `error: DATABASE_URL: …` and ends the
    /// program with exit status 2.
    public static func executionStore(
        _ resolved: ResolvedConfiguration,
        servedPath: String,
        logger: Logger
    ) async throws -> (store: (any ExecutionStore)?, services: [any Service]) {
        let url = resolved.databaseURL ?? "sqlite://" + defaultStorePath(servedPath: servedPath)
        return try await executionStore(url: url, server: resolved.server, logger: logger)
    }

    /// The execution store `url` names (as ``executionStore(_:servedPath:logger:)`` reads `DATABASE_URL`), keeping
    /// records as `server` says, with the services it needs. `leaseDuration` and `sweepInterval` are PostgreSQL's
    /// leases (see ``PostgresExecutionStore/init(configuration:maxRecords:maxAge:leaseDuration:sweepInterval:logger:)``);
    /// the crash tests shorten them.
    public static func executionStore(
        url: String,
        server: ServerConfiguration,
        leaseDuration: Duration = PostgresExecutionStore.defaultLeaseDuration,
        sweepInterval: Duration? = nil,
        logger: Logger
    ) async throws -> (store: (any ExecutionStore)?, services: [any Service]) {
        if url == "memory:" { return (nil, []) }
        let scheme = url.prefix { $0 != ":" }.lowercased()
        switch scheme {
        case "sqlite":
            return (try sqliteStore(url: url, server: server, logger: logger), [])
        case "postgres", "postgresql":
            let store = try await postgresStore(
                url: url, server: server, leaseDuration: leaseDuration, sweepInterval: sweepInterval, logger: logger
            )
            return (store, [store])
        default:
            printError("DATABASE_URL: '\(scheme)' is not a supported store (sqlite://PATH, postgres://…, or memory:)")
            throw ExitCode(2)
        }
    }

    /// Where a server keeps its records when `DATABASE_URL` is unset: `.flowlang/executions.sqlite` in the
    /// served directory, or in the directory of a served flow file.
    public static func defaultStorePath(servedPath: String) -> String {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: servedPath, isDirectory: &isDirectory)
        let directory =
            exists && !isDirectory.boolValue ? (servedPath as NSString).deletingLastPathComponent : servedPath
        return ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent(".flowlang/executions.sqlite")
    }

    private static func sqliteStore(url: String, server: ServerConfiguration, logger: Logger) throws
        -> SQLiteExecutionStore
    {
        let path = String(url.dropFirst("sqlite://".count))
        guard !path.isEmpty else {
            printError("DATABASE_URL: 'sqlite://' names no file (e.g. sqlite:///var/lib/flowlang/executions.db)")
            throw ExitCode(2)
        }
        do {
            let store = try SQLiteExecutionStore(
                path: path,
                maxRecords: server.maxExecutionRecords,
                maxAge: server.executionRecordMaxAge
            )
            logger.info("execution records are kept in SQLite", metadata: [LogKey.path: "\(path)"])
            if !store.interruptedRuns.isEmpty {
                logger.warning(
                    "executions left running by a server that stopped are resumed",
                    metadata: [
                        LogKey.count: "\(store.interruptedRuns.count)",
                        LogKey.executionIds: "\(store.interruptedRuns.map(\.rawValue).joined(separator: ","))",
                    ]
                )
            }
            return store
        } catch {
            printError("DATABASE_URL: \(error)")
            throw ExitCode(2)
        }
    }

    private static func postgresStore(
        url: String,
        server: ServerConfiguration,
        leaseDuration: Duration,
        sweepInterval: Duration?,
        logger: Logger
    ) async throws -> PostgresExecutionStore {
        do {
            let store = PostgresExecutionStore(
                configuration: try PostgresExecutionStore.Configuration(url: url),
                maxRecords: server.maxExecutionRecords,
                maxAge: server.executionRecordMaxAge,
                leaseDuration: leaseDuration,
                sweepInterval: sweepInterval,
                logger: logger
            )
            try await store.migrate()
            logger.info(
                "execution records are kept in PostgreSQL",
                metadata: [LogKey.store: "\(store.configuration.redactedURL)"])
            return store
        } catch {
            printError("DATABASE_URL: \(error)")
            throw ExitCode(2)
        }
    }
}
