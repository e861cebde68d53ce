/// One change to the store's tables, applied once per schema and recorded by name in `flowlang_migrations`.
///
/// Migrations are applied in the order of ``all``; a new one is appended, never inserted or edited, because
/// databases already migrated have recorded the ones before it.
struct PostgresMigration: Sendable {
    /// The name recorded once the migration is applied.
    var name: String
    /// The statements, run one by one in the migration's transaction, for the tables of `tables`.
    var statements: @Sendable (_ tables: PostgresTables) -> [String]

    /// Every migration, oldest first.
    static let all: [PostgresMigration] = [
        .createExecutions, .addIdempotencyKeys, .addStepJournal, .addNewestFirstIndex, .addLiveEvents,
        .dropRedundantIndexes, .dropJournalForeignKeys,
    ]
}
