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
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    /// Where lines go; nil writes them to standard output.
    private let output: Output?

    /// The four fields every line starts with; metadata under these names is written as `metadata.<key>`.
    static func isFixedField(_ key: String) -> Bool {
        switch key {
        case "timestamp", "level", "message", "label": true
        default: false
        }
    }

    /// A handler writing its lines to standard output.
    public init(label: String, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.output = nil
    }

    /// A handler giving its lines to `output`.
    public init(
        label: String,
        level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        output: @escaping Output
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
        var line = line(for: event, at: Date())
        if let output {
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
        FlowValue.writeEscaped(label, to: &line)
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
        if let provided = metadataProvider?.get() { for (key, value) in provided { put(key, value) } }
        if let own = event.metadata { for (key, value) in own { put(key, value) } }
        if let error = event.error { put("error", .string("\(error)")) }
        fields.sort { $0.key < $1.key }
        return fields
    }

    /// `2026-11-27T10:00:00.123Z`: UTC, milliseconds truncated.
    private static func writeTimestamp(_ date: Date, to line: inout [UInt8]) {
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var millis = Int(((interval - Double(seconds)) * 1000).rounded(.down))
        if millis >= 1000 {
            seconds += 1
            millis -= 1000
        }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                line.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        digits(year, 4)
        line.append(UInt8(ascii: "-"))
        digits(month, 2)
        line.append(UInt8(ascii: "-"))
        digits(day, 2)
        line.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2)
        line.append(UInt8(ascii: ":"))
        digits(secondOfDay % 3600 / 60, 2)
        line.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        line.append(UInt8(ascii: "."))
        digits(millis, 3)
        line.append(UInt8(ascii: "Z"))
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
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
