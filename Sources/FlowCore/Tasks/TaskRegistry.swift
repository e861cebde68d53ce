import Foundation
import OrderedCollections

/// The body of a dynamic task: inputs as an object in, any value out.
public typealias TaskHandler = @Sendable (_ inputs: FlowValue, _ context: TaskContext) async throws -> FlowValue

/// A task known to a registry.
public struct RegisteredTask: Sendable {
    public init(
        name: String, description: String?, isImplemented: Bool, isBuiltin: Bool, handler: @escaping TaskHandler
    ) {
        self.name = name
        self.description = description
        self.isImplemented = isImplemented
        self.isBuiltin = isBuiltin
        self.handler = handler
    }

    public var name: String
    public var description: String?
    /// `false` for stubs: calling one fails with `NotImplementedTaskError`.
    public var isImplemented: Bool
    /// Whether the task is one of FlowLang's built-ins.
    public var isBuiltin: Bool
    public var handler: TaskHandler
}

/// Maps task names to Swift code.
///
/// Two ways to write a task:
/// ```swift
/// var registry = TaskRegistry()
/// // dynamic: FlowValue in, FlowValue out
/// registry.register("Greet") { inputs, context in
///     ["greeting": .string("Hello, \(inputs["name"]?.stringValue ?? "you")!")]
/// }
/// // typed: Codable input and output
/// struct Charge: Codable { var amount: Double }
/// struct Receipt: Codable { var transaction_id: String }
/// registry.register("ChargeCard") { (input: Charge, context) in
///     Receipt(transaction_id: "tx-\(context.executionId)")
/// }
/// ```
/// The built-in tasks `Echo`, `Fail`, `Sleep` and `Log` are present unless `includeBuiltins` is false;
/// registering the same name replaces them.
public struct TaskRegistry: Sendable {
    private var tasks: [String: RegisteredTask] = [:]

    public init(includeBuiltins: Bool = true) {
        if includeBuiltins {
            for task in BuiltinTasks.all { tasks[task.name] = task }
        }
    }

    /// Registers a dynamic task, replacing any task of the same name.
    public mutating func register(_ name: String, description: String? = nil, _ handler: @escaping TaskHandler) {
        tasks[name] = RegisteredTask(
            name: name,
            description: description,
            isImplemented: true,
            isBuiltin: false,
            handler: handler
        )
    }

    /// Registers a typed task: inputs decode into `Input`, the returned `Output` encodes into the result.
    public mutating func register<Input: Decodable & Sendable, Output: Encodable & Sendable>(
        _ name: String,
        description: String? = nil,
        _ body: @escaping @Sendable (Input, TaskContext) async throws -> Output
    ) {
        register(name, description: description) { inputs, context in
            let input = try TypedTaskCoding.decode(Input.self, from: inputs, task: name)
            let output = try await body(input, context)
            return try TypedTaskCoding.encode(output, task: name)
        }
    }

    /// Registers a task as given, keeping its flags; use it to wrap existing tasks' handlers.
    public mutating func register(_ task: RegisteredTask) {
        tasks[task.name] = task
    }

    /// Registers a placeholder that counts as not implemented until replaced.
    public mutating func registerStub(_ name: String, description: String? = nil) {
        tasks[name] = RegisteredTask(
            name: name,
            description: description,
            isImplemented: false,
            isBuiltin: false,
            handler: { _, _ in throw TaskLookupError.notImplemented(name) }
        )
    }

    /// Adds every task of `other`, replacing tasks of the same name.
    public mutating func merge(_ other: TaskRegistry) {
        for (name, task) in other.tasks where !task.isBuiltin || tasks[name] == nil { tasks[name] = task }
    }

    /// The task named `name`, if registered.
    public func task(named name: String) -> RegisteredTask? { tasks[name] }

    /// The callable task named `name`, or why it cannot be called.
    public func callableTask(named name: String) throws(TaskLookupError) -> RegisteredTask {
        guard let task = tasks[name] else { throw .notFound(name) }
        guard task.isImplemented else { throw .notImplemented(name) }
        return task
    }

    /// All registered tasks, sorted by name.
    public var allTasks: [RegisteredTask] { tasks.values.sorted { $0.name < $1.name } }

    /// How far the tasks a flow calls are implemented.
    public func readiness(for flow: FlowDefinition) -> Readiness {
        var implemented: [String] = []
        var unimplemented: [String] = []
        var missing: [String] = []
        for name in flow.referencedTaskNames {
            switch tasks[name] {
            case .some(let task) where task.isImplemented: implemented.append(name)
            case .some: unimplemented.append(name)
            case .none: missing.append(name)
            }
        }
        return Readiness(implemented: implemented, unimplemented: unimplemented, missing: missing)
    }
}

/// Which of a flow's tasks can run.
public struct Readiness: Sendable, Equatable {
    /// Referenced tasks that are registered and implemented.
    public var implemented: [String]
    /// Referenced tasks registered as stubs.
    public var unimplemented: [String]
    /// Referenced tasks not registered at all.
    public var missing: [String]

    /// Every referenced task.
    public var total: Int { implemented.count + unimplemented.count + missing.count }
    /// Tasks that still need work: stubs and missing ones.
    public var pending: [String] { unimplemented + missing }
    /// Whether every referenced task can run.
    public var isReady: Bool { pending.isEmpty }
    /// `"3/5"`.
    public var progress: String { "\(implemented.count)/\(total)" }
    /// Percentage implemented, 100 for a flow that calls no task.
    public var percentage: Double {
        total == 0 ? 100 : (Double(implemented.count) * 1000 / Double(total)).rounded() / 10
    }
}

/// JSON bridging between ``FlowValue`` and typed task inputs and outputs.
enum TypedTaskCoding {
    static func decode<Input: Decodable>(_ type: Input.Type, from value: FlowValue, task: String) throws -> Input {
        do {
            return try JSONDecoder().decode(Input.self, from: Data(value.jsonText.utf8))
        } catch let error as DecodingError {
            throw TaskError("invalid inputs for task '\(task)': \(describe(error))", type: "InvalidTaskInput")
        }
    }

    static func encode<Output: Encodable>(_ output: Output, task: String) throws -> FlowValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(output)
        do {
            return try FlowValue(json: String(decoding: data, as: UTF8.self))
        } catch {
            throw TaskError("task '\(task)' returned a value that is not JSON: \(error)", type: "InvalidTaskOutput")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing input '\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "input '\(path(context))' must be \(type)"
        case .valueNotFound(let type, let context):
            return "input '\(path(context))' must be \(type), got null"
        case .dataCorrupted(let context):
            return "input '\(path(context))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
