import FlowCore
import FlowServer
import Foundation
import OrderedCollections

extension Doctor {
    /// One check per connection the flows under ``Options/flowsPath`` declare (the first flow's, when two declare
    /// one name), loaded as a server loads them: an unset variable or a bad setting fails the flow's check.
    func connections() async -> [DoctorCheck] {
        guard let path = options.flowsPath else { return [] }
        let discovery: FlowDirectoryScanner.Discovery
        do {
            discovery = try FlowDirectoryScanner.scan(
                path, loader: FlowLoader(environment: probes.environment, requiresEnvironment: true))
        } catch {
            // Nothing to serve at all is no problem of connections; a flow that does not load is.
            guard error.message.contains("\n") || !error.message.hasPrefix("No valid flows found") else {
                return [DoctorCheck(name: "flow connections", status: .skipped, detail: "no flows under \(path)")]
            }
            return [
                DoctorCheck(
                    name: "flow connections", status: .failed,
                    detail: error.message.replacingOccurrences(of: "\n", with: " "),
                    fix: "run `flowlang validate` on it"
                )
            ]
        }
        var checks = discovery.problems.map { problem in
            DoctorCheck(
                name: "flow connections", status: .failed,
                detail: problem.errors.first?.description ?? "a flow does not load",
                fix: "run `flowlang validate` on it"
            )
        }
        var declared = OrderedDictionary<String, ConnectionDefinition>()
        for flow in discovery.flows {
            for (name, connection) in flow.definition.connections where declared[name] == nil {
                declared[name] = connection
            }
        }
        for (name, connection) in declared {
            let checkName = "connection '\(name)'"
            if let failure = await probes.checkConnection(connection) {
                checks.append(
                    DoctorCheck(
                        name: checkName, status: .failed, detail: "\(connection): \(failure)",
                        fix: "start the database, or correct the connection's settings"))
            } else {
                checks.append(DoctorCheck(name: checkName, status: .passed, detail: "\(connection) answers"))
            }
        }
        return checks
    }
}
