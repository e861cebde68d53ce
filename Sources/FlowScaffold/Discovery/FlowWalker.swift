import FlowCore

extension FlowAnalysis {
    /// One task step calling a task.
    struct Use {
        var id: String?
        var inputs: ValueTemplate
        var description: String?
        /// The step's `connection:`.
        var connection: String?
    }

    /// Where a loop variable's values come from: a root (`inputs` or a step id) and a path.
    struct Origin {
        var root: String
        var path: [Shape.PathStep]
    }

    /// Walks every step list (branches, cases, defaults, loop bodies, parallel blocks, `on_error` of any
    /// step, `on_cancel`), collecting task uses and the shapes of the values the flow reads.
    ///
    /// Subflow steps contribute their inputs and handlers; the subflow's own tasks belong to its package.
    struct Walker {
        let flow: FlowDefinition
        var order: [String] = []
        var uses: [String: [Use]] = [:]
        var shapes: [String: Shape] = [:]

        init(flow: FlowDefinition) {
            self.flow = flow
        }

        mutating func visit(_ steps: [Step], loops: [String: Origin]) {
            for step in steps { visit(step, loops: loops) }
        }

        mutating func visit(_ step: Step, loops: [String: Origin]) {
            switch step {
            case .task(let task):
                if uses[task.task] == nil { order.append(task.task) }
                uses[task.task, default: []].append(
                    Use(id: task.id, inputs: task.inputs, description: task.description, connection: task.connection))
                if let id = task.id {
                    for key in task.declaredOutputs { shapes[id, default: Shape()].record([.key(key)][...], .none) }
                }
                if let condition = task.condition { visit(condition, want: true, loops: loops) }
                visit(task.inputs, .none, loops: loops)
                visit(task.onError ?? [], loops: loops)
            case .parallel(let parallel):
                for branch in parallel.branches { visit(branch, loops: loops) }
            case .conditional(let conditional):
                let exitsOnTrue = Self.exits(conditional.thenSteps) && !Self.exits(conditional.elseSteps)
                visit(conditional.condition, want: !exitsOnTrue, loops: loops)
                visit(conditional.thenSteps, loops: loops)
                visit(conditional.elseSteps, loops: loops)
            case .switchCase(let switchStep):
                let firstCase = switchStep.cases.lazy.compactMap { Self.firstLiteral(of: $0.match) }.first
                visit(switchStep.value, firstCase.map(Shape.Evidence.literal) ?? .none, loops: loops)
                for switchCase in switchStep.cases {
                    visit(switchCase.match, .none, loops: loops)
                    visit(switchCase.steps, loops: loops)
                }
                visit(switchStep.defaultSteps ?? [], loops: loops)
            case .forEach(let loop):
                var inner = loops
                if case .reference(let reference) = loop.items, let origin = origin(of: reference, loops: loops) {
                    markArray(origin)
                    inner[loop.variable] = Origin(root: origin.root, path: origin.path + [.element])
                } else {
                    visit(loop.items, .none, loops: loops)
                    inner[loop.variable] = nil
                }
                visit(loop.steps, loops: inner)
            case .subflow(let subflow):
                visit(subflow.inputs, .none, loops: loops)
                visit(subflow.onError ?? [], loops: loops)
            case .exit(let exit):
                if let reason = exit.reason { visit(reason, .none, loops: loops) }
                if let outputs = exit.outputs { visit(outputs, .none, loops: loops) }
            }
        }

        /// The first scalar a `when:` matches: the value, or the first element of a list.
        static func firstLiteral(of match: ValueTemplate) -> FlowValue? {
            guard case .literal(let value) = match else { return nil }
            if case .array(let elements) = value { return elements.first }
            return value
        }

        mutating func visit(_ template: ValueTemplate, _ evidence: Shape.Evidence, loops: [String: Origin]) {
            if case .reference(let reference) = template {
                record(reference, evidence, loops: loops)
            } else {
                for reference in template.references { record(reference, .none, loops: loops) }
            }
        }

        /// A condition, with the outcome a happy-path run wants: `false` when its `then` branch exits (so the
        /// mocks steer around early exits), else `true`.
        mutating func visit(_ condition: Condition, want: Bool = true, loops: [String: Origin]) {
            switch condition {
            case .constant: break
            case .expression(let expression, _): visit(expression, want: want, loops: loops)
            case .any(let conditions), .all(let conditions):
                for condition in conditions { visit(condition, want: want, loops: loops) }
            case .none(let conditions):
                for condition in conditions { visit(condition, want: !want, loops: loops) }
            }
        }

        /// Whether a step list ends the flow right there.
        static func exits(_ steps: [Step]) -> Bool {
            steps.contains { if case .exit = $0 { true } else { false } }
        }

        mutating func visit(_ expression: Expression, want: Bool?, loops: [String: Origin]) {
            switch expression {
            case .literal: break
            case .value(let template): visit(template, want.map { .literal(.bool($0)) } ?? .none, loops: loops)
            case .not(let operand): visit(operand, want: want.map { !$0 }, loops: loops)
            case .and(let left, let right), .or(let left, let right):
                visit(left, want: want, loops: loops)
                visit(right, want: want, loops: loops)
            case .compare(let comparison, let left, let right):
                compare(left, comparison, right, want: want ?? true, loops: loops)
                compare(right, comparison.mirrored, left, want: want ?? true, loops: loops)
            case .contains(let element, let collection):
                if case .value(.reference(let reference)) = collection, let origin = origin(of: reference, loops: loops)
                {
                    markArray(origin)
                    if case .literal(let value) = element { record(origin, [.element], .literal(value)) }
                } else {
                    visit(collection, want: nil, loops: loops)
                }
                if case .literal(.array(let options)) = collection, let first = options.first,
                    case .value(.reference(let reference)) = element
                {
                    record(reference, .literal(first), loops: loops)
                } else {
                    visit(element, want: nil, loops: loops)
                }
            case .length(let operand):
                if case .value(.reference(let reference)) = operand, let origin = origin(of: reference, loops: loops) {
                    markArray(origin)
                } else {
                    visit(operand, want: nil, loops: loops)
                }
            }
        }

        /// One side of a comparison: a reference compared with a literal gets a value of the literal's kind
        /// that makes the comparison come out as `want`.
        mutating func compare(
            _ side: Expression, _ comparison: ComparisonOperator, _ other: Expression, want: Bool,
            loops: [String: Origin]
        ) {
            if case .value(.reference(let reference)) = side {
                if case .literal(let value) = other, !value.isNull {
                    record(reference, .literal(Self.value(comparison, value, want: want)), loops: loops)
                } else {
                    record(reference, .none, loops: loops)
                }
            } else {
                visit(side, want: nil, loops: loops)
            }
        }

        /// A value `x` of `literal`'s kind for which `x <comparison> literal` is `want`.
        static func value(_ comparison: ComparisonOperator, _ literal: FlowValue, want: Bool) -> FlowValue {
            let holds: Bool
            switch comparison {
            case .equal, .lessOrEqual, .greaterOrEqual: holds = want
            case .notEqual, .less, .greater: holds = !want
            }
            if holds { return literal }
            let delta = comparison == .less || comparison == .greaterOrEqual ? -1 : 1
            switch literal {
            case .bool(let flag): return .bool(!flag)
            case .int(let number): return .int(number + delta)
            case .double(let number): return .double(number + Double(delta))
            case .string(let text): return .string(text == "other" ? "another" : "other")
            default: return literal
            }
        }

        mutating func record(_ reference: Reference, _ evidence: Shape.Evidence, loops: [String: Origin]) {
            guard var origin = origin(of: reference, loops: loops) else { return }
            if case .key("length") = origin.path.last {
                origin.path.removeLast()
                markArray(origin)
                return
            }
            record(origin, [], evidence)
        }

        mutating func record(_ origin: Origin, _ extra: [Shape.PathStep], _ evidence: Shape.Evidence) {
            shapes[origin.root, default: Shape()].record((origin.path + extra)[...], evidence)
        }

        mutating func markArray(_ origin: Origin) {
            shapes[origin.root, default: Shape()].markArray(origin.path[...])
        }

        /// The root and path a reference reads, following loop variables (also written `${inputs.item}`);
        /// `nil` for `${error}`.
        func origin(of reference: Reference, loops: [String: Origin]) -> Origin? {
            let path = reference.path.map { component -> Shape.PathStep in
                switch component {
                case .index: .element
                case .key(let key): key.allSatisfy(\.isNumber) && !key.isEmpty ? .element : .key(key)
                }
            }
            if let loop = loops[reference.root] {
                return Origin(root: loop.root, path: loop.path + path)
            }
            if reference.root == "inputs", case .key(let name)? = path.first, let loop = loops[name],
                !flow.inputs.contains(where: { $0.name == name })
            {
                return Origin(root: loop.root, path: loop.path + path.dropFirst())
            }
            if reference.root == "error" { return nil }
            return Origin(root: reference.root, path: path)
        }
    }
}

extension ComparisonOperator {
    /// The operator with its operands swapped: `a < b` is `b > a`.
    var mirrored: ComparisonOperator {
        switch self {
        case .equal, .notEqual: self
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        }
    }
}
