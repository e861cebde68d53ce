extension PostgresMigration {
    /// The executions table: the SQLite store's columns, plus `seq` to order records that started in the same
    /// microsecond by insertion (SQLite's rowid).
    ///
    /// `document` is the whole record (``ExecutionRecord/storageJSON``) as `json`, which keeps the text as
    /// written: `jsonb` would reorder the keys of inputs and outputs, and the record must read back unchanged.
    /// The other columns exist to find, order and evict records without reading documents.
    static let createExecutions = PostgresMigration(name: "1-executions") { tables in
        [
            """
            CREATE TABLE \(tables.executions) (
                id TEXT PRIMARY KEY,
                seq BIGINT GENERATED ALWAYS AS IDENTITY,
                flow TEXT NOT NULL,
                status TEXT NOT NULL,
                start_time TIMESTAMPTZ NOT NULL,
                end_time TIMESTAMPTZ,
                document JSON NOT NULL
            )
            """,
            "CREATE INDEX flowlang_executions_by_flow ON \(tables.executions) (flow, start_time, seq)",
            "CREATE INDEX flowlang_executions_by_start ON \(tables.executions) (start_time, seq)",
            "CREATE INDEX flowlang_executions_finished ON \(tables.executions) (end_time) WHERE status <> 'running'",
        ]
    }
}
