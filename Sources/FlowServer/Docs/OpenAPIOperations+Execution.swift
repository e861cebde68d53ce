import FlowCore
import OrderedCollections

/// The execute operations: synchronous, asynchronous (202) and streamed.
extension OpenAPIOperations {
    /// `POST /flows/{flow_name}/execute`, typed with `flow`'s schemas when given.
    static func execute(flow: FlowSchemaNames?, concrete: Bool, needsInputs: Bool) -> OperationDescription {
        var responses: OrderedDictionary<String, FlowValue> = [
            "200": setting(
                "headers",
                ["X-Execution-Id": header("Identifier of the execution")],
                in: json(
                    flow?.response ?? "FlowExecuteResponse",
                    "Flow executed (a flow that ran but failed is also 200, with success false)"
                )
            ),
            "202": setting(
                "headers",
                [
                    "Location": header("Where to poll the execution's record"),
                    "X-Execution-Id": header("Identifier of the execution"),
                ],
                in: json(
                    "ExecutionAccepted", "Execution started in the background (Prefer: respond-async or wait=false)")
            ),
        ]
        if !concrete { responses["404"] = error("Flow not found") }
        responses["413"] = error("Request body too large")
        responses["422"] = json(
            "HTTPValidationError", "The body does not fit the flow's inputs, or wait is not true or false")
        responses["503"] = setting(
            "headers",
            [
                "Retry-After": header(
                    "Seconds to wait before retrying, when too many executions are running or the store is down")
            ],
            in: json(
                ["anyOf": [JSONSchema.ref("FlowExecuteResponse"), JSONSchema.ref("ErrorResponse")]],
                """
                Flow not ready - tasks not yet implemented (the execute response with pending_tasks); or, with \
                MAX_CONCURRENT_EXECUTIONS, too many executions running; or, for an asynchronous execution, the \
                execution store could not record it, so it was not started (the error envelope, with Retry-After)
                """
            )
        )
        return .init(
            name: "execute_flow", tag: "Execution", summary: "Execute Flow",
            description: """
                Execute a flow with the provided inputs.

                Returns the flow outputs on success, or error details on failure.

                Returns 503 Service Unavailable if not all tasks are implemented.

                With `Prefer: respond-async` or `?wait=false` the execution runs in the background: the answer \
                is 202 with the execution's id, its `status_url` (also in `Location`) and its `events_url`.
                """,
            parameters: [
                query(
                    "wait",
                    ["type": "boolean", "default": true],
                    "false starts the execution in the background and answers 202 at once"
                ),
                [
                    "name": "Prefer", "in": "header", "required": false,
                    "description": "respond-async starts the execution in the background and answers 202 at once",
                    "schema": ["type": "string", "examples": ["respond-async"]],
                ],
            ],
            requestBody: requestBody(flow: flow, needsInputs: needsInputs),
            responses: responses
        )
    }

    /// `POST /flows/{flow_name}/execute/stream`, typed with `flow`'s schemas when given.
    static func stream(flow: FlowSchemaNames?, concrete: Bool, needsInputs: Bool) -> OperationDescription {
        var responses: OrderedDictionary<String, FlowValue> = [
            "200": setting(
                "headers",
                ["X-Execution-Id": header("Identifier of the execution")],
                in: eventStream("Flow execution events stream")
            )
        ]
        if !concrete { responses["404"] = error("Flow not found") }
        responses["413"] = error("Request body too large")
        responses["422"] = json("HTTPValidationError", "The body does not fit the flow's inputs")
        responses["503"] = [
            "description": """
            Flow not ready - tasks not yet implemented: one `error` event with the pending tasks; or, with \
            MAX_CONCURRENT_EXECUTIONS, too many executions running (the error envelope as JSON, with Retry-After)
            """,
            "headers": ["Retry-After": header("Seconds to wait before retrying, when too many executions are running")],
            "content": [
                "text/event-stream": ["schema": JSONSchema.ref("NotReadyEvent")],
                "application/json": ["schema": JSONSchema.ref("ErrorResponse")],
            ],
        ]
        return .init(
            name: "execute_flow_stream", tag: "Execution", summary: "Execute Flow Stream",
            description: """
                Execute a flow and stream execution events in real-time using Server-Sent Events (SSE).

                Each event includes:
                - event: Event type (flow_started, step_started, step_completed, step_failed, step_retrying, \
                subflow_started, subflow_completed, subflow_failed, flow_terminated, flow_completed, \
                flow_failed, flow_cancelled)
                - data: Event data as JSON

                Example event format:
                ```
                event: step_started
                data: {"step_id": "validate", "task": "ValidateUser", "timestamp": "2025-10-11T..."}

                event: step_completed
                data: {"step_id": "validate", "task": "ValidateUser", "outputs": {...}, "duration_ms": 12.5}
                ```

                Idle streams carry a `: ping` comment now and then. Closing the connection cancels the execution.

                Use with curl:
                ```
                curl -N -X POST http://localhost:8000/flows/MyFlow/execute/stream \\
                  -H "Content-Type: application/json" \\
                  -d '{"inputs": {...}}'
                ```
                """,
            requestBody: requestBody(flow: flow, needsInputs: needsInputs),
            responses: responses
        )
    }

    /// `GET …/executions/{execution_id}/events`: an execution's events, live or replayed, resumable.
    static func events(concrete: Bool) -> OperationDescription {
        .init(
            name: "stream_execution_events", tag: "Execution", summary: "Stream Execution Events",
            description: """
                Follow an execution's events as Server-Sent Events.

                A finished execution's events are replayed and the stream ends; a running one's past \
                events are replayed, then new ones follow live until the execution ends. Each event's \
                `id:` is its position in the execution's events (from 1); a client reconnecting with \
                `Last-Event-ID` gets only the events after that one.
                """,
            parameters: [
                [
                    "name": "Last-Event-ID", "in": "header", "required": false,
                    "schema": ["type": "string"],
                    "description":
                        "The id of the last event received; anything but a positive integer replays every event",
                ]
            ],
            responses: responses(
                ["200": eventStream("The execution's events")],
                notFound: concrete ? "Execution not found" : "Flow or execution not found"
            )
        )
    }

    private static func requestBody(flow: FlowSchemaNames?, needsInputs: Bool) -> FlowValue {
        [
            "required": .bool(needsInputs),
            "content": ["application/json": ["schema": JSONSchema.ref(flow?.request ?? "FlowExecuteRequest")]],
        ]
    }
}
