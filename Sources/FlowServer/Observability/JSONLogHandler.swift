import FlowCore
import Foundation
public import Logging
import OrderedCollections

/// A log handler writing one JSON object per line, for log collectors.
///
/// Each line has `timestamp` (ISO-8601 UTC with milliseconds), `level`, `message` and `label`, then the
/// metadata flattened into the object: the engine's `execution_id`, `flow`, `step_id`, `task` and `attempt`,
/// and whatever a task adds through its context logger. A metadata key that would overwrite one of the four
/// fixed fields is written as `metadata.<key>`.
///
/// ```swift
/// LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: .info) }
/// ```
public struct JSONLogHandler: LogHandler {
    /// Receives each finished line, without its newline.
    public typealias Output = @Sendable (String) -> Void

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: Output

    static let fixedFields: Set<String> = ["timestamp", "level", "message", "label"]

    /// - Parameter output: where lines go; standard output by default.
    public init(
        label: String,
        level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        output: @escaping Output = JSONLogHandler.standardOutput
    ) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        output(line(for: event, at: Date()))
    }

    /// The JSON line for `event`; merged metadata is handler, then provider, then the call's own.
    func line(for event: LogEvent, at date: Date) -> String {
        var fields: OrderedDictionary<String, FlowValue> = [
            "timestamp": .string(Self.timestamp(date)),
            "level": .string(event.level.rawValue),
            "message": .string(event.message.description),
            "label": .string(label),
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        if let error = event.error { merged["error"] = .string("\(error)") }
        for key in merged.keys.sorted() {
            guard let value = merged[key] else { continue }
            fields[Self.fixedFields.contains(key) ? "metadata.\(key)" : key] = Self.json(value)
        }
        return FlowValue.object(fields).jsonText
    }

    /// `2026-11-27T10:00:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        // Timestamp.iso8601 ends in microseconds and "+00:00": keep three digits and write "Z".
        String(Timestamp.iso8601(date).dropLast(9)) + "Z"
    }

    static func json(_ value: Logger.Metadata.Value) -> FlowValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let members):
            .object(OrderedDictionary(uniqueKeysWithValues: members.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) }))
        }
    }

    /// Writes a line and its newline to standard output with one `write`, so concurrent lines never interleave.
    public static let standardOutput: Output = { line in
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(1, base + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
