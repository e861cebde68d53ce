import FlowCore
import Hummingbird
import OrderedCollections

/// `/` and `/health`, in the single-flow and multi-flow shapes of the original.
struct ServiceController {
    let server: ServerContext

    /// `/` and `/health`.
    var routes: RouteCollection<FlowRequestContext> {
        let routes = RouteCollection(context: FlowRequestContext.self)
        routes.get("/") { _, _ in Response.json(root()) }
        routes.get("/health") { _, _ in Response.json(health()) }
        return routes
    }

    static let documentation: FlowValue = ["openapi": "/docs", "redoc": "/redoc", "openapi_json": "/openapi.json"]

    func root() -> FlowValue {
        let flows = server.catalog.flows
        let ready = flows.allSatisfy { $0.readiness.isReady }
        var fields = OrderedDictionary<String, FlowValue>()
        switch server.catalog.mode {
        case .single:
            let flow = flows[0]
            let readiness = flow.readiness
            fields["service"] = "FlowLang API Server"
            fields["version"] = .string(server.configuration.version)
            fields["flow"] = [
                "name": .string(flow.name), "description": flow.definition.description.map(FlowValue.string) ?? .null,
                "ready": .bool(readiness.isReady), "progress": .string(readiness.progress),
                "percentage": .string(readiness.percentageText),
            ]
            fields["status"] = ready ? "ready" : "incomplete"
            fields["documentation"] = Self.documentation
            fields["endpoints"] = endpoints(flow: flow.name)
            fields["message"] = "FlowLang API Server"
            fields["flows"] = [.string(flow.name)]
            fields["flow_status"] = [.init(flow.name): Self.flowStatus(readiness)]
        case .multi:
            var status = OrderedDictionary<String, FlowValue>()
            var walkthroughStatus = OrderedDictionary<String, FlowValue>()
            for flow in flows {
                let readiness = flow.readiness
                status[flow.name] = [
                    "ready": .bool(readiness.isReady), "progress": .string(readiness.progress),
                    "percentage": .string(readiness.percentageText),
                ]
                walkthroughStatus[flow.name] = Self.flowStatus(readiness)
            }
            fields["flow_status"] = .object(walkthroughStatus)
            fields["service"] = "FlowLang Multi-Flow API Server"
            fields["version"] = .string(server.configuration.version)
            fields["status"] = ready ? "ready" : "incomplete"
            fields["flows"] = [
                "count": .int(flows.count), "names": .array(flows.map { .string($0.name) }), "status": .object(status),
            ]
            fields["documentation"] = Self.documentation
            fields["message"] = "FlowLang Multi-Flow API Server"
            var endpoints = endpoints(flow: "{flow_name}").objectValue ?? [:]
            endpoints["projects"] = [
                "list": "/projects", "info": "/projects/{project_name}", "flows": "/projects/{project_name}/flows",
            ]
            fields["endpoints"] = .object(endpoints)
        }
        return .object(fields)
    }

    /// The walkthrough's per-flow status entry.
    static func flowStatus(_ readiness: Readiness) -> FlowValue {
        [
            "tasks_total": .int(readiness.total), "tasks_implemented": .int(readiness.implemented.count),
            "implementation_progress": .string("\(Int(readiness.percentage.rounded()))%"),
            "ready": .bool(readiness.isReady),
        ]
    }

    private func endpoints(flow: String) -> FlowValue {
        let base = "/flows/\(flow)"
        return [
            "info": ["root": "/", "health": "/health"],
            "flows": [
                "list": "/flows", "info": .string(base), "tasks": .string("\(base)/tasks"),
                "visualize": .string("\(base)/visualize"),
            ],
            "execution": [
                "execute": .string("\(base)/execute"), "stream": .string("\(base)/execute/stream"),
                "list_executions": .string("\(base)/executions"),
                "execution_status": .string("\(base)/executions/{execution_id}"),
                "cancel": .string("\(base)/executions/{execution_id}/cancel"),
                "events": .string("\(base)/executions/{execution_id}/events"),
            ],
            "execute": .string("\(base)/execute"), "stream": .string("\(base)/execute/stream"), "health": "/health",
            "docs": "/docs",
        ]
    }

    func health() -> FlowValue {
        let flows = server.catalog.flows
        var fields = OrderedDictionary<String, FlowValue>()
        fields["status"] = "healthy"
        switch server.catalog.mode {
        case .single:
            let flow = flows[0]
            let readiness = flow.readiness
            fields["flow"] = .string(flow.name)
            fields["tasks_implemented"] = .int(readiness.implemented.count)
            fields["tasks_total"] = .int(readiness.total)
            fields["tasks_pending"] = .int(readiness.pending.count)
            fields["implementation_complete"] = .bool(readiness.isReady)
            fields["ready"] = .bool(readiness.isReady)
            fields["pending_task_names"] = .array(readiness.pending.sorted().map(FlowValue.string))
            fields["flows"] = [
                .init(flow.name): [
                    "status": readiness.isReady ? "ready" : "incomplete",
                    "implementation_status": [
                        "progress": .string(readiness.progress), "implementation_complete": .bool(readiness.isReady),
                        "tasks_implemented": .int(readiness.implemented.count),
                        "tasks_pending": .int(readiness.pending.count),
                    ],
                ]
            ]
        case .multi:
            let readiness = flows.map(\.readiness)
            let total = readiness.reduce(0) { $0 + $1.total }
            let implemented = readiness.reduce(0) { $0 + $1.implemented.count }
            fields["server_type"] = "multi-flow"
            fields["flows_count"] = .int(flows.count)
            fields["all_flows_ready"] = .bool(readiness.allSatisfy(\.isReady))
            fields["aggregate_tasks"] = [
                "total": .int(total), "implemented": .int(implemented), "pending": .int(total - implemented),
                "progress": .string("\(implemented)/\(total)"),
            ]
            fields["flows"] = .array(
                zip(flows, readiness).map { flow, readiness in
                    [
                        "name": .string(flow.name), "ready": .bool(readiness.isReady),
                        "tasks_implemented": .int(readiness.implemented.count), "tasks_total": .int(readiness.total),
                        "tasks_pending": .int(readiness.pending.count), "progress": .string(readiness.progress),
                        "pending_task_names": .array(readiness.pending.sorted().map(FlowValue.string)),
                    ]
                }
            )
        }
        fields["executions_running"] = .int(server.executions.runningCount)
        if let connections = connectionHealth() { fields["connections"] = connections }
        let problems = server.catalog.reloadProblems
        if !problems.isEmpty {
            fields["reload_errors"] = .object(
                OrderedDictionary(
                    uniqueKeysWithValues: problems.sorted { $0.key < $1.key }.map { name, diagnostics in
                        (name, FlowValue.array(diagnostics.map { .string($0.description) }))
                    }
                )
            )
        }
        return .object(fields)
    }
}
