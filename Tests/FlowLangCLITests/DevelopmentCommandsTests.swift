import Foundation
import Testing

/// `flowlang completions`, `init` and `doctor` run as a user would.
@Suite struct DevelopmentCommandsTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptNamesTheSubcommands(shell: String) async throws {
        let run = try await CommandLineTests.flowlang("completions", shell)
        #expect(run.status == 0)
        for subcommand in ["serve", "scaffold", "doctor", "init", "completions"] {
            #expect(run.output.contains(subcommand), "\(shell) script lacks \(subcommand)")
        }
    }

    @Test func unknownShellIsAClearError() async throws {
        let run = try await CommandLineTests.flowlang("completions", "powershell")
        #expect(run.status != 0)
        #expect(run.output.contains("unknown shell 'powershell'; choose bash, zsh or fish"))
    }

    @Test func initCreatesAScaffoldedProject() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "flowlang-cli-init-\(UUID().uuidString)"
        ).path
        let run = try await CommandLineTests.flowlang(
            "init", directory, "--name", "Greeter", "--flowlang", "/opt/FlowLang")
        #expect(run.status == 0, "\(run.output)")
        #expect(FileManager.default.fileExists(atPath: directory + "/Sources/GreeterTasks/Tasks/Greet.swift"))
        let again = try await CommandLineTests.flowlang("init", directory)
        #expect(again.status == 1)
    }

    @Test func initRejectsAnUnknownTemplate() async throws {
        let run = try await CommandLineTests.flowlang("init", "/tmp/never-created", "--template", "blog")
        #expect(run.status != 0)
        #expect(run.output.contains("blog"))
    }

    @Test func doctorWithoutTheBuildCheckPrintsEveryCheck() async throws {
        // The port check binds the port for a moment. Port 1 is where other tests expect a refused connection,
        // so this test asks about a port no test uses.
        let run = try await CommandLineTests.flowlang("doctor", "--skip-build", "--port", "11")
        for name in [
            "Swift toolchain", "git", "swift build", "port 11", "SQLite", "PostgreSQL", "disk space",
            "FlowLang checkout",
        ] {
            #expect(run.output.contains(name), "missing check \(name)")
        }
        #expect(run.output.contains(run.status == 0 ? "Ready: " : "required check(s) failed"))
    }
}
