import UnixSignals

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs `body`; a SIGINT or SIGTERM arriving meanwhile cancels it, which ends the programs it runs, and then ends
/// this process by that signal, as the signal would have without this.
///
/// ``ChildProcess`` starts each child in a process group of its own, so the Ctrl-C a terminal sends to
/// flowlang's group no longer reaches it: a command that runs children outside a scope that already turns these
/// signals into cancellation (watch's session, serve's service group) runs them in here, so none outlives it.
package func endingChildrenOnInterrupt<T: Sendable>(_ body: @escaping @Sendable () async throws -> T)
    async throws -> T
{
    let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
    let outcome = try await withThrowingTaskGroup(of: InterruptibleOutcome<T>?.self) { group in
        group.addTask { .finished(try await body()) }
        group.addTask {
            for await signal in signals { return .interrupted(signal.rawValue) }
            return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
    switch outcome {
    case .finished(let value):
        return value
    case .interrupted(let number):
        // The group above waited for `body` to end, and its children with it.
        signal(number, SIG_DFL)
        kill(getpid(), number)
        throw CancellationError()
    case nil:
        throw CancellationError()
    }
}

/// How an ``endingChildrenOnInterrupt(_:)`` body ended.
private enum InterruptibleOutcome<T: Sendable>: Sendable {
    case finished(T)
    case interrupted(Int32)
}
