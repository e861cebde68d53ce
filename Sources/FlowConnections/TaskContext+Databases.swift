public import FlowCore

extension TaskContext {
    /// The PostgreSQL pool of connection `name`, or of the step's own `connection:` when `name` is nil.
    ///
    /// - Throws: a `TaskError` of type `ConnectionError` when there is no such connection, it is not PostgreSQL,
    ///   or the executor has no ``ConnectionPools``.
    public func postgres(_ name: String? = nil) async throws -> PostgresPool {
        let pool = try await connection(name)
        guard let postgres = pool as? PostgresPool else { throw wrongType(name, expected: "postgres") }
        return postgres
    }

    /// The SQLite pool of connection `name`, or of the step's own `connection:` when `name` is nil.
    ///
    /// - Throws: a `TaskError` of type `ConnectionError` when there is no such connection, it is not SQLite, or
    ///   the executor has no ``ConnectionPools``.
    public func sqlite(_ name: String? = nil) async throws -> SQLitePool {
        let pool = try await connection(name)
        guard let sqlite = pool as? SQLitePool else { throw wrongType(name, expected: "sqlite") }
        return sqlite
    }

    private func wrongType(_ name: String?, expected: String) -> TaskError {
        let definition = try? connectionDefinition(name)
        return TaskError(
            "task '\(taskName)' needs a \(expected) connection, but '\(definition?.name ?? name ?? "")' is \(definition?.typeName ?? "another type")",
            type: "ConnectionError"
        )
    }
}
