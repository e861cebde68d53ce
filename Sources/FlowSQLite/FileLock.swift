import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a file beside the database, held while the store lives, so a
/// second server on the same database is refused instead of writing beside the first. The kernel releases
/// it when the process ends, also after a crash.
final class FileLock: Sendable {
    private let descriptor: Int32

    init(path: String, database: String) throws(SQLiteStoreError) {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .cannotOpen(
                path: database,
                reason: "cannot create the lock file \(path) (\(String(cString: strerror(errno)))); "
                    + SQLiteStoreError.checkTheDirectory)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw .inUse(path: database)
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
