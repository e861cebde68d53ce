/// Where execution records live: memory by default, SQLite or PostgreSQL for durability.
///
/// Implementations must be safe to call from many tasks at once. `save` inserts or replaces by id.
public protocol ExecutionStore: Sendable {
    /// Inserts or replaces the record with the same id.
    func save(_ record: ExecutionRecord) async throws
    /// The record with `id`, if kept.
    func record(id: String) async throws -> ExecutionRecord?
    /// Records of `flow` (all flows when nil), oldest first, at most the newest `limit`.
    func records(flow: String?, limit: Int) async throws -> [ExecutionRecord]
    /// Throws when the store cannot be used now (a lost database connection); `/ready` reports it.
    func checkReachable() async throws
}

extension ExecutionStore {
    /// Always reachable: right for stores in this process's memory.
    public func checkReachable() async throws {}
}
