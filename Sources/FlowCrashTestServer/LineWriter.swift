import Foundation

/// Lines written to a file descriptor, each with one `write(2)` and no buffer: a line is whole in the file or
/// absent when the process is killed (the effects file is opened with `O_APPEND`), and a test reading standard
/// output through a pipe sees each line when it is written.
final class LineWriter: Sendable {
    static let standardOutput = LineWriter(descriptor: STDOUT_FILENO)

    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Appends to the file at `path`, created when missing.
    convenience init(appendingTo path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { throw UsageError("cannot open --effects \(path)") }
        self.init(descriptor: descriptor)
    }

    func append(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
