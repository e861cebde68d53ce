import Foundation
import Testing

/// `flowlang serve` configuration at the edge: `--print-config`, and bad values stopping the start with exit 2.
@Suite struct ServeConfigurationTests {
    /// Runs `flowlang serve ARGS` with exactly `environment` (plus PATH), in the package root.
    static func serve(_ arguments: [String], environment: [String: String] = [:]) async throws
        -> CommandLineTests.Invocation
    {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        return try await CommandLineTests.run(
            ["serve"] + arguments, environment: environment.merging(["PATH": path]) { $1 })
    }

    @Test func printConfigShowsEachValueWithItsSourceAndMasksSecrets() async throws {
        let envFile = try CommandLineTests.temporaryFile("HOST=0.0.0.0\nPORT=7000\n", name: ".env")
        let run = try await Self.serve(
            ["Examples/flows", "--print-config", "--port", "9001", "--env-file", envFile],
            environment: ["RATE_LIMIT": "10/s", "FLOWLANG_API_KEYS": "sk_first,sk_second", "PORT": "9000"]
        )
        #expect(run.status == 0)
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("PORT=9001 ") && $0.hasSuffix("(flag)") })
        #expect(lines.contains { $0.hasPrefix("HOST=0.0.0.0 ") && $0.hasSuffix("(.env \(envFile))") })
        #expect(lines.contains { $0.hasPrefix("RATE_LIMIT=10/s ") && $0.hasSuffix("(env)") })
        #expect(lines.contains { $0.hasPrefix("FLOWLANG_API_KEYS=****** (2 keys) ") })
        #expect(lines.contains { $0.hasPrefix("LOG_LEVEL=info ") && $0.hasSuffix("(default)") })
        #expect(!run.output.contains("sk_first") && !run.output.contains("sk_second"))
    }

    @Test(arguments: [
        (["--port", "abc"], [String: String](), "error: PORT: 'abc' is not a port (1–65535)"),
        ([], ["MAX_BODY_BYTES": "-1"], "error: MAX_BODY_BYTES: '-1' is not a positive whole number"),
        ([], ["RATE_LIMIT": "fast"], "error: RATE_LIMIT: 'fast' is not a rate (e.g. 100/s, 6000/min, 10/h, or off)"),
        (
            ["--env-file", "/nonexistent/.env"], [:],
            "error: /nonexistent/.env: cannot read the .env file (no such file)"
        ),
    ])
    func aBadValueStopsTheStartWithExitTwoNamingIt(arguments: [String], environment: [String: String], message: String)
        async throws
    {
        let run = try await Self.serve(["Examples/flows"] + arguments, environment: environment)
        #expect(run.status == 2)
        #expect(run.output.trimmingCharacters(in: .whitespacesAndNewlines) == message)
    }

    @Test func aMalformedDotEnvNamesItsLine() async throws {
        let envFile = try CommandLineTests.temporaryFile("PORT=8000\nnot a line\n", name: ".env")
        let run = try await Self.serve(["Examples/flows", "--env-file", envFile])
        #expect(run.status == 2)
        #expect(run.output.contains("\(envFile):2: "))
    }
}
