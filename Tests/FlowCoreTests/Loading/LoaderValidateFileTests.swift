import FlowCore
import Foundation
import OrderedCollections
import Testing

/// `flowlang validate`'s library half: printable report lines for a flow file.
@Suite("Loader diagnostics: flowlang validate")
struct LoaderValidateFileTests {
    func temporaryFile(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("loader-validate-\(UUID().uuidString).yaml").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func invalidFileGivesPathLineColumnErrorLines() throws {
        let yaml = MarkedYAML(
            """
            flow: Broken
            steps:
              - 1️⃣tsk: Ret
              - task: Ret
                retry: 2️⃣3
            """
        )
        let path = try temporaryFile(yaml.text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = FlowValidation.validate(file: path)
        #expect(!report.isValid)
        #expect(report.file == path)
        #expect(report.lines.count == 3)
        #expect(report.lines.first?.hasPrefix("\(path):\(yaml.lineColumn("1️⃣")): error: unknown step kind") == true)
        #expect(
            report.lines.dropFirst().first?.hasPrefix(
                "\(path):\(yaml.lineColumn("2️⃣")): error: 'retry' must be a mapping") == true)
        #expect(report.lines.last == "\(path): 2 error(s), 0 warning(s)")
    }

    @Test func validFileWithWarningsIsValid() throws {
        let path = try temporaryFile("flow: Fine\nsteps:\n  - exit\n  - task: Ret\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = FlowValidation.validate(file: path)
        #expect(report.isValid)
        #expect(report.lines.first?.hasPrefix("\(path):4:5: warning: this step is unreachable") == true)
        #expect(report.lines.last == "\(path): valid with 1 warning(s)")
    }

    @Test func missingFileSaysItDoesNotExist() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "no-such-flow-\(UUID().uuidString).yaml"
        ).path
        let report = FlowValidation.validate(file: path)
        #expect(!report.isValid)
        let diagnostic = try #require(report.diagnostics.first)
        #expect(diagnostic.message.contains("does not exist"))
        #expect(diagnostic.location == FlowCore.SourceLocation(file: path, line: 1, column: 1))
        #expect(report.lines.first == "\(path):1:1: error: the flow file does not exist")
    }

    @Test func fileThatIsNotUTF8CannotBeRead() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("binary-\(UUID().uuidString).yaml")
            .path
        try Data([0x66, 0x6C, 0x6F, 0x77, 0x3A, 0x20, 0xFF, 0xFE, 0xC0, 0x0A]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = FlowValidation.validate(file: path)
        #expect(!report.isValid)
        #expect(report.diagnostics.first?.message.contains("cannot be read as UTF-8") == true)
    }
}
