public import Foundation
public import OrderedCollections

/// Something that happened during an execution, as the event stream reports it.
///
/// `data` holds the fields the original FlowLang sends for each event type; it is a snapshot of values,
/// never a live reference.
public struct ExecutionEvent: Sendable {
    /// The event types, named as on the wire.
    public enum Kind: String, Sendable, CaseIterable {
        case flowStarted = "flow_started"
        case stepStarted = "step_started"
        case stepCompleted = "step_completed"
        case stepFailed = "step_failed"
        case stepRetrying = "step_retrying"
        case subflowStarted = "subflow_started"
        case subflowCompleted = "subflow_completed"
        case subflowFailed = "subflow_failed"
        case flowTerminated = "flow_terminated"
        case flowCompleted = "flow_completed"
        case flowFailed = "flow_failed"
        case flowCancelled = "flow_cancelled"

        /// Whether the event ends an execution's stream.
        public var isTerminal: Bool {
            self == .flowCompleted || self == .flowFailed || self == .flowCancelled
        }
    }

    public var kind: Kind
    /// The execution the event belongs to.
    public var executionId: ExecutionID
    /// When it happened.
    public var timestamp: Date
    /// Names of the subflows the event came from, outermost first; empty for the flow itself.
    public var subflowPath: [String]
    /// The event's fields, as named on the wire (`step_id`, `task`, `outputs`, `duration_ms`, …).
    public var data: OrderedDictionary<String, FlowValue>

    public init(
        kind: Kind,
        executionId: ExecutionID,
        timestamp: Date = Date(),
        subflowPath: [String] = [],
        data: OrderedDictionary<String, FlowValue>
    ) {
        self.kind = kind
        self.executionId = executionId
        self.timestamp = timestamp
        self.subflowPath = subflowPath
        self.data = data
    }

    /// The wire name, e.g. `step_started`.
    public var name: String { kind.rawValue }

    /// The step id the event is about, if any.
    public var stepId: StepID? { data["step_id"]?.stringValue.map(StepID.init(rawValue:)) }

    /// The fields plus `timestamp`, `execution_id` and, inside subflows, `subflow_path`.
    public var payload: FlowValue {
        var fields = data
        fields["timestamp"] = .string(Timestamp.iso8601(timestamp))
        fields["execution_id"] = .string(executionId.rawValue)
        if !subflowPath.isEmpty { fields["subflow_path"] = .array(subflowPath.map(FlowValue.string)) }
        return .object(fields)
    }
}

/// Receives an execution's events in order, on the executing task; keep it quick and non-blocking.
public protocol ExecutionObserver: Sendable {
    func receive(_ event: ExecutionEvent)
}

/// An observer made of a closure.
public struct ClosureObserver: ExecutionObserver {
    private let body: @Sendable (ExecutionEvent) -> Void

    public init(_ body: @escaping @Sendable (ExecutionEvent) -> Void) {
        self.body = body
    }

    public func receive(_ event: ExecutionEvent) { body(event) }
}

/// UTC ISO-8601 timestamps with microseconds, `2025-10-14T10:00:00.123456+00:00`, without formatters.
public enum Timestamp {
    /// A date's UTC calendar fields, to the microsecond (rounded).
    public struct Fields: Sendable, Equatable {
        public var year: Int
        public var month: Int
        public var day: Int
        public var hour: Int
        public var minute: Int
        public var second: Int
        public var microsecond: Int
    }

    public static func iso8601(_ date: Date) -> String {
        let utc = fields(date)
        return "\(pad(utc.year, 4))-\(pad(utc.month, 2))-\(pad(utc.day, 2))T\(pad(utc.hour, 2)):"
            + "\(pad(utc.minute, 2)):\(pad(utc.second, 2)).\(pad(utc.microsecond, 6))+00:00"
    }

    /// `date` in UTC on the proleptic Gregorian calendar.
    public static func fields(_ date: Date) -> Fields {
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var micros = Int(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        return Fields(
            year: year,
            month: month,
            day: day,
            hour: secondOfDay / 3600,
            minute: secondOfDay % 3600 / 60,
            second: secondOfDay % 60,
            microsecond: micros
        )
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func civil(fromDays days: Int) -> (Int, Int, Int) {
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
}
