import Foundation
import OrderedCollections
import Yams

/// Builds the ``ConnectionDefinition``s of a `connections:` mapping (a flow's, or a project's
/// `shared_connections`), substituting `${env.VAR}`, `${VAR}` and `${env.VAR:-default}` from `environment` in
/// string values.
///
/// A connection without `type` takes it from its `url`'s scheme (`postgres://…`, `postgresql://…` or
/// `sqlite:PATH`), so one `url: ${env.DATABASE_URL:-sqlite:app.db}` serves both databases.
///
/// Every problem is a diagnostic at the offending node; a message about a URL names it without its password.
struct ConnectionsBuilder {
    static let sqliteKeys = ["type", "database", "url", "timeout"]
    static let postgresKeys = ["type", "url", "pool_size", "min_pool_size", "timeout"]

    let reader: YAMLReader
    let environment: [String: String]
    /// Whether an unset variable is an error; otherwise a warning, and the connection is left out.
    let requiresEnvironment: Bool
    /// Where relative SQLite paths start: the declaring file's directory, else the working directory.
    let baseDirectory: String?

    func build(_ node: Node) -> OrderedDictionary<String, ConnectionDefinition> {
        guard let entries = reader.entries(of: node, what: "'connections'") else { return [:] }
        var connections = OrderedDictionary<String, ConnectionDefinition>()
        for entry in entries {
            if let connection = buildConnection(entry.key, entry.value) { connections[entry.key] = connection }
        }
        return connections
    }

    private func buildConnection(_ name: String, _ node: Node) -> ConnectionDefinition? {
        let what = "connection '\(name)'"
        guard let entries = reader.entries(of: node, what: what) else { return nil }
        let byKey = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let type: String
        if let typeNode = byKey["type"] {
            guard let declared = reader.string(typeNode, what: "\(what) 'type'")?.lowercased() else { return nil }
            type = declared
        } else if let urlNode = byKey["url"] {
            guard let url = substituted(urlNode, what: "\(what) 'url'") else { return nil }
            guard let inferred = Self.type(ofURL: url) else {
                reader.error(
                    "\(what) has no 'type', and its 'url' starts with none of postgres://, postgresql:// or sqlite:",
                    at: urlNode
                )
                return nil
            }
            type = inferred
        } else {
            reader.error(
                "\(what) needs a 'type' (one of \(ConnectionDefinition.supportedTypes.joined(separator: ", ")))",
                at: node)
            return nil
        }
        let typeNode = byKey["type"] ?? node
        let location = reader.location(of: node)
        switch type {
        case "sqlite":
            reader.checkKeys(entries, allowed: Self.sqliteKeys, in: what)
            return sqlite(name, byKey, at: node).map {
                ConnectionDefinition(name: name, kind: .sqlite($0), location: location)
            }
        case "postgres", "postgresql":
            reader.checkKeys(entries, allowed: Self.postgresKeys, in: what)
            return postgres(name, byKey, at: node).map {
                ConnectionDefinition(name: name, kind: .postgres($0), location: location)
            }
        case let unsupported where ConnectionDefinition.unsupportedTypes.contains(unsupported):
            reader.error(
                "\(what) has type '\(type)', which this build of FlowLang does not support. "
                    + "Supported types: \(ConnectionDefinition.supportedTypes.joined(separator: ", "))",
                at: typeNode
            )
        default:
            let hint = Suggestions.hint(for: type, in: ConnectionDefinition.supportedTypes)
            reader.error(
                "\(what) has unknown type '\(type)'.\(hint) Supported types: \(ConnectionDefinition.supportedTypes.joined(separator: ", "))",
                at: typeNode
            )
        }
        return nil
    }

    private func sqlite(_ name: String, _ byKey: [String: Node], at node: Node) -> SQLiteConnectionSettings? {
        let database: String
        let databaseNode: Node
        if let node = byKey["database"] {
            guard let path = substituted(node, what: "connection '\(name)' 'database'") else { return nil }
            (database, databaseNode) = (path, node)
        } else if let node = byKey["url"] {
            guard let url = substituted(node, what: "connection '\(name)' 'url'") else { return nil }
            guard let path = Self.sqlitePath(ofURL: url) else {
                reader.error("connection '\(name)' (sqlite) has a 'url' that is not sqlite:PATH", at: node)
                return nil
            }
            (database, databaseNode) = (path, node)
        } else {
            reader.error("connection '\(name)' (sqlite) needs a 'database' file path", at: node)
            return nil
        }
        guard !database.isEmpty, database != ":memory:", !database.hasPrefix("file:") else {
            reader.error(
                "connection '\(name)' 'database' must be a file path; in-memory and URI databases cannot be pooled",
                at: databaseNode)
            return nil
        }
        var settings = SQLiteConnectionSettings(database: resolved(database))
        if let node = byKey["timeout"], let timeout = duration(node, what: "connection '\(name)' 'timeout'") {
            settings.timeout = timeout
        }
        return settings
    }

    private func postgres(_ name: String, _ byKey: [String: Node], at node: Node) -> PostgresConnectionSettings? {
        guard let urlNode = byKey["url"] else {
            reader.error(
                "connection '\(name)' (postgres) needs a 'url' such as postgres://USER:PASSWORD@HOST:5432/DATABASE",
                at: node)
            return nil
        }
        guard let url = substituted(urlNode, what: "connection '\(name)' 'url'") else { return nil }
        var settings: PostgresConnectionSettings
        do {
            settings = try PostgresConnectionSettings(url: url)
        } catch {
            reader.error("connection '\(name)' has a malformed 'url': \(error.reason)", at: urlNode)
            return nil
        }
        if let node = byKey["pool_size"] {
            guard let size = integer(node, what: "connection '\(name)' 'pool_size'", in: 1...100) else { return nil }
            settings.poolSize = size
        }
        if let node = byKey["min_pool_size"] {
            guard let size = integer(node, what: "connection '\(name)' 'min_pool_size'", in: 0...settings.poolSize)
            else { return nil }
            settings.minPoolSize = size
        }
        if let node = byKey["timeout"], let timeout = duration(node, what: "connection '\(name)' 'timeout'") {
            settings.timeout = timeout
        }
        return settings
    }

    /// A string scalar with `${env.VAR}` and `${VAR}` replaced; a diagnostic for an unset variable.
    private func substituted(_ node: Node, what: String) -> String? {
        guard case .scalar(let scalar) = node, case .string = YAMLScalar.value(of: scalar) else {
            return reader.string(node, what: what)
        }
        var result = ""
        var rest = scalar.string[...]
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                reader.error("\(what) has a '${' without a closing '}'", at: node)
                return nil
            }
            let reference = rest[open.upperBound..<close]
            let (name, fallback) = Self.splitDefault(reference)
            let variable = name.hasPrefix("env.") ? name.dropFirst(4) : name
            guard Self.isVariableName(variable) else {
                reader.error(
                    "\(what): '${\(reference)}' is not an environment variable; write ${env.NAME}, ${NAME} or ${env.NAME:-default}",
                    at: node
                )
                return nil
            }
            let set = environment[String(variable)].flatMap { $0.isEmpty && fallback != nil ? nil : $0 }
            guard let value = set ?? fallback.map(String.init) else {
                let message = "\(what) uses the environment variable '\(variable)', which is not set"
                if requiresEnvironment {
                    reader.error(message, at: node)
                } else {
                    reader.warning(message + "; the connection is left out until it is", at: reader.location(of: node))
                }
                return nil
            }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        guard !result.isEmpty else {
            reader.error("\(what) must be a non-empty string", at: node)
            return nil
        }
        return result
    }

    private func integer(_ node: Node, what: String, in range: ClosedRange<Int>) -> Int? {
        var value: Int?
        if case .scalar(let scalar) = node {
            switch YAMLScalar.value(of: scalar) {
            case .string:
                guard let text = substituted(node, what: what) else { return nil }
                value = Int(text)
            case .bool: value = nil
            case let other: value = other.intValue
            }
        }
        guard let value, range.contains(value) else {
            reader.error(
                "\(what) must be an integer from \(range.lowerBound) to \(range.upperBound), found \(reader.describe(node))",
                at: node)
            return nil
        }
        return value
    }

    private func duration(_ node: Node, what: String) -> Duration? {
        if case .scalar(let scalar) = node, case .string(let text) = YAMLScalar.value(of: scalar), text.contains("${") {
            guard let value = substituted(node, what: what) else { return nil }
            if let seconds = Double(value), seconds.isFinite, seconds > 0 {
                return .milliseconds(Int64((seconds * 1000).rounded()))
            }
            if let parsed = YAMLReader.parseDuration(value), parsed > .zero { return parsed }
            reader.error("\(what) must be a positive duration such as 5, \"5s\" or \"500ms\"", at: node)
            return nil
        }
        return reader.duration(node, what: what)
    }

    private func resolved(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        let base = baseDirectory ?? FileManager.default.currentDirectoryPath
        return ((base as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }

    /// `NAME` and `default` of `NAME:-default`; the default is used when the variable is unset or empty.
    private static func splitDefault(_ reference: Substring) -> (name: Substring, fallback: Substring?) {
        guard let separator = reference.range(of: ":-") else { return (reference, nil) }
        return (reference[..<separator.lowerBound], reference[separator.upperBound...])
    }

    /// The connection type a URL's scheme names, or nil.
    static func type(ofURL url: String) -> String? {
        let lowered = url.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") { return "postgres" }
        if lowered.hasPrefix("sqlite:") { return "sqlite" }
        return nil
    }

    /// The file of `sqlite:PATH`; `sqlite://PATH` is the same file, so `sqlite:///var/app.db` is absolute.
    static func sqlitePath(ofURL url: String) -> String? {
        guard url.lowercased().hasPrefix("sqlite:") else { return nil }
        let path = url.dropFirst("sqlite:".count)
        return String(path.hasPrefix("//") ? path.dropFirst(2) : path)
    }

    private static func isVariableName(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || first.properties.isAlphabetic, first.isASCII else {
            return false
        }
        return text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
        }
    }
}
