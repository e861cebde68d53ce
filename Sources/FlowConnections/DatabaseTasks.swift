public import FlowCore

extension TaskRegistry {
    /// Registers the built-in database tasks: `sqlite_query`, `sqlite_execute`, `sqlite_transaction`,
    /// `sqlite_batch_insert`, `sqlite_batch_update` and their `pg_` twins. Each runs on the connection its step
    /// names (`connection: db`), from the executor's ``ConnectionPools``; tasks already registered under these
    /// names are kept.
    public mutating func registerDatabaseTasks() {
        for task in SQLiteTasks.all + PostgresTasks.all where self.task(named: task.name) == nil { register(task) }
    }

    /// The names of the built-in database tasks.
    public static var databaseTaskNames: [String] { (SQLiteTasks.all + PostgresTasks.all).map(\.name) }
}
