import Yams

/// Building `retry:` blocks into ``RetryPolicy``.
extension FlowBuilder {
    static let retryKeys = [
        "max_attempts", "backoff", "delay_seconds", "delay", "backoff_multiplier", "max_delay_seconds", "jitter",
        "retry_on", "no_retry_on",
    ]

    func buildRetry(_ node: Node) -> RetryPolicy? {
        guard case .mapping = node else {
            reader.error(
                "'retry' must be a mapping such as {max_attempts: 3, delay_seconds: 1}, found \(reader.describe(node))",
                at: node)
            return nil
        }
        guard let entries = reader.entries(of: node, what: "'retry'") else { return nil }
        reader.checkKeys(entries, allowed: Self.retryKeys, in: "'retry'")
        let byKey = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        var policy = RetryPolicy(maxAttempts: 1)
        if let node = byKey["max_attempts"] {
            policy.maxAttempts = reader.integer(node, what: "'max_attempts'", minimum: 1) ?? 1
        }
        let delayNode = byKey["delay_seconds"] ?? byKey["delay"]
        if byKey["delay_seconds"] != nil && byKey["delay"] != nil, let node = byKey["delay"] {
            reader.error("give either 'delay_seconds' or 'delay', not both", at: node)
        }
        let delay = delayNode.flatMap { reader.number($0, what: "'delay_seconds'", minimum: 0) }
        let multiplier = byKey["backoff_multiplier"].flatMap {
            reader.number($0, what: "'backoff_multiplier'", minimum: 1)
        }
        if let backoffNode = byKey["backoff"] {
            if case .scalar(let scalar) = backoffNode, case .string(let name) = YAMLScalar.value(of: scalar) {
                let base = delay ?? 1
                if let multiplierNode = byKey["backoff_multiplier"], name.lowercased() != "exponential" {
                    reader.warning(
                        "'backoff_multiplier' only applies to exponential backoff; it is ignored with '\(name)'",
                        at: reader.location(of: multiplierNode))
                }
                switch name.lowercased() {
                case "fixed", "constant": policy.strategy = .fixed(base)
                case "linear": policy.strategy = .linear(base: base)
                case "exponential": policy.strategy = .exponential(base: base, multiplier: multiplier ?? 2)
                default:
                    reader.error(
                        "unknown backoff '\(name)'.\(Suggestions.hint(for: name, in: ["fixed", "linear", "exponential"])) "
                            + "Use fixed, linear, exponential, or a number of seconds",
                        at: backoffNode
                    )
                }
            } else if let base = reader.number(backoffNode, what: "'backoff'", minimum: 0) {
                if let delayNode {
                    reader.error(
                        "a numeric 'backoff' is the first delay; give it or 'delay_seconds', not both", at: delayNode)
                }
                policy.strategy = .exponential(base: base, multiplier: multiplier ?? 2)
            }
        } else if let delay {
            policy.strategy = multiplier.map { .exponential(base: delay, multiplier: $0) } ?? .fixed(delay)
        } else if let multiplier {
            policy.strategy = .exponential(base: 1, multiplier: multiplier)
        }
        if let node = byKey["max_delay_seconds"] {
            policy.maxDelaySeconds = reader.number(node, what: "'max_delay_seconds'", minimum: 0)
        }
        if let node = byKey["jitter"] {
            if case .scalar(let scalar) = node, case .bool(let flag) = YAMLScalar.value(of: scalar) {
                policy.jitter = flag ? 0.5 : 0
            } else {
                policy.jitter = reader.number(node, what: "'jitter'", minimum: 0, maximum: 1) ?? 0
            }
        }
        if let node = byKey["retry_on"] { policy.retryOn = Set(errorTypes(node, what: "'retry_on'")) }
        if let node = byKey["no_retry_on"] { policy.noRetryOn = Set(errorTypes(node, what: "'no_retry_on'")) }
        return policy
    }

    private func errorTypes(_ node: Node, what: String) -> [String] {
        if case .sequence(let sequence) = node {
            return sequence.compactMap { reader.string($0, what: "an error type in \(what)") }
        }
        return reader.string(node, what: what).map { [$0] } ?? []
    }
}
