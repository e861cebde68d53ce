public import FlowCore
import FlowServer
import PostgresNIO

extension PostgresExecutionStore {
    /// Keeps `events` of running execution `id`, the first at position `first`, for instances following it; a
    /// position already kept is left as it is. Nothing is kept unless this instance holds the run: one paused past
    /// its lease does not mix its events into those of the instance that took the run over.
    public func appendLiveEvents(_ events: [ExecutionEvent], from first: Int, execution id: ExecutionID) async throws {
        guard !events.isEmpty else { return }
        let positions = events.indices.map { first + $0 }
        let documents = events.map { ExecutionRecord.storageJSON(of: $0).jsonText }
        try await storeOperation("keep the live events of execution \(id)") {
            try await client.query(
                """
                INSERT INTO \(unescaped: tables.liveEvents) (execution_id, seq, event)
                SELECT \(id.rawValue), kept.seq, kept.event::json FROM unnest(\(positions)::int[], \(documents)::text[]) AS kept(seq, event)
                WHERE EXISTS (
                    SELECT 1 FROM \(unescaped: tables.executions) WHERE id = \(id.rawValue) AND status = 'running' AND owner = \(owner)
                )
                ON CONFLICT (execution_id, seq) DO NOTHING
                """,
                logger: logger
            )
        }
    }

    public func liveEvents(id: ExecutionID, after position: Int) async throws -> [ExecutionEvent] {
        try await storeOperation("read the live events of execution \(id)") {
            let rows = try await client.query(
                """
                SELECT event::text FROM \(unescaped: tables.liveEvents) WHERE execution_id = \(id.rawValue) AND seq > \(position)
                ORDER BY seq
                """,
                logger: logger
            )
            var events: [ExecutionEvent] = []
            for try await text in rows.decode(String.self) {
                events.append(try ExecutionRecord.event(StoredRecordError.parse(text)))
            }
            return events
        }
    }
}
