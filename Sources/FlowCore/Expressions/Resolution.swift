import OrderedCollections

/// Where references find their roots: inputs, loop variables, `error` and step results.
public protocol ReferenceScope: Sendable {
    /// The value of the root segment `name`, or `nil` when nothing of that name is in scope.
    func value(forRoot name: String) -> FlowValue?
    /// `value(forRoot: name)?[key]`, without building the root value when the scope can avoid it.
    func value(forRoot name: String, member key: String) -> FlowValue?
}

extension ReferenceScope {
    public func value(forRoot name: String, member key: String) -> FlowValue? { value(forRoot: name)?[key] }
}

/// A reference that does not resolve against the current scope.
public struct ResolutionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether the root was missing or the path below it.
    public enum Kind: Sendable, Equatable {
        /// Nothing named like the root is in scope, e.g. a step that did not run.
        case unknownRoot
        /// The root exists but the path does not lead anywhere.
        case invalidPath
    }

    /// The reference as written.
    public var reference: String
    /// What went wrong, naming the reference.
    public var message: String
    public var kind: Kind

    public init(reference: String, message: String, kind: Kind = .invalidPath) {
        self.reference = reference
        self.message = message
        self.kind = kind
    }

    public var description: String { message }
}

extension Reference {
    /// The referenced value.
    public func resolve(in scope: some ReferenceScope) throws(ResolutionError) -> FlowValue {
        if case .key(let key)? = path.first, var current = scope.value(forRoot: root, member: key) {
            for position in path.indices.dropFirst() {
                current = try step(from: current, by: path[position], position: position)
            }
            return current
        }
        guard var current = scope.value(forRoot: root) else {
            throw ResolutionError(
                reference: description,
                message: "unknown reference \(description): no input, step result or loop variable named '\(root)'",
                kind: .unknownRoot
            )
        }
        for (position, component) in path.enumerated() {
            current = try step(from: current, by: component, position: position)
        }
        return current
    }

    private func step(from value: FlowValue, by component: Component, position: Int) throws(ResolutionError)
        -> FlowValue
    {
        switch (value, component) {
        case (.object(let members), .key(let key)):
            if let member = members[key] { return member }
            if key == "length" { return .int(members.count) }
            throw failure(position, "\(prefix(position)) has no key '\(key)'")
        case (.array(let elements), .key(let key)):
            if key == "length" { return .int(elements.count) }
            guard let index = Int(key) else {
                throw failure(position, "\(prefix(position)) is an array; '\(key)' is not an index")
            }
            return try element(of: elements, at: index, position: position)
        case (.array(let elements), .index(let index)):
            return try element(of: elements, at: index, position: position)
        case (.string(let string), .key("length")):
            return .int(string.count)
        case (.object(let members), .index(let index)):
            if let member = members[String(index)] { return member }
            throw failure(position, "\(prefix(position)) is an object and has no key '\(index)'")
        default:
            let name: String
            switch component {
            case .key(let key): name = "'\(key)'"
            case .index(let index): name = "[\(index)]"
            }
            throw failure(position, "cannot read \(name) of \(prefix(position)), which is \(value.kindName)")
        }
    }

    private func element(of elements: [FlowValue], at index: Int, position: Int) throws(ResolutionError)
        -> FlowValue
    {
        let resolved = index < 0 ? elements.count + index : index
        guard elements.indices.contains(resolved) else {
            throw failure(
                position,
                "index \(index) is out of range for \(prefix(position)), an array of \(elements.count) element(s)"
            )
        }
        return elements[resolved]
    }

    private func prefix(_ position: Int) -> String {
        Reference(root: root, path: Array(path.prefix(position))).description
    }

    private func failure(_ position: Int, _ detail: String) -> ResolutionError {
        ResolutionError(reference: description, message: "cannot resolve \(description): \(detail)")
    }
}

extension ValueTemplate {
    /// The value with every reference resolved.
    public func resolve(in scope: some ReferenceScope) throws(ResolutionError) -> FlowValue {
        switch self {
        case .literal(let value):
            return value
        case .reference(let reference):
            return try reference.resolve(in: scope)
        case .interpolation(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .text(let literal): text += literal
                case .reference(let reference): text += try reference.resolve(in: scope).interpolationText
                }
            }
            return .string(text)
        case .array(let elements):
            var values: [FlowValue] = []
            values.reserveCapacity(elements.count)
            for element in elements { values.append(try element.resolve(in: scope)) }
            return .array(values)
        case .object(let members):
            // mapValues keeps the key storage, so no key is hashed again.
            var failure: ResolutionError?
            let values = members.mapValues { member -> FlowValue in
                guard failure == nil else { return .null }
                do throws(ResolutionError) {
                    return try member.resolve(in: scope)
                } catch {
                    failure = error
                    return .null
                }
            }
            if let failure { throw failure }
            return .object(values)
        }
    }
}
