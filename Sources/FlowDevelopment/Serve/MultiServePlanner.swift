import FlowCore
package import Foundation

/// Decides what `flowlang serve --multi DIR` runs: one backend per task package among DIR's child
/// directories, and one in-process backend for all the flow-only ones.
package enum MultiServePlanner {
    /// What a scan found, and what it skipped with why.
    package struct Plan: Sendable, Equatable {
        package var routes: MultiServeRoutes
        package var skipped: [String]
    }

    /// Scans the child directories of `directory`; `nextPort` hands out each backend's private port.
    package static func plan(
        directory: String,
        nextPort: () async throws -> Int,
        fileManager: FileManager = .default
    ) async throws -> Plan {
        let children = ((try? fileManager.contentsOfDirectory(atPath: directory)) ?? []).sorted()
            .filter { !$0.hasPrefix(".") }
            .map { (directory as NSString).appendingPathComponent($0) }
        var backends: [MultiServeBackend] = []
        var flowOnly: [(directory: String, flow: String)] = []
        var skipped: [String] = []
        var seen: [String: String] = [:]
        for child in children {
            guard fileManager.fileExists(atPath: (child as NSString).appendingPathComponent("flow.yaml")) else {
                continue
            }
            let package: TaskPackage
            let name: String
            do {
                package = try TaskPackage.locate(child, fileManager: fileManager)
                name = try FlowLoader().load(contentsOf: package.flowFile).name
            } catch {
                skipped.append("\(child): \(error)")
                continue
            }
            if let first = seen[name] {
                skipped.append("\(child): flow '\(name)' is served from \(first) already")
                continue
            }
            seen[name] = child
            switch package.kind {
            case .flowOnly:
                flowOnly.append((child, name))
            case .swiftPackage:
                let label = (child as NSString).lastPathComponent
                backends.append(
                    MultiServeBackend(label: label, kind: .package(package), port: try await nextPort(), flows: [name]))
            }
        }
        if !flowOnly.isEmpty {
            backends.append(
                MultiServeBackend(
                    label: "built-in tasks",
                    kind: .inProcess(directories: flowOnly.map(\.directory)),
                    port: try await nextPort(),
                    flows: flowOnly.map(\.flow)
                )
            )
        }
        guard !backends.isEmpty else {
            let details = skipped.isEmpty ? "" : ":\n" + skipped.joined(separator: "\n")
            throw PackageServerError(
                "no flows or task packages found in the child directories of \(directory)" + details)
        }
        return Plan(routes: MultiServeRoutes(backends: backends), skipped: skipped)
    }
}
