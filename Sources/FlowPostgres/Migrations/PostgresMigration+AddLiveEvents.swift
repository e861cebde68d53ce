extension PostgresMigration {
    /// The events of running executions, kept while they run so that instances not running one can stream them;
    /// an execution's rows go when it finishes (its events are then in its record).
    static let addLiveEvents = PostgresMigration(name: "5-live-events") { tables in
        [
            """
            CREATE TABLE \(tables.liveEvents) (
                execution_id TEXT NOT NULL REFERENCES \(tables.executions) (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                event JSON NOT NULL,
                PRIMARY KEY (execution_id, seq)
            )
            """
        ]
    }
}
