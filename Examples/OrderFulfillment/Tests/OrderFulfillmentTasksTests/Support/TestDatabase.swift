import FlowConnections
import FlowCore
import Foundation
import Logging
import Testing
@testable import OrderFulfillmentTasks

/// Each test's own shop database, and the pools that serve it while the test runs: a new SQLite file, or, with
/// `ORDER_TEST_DATABASE=postgres`, a new database on the PostgreSQL server of `FLOWLANG_TEST_POSTGRES_URL`
/// (`scripts/test-example.sh` runs the suite both ways).
///
/// Suites ask for it with `@Suite(.shopDatabase)`; the flow loads with it as its `db` connection, and
/// `services.inventory`, `services.orders` and `services.stock(…)` read it.
struct TestDatabase: Sendable {
    /// What `DATABASE_URL` would be.
    let url: String
    let pools: ConnectionPools

    @TaskLocal static var current: TestDatabase?

    /// The test's database, or an error saying how to get one.
    static func required() throws -> TestDatabase {
        guard let current else { throw TestDatabaseMissing() }
        return current
    }

    /// The flow file (or YAML text) loaded with this database as its `db` connection.
    func load(path: String) throws -> FlowDefinition {
        try FlowLoader(environment: ["DATABASE_URL": url], requiresEnvironment: true).load(contentsOf: path)
    }

    func load(yaml: String) throws -> FlowDefinition {
        try FlowLoader(environment: ["DATABASE_URL": url], requiresEnvironment: true).load(yaml: yaml)
    }

    /// The shop on this database, its tables made.
    func shop() async throws -> Shop {
        let flow = try load(yaml: "flow: Shop\nconnections:\n  db:\n    url: ${env.DATABASE_URL}\nsteps: []\n")
        guard let connection = flow.connections["db"], let database = try await pools.pool(for: connection) as? any SQLDatabase else {
            throw TestDatabaseMissing()
        }
        return try await Shop.open(database)
    }

    static let logger = Logger(label: "order-tests", factory: { _ in SwiftLogNoOpLogHandler() })
}

struct TestDatabaseMissing: Error, CustomStringConvertible {
    var description: String { "this test needs a shop database: mark its suite @Suite(.shopDatabase)" }
}

/// Gives every test of a suite its own ``TestDatabase``, removed when the test ends.
struct ShopDatabaseTrait: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func scopeProvider(for test: Test, testCase: Test.Case?) -> ShopDatabaseTrait? {
        testCase == nil ? nil : self
    }

    func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let environment = ProcessInfo.processInfo.environment
        try await ConnectionPools.withPools(logger: TestDatabase.logger) { pools in
            if environment["ORDER_TEST_DATABASE"] == "postgres" {
                guard let server = environment["FLOWLANG_TEST_POSTGRES_URL"] else {
                    throw PostgresServerMissing()
                }
                let admin = try await TestDatabase(url: server, pools: pools).adminPool()
                let name = "order_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
                _ = try await admin.execute("CREATE DATABASE \(name)")
                let url = String(server[..<(server.lastIndex(of: "/") ?? server.endIndex)]) + "/" + name
                do {
                    try await TestDatabase.$current.withValue(TestDatabase(url: url, pools: pools), operation: function)
                } catch {
                    _ = try? await admin.execute("DROP DATABASE \(name) WITH (FORCE)")
                    throw error
                }
                _ = try await admin.execute("DROP DATABASE \(name) WITH (FORCE)")
            } else {
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("order-test-\(UUID().uuidString)").path
                defer { try? FileManager.default.removeItem(atPath: directory) }
                try await TestDatabase.$current.withValue(TestDatabase(url: "sqlite:\(directory)/orders.db", pools: pools), operation: function)
            }
        }
    }
}

struct PostgresServerMissing: Error, CustomStringConvertible {
    var description: String { "ORDER_TEST_DATABASE=postgres needs FLOWLANG_TEST_POSTGRES_URL (scripts/postgres-test-server.sh start)" }
}

extension TestDatabase {
    /// A pool on the server's own database, for creating and dropping test databases.
    func adminPool() async throws -> PostgresPool {
        let flow = try load(yaml: "flow: Admin\nconnections:\n  admin:\n    url: \(url)\nsteps: []\n")
        guard let connection = flow.connections["admin"], let pool = try await pools.pool(for: connection) as? PostgresPool else {
            throw PostgresServerMissing()
        }
        return pool
    }
}

extension Trait where Self == ShopDatabaseTrait {
    /// Every test of the suite gets its own shop database.
    static var shopDatabase: Self { Self() }
}

extension OrderServices {
    /// The test database's stock and reservations.
    var inventory: Inventory {
        get async throws { try await TestDatabase.required().shop().inventory }
    }

    /// The test database's orders.
    var orders: OrderBook {
        get async throws { try await TestDatabase.required().shop().orders }
    }

    /// The test database's ledger of payments taken.
    var ledger: PaymentLedger {
        get async throws { try await TestDatabase.required().shop().payments }
    }

    /// Units on hand and not reserved, by product, for the products given.
    func stock(_ products: String...) async throws -> [Int] {
        let inventory = try await inventory
        var levels: [Int] = []
        for product in products { levels.append(try await inventory.available(product)) }
        return levels
    }
}
