/// The Swift type of a generated `Input` or `Output` field.
package indirect enum SwiftType: Sendable, Equatable {
    case string
    case int
    case double
    case bool
    /// Any JSON value: references, objects, and everything nothing more is known about.
    case flowValue
    case array(SwiftType)

    /// The type as written in Swift.
    package var code: String {
        switch self {
        case .string: "String"
        case .int: "Int"
        case .double: "Double"
        case .bool: "Bool"
        case .flowValue: "FlowValue"
        case .array(let element): "[\(element.code)]"
        }
    }

    /// The common type of a field used with both types: `Int` and `Double` widen to `Double`, arrays merge
    /// their elements, anything else becomes `FlowValue`.
    func merged(with other: SwiftType) -> SwiftType {
        switch (self, other) {
        case _ where self == other: self
        case (.int, .double), (.double, .int): .double
        case (.array(let left), .array(let right)): .array(left.merged(with: right))
        default: .flowValue
        }
    }

    /// A value of this type as JSON, for sample inputs of generated task tests.
    var sampleJSON: String {
        switch self {
        case .string: "\"sample\""
        case .int: "1"
        case .double: "1.5"
        case .bool: "true"
        case .flowValue: "\"sample\""
        case .array: "[]"
        }
    }
}
