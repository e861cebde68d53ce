import FlowCore

/// `pg_query`, `pg_execute`, `pg_transaction`, `pg_batch_insert` and `pg_batch_update`: the original's names,
/// inputs and result keys, on the step's `connection:`, with `$1`, `$2`, … placeholders.
enum PostgresTasks {
    static let all: [RegisteredTask] = [
        task("pg_query", "Runs a query ('query', 'params') and returns its 'rows' and 'count'.", query),
        task("pg_execute", "Runs one statement ('query', 'params') and returns 'rows_affected'.", execute),
        task(
            "pg_transaction", "Runs 'queries' ([{query, params}]) in one transaction; returns 'results' and 'count'.",
            transaction),
        task(
            "pg_batch_insert",
            "Inserts 'records' into 'table' in one transaction; returns 'inserted_count', 'batches', 'table'.",
            batchInsert),
        task(
            "pg_batch_update",
            "Updates 'table' from 'updates' by 'key_field' (default id); returns 'updated_count', 'batches', 'table'.",
            batchUpdate),
    ]

    /// The wire protocol's limit on parameters per statement.
    static let maxParameters = 65535

    static func query(_ inputs: FlowValue, _ context: TaskContext) async throws -> FlowValue {
        let statement = try DatabaseTaskInputs.statement(inputs, task: "pg_query")
        let rows = try await context.postgres().query(statement.sql, statement.parameters)
        return ["rows": .array(rows), "count": .int(rows.count)]
    }

    static func execute(_ inputs: FlowValue, _ context: TaskContext) async throws -> FlowValue {
        let statement = try DatabaseTaskInputs.statement(inputs, task: "pg_execute")
        let affected = try await context.postgres().execute(statement.sql, statement.parameters)
        return ["rows_affected": .int(affected)]
    }

    static func transaction(_ inputs: FlowValue, _ context: TaskContext) async throws -> FlowValue {
        let statements = try DatabaseTaskInputs.statements(inputs, task: "pg_transaction")
        let results = try await context.postgres().transaction(statements)
        return DatabaseTaskInputs.transactionOutput(results)
    }

    static func batchInsert(_ inputs: FlowValue, _ context: TaskContext) async throws -> FlowValue {
        let table = try DatabaseTaskInputs.table(inputs, task: "pg_batch_insert")
        let records = try DatabaseTaskInputs.records(inputs, key: "records", task: "pg_batch_insert")
        let batchSize = try DatabaseTaskInputs.batchSize(inputs, task: "pg_batch_insert")
        let statements = BatchStatements(table: table, placeholders: .numbered, maxParameters: maxParameters)
            .inserts(records, batchSize: batchSize)
        let results = statements.isEmpty ? [] : try await context.postgres().transaction(statements)
        return [
            "inserted_count": .int(results.reduce(0) { $0 + $1.rowsAffected }), "batches": .int(statements.count),
            "table": .string(table),
        ]
    }

    static func batchUpdate(_ inputs: FlowValue, _ context: TaskContext) async throws -> FlowValue {
        let table = try DatabaseTaskInputs.table(inputs, task: "pg_batch_update")
        let records = try DatabaseTaskInputs.records(inputs, key: "updates", task: "pg_batch_update")
        let batchSize = try DatabaseTaskInputs.batchSize(inputs, task: "pg_batch_update")
        let keyField = inputs["key_field"]?.stringValue ?? "id"
        guard DatabaseTaskInputs.isIdentifier(keyField) else {
            throw DatabaseTaskInputs.invalid("pg_batch_update: 'key_field' must be a plain column name")
        }
        let statements = try BatchStatements(table: table, placeholders: .numbered, maxParameters: maxParameters)
            .updates(records, keyField: keyField)
        let results = statements.isEmpty ? [] : try await context.postgres().transaction(statements)
        return [
            "updated_count": .int(results.reduce(0) { $0 + $1.rowsAffected }),
            "batches": .int((records.count + batchSize - 1) / batchSize), "table": .string(table),
        ]
    }

    private static func task(_ name: String, _ description: String, _ handler: @escaping TaskHandler) -> RegisteredTask
    {
        RegisteredTask(name: name, description: description, isImplemented: true, isBuiltin: true, handler: handler)
    }
}
