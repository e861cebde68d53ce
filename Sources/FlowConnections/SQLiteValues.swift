import FlowCore
import Foundation
import GRDB
import OrderedCollections

/// How ``FlowValue``s become statement arguments and SQLite values become ``FlowValue``s (the table in
/// docs/databases.md). SQLite stores null, integers, reals, text and blobs: booleans go in as 1 and 0, objects and
/// lists as JSON text, and blobs come out as base64 text.
enum SQLiteValues {
    static func arguments(_ parameters: [FlowValue]) -> StatementArguments {
        StatementArguments(parameters.map(databaseValue(of:)))
    }

    static func databaseValue(of value: FlowValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .bool(let flag): (flag ? 1 : 0).databaseValue
        case .int(let integer): integer.databaseValue
        case .double(let number): number.databaseValue
        case .string(let text): text.databaseValue
        case .array, .object: value.jsonText.databaseValue
        }
    }

    /// A row as an object keyed by column name, in column order.
    static func object(of row: Row) -> FlowValue {
        var members = OrderedDictionary<String, FlowValue>()
        for (column, value) in row { members[column] = flowValue(of: value) }
        return .object(members)
    }

    static func flowValue(of value: DatabaseValue) -> FlowValue {
        switch value.storage {
        case .null: .null
        case .int64(let integer): .int(Int(integer))
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .blob(let data): .string(data.base64EncodedString())
        }
    }
}
