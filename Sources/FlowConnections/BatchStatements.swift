import FlowCore
import OrderedCollections

/// The statements `*_batch_insert` and `*_batch_update` run: multi-row `INSERT`s and one `UPDATE` per record,
/// with every value a bound parameter and every name checked to be a plain identifier.
struct BatchStatements {
    let table: String
    let placeholders: SQLPlaceholderStyle
    /// The most parameters one statement may carry (SQLite 32766, PostgreSQL 65535).
    let maxParameters: Int

    /// `INSERT`s of `records` in batches of at most `batchSize` rows; columns are those of all records, in order
    /// of first appearance, and a record without one inserts NULL.
    func inserts(_ records: [OrderedDictionary<String, FlowValue>], batchSize: Int) -> [SQLStatement] {
        var columns = OrderedSet<String>()
        for record in records { columns.append(contentsOf: record.keys) }
        let rowsPerStatement = max(1, min(batchSize, maxParameters / max(1, columns.count)))
        let columnList = columns.map(Self.quoted).joined(separator: ", ")
        return stride(from: 0, to: records.count, by: rowsPerStatement).map { start in
            let batch = records[start..<min(records.count, start + rowsPerStatement)]
            var parameters: [FlowValue] = []
            var rows: [String] = []
            for record in batch {
                var row: [String] = []
                for column in columns {
                    parameters.append(record[column] ?? .null)
                    row.append(placeholders.text(parameters.count))
                }
                rows.append("(" + row.joined(separator: ", ") + ")")
            }
            return SQLStatement(
                "INSERT INTO \(Self.quotedPath(table)) (\(columnList)) VALUES \(rows.joined(separator: ", "))",
                parameters)
        }
    }

    /// One `UPDATE … WHERE key = …` per record, setting every other column the record has.
    func updates(_ records: [OrderedDictionary<String, FlowValue>], keyField: String) throws -> [SQLStatement] {
        try records.enumerated().map { index, record in
            guard let key = record[keyField] else {
                throw DatabaseTaskInputs.invalid(
                    "'updates[\(index)]' has no '\(keyField)', the key_field that picks its row")
            }
            var parameters: [FlowValue] = []
            var assignments: [String] = []
            for (column, value) in record where column != keyField {
                parameters.append(value)
                assignments.append("\(Self.quoted(column)) = \(placeholders.text(parameters.count))")
            }
            guard !assignments.isEmpty else {
                throw DatabaseTaskInputs.invalid("'updates[\(index)]' sets no column besides '\(keyField)'")
            }
            parameters.append(key)
            let sql =
                "UPDATE \(Self.quotedPath(table)) SET \(assignments.joined(separator: ", ")) WHERE \(Self.quoted(keyField)) = \(placeholders.text(parameters.count))"
            return SQLStatement(sql, parameters)
        }
    }

    /// Names are checked to be plain identifiers before they get here, so they go in as written, unquoted, as the
    /// original writes them: PostgreSQL folds them to lower case.
    static func quoted(_ name: String) -> String { name }

    static func quotedPath(_ name: String) -> String { name }
}
