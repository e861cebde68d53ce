import OrderedCollections

/// A run's steps as the execution page lists them: in the order they started, each loop one entry holding its
/// iterations, each subflow step holding the steps of its subflow.
indirect enum ConsoleStepTree {
    struct Iteration {
        var index: Int
        var entries: [ConsoleStepTree]
    }

    /// A task step, or a subflow step with its subflow's steps.
    case step(ConsoleRun.Step, children: [ConsoleStepTree])
    /// The loop at `path` (a step path, iterations included: `2[0].1`), its iterations by index.
    case loop(path: String, iterations: [Iteration])

    /// The entries of `run`, outermost first.
    static func entries(_ run: ConsoleRun) -> [ConsoleStepTree] {
        entries(run.steps.values.map { ($0, 0) })
    }

    /// The entries for `steps`, each with the length of the path before its place in the part being listed.
    private static func entries(_ steps: [(ConsoleRun.Step, Int)]) -> [ConsoleStepTree] {
        enum Key: Hashable {
            case step(String)
            case loop(String)
        }
        var order = OrderedSet<Key>()
        var leaves: [String: ConsoleRun.Step] = [:]
        var children: [String: [(ConsoleRun.Step, Int)]] = [:]
        var loops: [String: OrderedDictionary<Int, [(ConsoleRun.Step, Int)]>] = [:]
        for (step, offset) in steps {
            let boundary = step.hasPath ? ConsoleStepPath.boundary(step.path, after: offset) : nil
            switch boundary?.boundary {
            case nil:
                leaves[step.path] = step
                order.append(.step(step.path))
            case .iteration(let loop, let index):
                loops[loop, default: [:]][index, default: []].append((step, boundary?.rest ?? 0))
                order.append(.loop(loop))
            case .subflow(let parent):
                children[parent, default: []].append((step, boundary?.rest ?? 0))
                order.append(.step(parent))
            }
        }
        return order.flatMap { key -> [ConsoleStepTree] in
            switch key {
            case .step(let path):
                let nested = entries(children[path] ?? [])
                guard let step = leaves[path] else { return nested }
                return [.step(step, children: nested)]
            case .loop(let path):
                let iterations = (loops[path] ?? [:]).sorted { $0.key < $1.key }.map {
                    Iteration(index: $0.key, entries: entries($0.value))
                }
                return [.loop(path: path, iterations: iterations)]
            }
        }
    }

    /// The statuses of every step in this entry, nested ones included.
    var statuses: [String] {
        switch self {
        case .step(let step, let children): [step.status] + children.flatMap(\.statuses)
        case .loop(_, let iterations): iterations.flatMap { $0.entries.flatMap(\.statuses) }
        }
    }
}
