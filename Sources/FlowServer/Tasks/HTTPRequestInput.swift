import FlowCore
import Foundation
import OrderedCollections

/// The inputs of `HttpRequest`, checked: every problem is a `TaskError` of type `InvalidTaskInput`.
struct HTTPRequestInput: Sendable {
    static let defaultTimeoutMilliseconds = 30_000
    static let defaultMaxResponseBytes = 10 << 20
    static let knownInputs = [
        "method", "url", "headers", "query", "json", "body", "timeout_ms", "fail_on_status", "max_response_bytes",
    ]

    var method: String
    /// The URL with the query appended.
    var url: String
    /// Header names and values, in the order given.
    var headers: [(name: String, value: String)]
    var body: [UInt8]?
    var timeoutMilliseconds: Int
    var failOnStatus: Bool
    var maxResponseBytes: Int

    init(_ inputs: FlowValue) throws(TaskError) {
        guard let fields = inputs.objectValue else { throw Self.invalid("its inputs must be an object") }
        for key in fields.keys where !Self.knownInputs.contains(key) {
            throw Self.invalid("unknown input '\(key)'; the inputs are \(Self.knownInputs.joined(separator: ", "))")
        }

        switch fields["method"] ?? .null {
        case .null: method = "GET"
        case .string(let text):
            method = text.uppercased()
            guard !method.isEmpty, method.unicodeScalars.allSatisfy(Self.isTokenCharacter) else {
                throw Self.invalid("'method' must be an HTTP method such as GET or POST, got '\(text)'")
            }
        case let other: throw Self.invalid("'method' must be a string, got \(other.kindName)")
        }

        guard case .string(let base) = fields["url"] ?? .null else {
            throw Self.invalid("'url' is required and must be an http or https URL as a string")
        }
        url = try Self.checkedURL(base)
        if let query = fields["query"], !query.isNull {
            url = try Self.appending(query, to: url)
        }

        headers = []
        if let given = fields["headers"], !given.isNull {
            guard let members = given.objectValue else {
                throw Self.invalid("'headers' must be an object of names to strings, got \(given.kindName)")
            }
            for (name, value) in members {
                guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isTokenCharacter) else {
                    throw Self.invalid("header name '\(name)' is not a valid HTTP header name")
                }
                let text: String
                switch value {
                case .string(let string): text = string
                case .int, .double, .bool: text = value.interpolationText
                default: throw Self.invalid("header '\(name)' must be a string, got \(value.kindName)")
                }
                guard !text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                    throw Self.invalid("header '\(name)' must not contain line breaks")
                }
                headers.append((name, text))
            }
        }

        let json = fields["json"].flatMap { $0.isNull ? nil : $0 }
        let text = fields["body"].flatMap { $0.isNull ? nil : $0 }
        var contentType: String?
        switch (json, text) {
        case (.some, .some):
            throw Self.invalid("give either 'json' or 'body', not both")
        case (.some(let value), nil):
            body = Array(value.jsonText.utf8)
            contentType = "application/json"
        case (nil, .some(.string(let string))):
            body = Array(string.utf8)
            contentType = "text/plain; charset=utf-8"
        case (nil, .some(let other)):
            throw Self.invalid("'body' must be a string, got \(other.kindName); use 'json' to send a JSON value")
        case (nil, nil):
            body = nil
        }
        if let contentType, !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(("content-type", contentType))
        }

        timeoutMilliseconds = try Self.positiveInt(
            fields["timeout_ms"], "timeout_ms", default: Self.defaultTimeoutMilliseconds)
        maxResponseBytes = try Self.positiveInt(
            fields["max_response_bytes"], "max_response_bytes", default: Self.defaultMaxResponseBytes)
        switch fields["fail_on_status"] ?? .null {
        case .null: failOnStatus = false
        case .bool(let flag): failOnStatus = flag
        case let other: throw Self.invalid("'fail_on_status' must be true or false, got \(other.kindName)")
        }
    }

    static func invalid(_ message: String) -> TaskError {
        TaskError("HttpRequest: \(message)", type: "InvalidTaskInput")
    }

    /// RFC 9110 `tchar`: what method and header names are made of.
    static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        case "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~": true
        default: false
        }
    }

    private static func checkedURL(_ text: String) throws(TaskError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased() else {
            throw invalid("'url' must be an http or https URL, got '\(text)'")
        }
        guard scheme == "http" || scheme == "https" else {
            throw invalid("'url' must use http or https, got '\(scheme)' in '\(text)'")
        }
        guard let host = url.host, !host.isEmpty else {
            throw invalid("'url' has no host: '\(text)'")
        }
        return trimmed
    }

    private static func positiveInt(_ value: FlowValue?, _ name: String, default fallback: Int) throws(TaskError) -> Int
    {
        guard let value, !value.isNull else { return fallback }
        guard let number = value.doubleValue, number.isFinite, number >= 1, number <= Double(Int32.max) else {
            throw invalid("'\(name)' must be a positive number, got \(value.jsonText)")
        }
        return Int(number.rounded())
    }

    /// Appends `query`'s members, percent-encoded, before any fragment; a list repeats its key, `null` is left out.
    static func appending(_ query: FlowValue, to url: String) throws(TaskError) -> String {
        guard let members = query.objectValue else {
            throw invalid("'query' must be an object of names to values, got \(query.kindName)")
        }
        var pairs: [String] = []
        for (name, value) in members {
            let values: [FlowValue] = value.arrayValue ?? [value]
            for element in values where !element.isNull {
                pairs.append(percentEncoded(name) + "=" + percentEncoded(element.interpolationText))
            }
        }
        guard !pairs.isEmpty else { return url }
        var base = Substring(url)
        var fragment: Substring = ""
        if let hash = base.firstIndex(of: "#") {
            fragment = base[hash...]
            base = base[..<hash]
        }
        let separator = !base.contains("?") ? "?" : (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&")
        return base + separator + pairs.joined(separator: "&") + fragment
    }

    /// Everything but RFC 3986 unreserved characters is percent-encoded, so `&`, `=`, `+` and spaces are safe.
    static func percentEncoded(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }
}
