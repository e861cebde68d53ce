import FlowCore
import OrderedCollections

extension ServiceController {
    /// `/health`'s `connections`: every connection the served flows declare, by name (the first flow's when two
    /// declare one name), with its pool's state and usage; nil when no flow declares one.
    func connectionHealth() -> FlowValue? {
        let connections = server.catalog.declaredConnections
        return connections.isEmpty ? nil : .object(connections.mapValues(health(of:)))
    }

    private func health(of connection: ConnectionDefinition) -> FlowValue {
        guard let pools = server.executions.connections else {
            return [
                "type": .string(connection.typeName), "state": "unavailable",
                "error": "the server has no connection pools",
            ]
        }
        let status = pools.status(of: connection)
        var fields: OrderedDictionary<String, FlowValue> = [
            "type": .string(connection.typeName), "state": .string(status.stateName), "pool_size": .int(status.size),
            "in_use": .int(status.inUse), "leases": .int(status.leases),
            "wait_ms_total": .double(
                Double(status.totalWait.components.seconds) * 1000 + Double(status.totalWait.components.attoseconds)
                    / 1e15),
        ]
        if case .failing(let reason) = status.state { fields["error"] = .string(reason) }
        return .object(fields)
    }
}
