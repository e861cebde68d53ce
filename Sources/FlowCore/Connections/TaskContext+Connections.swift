import OrderedCollections

extension TaskContext {
    /// The pool behind the connection `name`, or behind the step's own `connection:` when `name` is nil.
    ///
    /// The `FlowConnections` module's typed accessors (`context.postgres()`, `context.sqlite()`) are usually
    /// handier; this one serves other kinds of pools a provider may hand out.
    ///
    /// - Throws: a ``TaskError`` of type `ConnectionError` when the step names no connection, the flow declares
    ///   none of that name, the executor has no pools, or the pool cannot be opened.
    public func connection(_ name: String? = nil) async throws -> any Sendable {
        try await connectionProvider().pool(for: connectionDefinition(name))
    }

    /// The declaration of connection `name`, or of the step's own `connection:` when `name` is nil.
    public func connectionDefinition(_ name: String? = nil) throws -> ConnectionDefinition {
        guard let wanted = name ?? connectionName else {
            throw TaskError(
                "step '\(stepId)' names no connection; add 'connection: <name>' to the step",
                type: "ConnectionError"
            )
        }
        guard let definition = connections[wanted] else {
            let declared = connections.keys.joined(separator: ", ")
            throw TaskError(
                "flow '\(flowName)' declares no connection '\(wanted)'"
                    + (declared.isEmpty ? "; declare it under 'connections:'" : " (declared: \(declared))"),
                type: "ConnectionError"
            )
        }
        return definition
    }

    private func connectionProvider() throws -> any ConnectionProvider {
        guard let connectionPools else {
            throw TaskError(
                "this executor has no connection pools; pass FlowConnections' ConnectionPools as the executor's 'connections'",
                type: "ConnectionError"
            )
        }
        return connectionPools
    }
}
