package import Foundation

/// A glob naming files to watch: `flow.yaml`, `Sources/**/*.swift`, or an absolute path.
///
/// Relative patterns are taken from the watched directory. `*` matches within one path component, `?` one
/// character, and a component `**` any number of components (none included). Directories whose name starts with
/// a dot (`.build`, `.git`, `.swiftpm`) are never searched.
package struct FilePattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    package var text: String

    package init(_ text: String) {
        self.text = text
    }

    package var description: String { text }

    /// The components of the pattern made absolute against `root`.
    func components(root: String) -> [Substring] {
        let absolute = text.hasPrefix("/") ? text : (root as NSString).appendingPathComponent(text)
        return absolute.split(separator: "/")
    }

    /// Every existing file under `root` the pattern matches, as absolute paths.
    package func files(under root: String, fileManager: FileManager = .default) -> [String] {
        let parts = components(root: root)
        guard let firstWild = parts.firstIndex(where: Self.isWild) else {
            let path = "/" + parts.joined(separator: "/")
            var isDirectory: ObjCBool = false
            let exists = fileManager.fileExists(atPath: path, isDirectory: &isDirectory)
            return exists && !isDirectory.boolValue ? [path] : []
        }
        let base = "/" + parts[..<firstWild].joined(separator: "/")
        let rest = Array(parts[firstWild...])
        var found: [String] = []
        Self.search(base, relative: [], pattern: rest, fileManager: fileManager, into: &found)
        return found.sorted()
    }

    private static func search(
        _ directory: String,
        relative: [Substring],
        pattern: [Substring],
        fileManager: FileManager,
        into found: inout [String]
    ) {
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory) else { return }
        for name in names where !name.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            let components = relative + [Substring(name)]
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                search(path, relative: components, pattern: pattern, fileManager: fileManager, into: &found)
            } else if matches(components[...], pattern[...]) {
                found.append(path)
            }
        }
    }

    private static func isWild(_ component: Substring) -> Bool {
        component.contains("*") || component.contains("?")
    }

    /// Whether path components match pattern components, `**` spanning any number of them.
    static func matches(_ path: ArraySlice<Substring>, _ pattern: ArraySlice<Substring>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == "**" {
            let tail = pattern.dropFirst()
            var rest = path
            while true {
                if matches(rest, tail) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let first = path.first, matchesComponent(Array(first.utf8)[...], Array(head.utf8)[...]) else {
            return false
        }
        return matches(path.dropFirst(), pattern.dropFirst())
    }

    /// One component against one pattern component with `*` and `?`.
    static func matchesComponent(_ name: ArraySlice<UInt8>, _ pattern: ArraySlice<UInt8>) -> Bool {
        guard let head = pattern.first else { return name.isEmpty }
        switch head {
        case UInt8(ascii: "*"):
            var rest = name
            while true {
                if matchesComponent(rest, pattern.dropFirst()) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        case UInt8(ascii: "?"):
            return !name.isEmpty && matchesComponent(name.dropFirst(), pattern.dropFirst())
        default:
            return name.first == head && matchesComponent(name.dropFirst(), pattern.dropFirst())
        }
    }
}
