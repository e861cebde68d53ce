public import OrderedCollections

/// The caller's inputs do not fit the flow's declared inputs; nothing ran.
public struct InputValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One problem with one input.
    public struct Problem: Sendable, Equatable {
        public enum Kind: String, Sendable {
            /// A required input is absent or null.
            case missing
            /// The value does not fit the declared type.
            case invalidType = "invalid_type"
            /// The value is not one of the input's `enum` values.
            case notInEnum = "enum"
            /// The number is below the input's `minimum`.
            case belowMinimum = "minimum"
            /// The number is above the input's `maximum`.
            case aboveMaximum = "maximum"
            /// The string has no match of the input's `pattern`.
            case patternMismatch = "pattern"

            init(_ constraint: InputConstraint) {
                switch constraint {
                case .enumeration: self = .notInEnum
                case .minimum: self = .belowMinimum
                case .maximum: self = .aboveMaximum
                case .pattern: self = .patternMismatch
                }
            }
        }

        /// The input's name.
        public var input: String
        public var kind: Kind
        public var message: String

        public init(input: String, kind: Kind, message: String) {
            self.input = input
            self.kind = kind
            self.message = message
        }
    }

    /// Every problem found, in declaration order.
    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.message).joined(separator: "; ") }
}

/// Checks inputs against a flow's declarations: defaults applied, types coerced, required ones present, and
/// `enum`, `minimum`, `maximum` and `pattern` obeyed.
public enum InputValidator {
    /// The inputs as the flow sees them, or every problem at once.
    ///
    /// Undeclared inputs pass through unchanged; a declared optional input without a default becomes `null`.
    public static func validate(_ inputs: OrderedDictionary<String, FlowValue>, for flow: FlowDefinition)
        throws(InputValidationError) -> OrderedDictionary<String, FlowValue>
    {
        var validated = inputs
        var problems: [InputValidationError.Problem] = []
        for declaration in flow.inputs {
            let provided = inputs[declaration.name]
            guard let value = provided, !value.isNull else {
                if let defaultValue = declaration.defaultValue {
                    validated[declaration.name] = defaultValue
                } else if declaration.required {
                    problems.append(
                        .init(
                            input: declaration.name,
                            kind: .missing,
                            message: "Required input '\(declaration.name)' not provided"
                        )
                    )
                } else {
                    validated[declaration.name] = .null
                }
                continue
            }
            switch InputCoercion.coerce(value, to: declaration.type) {
            case .success(let coerced):
                validated[declaration.name] = coerced
                if let (constraint, reason) = declaration.violation(by: coerced) {
                    problems.append(
                        .init(
                            input: declaration.name, kind: .init(constraint),
                            message: "Input '\(declaration.name)' \(reason)")
                    )
                }
            case .failure(let reason):
                problems.append(
                    .init(input: declaration.name, kind: .invalidType, message: "Input '\(declaration.name)' \(reason)")
                )
            }
        }
        guard problems.isEmpty else { throw InputValidationError(problems: problems) }
        return validated
    }
}
