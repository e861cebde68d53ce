import FlowCore
import FlowTesting
import Synchronization
import Testing

/// State transitions of a circuit breaker, driven by a manual clock.
struct CircuitBreakerTests {
    struct GatewayDown: Error {}
    struct CardDeclined: Error {}

    let clock = ManualClock()

    func makeBreaker(
        _ configuration: CircuitBreakerConfiguration = CircuitBreakerConfiguration(
            failureThreshold: .consecutive(3),
            openDuration: .seconds(30)
        ),
        transitions: TransitionLog? = nil
    ) -> CircuitBreaker {
        CircuitBreaker(name: "gateway", configuration: configuration, clock: clock, onTransition: transitions?.append)
    }

    func fail(_ breaker: CircuitBreaker, times: Int = 1) async {
        for _ in 0..<times {
            await #expect(throws: GatewayDown.self) { try await breaker.run { throw GatewayDown() } }
        }
    }

    @Test func opensAfterConsecutiveFailuresAndRejectsWithoutCalling() async throws {
        let breaker = makeBreaker()
        await fail(breaker, times: 2)
        #expect(breaker.state == .closed)
        await fail(breaker)
        #expect(breaker.state == .open)

        let calls = CallCounter()
        clock.advance(by: .seconds(10))
        let error = await #expect(throws: CircuitOpenError.self) {
            try await breaker.run { calls.increment() }
        }
        #expect(calls.value == 0)
        #expect(error == CircuitOpenError(breaker: "gateway", state: .open, retryAfter: .seconds(20)))
        #expect(error?.description == "circuit breaker 'gateway' is open; calls are rejected for another 20.0 s")
    }

    @Test func aSuccessResetsTheConsecutiveFailureCount() async throws {
        let breaker = makeBreaker()
        await fail(breaker, times: 2)
        #expect(try await breaker.run { 42 } == 42)
        await fail(breaker, times: 2)
        #expect(breaker.state == .closed)
    }

    @Test func closedToOpenToHalfOpenToClosedOnTheClock() async throws {
        let transitions = TransitionLog()
        let breaker = makeBreaker(transitions: transitions)
        await fail(breaker, times: 3)
        clock.advance(by: .seconds(29))
        await #expect(throws: CircuitOpenError.self) { try await breaker.run { "too early" } }

        clock.advance(by: .seconds(1))
        #expect(try await breaker.run { "trial" } == "trial")
        #expect(breaker.state == .closed)
        #expect(transitions.states == [.closed, .open, .halfOpen, .closed])
    }

    @Test func aFailedTrialCallOpensTheBreakerForAFullOpenDurationAgain() async throws {
        let transitions = TransitionLog()
        let breaker = makeBreaker(transitions: transitions)
        await fail(breaker, times: 3)
        clock.advance(by: .seconds(30))
        await fail(breaker)
        #expect(breaker.state == .open)
        #expect(transitions.states == [.closed, .open, .halfOpen, .open])

        clock.advance(by: .seconds(5))
        let error = await #expect(throws: CircuitOpenError.self) { try await breaker.run { 1 } }
        #expect(error?.retryAfter == .seconds(25))
    }

    @Test func halfOpenNeedsEveryTrialCallToSucceedBeforeClosing() async throws {
        let breaker = makeBreaker(
            CircuitBreakerConfiguration(
                failureThreshold: .consecutive(1), openDuration: .seconds(5), halfOpenTrialCalls: 2)
        )
        await fail(breaker)
        clock.advance(by: .seconds(5))
        _ = try await breaker.run { 1 }
        #expect(breaker.state == .halfOpen)
        _ = try await breaker.run { 2 }
        #expect(breaker.state == .closed)
    }

    @Test func halfOpenRejectsCallsBeyondItsTrialSlotsWhileTheTrialRuns() async throws {
        let breaker = makeBreaker(
            CircuitBreakerConfiguration(failureThreshold: .consecutive(1), openDuration: .seconds(5)))
        await fail(breaker)
        clock.advance(by: .seconds(5))
        let entered = AsyncBarrier(parties: 2)
        let release = AsyncBarrier(parties: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await breaker.run {
                    try await entered.arrive()
                    try await release.arrive()
                }
            }
            try await entered.arrive()
            let error = await #expect(throws: CircuitOpenError.self) { try await breaker.run { 0 } }
            #expect(error == CircuitOpenError(breaker: "gateway", state: .halfOpen, retryAfter: nil))
            #expect(error?.description.contains("half-open") == true)
            try await release.arrive()
            try await group.waitForAll()
        }
        #expect(breaker.state == .closed)
    }

    @Test func aSlowCallStartedBeforeTheBreakerOpenedDoesNotCountAfterwards() async throws {
        let breaker = makeBreaker(
            CircuitBreakerConfiguration(failureThreshold: .consecutive(2), openDuration: .seconds(5)))
        let entered = AsyncBarrier(parties: 2)
        let release = AsyncBarrier(parties: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                let late = await #expect(throws: GatewayDown.self) {
                    try await breaker.run {
                        try await entered.arrive()
                        try await release.arrive()
                        throw GatewayDown()
                    }
                }
                #expect(late != nil)
            }
            try await entered.arrive()
            await fail(breaker, times: 2)
            clock.advance(by: .seconds(5))
            _ = try await breaker.run { "trial" }
            #expect(breaker.state == .closed)
            try await release.arrive()
            try await group.waitForAll()
        }
        // The slow failure belonged to the first closed period: the new one starts from zero failures.
        await fail(breaker)
        #expect(breaker.state == .closed)
    }

    @Test func failureRateOverAWindowOpensOnceEnoughCallsWereSeen() async throws {
        let breaker = makeBreaker(
            CircuitBreakerConfiguration(
                failureThreshold: .rate(0.5, window: 4, minimumCalls: 4), openDuration: .seconds(5))
        )
        _ = try await breaker.run { 1 }
        await fail(breaker, times: 2)
        #expect(breaker.state == .closed) // 2 of 3 failed, but fewer than 4 calls seen
        await fail(breaker)
        #expect(breaker.state == .open) // 3 of 4 failed
    }

    @Test func failureRateWindowForgetsTheOldestCalls() async throws {
        let breaker = makeBreaker(
            CircuitBreakerConfiguration(
                failureThreshold: .rate(0.75, window: 4, minimumCalls: 4), openDuration: .seconds(5))
        )
        await fail(breaker, times: 2)
        for _ in 0..<4 { _ = try await breaker.run { 1 } }
        await fail(breaker, times: 2)
        #expect(breaker.state == .closed) // the window holds success, success, failure, failure
        await fail(breaker)
        #expect(breaker.state == .open) // success, failure, failure, failure
    }

    @Test func errorsThatAreNotFailuresCountAsSuccesses() async throws {
        let breaker = makeBreaker(
            CircuitBreakerConfiguration(failureThreshold: .consecutive(2), isFailure: { !($0 is CardDeclined) })
        )
        await fail(breaker)
        await #expect(throws: CardDeclined.self) { try await breaker.run { throw CardDeclined() } }
        await fail(breaker)
        #expect(breaker.state == .closed)
    }

    @Test func cancellationIsNeitherSuccessNorFailure() async throws {
        let breaker = makeBreaker(CircuitBreakerConfiguration(failureThreshold: .consecutive(2)))
        await fail(breaker)
        await #expect(throws: CancellationError.self) { try await breaker.run { throw CancellationError() } }
        await fail(breaker)
        #expect(breaker.state == .open)
    }

    @Test func configurationClampsValuesOutOfRange() {
        let configuration = CircuitBreakerConfiguration(
            failureThreshold: .rate(3, window: 0, minimumCalls: 9),
            openDuration: .seconds(-1),
            halfOpenTrialCalls: 0
        )
        #expect(configuration.failureThreshold == .rate(1, window: 1, minimumCalls: 1))
        #expect(configuration.openDuration == .zero)
        #expect(configuration.halfOpenTrialCalls == 1)
        #expect(CircuitBreakerConfiguration(failureThreshold: .consecutive(-4)).failureThreshold == .consecutive(1))
    }
}

/// Transitions seen by an `onTransition` observer, as the sequence of states visited.
final class TransitionLog: Sendable {
    private let transitions = Mutex<[CircuitBreakerTransition]>([])

    @Sendable func append(_ transition: CircuitBreakerTransition) {
        transitions.withLock { $0.append(transition) }
    }

    var all: [CircuitBreakerTransition] { transitions.withLock { $0 } }

    /// The first transition's origin followed by every destination.
    var states: [CircuitBreakerState] {
        let all = self.all
        guard let first = all.first else { return [] }
        return [first.from] + all.map(\.to)
    }
}

/// Counts calls of an operation under test.
final class CallCounter: Sendable {
    private let count = Mutex(0)

    func increment() { count.withLock { $0 += 1 } }

    var value: Int { count.withLock { $0 } }
}
