import FlowCore
import Hummingbird
import OrderedCollections

/// `/flows`, one flow's info, its tasks and its diagram.
struct FlowsController {
    let server: ServerContext

    /// `/flows`, a flow, its tasks and its diagram, added under each of ``FlowRoutes/prefixes(_:)``.
    var routes: RouteCollection<FlowRequestContext> {
        let routes = RouteCollection(context: FlowRequestContext.self)
        routes.get("/flows") { _, context in
            Response.json(.array(try listed(context).map(info)))
        }
        routes.get("/flows/:flow") { _, context in
            Response.json(info(try server.flow(context)))
        }
        routes.get("/flows/:flow/tasks") { _, context in
            Response.json(Self.tasks(try server.flow(context)))
        }
        routes.get("/flows/:flow/visualize") { request, context in
            let flow = try server.flow(context)
            let format = request.uri.queryParameters.get("format")?.lowercased() ?? "json"
            switch format {
            case "html":
                return Response.html(DiagramPage.html(for: flow.definition), headers: Self.diagramHeaders)
            case "svg":
                return Response.svg(SVGDiagram.render(flow.definition), headers: Self.diagramHeaders)
            case "json", "mermaid":
                return Response.json([
                    "flow": .string(flow.name), "diagram": .string(MermaidDiagram.render(flow.definition)),
                    "format": "mermaid",
                ])
            default:
                throw APIError.envelope(.badRequest, "Unknown format '\(format)'; use json, mermaid, html or svg")
            }
        }
        return routes
    }

    /// The diagram page and image load nothing and run nothing; their only styles are inline.
    static let diagramHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    ]

    /// Every flow (the latest of each versioned one), or the flows served in the path's version.
    private func listed(_ context: some RequestContext) throws -> [ServedFlow] {
        guard let version = try server.version(context) else { return server.catalog.flows }
        let flows = server.catalog.flows(version: version)
        guard !flows.isEmpty else { throw APIError.envelope(.notFound, "No flow has version \(version)") }
        return flows
    }

    /// The flow's info, with `version` and every served `versions` when it is versioned.
    private func info(_ flow: ServedFlow) -> FlowValue {
        guard let version = flow.version, var fields = Self.info(flow).objectValue else { return Self.info(flow) }
        fields["version"] = .string(version)
        fields["versions"] = .array(
            server.catalog.versions(of: flow.name).compactMap { $0.version.map(FlowValue.string) })
        return .object(fields)
    }

    /// The original's FlowInfo: name, description, inputs and outputs as declared.
    static func info(_ flow: ServedFlow) -> FlowValue {
        let definition = flow.definition
        let inputs = definition.inputs.map { input -> FlowValue in
            var fields: OrderedDictionary<String, FlowValue> = [
                "name": .string(input.name), "type": .string(input.type.rawValue), "required": .bool(input.required),
                "description": input.description.map(FlowValue.string) ?? .null,
            ]
            if let defaultValue = input.defaultValue { fields["default"] = defaultValue }
            return .object(fields)
        }
        let outputs = definition.outputs.map { output -> FlowValue in
            [
                "name": .string(output.name), "value": output.value.sourceValue,
                "description": output.description.map(FlowValue.string) ?? .null,
            ]
        }
        let readiness = flow.readiness
        return [
            "name": .string(definition.name), "description": definition.description.map(FlowValue.string) ?? .null,
            "inputs": .array(inputs), "outputs": .array(outputs), "tasks": .int(readiness.total),
            "implementation_complete": .bool(readiness.isReady),
        ]
    }

    /// The tasks the flow calls with their status, and a summary.
    static func tasks(_ flow: ServedFlow) -> FlowValue {
        let readiness = flow.readiness
        var tasks = OrderedDictionary<String, FlowValue>()
        for name in flow.definition.referencedTaskNames {
            let task = flow.registry.task(named: name)
            tasks[name] = [
                "description": task?.description.map(FlowValue.string) ?? .null,
                "implemented": .bool(task?.isImplemented ?? false),
                "registered": .bool(task != nil),
                "builtin": .bool(task?.isBuiltin ?? false),
                "is_async": true,
            ]
        }
        return [
            "flow": .string(flow.name), "tasks": .object(tasks),
            "summary": [
                "total": .int(readiness.total), "implemented": .int(readiness.implemented.count),
                "pending": .int(readiness.pending.count), "percentage": .double(readiness.percentage),
                "progress": .string(readiness.progress),
            ],
        ]
    }
}
