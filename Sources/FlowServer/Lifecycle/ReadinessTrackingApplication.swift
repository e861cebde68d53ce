import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// A Hummingbird application that marks the server not ready the moment graceful shutdown begins, keeps
/// serving for `drainPeriod` so load balancers see `/ready` fail and stop sending traffic, and only then
/// shuts the wrapped application down (the HTTP server stops accepting and in-flight requests finish).
///
/// The wrapped application runs in a service group of its own, so the outer shutdown reaches it only
/// after the drain; Hummingbird would otherwise stop accepting at once and `/ready` could never be seen.
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
        let application = ServiceGroup(configuration: .init(services: [base], logger: logger))
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await application.run()
                return true
            }
            tasks.addTask { [shutdown, drainPeriod, clock, logger] in
                try await gracefulShutdown()
                shutdown.beginShutdown()
                logger.info("graceful shutdown started; /ready answers 503", metadata: ["drain": "\(drainPeriod)"])
                if drainPeriod > .zero { try await clock.sleep(for: drainPeriod) }
                await application.triggerGracefulShutdown()
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
