import FlowCore
import OrderedCollections

/// A route the router serves: the method and the path pattern with captures in braces
/// (`POST /flows/{flow}/execute` as Hummingbird prints it, `/flows/{flow_name}/execute` once normalized).
struct RegisteredRoute: Hashable, Sendable {
    /// The HTTP method, upper case.
    var method: String
    /// The path pattern.
    var path: String
}

/// What the document says about one operation, apart from its path parameters and operation id.
struct OperationDescription {
    /// The stem of the operation id, FastAPI's endpoint function name (`execute_flow`).
    var name: String
    var tag: String
    var summary: String
    var description: String
    /// Query and header parameters; the document adds the path's own parameters.
    var parameters: [FlowValue] = []
    var requestBody: FlowValue? = nil
    var responses: OrderedDictionary<String, FlowValue>
}

/// The descriptions of every route the controllers register, in the order the document lists them.
///
/// Texts follow the original server's where it had them; responses describe what this server answers.
enum OpenAPIOperations {
    /// The routes described here, in document order.
    static let documentedRoutes: [RegisteredRoute] = [
        .init(method: "GET", path: "/"),
        .init(method: "GET", path: "/health"),
        .init(method: "GET", path: "/ready"),
        .init(method: "GET", path: "/flows"),
        .init(method: "GET", path: "/flows/{flow_name}"),
        .init(method: "POST", path: "/flows/{flow_name}/execute"),
        .init(method: "POST", path: "/flows/{flow_name}/execute/stream"),
        .init(method: "GET", path: "/flows/{flow_name}/tasks"),
        .init(method: "GET", path: "/flows/{flow_name}/visualize"),
        .init(method: "GET", path: "/flows/{flow_name}/executions"),
        .init(method: "GET", path: "/flows/{flow_name}/executions/{execution_id}"),
        .init(method: "POST", path: "/flows/{flow_name}/executions/{execution_id}/cancel"),
        .init(method: "POST", path: "/flows/{flow_name}/cancel"),
        .init(method: "GET", path: "/flows/{flow_name}/executions/{execution_id}/events"),
        .init(method: "GET", path: "/executions"),
        .init(method: "GET", path: "/flows/{flow_name}/triggers"),
        .init(method: "GET", path: "/flows/{flow_name}/triggers/{trigger_id}"),
        .init(method: "GET", path: "/projects"),
        .init(method: "GET", path: "/projects/{project_name}"),
        .init(method: "GET", path: "/projects/{project_name}/flows"),
    ]

    /// The description of `route`.
    ///
    /// - Parameters:
    ///   - flow: the typed schemas of the one flow the path serves; `nil` for the untyped `FlowExecuteRequest`.
    ///   - concrete: whether the path names its flow (`/flows/HelloWorld/…`), so it never answers
    ///     "Flow not found"; `{flow_name}` paths can.
    ///   - needsInputs: whether the flow has inputs a caller must give, making the body required.
    static func describe(_ route: RegisteredRoute, flow: FlowSchemaNames?, concrete: Bool, needsInputs: Bool)
        -> OperationDescription
    {
        let flowMissing = concrete ? nil : "Flow not found"
        switch (route.method, route.path) {
        case ("GET", "/"):
            return .init(
                name: "root", tag: "Info", summary: "Root",
                description: "API root - returns basic information and available endpoints",
                responses: ["200": json("ServiceInfo", "Successful Response")]
            )
        case ("GET", "/health"):
            return .init(
                name: "health", tag: "Health", summary: "Health",
                description: """
                    Health check endpoint

                    Returns service health and implementation status.
                    The 'ready' field is true only when ALL tasks are implemented.
                    """,
                responses: ["200": json("HealthResponse", "Successful Response")]
            )
        case ("GET", "/ready"):
            return .init(
                name: "ready", tag: "Health", summary: "Ready",
                description: """
                    Readiness probe: 200 when flows are loaded, the execution store answers and the server is not \
                    shutting down; 503 naming the failing checks otherwise. Never needs an API key.
                    """,
                responses: [
                    "200": json(readinessSchema, "Ready to accept work"),
                    "503": json(readinessSchema, "Not ready; the checks say why"),
                ]
            )
        case ("GET", "/flows"):
            return .init(
                name: "list_flows", tag: "Flows", summary: "List Flows", description: "List all available flows",
                responses: ["200": json(JSONSchema.array(of: JSONSchema.ref("FlowInfo")), "Successful Response")]
            )
        case ("GET", "/flows/{flow_name}"):
            return .init(
                name: "get_flow_info", tag: "Flows", summary: "Get Flow Info",
                description: "Get information about a specific flow",
                responses: responses(["200": json("FlowInfo", "Successful Response")], notFound: flowMissing)
            )
        case ("POST", "/flows/{flow_name}/execute"):
            return execute(flow: flow, concrete: concrete, needsInputs: needsInputs)
        case ("POST", "/flows/{flow_name}/execute/stream"):
            return stream(flow: flow, concrete: concrete, needsInputs: needsInputs)
        case ("GET", "/flows/{flow_name}/tasks"):
            return .init(
                name: "list_tasks", tag: "Tasks", summary: "List Tasks",
                description: "List all tasks for a flow with implementation status",
                responses: responses(["200": json("TaskList", "Successful Response")], notFound: flowMissing)
            )
        case ("GET", "/flows/{flow_name}/visualize"):
            return visualize(flowMissing: flowMissing)
        case ("GET", "/flows/{flow_name}/executions"):
            return .init(
                name: "list_executions", tag: "Execution", summary: "List Executions",
                description: """
                    List the executions of a flow (running and finished), in the order they started.

                    Shows status, start time, and other execution metadata; results are left out.
                    """,
                parameters: [
                    query(
                        "limit",
                        ["type": "integer", "minimum": 0, "maximum": .int(Int.max), "default": 100],
                        "How many of the most recent executions to list"
                    )
                ],
                responses: responses(
                    [
                        "200": json("ExecutionList", "List of executions"),
                        "422": json("HTTPValidationError", "limit is not a whole number from 0 up"),
                    ],
                    notFound: flowMissing
                )
            )
        case ("GET", "/flows/{flow_name}/executions/{execution_id}"):
            return .init(
                name: "get_execution_status", tag: "Execution", summary: "Get Execution Status",
                description: """
                    Get status and details of a specific execution.

                    Returns execution metadata including status, timing, and results.
                    """,
                responses: responses(
                    ["200": json("ExecutionRecord", "Execution details")],
                    notFound: concrete ? "Execution not found" : "Flow or execution not found"
                )
            )
        case ("POST", "/flows/{flow_name}/executions/{execution_id}/cancel"):
            return .init(
                name: "cancel_execution", tag: "Execution", summary: "Cancel Execution",
                description: """
                    Cancel a running flow execution.

                    The execution stops as soon as it can and the flow's on_cancel steps run. An execution \
                    that already ended answers success false with its status.
                    """,
                responses: responses(
                    ["200": json("CancelResponse", "Cancellation requested, or the execution had already ended")],
                    notFound: concrete ? "Execution not found" : "Flow or execution not found"
                )
            )
        case ("POST", "/flows/{flow_name}/cancel"):
            return .init(
                name: "cancel_flow", tag: "Execution", summary: "Cancel Flow",
                description: """
                    Cancel a running execution named in the body (`{"execution_id": "…"}`) or the \
                    `execution_id` query parameter, as the deployment walkthrough's client does.

                    Answers `cleanup_handlers`: `running` when the flow's on_cancel steps now run, `none` when \
                    it has none. An execution that already ended answers success false with its status.
                    """,
                parameters: [
                    [
                        "name": "execution_id", "in": "query", "required": false,
                        "schema": ["type": "string", "minLength": 1],
                        "description": "The execution, instead of the body",
                    ]
                ],
                requestBody: [
                    "description": "Names the execution unless the execution_id query parameter does",
                    "required": false,
                    "content": ["application/json": ["schema": JSONSchema.ref("CancelRequest")]],
                ],
                responses: responses(
                    [
                        "200": json("CancelResponse", "Cancellation requested, or the execution had already ended"),
                        "413": error("Request body too large"),
                        "422": json("HTTPValidationError", "No execution_id in the query or the body"),
                    ],
                    notFound: concrete ? "Execution not found" : "Flow or execution not found"
                )
            )
        case ("GET", "/flows/{flow_name}/executions/{execution_id}/events"):
            return events(concrete: concrete)
        case ("GET", "/flows/{flow_name}/triggers"):
            return .init(
                name: "list_triggers", tag: "Triggers", summary: "List Triggers",
                description: """
                    List all triggers for a flow.

                    Returns information about all triggers configured for the flow including:
                    - Trigger ID
                    - Trigger type (webhook, schedule, etc.)
                    - Status (running, stopped)
                    - Configuration details
                    """,
                responses: responses(["200": json("TriggerList", "Successful Response")], notFound: flowMissing)
            )
        case ("GET", "/flows/{flow_name}/triggers/{trigger_id}"):
            return .init(
                name: "get_trigger_status", tag: "Triggers", summary: "Get Trigger Status",
                description: """
                    Get detailed status of a specific trigger.

                    Returns:
                    - Trigger ID
                    - Trigger type
                    - Running status
                    - Configuration
                    - Statistics (execution count, last triggered, etc.)
                    """,
                responses: responses(
                    ["200": json("TriggerStatus", "Successful Response")],
                    notFound: concrete ? "Trigger not found" : "Flow or trigger not found"
                )
            )
        case ("GET", "/executions"):
            return executionPage
        case ("GET", "/projects"):
            return .init(
                name: "list_projects", tag: "Projects", summary: "List Projects",
                description: "List all projects with their flows",
                responses: ["200": json("ProjectList", "Successful Response")]
            )
        case ("GET", "/projects/{project_name}"):
            return .init(
                name: "get_project_info", tag: "Projects", summary: "Get Project Info",
                description: "Get information about a project and the readiness of its flows",
                responses: responses(["200": json("ProjectInfo", "Successful Response")], notFound: "Project not found")
            )
        case ("GET", "/projects/{project_name}/flows"):
            return .init(
                name: "list_project_flows", tag: "Projects", summary: "List Project Flows",
                description: "List the flows of a project",
                responses: responses(
                    ["200": json(JSONSchema.array(of: JSONSchema.ref("FlowInfo")), "Successful Response")],
                    notFound: "Project not found"
                )
            )
        case ("GET", "/metrics"):
            return .init(
                name: "metrics", tag: "Health", summary: "Metrics",
                description: "The server's metrics in the Prometheus text exposition format (version 0.0.4).",
                responses: [
                    "200": [
                        "description": "Metrics, one sample a line",
                        "content": ["text/plain": ["schema": JSONSchema.string("Prometheus text format 0.0.4")]],
                    ]
                ]
            )
        default:
            return .init(
                name: "route", tag: "Other", summary: "\(route.method) \(route.path)",
                description: "A route the server registers that this document does not describe in detail.",
                responses: ["200": json(JSONSchema.any(), "Successful Response")]
            )
        }
    }

    private static var executionPage: OperationDescription {
        let text: FlowValue = ["type": "string"]
        return .init(
            name: "list_all_executions", tag: "Execution", summary: "List All Executions",
            description: """
                List executions of every flow, newest first, one page at a time: pass a page's next_cursor as \
                cursor for the next one. Filters combine; an empty one is ignored.
                """,
            parameters: [
                query("flow", text, "Only executions of this flow"),
                query("status", text, "Only these statuses, comma-separated: running, completed, failed, cancelled"),
                query("since", text, "Only executions started at or after this ISO-8601 time (UTC without an offset)"),
                query("until", text, "Only executions started before this ISO-8601 time (UTC without an offset)"),
                query("q", text, "Only executions whose id or idempotency key contains this text"),
                query("cursor", text, "The next_cursor of the page before"),
                query(
                    "limit",
                    ["type": "integer", "minimum": 1, "maximum": .int(ExecutionQuery.maximumLimit), "default": 50],
                    "How many executions a page holds"
                ),
            ],
            responses: [
                "200": json("ExecutionPage", "A page of executions, newest first"),
                "422": json("HTTPValidationError", "A parameter is malformed"),
            ]
        )
    }

    private static func visualize(flowMissing: String?) -> OperationDescription {
        var ok = json(
            "FlowDiagram",
            "The diagram as Mermaid text (json, mermaid), an SVG image (svg), or a page showing it (html)")
        if var content = ok["content"]?.objectValue {
            content["text/html"] = ["schema": ["type": "string"]]
            content["image/svg+xml"] = ["schema": ["type": "string"]]
            ok = setting("content", .object(content), in: ok)
        }
        return .init(
            name: "visualize_flow", tag: "Visualization", summary: "Visualize Flow",
            description: """
                Draw the flow structure: inputs and outputs, task steps, parallel branches, conditional \
                branching, switches, loops, subflows, error handlers, exits and on_cancel steps.

                Query Parameters:
                - format: 'json' (default) or 'mermaid' returns a Mermaid flowchart in JSON; 'svg' returns an \
                SVG image drawn by the server (every node carries `data-step-id` with its step path, every edge \
                `data-from` and `data-to`; light and dark themes); 'html' returns a page showing that image, \
                loading nothing from outside the server.
                """,
            parameters: [
                query(
                    "format",
                    ["type": "string", "enum": ["json", "mermaid", "html", "svg"], "default": "json"],
                    "Output format: 'json' or 'mermaid' for Mermaid text (default), 'svg' for an image, 'html' for a page"
                )
            ],
            responses: responses(["200": ok, "400": error("Unknown format")], notFound: flowMissing)
        )
    }
}
