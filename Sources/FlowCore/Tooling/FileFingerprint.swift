public import Foundation

/// What a poll remembers about a watched file: modification time, size and a hash of the contents.
///
/// Comparing time and size is cheap; the contents are read and hashed only when they differ, or when the
/// file was modified so shortly before it was last read that a later write could have kept the same time
/// and size (file times tick coarsely). A `touch` or a save without changes therefore reloads nothing.
public struct FileFingerprint: Equatable, Sendable {
    public var modified: Date
    public var size: Int
    public var hash: UInt64
    /// When the contents were last read (wall time, like `modified`).
    public var readAt: Date

    /// How close to a read a modification must be for the unchanged time and size to prove nothing.
    public static let racyWindow: TimeInterval = 2

    /// The file's time and size, or `nil` when it is missing or unreadable.
    public static func stat(_ path: String) -> (modified: Date, size: Int)? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let modified = attributes[.modificationDate] as? Date
        else { return nil }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        return (modified, size)
    }

    /// The file's contents and fingerprint, or `nil` when it is missing or unreadable.
    public static func read(_ path: String) -> (contents: Data, fingerprint: FileFingerprint)? {
        guard let status = stat(path), let contents = FileManager.default.contents(atPath: path) else { return nil }
        let fingerprint = FileFingerprint(
            modified: status.modified,
            size: contents.count,
            hash: fnv1a(contents),
            readAt: Date()
        )
        return (contents, fingerprint)
    }

    /// Whether the file may have changed since this fingerprint, judging by time and size alone.
    public func mayDiffer(modified: Date, size: Int) -> Bool {
        modified != self.modified || size != self.size || readAt.timeIntervalSince(modified) < Self.racyWindow
    }

    /// Whether the contents are the same, ignoring when they were read.
    public func sameContents(as other: FileFingerprint) -> Bool {
        size == other.size && hash == other.hash
    }

    /// 64-bit FNV-1a: enough to notice an edit, not meant to resist tampering.
    public static func fnv1a(_ data: Data) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
