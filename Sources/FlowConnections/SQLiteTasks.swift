import FlowCore
import GRDB
import OrderedCollections

/// `sqlite_query`, `sqlite_execute`, `sqlite_transaction`, `sqlite_batch_insert` and `sqlite_batch_update`: the
/// original's names, inputs and result keys, on the step's `connection:`, with `?` placeholders.
enum SQLiteTasks {
    static let all: [RegisteredTask] = [
        task("sqlite_query", "Runs a read-only query ('query', 'params') and returns its 'rows' and 'count'.", query),
        task("sqlite_execute", "Runs one statement ('query', 'params') and returns 'rows_affected'.", execute),
        task("sqlite_transaction", "Runs 'queries' ([{query, params}]) in one transaction; returns 'results' and 'count'.", transaction),
        task("sqlite_batch_insert", "Inserts 'records' into 'table' in one transaction; returns 'inserted_count', 'batches', 'table'.", batchInsert),
        task("sqlite_batch_update", "Updates 'table' from 'updates' by 'key_field' (default id); returns 'updated_count', 'batches', 'table'.", batchUpdate),
    ]

    /// SQLite's limit on parameters per statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32).
    static let maxParameters = 32766

    static func query(_ inputs: FlowValue, _ context: TaskContext) async throws -> FlowValue {
        let statement = try DatabaseTaskInputs.statement(inputs, task: "sqlite_query")
        let rows = try await context.sqlite().query(statement.sql, statement.parameters)
        return ["rows": .array(rows), "count": .int(rows.count)]
    }

    static func execute(_ inputs: FlowValue, _ context: TaskContext) async throws -> FlowValue {
        let statement = try DatabaseTaskInputs.statement(inputs, task: "sqlite_execute")
        let affected = try await context.sqlite().write { db in try run([statement], in: db) }
        return ["rows_affected": .int(affected.first?.affected ?? 0)]
    }

    static func transaction(_ inputs: FlowValue, _ context: TaskContext) async throws -> FlowValue {
        let statements = try DatabaseTaskInputs.statements(inputs, task: "sqlite_transaction")
        let results = try await context.sqlite().write { db in try run(statements, in: db, keepingRows: true) }
        let values: [FlowValue] = results.map { result in
            var value: OrderedDictionary<String, FlowValue> = ["rows_affected": .int(result.affected)]
            if let rows = result.rows { value["rows"] = .array(rows) }
            return .object(value)
        }
        return ["results": .array(values), "count": .int(values.count)]
    }

    static func batchInsert(_ inputs: FlowValue, _ context: TaskContext) async throws -> FlowValue {
        let table = try DatabaseTaskInputs.table(inputs, task: "sqlite_batch_insert")
        let records = try DatabaseTaskInputs.records(inputs, key: "records", task: "sqlite_batch_insert")
        let batchSize = try DatabaseTaskInputs.batchSize(inputs, task: "sqlite_batch_insert")
        let statements = BatchStatements(table: table, placeholders: .questionMark, maxParameters: maxParameters)
            .inserts(records, batchSize: batchSize)
        let results = statements.isEmpty ? [] : try await context.sqlite().write { db in try run(statements, in: db) }
        return [
            "inserted_count": .int(results.reduce(0) { $0 + $1.affected }), "batches": .int(statements.count),
            "table": .string(table),
        ]
    }

    static func batchUpdate(_ inputs: FlowValue, _ context: TaskContext) async throws -> FlowValue {
        let table = try DatabaseTaskInputs.table(inputs, task: "sqlite_batch_update")
        let records = try DatabaseTaskInputs.records(inputs, key: "updates", task: "sqlite_batch_update")
        let batchSize = try DatabaseTaskInputs.batchSize(inputs, task: "sqlite_batch_update")
        let keyField = inputs["key_field"]?.stringValue ?? "id"
        guard DatabaseTaskInputs.isIdentifier(keyField) else {
            throw DatabaseTaskInputs.invalid("sqlite_batch_update: 'key_field' must be a plain column name")
        }
        let statements = try BatchStatements(table: table, placeholders: .questionMark, maxParameters: maxParameters)
            .updates(records, keyField: keyField)
        let results = statements.isEmpty ? [] : try await context.sqlite().write { db in try run(statements, in: db) }
        return [
            "updated_count": .int(results.reduce(0) { $0 + $1.affected }),
            "batches": .int((records.count + batchSize - 1) / batchSize), "table": .string(table),
        ]
    }

    /// Runs `statements` in order inside the caller's transaction; each reports its changed rows, and its result
    /// rows when `keepingRows` and it returned any.
    private static func run(
        _ statements: [DatabaseTaskInputs.Statement],
        in db: Database,
        keepingRows: Bool = false
    ) throws -> [(affected: Int, rows: [FlowValue]?)] {
        try statements.map { statement in
            let prepared = try db.makeStatement(sql: statement.sql)
            prepared.arguments = SQLiteValues.arguments(statement.parameters)
            guard keepingRows, prepared.columnCount > 0 else {
                try prepared.execute()
                return (db.changesCount, nil)
            }
            let rows = try Row.fetchAll(prepared).map(SQLiteValues.object(of:))
            return (prepared.isReadonly ? 0 : db.changesCount, rows)
        }
    }

    private static func task(_ name: String, _ description: String, _ handler: @escaping TaskHandler) -> RegisteredTask {
        RegisteredTask(name: name, description: description, isImplemented: true, isBuiltin: true, handler: handler)
    }
}
