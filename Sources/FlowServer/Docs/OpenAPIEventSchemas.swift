import FlowCore
import OrderedCollections

/// The schemas of the Server-Sent Events the stream routes answer with.
///
/// OpenAPI 3.1 has no keyword for an event stream's items, so a `text/event-stream` response's `schema`
/// describes one event as SSE tools read it: `{"event": <type>, "data": <the data line>}`. The data line is JSON
/// text; `contentMediaType` and `contentSchema` say so and give its schema.
enum OpenAPIEventSchemas {
    /// The event schemas by name.
    static let schemas: OrderedDictionary<String, FlowValue> = [
        "ExecutionEvent": event(
            names: ExecutionEvent.Kind.allCases.map(\.rawValue),
            data: "ExecutionEventData",
            title: "ExecutionEvent",
            description: "One execution event: its type, and its fields as a JSON data line"
        ),
        "ExecutionEventData": JSONSchema.object(
            [
                "timestamp": JSONSchema.string("ISO-8601 UTC time with offset, e.g. 2026-11-26T17:50:09.569359+00:00"),
                "execution_id": JSONSchema.string(),
                "flow": JSONSchema.string("flow_* events"),
                "inputs": JSONSchema.any("flow_started: the validated inputs; step_started: the step's inputs"),
                "step_id": JSONSchema.string("step_* events"),
                "step_path": JSONSchema.string(
                    "step_* and subflow_* events: the step's place in the run, e.g. 4[7].1 or 6.subflow.0"),
                "task": JSONSchema.string("step_* events"),
                "outputs": JSONSchema.any("step_completed, flow_completed, flow_terminated"),
                "success": JSONSchema.boolean("flow_completed, flow_failed"),
                "terminated": JSONSchema.boolean("flow_completed after an exit step"),
                "termination_reason": JSONSchema.string("flow_completed after an exit step"),
                "reason": JSONSchema.string("flow_terminated, flow_cancelled"),
                "error": JSONSchema.string("step_failed, step_retrying, flow_failed, subflow_failed"),
                "error_type": JSONSchema.string("step_failed, step_retrying, flow_failed"),
                "failed_step": JSONSchema.nullable(JSONSchema.string(), "flow_failed"),
                "attempts": JSONSchema.integer("step_failed"),
                "attempt": JSONSchema.integer("step_retrying"),
                "next_attempt": JSONSchema.integer("step_retrying"),
                "max_attempts": JSONSchema.integer("step_retrying"),
                "delay_seconds": JSONSchema.number("step_retrying"),
                "duration_ms": JSONSchema.number(),
                "cleanup_errors": JSONSchema.nullable(JSONSchema.array(of: JSONSchema.string()), "flow_cancelled"),
                "subflow_path": JSONSchema.array(
                    of: JSONSchema.string(), "Events from inside subflows, outermost first"),
            ],
            required: ["timestamp", "execution_id"],
            title: "ExecutionEventData",
            description: "The data line of an execution event; which fields appear depends on the event type"
        ),
        "NotReadyEvent": event(
            names: ["error"],
            data: "NotReadyEventData",
            title: "NotReadyEvent",
            description: "The only event of a stream refused because the flow's tasks are not all implemented"
        ),
        "NotReadyEventData": JSONSchema.object(
            [
                "success": JSONSchema.constant(false),
                "error": JSONSchema.string(),
                "error_details": JSONSchema.string(),
                "flow": JSONSchema.string(),
                "pending_tasks": JSONSchema.array(of: JSONSchema.string()),
                "implementation_progress": JSONSchema.string(),
            ],
            required: ["success", "error", "flow", "pending_tasks"],
            title: "NotReadyEventData"
        ),
    ]

    private static func event(names: [String], data: String, title: String, description: String) -> FlowValue {
        JSONSchema.object(
            [
                "event": JSONSchema.enumeration(names, "The event type (the `event:` line)"),
                "data": [
                    "type": "string", "contentMediaType": "application/json", "contentSchema": JSONSchema.ref(data),
                    "description": "The `data:` line: one line of JSON",
                ],
                "id": JSONSchema.string("Not sent"),
                "retry": JSONSchema.integer("Not sent"),
            ],
            required: ["event", "data"],
            title: title,
            description: description
        )
    }
}
