package import FlowCore
import Foundation

/// Everything the scaffolder learns from a flow: its tasks (in every nested place), the built-in tasks it
/// uses, the shapes of the values it reads, and the environment variables its text names.
package struct FlowAnalysis: Sendable {
    /// The tasks needing Swift code, sorted by name.
    package var tasks: [DiscoveredTask]
    /// Built-in tasks the flow calls (`Echo`, `Log`, …): registered already, so no file is generated.
    package var builtinTasks: [String]
    /// What the flow reads of each step result (by step id) and of `inputs`.
    package var shapes: [String: Shape]
    /// `X` of every `${env.X}` and `${env.X:-default}` in the flow's text, sorted.
    package var environmentVariables: [String]
    /// The defaults `${env.X:-default}` gives, by variable.
    package var environmentDefaults: [String: String] = [:]

    /// Whether a step names a `connection:`: the tasks target then depends on FlowConnections.
    package var usesDatabases: Bool { tasks.contains { !$0.connections.isEmpty } }

    /// Analyses `flow`; `source` is its YAML text, searched for `${env.X}`.
    package static func analyze(_ flow: FlowDefinition, source: String) -> FlowAnalysis {
        var walker = Walker(flow: flow)
        walker.visit(flow.steps, loops: [:])
        walker.visit(flow.onCancel, loops: [:])
        for output in flow.outputs { walker.visit(output.value, .none, loops: [:]) }
        let builtins = Set(TaskRegistry().allTasks.filter(\.isBuiltin).map(\.name))
        var tasks: [DiscoveredTask] = []
        var typeNames: Set<String> = []
        for name in walker.order where !builtins.contains(name) {
            let uses = walker.uses[name] ?? []
            var typeName = SwiftNaming.taskTypeName(name)
            var counter = 2
            while typeNames.contains(typeName) {
                typeName = SwiftNaming.taskTypeName(name) + "\(counter)"
                counter += 1
            }
            typeNames.insert(typeName)
            let ids = uses.compactMap(\.id).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            var inputs = InputInference(flow: flow).fields(for: uses.map(\.inputs))
            FieldNaming.assignPropertyNames(&inputs)
            var outputs = Self.outputFields(ids: ids, shapes: walker.shapes)
            FieldNaming.assignPropertyNames(&outputs)
            tasks.append(
                DiscoveredTask(
                    name: name, typeName: typeName, stepIds: ids, callCount: uses.count,
                    callsWithoutId: uses.filter { $0.id == nil }.count, inputs: inputs,
                    outputs: outputs, mockResult: Self.mockResult(ids: ids, shapes: walker.shapes),
                    description: uses.lazy.compactMap(\.description).first,
                    connections: uses.compactMap(\.connection).reduce(into: [String]()) {
                        if !$0.contains($1) { $0.append($1) }
                    }
                )
            )
        }
        let variables = Self.environmentVariables(in: source)
        return FlowAnalysis(
            tasks: tasks.sorted { $0.name < $1.name },
            builtinTasks: walker.order.filter { builtins.contains($0) }.sorted(),
            shapes: walker.shapes,
            environmentVariables: variables.map(\.name).reduce(into: [String]()) {
                if !$0.contains($1) { $0.append($1) }
            },
            environmentDefaults: variables.reduce(into: [String: String]()) { defaults, variable in
                if let fallback = variable.fallback, defaults[variable.name] == nil {
                    defaults[variable.name] = fallback
                }
            }
        )
    }

    /// The result fields read of any of `ids`, typed from how they are read.
    static func outputFields(ids: [String], shapes: [String: Shape]) -> [DiscoveredTask.Field] {
        var fields: [DiscoveredTask.Field] = []
        for id in ids {
            guard let shape = shapes[id] else { continue }
            for key in shape.keys {
                let type = shape.members[key]?.swiftType ?? .flowValue
                if let index = fields.firstIndex(where: { $0.key == key }) {
                    fields[index].type = fields[index].type == type ? type : .flowValue
                } else {
                    fields.append(DiscoveredTask.Field(key: key, propertyName: key, type: type, isOptional: false))
                }
            }
        }
        return fields
    }

    /// A result object with every field the flow reads of `ids`.
    static func mockResult(ids: [String], shapes: [String: Shape]) -> FlowValue {
        var result: FlowValue = .emptyObject
        for id in ids {
            guard let shape = shapes[id], !shape.isEmpty else { continue }
            let rendered = shape.render(key: id, fallback: { _ in "mock" })
            guard case .object = rendered else {
                if ids.count == 1 { return rendered }
                continue
            }
            for key in shape.keys where result[key] == nil {
                result = result.setting(key, rendered[key] ?? .null)
            }
        }
        return result
    }

    /// Sample inputs for a run of the whole flow: a value for every input without a default, shaped by how
    /// the flow reads it (one element per array whose elements are read, the first case of a switch).
    package func sampleInputs(for flow: FlowDefinition) -> [(name: String, value: FlowValue)] {
        let inputs = shapes["inputs"] ?? Shape()
        return flow.inputs.filter { $0.defaultValue == nil }.map { input in
            let shape = inputs.members[input.name] ?? Shape()
            let rendered = shape.render(key: input.name, fallback: { _ in "sample" })
            let value: FlowValue
            switch input.type {
            case .string: value = rendered.stringValue.map(FlowValue.string) ?? "sample"
            case .integer: value = rendered.intValue.map(FlowValue.int) ?? 1
            case .number: value = rendered.doubleValue != nil ? rendered : 1
            case .boolean: value = rendered.boolValue.map(FlowValue.bool) ?? true
            case .array: value = rendered.arrayValue != nil ? rendered : .array([])
            case .object: value = rendered.objectValue != nil ? rendered : .emptyObject
            case .any: value = rendered
            }
            return (input.name, value)
        }
    }

    /// Every `${env.X}` and `${env.X:-default}` of `source`, sorted by name.
    static func environmentVariables(in source: String) -> [(name: String, fallback: String?)] {
        var found: [(name: String, fallback: String?)] = []
        var rest = Substring(source)
        while let range = rest.range(of: "${env.") {
            let after = rest[range.upperBound...]
            let name = after.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            let tail = after.dropFirst(name.count)
            if !name.isEmpty, tail.first == "}" {
                found.append((String(name), nil))
            } else if !name.isEmpty, tail.hasPrefix(":-"), let close = tail.firstIndex(of: "}") {
                found.append((String(name), String(tail[tail.index(tail.startIndex, offsetBy: 2)..<close])))
            }
            rest = after
        }
        return found.sorted { $0.name < $1.name }
    }
}
