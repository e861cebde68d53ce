import FlowCore
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// New execution ids: time-ordered (version 7) UUIDs in lowercase, UUID strings as the original's are.
///
/// The first 48 bits are the creation time in Unix milliseconds, the other 74 are random, so ids made later sort
/// later: the stores' indexes keyed by execution id (the records' and the step journal's) grow at their end,
/// and a batch of new runs changes a few of their pages instead of one random page each.
///
/// Every execute request makes one, so the random bits come from a pool of random bytes from the system's
/// cryptographic generator (`/dev/urandom`, kept open), refilled 4 KiB (256 ids) per read, and the text is formatted directly.
/// Foundation's `UUID()` opens, reads and closes `/dev/urandom` for each id, and `SystemRandomNumberGenerator`
/// makes one system call per 8 bytes.
extension ExecutionID {
    /// The id an execute request chose for the execution it starts (``ExecutionIDMiddleware``).
    @TaskLocal static var assigned: ExecutionID?

    /// The request's chosen id, or a new one.
    static func next() -> ExecutionID { assigned ?? random() }

    private struct Pool {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var used = 4096

        mutating func take16() -> (UInt64, UInt64) {
            if used + 16 > bytes.count {
                bytes.withUnsafeMutableBytes { fillRandom($0) }
                used = 0
            }
            defer { used += 16 }
            return bytes.withUnsafeBytes { buffer in
                (
                    buffer.loadUnaligned(fromByteOffset: used, as: UInt64.self),
                    buffer.loadUnaligned(fromByteOffset: used + 8, as: UInt64.self)
                )
            }
        }
    }

    private static let pool = Mutex(Pool())
    private static let digits = Array("0123456789abcdef".utf8)

    static func random(at time: Date = Date()) -> ExecutionID {
        var bytes = pool.withLock { $0.take16() }
        let milliseconds = UInt64(max(0, time.timeIntervalSince1970 * 1000))
        withUnsafeMutableBytes(of: &bytes) { buffer in
            for index in 0..<6 { buffer[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
            buffer[6] = (buffer[6] & 0x0F) | 0x70
            buffer[8] = (buffer[8] & 0x3F) | 0x80
        }
        return ExecutionID(rawValue: withUnsafeBytes(of: &bytes) { format($0) })
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` from 16 bytes.
    static func format(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: 36) { text in
            var position = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[position] = UInt8(ascii: "-")
                    position += 1
                }
                text[position] = digits[Int(byte >> 4)]
                text[position + 1] = digits[Int(byte & 0x0F)]
                position += 2
            }
            return position
        }
    }

    /// The kernel's cryptographic generator, opened once; -1 when it cannot be opened.
    private static let urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC)

    /// Fills `buffer` from `/dev/urandom`; falls back to the standard library's generator if reading fails.
    private static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) {
        var filled = 0
        while urandom >= 0, let base = buffer.baseAddress, filled < buffer.count {
            let count = read(urandom, base + filled, buffer.count - filled)
            if count <= 0 { break }
            filled += count
        }
        var generator = SystemRandomNumberGenerator()
        while filled < buffer.count {
            buffer[filled] = generator.next()
            filled += 1
        }
    }
}
