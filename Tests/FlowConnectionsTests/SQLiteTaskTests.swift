import FlowConnections
import FlowCore
import Foundation
import OrderedCollections
import Testing

/// The `sqlite_*` tasks and the SQLite pool against a real database file.
@Suite("SQLite tasks")
struct SQLiteTaskTests {
    @Test func everyBuiltinTaskWorksOnARealFile() async throws {
        let flow = try TestConnections.flow(
            connection: "sqlite",
            """
            steps:
              - task: sqlite_execute
                connection: db
                inputs: {query: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)"}
              - task: sqlite_batch_insert
                id: inserted
                connection: db
                inputs:
                  table: items
                  batch_size: 2
                  records: [{id: 1, name: apple, qty: 3}, {id: 2, name: pear, qty: 5}, {id: 3, name: plum}]
              - task: sqlite_batch_update
                id: updated
                connection: db
                inputs:
                  table: items
                  updates: [{id: 3, qty: 9}, {id: 1, name: green apple}]
              - task: sqlite_transaction
                id: moved
                connection: db
                inputs:
                  queries:
                    - {query: "UPDATE items SET qty = qty - ? WHERE id = ?", params: [1, 2]}
                    - {query: "UPDATE items SET qty = qty + ? WHERE id = ?", params: [1, 3]}
              - task: sqlite_execute
                id: deleted
                connection: db
                inputs: {query: "DELETE FROM items WHERE qty < ?", params: [4]}
              - task: sqlite_query
                id: items
                connection: db
                inputs: {query: "SELECT id, name, qty FROM items WHERE id >= ? ORDER BY id", params: [1]}
            outputs:
              - name: inserted
              - name: updated
              - name: moved
              - name: deleted
              - name: items
            """
        )
        let result = try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            try await TestConnections.run(flow, pools: pools)
        }
        #expect(result.status == .completed, "\(String(describing: result.failure))")
        #expect(result.outputs["inserted"] == ["inserted_count": 3, "batches": 2, "table": "items"])
        #expect(result.outputs["updated"] == ["updated_count": 2, "batches": 1, "table": "items"])
        #expect(result.outputs["moved"] == ["results": [["rows_affected": 1], ["rows_affected": 1]], "count": 2])
        #expect(result.outputs["deleted"] == ["rows_affected": 1])
        #expect(
            result.outputs["items"] == [
                "rows": [["id": 2, "name": "pear", "qty": 4], ["id": 3, "name": "plum", "qty": 10]], "count": 2,
            ]
        )
    }

    @Test func valuesRoundTripThroughSQLite() async throws {
        let flow = try TestConnections.flow(
            connection: "sqlite",
            """
            inputs: [value]
            steps:
              - task: sqlite_execute
                connection: db
                inputs: {query: "CREATE TABLE IF NOT EXISTS v (x)"}
              - task: sqlite_execute
                connection: db
                inputs: {query: "DELETE FROM v"}
              - task: sqlite_execute
                connection: db
                inputs: {query: "INSERT INTO v (x) VALUES (?)", params: ["${inputs.value}"]}
              - task: sqlite_query
                id: back
                connection: db
                inputs: {query: "SELECT x, typeof(x) AS t FROM v"}
            outputs:
              - name: back
            """
        )
        let cases: [(FlowValue, FlowValue, String)] = [
            (.null, .null, "null"), (true, 1, "integer"), (false, 0, "integer"), (42, 42, "integer"),
            (-9_007_199_254_740_993, -9_007_199_254_740_993, "integer"), (2.5, 2.5, "real"), ("héllo", "héllo", "text"),
            (["a": [1, 2]], "{\"a\":[1,2]}", "text"), ([1, "x"], "[1,\"x\"]", "text"),
        ]
        try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            for (input, expected, type) in cases {
                let result = try await TestConnections.run(flow, inputs: ["value": input], pools: pools)
                #expect(result.outputs["back"]?["rows"] == [["x": expected, "t": .string(type)]], "\(input)")
            }
        }
    }

    @Test func blobsComeBackAsBase64() async throws {
        let flow = try TestConnections.flow(
            connection: "sqlite",
            "steps:\n  - task: sqlite_query\n    id: b\n    connection: db\n    inputs: {query: \"SELECT x'00ff10' AS b\"}\noutputs:\n  - name: b"
        )
        let result = try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            try await TestConnections.run(flow, pools: pools)
        }
        #expect(result.outputs["b"]?["rows"] == [["b": "AP8Q"]])
    }

    @Test func failingTransactionRollsBackAndOnErrorSeesTheDatabaseError() async throws {
        let file = TestConnections.temporaryDatabase()
        let flow = try TestConnections.flow(
            connection: "sqlite",
            """
            steps:
              - task: sqlite_execute
                connection: db
                inputs: {query: "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER CHECK (balance >= 0))"}
              - task: sqlite_execute
                connection: db
                inputs: {query: "INSERT INTO accounts VALUES (1, 10), (2, 0)"}
              - task: sqlite_transaction
                connection: db
                inputs:
                  queries:
                    - {query: "UPDATE accounts SET balance = balance + 50 WHERE id = 2"}
                    - {query: "UPDATE accounts SET balance = balance - 50 WHERE id = 1"}
                on_error:
                  - task: Echo
                    id: caught
                    inputs: {message: "${error.message}", type: "${error.type}"}
              - task: sqlite_query
                id: balances
                connection: db
                inputs: {query: "SELECT balance FROM accounts ORDER BY id"}
            outputs:
              - name: caught
              - name: balances
            """,
            file: file
        )
        let result = try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            try await TestConnections.run(flow, pools: pools)
        }
        #expect(result.status == .completed)
        #expect(result.outputs["caught"]?["type"] == "DatabaseError")
        #expect(result.outputs["caught"]?["message"]?.stringValue?.contains("CHECK constraint failed") == true)
        #expect(result.outputs["caught"]?["message"]?.stringValue?.hasSuffix("(SQLite error 275)") == true)
        #expect(result.outputs["balances"]?["rows"] == [["balance": 10], ["balance": 0]])
    }

    @Test func taskThatThrowsReturnsItsConnection() async throws {
        let flow = try TestConnections.flow(
            connection: "sqlite",
            "steps:\n  - task: Explode\n    connection: db\n"
        )
        let registry = TestConnections.registry { registry in
            registry.register("Explode") { _, context in
                let pool = try await context.sqlite()
                return try await pool.read { db -> FlowValue in
                    throw TaskError("boom while holding a connection", type: "Boom")
                }
            }
        }
        try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            let result = try await TestConnections.run(flow, registry: registry, pools: pools)
            #expect(result.failure?.type == "Boom")
            let status = pools.status(of: try #require(flow.connections["db"]))
            #expect(status.state == .open)
            #expect(status.inUse == 0)
            #expect(status.leases == 1)
        }
    }

    @Test func stepWithoutAConnectionFailsWithConnectionError() async throws {
        let flow = try TestConnections.flow(
            connection: "sqlite",
            "steps:\n  - task: sqlite_query\n    inputs: {query: \"SELECT 1\"}\n  - task: sqlite_query\n    connection: other\n    inputs: {query: \"SELECT 1\"}\n"
        )
        let result = try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            try await TestConnections.run(flow, pools: pools)
        }
        #expect(result.failure?.type == "ConnectionError")
        #expect(result.failure?.message.contains("names no connection") == true)
    }

    @Test func sqlErrorIsADatabaseErrorWithTheCode() async throws {
        let flow = try TestConnections.flow(
            connection: "sqlite",
            "steps:\n  - task: sqlite_query\n    connection: db\n    inputs: {query: \"SELECT * FROM missing\"}\n"
        )
        let result = try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            try await TestConnections.run(flow, pools: pools)
        }
        #expect(result.failure?.type == "DatabaseError")
        #expect(result.failure?.message == "no such table: missing (SQLite error 1)")
    }

    @Test func parametersAreBoundNeverSpliced() async throws {
        let flow = try TestConnections.flow(
            connection: "sqlite",
            """
            inputs: [name]
            steps:
              - task: sqlite_execute
                connection: db
                inputs: {query: "CREATE TABLE people (name TEXT)"}
              - task: sqlite_execute
                connection: db
                inputs: {query: "INSERT INTO people VALUES (?)", params: ["${inputs.name}"]}
              - task: sqlite_query
                id: people
                connection: db
                inputs: {query: "SELECT name FROM people"}
            outputs:
              - name: people
            """
        )
        let hostile = "x'); DROP TABLE people; --"
        let result = try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            try await TestConnections.run(flow, inputs: ["name": .string(hostile)], pools: pools)
        }
        #expect(result.outputs["people"]?["rows"] == [["name": .string(hostile)]])
    }
}
