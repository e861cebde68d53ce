import FlowCore
import Foundation
import OrderedCollections

/// What the events of one execution say about its steps: each task and subflow step's status, times,
/// attempts, inputs, outputs and error, by step path, for the execution page's diagram, timeline and step list.
///
/// Steps are keyed by their events' `step_path`, so every loop iteration and every step of a subflow is a step
/// of its own. Events stored before events carried paths are keyed by `step_id`, and their subflows' steps are
/// left out. Once the run ended, a step still running then is `cancelled` when the run was.
struct ConsoleRun {
    struct Step {
        /// The event's `step_path`, or its `step_id` when it has none.
        var path: String
        /// Whether `path` is a step path (else a step id, from older events).
        var hasPath: Bool
        var id: String
        var task: String
        var isSubflow = false
        var status = "running"
        var started: Date
        var finished: Date?
        var attempts = 1
        var inputs: FlowValue?
        var outputs: FlowValue?
        var error: String?
        var errorType: String?
        /// The errors of the attempts that were retried.
        var retriedErrors: [String] = []

        /// The diagram node's path: iterations as `[*]`.
        var pattern: String { hasPath ? ConsoleStepPath.pattern(path) : path }
    }

    /// The steps in the order they started.
    private(set) var steps: OrderedDictionary<String, Step> = [:]
    /// The keys of `steps` by ``Step/pattern``.
    private var byPattern: [String: [String]] = [:]
    /// Whether the run ended.
    let finished: Bool

    init(record: ExecutionRecord) {
        finished = record.status != .running
        for event in record.events {
            let path = event.data["step_path"]?.stringValue
            guard let id = event.stepId?.rawValue, path != nil || event.subflowPath.isEmpty else { continue }
            apply(event, key: path ?? id, hasPath: path != nil, id: id)
        }
        if record.status == .cancelled {
            for (key, step) in steps where step.finished == nil {
                steps[key]?.status = "cancelled"
                steps[key]?.finished = record.endTime
            }
        }
        byPattern = Dictionary(grouping: steps.keys) { steps[$0]?.pattern ?? $0 }
    }

    private mutating func apply(_ event: ExecutionEvent, key: String, hasPath: Bool, id: String) {
        let data = event.data
        switch event.kind {
        case .stepStarted, .subflowStarted:
            var step = Step(
                path: key, hasPath: hasPath, id: id,
                task: data["task"]?.stringValue ?? data["subflow_name"]?.stringValue ?? "",
                started: event.timestamp
            )
            step.isSubflow = event.kind == .subflowStarted
            step.inputs = data["inputs"]
            if let earlier = steps[key] { step.retriedErrors = earlier.retriedErrors }
            steps[key] = step
        case .stepCompleted, .subflowCompleted:
            steps[key]?.status = "completed"
            steps[key]?.finished = event.timestamp
            steps[key]?.outputs = data["outputs"]
        case .stepFailed, .subflowFailed:
            steps[key]?.status = "failed"
            steps[key]?.finished = event.timestamp
            steps[key]?.error = data["error"]?.stringValue
            steps[key]?.errorType = data["error_type"]?.stringValue
            if let attempts = data["attempts"]?.intValue { steps[key]?.attempts = attempts }
        case .stepRetrying:
            steps[key]?.status = "retried"
            steps[key]?.attempts = (data["next_attempt"]?.intValue ?? 2)
            if let error = data["error"]?.stringValue { steps[key]?.retriedErrors.append(error) }
        default:
            return
        }
    }

    /// The steps drawn as the diagram node at `pattern` (all iterations of a loop body's step), or, for events
    /// without paths, the node's `step_id`.
    func steps(drawnAt pattern: String, stepId: String?) -> [Step] {
        let drawn = (byPattern[pattern] ?? []).compactMap { steps[$0] }.filter(\.hasPath)
        guard let stepId else { return drawn }
        return drawn + (byPattern[stepId] ?? []).compactMap { steps[$0] }.filter { !$0.hasPath }
    }

    /// The steps inside the loop at `pattern`, in every iteration.
    func steps(inLoop pattern: String) -> [Step] {
        let prefix = pattern + "[*]"
        return steps.values.filter { $0.hasPath && $0.pattern.hasPrefix(prefix) }
    }

    /// How many iterations of each loop have steps with events, by the loop's diagram path (summed over the
    /// iterations of the loops around it).
    var loopCounts: [String: Int] {
        var iterations: [String: Set<String>] = [:]
        for step in steps.values where step.hasPath {
            var offset = 0
            while let (boundary, rest) = ConsoleStepPath.boundary(step.path, after: offset) {
                if case .iteration(let loop, let index) = boundary {
                    iterations[ConsoleStepPath.pattern(loop), default: []].insert(loop + "[" + String(index) + "]")
                }
                offset = rest
            }
        }
        return iterations.mapValues(\.count)
    }

    /// The status of a node or group with no events: `pending` while the run goes on, then `not-run` (or
    /// `silent` for a step that sends no events, which may have run).
    func statusWithoutEvents(silent: Bool) -> String {
        finished ? (silent ? "silent" : "not-run") : "pending"
    }

    /// One status for several steps (a loop body's iterations, a loop): failed before cancelled before running
    /// before retried before completed; nil for none.
    static func combined(_ statuses: some Sequence<String>) -> String? {
        let present = Set(statuses)
        return ["failed", "cancelled", "running", "retried", "completed"].first { present.contains($0) }
    }
}
