import FlowCore
import FlowServer
import FlowTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite struct FlowReloaderTests {
    @Test func anEditThatLoadsIsServedByLaterExecutions() async throws {
        let fixture = try ReloadFixture(flows: ["": ReloadFixture.flow(message: "first")])
        defer { fixture.cleanUp() }
        let catalog = try fixture.catalog()
        try await fixture.application(catalog).test(.router) { client in
            #expect(try await ReloadFixture.message(client, of: "Greeting") == "first")
            await fixture.clock.waitForSleepers(count: 1)
            try fixture.write(ReloadFixture.flow(message: "second"))
            await fixture.poll()
            #expect(try await ReloadFixture.message(client, of: "Greeting") == "second")
            let health = try await ReloadFixture.json(client, "/health")
            #expect(health["status"] == "healthy")
            #expect(health["reload_errors"] == nil)
        }
    }

    @Test func aBrokenEditKeepsTheOldDefinitionAndShowsDiagnosticsUntilFixed() async throws {
        let fixture = try ReloadFixture(flows: ["": ReloadFixture.flow(message: "first")])
        defer { fixture.cleanUp() }
        let catalog = try fixture.catalog()
        try await fixture.application(catalog).test(.router) { client in
            try fixture.write(
                """
                flow: Greeting
                steps:
                  - task: Echo
                    id: say
                    inputs: {message: "broken"}
                  - tsak: Echo
                """
            )
            await fixture.poll()
            #expect(try await ReloadFixture.message(client, of: "Greeting") == "first")
            let health = try await ReloadFixture.json(client, "/health")
            let errors = try #require(health["reload_errors"]?["Greeting"]?.arrayValue)
            #expect(!errors.isEmpty)
            let first = try #require(errors.first?.stringValue)
            #expect(first.hasPrefix(fixture.path("") + ":6:5: error:"), "\(first)")
            #expect(catalog.reloadProblems["Greeting"]?.first?.location.line == 6)

            try fixture.write(ReloadFixture.flow(message: "fixed"))
            await fixture.poll()
            #expect(try await ReloadFixture.message(client, of: "Greeting") == "fixed")
            #expect(try await ReloadFixture.json(client, "/health")["reload_errors"] == nil)
            #expect(catalog.reloadProblems.isEmpty)
        }
    }

    @Test func renamingAFlowKeepsTheOldOneAndSaysARestartIsNeeded() async throws {
        let fixture = try ReloadFixture(flows: ["": ReloadFixture.flow(message: "first")])
        defer { fixture.cleanUp() }
        let catalog = try fixture.catalog()
        try await fixture.application(catalog).test(.router) { client in
            try fixture.write(ReloadFixture.flow("Welcome", message: "renamed"))
            await fixture.poll()
            #expect(catalog.flow(named: "Welcome") == nil)
            #expect(try await ReloadFixture.message(client, of: "Greeting") == "first")
            let errors = try await ReloadFixture.json(client, "/health")["reload_errors"]?["Greeting"]?.arrayValue ?? []
            #expect(errors.count == 1)
            let message = errors.first?.stringValue ?? ""
            #expect(message.contains("'Welcome'") && message.contains("restart"), "\(message)")
            #expect(message.hasPrefix(fixture.path("") + ":1:1:"), "\(message)")
        }
    }

    @Test func aRemovedFileKeepsTheOldDefinitionUntilItIsBack() async throws {
        let fixture = try ReloadFixture(flows: ["": ReloadFixture.flow(message: "first")])
        defer { fixture.cleanUp() }
        let catalog = try fixture.catalog()
        try await fixture.application(catalog).test(.router) { client in
            try fixture.remove()
            await fixture.poll()
            #expect(try await ReloadFixture.message(client, of: "Greeting") == "first")
            let errors = catalog.reloadProblems["Greeting"] ?? []
            #expect(errors.first?.message.contains("missing") == true)

            try fixture.write(ReloadFixture.flow(message: "first"))
            await fixture.poll()
            #expect(catalog.reloadProblems.isEmpty)
            #expect(try await ReloadFixture.message(client, of: "Greeting") == "first")
        }
    }

    @Test func inAMultiFlowServerOnlyTheEditedFlowChanges() async throws {
        let fixture = try ReloadFixture(flows: [
            "alpha": ReloadFixture.flow("Alpha", message: "a1"),
            "beta": ReloadFixture.flow("Beta", message: "b1"),
        ])
        defer { fixture.cleanUp() }
        let catalog = try fixture.catalog()
        try await fixture.application(catalog).test(.router) { client in
            try fixture.write(ReloadFixture.flow("Beta", message: "b2"), in: "beta")
            try fixture.write("flow: Alpha\nsteps: 5\n", in: "alpha")
            await fixture.poll()
            #expect(try await ReloadFixture.message(client, of: "Alpha") == "a1")
            #expect(try await ReloadFixture.message(client, of: "Beta") == "b2")
            let health = try await ReloadFixture.json(client, "/health")
            #expect(health["reload_errors"]?["Alpha"] != nil)
            #expect(health["reload_errors"]?["Beta"] == nil)
            #expect(catalog.flows.map(\.name) == ["Alpha", "Beta"])
            #expect(catalog.flow(named: "Beta")?.directory == fixture.root + "/beta")
        }
    }

    @Test func anUnchangedFileIsNotReloaded() async throws {
        let fixture = try ReloadFixture(flows: ["": ReloadFixture.flow(message: "first")])
        defer { fixture.cleanUp() }
        let catalog = try fixture.catalog()
        let reloader = FlowReloader(
            catalog: catalog,
            interval: ReloadFixture.interval,
            clock: fixture.clock,
            logger: ReloadFixture.quiet
        )
        let running = Task { try await reloader.run() }
        // A stand-in definition is only replaced when the file's contents change.
        let original = try #require(catalog.flow(named: "Greeting"))
        var marked = original
        marked.definition.description = "not from the file"
        catalog.replace(marked)
        try fixture.write(ReloadFixture.flow(message: "first"))
        await fixture.poll()
        #expect(catalog.flow(named: "Greeting")?.definition.description == "not from the file")

        try fixture.write(ReloadFixture.flow(message: "second"))
        await fixture.poll()
        #expect(catalog.flow(named: "Greeting")?.definition.description == nil)
        running.cancel()
        try await running.value
    }
}
