import GRDB

/// Why an SQLite execution store cannot be used, naming the file and what to do.
public enum SQLiteStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another server holds the file.
    case inUse(path: String)
    /// The file cannot be opened, created or migrated: `reason` says why and what to do.
    case cannotOpen(path: String, reason: String)

    /// What to do when the file or its directory cannot be written.
    static let checkTheDirectory = "check that the directory exists and that it and the file are writable"

    /// The error opening or migrating the file at `path` threw, with what to do about it.
    static func opening(_ path: String, failedWith error: any Error) -> SQLiteStoreError {
        if let error = error as? DatabaseError, [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            return .cannotOpen(
                path: path,
                reason: "the file is not an SQLite database, or it is damaged (\(error)); move it aside, and the "
                    + "server starts a new one, or set DATABASE_URL to another file")
        }
        return .cannotOpen(path: path, reason: "\(error); \(checkTheDirectory)")
    }

    public var description: String {
        switch self {
        case .inUse(let path):
            "the execution store \(path) is in use by another FlowLang server: SQLite serves one instance per file; "
                + "give this one its own file (DATABASE_URL=sqlite:///other.db) or share work through PostgreSQL"
        case .cannotOpen(let path, let reason):
            "cannot open the execution store \(path): \(reason)"
        }
    }
}
