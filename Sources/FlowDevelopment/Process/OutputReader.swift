import Subprocess

/// Reads one output stream of a child to its end: keeps its last `limit` bytes and hands each line (without its
/// newline) to `onLine` as it arrives.
///
/// A read error (the child ended while a program it started still holds the pipe, and Subprocess stopped reading)
/// ends the stream: what was read is kept.
struct OutputReader {
    private let limit: Int
    private var kept: [UInt8] = []
    private var dropped = 0
    private var line: [UInt8] = []

    init(limit: Int) {
        self.limit = max(limit, 0)
    }

    /// Reads `stream` to its end.
    static func read(
        _ stream: SubprocessOutputSequence, limit: Int, onLine: (@Sendable (String) -> Void)?
    ) async -> OutputReader {
        var reader = OutputReader(limit: limit)
        do {
            for try await buffer in stream {
                buffer.withUnsafeBytes { reader.append($0, onLine: onLine) }
            }
        } catch {}
        reader.finish(onLine: onLine)
        return reader
    }

    /// What was kept: the whole stream, or a note of how much was dropped followed by its last `limit` bytes.
    var text: String {
        let tail = String(decoding: kept.suffix(limit), as: UTF8.self)
        let droppedBytes = dropped + max(kept.count - limit, 0)
        return droppedBytes == 0 ? tail : "[… \(droppedBytes) earlier bytes not kept]\n" + tail
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer, onLine: (@Sendable (String) -> Void)?) {
        kept.append(contentsOf: bytes)
        // Trimmed in batches, so a long stream costs amortised constant time a byte.
        if kept.count > 2 * limit + 64 * 1024 {
            let excess = kept.count - limit
            kept.removeFirst(excess)
            dropped += excess
        }
        guard let onLine else { return }
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                onLine(String(decoding: line, as: UTF8.self))
                line.removeAll(keepingCapacity: true)
            } else if line.count < limit {
                line.append(byte)
            }
        }
    }

    /// Hands over a last line that had no newline.
    mutating func finish(onLine: (@Sendable (String) -> Void)?) {
        if let onLine, !line.isEmpty { onLine(String(decoding: line, as: UTF8.self)) }
        line.removeAll()
    }
}
