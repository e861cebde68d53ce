import Foundation

/// `.flowlang/manifest.json`: marks a directory as a flowlang project and remembers what flowlang wrote, so
/// `update` can tell files it may regenerate from files someone edited.
package struct Manifest: Codable, Sendable, Equatable {
    /// One task's record.
    package struct TaskRecord: Codable, Sendable, Equatable {
        /// The Swift type, also its file's name.
        package var type: String
        /// The input keys flow.yaml passed when the file was last generated.
        package var inputs: [String]
    }

    /// `flowlang <version>`.
    package var generator: String
    package var flow: String
    package var module: String
    /// Generated files by path, with the hash of the contents flowlang last generated for them.
    package var files: [String: String]
    /// The flow's tasks by name.
    package var tasks: [String: TaskRecord]
    /// Tasks no longer in flow.yaml whose files were moved to the orphan folder.
    package var orphans: [String: TaskRecord]

    /// Reads the manifest of the project in `directory`; `nil` when there is none or it is unreadable.
    package static func load(from directory: String) -> Manifest? {
        let path = (directory as NSString).appendingPathComponent(ProjectLayout.manifestFile)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Manifest.self, from: data)
    }

    /// Whether `directory` holds a flowlang project.
    package static func exists(in directory: String) -> Bool {
        FileManager.default.fileExists(
            atPath: (directory as NSString).appendingPathComponent(ProjectLayout.manifestFile))
    }

    /// The manifest as stable, pretty JSON with sorted keys.
    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// FNV-1a, 64 bits: enough to notice an edit (not a security hash; swift-crypto is not a dependency).
enum ContentHash {
    static func of(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
