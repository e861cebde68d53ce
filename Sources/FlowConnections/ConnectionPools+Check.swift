public import FlowCore
public import Logging

extension ConnectionPools {
    /// Runs `SELECT 1` on the pool for `connection` (opened when needed), waiting no longer than the
    /// connection's `timeout` for a connection.
    ///
    /// - Returns: nil when the database answered, else why not, in words that never contain the password.
    public func probe(_ connection: ConnectionDefinition) async -> String? {
        do {
            guard let database = try await pool(for: connection) as? any SQLDatabase else { return nil }
            _ = try await database.query("SELECT 1", [])
            return nil
        } catch {
            return ErrorDescription.of(error).message
        }
    }

    /// Opens a pool for `connection` on its own, runs `SELECT 1` and closes it, for `flowlang doctor`.
    ///
    /// - Returns: nil when the database answered, else why not, in words that never contain the password.
    public static func check(_ connection: ConnectionDefinition, logger: Logger) async -> String? {
        do {
            return try await withPools(logger: logger) { pools in await pools.probe(connection) }
        } catch {
            return ErrorDescription.of(error).message
        }
    }
}
