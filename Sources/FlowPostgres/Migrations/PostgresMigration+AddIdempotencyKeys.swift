extension PostgresMigration {
    /// The `Idempotency-Key` of the request that started an execution: at most one execution per flow and key.
    static let addIdempotencyKeys = PostgresMigration(name: "2-idempotency-keys") { tables in
        [
            "ALTER TABLE \(tables.executions) ADD COLUMN idempotency_key TEXT",
            """
            CREATE UNIQUE INDEX flowlang_executions_by_idempotency_key ON \(tables.executions) (flow, idempotency_key)
            WHERE idempotency_key IS NOT NULL
            """,
        ]
    }
}
