import FlowPostgres
import Testing

/// A server that does not answer is reported plainly, naming the store without its password. Needs no server:
/// nothing listens on 127.0.0.1 port 1.
@Suite struct PostgresUnreachableTests {
    static func unreachableStore() -> PostgresExecutionStore {
        let configuration = PostgresExecutionStore.Configuration(
            host: "127.0.0.1",
            port: 1,
            username: "flow",
            password: "s3cret-pw",
            database: "flow",
            reachabilityTimeout: .milliseconds(200)
        )
        return PostgresExecutionStore(configuration: configuration, logger: TestDatabase.logger)
    }

    static func isClearRefusal(_ error: any Error) -> Bool {
        guard case .unreachable(let store, let reason)? = error as? PostgresStoreError else { return false }
        let message = "\(error)"
        return store == "postgres://flow:****@127.0.0.1:1/flow" && reason == "connection refused"
            && message.hasPrefix(
                "cannot reach the execution store postgres://flow:****@127.0.0.1:1/flow: connection refused;")
            && message.contains("check DATABASE_URL") && !message.contains("s3cret-pw")
    }

    @Test func theReadinessCheckSaysTheConnectionWasRefused() async throws {
        let store = Self.unreachableStore()
        try await TestDatabase.running([store]) {
            await #expect(performing: { try await store.checkReachable() }, throws: Self.isClearRefusal)
        }
    }

    @Test func migratingSaysTheConnectionWasRefused() async {
        await #expect(performing: { try await Self.unreachableStore().migrate() }, throws: Self.isClearRefusal)
    }
}
