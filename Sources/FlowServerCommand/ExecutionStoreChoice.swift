import ArgumentParser
public import FlowServer
import FlowSQLite
public import Logging

extension ServerLaunch {
    /// The execution store `DATABASE_URL` names, opened before the server listens.
    ///
    /// - unset or `memory:`: nil, the bounded memory store (records end with the process);
    /// - `sqlite://PATH` (`sqlite:///var/lib/flowlang/executions.db` is absolute, `sqlite://data/executions.db`
    ///   relative to the working directory): an SQLite file, kept by the same retention settings;
    /// - `postgres://` or `postgresql://`: not built yet (issue #13); the memory store is used, with a warning.
    ///
    /// A file that cannot be used, or another scheme, is printed as `error: DATABASE_URL: …` and ends the
    /// program with exit status 2.
    public static func executionStore(_ resolved: ResolvedConfiguration, logger: Logger) throws -> (any ExecutionStore)? {
        guard let url = resolved.databaseURL, url != "memory:" else { return nil }
        let scheme = url.prefix { $0 != ":" }.lowercased()
        switch scheme {
        case "sqlite":
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                printError("DATABASE_URL: 'sqlite://' names no file (e.g. sqlite:///var/lib/flowlang/executions.db)")
                throw ExitCode(2)
            }
            do {
                let store = try SQLiteExecutionStore(
                    path: path,
                    maxRecords: resolved.server.maxExecutionRecords,
                    maxAge: resolved.server.executionRecordMaxAge
                )
                logger.info("execution records are kept in SQLite", metadata: ["path": "\(path)"])
                return store
            } catch {
                printError("DATABASE_URL: \(error)")
                throw ExitCode(2)
            }
        case "postgres", "postgresql":
            logger.warning("the PostgreSQL execution store is not built yet: execution records stay in memory")
            return nil
        default:
            printError("DATABASE_URL: '\(scheme)' is not a supported store (sqlite://PATH, postgres://…, or memory:)")
            throw ExitCode(2)
        }
    }
}
