public import FlowCore
import Foundation
import OrderedCollections

/// A stored record that cannot be read back: a database written by something else, or damaged.
public struct StoredRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "unreadable execution record: \(message)" }

    /// `text` as JSON, or this error saying why it is not.
    package static func parse(_ text: String) throws(StoredRecordError) -> FlowValue {
        do {
            return try FlowValue(json: text)
        } catch {
            throw StoredRecordError("\(error)")
        }
    }
}

extension ExecutionRecord {
    /// The whole record as one JSON value, for durable stores: lossless, unlike the wire form (``json``),
    /// which drops the result's duration and event timestamps' precision.
    public var storageJSON: FlowValue {
        var fields = OrderedDictionary<String, FlowValue>()
        fields["id"] = .string(id.rawValue)
        fields["flow"] = .string(flowName)
        fields["flow_version"] = flowVersion.map(FlowValue.string) ?? .null
        fields["status"] = .string(status.rawValue)
        fields["mode"] = .string(mode.rawValue)
        fields["start"] = .double(startTime.timeIntervalSince1970)
        fields["end"] = endTime.map { .double($0.timeIntervalSince1970) } ?? .null
        fields["cancel_reason"] = cancelReason.map(FlowValue.string) ?? .null
        fields["inputs"] = .object(inputs)
        fields["result"] = result.map(Self.storageJSON(of:)) ?? .null
        fields["events"] = .array(events.map(Self.storageJSON(of:)))
        if let idempotencyKey { fields["idempotency_key"] = .string(idempotencyKey) }
        if resumes > 0 {
            fields["resumes"] = .int(resumes)
            fields["stalled_resumes"] = .int(stalledResumes)
            fields["journaled_at_resume"] = .int(journaledAtResume)
        }
        return .object(fields)
    }

    /// Reads a record stored as the JSON text of ``storageJSON``.
    public init(storageText text: String) throws(StoredRecordError) {
        try self.init(storageJSON: try StoredRecordError.parse(text))
    }

    /// Reads a record written by ``storageJSON``.
    public init(storageJSON value: FlowValue) throws(StoredRecordError) {
        let fields = try Self.object(value, "record")
        let status = try Self.string(fields, "status")
        let mode = try Self.string(fields, "mode")
        guard let parsedStatus = Status(rawValue: status) else { throw StoredRecordError("unknown status '\(status)'") }
        guard let parsedMode = Mode(rawValue: mode) else { throw StoredRecordError("unknown mode '\(mode)'") }
        self.init(
            id: ExecutionID(rawValue: try Self.string(fields, "id")),
            flowName: try Self.string(fields, "flow"),
            flowVersion: fields["flow_version"]?.stringValue,
            mode: parsedMode,
            inputs: fields["inputs"]?.objectValue ?? [:],
            startTime: Date(timeIntervalSince1970: try Self.number(fields, "start")),
            idempotencyKey: fields["idempotency_key"]?.stringValue
        )
        self.status = parsedStatus
        endTime = fields["end"]?.doubleValue.map(Date.init(timeIntervalSince1970:))
        cancelReason = fields["cancel_reason"]?.stringValue
        resumes = fields["resumes"]?.intValue ?? 0
        stalledResumes = fields["stalled_resumes"]?.intValue ?? 0
        journaledAtResume = fields["journaled_at_resume"]?.intValue ?? 0
        if let stored = fields["result"], !stored.isNull { result = try Self.result(stored) }
        events = try (fields["events"]?.arrayValue ?? []).map(Self.event)
    }

    private static func storageJSON(of result: ExecutionResult) -> FlowValue {
        var fields = OrderedDictionary<String, FlowValue>()
        fields["execution_id"] = .string(result.executionId.rawValue)
        fields["flow"] = .string(result.flowName)
        fields["status"] = .string(result.status.rawValue)
        fields["outputs"] = .object(result.outputs)
        fields["reason"] = result.reason.map(FlowValue.string) ?? .null
        if let failure = result.failure {
            fields["failure"] = [
                "message": .string(failure.message), "type": .string(failure.type),
                "failed_step": failure.failedStep.map(FlowValue.string) ?? .null,
                "attempts": failure.attempts.map(FlowValue.int) ?? .null,
            ]
        }
        fields["cleanup_errors"] = .array(result.cleanupErrors.map(FlowValue.string))
        let (seconds, attoseconds) = result.duration.components
        fields["duration_ns"] = .int(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        return .object(fields)
    }

    private static func result(_ value: FlowValue) throws(StoredRecordError) -> ExecutionResult {
        let fields = try object(value, "result")
        let status = try string(fields, "status")
        guard let parsed = ExecutionResult.Status(rawValue: status) else {
            throw StoredRecordError("unknown result status '\(status)'")
        }
        let failure = try fields["failure"].flatMap { value throws(StoredRecordError) -> ExecutionResult.Failure? in
            guard !value.isNull else { return nil }
            let failure = try object(value, "failure")
            return ExecutionResult.Failure(
                message: try string(failure, "message"),
                type: try string(failure, "type"),
                failedStep: failure["failed_step"]?.stringValue,
                attempts: failure["attempts"]?.intValue
            )
        }
        return ExecutionResult(
            executionId: ExecutionID(rawValue: try string(fields, "execution_id")),
            flowName: try string(fields, "flow"),
            status: parsed,
            outputs: fields["outputs"]?.objectValue ?? [:],
            reason: fields["reason"]?.stringValue,
            failure: failure,
            cleanupErrors: (fields["cleanup_errors"]?.arrayValue ?? []).compactMap(\.stringValue),
            duration: .nanoseconds(fields["duration_ns"]?.intValue ?? 0)
        )
    }

    /// An event as stores keep it.
    package static func storageJSON(of event: ExecutionEvent) -> FlowValue {
        [
            "kind": .string(event.kind.rawValue), "execution_id": .string(event.executionId.rawValue),
            "time": .double(event.timestamp.timeIntervalSince1970),
            "subflow_path": .array(event.subflowPath.map(FlowValue.string)), "data": .object(event.data),
        ]
    }

    /// An event kept as ``storageJSON(of:)`` wrote it.
    package static func event(_ value: FlowValue) throws(StoredRecordError) -> ExecutionEvent {
        let fields = try object(value, "event")
        let kind = try string(fields, "kind")
        guard let parsed = ExecutionEvent.Kind(rawValue: kind) else {
            throw StoredRecordError("unknown event kind '\(kind)'")
        }
        return ExecutionEvent(
            kind: parsed,
            executionId: ExecutionID(rawValue: try string(fields, "execution_id")),
            timestamp: Date(timeIntervalSince1970: try number(fields, "time")),
            subflowPath: (fields["subflow_path"]?.arrayValue ?? []).compactMap(\.stringValue),
            data: fields["data"]?.objectValue ?? [:]
        )
    }

    private static func object(_ value: FlowValue, _ what: String) throws(StoredRecordError) -> OrderedDictionary<
        String, FlowValue
    > {
        guard let fields = value.objectValue else { throw StoredRecordError("the \(what) is not a JSON object") }
        return fields
    }

    private static func string(_ fields: OrderedDictionary<String, FlowValue>, _ key: String) throws(StoredRecordError)
        -> String
    {
        guard let text = fields[key]?.stringValue else {
            throw StoredRecordError("'\(key)' is missing or not a string")
        }
        return text
    }

    private static func number(_ fields: OrderedDictionary<String, FlowValue>, _ key: String) throws(StoredRecordError)
        -> Double
    {
        guard let number = fields[key]?.doubleValue else {
            throw StoredRecordError("'\(key)' is missing or not a number")
        }
        return number
    }
}
