extension PostgresMigration {
    /// Fewer indexes to keep up with every record written: `flowlang_executions_newest_first` (start time, then
    /// id) serves every query by start time, with or without a flow, and eviction by age walks it too (a record
    /// that ended before the cutoff started before it). Records of one start time are ordered by their ids, which
    /// are time-ordered, instead of by `seq`, which goes with its sequence.
    static let dropRedundantIndexes = PostgresMigration(name: "6-drop-redundant-indexes") { tables in
        [
            "DROP INDEX IF EXISTS \(tables.quotedSchema).flowlang_executions_by_flow",
            "DROP INDEX IF EXISTS \(tables.quotedSchema).flowlang_executions_by_start",
            "DROP INDEX IF EXISTS \(tables.quotedSchema).flowlang_executions_finished",
            "ALTER TABLE \(tables.executions) DROP COLUMN IF EXISTS seq",
        ]
    }
}
