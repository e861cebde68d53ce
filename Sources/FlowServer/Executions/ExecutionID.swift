/// New execution ids: random (version 4) UUIDs in lowercase, as the original's `uuid4()` strings.
///
/// Every execute request makes one, so the random bytes come from the system generator (`getrandom` on
/// Linux) and the text is formatted directly, instead of Foundation's `UUID()`, which opens, reads and closes
/// `/dev/urandom` each time, and `uuidString.lowercased()`.
enum ExecutionID {
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        withUnsafeMutableBytes(of: &bytes) { buffer in
            buffer[6] = (buffer[6] & 0x0F) | 0x40
            buffer[8] = (buffer[8] & 0x3F) | 0x80
        }
        return withUnsafeBytes(of: &bytes) { format($0) }
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` from 16 bytes.
    static func format(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: 36) { text in
            let digits = Array("0123456789abcdef".utf8)
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
}
