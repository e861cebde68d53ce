/// A circuit breaker's bookkeeping, free of side effects: callers pass the time and act on what it returns.
///
/// Every call takes a ``Ticket`` from ``acquire(at:)`` and hands it back with its outcome. Tickets carry the
/// breaker's generation, which changes on every transition, so a slow call that started before the breaker
/// opened (or closed) cannot skew the counts of the state that followed.
struct CircuitBreakerStateMachine {
    struct Ticket: Equatable {
        var generation: Int
        var isTrial: Bool
    }

    enum Permission: Equatable {
        case allowed(Ticket)
        /// `retryAfter` is nil when half-open with every trial slot taken.
        case rejected(retryAfter: Duration?)
    }

    enum Outcome: Equatable {
        case success
        case failure
        /// Neither: the call was cancelled. A trial slot is freed.
        case ignored
    }

    struct Change: Equatable {
        var from: CircuitBreakerState
        var to: CircuitBreakerState
    }

    private(set) var state: CircuitBreakerState = .closed
    private let configuration: CircuitBreakerConfiguration
    private var generation = 0
    private var consecutiveFailures = 0
    private var window: OutcomeWindow
    private var openedAt: Duration = .zero
    private var trialsRunning = 0
    private var trialSuccesses = 0

    init(configuration: CircuitBreakerConfiguration) {
        self.configuration = configuration
        switch configuration.failureThreshold {
        case .consecutive: window = OutcomeWindow(capacity: 0)
        case .rate(_, let size, _): window = OutcomeWindow(capacity: size)
        }
    }

    /// Whether a call may start at `now` (time since the breaker was made); may move open to half-open.
    mutating func acquire(at now: Duration) -> (Permission, Change?) {
        var change: Change?
        if state == .open {
            let reopensAt = openedAt + configuration.openDuration
            guard now >= reopensAt else { return (.rejected(retryAfter: reopensAt - now), nil) }
            change = move(to: .halfOpen, at: now)
        }
        switch state {
        case .closed:
            return (.allowed(Ticket(generation: generation, isTrial: false)), change)
        case .halfOpen where trialsRunning < configuration.halfOpenTrialCalls:
            trialsRunning += 1
            return (.allowed(Ticket(generation: generation, isTrial: true)), change)
        case .halfOpen, .open:
            return (.rejected(retryAfter: nil), change)
        }
    }

    /// Counts a finished call; may open or close the breaker.
    mutating func record(_ outcome: Outcome, for ticket: Ticket, at now: Duration) -> Change? {
        guard ticket.generation == generation else { return nil }
        if ticket.isTrial {
            trialsRunning -= 1
            switch outcome {
            case .success:
                trialSuccesses += 1
                return trialSuccesses >= configuration.halfOpenTrialCalls ? move(to: .closed, at: now) : nil
            case .failure:
                return move(to: .open, at: now)
            case .ignored:
                return nil
            }
        }
        switch outcome {
        case .success:
            consecutiveFailures = 0
            window.append(failed: false)
            return nil
        case .failure:
            consecutiveFailures += 1
            window.append(failed: true)
            return isTripped ? move(to: .open, at: now) : nil
        case .ignored:
            return nil
        }
    }

    private var isTripped: Bool {
        switch configuration.failureThreshold {
        case .consecutive(let count):
            return consecutiveFailures >= count
        case .rate(let rate, _, let minimumCalls):
            return window.count >= minimumCalls && Double(window.failures) >= rate * Double(window.count)
        }
    }

    private mutating func move(to next: CircuitBreakerState, at now: Duration) -> Change {
        let change = Change(from: state, to: next)
        state = next
        generation += 1
        consecutiveFailures = 0
        window.removeAll()
        trialsRunning = 0
        trialSuccesses = 0
        if next == .open { openedAt = now }
        return change
    }
}

/// The outcomes of the last `capacity` calls, as a ring buffer.
struct OutcomeWindow {
    private var outcomes: [Bool] = []
    private var next = 0
    private let capacity: Int
    private(set) var failures = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { outcomes.count }

    mutating func append(failed: Bool) {
        guard capacity > 0 else { return }
        if outcomes.count < capacity {
            outcomes.append(failed)
        } else {
            if outcomes[next] { failures -= 1 }
            outcomes[next] = failed
            next = (next + 1) % capacity
        }
        if failed { failures += 1 }
    }

    mutating func removeAll() {
        outcomes.removeAll(keepingCapacity: true)
        next = 0
        failures = 0
    }
}
