/// Names and paths inside a generated package, all derived from the flow's name.
package struct ProjectLayout: Sendable, Equatable {
    /// The flow's name, used as the package's name.
    package var flowName: String
    /// The flow's name as a Swift identifier: the prefix of every target.
    package var module: String

    package init(flowName: String) {
        self.flowName = flowName
        self.module = SwiftNaming.typeName(flowName)
    }

    package var tasksTarget: String { module + "Tasks" }
    package var serverTarget: String { module + "Server" }
    package var testsTarget: String { module + "TasksTests" }

    package var tasksDirectory: String { "Sources/\(tasksTarget)/Tasks" }
    package var orphanDirectory: String { "Sources/\(tasksTarget)/Orphaned" }
    package var testsDirectory: String { "Tests/\(testsTarget)" }
    package var orphanTestsDirectory: String { "Tests/\(testsTarget)/Orphaned" }
    package var registryFile: String { "Sources/\(tasksTarget)/TaskRegistry+\(module).swift" }
    package var protocolFile: String { "Sources/\(tasksTarget)/FlowTask.swift" }
    package var serverFile: String { "Sources/\(serverTarget)/\(serverTarget).swift" }
    package var flowTestsFile: String { "Tests/\(testsTarget)/FlowTests.swift" }

    package static let manifestFile = ".flowlang/manifest.json"
    package static let backupDirectory = ".flowlang/backup"

    package func taskFile(_ typeName: String) -> String { "\(tasksDirectory)/\(typeName).swift" }
    package func orphanFile(_ typeName: String) -> String { "\(orphanDirectory)/\(typeName).swift" }
    package func taskTestFile(_ typeName: String) -> String { "\(testsDirectory)/\(typeName)Tests.swift" }
    package func orphanTestFile(_ typeName: String) -> String { "\(orphanTestsDirectory)/\(typeName)Tests.swift" }

    /// Where a new version of a hand-edited generated file is written: beside it as `<file>.flowlang-new`,
    /// except inside a target's folder, where SwiftPM would warn about an unknown file; those go to
    /// `.flowlang/new/<path>`.
    package func newVersionPath(for path: String) -> String {
        path.hasPrefix("Sources/") || path.hasPrefix("Tests/") ? ".flowlang/new/\(path)" : path + ".flowlang-new"
    }
}
