public import FlowCore
public import Logging

extension ConnectionPools {
    /// Opens a pool for `connection` on its own, runs `SELECT 1` and closes it, for `flowlang doctor`.
    ///
    /// - Returns: nil when the database answered, else why not, in words that never contain the password.
    public static func check(_ connection: ConnectionDefinition, logger: Logger) async -> String? {
        do {
            try await withPools(logger: logger) { pools in
                switch try await pools.pool(for: connection) {
                case let postgres as PostgresPool: _ = try await postgres.query("SELECT 1")
                case let sqlite as SQLitePool: _ = try await sqlite.query("SELECT 1")
                default: break
                }
            }
            return nil
        } catch {
            return ErrorDescription.of(error).message
        }
    }
}
