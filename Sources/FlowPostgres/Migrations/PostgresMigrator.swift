import Logging
import PostgresNIO

/// Brings a schema's tables up to date in one transaction under a transaction-scoped advisory lock
/// (`pg_advisory_xact_lock`): instances starting at once take turns, the first applies what is missing and
/// the others find it applied. The lock is released when the transaction ends, also when the connection
/// drops, so a crashed instance never leaves it held; DDL is transactional in PostgreSQL, so a failed
/// migration leaves nothing half-made.
enum PostgresMigrator {
    /// Applies the migrations `tables`' schema lacks; returns their names, oldest first.
    static func migrate(_ connection: PostgresConnection, tables: PostgresTables, logger: Logger) async throws
        -> [String]
    {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(tables.migrationLockKey))", logger: logger)
            // CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege on the database even when the schema
            // exists: ask first, so a user limited to an existing schema can migrate.
            var schemaExists = false
            let rows = try await connection.query(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = \(tables.schema))",
                logger: logger
            )
            for try await exists in rows.decode(Bool.self) { schemaExists = exists }
            if !schemaExists {
                try await connection.query(
                    PostgresQuery(unsafeSQL: "CREATE SCHEMA \(tables.quotedSchema)"), logger: logger)
            }
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        CREATE TABLE IF NOT EXISTS \(tables.migrations) (
                            name TEXT PRIMARY KEY,
                            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                        )
                        """
                ),
                logger: logger
            )
            var applied: Set<String> = []
            for try await name in try await connection.query(
                "SELECT name FROM \(unescaped: tables.migrations)", logger: logger
            ).decode(String.self) {
                applied.insert(name)
            }
            var newlyApplied: [String] = []
            for migration in PostgresMigration.all where !applied.contains(migration.name) {
                for statement in migration.statements(tables) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO \(unescaped: tables.migrations) (name) VALUES (\(migration.name))", logger: logger)
                newlyApplied.append(migration.name)
            }
            return newlyApplied
        }
    }
}
