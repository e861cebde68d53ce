/// A server address checked once: `http` or `https`, a host, an optional port and an optional path prefix
/// (`http://127.0.0.1:8000`, `https://flows.example.com/api/v2`), kept without a trailing slash.
///
/// Checked by hand rather than with Foundation's `URL`, which accepts (and percent-encodes) strings such as
/// `"localhost:8000"` or ones with spaces that then fail, or go somewhere else, at the first request.
struct BaseURL: Sendable, Equatable {
    let text: String

    init(_ string: String) throws(FlowClientError) {
        let invalid = FlowClientError.invalidBaseURL(string)
        guard let schemeEnd = string.firstRange(of: "://") else { throw invalid }
        let scheme = string[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw invalid }
        let rest = string[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        guard Self.isValidAuthority(authority), Self.isValidPath(path) else { throw invalid }
        var text = scheme + "://" + authority + path
        while text.hasSuffix("/") { text.removeLast() }
        self.text = text
    }

    /// The full URL of `path`, which starts with `/`.
    func url(_ path: String) -> String { text + path }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`; no user info.
    private static func isValidAuthority(_ authority: Substring) -> Bool {
        var host = authority
        var port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return false }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return false }
                port = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                port = authority[authority.index(after: colon)...]
            }
            let allowed = { (character: Character) in
                character.isASCII
                    && (character.isLetter || character.isNumber || character == "." || character == "-"
                        || character == "_")
            }
            guard !host.isEmpty, host.allSatisfy(allowed) else { return false }
        }
        if let port {
            guard let number = Int(port), (1...65535).contains(number), port.allSatisfy(\.isASCII) else { return false }
        }
        return true
    }

    /// A path prefix without spaces, control characters, a query or a fragment.
    private static func isValidPath(_ path: Substring) -> Bool {
        path.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F && scalar != "?" && scalar != "#" && scalar.isASCII
        }
    }
}

/// Percent-encodes a path segment (a flow name or an execution id): everything but `A–Z a–z 0–9 - . _ ~`.
func pathSegment(_ segment: String) -> String {
    var encoded = ""
    for byte in segment.utf8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            encoded.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let digits = Array("0123456789ABCDEF".unicodeScalars)
            encoded.unicodeScalars.append("%")
            encoded.unicodeScalars.append(digits[Int(byte >> 4)])
            encoded.unicodeScalars.append(digits[Int(byte & 0x0F)])
        }
    }
    return encoded
}
