import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// A Hummingbird application that marks the server not ready the moment graceful shutdown begins, keeps
/// serving for `drainPeriod` so load balancers see `/ready` fail and stop sending traffic, and only then
/// shuts the wrapped application down (the HTTP server stops accepting and in-flight requests finish).
///
/// It runs the wrapped application and a ``ReadinessDrain`` in a service group of its own, the drain last. A
/// service group follows the graceful shutdown of the task that runs it and passes it on to its services in
/// reverse order, each once the one after it has ended: the drain hears of the shutdown first, and the
/// application, whose server would stop accepting at once, only when the drain is over. The drain cannot be
/// one of the application's own `services`: Hummingbird runs its HTTP server after those, so shuts it down
/// before them.
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
        let drain = ReadinessDrain(shutdown: shutdown, period: drainPeriod, clock: clock, logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [base, drain], logger: logger))
        try await group.run()
    }
}
