import FlowCore
public import FlowServer
import Foundation
import GRDB

extension SQLiteExecutionStore {
    /// One indexed query (`executions_newest_first`): the filters in SQL, a page one longer than `limit` to
    /// tell whether another follows.
    ///
    /// The cursor compares with its execution's stored start time when that execution is still kept, so a start
    /// time that does not survive the trip through the record's JSON exactly cannot repeat or skip a row.
    public func executions(matching query: ExecutionQuery) async throws -> ExecutionPage {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let flow = query.flow {
            conditions.append("flow = ?")
            _ = arguments.append(contentsOf: [flow])
        }
        if !query.statuses.isEmpty {
            let statuses = query.statuses.map(\.rawValue).sorted()
            conditions.append("status IN (\(Array(repeating: "?", count: statuses.count).joined(separator: ", ")))")
            _ = arguments.append(contentsOf: StatementArguments(statuses))
        }
        if let from = query.startedFrom {
            conditions.append("start_time >= ?")
            _ = arguments.append(contentsOf: [from.timeIntervalSince1970])
        }
        if let before = query.startedBefore {
            conditions.append("start_time < ?")
            _ = arguments.append(contentsOf: [before.timeIntervalSince1970])
        }
        if let text = query.text, !text.isEmpty {
            conditions.append("(instr(id, ?) > 0 OR instr(COALESCE(idempotency_key, ''), ?) > 0)")
            _ = arguments.append(contentsOf: [text, text])
        }
        if let cursor = query.cursor {
            conditions.append(
                """
                (start_time, id) < (COALESCE((SELECT start_time FROM executions WHERE id = ?), ?), ?)
                """
            )
            _ = arguments.append(contentsOf: [cursor.id.rawValue, cursor.startTime, cursor.id.rawValue])
        }
        _ = arguments.append(contentsOf: [query.limit + 1])
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT document FROM executions \(filter) ORDER BY start_time DESC, id DESC LIMIT ?"
        let bound = arguments
        let documents = try await database.read { db in try String.fetchAll(db, sql: sql, arguments: bound) }
        return ExecutionPage(newestFirst: try documents.map(ExecutionRecord.init(storageText:)), limit: query.limit)
    }
}
