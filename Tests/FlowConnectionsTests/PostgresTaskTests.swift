import FlowConnections
import FlowCore
import Foundation
import OrderedCollections
import PostgresNIO
import Testing

/// The `pg_*` tasks and the PostgreSQL pool against a real server; each test works in tables of its own.
@Suite(
    .enabled(if: TestConnections.hasPostgres, "set FLOWLANG_TEST_POSTGRES_URL (scripts/postgres-test-server.sh start)"))
struct PostgresTaskTests {
    @Test func everyBuiltinTaskWorksOnARealServer() async throws {
        let table = TestConnections.tableName()
        let flow = try TestConnections.flow(
            connection: "postgres",
            """
            steps:
              - task: pg_execute
                connection: db
                inputs: {query: "CREATE TABLE \(table) (id int PRIMARY KEY, name text, qty int)"}
              - task: pg_batch_insert
                id: inserted
                connection: db
                inputs:
                  table: \(table)
                  batch_size: 2
                  records: [{id: 1, name: apple, qty: 3}, {id: 2, name: pear, qty: 5}, {id: 3, name: plum}]
              - task: pg_batch_update
                id: updated
                connection: db
                inputs:
                  table: \(table)
                  updates: [{id: 3, qty: 9}, {id: 1, name: green apple}]
              - task: pg_transaction
                id: moved
                connection: db
                inputs:
                  queries:
                    - {query: "UPDATE \(table) SET qty = qty - $1 WHERE id = $2", params: [1, 2]}
                    - {query: "UPDATE \(table) SET qty = qty + $1 WHERE id = $2 RETURNING qty", params: [1, 3]}
              - task: pg_execute
                id: deleted
                connection: db
                inputs: {query: "DELETE FROM \(table) WHERE qty < $1", params: [4]}
              - task: pg_query
                id: items
                connection: db
                inputs: {query: "SELECT id, name, qty FROM \(table) WHERE id >= $1 ORDER BY id", params: [1]}
              - task: pg_execute
                connection: db
                inputs: {query: "DROP TABLE \(table)"}
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
        #expect(result.outputs["inserted"] == ["inserted_count": 3, "batches": 2, "table": .string(table)])
        #expect(result.outputs["updated"] == ["updated_count": 2, "batches": 1, "table": .string(table)])
        #expect(
            result.outputs["moved"] == [
                "results": [["rows_affected": 1], ["rows_affected": 1, "rows": [["qty": 10]]]], "count": 2,
            ])
        #expect(result.outputs["deleted"] == ["rows_affected": 1])
        #expect(
            result.outputs["items"] == [
                "rows": [["id": 2, "name": "pear", "qty": 4], ["id": 3, "name": "plum", "qty": 10]], "count": 2,
            ]
        )
    }

    static let roundTrips: [(String, FlowValue, FlowValue)] = [
        ("boolean", true, true), ("boolean", .null, .null), ("smallint", 7, 7), ("integer", -42, -42),
        ("bigint", 9_007_199_254_740_993, 9_007_199_254_740_993), ("real", 1.5, 1.5), ("double precision", 2.25, 2.25),
        ("numeric(10,2)", 12.5, 12.5), ("numeric", 12, 12), ("text", "héllo", "héllo"), ("varchar(5)", "abc", "abc"),
        ("jsonb", ["a": [1, true, .null]], ["a": [1, true, .null]]), ("json", [1, "x"], [1, "x"]),
        ("timestamptz", "2026-12-05T20:41:00.123Z", "2026-12-05T20:41:00.123Z"),
        ("timestamp", "2026-12-05 20:41:00", "2026-12-05T20:41:00.000Z"), ("date", "2026-12-05", "2026-12-05"),
        ("uuid", "6f1c3a9e-1d2b-4c5d-8e7f-0a1b2c3d4e5f", "6F1C3A9E-1D2B-4C5D-8E7F-0A1B2C3D4E5F"),
    ]

    @Test(arguments: roundTrips)
    func valueRoundTripsThroughAColumn(type: String, input: FlowValue, expected: FlowValue) async throws {
        let table = TestConnections.tableName()
        let flow = try TestConnections.flow(
            connection: "postgres",
            """
            inputs: [value]
            steps:
              - task: pg_transaction
                id: back
                connection: db
                inputs:
                  queries:
                    - {query: "CREATE TEMP TABLE \(table) (x \(type)) ON COMMIT DROP"}
                    - {query: "INSERT INTO \(table) VALUES ($1)", params: ["${inputs.value}"]}
                    - {query: "SELECT x FROM \(table)"}
            outputs:
              - name: back
            """
        )
        let result = try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            try await TestConnections.run(flow, inputs: ["value": input], pools: pools)
        }
        #expect(result.status == .completed, "\(String(describing: result.failure))")
        #expect(result.outputs["back"]?["results"]?.arrayValue?.last?["rows"] == [["x": expected]])
    }

    @Test func byteaComesBackAsBase64() async throws {
        let flow = try TestConnections.flow(
            connection: "postgres",
            "steps:\n  - task: pg_query\n    id: b\n    connection: db\n    inputs: {query: \"SELECT decode($1, 'base64') AS b\", params: [AP8Q]}\noutputs:\n  - name: b"
        )
        let result = try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            try await TestConnections.run(flow, pools: pools)
        }
        #expect(result.outputs["b"]?["rows"] == [["b": "AP8Q"]], "\(String(describing: result.failure))")
    }

    @Test func functionCalledForItsEffectReturnsNull() async throws {
        let flow = try TestConnections.flow(
            connection: "postgres",
            "steps:\n  - task: pg_query\n    id: v\n    connection: db\n    inputs: {query: \"SELECT pg_advisory_xact_lock(1) AS locked\"}\noutputs:\n  - name: v"
        )
        let result = try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            try await TestConnections.run(flow, pools: pools)
        }
        #expect(result.outputs["v"]?["rows"] == [["locked": .null]], "\(String(describing: result.failure))")
    }

    @Test func failingTransactionRollsBackAndOnErrorSeesTheSQLState() async throws {
        let table = TestConnections.tableName()
        let flow = try TestConnections.flow(
            connection: "postgres",
            """
            steps:
              - task: pg_execute
                connection: db
                inputs: {query: "CREATE TABLE \(table) (id int PRIMARY KEY)"}
              - task: pg_transaction
                connection: db
                inputs:
                  queries:
                    - {query: "INSERT INTO \(table) VALUES (1)"}
                    - {query: "INSERT INTO \(table) VALUES (1)"}
                on_error:
                  - task: Echo
                    id: caught
                    inputs: {message: "${error.message}", type: "${error.type}"}
              - task: pg_query
                id: rows
                connection: db
                inputs: {query: "SELECT count(*) AS n FROM \(table)"}
              - task: pg_execute
                connection: db
                inputs: {query: "DROP TABLE \(table)"}
            outputs:
              - name: caught
              - name: rows
            """
        )
        let result = try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            try await TestConnections.run(flow, pools: pools)
        }
        #expect(result.status == .completed, "\(String(describing: result.failure))")
        #expect(result.outputs["caught"]?["type"] == "DatabaseError")
        #expect(
            result.outputs["caught"]?["message"]?.stringValue?.hasPrefix(
                "duplicate key value violates unique constraint") == true)
        #expect(result.outputs["caught"]?["message"]?.stringValue?.hasSuffix("(SQLSTATE 23505)") == true)
        #expect(result.outputs["rows"]?["rows"] == [["n": 0]])
    }

    @Test func taskThatThrowsReturnsItsConnection() async throws {
        let flow = try TestConnections.flow(connection: "postgres", "steps:\n  - task: Explode\n    connection: db\n")
        let registry = TestConnections.registry { registry in
            registry.register("Explode") { _, context in
                try await context.postgres().withConnection { connection -> FlowValue in
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

    @Test func cancelledRunStopsItsTenSecondQueryAtOnce() async throws {
        let flow = try TestConnections.flow(
            connection: "postgres", "steps:\n  - task: SleepInDatabase\n    connection: db\n")
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        let registry = TestConnections.registry { registry in
            registry.register("SleepInDatabase") { _, context in
                // Finished however the task ends, so the test never waits for a start that cannot come.
                defer { startedContinuation.finish() }
                return try await context.postgres().withConnection { connection in
                    startedContinuation.yield()
                    try await connection.query("SELECT pg_sleep(120)", logger: TestConnections.logger)
                    return FlowValue.null
                }
            }
        }
        try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            // A connection opened beforehand, so the run's duration is the query's and not the connecting's.
            _ = try await TestConnections.run(flow, registry: TestConnections.registry(), pools: pools)
            let signal = CancellationSignal()
            async let run = TestConnections.run(
                flow, registry: registry, pools: pools, options: ExecutionOptions(cancellation: signal))
            var waiting = started.makeAsyncIterator()
            _ = await waiting.next()
            signal.cancel(reason: "test cancels")
            let result = try await run
            #expect(result.status == .cancelled)
            // Not a timing goal (well under a second alone, docs/databases.md): a query that was not cancelled
            // would hold the run for its two minutes.
            #expect(result.duration < .seconds(60))
            #expect(pools.status(of: try #require(flow.connections["db"])).inUse == 0)
        }
    }

    @Test func stepTimeoutCancelsTheRunningQuery() async throws {
        // One connection: the second step can only lease it once the timed-out query has let it go, which a
        // pg_sleep still running would not do for two minutes.
        let flow = try TestConnections.flow(
            connection: "postgres",
            """
            steps:
              - task: pg_query
                connection: db
                timeout: 200ms
                inputs: {query: "SELECT pg_sleep(120)"}
                on_error:
                  - task: pg_query
                    id: after
                    connection: db
                    inputs: {query: "SELECT '${error.type}' AS first_step"}
            outputs:
              - name: after
            """,
            poolSize: 1
        )
        let result = try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            try await TestConnections.run(flow, pools: pools)
        }
        #expect(result.status == .completed, "\(String(describing: result.failure))")
        #expect(result.outputs["after"]?["rows"] == [["first_step": "TimeoutError"]])
        #expect(result.duration < .seconds(60))
    }

    @Test func hundredConcurrentExecutionsOnAPoolOfFiveAllSucceed() async throws {
        let flow = try TestConnections.flow(
            connection: "postgres",
            """
            inputs: [n]
            steps:
              - task: pg_query
                id: echo
                connection: db
                inputs: {query: "SELECT $1::int * 2 AS doubled", params: ["${inputs.n}"]}
            outputs:
              - name: echo
            """,
            poolSize: 5,
            // A run waits for one of the five connections while up to 99 others hold or wait for them; on two
            // loaded cores that can take longer than the default 10 s.
            timeout: 120
        )
        try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            let results = try await withThrowingTaskGroup(of: (Int, ExecutionResult).self) { group in
                for n in 0..<100 {
                    group.addTask { (n, try await TestConnections.run(flow, inputs: ["n": .int(n)], pools: pools)) }
                }
                var results: [(Int, ExecutionResult)] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(results.count == 100)
            for (n, result) in results {
                #expect(
                    result.outputs["echo"]?["rows"] == [["doubled": .int(n * 2)]],
                    "\(n): \(String(describing: result.failure))")
            }
            let status = pools.status(of: try #require(flow.connections["db"]))
            #expect(status.size == 5)
            #expect(status.inUse == 0)
            #expect(status.leases == 100)
        }
    }

    @Test func refusedConnectionIsARetryableConnectionErrorWithoutThePassword() async throws {
        let flow = try FlowLoader(environment: [:]).load(
            yaml: """
                flow: Refused
                connections:
                  db:
                    type: postgres
                    url: postgres://app:hunter2@127.0.0.1:1/none
                    timeout: 300ms
                steps:
                  - task: pg_query
                    connection: db
                    retry: {max_attempts: 2, delay_seconds: 0, retry_on: [ConnectionError]}
                    inputs: {query: "SELECT 1"}
                """
        )
        try await ConnectionPools.withPools(logger: TestConnections.logger) { pools in
            let result = try await TestConnections.run(flow, pools: pools)
            #expect(result.failure?.type == "ConnectionError")
            #expect(result.failure?.attempts == 2)
            #expect(
                result.failure?.message.hasSuffix("connection refused") == true, "\(String(describing: result.failure))"
            )
            #expect(result.failure?.message.contains("hunter2") == false)
            let status = pools.status(of: try #require(flow.connections["db"]))
            guard case .failing(let reason) = status.state else {
                Issue.record("expected a failing pool, got \(status.state)")
                return
            }
            #expect(!reason.contains("hunter2"))
        }
    }
}
