import FlowTesting
import Testing

struct AsyncBarrierTests {
    @Test(.timeLimit(.minutes(1)))
    func opensWhenEveryPartyHasArrived() async throws {
        let barrier = AsyncBarrier(parties: 3)
        #expect(!barrier.isOpen)

        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { try await barrier.arrive() } }
            try await group.waitForAll()
        }

        #expect(barrier.isOpen)
        #expect(barrier.arrivedCount == 3)
        #expect(barrier.parties == 3)
    }

    @Test func laterArrivalsPassOnceOpen() async throws {
        let barrier = AsyncBarrier(parties: 1)

        try await barrier.arrive()
        try await barrier.arrive()

        #expect(barrier.isOpen)
        #expect(barrier.arrivedCount == 1)
    }

    @Test func atLeastOnePartyIsNeeded() async throws {
        let barrier = AsyncBarrier(parties: 0)

        try await barrier.arrive()

        #expect(barrier.parties == 1)
        #expect(barrier.isOpen)
    }

    @Test(.timeLimit(.minutes(1)))
    func aCancelledWaiterStopsWaitingAndNoLongerCounts() async throws {
        let barrier = AsyncBarrier(parties: 2)
        let waiter = Task { try await barrier.arrive() }
        while barrier.arrivedCount < 1 { await Task.yield() }

        waiter.cancel()

        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(barrier.arrivedCount == 0)
        #expect(!barrier.isOpen)
    }

    @Test func aTaskCancelledBeforeArrivingDoesNotCount() async throws {
        let barrier = AsyncBarrier(parties: 2)

        await #expect(throws: CancellationError.self) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.cancelAll()
                group.addTask { try await barrier.arrive() }
                try await group.waitForAll()
            }
        }
        #expect(barrier.arrivedCount == 0)
    }
}
