import FlowCore
import Hummingbird

/// What every controller needs: the flows, the executions and the settings.
struct ServerContext: Sendable {
    let catalog: FlowCatalog
    let executions: ExecutionService
    /// The concurrent-execution limit, for routes that start executions outside the execute routes (webhooks).
    let admission: ExecutionAdmission
    let configuration: ServerConfiguration
    /// The clock of timers that serve requests (SSE pings), injected by tests.
    let clock: any Clock<Duration>

    /// The flow named in the path (the version in the path, or the latest), or a 404 in the original's words.
    func flow(_ context: some RequestContext) throws -> ServedFlow {
        let name = try context.parameters.require("flow")
        if let version = try version(context) {
            guard let flow = catalog.flow(named: name, version: version) else {
                throw APIError.envelope(.notFound, catalog.notFoundMessage(for: name, version: version))
            }
            return flow
        }
        guard let flow = catalog.flow(named: name) else {
            throw APIError.envelope(.notFound, catalog.notFoundMessage(for: name))
        }
        return flow
    }

    /// The version of a `/{version}/flows/…` path; a first segment that is not `v<number>` is an unknown route.
    func version(_ context: some RequestContext) throws -> String? {
        guard let version = context.parameters.get("version") else { return nil }
        guard FlowVersion.isLabel(version) else { throw APIError.detail(.notFound, "Not Found") }
        return version
    }
}

/// Where the flow routes are registered: `/flows/…` (the latest version), and `/{version}/flows/…` when the
/// catalog serves versioned flows.
enum FlowRoutes {
    static func prefixes(_ catalog: FlowCatalog) -> [String] {
        catalog.hasVersions ? ["", "/:version"] : [""]
    }
}

extension RouterMethods {
    /// Adds `collection` under each of `prefixes`, in order.
    @discardableResult func addRoutes(_ collection: RouteCollection<Context>, atEach prefixes: [String]) -> Self {
        for prefix in prefixes { addRoutes(collection, atPath: RouterPath(prefix)) }
        return self
    }
}

extension Readiness {
    /// `"66.7%"`: one decimal and a percent sign, as the original formats it.
    var percentageText: String { "\(oneDecimal(percentage))%" }
}

/// A number with exactly one decimal, e.g. `100.0`.
func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
}
