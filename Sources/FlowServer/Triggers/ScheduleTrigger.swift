public import FlowCore
public import Foundation
public import OrderedCollections

/// A `type: schedule` trigger: runs the flow at the times a cron expression names.
public struct ScheduleTrigger: Sendable {
    public var cron: CronExpression
    /// The zone whose wall time the expression is read in.
    public var timeZone: TimeZone
    /// The zone's name as configured (`UTC` stays `UTC` where Foundation would say `GMT`).
    public var timeZoneName: String
    /// Fixed inputs of every run; `_schedule` is added.
    public var inputs: OrderedDictionary<String, FlowValue>
    /// How many runs of this trigger may be in progress; a due run beyond that is skipped.
    public var maxInstances: Int

    public init(
        cron: CronExpression,
        timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt,
        inputs: OrderedDictionary<String, FlowValue> = [:],
        maxInstances: Int = 1
    ) {
        self.cron = cron
        self.timeZone = timeZone
        timeZoneName = timeZone.identifier
        self.inputs = inputs
        self.maxInstances = maxInstances
    }

    init(reading reader: FieldReader) throws(TriggerDefinitionError) {
        guard let text = try reader.string("cron") else {
            throw reader.error("cron", "is required, e.g. \"*/5 * * * *\"")
        }
        do {
            cron = try CronExpression(text)
        } catch {
            throw reader.error("cron", "invalid expression '\(text)': \(error.message)")
        }
        let zoneName = try reader.string("timezone") ?? "UTC"
        guard let zone = TimeZone(identifier: zoneName) else {
            throw reader.error("timezone", "unknown time zone '\(zoneName)' (use an IANA name such as Europe/Berlin)")
        }
        timeZone = zone
        timeZoneName = zoneName
        switch reader.fields["inputs"] {
        case .none, .null?: inputs = [:]
        case .object(let members)?: inputs = members
        case let other?: throw reader.error("inputs", "must be a map of input name to value, found \(other.kindName)")
        }
        if let raw = reader.fields["max_instances"], !raw.isNull {
            guard let count = raw.intValue, count >= 1 else {
                throw reader.error("max_instances", "must be a whole number of at least 1")
            }
            maxInstances = count
        } else {
            maxInstances = 1
        }
    }
}
