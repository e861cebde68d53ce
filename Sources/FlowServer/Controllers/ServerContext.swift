import FlowCore
import Hummingbird

/// What every controller needs: the flows, the executions and the settings.
struct ServerContext: Sendable {
    let catalog: FlowCatalog
    let executions: ExecutionService
    let configuration: ServerConfiguration

    /// The flow named in the path, or a 404 in the original's words.
    func flow(_ context: some RequestContext) throws -> ServedFlow {
        let name = try context.parameters.require("flow")
        guard let flow = catalog.flow(named: name) else { throw APIError.envelope(.notFound, catalog.notFoundMessage(for: name)) }
        return flow
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
