import FlowCore
import FlowDevelopment
import Foundation
import Testing

/// `flowlang doctor --flows PATH`: one check per connection the flows declare, loaded as a server loads them.
@Suite("Doctor connection checks")
struct DoctorConnectionTests {
    static func report(flow: String, environment: [String: String]) async throws -> DoctorReport {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try flow.write(
            toFile: (directory as NSString).appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        var probes = DoctorTests.probes(environment: environment)
        probes.checkConnection = { connection in connection.typeName == "postgres" ? "connection refused" : nil }
        let options = Doctor.Options(
            checkBuild: false, directory: "/work", flowLangCheckout: "/src/FlowLang", flowsPath: directory)
        return await Doctor(options: options, probes: probes).run()
    }

    static let flow = """
        flow: Orders
        connections:
          db:
            type: postgres
            url: ${env.DATABASE_URL}
          local:
            type: sqlite
            database: orders.db
        steps: []
        """

    @Test func everyDeclaredConnectionIsCheckedWithoutItsPassword() async throws {
        let report = try await Self.report(
            flow: Self.flow, environment: ["DATABASE_URL": "postgres://app:hunter2@db.internal/orders"])
        #expect(try DoctorTests.check("connection 'db'", in: report).status == .failed)
        #expect(
            report.text.contains(
                "✗ connection 'db': db (postgres://app:****@db.internal:5432/orders): connection refused"))
        #expect(try DoctorTests.check("connection 'local'", in: report).status == .passed)
        #expect(!report.text.contains("hunter2"))
        #expect(report.exitCode == 1)
    }

    @Test func aFlowWhoseConnectionUsesAnUnsetVariableFails() async throws {
        let report = try await Self.report(flow: Self.flow, environment: [:])
        #expect(try DoctorTests.check("flow connections", in: report).status == .failed)
        #expect(report.text.contains("uses the environment variable 'DATABASE_URL', which is not set"))
    }
}
