extension PostgresMigration {
    /// The step journal and the live events no longer reference their execution by a foreign key: checking it for
    /// every row journaled, and cascading every record purged to both tables row by row, cost PostgreSQL a quarter
    /// of its time per execution. Rows are written only for a record that exists and is running (the statements
    /// check it), and a purge deletes a record's journal and live events with it (``PostgresExecutionStore/purge(at:)``).
    static let dropJournalForeignKeys = PostgresMigration(name: "7-journal-without-foreign-keys") { tables in
        [
            "ALTER TABLE \(tables.journal) DROP CONSTRAINT IF EXISTS flowlang_step_journal_execution_id_fkey",
            "ALTER TABLE \(tables.liveEvents) DROP CONSTRAINT IF EXISTS flowlang_live_events_execution_id_fkey",
        ]
    }
}
