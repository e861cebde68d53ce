import OrderedCollections

extension StepRunner {
    /// Runs a loop body per element, each iteration in its own scope.
    ///
    /// After the loop the last iteration's results are visible as plain step ids (as in the original);
    /// a loop `id` holds the list of every iteration's results.
    func runForEach(_ loop: ForEachStep, in scope: ExecutionScope, at path: StepPath) async throws {
        let value = try resolve(loop.items, in: scope, step: loop.id, what: "for_each")
        guard case .array(let items) = value else {
            throw FlowRunError("for_each requires a list, got \(value.kindName)", step: loop.id)
        }
        guard !items.isEmpty else {
            if let id = loop.id { scope.store(.array([]), for: id) }
            return
        }
        var perIteration: [OrderedDictionary<String, FlowValue>] = []
        let lastResults: OrderedDictionary<String, FlowValue>
        if loop.maxConcurrency <= 1 || items.count == 1 {
            var last = OrderedDictionary<String, FlowValue>()
            for (index, item) in items.enumerated() {
                if Task.isCancelled { throw CancellationError() }
                let iteration = scope.iteration(variable: loop.variable, value: item)
                try await runSteps(loop.steps, in: iteration, at: path.iteration(index))
                last = iteration.ownResults
                if loop.id != nil { perIteration.append(last) }
            }
            lastResults = last
        } else {
            let results = try await runConcurrently(loop, items: items, in: scope, at: path)
            perIteration = results
            lastResults = results.last ?? [:]
        }
        for (id, result) in lastResults { scope.store(result, for: id) }
        if let id = loop.id { scope.store(.array(perIteration.map(FlowValue.object)), for: id) }
    }

    /// At most `maxConcurrency` iterations at a time; results come back in item order.
    private func runConcurrently(
        _ loop: ForEachStep,
        items: [FlowValue],
        in scope: ExecutionScope,
        at path: StepPath
    ) async throws -> [OrderedDictionary<String, FlowValue>] {
        try await withThrowingTaskGroup(of: (Int, OrderedDictionary<String, FlowValue>).self) { group in
            var results = Array(repeating: OrderedDictionary<String, FlowValue>(), count: items.count)
            var next = 0
            func startNext() {
                let index = next
                let iteration = scope.iteration(variable: loop.variable, value: items[index])
                group.addTask {
                    try await runSteps(loop.steps, in: iteration, at: path.iteration(index))
                    return (index, iteration.ownResults)
                }
                next += 1
            }
            while next < min(loop.maxConcurrency, items.count) { startNext() }
            while let (index, result) = try await group.next() {
                results[index] = result
                if next < items.count {
                    if Task.isCancelled { throw CancellationError() }
                    startNext()
                }
            }
            return results
        }
    }
}
