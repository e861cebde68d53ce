import FlowCore
import OrderedCollections

/// The inputs of the built-in database tasks, read and checked before anything reaches the database.
enum DatabaseTaskInputs {
    /// `query` and optional `params` (a list).
    static func statement(_ inputs: FlowValue, task: String) throws -> SQLStatement {
        guard let sql = inputs["query"]?.stringValue, !sql.isEmpty else {
            throw invalid("\(task) needs 'query', the SQL text")
        }
        return SQLStatement(sql, try parameters(inputs["params"], task: task))
    }

    /// `queries`: a list of `{query, params}` objects (or bare SQL strings).
    static func statements(_ inputs: FlowValue, task: String) throws -> [SQLStatement] {
        guard case .array(let queries)? = inputs["queries"], !queries.isEmpty else {
            throw invalid("\(task) needs 'queries', a non-empty list of {query, params}")
        }
        return try queries.map { query in
            if case .string(let sql) = query { return SQLStatement(sql) }
            return try statement(query, task: task)
        }
    }

    /// `table`, checked to be a plain name (optionally `schema.table`).
    static func table(_ inputs: FlowValue, task: String) throws -> String {
        guard let table = inputs["table"]?.stringValue, isIdentifierPath(table) else {
            throw invalid(
                "\(task) needs 'table', a table name of letters, digits and underscores (optionally schema.table)")
        }
        return table
    }

    /// `batch_size` (default 1000).
    static func batchSize(_ inputs: FlowValue, task: String) throws -> Int {
        guard let value = inputs["batch_size"] else { return 1000 }
        guard let size = value.intValue, size >= 1 else {
            throw invalid("\(task): 'batch_size' must be a positive integer")
        }
        return size
    }

    /// A list of objects under `key`, each with plain column names.
    static func records(_ inputs: FlowValue, key: String, task: String) throws -> [OrderedDictionary<String, FlowValue>]
    {
        guard case .array(let values)? = inputs[key] else { throw invalid("\(task) needs '\(key)', a list of objects") }
        return try values.enumerated().map { index, value in
            guard case .object(let record) = value, !record.isEmpty else {
                throw invalid("\(task): '\(key)[\(index)]' must be a non-empty object of column values")
            }
            for column in record.keys where !isIdentifier(column) {
                throw invalid("\(task): column '\(column)' in '\(key)[\(index)]' is not a plain name")
            }
            return record
        }
    }

    private static func parameters(_ value: FlowValue?, task: String) throws -> [FlowValue] {
        switch value {
        case .none, .null?: return []
        case .array(let values)?: return values
        case .some: throw invalid("\(task): 'params' must be a list, bound in order to the placeholders")
        }
    }

    static func isIdentifier(_ name: some StringProtocol) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
        }
    }

    private static func isIdentifierPath(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy(isIdentifier)
    }

    /// `results` (`[{rows_affected, rows?}]`) and `count` of a `*_transaction` task.
    static func transactionOutput(_ results: [SQLStatementResult]) -> FlowValue {
        let values: [FlowValue] = results.map { result in
            var value: OrderedDictionary<String, FlowValue> = ["rows_affected": .int(result.rowsAffected)]
            if let rows = result.rows { value["rows"] = .array(rows) }
            return .object(value)
        }
        return ["results": .array(values), "count": .int(values.count)]
    }

    static func invalid(_ message: String) -> TaskError {
        TaskError(message, type: "InvalidTaskInput")
    }
}
