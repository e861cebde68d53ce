import FlowCore
import Foundation
import NIOCore
import OrderedCollections
import PostgresNIO

/// How ``FlowValue``s become statement parameters and PostgreSQL values become ``FlowValue``s (the table in
/// docs/databases.md).
///
/// Parameters go as text with no declared type, as libpq sends them, so the server gives each the type its place in
/// the statement needs: `$1` compared with an integer column is an integer, inserted into a `jsonb` column is JSON.
/// Nothing is ever spliced into the SQL text.
enum PostgresValues {
    static func bindings(_ parameters: [FlowValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: parameters.count)
        for parameter in parameters {
            switch parameter {
            case .null: bindings.appendNull()
            case .bool(let value): bindings.append(UntypedText(value ? "true" : "false"))
            case .string(let text): bindings.append(UntypedText(text))
            case .int, .double, .array, .object: bindings.append(UntypedText(parameter.jsonText))
            }
        }
        return bindings
    }

    /// A row as an object keyed by column name, in column order.
    static func object(of row: PostgresRow) throws -> FlowValue {
        var members = OrderedDictionary<String, FlowValue>()
        for cell in row { members[cell.columnName] = try value(of: cell) }
        return .object(members)
    }

    static func value(of cell: PostgresCell) throws -> FlowValue {
        guard let bytes = cell.bytes else { return .null }
        switch cell.dataType {
        case .bool: return .bool(try cell.decode(Bool.self))
        case .int2, .int4, .int8: return .int(try cell.decode(Int.self))
        case .float4, .float8: return .double(try cell.decode(Double.self))
        case .numeric:
            let decimal = try cell.decode(Decimal.self)
            if let integer = Int(exactly: NSDecimalNumber(decimal: decimal).int64Value), Decimal(integer) == decimal {
                return .int(integer)
            }
            return .double(NSDecimalNumber(decimal: decimal).doubleValue)
        case .json, .jsonb: return try FlowValue(json: cell.decode(String.self))
        case .timestamp, .timestamptz: return .string(try cell.decode(Date.self).formatted(timestampStyle))
        case .date: return .string(try cell.decode(Date.self).formatted(dateStyle))
        // Results come in binary format, where bytea is the bytes themselves.
        case .bytea: return .string(Data(bytes.readableBytesView).base64EncodedString())
        case .text, .varchar, .bpchar, .name, .uuid, .char: return .string(try cell.decode(String.self))
        // What functions called for their effect return: SELECT pg_sleep(1), pg_advisory_xact_lock(…).
        case .void: return .null
        default:
            throw TaskError(
                "column '\(cell.columnName)' has type \(cell.dataType), which FlowLang does not read; "
                    + "cast it in the query, e.g. \(cell.columnName)::text",
                type: DatabaseFailure.databaseErrorType
            )
        }
    }

    /// `2026-12-05T20:41:00.123Z`: UTC with milliseconds.
    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    /// `2026-12-05`.
    static let dateStyle = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()
}

/// A parameter sent as text with type OID 0 ("unknown"): the server infers its type from where it is used.
struct UntypedText: PostgresDynamicTypeEncodable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    var psqlType: PostgresDataType { .null }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeString(text)
    }
}
