/// `Sources/<Flow>Tasks/Tasks/<Task>.swift`: one task's typed input, output and stub body.
enum TaskFileTemplate {
    /// The stub marker: while a task file has this line, the task is registered as not implemented and
    /// `flowlang update` may regenerate the file.
    static let markerLine =
        "static let isImplemented = false // flowlang:stub — delete this line when the task is implemented"

    static func render(_ task: DiscoveredTask, layout: ProjectLayout) -> String {
        let outputType = task.outputs.isEmpty ? "FlowValue" : "Output"
        var lines: [String] =
            task.connections.isEmpty ? ["import FlowCore", ""] : ["import FlowConnections", "import FlowCore", ""]
        if let description = task.description {
            lines += ["/// \(SwiftNaming.comment(description))", "///"]
        }
        lines += [
            "/// The task `\(task.name)`, \(calledBy(task)).",
            "///",
            "/// Write `run`, then delete the `flowlang:stub` line below: the task is registered as implemented from the",
            "/// next build on. `flowlang update` regenerates this file only while that line is there.",
            "enum \(task.typeName): FlowTask {",
            "    \(markerLine)",
            "",
        ]
        lines += structLines(
            "Input",
            doc: "What flow.yaml passes to the task"
                + (task.callCount > 1 ? "; keys some steps leave out are optional." : "."),
            fields: task.inputs,
            decodable: true
        )
        if !task.outputs.isEmpty {
            lines.append("")
            lines += structLines(
                "Output",
                doc: "The result fields flow.yaml reads (`${\(task.stepIds.first ?? "id").field}`).",
                fields: task.outputs,
                decodable: false
            )
        }
        lines += ["", "    static func run(_ input: Input, context: TaskContext) async throws -> \(outputType) {"]
        lines += ["        // Implement \(task.name) here, then delete the `flowlang:stub` line above."]
        if !task.connections.isEmpty {
            let named = task.connections.map { "`\($0)`" }.joined(separator: ", ")
            lines += [
                "        // Its steps name `connection:` \(named): `context.database()` is the step's pool (SQLite or",
                "        // PostgreSQL), with `query`, `execute` and `transaction`; write placeholders with",
                "        // `database.placeholder(n)` (docs/databases.md). `context.sqlite()` and `context.postgres()` give typed pools.",
                "        let database = try await context.database()",
                "        throw TaskError(",
                "            " + SwiftNaming.stringLiteral("Task '\(task.name)' is not implemented yet").dropLast()
                    + " (connection '\\(database.name)' is ready)\",",
                "            type: \"NotImplementedTaskError\"",
                "        )",
            ]
        } else {
            lines += [
                "        throw TaskError(\(SwiftNaming.stringLiteral("Task '\(task.name)' is not implemented yet")), type: \"NotImplementedTaskError\")"
            ]
        }
        lines += ["    }", "}", ""]
        return lines.joined(separator: "\n")
    }

    static func calledBy(_ task: DiscoveredTask) -> String {
        let unnamed = task.callsWithoutId
        var parts: [String] = []
        if !task.stepIds.isEmpty {
            parts.append(
                (task.stepIds.count == 1 ? "called at step " : "called at steps ")
                    + task.stepIds.map { "`\($0)`" }.joined(separator: ", "))
        }
        if unnamed > 0 { parts.append("\(unnamed) step\(unnamed == 1 ? "" : "s") without an id") }
        return parts.isEmpty ? "called by flow.yaml" : parts.joined(separator: " and ")
    }

    static func structLines(_ name: String, doc: String, fields: [DiscoveredTask.Field], decodable: Bool) -> [String] {
        var lines = ["    /// \(doc)", "    struct \(name): Codable, Sendable {"]
        if fields.isEmpty {
            lines[1] = "    struct \(name): Codable, Sendable {}"
            return lines
        }
        for field in fields {
            lines.append("        var \(field.propertyName): \(field.declaredType)")
        }
        if fields.contains(where: { SwiftNaming.bare($0.propertyName) != $0.key }) {
            lines += ["", "        enum CodingKeys: String, CodingKey {"]
            for field in fields {
                let bare = SwiftNaming.bare(field.propertyName)
                lines.append(
                    bare == field.key
                        ? "            case \(field.propertyName)"
                        : "            case \(field.propertyName) = \(SwiftNaming.stringLiteral(field.key))"
                )
            }
            lines.append("        }")
        }
        lines.append("    }")
        return lines
    }
}

/// `Sources/<Flow>Tasks/FlowTask.swift` and `Sources/<Flow>Tasks/TaskRegistry+<Flow>.swift`.
enum RegistryTemplate {
    static func protocolFile(layout: ProjectLayout) -> String {
        """
        import FlowCore

        // Generated by `flowlang scaffold`; regenerated by `flowlang update` while unchanged.

        /// A task of the \(SwiftNaming.comment(layout.flowName)) flow: a typed input, a typed output (or a `FlowValue`),
        /// and whether it is implemented yet.
        protocol FlowTask: Sendable {
            associatedtype Input: Decodable & Sendable
            associatedtype Output: Encodable & Sendable

            /// `false` while the task's file has its `flowlang:stub` line; the task is then registered as a stub,
            /// the server reports it pending and answers 503 to executions.
            static var isImplemented: Bool { get }

            /// Does the task's work.
            static func run(_ input: Input, context: TaskContext) async throws -> Output
        }

        extension FlowTask {
            static var isImplemented: Bool { true }
        }

        extension TaskRegistry {
            /// Registers `task` under `name`: as a typed task when it is implemented, as a stub otherwise.
            mutating func add<T: FlowTask>(_ task: T.Type, named name: String, description: String? = nil) {
                if T.isImplemented {
                    register(name, description: description) { (input: T.Input, context) in
                        try await T.run(input, context: context)
                    }
                } else {
                    registerStub(name, description: description)
                }
            }
        }

        """
    }

    static func registryFile(tasks: [DiscoveredTask], layout: ProjectLayout) -> String {
        var lines = [
            "import FlowCore",
            "",
            "// Generated by `flowlang update` from flow.yaml: rewritten every time, so keep your code elsewhere.",
            "",
            "/// Every task flow.yaml calls, each registered as implemented or as a stub by its own file's",
            "/// `flowlang:stub` line; the built-in tasks (Echo, Fail, Sleep, Log) are included.",
            "public func makeTaskRegistry() -> TaskRegistry {",
            "    var registry = TaskRegistry()",
        ]
        for task in tasks {
            let description = task.description.map { ", description: \(SwiftNaming.stringLiteral($0))" } ?? ""
            lines.append(
                "    registry.add(\(task.typeName).self, named: \(SwiftNaming.stringLiteral(task.name))\(description))")
        }
        lines += ["    return registry", "}", ""]
        return lines.joined(separator: "\n")
    }
}
