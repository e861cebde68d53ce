import FlowCore
import Hummingbird

/// `GET /flows/{flow}/triggers` and `GET /flows/{flow}/triggers/{id}`: what each trigger is and has done.
struct TriggersController {
    let server: ServerContext
    let triggers: TriggerRegistry

    /// A flow's triggers and one trigger.
    var routes: RouteCollection<FlowRequestContext> {
        let routes = RouteCollection(context: FlowRequestContext.self)
        routes.get("/flows/:flow/triggers") { _, context in
            let flow = try server.flow(context)
            let statuses = triggers.statuses(of: flow.name)
            return Response.json([
                "flow": .string(flow.name), "triggers": .array(statuses), "count": .int(statuses.count),
            ])
        }
        routes.get("/flows/:flow/triggers/:trigger") { _, context in
            let flow = try server.flow(context)
            let id = try context.parameters.require("trigger")
            guard let status = triggers.status(of: flow.name, id: id) else {
                throw APIError.envelope(.notFound, "Trigger not found: \(id)")
            }
            return Response.json(status)
        }
        return routes
    }
}
