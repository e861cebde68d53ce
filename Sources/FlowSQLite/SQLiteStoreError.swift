/// Why an SQLite execution store cannot be used, naming the file and what to do.
public enum SQLiteStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another server holds the file.
    case inUse(path: String)
    /// The file cannot be opened, created or migrated.
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .inUse(let path):
            "the execution store \(path) is in use by another FlowLang server: SQLite serves one instance per file; "
                + "give this one its own file (DATABASE_URL=sqlite:///other.db) or share work through PostgreSQL"
        case .cannotOpen(let path, let reason):
            "cannot open the execution store \(path): \(reason); check that the directory exists and is writable"
        }
    }
}
