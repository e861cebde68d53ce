public import FlowCore
public import Foundation

/// Where execution records live: memory by default, SQLite or PostgreSQL for durability.
///
/// The API says what happens to an execution, not how to overwrite its row: each change is one call that a
/// store applies atomically, checked by ``ExecutionRecord/apply(_:)``, so two changes racing (a cancel request
/// while the run finishes) can never write back a stale copy. Implementations must be safe to call from many
/// tasks at once.
public protocol ExecutionStore: Sendable {
    /// Stores a new execution, running from now.
    func create(_ record: ExecutionRecord) async throws
    /// Stores `record` unless an execution of the same flow already has its ``ExecutionRecord/idempotencyKey``:
    /// then stores nothing and returns that execution. Returns `record` when it was stored. Concurrent calls
    /// with one key store exactly one record. A key is free again once its execution is no longer kept.
    func createOnce(_ record: ExecutionRecord) async throws -> ExecutionRecord
    /// Records that cancellation of `id` was requested, if the execution has not finished; a finished one is
    /// left as it is. Returns the record afterwards, nil when the store does not know `id`.
    func requestCancel(id: ExecutionID, reason: String) async throws -> ExecutionRecord?
    /// Ends the execution with `result` and its `events`, keeping a cancel request already stored; returns the
    /// finished record. Throws ``ExecutionTransitionError`` when it had already finished or is unknown.
    func finish(id: ExecutionID, result: ExecutionResult, events: [ExecutionEvent], at time: Date) async throws
        -> ExecutionRecord
    /// ``finish(id:result:events:at:)`` for the run of `running`, the record as this server started or claimed it
    /// (with the cancel reason it was signalled, if any): a store may write the finished record without reading
    /// the stored one back, as long as nothing changed the stored one meanwhile (another instance's cancel
    /// request, a claim); otherwise it finishes the stored record.
    func finish(_ running: ExecutionRecord, result: ExecutionResult, events: [ExecutionEvent], at time: Date)
        async throws -> ExecutionRecord
    /// The record with `id`, if kept.
    func record(id: ExecutionID) async throws -> ExecutionRecord?
    /// Records of `flow` (all flows when nil), oldest first, at most the newest `limit`.
    func records(flow: String?, limit: Int) async throws -> [ExecutionRecord]
    /// The page of executions `query` selects, across flows, newest first.
    func executions(matching query: ExecutionQuery) async throws -> ExecutionPage
    /// Throws when the store cannot be used now (a lost database connection); `/ready` reports it.
    func checkReachable() async throws

    /// Whether executions journal their task steps here, so that an interrupted run can resume.
    var keepsJournal: Bool { get }
    /// Adds a task step's outcome to the journal of execution `id`, unless one is journaled at its path already
    /// (the first outcome recorded stays).
    func appendJournal(_ entry: StepJournalEntry, execution id: ExecutionID) async throws
    /// The journal of execution `id`, in the order its steps finished.
    func journal(id: ExecutionID) async throws -> [StepJournalEntry]
    /// Whether ``queueCreate(_:)`` and ``queueJournal(_:execution:)`` put their change in this store's order of
    /// writes as they are called and write it without being waited for — before every change of the execution
    /// asked for afterwards, which is durable only once they are — so that a run whose client waits for its end
    /// goes on without waiting for each write.
    var queuesWrites: Bool { get }
    /// ``create(_:)`` as a ``QueuedWrite``: queued in order and written when ``queuesWrites``, else written when
    /// awaited.
    func queueCreate(_ record: ExecutionRecord) -> QueuedWrite
    /// ``appendJournal(_:execution:)`` as a ``QueuedWrite``: queued in order and written when ``queuesWrites``,
    /// else written when awaited.
    func queueJournal(_ entry: StepJournalEntry, execution id: ExecutionID) -> QueuedWrite
    /// Takes over at most `limit` of the runs nobody holds, for this server to run: runs a server which stopped
    /// without finishing them left running, and (with a store whose runs instances share) runs queued by an
    /// instance that had no room for them. Each comes back with ``ExecutionRecord/resumes`` counted up; a run
    /// interrupted `maxResumes` times in a row without a step journaled in between is failed
    /// (`ExecutionInterrupted`) instead, and one cancelled before any step ran is finished cancelled; neither
    /// is returned (``ExecutionRecord/claimInterrupted(maxResumes:journaledSteps:at:)``).
    func claimInterrupted(maxResumes: Int, limit: Int, at time: Date) async throws -> [ExecutionRecord]
    /// How often a server calls ``claimInterrupted(maxResumes:limit:at:)`` after the first time, as it starts;
    /// nil when only a starting server finds interrupted runs (one server per store).
    var sweepInterval: Duration? { get }
    /// Gives up this instance's hold on running execution `id` (its lease) so that another instance claims it at
    /// once; nothing when this instance does not hold it, or when the store is not shared.
    func release(id: ExecutionID) async throws
    /// Whether other instances run executions from this store too: a cancel request for a run another instance
    /// holds is then stored for that instance to act on (``cancelRequests(among:)``).
    var sharesRuns: Bool { get }
    /// Whether no other instance can have taken over a run this instance holds, as of now (its leases were renewed
    /// recently enough): a run whose client waits then goes on to its next step without waiting to learn whether its
    /// last journal write was accepted. Always true for a store no other instance shares.
    var leasesAreFresh: Bool { get }
    /// Of `ids`, the running executions whose cancellation was requested (by another instance), with the reason.
    func cancelRequests(among ids: [ExecutionID]) async throws -> [ExecutionID: String]
    /// Hints that other instances queued runs or requested cancellations (``StoreNotice``), for one consumer; nil
    /// when the store sends none and polling is all.
    var notices: AsyncStream<StoreNotice>? { get }
    /// Keeps the events of running execution `id` from position `first` (from 1) on, for instances that do not run
    /// it to stream them live (stores whose runs instances share); dropped when the execution finishes.
    func appendLiveEvents(_ events: [ExecutionEvent], from first: Int, execution id: ExecutionID) async throws
    /// The kept events of running execution `id` after position `position`, in order.
    func liveEvents(id: ExecutionID, after position: Int) async throws -> [ExecutionEvent]
    /// How often a server calls ``purge(at:)``; nil when the store drops old records itself as runs finish.
    var purgeInterval: Duration? { get }
    /// Deletes the finished records beyond the store's retention (by age at `time`, and by count), in bounded
    /// batches, never a running one; returns how many it deleted.
    func purge(at time: Date) async throws -> Int
}

extension ExecutionStore {
    public var queuesWrites: Bool { false }

    public var purgeInterval: Duration? { nil }

    /// Finishes the stored record: right for stores where reading it costs little.
    public func finish(_ running: ExecutionRecord, result: ExecutionResult, events: [ExecutionEvent], at time: Date)
        async throws -> ExecutionRecord
    {
        try await finish(id: running.id, result: result, events: events, at: time)
    }

    public func purge(at time: Date) async throws -> Int { 0 }

    public func queueCreate(_ record: ExecutionRecord) -> QueuedWrite {
        QueuedWrite { try await create(record) }
    }

    public func queueJournal(_ entry: StepJournalEntry, execution id: ExecutionID) -> QueuedWrite {
        QueuedWrite { try await appendJournal(entry, execution: id) }
    }

    /// Filters every record of the flow in memory: right for stores that keep few records.
    public func executions(matching query: ExecutionQuery) async throws -> ExecutionPage {
        query.page(of: try await records(flow: query.flow, limit: .max))
    }

    /// Always reachable: right for stores in this process's memory.
    public func checkReachable() async throws {}

    /// No journal: right for stores whose runs end with the process that ran them.
    public var keepsJournal: Bool { false }

    public func appendJournal(_ entry: StepJournalEntry, execution id: ExecutionID) async throws {}

    public func journal(id: ExecutionID) async throws -> [StepJournalEntry] { [] }

    /// Nothing to resume without a journal.
    public func claimInterrupted(maxResumes: Int, limit: Int, at time: Date) async throws -> [ExecutionRecord] { [] }

    /// Takes over every run nobody holds (``claimInterrupted(maxResumes:limit:at:)`` without a limit).
    public func claimInterrupted(maxResumes: Int, at time: Date) async throws -> [ExecutionRecord] {
        try await claimInterrupted(maxResumes: maxResumes, limit: .max, at: time)
    }

    public var sweepInterval: Duration? { nil }

    public func release(id: ExecutionID) async throws {}

    public var sharesRuns: Bool { false }

    public var leasesAreFresh: Bool { !sharesRuns }

    public func cancelRequests(among ids: [ExecutionID]) async throws -> [ExecutionID: String] { [:] }

    public var notices: AsyncStream<StoreNotice>? { nil }

    public func appendLiveEvents(_ events: [ExecutionEvent], from first: Int, execution id: ExecutionID) async throws {}

    public func liveEvents(id: ExecutionID, after position: Int) async throws -> [ExecutionEvent] { [] }
}
