/// A configuration string that may name environment variables as `${NAME}`, e.g. a webhook's secret.
///
/// Resolved once at startup against ``ServerConfiguration/environment``; `$${` writes a literal `${`.
public struct EnvironmentTemplate: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case variable(String)
    }

    /// The text as written.
    public let source: String
    let segments: [Segment]

    /// Parses `text`; a `${` without a closing `}` or with an invalid name is an error.
    public init(_ text: String) throws(EnvironmentTemplateError) {
        source = text
        var segments: [Segment] = []
        var literal = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            literal += rest[..<dollar]
            let afterDollar = rest[rest.index(after: dollar)...]
            if afterDollar.hasPrefix("${") {
                literal += "${"
                rest = afterDollar.dropFirst(2)
                continue
            }
            guard afterDollar.hasPrefix("{") else {
                literal += "$"
                rest = afterDollar
                continue
            }
            guard let close = afterDollar.firstIndex(of: "}") else {
                throw EnvironmentTemplateError("'${' without a closing '}' in '\(text)'")
            }
            let name = String(afterDollar[afterDollar.index(after: afterDollar.startIndex)..<close])
            guard Self.isVariableName(name) else {
                throw EnvironmentTemplateError(
                    "'${\(name)}' is not an environment variable reference (letters, digits and '_', not starting with a digit)"
                )
            }
            if !literal.isEmpty { segments.append(.literal(literal)) }
            literal = ""
            segments.append(.variable(name))
            rest = afterDollar[afterDollar.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { segments.append(.literal(literal)) }
        self.segments = segments
    }

    public var description: String { source }

    /// The environment variables the template names, in order.
    public var variables: [String] {
        segments.compactMap { if case .variable(let name) = $0 { name } else { nil } }
    }

    /// The text with every variable replaced; the error names the variables `environment` lacks.
    public func resolve(in environment: [String: String]) throws(EnvironmentTemplateError) -> String {
        var missing: [String] = []
        for name in variables where environment[name] == nil && !missing.contains(name) { missing.append(name) }
        guard missing.isEmpty else {
            let names = missing.map { "'\($0)'" }.joined(separator: ", ")
            throw EnvironmentTemplateError(
                "environment variable\(missing.count == 1 ? "" : "s") \(names) \(missing.count == 1 ? "is" : "are") not set"
            )
        }
        var text = ""
        for segment in segments {
            switch segment {
            case .literal(let literal): text += literal
            case .variable(let name): text += environment[name] ?? ""
            }
        }
        return text
    }

    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else {
            return false
        }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
        }
    }
}

/// A template that does not parse, or names a variable the environment lacks.
public struct EnvironmentTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
