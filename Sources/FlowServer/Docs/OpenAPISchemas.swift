import FlowCore
import OrderedCollections

/// The component schemas of flows, executions and errors that every FlowLang document shares.
///
/// The original's models keep their names and fields (`FlowExecuteResponse`, `FlowInfo`, `FlowInputSchema`,
/// `FlowOutputSchema`, `FlowExecuteRequest`, `HTTPValidationError`, `ValidationError`); fields this server
/// adds are appended after the original's.
enum OpenAPISchemas {
    /// Every shared schema by name; the document drops the ones no operation refers to.
    static func all(mode: FlowCatalog.Mode) -> OrderedDictionary<String, FlowValue> {
        var schemas: OrderedDictionary<String, FlowValue> = [
            "FlowExecuteRequest": flowExecuteRequest,
            "FlowExecuteResponse": JSONSchema.object(
                flowExecuteResponseProperties,
                required: ["success", "flow"],
                title: "FlowExecuteResponse",
                description: "Response model for flow execution"
            ),
            "FlowInfo": flowInfo,
            "FlowInputSchema": flowInputSchema,
            "FlowOutputSchema": flowOutputSchema,
            "ErrorResponse": errorResponse,
            "HTTPValidationError": httpValidationError,
            "ValidationError": validationError,
            "ExecutionAccepted": executionAccepted,
            "ExecutionSummary": JSONSchema.object(
                executionSummaryProperties,
                required: Array(executionSummaryProperties.keys),
                title: "ExecutionSummary",
                description: "One execution as listings show it: its record without the result"
            ),
            "ExecutionRecord": executionRecord,
            "ExecutionResult": executionResult,
            "ExecutionList": executionList,
            "ExecutionPage": executionPage,
            "CancelResponse": cancelResponse,
            "CancelRequest": cancelRequest,
        ]
        schemas.merge(OpenAPIServiceSchemas.all(mode: mode)) { first, _ in first }
        schemas.merge(OpenAPIWebhooks.schemas) { first, _ in first }
        schemas.merge(OpenAPIEventSchemas.schemas) { first, _ in first }
        return schemas
    }

    /// The fields of an execute response: the original's eight, then the execution id and failure details.
    static let flowExecuteResponseProperties: OrderedDictionary<String, FlowValue> = [
        "success": JSONSchema.boolean("Whether the flow executed successfully"),
        "outputs": JSONSchema.nullable(JSONSchema.map(), "Flow outputs"),
        "error": JSONSchema.nullable(JSONSchema.string(), "Error message if failed"),
        "error_details": JSONSchema.nullable(JSONSchema.string(), "Detailed error information"),
        "execution_time_ms": JSONSchema.nullable(JSONSchema.number(), "Execution time in milliseconds"),
        "flow": JSONSchema.string("Name of the executed flow"),
        "pending_tasks": JSONSchema.nullable(
            JSONSchema.array(of: JSONSchema.string()),
            "List of unimplemented tasks (if not ready)"
        ),
        "implementation_progress": JSONSchema.nullable(
            JSONSchema.string(),
            "Implementation progress (e.g., '3/5 (60%)')"
        ),
        "execution_id": JSONSchema.string(
            "Identifier of the execution, for /flows/{flow_name}/executions/{execution_id}"
        ),
        "terminated": JSONSchema.boolean("Whether an exit step ended the flow early"),
        "termination_reason": JSONSchema.nullable(JSONSchema.string(), "The exit step's reason, when terminated"),
        "error_type": JSONSchema.nullable(
            JSONSchema.string(),
            "Kind of failure, e.g. MaxRetriesExceededError, InputValidationError or ExecutionCancelled"
        ),
        "failed_step": JSONSchema.nullable(JSONSchema.string(), "Id of the step that failed"),
        "cancelled": JSONSchema.boolean("Present and true when the execution was cancelled"),
        "cleanup_errors": JSONSchema.nullable(
            JSONSchema.array(of: JSONSchema.string()),
            "Errors of the on_cancel steps, when cancelled"
        ),
    ]

    private static let flowExecuteRequest = JSONSchema.object(
        ["inputs": JSONSchema.map("Input parameters for the flow")],
        title: "FlowExecuteRequest",
        description: "Request model for flow execution"
    )

    private static let flowInfo = JSONSchema.object(
        [
            "name": JSONSchema.string(),
            "description": JSONSchema.nullable(JSONSchema.string()),
            "inputs": JSONSchema.array(of: JSONSchema.ref("FlowInputSchema")),
            "outputs": JSONSchema.array(of: JSONSchema.ref("FlowOutputSchema")),
            "tasks": JSONSchema.integer("Number of distinct tasks the flow calls"),
            "implementation_complete": JSONSchema.boolean("Whether every task the flow calls is implemented"),
        ],
        required: ["name", "description", "inputs", "outputs", "tasks", "implementation_complete"],
        title: "FlowInfo",
        description: "Information about a flow"
    )

    private static let flowInputSchema = JSONSchema.object(
        [
            "name": JSONSchema.string(),
            "type": JSONSchema.enumeration(InputType.allCases.map(\.rawValue)),
            "required": JSONSchema.setting("default", false, in: JSONSchema.boolean()),
            "description": JSONSchema.nullable(JSONSchema.string()),
            "default": JSONSchema.any("Value used when the input is left out; present only when the flow declares one"),
        ],
        required: ["name", "type", "required", "description"],
        title: "FlowInputSchema",
        description: "Schema for a flow input parameter"
    )

    private static let flowOutputSchema = JSONSchema.object(
        [
            "name": JSONSchema.string(),
            "value": JSONSchema.any("The output's value as written in the flow, e.g. ${greet.message}"),
            "description": JSONSchema.nullable(JSONSchema.string()),
        ],
        required: ["name", "value", "description"],
        title: "FlowOutputSchema",
        description: "Schema for a flow output"
    )

    private static let errorResponse = JSONSchema.object(
        [
            "success": JSONSchema.constant(false),
            "error": JSONSchema.string("What went wrong"),
            "status_code": JSONSchema.integer("The HTTP status code, repeated"),
        ],
        required: ["success", "error", "status_code"],
        title: "ErrorResponse",
        description: "Error envelope of the server's handlers (unknown flow, execution or project, bad format)"
    )

    private static let httpValidationError = JSONSchema.object(
        ["detail": JSONSchema.array(of: JSONSchema.ref("ValidationError"))],
        title: "HTTPValidationError",
        description: "The request body does not fit the flow's inputs (FastAPI's shape)"
    )

    private static let validationError = JSONSchema.object(
        [
            "loc": JSONSchema.setting(
                "title",
                "Location",
                in: JSONSchema.array(of: ["anyOf": [JSONSchema.string(), JSONSchema.integer()]])
            ),
            "msg": JSONSchema.setting("title", "Message", in: JSONSchema.string()),
            "type": JSONSchema.setting("title", "Error Type", in: JSONSchema.string()),
            "input": JSONSchema.any("The offending value"),
            "ctx": JSONSchema.setting("title", "Context", in: JSONSchema.map()),
        ],
        required: ["loc", "msg", "type"],
        title: "ValidationError"
    )

    private static let executionAccepted = JSONSchema.object(
        [
            "success": JSONSchema.constant(true),
            "execution_id": JSONSchema.string(),
            "status": JSONSchema.constant("running"),
            "flow": JSONSchema.string(),
            "status_url": JSONSchema.string("Where to poll the execution's record (also the Location header)"),
            "events_url": JSONSchema.string("Where to follow the execution's events as Server-Sent Events"),
        ],
        required: ["success", "execution_id", "status", "flow", "status_url", "events_url"],
        title: "ExecutionAccepted",
        description: "An execution started in the background (202)"
    )

    private static let executionSummaryProperties: OrderedDictionary<String, FlowValue> = [
        "execution_id": JSONSchema.string(),
        "flow_name": JSONSchema.string(),
        "status": JSONSchema.enumeration(["running", "completed", "failed", "cancelled"]),
        "start_time": JSONSchema.string("ISO-8601 UTC time without offset, e.g. 2026-11-26T17:50:09.569359"),
        "end_time": JSONSchema.nullable(JSONSchema.string()),
        "cancel_reason": JSONSchema.nullable(JSONSchema.string()),
        "error": JSONSchema.nullable(JSONSchema.string()),
        "error_type": JSONSchema.nullable(JSONSchema.string()),
        "mode": JSONSchema.enumeration(["sync", "async", "stream", "webhook", "schedule"], "How it was started"),
        "duration_ms": JSONSchema.nullable(JSONSchema.number()),
        "idempotency_key": JSONSchema.nullable(
            JSONSchema.string(), "The Idempotency-Key of the request that started it"),
    ]

    private static var executionRecord: FlowValue {
        var properties = executionSummaryProperties
        properties["result"] = JSONSchema.nullable(JSONSchema.ref("ExecutionResult"), "The outcome once the run ended")
        properties["inputs"] = JSONSchema.map("The inputs it ran with, to run it again")
        return JSONSchema.object(
            properties,
            required: Array(properties.keys),
            title: "ExecutionRecord",
            description: "What the server remembers about one execution"
        )
    }

    private static let executionResult = JSONSchema.object(
        [
            "success": JSONSchema.boolean(),
            "outputs": JSONSchema.map("Outputs (completed, terminated or cancelled runs)"),
            "terminated": JSONSchema.boolean(),
            "reason": JSONSchema.nullable(JSONSchema.string(), "Exit or cancellation reason"),
            "error": JSONSchema.string(),
            "error_type": JSONSchema.string(),
            "failed_step": JSONSchema.nullable(JSONSchema.string()),
            "attempts": JSONSchema.integer("Attempts made by the failed step"),
            "cancelled": JSONSchema.boolean(),
            "cleanup_errors": JSONSchema.nullable(JSONSchema.array(of: JSONSchema.string())),
            "execution_id": JSONSchema.string(),
        ],
        required: ["success", "execution_id"],
        title: "ExecutionResult",
        description: "The outcome of a finished execution; fields depend on how it ended"
    )

    private static let executionList = JSONSchema.object(
        [
            "flow": JSONSchema.string(),
            "executions": JSONSchema.array(of: JSONSchema.ref("ExecutionSummary"), "In the order they started"),
            "count": JSONSchema.integer(),
        ],
        required: ["flow", "executions", "count"],
        title: "ExecutionList"
    )

    private static let executionPage = JSONSchema.object(
        [
            "executions": JSONSchema.array(of: JSONSchema.ref("ExecutionSummary"), "Newest first"),
            "count": JSONSchema.integer(),
            "next_cursor": JSONSchema.nullable(
                JSONSchema.string(), "Pass as cursor for the next page; null on the last page"),
        ],
        required: ["executions", "count", "next_cursor"],
        title: "ExecutionPage",
        description: "A page of executions across flows"
    )

    private static let cancelRequest = JSONSchema.object(
        [
            "execution_id": JSONSchema.setting(
                "minLength",
                1,
                in: JSONSchema.string(
                    "The execution to cancel; required unless the execution_id query parameter names it")
            )
        ],
        title: "CancelRequest"
    )

    private static let cancelResponse = JSONSchema.object(
        [
            "success": JSONSchema.boolean("Whether cancellation was requested (false when the run already ended)"),
            "message": JSONSchema.string(),
            "execution_id": JSONSchema.string(),
            "flow": JSONSchema.string("Present when cancellation was requested"),
            "cleanup_handlers": JSONSchema.enumeration(
                ["running", "none"],
                "POST /flows/{flow_name}/cancel only: whether the flow's on_cancel steps run"
            ),
            "status": JSONSchema.enumeration(
                ["running", "completed", "failed", "cancelled"],
                "Present when the run had already ended"
            ),
        ],
        required: ["success", "message", "execution_id"],
        title: "CancelResponse"
    )
}
