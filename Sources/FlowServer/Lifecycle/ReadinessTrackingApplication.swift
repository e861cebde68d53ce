import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import ServiceLifecycleTestKit

/// A Hummingbird application that marks the server not ready the moment graceful shutdown begins, keeps
/// serving for `drainPeriod` so load balancers see `/ready` fail and stop sending traffic, and only then
/// shuts the wrapped application down (the HTTP server stops accepting and in-flight requests finish).
///
/// Hummingbird's application, like every `ServiceGroup`, follows the graceful shutdown of the task that runs it
/// and would stop accepting at once, so `/ready` could never be seen failing. The wrapped application therefore
/// runs under a graceful-shutdown scope of its own, which this type triggers only after the drain.
/// `testGracefulShutdown` from ServiceLifecycleTestKit is the public way to open such a scope: it binds a fresh
/// shutdown manager for the code inside it and hands back its trigger.
struct ReadinessTrackingApplication<Base: ApplicationProtocol>: ApplicationProtocol {
    typealias Responder = Base.Responder

    let base: Base
    let shutdown: ShutdownState
    let drainPeriod: Duration
    let clock: any Clock<Duration>

    var responder: Responder {
        get async throws { try await base.responder }
    }
    var server: HTTPServerBuilder { base.server }
    var eventLoopGroup: any EventLoopGroup { base.eventLoopGroup }
    var configuration: ApplicationConfiguration { base.configuration }
    var logger: Logger { base.logger }
    var services: [any Service] { base.services }
    var processesRunBeforeServerStart: [@Sendable () async throws -> Void] { base.processesRunBeforeServerStart }

    @Sendable func onServerRunning(_ channel: any Channel) async {
        await base.onServerRunning(channel)
    }

    func run() async throws {
        let (shutdownBegan, shutdownBegins) = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { outer in
            // Outside the private scope: waits for the caller's graceful shutdown (or cancellation).
            outer.addTask {
                try? await gracefulShutdown()
                shutdownBegins.finish()
            }
            try await testGracefulShutdown { application in
                try await drain(application, after: shutdownBegan)
            }
            outer.cancelAll()
        }
    }

    /// Runs the wrapped application until it ends; when `shutdownBegan` finishes, marks the server not ready,
    /// waits the drain period and then shuts the application down through `application`.
    private func drain(_ application: GracefulShutdownTestTrigger, after shutdownBegan: AsyncStream<Void>) async throws
    {
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await base.run()
                return true
            }
            tasks.addTask { [shutdown, drainPeriod, clock, logger] in
                for await _ in shutdownBegan {}
                try Task.checkCancellation()
                shutdown.beginShutdown()
                logger.info("graceful shutdown started; /ready answers 503", metadata: ["drain": "\(drainPeriod)"])
                if drainPeriod > .zero { try await clock.sleep(for: drainPeriod) }
                application.triggerGracefulShutdown()
                return false
            }
            // Done when the application has ended; the watcher is then cancelled if still waiting.
            while let applicationEnded = try await tasks.next() {
                if applicationEnded { break }
            }
            tasks.cancelAll()
        }
    }
}
