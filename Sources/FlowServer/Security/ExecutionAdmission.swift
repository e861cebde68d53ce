import HTTPTypes
import Synchronization

/// `MAX_CONCURRENT_EXECUTIONS`: one count of permits, held by requests that may start an execution and by
/// the executions they start, so nothing can admit more than the limit.
///
/// A request to an execute route or a webhook takes a permit before its body is read
/// (``admitted(queueable:_:)``), or is refused with 503 and `Retry-After: 1`: a refused client can retry or go
/// to another replica at once, and holding requests would hold connections and memory exactly when the server
/// is busiest. The execution the request starts claims that permit (``ExecutionPermit/current``) and returns
/// it when it ends, however long it outlives the request (asynchronous runs, streams); a request that starts
/// nothing returns it when answered. Executions no request admitted (scheduled runs) take a permit regardless
/// of the limit, so they count while they run. Without a limit nothing is counted.
///
/// With a store whose runs several instances share (``queuesWhenFull``), an asynchronous request (its client
/// does not wait for the result) is not refused: it is answered without a permit, with ``queued`` set, and the
/// execution it starts is stored for whichever instance has room to claim (this one included, once a run ends).
final class ExecutionAdmission: Sendable {
    let limit: Int?
    /// Whether asynchronous runs beyond the limit are queued in the store instead of refused.
    let queuesWhenFull: Bool
    private let held = Mutex(0)

    /// Set while answering a request admitted beyond the limit to queue its execution.
    @TaskLocal static var queued = false

    init(limit: Int?, queuesWhenFull: Bool = false) {
        self.limit = limit
        self.queuesWhenFull = queuesWhenFull
    }

    /// How many more executions fit under the limit now; nil without a limit.
    var room: Int? { limit.map { limit in max(0, limit - heldCount) } }

    /// Permits held now: requests being answered that have not started an execution, and running executions.
    var heldCount: Int { held.withLock { $0 } }

    /// Runs `body` holding a permit (``ExecutionPermit/current`` while it runs), or throws the 503 answer when
    /// the limit is reached. The permit is returned when `body` ends unless an execution claimed it.
    ///
    /// A `queueable` request (one starting an asynchronous run) beyond the limit runs `body` without a permit
    /// and with ``queued`` set instead, when the store ``queuesWhenFull``.
    func admitted<Result>(queueable: Bool = false, _ body: () async throws -> Result) async throws -> Result {
        guard let limit else { return try await body() }
        let entered = held.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
        if !entered, queueable, queuesWhenFull {
            return try await Self.$queued.withValue(true) { try await body() }
        }
        guard entered else {
            var error = APIError.envelope(
                .serviceUnavailable, "Too many executions running (limit \(limit)); retry shortly")
            error.headers[.retryAfter] = "1"
            throw error
        }
        let permit = ExecutionPermit(admission: self)
        defer { permit.releaseUnlessClaimed() }
        return try await ExecutionPermit.$current.withValue(permit) { try await body() }
    }

    /// A permit for an execution no request admitted: counted, never refused. Nil without a limit.
    func unconditionalPermit() -> ExecutionPermit? {
        guard limit != nil else { return nil }
        held.withLock { $0 += 1 }
        return ExecutionPermit(admission: self, claimed: true)
    }

    fileprivate func returnPermit() {
        held.withLock { $0 -= 1 }
    }
}

/// One unit of ``ExecutionAdmission``'s count, returned exactly once.
///
/// The admitting request holds it first; the execution it starts claims it (``claim()``) and releases it
/// when it ends. A permit dropped without a release (a stream whose body never ran) is returned when freed,
/// so the count cannot leak.
final class ExecutionPermit: Sendable {
    /// The permit of the request being answered, when an execution limit applies.
    @TaskLocal static var current: ExecutionPermit?

    private enum State { case held, claimed, released }
    private let admission: ExecutionAdmission
    private let state: Mutex<State>

    fileprivate init(admission: ExecutionAdmission, claimed: Bool = false) {
        self.admission = admission
        state = Mutex(claimed ? .claimed : .held)
    }

    /// Takes the permit over from the request: the caller releases it when its execution ends.
    func claim() -> ExecutionPermit {
        state.withLock { if $0 == .held { $0 = .claimed } }
        return self
    }

    /// Returns the permit; later calls do nothing.
    func release() {
        let returning = state.withLock { state in
            defer { state = .released }
            return state != .released
        }
        if returning { admission.returnPermit() }
    }

    fileprivate func releaseUnlessClaimed() {
        let returning = state.withLock { state in
            guard state == .held else { return false }
            state = .released
            return true
        }
        if returning { admission.returnPermit() }
    }

    deinit {
        if state.withLock({ $0 != .released }) { admission.returnPermit() }
    }
}
