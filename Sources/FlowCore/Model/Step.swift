/// One entry of a `steps:` list.
public indirect enum Step: Sendable {
    case task(TaskStep)
    case parallel(ParallelStep)
    case conditional(ConditionalStep)
    case switchCase(SwitchStep)
    case forEach(ForEachStep)
    case subflow(SubflowStep)
    case exit(ExitStep)

    /// Where the step is written.
    public var location: SourceLocation {
        switch self {
        case .task(let step): step.location
        case .parallel(let step): step.location
        case .conditional(let step): step.location
        case .switchCase(let step): step.location
        case .forEach(let step): step.location
        case .subflow(let step): step.location
        case .exit(let step): step.location
        }
    }

    /// The step's `id:`, for the kinds that store a result under it.
    public var id: String? {
        switch self {
        case .task(let step): step.id
        case .forEach(let step): step.id
        case .subflow(let step): step.id
        case .parallel, .conditional, .switchCase, .exit: nil
        }
    }

    /// The YAML key that names this kind of step.
    public var kindName: String {
        switch self {
        case .task: "task"
        case .parallel: "parallel"
        case .conditional: "if"
        case .switchCase: "switch"
        case .forEach: "for_each"
        case .subflow: "subflow"
        case .exit: "exit"
        }
    }

    /// The step lists nested directly in this step, handlers included.
    public var childStepLists: [[Step]] {
        switch self {
        case .task(let step): step.onError.map { [$0] } ?? []
        case .parallel(let step): step.branches
        case .conditional(let step): [step.thenSteps, step.elseSteps]
        case .switchCase(let step): step.cases.map(\.steps) + (step.defaultSteps.map { [$0] } ?? [])
        case .forEach(let step): [step.steps]
        case .subflow(let step): step.onError.map { [$0] } ?? []
        case .exit: []
        }
    }
}

/// Calls a registered task.
public struct TaskStep: Sendable {
    /// The registered task name.
    public var task: String
    /// Where the result is stored; without it the result is not kept.
    public var id: String?
    /// The inputs passed to the task, resolved just before the call.
    public var inputs: ValueTemplate
    /// How failed attempts are retried.
    public var retry: RetryPolicy
    /// Steps run when every attempt failed; the flow then continues.
    public var onError: [Step]?
    /// The task runs only when this holds (`if:` on a task step).
    public var condition: Condition?
    /// Step ids that must have produced a result before this step runs.
    public var dependsOn: [String]
    /// Overrides the flow's `silent:` for this step.
    public var silent: Bool?
    /// The longest one attempt may take.
    public var timeout: Duration?
    /// The named connection handed to the task.
    public var connection: String?
    /// The step's `description:`, documentation only.
    public var description: String?
    /// The result keys the YAML says the task returns (`outputs:`); documentation, not enforced.
    public var declaredOutputs: [String] = []
    /// Where the step is written.
    public var location: SourceLocation

    public init(
        task: String,
        id: String? = nil,
        inputs: ValueTemplate = .literal(.emptyObject),
        retry: RetryPolicy = .none,
        onError: [Step]? = nil,
        condition: Condition? = nil,
        dependsOn: [String] = [],
        silent: Bool? = nil,
        timeout: Duration? = nil,
        connection: String? = nil,
        location: SourceLocation
    ) {
        self.task = task
        self.id = id
        self.inputs = inputs
        self.retry = retry
        self.onError = onError
        self.condition = condition
        self.dependsOn = dependsOn
        self.silent = silent
        self.timeout = timeout
        self.connection = connection
        self.location = location
    }

    /// The id events and errors use: the explicit id, else the task name.
    public var stepId: StepID { StepID(rawValue: id ?? task) }
}

/// Runs its branches concurrently and waits for all of them.
public struct ParallelStep: Sendable {
    /// Each branch is a list of steps (one step per entry of `parallel:`).
    public var branches: [[Step]]
    public var location: SourceLocation

    public init(branches: [[Step]], location: SourceLocation) {
        self.branches = branches
        self.location = location
    }
}

/// `if` / `then` / `else`.
public struct ConditionalStep: Sendable {
    public var condition: Condition
    public var thenSteps: [Step]
    public var elseSteps: [Step]
    public var location: SourceLocation

    public init(condition: Condition, thenSteps: [Step], elseSteps: [Step], location: SourceLocation) {
        self.condition = condition
        self.thenSteps = thenSteps
        self.elseSteps = elseSteps
        self.location = location
    }
}

/// `switch` / `cases`, with an optional default.
public struct SwitchStep: Sendable {
    /// The value compared against each case.
    public var value: ValueTemplate
    /// The cases, tried in order; the first match runs.
    public var cases: [SwitchCase]
    /// Runs when no case matched, whether written as a case entry or beside `cases`.
    public var defaultSteps: [Step]?
    public var location: SourceLocation

    public init(value: ValueTemplate, cases: [SwitchCase], defaultSteps: [Step]?, location: SourceLocation) {
        self.value = value
        self.cases = cases
        self.defaultSteps = defaultSteps
        self.location = location
    }
}

/// One `when:` entry of a switch.
public struct SwitchCase: Sendable {
    /// A value, or a list meaning "any of these".
    public var match: ValueTemplate
    public var steps: [Step]
    public var location: SourceLocation

    public init(match: ValueTemplate, steps: [Step], location: SourceLocation) {
        self.match = match
        self.steps = steps
        self.location = location
    }
}

/// Runs its body once per element of a list.
public struct ForEachStep: Sendable {
    /// Resolves to the list to iterate.
    public var items: ValueTemplate
    /// The loop variable's name (`as:`, default `item`).
    public var variable: String
    /// The loop body.
    public var steps: [Step]
    /// Where the list of per-iteration results is stored.
    public var id: String?
    /// How many iterations may run at once; 1 runs them in order.
    public var maxConcurrency: Int
    public var location: SourceLocation

    public init(
        items: ValueTemplate,
        variable: String = "item",
        steps: [Step],
        id: String? = nil,
        maxConcurrency: Int = 1,
        location: SourceLocation
    ) {
        self.items = items
        self.variable = variable
        self.steps = steps
        self.id = id
        self.maxConcurrency = maxConcurrency
        self.location = location
    }
}

/// Runs another flow, found by name next to the calling flow.
public struct SubflowStep: Sendable {
    /// The subflow's file or directory name.
    public var name: String
    public var id: String?
    public var inputs: ValueTemplate
    public var retry: RetryPolicy
    public var onError: [Step]?
    public var location: SourceLocation

    public init(
        name: String,
        id: String? = nil,
        inputs: ValueTemplate = .literal(.emptyObject),
        retry: RetryPolicy = .none,
        onError: [Step]? = nil,
        location: SourceLocation
    ) {
        self.name = name
        self.id = id
        self.inputs = inputs
        self.retry = retry
        self.onError = onError
        self.location = location
    }

    /// The id events and errors use: the explicit id, else the subflow name.
    public var stepId: StepID { StepID(rawValue: id ?? name) }
}

/// Ends the flow early, successfully, with a reason and outputs.
public struct ExitStep: Sendable {
    public var reason: ValueTemplate?
    public var outputs: ValueTemplate?
    public var location: SourceLocation

    public init(reason: ValueTemplate? = nil, outputs: ValueTemplate? = nil, location: SourceLocation) {
        self.reason = reason
        self.outputs = outputs
        self.location = location
    }
}
