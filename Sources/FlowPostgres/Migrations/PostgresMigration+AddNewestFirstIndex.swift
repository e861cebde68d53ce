extension PostgresMigration {
    /// The order of execution listings across flows (`GET /executions`, the console): newest first, then by id,
    /// with the filters' columns included so that rows are read only once they match.
    static let addNewestFirstIndex = PostgresMigration(name: "4-executions-newest-first") { tables in
        [
            """
            CREATE INDEX flowlang_executions_newest_first ON \(tables.executions) (start_time, id)
            INCLUDE (flow, status, idempotency_key)
            """
        ]
    }
}
