import FlowCore
import OrderedCollections

/// The OpenAPI 3.1 document of a FlowLang server, built from its catalog and the routes its router serves.
///
/// Every registered route appears, except the documentation routes themselves (as FastAPI leaves them out).
/// Routes under `/flows/{flow_name}` keep the original's paths and operation ids, and each flow's execute
/// operation carries its own typed request and response schemas:
/// - a single-flow server types the `{flow_name}` paths with its flow's schemas, as the original did, and
///   offers the flow's name as the parameter's only value (Swagger UI then fills it in);
/// - a multi-flow server lists the `{flow_name}` paths with the untyped `FlowExecuteRequest`, as the
///   original did, then one concrete path set per flow (`/flows/HelloWorld/execute`), tagged with the flow's
///   name and typed with its schemas.
///
/// Routes this document has no description for still appear, with a generic operation, so the document
/// never misses a route.
struct OpenAPIDocument {
    /// The paths the documentation itself is served on; they are not part of the API.
    static let documentationPaths: Set<String> = ["/openapi.json", "/docs", "/redoc"]

    let mode: FlowCatalog.Mode
    let flows: [ServedFlow]
    let version: String
    let routes: [RegisteredRoute]
    /// Whether the server requires an API key (`FLOWLANG_API_KEYS`): adds the security schemes, required on
    /// every operation but the health probes and self-authenticated webhooks.
    var requiresAPIKey = false
    /// Whether the server limits each client's request rate (`RATE_LIMIT`): adds the 429 answer to every
    /// operation but the health probes.
    var rateLimited = false

    init(catalog: FlowCatalog, version: String, routes: [RegisteredRoute]) {
        mode = catalog.mode
        flows = catalog.flows
        self.version = version
        self.routes = routes
    }

    /// `<Flow> API` for one flow, `FlowLang Multi-Flow API` for many, as the original titles them.
    var title: String {
        mode == .single && flows.count == 1 ? "\(flows[0].name) API" : "FlowLang Multi-Flow API"
    }

    /// `FlowLang API for <Flow> flow`, or how many flows a multi-flow server serves.
    var infoDescription: String {
        mode == .single && flows.count == 1
            ? "FlowLang API for \(flows[0].name) flow" : "FlowLang Multi-Flow API serving \(flows.count) flows"
    }

    /// The document, ready to render with `jsonText`.
    var json: FlowValue {
        let shared = OpenAPISchemas.all(mode: mode)
        let names = OpenAPIFlowSchemas.names(for: flows, reserved: shared.keys)
        let hooks = OpenAPIWebhooks.hooks(in: flows)
        var paths = OrderedDictionary<String, OrderedDictionary<String, FlowValue>>()
        var operationIds = Set<String>()
        var usedTags: [String] = []
        var securitySchemes = OrderedDictionary<String, FlowValue>()
        let flowNames = flows.map(\.name)

        /// Adds `route`'s operation: typed with `flow`'s schemas when given, at `flow`'s own path when `concrete`.
        func add(_ route: RegisteredRoute, flow: ServedFlow? = nil, concrete: Bool = false, tag: String? = nil) {
            var description: OperationDescription
            var security: FlowValue?
            if let hook = hooks[route], !OpenAPIOperations.documentedRoutes.contains(route) {
                description = OpenAPIWebhooks.describe(hook, names: names[hook.flow.name])
                if let (name, scheme) = OpenAPIWebhooks.securityScheme(hook) {
                    securitySchemes[name] = scheme
                    security = [[.init(name): []]]
                }
            } else {
                description = OpenAPIOperations.describe(
                    route,
                    flow: flow.flatMap { names[$0.name] },
                    concrete: concrete,
                    needsInputs: flow.map { OpenAPIFlowSchemas.needsInputs($0.definition) } ?? false
                )
            }
            if requiresAPIKey, security == nil, ["/health", "/ready"].contains(route.path) { security = [] }
            if rateLimited, !PublicRoutes.probePaths.contains(route.path) {
                description.responses["429"] = OpenAPIOperations.setting(
                    "headers",
                    ["Retry-After": OpenAPIOperations.header("Whole seconds until the client may retry")],
                    in: OpenAPIOperations.error("Too many requests from this client (RATE_LIMIT)")
                )
            }
            if let tag { description.tag = tag }
            var path = route.path
            if concrete, let flow { path = Self.concretePath(route.path, flow: flow.name) }
            let method = route.method.lowercased()
            var operation: OrderedDictionary<String, FlowValue> = [
                "tags": [.string(description.tag)], "summary": .string(description.summary),
                "description": .string(description.description),
                "operationId": .string(
                    Self.unique(Self.operationId(description.name, path, method), in: &operationIds)),
            ]
            let parameters =
                Self.pathParameters(path, flows: flowNames, single: mode == .single) + description.parameters
            if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
            if let body = description.requestBody { operation["requestBody"] = body }
            operation["responses"] = .object(description.responses)
            if let security { operation["security"] = security }
            paths[path, default: [:]][method] = .object(operation)
            if !usedTags.contains(description.tag) { usedTags.append(description.tag) }
        }

        let served = orderedRoutes
        // A webhook's path is its own, even when it starts with /flows/{…}: it is never repeated per flow.
        func isFlowScoped(_ route: RegisteredRoute) -> Bool { hooks[route] == nil && Self.isFlowScoped(route.path) }
        let flowRoutes = served.filter(isFlowScoped)
        for route in served {
            add(route, flow: mode == .single && isFlowScoped(route) ? flows.first : nil)
        }
        if mode == .multi {
            for flow in flows {
                for route in flowRoutes { add(route, flow: flow, concrete: true, tag: flow.name) }
            }
        }

        var schemas = shared
        for flow in flows {
            guard let flowNames = names[flow.name] else { continue }
            schemas.merge(OpenAPIFlowSchemas.schemas(for: flow.definition, names: flowNames)) { first, _ in first }
        }
        let pathsValue = FlowValue.object(paths.mapValues(FlowValue.object))
        var components: OrderedDictionary<String, FlowValue> = [
            "schemas": .object(Self.reachable(schemas, from: pathsValue))
        ]
        if requiresAPIKey {
            securitySchemes["APIKeyHeader"] = ["type": "apiKey", "in": "header", "name": "X-API-Key"]
            securitySchemes["BearerAuth"] = ["type": "http", "scheme": "bearer"]
        }
        if !securitySchemes.isEmpty { components["securitySchemes"] = .object(securitySchemes) }
        var document: OrderedDictionary<String, FlowValue> = [
            "openapi": "3.1.0",
            "info": ["title": .string(title), "description": .string(infoDescription), "version": .string(version)],
            "tags": .array(usedTags.map(tagObject)),
            "paths": pathsValue,
            "components": .object(components),
        ]
        if requiresAPIKey { document["security"] = [["APIKeyHeader": []], ["BearerAuth": []]] }
        return .object(document)
    }

    /// The registered routes to list, with OpenAPI paths: the described ones in document order, then any
    /// others as registered.
    private var orderedRoutes: [RegisteredRoute] {
        let registered = routes.compactMap { route -> RegisteredRoute? in
            // Versioned flow routes (`/{version}/flows/…`) mirror the unversioned ones and are left out.
            guard !Self.documentationPaths.contains(route.path), !route.path.contains("*"),
                !route.path.hasPrefix("/{version}/"),
                !ConsoleKey.isConsolePath(route.path)
            else { return nil }
            return RegisteredRoute(method: route.method, path: Self.normalizedPath(route.path))
        }
        let known = OpenAPIOperations.documentedRoutes.filter(registered.contains)
        var seen = Set(known)
        return known + registered.filter { seen.insert($0).inserted }
    }

    private func tagObject(_ name: String) -> FlowValue {
        let text: String
        switch name {
        case "Info": text = "The API root: service, readiness and endpoint paths"
        case "Health": text = "Health, readiness and implementation status"
        case "Flows": text = "The flows this server runs"
        case "Execution": text = "Run flows synchronously, in the background or streamed, and follow their executions"
        case "Tasks": text = "The tasks each flow calls and whether they are implemented"
        case "Visualization": text = "Mermaid diagrams of flows"
        case "Triggers": text = "Webhook and schedule triggers of flows, with their run statistics"
        case "Webhooks": text = "Routes declared by the flows' webhook triggers"
        case "Projects": text = "Groups of flows declared by project.yaml"
        case "Other": text = "Further routes the server registers"
        default:
            let flow = flows.first { $0.name == name }
            text = flow?.definition.description ?? "The \(name) flow"
        }
        return ["name": .string(name), "description": .string(text)]
    }

    // MARK: - Paths

    /// Whether the path belongs to one flow (`/flows/{flow_name}/…`).
    static func isFlowScoped(_ path: String) -> Bool {
        path == "/flows/{flow_name}" || path.hasPrefix("/flows/{flow_name}/")
    }

    /// A router pattern with its captures named as the original names them, after the collection they
    /// index: `/flows/{flow}/executions/{id}` becomes `/flows/{flow_name}/executions/{execution_id}`.
    static func normalizedPath(_ pattern: String) -> String {
        let names = [
            "flows": "flow_name", "executions": "execution_id", "projects": "project_name", "triggers": "trigger_id",
        ]
        var previous: Substring = ""
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            defer { previous = segment }
            guard segment.hasPrefix("{"), segment.hasSuffix("}"), let name = names[String(previous)] else {
                return String(segment)
            }
            return "{\(name)}"
        }
        return segments.joined(separator: "/")
    }

    /// `path` with its `{flow_name}` replaced by `flow`, percent-encoded.
    static func concretePath(_ path: String, flow: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0 == "{flow_name}" ? percentEncoded(flow) : String($0) }
            .joined(separator: "/")
    }

    /// A required string parameter for every `{name}` in `path`; `flow_name` lists `flows` as its values, and
    /// on a `single`-flow server also as its default.
    static func pathParameters(_ path: String, flows: [String], single: Bool) -> [FlowValue] {
        var parameters: [FlowValue] = []
        var rest = Substring(path)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = String(rest[rest.index(after: open)..<close])
            var schema: OrderedDictionary<String, FlowValue> = [
                "type": "string", "title": .string(JSONSchema.title(name)),
            ]
            if name == "flow_name", !flows.isEmpty {
                schema["enum"] = .array(flows.map(FlowValue.string))
                if single { schema["default"] = .string(flows[0]) }
            }
            parameters.append(["name": .string(name), "in": "path", "required": true, "schema": .object(schema)])
            rest = rest[rest.index(after: close)...]
        }
        return parameters
    }

    /// FastAPI's operation id: the function name and the path with every non-word character made `_`, then
    /// `_<method>` (`execute_flow_flows__flow_name__execute_post`).
    static func operationId(_ name: String, _ path: String, _ method: String) -> String {
        let word = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
        return String((name + path).map { word.contains($0) ? $0 : "_" }) + "_" + method
    }

    private static func unique(_ id: String, in taken: inout Set<String>) -> String {
        var candidate = id
        var attempt = 1
        while !taken.insert(candidate).inserted {
            attempt += 1
            candidate = "\(id)_\(attempt)"
        }
        return candidate
    }

    private static func percentEncoded(_ segment: String) -> String {
        let unreserved = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~".utf8)
        var encoded = ""
        for byte in segment.utf8 {
            if unreserved.contains(byte) {
                encoded.append(Character(Unicode.Scalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return encoded
    }

    // MARK: - Components

    /// The schemas `root` refers to, directly or through other schemas, in their original order.
    static func reachable(
        _ schemas: OrderedDictionary<String, FlowValue>,
        from root: FlowValue
    ) -> OrderedDictionary<String, FlowValue> {
        var reached = Set<String>()
        var pending = references(in: root)
        while let name = pending.popLast() {
            guard reached.insert(name).inserted, let schema = schemas[name] else { continue }
            pending += references(in: schema)
        }
        return schemas.filter { reached.contains($0.key) }
    }

    private static func references(in value: FlowValue) -> [String] {
        switch value {
        case .object(let members):
            var names: [String] = []
            for (key, member) in members {
                if key == "$ref", let target = member.stringValue, target.hasPrefix(JSONSchema.reference("")) {
                    names.append(String(target.dropFirst(JSONSchema.reference("").count)))
                } else {
                    names += references(in: member)
                }
            }
            return names
        case .array(let elements):
            return elements.flatMap(references)
        default:
            return []
        }
    }
}
