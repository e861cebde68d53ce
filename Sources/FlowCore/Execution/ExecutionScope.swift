import OrderedCollections
import Synchronization

/// The names a step can reference: inputs, loop variables, `error`, and step results.
///
/// The flow's scope holds the inputs and the flat map of step results. A loop iteration gets its own
/// scope with the loop variable and its own results, so concurrent iterations never see each other's
/// values. An `on_error` handler gets a scope that adds `error` but writes results to the enclosing one.
final class ExecutionScope: ReferenceScope {
    let parent: ExecutionScope?
    /// The flow's inputs (root scope only); iteration scopes add their variable lazily.
    private let rootInputs: FlowValue
    /// Whether the variable also shows as `${inputs.<name>}` (loop variables, not `error`).
    private let variableInInputs: Bool
    let variableName: String?
    let variableValue: FlowValue
    /// Whether results written here stay here (flow and loop scopes) or go to the parent.
    private let ownsResults: Bool
    /// Results in first-write order, to promote a loop's last iteration in order.
    private let results = Mutex<OrderedDictionary<String, FlowValue>>([:])

    private init(
        parent: ExecutionScope?, inputs: FlowValue, variable: (String, FlowValue)?, variableInInputs: Bool = false,
        ownsResults: Bool
    ) {
        self.parent = parent
        self.rootInputs = inputs
        self.variableInInputs = variableInInputs
        self.variableName = variable?.0
        self.variableValue = variable?.1 ?? .null
        self.ownsResults = ownsResults
    }

    /// The scope of a whole flow execution.
    static func root(inputs: OrderedDictionary<String, FlowValue>, expectedResults: Int = 0) -> ExecutionScope {
        let scope = ExecutionScope(parent: nil, inputs: .object(inputs), variable: nil, ownsResults: true)
        if expectedResults > 0 { scope.results.withLock { $0.reserveCapacity(expectedResults) } }
        return scope
    }

    /// A loop iteration's scope: the variable as `${name}` and `${inputs.name}`, and private results.
    func iteration(variable name: String, value: FlowValue) -> ExecutionScope {
        ExecutionScope(parent: self, inputs: .null, variable: (name, value), variableInInputs: true, ownsResults: true)
    }

    /// An error handler's scope: `${error}` visible, results written through to this scope.
    func handler(error: FlowValue) -> ExecutionScope {
        ExecutionScope(parent: self, inputs: .null, variable: ("error", error), ownsResults: false)
    }

    /// The flow inputs plus enclosing loop variables, as `${inputs}` shows them; built on demand.
    var inputs: FlowValue {
        guard let parent else { return rootInputs }
        guard variableInInputs, let name = variableName else { return parent.inputs }
        var merged = parent.inputs.objectValue ?? [:]
        merged[name] = variableValue
        return .object(merged)
    }

    func value(forRoot name: String, member key: String) -> FlowValue? {
        guard name == "inputs" else { return value(forRoot: name)?[key] }
        var scope: ExecutionScope? = self
        while let current = scope {
            if current.variableInInputs, current.variableName == key { return current.variableValue }
            if current.parent == nil { return current.rootInputs[key] }
            scope = current.parent
        }
        return nil
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
        results.withLock { results in results[id] = value }
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
        results.withLock { $0 }
    }
}
