import FlowCore

/// What one mocked task does, with the original's precedence: throwing, then a closure (or a result
/// sequence), then a return value.
struct MockConfiguration: Sendable {
    /// The closure-like behaviours; setting one replaces the other.
    enum Behavior: Sendable {
        case handler(TaskHandler)
        case results([Result<FlowValue, any Error>], next: Int)
    }

    var error: (any Error)?
    var behavior: Behavior?
    var value: FlowValue?

    /// What a call does now; takes the next result of a sequence.
    enum Action: Sendable {
        case fail(any Error)
        case call(TaskHandler)
        case produce(FlowValue)
    }

    mutating func nextAction(for name: String) -> Action {
        if let error { return .fail(error) }
        switch behavior {
        case .handler(let handler):
            return .call(handler)
        case .results(let results, let next):
            guard results.indices.contains(next) else {
                return .fail(
                    TaskError(
                        "Mock for task '\(name)' has no result left: \(results.count) given, this is call \(next + 1)",
                        type: "MockResultsExhausted"
                    )
                )
            }
            behavior = .results(results, next: next + 1)
            switch results[next] {
            case .success(let value): return .produce(value)
            case .failure(let error): return .fail(error)
            }
        case nil:
            return .produce(value ?? .null)
        }
    }
}
