/// A parsed `${root.path[0].more}` reference.
public struct Reference: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path after the root.
    public enum Component: Sendable, Hashable {
        /// `.name`; on an array a numeric name indexes it, and `length` counts when no such key exists.
        case key(String)
        /// `[n]`; negative values count from the end.
        case index(Int)
    }

    /// The first segment: `inputs`, a step id, a loop variable or `error`.
    public var root: String
    /// The rest of the path.
    public var path: [Component]

    public init(root: String, path: [Component] = []) {
        self.root = root
        self.path = path
    }

    /// The reference as written, normalised: `${root.a[0]}`.
    public var description: String { "${\(pathText)}" }

    /// The path without `${}`.
    public var pathText: String {
        var text = root
        for component in path {
            switch component {
            case .key(let key): text += "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// Parses the text between `${` and `}`.
    public static func parse(_ text: Substring) throws(ExpressionSyntaxError) -> Reference {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { throw ExpressionSyntaxError("empty reference '${}'", offset: 0) }
        let leadingSpaces = text.distance(from: text.startIndex, to: trimmed.startIndex)
        do {
            return try parseTrimmed(trimmed)
        } catch {
            throw ExpressionSyntaxError(error.message, offset: error.offset + leadingSpaces)
        }
    }

    private static func parseTrimmed(_ trimmed: Substring) throws(ExpressionSyntaxError) -> Reference {
        var components: [Component] = []
        var current = ""
        var rootName: String?
        var index = trimmed.startIndex
        func finishSegment(at offset: Int) throws(ExpressionSyntaxError) {
            guard !current.isEmpty else {
                throw ExpressionSyntaxError("empty path segment in '${\(trimmed)}'", offset: offset)
            }
            if rootName == nil { rootName = current } else { components.append(.key(current)) }
            current = ""
        }
        var offset = 0
        var pendingSegment = true
        while index < trimmed.endIndex {
            let character = trimmed[index]
            switch character {
            case ".":
                if pendingSegment { try finishSegment(at: offset) }
                pendingSegment = true
            case "[":
                if pendingSegment { try finishSegment(at: offset) }
                guard let close = trimmed[index...].firstIndex(of: "]") else {
                    throw ExpressionSyntaxError("missing ']' in '${\(trimmed)}'", offset: offset)
                }
                let inner = trimmed[trimmed.index(after: index)..<close].trimmingSpaces()
                if let number = Int(inner) {
                    components.append(.index(number))
                } else if inner.count >= 2, let quote = inner.first, quote == "\"" || quote == "'",
                    inner.last == quote
                {
                    components.append(.key(String(inner.dropFirst().dropLast())))
                } else {
                    throw ExpressionSyntaxError(
                        "index '[\(inner)]' in '${\(trimmed)}' must be an integer or a quoted key",
                        offset: offset
                    )
                }
                offset += trimmed.distance(from: index, to: close)
                index = close
                pendingSegment = false
            default:
                if !pendingSegment {
                    throw ExpressionSyntaxError("expected '.' or '[' after ']' in '${\(trimmed)}'", offset: offset)
                }
                current.append(character)
            }
            index = trimmed.index(after: index)
            offset += 1
        }
        if pendingSegment { try finishSegment(at: offset) }
        guard let rootName else { throw ExpressionSyntaxError("empty reference '${}'", offset: 0) }
        return Reference(root: rootName, path: components)
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result = result.dropFirst() }
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return result
    }
}

/// An expression or reference that does not parse; `offset` counts characters from its start.
public struct ExpressionSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { message }
}
