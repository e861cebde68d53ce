import OrderedCollections
import Synchronization

/// The names a step can reference: inputs, loop variables, `error`, and step results.
///
/// The flow's scope holds the inputs and the flat map of step results. A loop iteration gets its own
/// scope with the loop variable and its own results, so concurrent iterations never see each other's
/// values. An `on_error` handler gets a scope that adds `error` but writes results to the enclosing one.
final class ExecutionScope: ReferenceScope {
    let parent: ExecutionScope?
    /// The flow inputs plus enclosing loop variables, as `${inputs}` shows them.
    let inputs: FlowValue
    let variableName: String?
    let variableValue: FlowValue
    /// Whether results written here stay here (flow and loop scopes) or go to the parent.
    private let ownsResults: Bool
    private let results = Mutex<[String: FlowValue]>([:])
    /// Keys in the order they were first written, to promote a loop's last iteration in order.
    private let resultOrder = Mutex<[String]>([])

    private init(parent: ExecutionScope?, inputs: FlowValue, variable: (String, FlowValue)?, ownsResults: Bool) {
        self.parent = parent
        self.inputs = inputs
        self.variableName = variable?.0
        self.variableValue = variable?.1 ?? .null
        self.ownsResults = ownsResults
    }

    /// The scope of a whole flow execution.
    static func root(inputs: OrderedDictionary<String, FlowValue>) -> ExecutionScope {
        ExecutionScope(parent: nil, inputs: .object(inputs), variable: nil, ownsResults: true)
    }

    /// A loop iteration's scope: the variable as `${name}` and `${inputs.name}`, and private results.
    func iteration(variable name: String, value: FlowValue) -> ExecutionScope {
        var merged = inputs.objectValue ?? [:]
        merged[name] = value
        return ExecutionScope(parent: self, inputs: .object(merged), variable: (name, value), ownsResults: true)
    }

    /// An error handler's scope: `${error}` visible, results written through to this scope.
    func handler(error: FlowValue) -> ExecutionScope {
        ExecutionScope(parent: self, inputs: inputs, variable: ("error", error), ownsResults: false)
    }

    func value(forRoot name: String) -> FlowValue? {
        if name == "inputs" { return inputs }
        var scope: ExecutionScope? = self
        while let current = scope {
            if current.variableName == name { return current.variableValue }
            if current.ownsResults, let value = current.results.withLock({ $0[name] }) { return value }
            scope = current.parent
        }
        return nil
    }

    /// Stores a step's result under its id.
    func store(_ value: FlowValue, for id: String) {
        guard ownsResults else {
            parent?.store(value, for: id)
            return
        }
        let isNew = results.withLock { results in results.updateValue(value, forKey: id) == nil }
        if isNew { resultOrder.withLock { $0.append(id) } }
    }

    /// Whether a result is stored under `id` here or in an enclosing scope.
    func hasResult(_ id: String) -> Bool {
        var scope: ExecutionScope? = self
        while let current = scope {
            if current.ownsResults, current.results.withLock({ $0[id] != nil }) { return true }
            scope = current.parent
        }
        return false
    }

    /// This scope's own results, in first-write order.
    var ownResults: OrderedDictionary<String, FlowValue> {
        let order = resultOrder.withLock { $0 }
        let values = results.withLock { $0 }
        var ordered = OrderedDictionary<String, FlowValue>()
        for key in order { ordered[key] = values[key] }
        return ordered
    }
}
