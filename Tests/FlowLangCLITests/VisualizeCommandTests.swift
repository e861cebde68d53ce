import Foundation
import Testing

/// `flowlang visualize` run as a user would: Mermaid by default, `--format svg` and `--format html`.
@Suite struct VisualizeCommandTests {
    static let flow = "Examples/flows/hello_world/flow.yaml"

    @Test func mermaidStaysTheDefault() async throws {
        let run = try await CommandLineTests.flowlang("visualize", Self.flow)
        #expect(run.status == 0)
        #expect(run.output.hasPrefix("```mermaid\nflowchart TD\n"))
    }

    @Test func formatSVGPrintsTheBlockLayoutImage() async throws {
        let run = try await CommandLineTests.flowlang("visualize", Self.flow, "--format", "svg")
        #expect(run.status == 0)
        #expect(run.output.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flowlang-diagram\""))
        #expect(run.output.contains("data-step-id=\"0\""))
        #expect(run.output.hasSuffix("</svg>\n\n"))
    }

    @Test func formatSVGWritesTheImageToTheOutputFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let output = directory.appendingPathComponent("flow.svg").path
        let run = try await CommandLineTests.flowlang("visualize", Self.flow, "--format", "svg", "-o", output)
        #expect(run.status == 0)
        #expect(run.output.isEmpty)
        let image = try String(contentsOfFile: output, encoding: .utf8)
        #expect(image.hasPrefix("<svg "))
        #expect(image.hasSuffix("</svg>\n"))
    }

    @Test func formatHTMLEmbedsTheImageAndLoadsNothing() async throws {
        let run = try await CommandLineTests.flowlang("visualize", Self.flow, "--format", "html")
        #expect(run.status == 0)
        #expect(run.output.hasPrefix("<!DOCTYPE html>"))
        #expect(run.output.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(!run.output.contains("<script"))
    }

    @Test func anUnknownFormatIsAUsageError() async throws {
        let run = try await CommandLineTests.flowlang("visualize", Self.flow, "--format", "png")
        #expect(run.status == 64)
        #expect(run.output.contains("svg"), "the message lists the formats")
    }
}
