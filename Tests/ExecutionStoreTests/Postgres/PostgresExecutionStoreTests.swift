import FlowCore
import FlowPostgres
import FlowServer
import Foundation
import OrderedCollections
import Testing

/// What only a shared, durable store does: instances racing on one database, migrating together, records
/// outliving the store that wrote them.
@Suite(.enabled(if: TestDatabase.isAvailable, "set FLOWLANG_TEST_POSTGRES_URL (scripts/postgres-test-server.sh start)"))
struct PostgresExecutionStoreTests {
    typealias Cases = ExecutionStoreConformanceTests

    @Test func finishesAndCancelRequestsFromTwoInstancesRacingLeaveNoRecordRunning() async throws {
        try await TestDatabase.withSchema { schema in
            let first = try TestDatabase.makeStore(schema: schema, maxRecords: 10_000)
            let second = try TestDatabase.makeStore(schema: schema, maxRecords: 10_000)
            try await first.migrate()
            try await TestDatabase.running([first, second]) {
                let ids = (0..<50).map { ExecutionID(rawValue: "race-\($0)") }
                for id in ids { try await first.create(Cases.running(id)) }
                let cancelled = try await withThrowingTaskGroup(of: ExecutionRecord?.self) { group in
                    for id in ids {
                        group.addTask {
                            try await first.finish(id: id, result: Cases.result(id), events: [], at: Date())
                        }
                        group.addTask { try await second.requestCancel(id: id, reason: "racing") }
                    }
                    var seen: [ExecutionRecord] = []
                    for try await record in group { if let record { seen.append(record) } }
                    return seen
                }
                // Each id answered once by finish and once by the cancel request.
                #expect(cancelled.count == 100)
                let records = try await second.records(flow: "F", limit: 1000)
                #expect(records.count == 50)
                #expect(records.allSatisfy { $0.status == .completed && $0.result?.status == .completed })
                // A cancel request that won the race is kept by the finish that followed it.
                let cancelWon = cancelled.filter { $0.status == .running }.map(\.id)
                #expect(records.filter { cancelWon.contains($0.id) }.allSatisfy { $0.cancelReason == "racing" })
            }
        }
    }

    @Test func twoInstancesMigratingAtOnceApplyEachMigrationOnce() async throws {
        try await TestDatabase.withSchema { schema in
            let first = try TestDatabase.makeStore(schema: schema)
            let second = try TestDatabase.makeStore(schema: schema)
            async let firstApplied = first.migrate()
            async let secondApplied = second.migrate()
            let applied = try await [firstApplied, secondApplied]
            let all = [
                "1-executions", "2-idempotency-keys", "3-step-journal-and-leases", "4-executions-newest-first",
                "5-live-events", "6-drop-redundant-indexes",
                "7-journal-without-foreign-keys",
            ]
            #expect(applied.flatMap { $0 } == all)
            #expect(try await TestDatabase.appliedMigrations(schema: schema) == all)
            #expect(try await first.migrate().isEmpty)
            try await TestDatabase.running([first, second]) {
                try await first.create(Cases.running("shared"))
                #expect(try await second.record(id: "shared")?.id == "shared")
            }
        }
    }

    @Test func recordsOutliveTheStoreThatWroteThem() async throws {
        try await TestDatabase.withSchema { schema in
            let writer = try TestDatabase.makeStore(schema: schema)
            try await writer.migrate()
            try await TestDatabase.running([writer]) {
                try await writer.create(
                    ExecutionRecord(id: "kept", flowName: "F", mode: .sync, inputs: ["b": 2, "a": 1]))
                let result = ExecutionResult(
                    executionId: "kept", flowName: "F", status: .completed, outputs: ["ok": true],
                    duration: .milliseconds(12)
                )
                _ = try await writer.finish(id: "kept", result: result, events: [], at: Date())
            }
            let reader = try TestDatabase.makeStore(schema: schema)
            #expect(try await reader.migrate().isEmpty)
            let record = try await TestDatabase.running([reader]) { try await reader.record(id: "kept") }
            #expect(record?.status == .completed)
            #expect(record?.result?.duration == .milliseconds(12))
            #expect(record?.inputs.keys.elements == ["b", "a"])
        }
    }

    @Test func finishedRecordsOlderThanTheMaximumAgeAreDroppedButRunningOnesAreKept() async throws {
        try await TestDatabase.withStore(maxAge: .seconds(60)) { store in
            let longAgo = Date().addingTimeInterval(-7200)
            try await store.create(Cases.running("still-running", start: longAgo))
            try await store.create(Cases.running("old", start: longAgo))
            _ = try await store.finish(
                id: "old", result: Cases.result("old"), events: [], at: longAgo.addingTimeInterval(1))
            try await store.create(Cases.running("new"))
            _ = try await store.finish(id: "new", result: Cases.result("new"), events: [], at: Date())
            #expect(try await store.purge(at: Date()) == 1)
            #expect(try await store.records(flow: "F", limit: 10).map(\.id) == ["still-running", "new"])
        }
    }

    @Test func retentionByTwoInstancesPurgingAtOnceNeverFailsNorDropsARunningRecord() async throws {
        try await TestDatabase.withSchema { schema in
            let first = try TestDatabase.makeStore(schema: schema, maxRecords: 10)
            let second = try TestDatabase.makeStore(schema: schema, maxRecords: 10)
            try await first.migrate()
            try await TestDatabase.running([first, second]) {
                let start = Date()
                try await first.create(Cases.running("running", start: start))
                let ids = (0..<60).map { ExecutionID(rawValue: "done-\($0)") }
                // Each instance finishes the runs it started: only a run's owner may.
                func owner(_ index: Int) -> PostgresExecutionStore { index.isMultiple(of: 2) ? first : second }
                for (index, id) in ids.enumerated() {
                    try await owner(index).create(Cases.running(id, start: start.addingTimeInterval(Double(index + 1))))
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, id) in ids.enumerated() {
                        let store = owner(index)
                        group.addTask {
                            _ = try await store.finish(id: id, result: Cases.result(id), events: [], at: Date())
                            _ = try await store.purge(at: Date())
                        }
                    }
                    try await group.waitForAll()
                }
                // Purges racing skip rather than wait; one purge alone deletes all that is due.
                try await first.create(Cases.running("last", start: start.addingTimeInterval(100)))
                _ = try await first.finish(id: "last", result: Cases.result("last"), events: [], at: Date())
                _ = try await first.purge(at: Date())
                let kept = try await second.records(flow: "F", limit: 100).map(\.id)
                #expect(kept == ["running"] + (51..<60).map { ExecutionID(rawValue: "done-\($0)") } + ["last"])
            }
        }
    }

    @Test func aStoreInASchemaOfItsOwnDoesNotSeeAnotherSchemasRecords() async throws {
        try await TestDatabase.withStore { first in
            try await TestDatabase.withStore { second in
                try await first.create(Cases.running("only-in-first"))
                #expect(try await second.record(id: "only-in-first") == nil)
                #expect(try await first.record(id: "only-in-first") != nil)
            }
        }
    }

    @Test func creatingAnIdTwiceIsRefusedNamingIt() async throws {
        try await TestDatabase.withStore { store in
            try await store.create(Cases.running("twice"))
            await #expect {
                try await store.create(Cases.running("twice"))
            } throws: { error in
                guard case .queryFailed(_, let operation, let reason)? = error as? PostgresStoreError else {
                    return false
                }
                return operation == "store execution twice" && reason.contains("SQLSTATE 23505")
            }
        }
    }

    @Test func aReachableStoreAnswersTheReadinessCheck() async throws {
        try await TestDatabase.withStore { store in
            try await store.checkReachable()
            #expect(try await store.records(flow: nil, limit: 10).isEmpty)
        }
    }

    @Test func aChangeAfterTheStoresServiceStoppedFailsSayingSo() async throws {
        try await TestDatabase.withSchema { schema in
            let store = try TestDatabase.makeStore(schema: schema)
            try await store.migrate()
            try await TestDatabase.running([store]) { try await store.create(Cases.running("before")) }
            await #expect {
                try await store.create(Cases.running("after"))
            } throws: { error in
                guard case .queryFailed(_, let operation, let reason)? = error as? PostgresStoreError else {
                    return false
                }
                return operation == "store execution after" && reason.contains("the store's service is not running")
            }
        }
    }

    @Test func theReadinessCheckFailsWhenTheStoresServiceIsNotRunning() async throws {
        try await TestDatabase.withSchema { schema in
            var configuration = try TestDatabase.configuration(schema: schema)
            configuration.reachabilityTimeout = .seconds(1)
            let store = PostgresExecutionStore(configuration: configuration, logger: TestDatabase.logger)
            try await store.migrate()
            await #expect {
                try await store.checkReachable()
            } throws: { error in
                guard case .queryFailed(_, let operation, let reason)? = error as? PostgresStoreError else {
                    return false
                }
                return operation == "answer the readiness check" && reason.contains("is the store's service running?")
            }
        }
    }

    @Test func manyConcurrentChangesUseNoMoreConnectionsThanThePoolSize() async throws {
        try await TestDatabase.withSchema { schema in
            // Migrated by another store: the server may still list the migrating connection for a moment after
            // it closed, and it must not be counted.
            try await TestDatabase.makeStore(schema: schema).migrate()
            var configuration = try TestDatabase.configuration(schema: schema)
            configuration.poolSize = 2
            configuration.applicationName = "flowlang-test-" + schema
            let store = PostgresExecutionStore(configuration: configuration, logger: TestDatabase.logger)
            try await TestDatabase.running([store]) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<40 {
                        group.addTask { try await store.create(Cases.running("e-\(index)")) }
                    }
                    try await group.waitForAll()
                }
                // Idle connections stay open for a minute, so the count is how many the burst opened.
                let open = try await TestDatabase.connectionCount(applicationName: configuration.applicationName)
                #expect((1...2).contains(open))
                #expect(try await store.records(flow: "F", limit: 100).count == 40)
            }
        }
    }

    @Test func aPurgeDeletesMoreThanOneBatchAndLeavesTheNewestAndTheRunning() async throws {
        try await TestDatabase.withStore(maxRecords: 5) { store in
            let start = Date()
            try await store.create(Cases.running("running", start: start))
            let count = PostgresExecutionStore.purgeBatch + 20
            for index in 0..<count {
                let id = ExecutionID(rawValue: "done-\(index)")
                try await store.create(Cases.running(id, start: start.addingTimeInterval(Double(index + 1))))
                _ = try await store.finish(id: id, result: Cases.result(id), events: [], at: Date())
            }
            #expect(try await store.purge(at: Date()) == count - 5)
            let kept = try await store.records(flow: "F", limit: 100).map(\.id)
            #expect(kept == ["running"] + (count - 5..<count).map { ExecutionID(rawValue: "done-\($0)") })
            #expect(try await store.purge(at: Date()) == 0)
        }
    }
}
