import FlowCore
public import FlowServer
import Foundation
import PostgresNIO

extension PostgresExecutionStore {
    /// One query whose filters are off when their parameter is null (the server plans it with the values
    /// given), a page one longer than `limit` to tell whether another follows.
    ///
    /// The cursor compares with its execution's stored start time when that execution is still kept: the
    /// column holds microseconds, the cursor the record's full-precision time.
    public func executions(matching query: ExecutionQuery) async throws -> ExecutionPage {
        let statuses = query.statuses.map(\.rawValue).sorted()
        let text = query.text.flatMap { $0.isEmpty ? nil : $0 }
        let cursorId = query.cursor?.id.rawValue
        let cursorTime = query.cursor?.startTime
        let limit = query.limit + 1
        return try await storeOperation("list executions") {
            let rows = try await client.query(
                """
                SELECT document FROM \(unescaped: tables.executions)
                WHERE (\(query.flow)::text IS NULL OR flow = \(query.flow))
                AND (cardinality(\(statuses)::text[]) = 0 OR status = ANY(\(statuses)::text[]))
                AND (\(query.startedFrom)::timestamptz IS NULL OR start_time >= \(query.startedFrom))
                AND (\(query.startedBefore)::timestamptz IS NULL OR start_time < \(query.startedBefore))
                AND (\(text)::text IS NULL OR strpos(id, \(text)) > 0 OR strpos(COALESCE(idempotency_key, ''), \(text)) > 0)
                AND (\(cursorId)::text IS NULL OR (start_time, id) < (
                    COALESCE(
                        (SELECT start_time FROM \(unescaped: tables.executions) WHERE id = \(cursorId)),
                        to_timestamp(\(cursorTime)::double precision)
                    ),
                    \(cursorId)
                ))
                ORDER BY start_time DESC, id DESC LIMIT \(limit)
                """,
                logger: logger
            )
            return ExecutionPage(newestFirst: try await Self.decodeAll(rows), limit: query.limit)
        }
    }
}
