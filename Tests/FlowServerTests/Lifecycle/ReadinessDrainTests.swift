import FlowTesting
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@testable import FlowServer

/// The drain that runs after the application in its service group: not ready from the start of a graceful
/// shutdown, and done only once the drain period has passed.
@Suite(.timeLimit(.minutes(1)))
struct ReadinessDrainTests {
    static func drain(_ shutdown: ShutdownState, clock: ManualClock) -> ReadinessDrain {
        ReadinessDrain(shutdown: shutdown, period: .seconds(15), clock: clock, logger: Logger(label: "drain"))
    }

    @Test func aGracefulShutdownMarksTheServerNotReadyAndTheDrainEndsWhenItsPeriodHasPassed() async throws {
        let shutdown = ShutdownState()
        let clock = ManualClock()
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await Self.drain(shutdown, clock: clock).run() }
                #expect(!shutdown.isShuttingDown)
                trigger.triggerGracefulShutdown()
                await clock.waitForSleepers(count: 1)
                #expect(shutdown.isShuttingDown)
                #expect(clock.requestedSleeps == [.seconds(15)])
                clock.advance(by: .seconds(15))
                try await group.waitForAll()
            }
        }
    }

    @Test func cancelledBeforeAnyShutdownItEndsWithoutMarkingTheServerNotReady() async throws {
        let shutdown = ShutdownState()
        let clock = ManualClock()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Self.drain(shutdown, clock: clock).run() }
            group.cancelAll()
            try await group.waitForAll()
        }
        #expect(!shutdown.isShuttingDown)
        #expect(clock.requestedSleeps.isEmpty)
    }
}
