/// Names and paths inside a generated package, all derived from the flow's name.
public struct ProjectLayout: Sendable, Equatable {
    /// The flow's name, used as the package's name.
    public var flowName: String
    /// The flow's name as a Swift identifier: the prefix of every target.
    public var module: String

    public init(flowName: String) {
        self.flowName = flowName
        self.module = SwiftNaming.typeName(flowName)
    }

    public var tasksTarget: String { module + "Tasks" }
    public var serverTarget: String { module + "Server" }
    public var testsTarget: String { module + "TasksTests" }

    public var tasksDirectory: String { "Sources/\(tasksTarget)/Tasks" }
    public var orphanDirectory: String { "Sources/\(tasksTarget)/Orphaned" }
    public var testsDirectory: String { "Tests/\(testsTarget)" }
    public var orphanTestsDirectory: String { "Tests/\(testsTarget)/Orphaned" }
    public var registryFile: String { "Sources/\(tasksTarget)/TaskRegistry+\(module).swift" }
    public var protocolFile: String { "Sources/\(tasksTarget)/FlowTask.swift" }
    public var serverFile: String { "Sources/\(serverTarget)/\(serverTarget).swift" }
    public var flowTestsFile: String { "Tests/\(testsTarget)/FlowTests.swift" }

    public static let manifestFile = ".flowlang/manifest.json"
    public static let backupDirectory = ".flowlang/backup"

    public func taskFile(_ typeName: String) -> String { "\(tasksDirectory)/\(typeName).swift" }
    public func orphanFile(_ typeName: String) -> String { "\(orphanDirectory)/\(typeName).swift" }
    public func taskTestFile(_ typeName: String) -> String { "\(testsDirectory)/\(typeName)Tests.swift" }
    public func orphanTestFile(_ typeName: String) -> String { "\(orphanTestsDirectory)/\(typeName)Tests.swift" }

    /// Where a new version of a hand-edited generated file is written: beside it as `<file>.flowlang-new`,
    /// except inside a target's folder, where SwiftPM would warn about an unknown file; those go to
    /// `.flowlang/new/<path>`.
    public func newVersionPath(for path: String) -> String {
        path.hasPrefix("Sources/") || path.hasPrefix("Tests/") ? ".flowlang/new/\(path)" : path + ".flowlang-new"
    }
}
