import FlowCore
import OrderedCollections

/// The component schemas of the service routes: `/`, `/health`, tasks, diagrams and projects.
///
/// `/` and `/health` answer in different shapes on single-flow and multi-flow servers, so their schemas
/// follow the catalog's mode.
enum OpenAPIServiceSchemas {
    /// Every service schema by name.
    static func all(mode: FlowCatalog.Mode) -> OrderedDictionary<String, FlowValue> {
        [
            "ServiceInfo": mode == .single ? singleServiceInfo : multiServiceInfo,
            "DocumentationLinks": documentationLinks,
            "FlowStatus": flowStatus,
            "HealthResponse": mode == .single ? singleHealth : multiHealth,
            "FlowHealth": flowHealth,
            "TaskList": taskList,
            "TaskStatus": taskStatus,
            "TaskSummary": taskSummary,
            "FlowDiagram": flowDiagram,
            "TriggerList": triggerList,
            "TriggerStatus": triggerStatus,
            "ProjectList": projectList,
            "ProjectSummary": projectSummary,
            "ProjectInfo": projectInfo,
            "ProjectFlow": projectFlow,
        ]
    }

    private static let readiness = JSONSchema.enumeration(
        ["ready", "incomplete"],
        "ready when every task of every flow is implemented"
    )

    private static let singleServiceInfo = JSONSchema.object(
        [
            "service": JSONSchema.string(),
            "version": JSONSchema.string(),
            "flow": JSONSchema.ref("FlowStatus"),
            "status": readiness,
            "documentation": JSONSchema.ref("DocumentationLinks"),
            "endpoints": JSONSchema.map("The flow's endpoint paths, grouped"),
            "message": JSONSchema.string(),
            "flows": JSONSchema.array(of: JSONSchema.string(), "The served flow's name"),
            "flow_status": JSONSchema.map(
                "Task counts by flow name",
                values: JSONSchema.object(
                    [
                        "tasks_total": JSONSchema.integer(),
                        "tasks_implemented": JSONSchema.integer(),
                        "implementation_progress": JSONSchema.string("Rounded percentage, e.g. 67%"),
                        "ready": JSONSchema.boolean(),
                    ]
                )
            ),
        ],
        required: ["service", "version", "flow", "status", "documentation", "endpoints"],
        title: "ServiceInfo",
        description: "The API root of a single-flow server"
    )

    private static let multiServiceInfo = JSONSchema.object(
        [
            "service": JSONSchema.string(),
            "version": JSONSchema.string(),
            "status": readiness,
            "flows": JSONSchema.object(
                [
                    "count": JSONSchema.integer(),
                    "names": JSONSchema.array(of: JSONSchema.string()),
                    "status": JSONSchema.map("Readiness by flow name", values: JSONSchema.ref("FlowStatus")),
                ],
                required: ["count", "names", "status"]
            ),
            "documentation": JSONSchema.ref("DocumentationLinks"),
            "message": JSONSchema.string(),
            "endpoints": JSONSchema.map("Endpoint paths, grouped; {flow_name} stands for a flow's name"),
        ],
        required: ["service", "version", "status", "flows", "documentation", "endpoints"],
        title: "ServiceInfo",
        description: "The API root of a multi-flow server"
    )

    private static let documentationLinks = JSONSchema.object(
        [
            "openapi": JSONSchema.constant("/docs", "Swagger UI"),
            "redoc": JSONSchema.constant("/redoc", "ReDoc"),
            "openapi_json": JSONSchema.constant("/openapi.json", "This document"),
        ],
        required: ["openapi", "redoc", "openapi_json"],
        title: "DocumentationLinks"
    )

    private static let flowStatus = JSONSchema.object(
        [
            "name": JSONSchema.string("Absent in the multi-flow root, where flows are keyed by name"),
            "description": JSONSchema.nullable(JSONSchema.string()),
            "ready": JSONSchema.boolean(),
            "progress": JSONSchema.string("Implemented tasks of all, e.g. 2/3"),
            "percentage": JSONSchema.string("One decimal and a percent sign, e.g. 66.7%"),
        ],
        required: ["ready", "progress", "percentage"],
        title: "FlowStatus"
    )

    private static let singleHealth = JSONSchema.object(
        [
            "status": JSONSchema.constant("healthy"),
            "flow": JSONSchema.string(),
            "tasks_implemented": JSONSchema.integer(),
            "tasks_total": JSONSchema.integer(),
            "tasks_pending": JSONSchema.integer(),
            "implementation_complete": JSONSchema.boolean(),
            "ready": JSONSchema.boolean("True only when all tasks are implemented"),
            "pending_task_names": JSONSchema.array(of: JSONSchema.string()),
            "flows": JSONSchema.map("Status by flow name"),
            "executions_running": JSONSchema.integer(),
            "reload_errors": reloadErrors,
        ],
        required: [
            "status", "flow", "tasks_implemented", "tasks_total", "tasks_pending", "implementation_complete", "ready",
            "pending_task_names", "executions_running",
        ],
        title: "HealthResponse",
        description: "Health of a single-flow server; always 200, even when tasks are missing"
    )

    private static let multiHealth = JSONSchema.object(
        [
            "status": JSONSchema.constant("healthy"),
            "server_type": JSONSchema.constant("multi-flow"),
            "flows_count": JSONSchema.integer(),
            "all_flows_ready": JSONSchema.boolean(),
            "aggregate_tasks": JSONSchema.object(
                [
                    "total": JSONSchema.integer(),
                    "implemented": JSONSchema.integer(),
                    "pending": JSONSchema.integer(),
                    "progress": JSONSchema.string(),
                ],
                required: ["total", "implemented", "pending", "progress"]
            ),
            "flows": JSONSchema.array(of: JSONSchema.ref("FlowHealth")),
            "executions_running": JSONSchema.integer(),
            "reload_errors": reloadErrors,
        ],
        required: [
            "status", "server_type", "flows_count", "all_flows_ready", "aggregate_tasks", "flows", "executions_running",
        ],
        title: "HealthResponse",
        description: "Health of a multi-flow server; always 200, even when tasks are missing"
    )

    private static let reloadErrors = JSONSchema.map(
        "Present when an edited flow file failed to load: diagnostics by flow name (the old definition stays)",
        values: JSONSchema.array(of: JSONSchema.string())
    )

    private static let flowHealth = JSONSchema.object(
        [
            "name": JSONSchema.string(),
            "ready": JSONSchema.boolean(),
            "tasks_implemented": JSONSchema.integer(),
            "tasks_total": JSONSchema.integer(),
            "tasks_pending": JSONSchema.integer(),
            "progress": JSONSchema.string(),
            "pending_task_names": JSONSchema.array(of: JSONSchema.string()),
        ],
        required: [
            "name", "ready", "tasks_implemented", "tasks_total", "tasks_pending", "progress", "pending_task_names",
        ],
        title: "FlowHealth"
    )

    private static let taskList = JSONSchema.object(
        [
            "flow": JSONSchema.string(),
            "tasks": JSONSchema.map("Tasks by name, in first-use order", values: JSONSchema.ref("TaskStatus")),
            "summary": JSONSchema.ref("TaskSummary"),
        ],
        required: ["flow", "tasks", "summary"],
        title: "TaskList",
        description: "The tasks a flow calls, with implementation status"
    )

    private static let taskStatus = JSONSchema.object(
        [
            "description": JSONSchema.nullable(JSONSchema.string()),
            "implemented": JSONSchema.boolean(),
            "registered": JSONSchema.boolean(),
            "builtin": JSONSchema.boolean(),
            "is_async": JSONSchema.boolean(),
        ],
        required: ["description", "implemented", "registered", "builtin", "is_async"],
        title: "TaskStatus"
    )

    private static let taskSummary = JSONSchema.object(
        [
            "total": JSONSchema.integer(),
            "implemented": JSONSchema.integer(),
            "pending": JSONSchema.integer(),
            "percentage": JSONSchema.number(),
            "progress": JSONSchema.string(),
        ],
        required: ["total", "implemented", "pending", "percentage", "progress"],
        title: "TaskSummary"
    )

    private static let flowDiagram = JSONSchema.object(
        [
            "flow": JSONSchema.string(),
            "diagram": JSONSchema.string("A Mermaid flowchart in a ```mermaid fence"),
            "format": JSONSchema.constant("mermaid"),
        ],
        required: ["flow", "diagram", "format"],
        title: "FlowDiagram"
    )

    private static let triggerList = JSONSchema.object(
        [
            "flow": JSONSchema.string(),
            "triggers": JSONSchema.array(of: JSONSchema.ref("TriggerStatus")),
            "count": JSONSchema.integer(),
        ],
        required: ["flow", "triggers", "count"],
        title: "TriggerList"
    )

    private static let triggerStatus = JSONSchema.object(
        [
            "id": JSONSchema.string(),
            "flow": JSONSchema.string(),
            "running": JSONSchema.boolean(),
            "executions": JSONSchema.integer(),
            "errors": JSONSchema.integer(),
            "last_execution_time": JSONSchema.nullable(JSONSchema.number(), "Seconds the latest run took"),
            "last_error": JSONSchema.nullable(JSONSchema.string()),
            "type": JSONSchema.nullable(JSONSchema.enumeration(["webhook", "schedule"])),
            "method": JSONSchema.string("Webhooks: the HTTP method"),
            "path": JSONSchema.string("Webhooks: the route"),
            "auth_enabled": JSONSchema.boolean("Webhooks"),
            "auth_type": JSONSchema.nullable(JSONSchema.enumeration(["api_key", "bearer"]), "Webhooks"),
            "async_execution": JSONSchema.boolean("Webhooks"),
            "cron": JSONSchema.string("Schedules: the cron expression"),
            "timezone": JSONSchema.string("Schedules"),
            "next_execution": JSONSchema.nullable(JSONSchema.string(), "Schedules"),
            "last_scheduled": JSONSchema.nullable(JSONSchema.string(), "Schedules"),
            "max_instances": JSONSchema.integer("Schedules"),
            "running_instances": JSONSchema.integer("Schedules"),
            "skipped": JSONSchema.integer("Schedules: runs skipped because max_instances were running"),
            "ran_elsewhere": JSONSchema.integer(
                "Schedules: scheduled times another instance sharing the execution store ran"),
        ],
        required: ["id", "flow", "running", "executions", "errors", "last_execution_time", "last_error", "type"],
        title: "TriggerStatus",
        description: "A trigger and what it has done; webhook and schedule fields appear for their type only"
    )

    private static let projectList = JSONSchema.object(
        ["projects": JSONSchema.array(of: JSONSchema.ref("ProjectSummary")), "count": JSONSchema.integer()],
        required: ["projects", "count"],
        title: "ProjectList"
    )

    private static let projectSummary = JSONSchema.object(
        [
            "name": JSONSchema.string(),
            "description": JSONSchema.nullable(JSONSchema.string()),
            "version": JSONSchema.nullable(JSONSchema.string()),
            "flows": JSONSchema.array(
                of: JSONSchema.object(
                    [
                        "name": JSONSchema.string(),
                        "description": JSONSchema.nullable(JSONSchema.string()),
                        "ready": JSONSchema.boolean(),
                        "progress": JSONSchema.string(),
                    ],
                    required: ["name", "description", "ready", "progress"]
                )
            ),
        ],
        required: ["name", "description", "version", "flows"],
        title: "ProjectSummary"
    )

    private static let projectInfo = JSONSchema.object(
        [
            "name": JSONSchema.string(),
            "flows": JSONSchema.array(of: JSONSchema.ref("ProjectFlow")),
            "flows_count": JSONSchema.integer(),
            "description": JSONSchema.nullable(JSONSchema.string()),
            "version": JSONSchema.nullable(JSONSchema.string()),
            "tags": JSONSchema.array(of: JSONSchema.string()),
            "contact": JSONSchema.any("Contact details as written in project.yaml, or null"),
        ],
        required: ["name", "flows", "flows_count", "description", "version", "tags", "contact"],
        title: "ProjectInfo"
    )

    private static let projectFlow = JSONSchema.object(
        [
            "name": JSONSchema.string(),
            "description": JSONSchema.nullable(JSONSchema.string()),
            "ready": JSONSchema.boolean(),
            "progress": JSONSchema.string(),
            "percentage": JSONSchema.string(),
            "tasks_total": JSONSchema.integer(),
            "tasks_implemented": JSONSchema.integer(),
        ],
        required: ["name", "description", "ready", "progress", "percentage", "tasks_total", "tasks_implemented"],
        title: "ProjectFlow"
    )
}
