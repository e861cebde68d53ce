extension PostgresMigration {
    /// The step journal, and the lease each running execution is held by: `owner` names the store instance
    /// running it, which renews `lease_expires_at` while it lives; another instance claims runs whose lease ran
    /// out. Runs from before this migration have no lease and count as expired.
    static let addStepJournal = PostgresMigration(name: "3-step-journal-and-leases") { tables in
        [
            """
            CREATE TABLE \(tables.journal) (
                execution_id TEXT NOT NULL REFERENCES \(tables.executions) (id) ON DELETE CASCADE,
                path TEXT NOT NULL,
                finished_at TIMESTAMPTZ NOT NULL,
                entry JSON NOT NULL,
                PRIMARY KEY (execution_id, path)
            )
            """,
            "ALTER TABLE \(tables.executions) ADD COLUMN owner TEXT, ADD COLUMN lease_expires_at TIMESTAMPTZ",
            """
            CREATE INDEX flowlang_executions_leases ON \(tables.executions) (lease_expires_at) WHERE status = 'running'
            """,
        ]
    }
}
