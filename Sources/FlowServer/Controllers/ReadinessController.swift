import FlowCore
import Hummingbird
import Logging
import OrderedCollections

/// `/ready`, the readiness probe: 200 when flows are loaded, the execution store answers, every database the
/// flows declare answers `SELECT 1` (`connection_<name>`) and the server is not shutting down; 503 naming the
/// failing checks otherwise. `/health` stays the liveness probe.
struct ReadinessController {
    let server: ServerContext
    let shutdown: ShutdownState

    /// `/ready`.
    var routes: RouteCollection<FlowRequestContext> {
        let routes = RouteCollection(context: FlowRequestContext.self)
        routes.get("/ready") { _, context in
            let (ready, body) = await readiness(logger: context.logger)
            return Response.json(body, status: ready ? .ok : .serviceUnavailable)
        }
        return routes
    }

    /// Whether the server is ready, and the body saying why.
    func readiness(logger: Logger) async -> (Bool, FlowValue) {
        var checks = OrderedDictionary<String, FlowValue>()
        let flowCount = server.catalog.flows.count
        checks["flows_loaded"] = Self.check(
            flowCount > 0, detail: "\(flowCount) flow\(flowCount == 1 ? "" : "s") loaded")
        do {
            try await server.executions.store.checkReachable()
            checks["store_reachable"] = Self.check(true, detail: "execution store answers")
        } catch {
            // The error may name hosts or credentials: it goes to the log, not the response.
            logger.warning("execution store unreachable", metadata: [LogKey.error: "\(error)"])
            checks["store_reachable"] = Self.check(false, detail: "execution store does not answer")
        }
        for (name, connection) in server.catalog.declaredConnections {
            guard let pools = server.executions.connections else { continue }
            if let failure = await pools.probe(connection) {
                logger.warning(
                    "database unreachable", metadata: [LogKey.connection: "\(name)", LogKey.error: "\(failure)"])
                checks["connection_\(name)"] = Self.check(false, detail: "database '\(name)' does not answer")
            } else {
                checks["connection_\(name)"] = Self.check(true, detail: "database '\(name)' answers")
            }
        }
        let shuttingDown = shutdown.isShuttingDown
        checks["not_shutting_down"] = Self.check(
            !shuttingDown,
            detail: shuttingDown ? "graceful shutdown in progress" : "accepting work"
        )
        let ready = checks.values.allSatisfy { $0["ok"] == true }
        return (ready, ["status": ready ? "ready" : "not_ready", "checks": .object(checks)])
    }

    private static func check(_ ok: Bool, detail: String) -> FlowValue {
        ["ok": .bool(ok), "detail": .string(detail)]
    }
}
