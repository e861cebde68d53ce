import OrderedCollections
import Yams

/// Building steps: kind detection by key, each kind's keys, and per-list checks.
extension FlowBuilder {
    static let kindKeys = ["task", "parallel", "if", "switch", "for_each", "subflow", "exit"]
    static let commonStepKeys = ["id", "description", "name"]
    static let taskKeys = [
        "task", "inputs", "retry", "on_error", "if", "depends_on", "connection", "silent", "timeout", "outputs",
    ]

    func buildStepList(_ node: Node, what: String, context: Context) -> [Step] {
        if case .scalar(let scalar) = node, YAMLScalar.value(of: scalar) == .null { return [] }
        guard case .sequence(let sequence) = node else {
            reader.error("\(what) must be a list of steps, found \(reader.describe(node))", at: node)
            return []
        }
        var steps: [Step] = []
        var idsInList: [String: SourceLocation] = [:]
        var exitLocation: SourceLocation?
        for element in sequence {
            guard let step = buildStep(element, context: context) else { continue }
            if let exitLocation {
                reader.warning(
                    "this step is unreachable: it follows the exit at \(exitLocation.line):\(exitLocation.column)",
                    at: step.location
                )
            }
            if case .exit = step, exitLocation == nil { exitLocation = step.location }
            if let id = step.id {
                if let first = idsInList[id] {
                    reader.error(
                        "duplicate step id '\(id)' in the same list (first at \(first.line):\(first.column)); "
                            + "give each step its own id",
                        at: step.location
                    )
                }
                idsInList[id] = step.location
            }
            steps.append(step)
        }
        return steps
    }

    func buildStep(_ node: Node, context: Context) -> Step? {
        let location = reader.location(of: node)
        if case .scalar(let scalar) = node, scalar.string == "exit" {
            return .exit(ExitStep(location: location))
        }
        guard let entries = reader.entries(of: node, what: "a step") else { return nil }
        let keys = entries.map(\.key)
        let kinds = Self.kindKeys.filter { keys.contains($0) }
        let byKey = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let primary: String
        if kinds.contains("task") {
            primary = "task"
        } else if kinds.count == 1, let only = kinds.first {
            primary = only
        } else if kinds.isEmpty {
            let guess = keys.lazy.filter { !Self.commonStepKeys.contains($0) }
                .compactMap { Suggestions.nearest(to: $0, in: Self.kindKeys) }.first
            let hint = guess.map { " Did you mean '\($0)'?" } ?? ""
            reader.error(
                "unknown step kind with keys \(keys.map { "'\($0)'" }.joined(separator: ", ")).\(hint) "
                    + "A step needs one of: \(Self.kindKeys.joined(separator: ", "))",
                at: node
            )
            return nil
        } else {
            reader.error(
                "a step can be only one kind, but this one has \(kinds.map { "'\($0)'" }.joined(separator: " and "))",
                at: node
            )
            return nil
        }
        if let idNode = byKey["id"], primary != "task", primary != "subflow", primary != "for_each" {
            reader.warning(
                "'id' on a '\(primary)' step stores nothing; only task, subflow and for_each steps keep results",
                at: reader.location(of: idNode))
        }
        switch primary {
        case "task": return buildTask(entries, byKey: byKey, node: node, context: context).map(Step.task)
        case "parallel": return buildParallel(entries, byKey: byKey, node: node, context: context)
        case "if": return buildConditional(entries, byKey: byKey, node: node, context: context)
        case "switch": return buildSwitch(entries, byKey: byKey, node: node, context: context)
        case "for_each": return buildForEach(entries, byKey: byKey, node: node, context: context)
        case "subflow": return buildSubflow(entries, byKey: byKey, node: node, context: context)
        default: return buildExit(entries, byKey: byKey, node: node, context: context)
        }
    }

    typealias Entries = [(key: String, keyNode: Node, value: Node)]

    func stepId(_ byKey: [String: Node]) -> String? {
        guard let node = byKey["id"], let id = reader.string(node, what: "'id'") else { return nil }
        if id.contains("${") {
            reader.error(
                "step id '\(id)' contains a reference; ids are fixed names (use a for_each 'id' to collect per-item results)",
                at: node)
            return nil
        }
        if id == "inputs" {
            reader.error("'\(id)' is reserved and cannot be a step id", at: node)
            return nil
        }
        if stepIds[id] == nil { stepIds[id] = reader.location(of: node) }
        return id
    }

    func buildTask(_ entries: Entries, byKey: [String: Node], node: Node, context: Context) -> TaskStep? {
        reader.checkKeys(entries, allowed: Self.taskKeys + Self.commonStepKeys, in: "a task step")
        guard let taskNode = byKey["task"], let name = reader.string(taskNode, what: "'task' (the task name)") else {
            return nil
        }
        var step = TaskStep(task: name, location: reader.location(of: node))
        step.id = stepId(byKey)
        if let inputsNode = byKey["inputs"] {
            if case .mapping = inputsNode {
                step.inputs =
                    template(inputsNode, what: "inputs of task '\(name)'", context: context) ?? .literal(.emptyObject)
            } else if case .scalar(let scalar) = inputsNode, YAMLScalar.value(of: scalar) == .null {
                step.inputs = .literal(.emptyObject)
            } else {
                reader.error(
                    "'inputs' of task '\(name)' must be a mapping of names to values, found \(reader.describe(inputsNode))",
                    at: inputsNode)
            }
        }
        if let retryNode = byKey["retry"] { step.retry = buildRetry(retryNode) ?? .none }
        if let handler = byKey["on_error"] { step.onError = buildErrorHandler(handler, context: context) }
        if let conditionNode = byKey["if"] { step.condition = buildCondition(conditionNode, context: context) }
        if let dependsNode = byKey["depends_on"] { step.dependsOn = buildDependsOn(dependsNode) }
        if let silentNode = byKey["silent"] { step.silent = reader.bool(silentNode, what: "'silent'") }
        if let timeoutNode = byKey["timeout"] { step.timeout = reader.duration(timeoutNode, what: "'timeout'") }
        if let connectionNode = byKey["connection"] {
            step.connection = reader.string(connectionNode, what: "'connection'")
        }
        if let descriptionNode = byKey["description"] {
            step.description = reader.string(descriptionNode, what: "'description'")
        }
        if let outputsNode = byKey["outputs"] {
            if case .sequence(let names) = outputsNode {
                step.declaredOutputs = names.compactMap { reader.string($0, what: "an entry of 'outputs'") }
            } else {
                reader.error(
                    "'outputs' of a task step is a list of the result's keys, found \(reader.describe(outputsNode))",
                    at: outputsNode)
            }
        }
        return step
    }

    func buildDependsOn(_ node: Node) -> [String] {
        let names: [String]
        switch node {
        case .sequence(let sequence): names = sequence.compactMap { reader.string($0, what: "a 'depends_on' entry") }
        default: names = reader.string(node, what: "'depends_on'").map { [$0] } ?? []
        }
        for name in names {
            record(Reference(root: name), at: reader.location(of: node), context: Context())
        }
        return names
    }

    func buildErrorHandler(_ node: Node, context: Context) -> [Step]? {
        var handlerContext = context
        handlerContext.inErrorHandler = true
        switch node {
        case .sequence:
            return buildStepList(node, what: "'on_error'", context: handlerContext)
        case .mapping:
            guard let entries = reader.entries(of: node, what: "'on_error'") else { return nil }
            reader.checkKeys(entries, allowed: ["steps"], in: "'on_error'")
            guard let steps = entries.first(where: { $0.key == "steps" }) else {
                reader.error("'on_error' as a mapping needs a 'steps' list", at: node)
                return nil
            }
            return buildStepList(steps.value, what: "'on_error.steps'", context: handlerContext)
        default:
            reader.error(
                "'on_error' must be a list of steps or {steps: [...]}, found \(reader.describe(node))", at: node)
            return nil
        }
    }

    func buildParallel(_ entries: Entries, byKey: [String: Node], node: Node, context: Context) -> Step? {
        reader.checkKeys(entries, allowed: ["parallel"] + Self.commonStepKeys, in: "a parallel step")
        guard let list = byKey["parallel"] else { return nil }
        guard case .sequence(let sequence) = list else {
            reader.error("'parallel' must be a list of steps, found \(reader.describe(list))", at: list)
            return nil
        }
        var branches: [[Step]] = []
        var idsAcrossBranches: [String: SourceLocation] = [:]
        for element in sequence {
            guard let step = buildStep(element, context: context) else { continue }
            for id in Self.ids(in: [step]) {
                if let first = idsAcrossBranches[id] {
                    reader.error(
                        "parallel branches both write step id '\(id)' (first at \(first.line):\(first.column)); "
                            + "concurrent branches need distinct ids",
                        at: step.location
                    )
                }
                idsAcrossBranches[id] = step.location
            }
            branches.append([step])
        }
        return .parallel(ParallelStep(branches: branches, location: reader.location(of: node)))
    }

    static func ids(in steps: [Step]) -> [String] {
        steps.flatMap { step in (step.id.map { [$0] } ?? []) + step.childStepLists.flatMap { ids(in: $0) } }
    }

    func buildConditional(_ entries: Entries, byKey: [String: Node], node: Node, context: Context) -> Step? {
        reader.checkKeys(entries, allowed: ["if", "then", "else"] + Self.commonStepKeys, in: "an if step")
        guard let conditionNode = byKey["if"], let condition = buildCondition(conditionNode, context: context) else {
            return nil
        }
        if byKey["then"] == nil && byKey["else"] == nil {
            reader.warning("this if step has neither 'then' nor 'else'", at: reader.location(of: node))
        }
        let thenSteps = byKey["then"].map { buildStepList($0, what: "'then'", context: context) } ?? []
        let elseSteps = byKey["else"].map { buildStepList($0, what: "'else'", context: context) } ?? []
        return .conditional(
            ConditionalStep(
                condition: condition, thenSteps: thenSteps, elseSteps: elseSteps, location: reader.location(of: node))
        )
    }

    func buildSwitch(_ entries: Entries, byKey: [String: Node], node: Node, context: Context) -> Step? {
        reader.checkKeys(entries, allowed: ["switch", "cases", "default"] + Self.commonStepKeys, in: "a switch step")
        guard let valueNode = byKey["switch"], let value = template(valueNode, what: "'switch'", context: context)
        else {
            return nil
        }
        var defaultSteps = byKey["default"].map { buildStepList($0, what: "'default'", context: context) }
        var cases: [SwitchCase] = []
        if let casesNode = byKey["cases"] {
            if case .sequence(let sequence) = casesNode {
                if sequence.isEmpty { reader.warning("this switch has no cases", at: reader.location(of: casesNode)) }
                for element in sequence {
                    guard let entries = reader.entries(of: element, what: "a switch case") else { continue }
                    reader.checkKeys(entries, allowed: ["when", "do", "default"], in: "a switch case")
                    let caseKeys = Dictionary(
                        entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
                    if let defaultNode = caseKeys["default"] {
                        if caseKeys["when"] != nil || caseKeys["do"] != nil {
                            reader.error(
                                "a switch case has either 'when' and 'do', or 'default'; not both", at: element)
                        }
                        if defaultSteps != nil {
                            reader.error("this switch has more than one default", at: element)
                        }
                        defaultSteps = buildStepList(defaultNode, what: "'default'", context: context)
                        continue
                    }
                    guard let whenNode = caseKeys["when"] else {
                        reader.error("a switch case needs 'when' (or 'default')", at: element)
                        continue
                    }
                    guard let match = template(whenNode, what: "'when'", context: context) else { continue }
                    let steps: [Step]
                    if let doNode = caseKeys["do"] {
                        steps = buildStepList(doNode, what: "'do'", context: context)
                    } else {
                        reader.warning("this case has no 'do' steps", at: reader.location(of: element))
                        steps = []
                    }
                    cases.append(SwitchCase(match: match, steps: steps, location: reader.location(of: element)))
                }
            } else {
                reader.error(
                    "'cases' must be a list of {when, do} entries, found \(reader.describe(casesNode))", at: casesNode)
            }
        } else if defaultSteps == nil {
            reader.error("a switch needs 'cases'", at: node)
        }
        return .switchCase(
            SwitchStep(value: value, cases: cases, defaultSteps: defaultSteps, location: reader.location(of: node)))
    }

    func buildForEach(_ entries: Entries, byKey: [String: Node], node: Node, context: Context) -> Step? {
        reader.checkKeys(
            entries, allowed: ["for_each", "as", "do", "max_concurrency"] + Self.commonStepKeys, in: "a for_each step")
        guard let itemsNode = byKey["for_each"], let items = template(itemsNode, what: "'for_each'", context: context)
        else {
            return nil
        }
        var variable = "item"
        if let asNode = byKey["as"], let name = reader.string(asNode, what: "'as' (the loop variable)") {
            if name == "inputs" || name.contains(".") || name.contains("$") {
                reader.error("'\(name)' cannot be a loop variable name", at: asNode)
            } else {
                variable = name
            }
        }
        var bodyContext = context
        bodyContext.loopVariables.append(variable)
        let id = stepId(byKey)
        guard let bodyNode = byKey["do"] else {
            reader.error("a for_each needs a 'do' list", at: node)
            return nil
        }
        let steps = buildStepList(bodyNode, what: "'do'", context: bodyContext)
        let concurrency =
            byKey["max_concurrency"].flatMap { reader.integer($0, what: "'max_concurrency'", minimum: 1) } ?? 1
        return .forEach(
            ForEachStep(
                items: items, variable: variable, steps: steps, id: id, maxConcurrency: concurrency,
                location: reader.location(of: node))
        )
    }

    func buildSubflow(_ entries: Entries, byKey: [String: Node], node: Node, context: Context) -> Step? {
        reader.checkKeys(
            entries, allowed: ["subflow", "inputs", "outputs", "retry", "on_error"] + Self.commonStepKeys,
            in: "a subflow step")
        guard let nameNode = byKey["subflow"],
            let name = reader.string(nameNode, what: "'subflow' (the subflow's name)")
        else {
            return nil
        }
        var step = SubflowStep(name: name, location: reader.location(of: node))
        step.id = stepId(byKey)
        if let inputsNode = byKey["inputs"] {
            if case .mapping = inputsNode {
                step.inputs =
                    template(inputsNode, what: "inputs of subflow '\(name)'", context: context)
                    ?? .literal(.emptyObject)
            } else {
                reader.error(
                    "'inputs' of subflow '\(name)' must be a mapping, found \(reader.describe(inputsNode))",
                    at: inputsNode)
            }
        }
        if let retryNode = byKey["retry"] { step.retry = buildRetry(retryNode) ?? .none }
        if let handler = byKey["on_error"] { step.onError = buildErrorHandler(handler, context: context) }
        return .subflow(step)
    }

    func buildExit(_ entries: Entries, byKey: [String: Node], node: Node, context: Context) -> Step? {
        reader.checkKeys(entries, allowed: ["exit"] + Self.commonStepKeys, in: "an exit step")
        var step = ExitStep(location: reader.location(of: node))
        guard let exitNode = byKey["exit"] else { return nil }
        if case .mapping = exitNode {
            guard let exitEntries = reader.entries(of: exitNode, what: "'exit'") else { return nil }
            reader.checkKeys(exitEntries, allowed: ["reason", "outputs"], in: "'exit'")
            for entry in exitEntries {
                switch entry.key {
                case "reason":
                    step.reason = template(entry.value, what: "exit 'reason'", context: context)
                case "outputs":
                    if case .mapping = entry.value {
                        step.outputs = template(entry.value, what: "exit 'outputs'", context: context)
                    } else {
                        reader.error(
                            "exit 'outputs' must be a mapping of names to values, found \(reader.describe(entry.value))",
                            at: entry.value)
                    }
                default: break
                }
            }
        } else if case .scalar(let scalar) = exitNode {
            switch YAMLScalar.value(of: scalar) {
            case .null, .bool(true): break
            case .string(let reason):
                step.reason = template(exitNode, what: "exit reason", context: context) ?? .literal(.string(reason))
            default:
                reader.error(
                    "'exit' takes true, nothing, a reason string, or {reason, outputs}; found \(reader.describe(exitNode))",
                    at: exitNode)
                return nil
            }
        } else {
            reader.error(
                "'exit' takes true, nothing, a reason string, or {reason, outputs}; found \(reader.describe(exitNode))",
                at: exitNode)
            return nil
        }
        return .exit(step)
    }
}
