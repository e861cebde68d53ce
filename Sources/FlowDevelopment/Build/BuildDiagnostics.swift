import Foundation

/// The few lines of a `swift build` log worth reading when it fails.
package enum BuildDiagnostics {
    /// Compiler errors as `Sources/Foo/Bar.swift:12:5: error: cannot find 'x' in scope`, paths relative to
    /// `directory`, each once and in order; then other `error:` lines (a missing product, a link failure)
    /// except SwiftPM's "command failed" echoes. When the log has none of these, its last `fallbackLines`
    /// non-empty lines.
    package static func compact(_ log: String, directory: String, fallbackLines: Int = 12) -> [String] {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        var seen = Set<String>()
        var located: [String] = []
        var general: [String] = []
        for rawLine in log.split(whereSeparator: \.isNewline) {
            let line = String(rawLine).trimmingCharacters(in: .whitespaces)
            if isLocatedError(line) {
                let relative = line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : line
                if seen.insert(relative).inserted { located.append(relative) }
            } else if line.hasPrefix("error: "), !line.contains("command failed with exit code") {
                if seen.insert(line).inserted { general.append(line) }
            }
        }
        if !located.isEmpty || !general.isEmpty { return located + general }
        let lines = log.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
        return Array(lines.suffix(fallbackLines))
    }

    /// `path:line:col: error: message`.
    static func isLocatedError(_ line: String) -> Bool {
        guard let marker = line.range(of: ": error: ") else { return false }
        let location = line[..<marker.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
        guard location.count >= 3 else { return false }
        return location.suffix(2).allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }
}
