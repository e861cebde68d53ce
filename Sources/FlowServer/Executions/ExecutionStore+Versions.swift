extension ExecutionStore {
    /// Records of one version of `flow` (of every version when `version` is nil), oldest first, at most the
    /// newest `limit`.
    ///
    /// Versions are told apart by ``ExecutionRecord/flowVersion``: this reads every record of the flow and
    /// keeps those of `version`, which is cheap for the bounded memory store.
    func records(flow: String, version: String?, limit: Int) async throws -> [ExecutionRecord] {
        guard let version else { return try await records(flow: flow, limit: limit) }
        let records = try await records(flow: flow, limit: .max).filter { $0.flowVersion == version }
        return Array(records.suffix(max(0, limit)))
    }
}
