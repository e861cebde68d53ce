/// A served flow as `GET /flows` and `GET /flows/{flow}` describe it.
public struct FlowInfo: Sendable, Equatable {
    /// One declared input.
    public struct Input: Sendable, Equatable {
        public var name: String
        /// `string`, `integer`, `number`, `boolean`, `object`, `array` or `any`.
        public var type: String
        public var required: Bool
        public var description: String?
        /// The declared default, if any.
        public var defaultValue: FlowValue?
    }

    /// One declared output.
    public struct Output: Sendable, Equatable {
        public var name: String
        /// The output's expression as written in flow.yaml, e.g. `"${greet.message}"`.
        public var value: FlowValue
        public var description: String?
    }

    public var name: String
    public var description: String?
    public var inputs: [Input]
    public var outputs: [Output]
    /// The version served, for versioned flows (`v1`, `v2`, …).
    public var version: String?
    /// Whether every task the flow's registry holds is implemented; `nil` when the server does not say.
    public var isReady: Bool?
    /// The whole description as the server sent it.
    public var json: FlowValue

    init(json: FlowValue) throws(FlowClientError) {
        guard let name = json["name"]?.stringValue else { throw .invalidResponse("a flow description needs a 'name'") }
        self.name = name
        self.description = json["description"]?.stringValue
        self.inputs = (json["inputs"]?.arrayValue ?? []).compactMap { input in
            input["name"]?.stringValue.map { name in
                Input(
                    name: name,
                    type: input["type"]?.stringValue ?? "any",
                    required: input["required"]?.boolValue ?? false,
                    description: input["description"]?.stringValue,
                    defaultValue: input["default"]
                )
            }
        }
        self.outputs = (json["outputs"]?.arrayValue ?? []).compactMap { output in
            output["name"]?.stringValue.map { name in
                Output(name: name, value: output["value"] ?? .null, description: output["description"]?.stringValue)
            }
        }
        self.version = json["version"]?.stringValue
        self.isReady = json["implementation_complete"]?.boolValue
        self.json = json
    }
}
