import FlowCore
import Foundation
public import Logging

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
    /// What every copy of the handler shares. Hummingbird copies the request logger once per request to add the
    /// request id; kept to three words, the handler fits inline in the logger's existential storage, so a copy
    /// needs no box of its own and retains one reference instead of four.
    private var destination: Destination

    /// The label, the provider and where lines go.
    private final class Destination: Sendable {
        let label: String
        let metadataProvider: Logger.MetadataProvider?
        /// nil writes lines to standard output.
        let output: Output?

        init(label: String, metadataProvider: Logger.MetadataProvider?, output: Output?) {
            self.label = label
            self.metadataProvider = metadataProvider
            self.output = output
        }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { destination.metadataProvider }
        set {
            destination = Destination(label: destination.label, metadataProvider: newValue, output: destination.output)
        }
    }

    /// The four fields every line starts with; metadata under these names is written as `metadata.<key>`.
    static func isFixedField(_ key: String) -> Bool {
        switch key {
        case "timestamp", "level", "message", "label": true
        default: false
        }
    }

    /// A handler writing its lines to standard output.
    public init(label: String, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil) {
        self.logLevel = level
        self.destination = Destination(label: label, metadataProvider: metadataProvider, output: nil)
    }

    /// A handler giving its lines to `output`.
    public init(
        label: String,
        level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        output: @escaping Output
    ) {
        self.logLevel = level
        self.destination = Destination(label: label, metadataProvider: metadataProvider, output: output)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = line(for: event, at: Date())
        if let output = destination.output {
            output(String(decoding: line, as: UTF8.self))
        } else {
            line.append(UInt8(ascii: "\n"))
            Self.writeToStandardOutput(line)
        }
    }

    /// The JSON line for `event`, without its newline; merged metadata is handler, then provider, then the
    /// call's own, in key order.
    func line(for event: LogEvent, at date: Date) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line.append(contentsOf: #"{"timestamp":""#.utf8)
        Self.writeTimestamp(date, to: &line)
        line.append(contentsOf: #"","level":""#.utf8)
        line.append(contentsOf: event.level.rawValue.utf8)
        line.append(contentsOf: #"","message":"#.utf8)
        FlowValue.writeEscaped(event.message.description, to: &line)
        line.append(contentsOf: #","label":"#.utf8)
        FlowValue.writeEscaped(destination.label, to: &line)
        for (key, value) in mergedMetadata(event) {
            line.append(UInt8(ascii: ","))
            FlowValue.writeEscaped(Self.isFixedField(key) ? "metadata.\(key)" : key, to: &line)
            line.append(UInt8(ascii: ":"))
            Self.writeValue(value, to: &line)
        }
        line.append(UInt8(ascii: "}"))
        return line
    }

    /// Handler, provider and call metadata, later ones winning, in key order. A few keys per line, so a small
    /// array with linear lookups is cheaper than merging dictionaries.
    private func mergedMetadata(_ event: LogEvent) -> [(key: String, value: Logger.Metadata.Value)] {
        var fields: [(key: String, value: Logger.Metadata.Value)] = []
        fields.reserveCapacity(metadata.count + (event.metadata?.count ?? 0) + 1)
        func put(_ key: String, _ value: Logger.Metadata.Value) {
            if let index = fields.firstIndex(where: { $0.key == key }) {
                fields[index].value = value
            } else {
                fields.append((key, value))
            }
        }
        for (key, value) in metadata { fields.append((key, value)) }
        if let provided = destination.metadataProvider?.get() { for (key, value) in provided { put(key, value) } }
        if let own = event.metadata { for (key, value) in own { put(key, value) } }
        if let error = event.error { put("error", .string("\(error)")) }
        fields.sort { $0.key < $1.key }
        return fields
    }

    /// `2026-11-27T10:00:00.123Z`: UTC, milliseconds truncated.
    private static func writeTimestamp(_ date: Date, to line: inout [UInt8]) {
        let utc = Timestamp.fields(date)
        // Filled from the right by constant divisions, which compile to multiplications.
        func digits(_ value: Int, _ width: Int) {
            let end = line.count + width
            line.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
            var rest = value
            var index = end - 1
            while rest > 0, index >= end - width {
                line[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                index -= 1
            }
        }
        digits(utc.year, 4)
        line.append(UInt8(ascii: "-"))
        digits(utc.month, 2)
        line.append(UInt8(ascii: "-"))
        digits(utc.day, 2)
        line.append(UInt8(ascii: "T"))
        digits(utc.hour, 2)
        line.append(UInt8(ascii: ":"))
        digits(utc.minute, 2)
        line.append(UInt8(ascii: ":"))
        digits(utc.second, 2)
        line.append(UInt8(ascii: "."))
        digits(utc.microsecond / 1000, 3)
        line.append(UInt8(ascii: "Z"))
    }

    private static func writeValue(_ value: Logger.Metadata.Value, to line: inout [UInt8]) {
        switch value {
        case .string(let text): FlowValue.writeEscaped(text, to: &line)
        case .stringConvertible(let convertible): FlowValue.writeEscaped(convertible.description, to: &line)
        case .array(let values):
            line.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                writeValue(element, to: &line)
            }
            line.append(UInt8(ascii: "]"))
        case .dictionary(let members):
            line.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                FlowValue.writeEscaped(key, to: &line)
                line.append(UInt8(ascii: ":"))
                if let member = members[key] { writeValue(member, to: &line) }
            }
            line.append(UInt8(ascii: "}"))
        }
    }

    /// Writes `bytes` to standard output with one `write` where possible, so concurrent lines never interleave.
    private static func writeToStandardOutput(_ bytes: [UInt8]) {
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
