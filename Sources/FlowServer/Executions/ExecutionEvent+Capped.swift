import FlowCore

extension ExecutionEvent {
    /// Whether the event reports how the whole run ended (`flow_terminated`, `flow_completed`, `flow_failed`,
    /// `flow_cancelled` of the flow itself, not of a subflow): a replay must always end with it.
    var endsRun: Bool {
        subflowPath.isEmpty && (kind.isTerminal || kind == .flowTerminated)
    }
}

extension [ExecutionEvent] {
    /// At most `limit` events kept for replay: the first ones and, always, the events that report how the run
    /// ended, so a replayed stream of a long run ends as the run did instead of stopping mid-way.
    func capped(to limit: Int) -> [ExecutionEvent] {
        guard count > limit else { return self }
        let ending = reversed().prefix { $0.endsRun }.reversed()
        return Array(prefix(Swift.max(0, limit - ending.count))) + ending
    }
}
