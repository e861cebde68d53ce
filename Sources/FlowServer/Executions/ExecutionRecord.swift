public import FlowCore
public import Foundation
public import OrderedCollections

/// What the server remembers about one execution.
public struct ExecutionRecord: Sendable {
    /// The lifecycle state, named as the original's clients expect.
    public enum Status: String, Sendable {
        case running
        case completed
        case failed
        case cancelled
    }

    /// How the execution was started.
    public enum Mode: String, Sendable {
        case sync
        case async
        case stream
        case webhook
        case schedule
    }

    public var id: ExecutionID
    public var flowName: String
    /// The version of the flow that ran, when the flow is versioned (`v1`, `v2`, …).
    public var flowVersion: String?
    public var status: Status
    public var mode: Mode
    public var startTime: Date
    public var endTime: Date?
    /// Set once cancellation was requested, even if the run then completed.
    public var cancelReason: String?
    public var inputs: OrderedDictionary<String, FlowValue>
    /// The outcome once the run ended.
    public var result: ExecutionResult?
    /// Every event of the run, for replay; bounded by the store's per-record limit.
    public var events: [ExecutionEvent]
    /// The request's `Idempotency-Key`: another request of the same flow with it gets this execution.
    public var idempotencyKey: String?
    /// How many times a server resumed the run after another stopped without finishing it.
    public var resumes = 0
    /// How many of those resumes in a row found no step journaled since the one before: a run that keeps
    /// stopping its server at the same step is failed once this reaches the limit.
    public var stalledResumes = 0
    /// How many task steps were journaled when the run was last resumed.
    public var journaledAtResume = 0

    public init(
        id: ExecutionID,
        flowName: String,
        flowVersion: String? = nil,
        mode: Mode,
        inputs: OrderedDictionary<String, FlowValue>,
        startTime: Date = Date(),
        idempotencyKey: String? = nil
    ) {
        self.id = id
        self.flowName = flowName
        self.flowVersion = flowVersion
        self.status = .running
        self.mode = mode
        self.startTime = startTime
        self.inputs = inputs
        self.events = []
        self.idempotencyKey = idempotencyKey
    }

    /// Marks the record finished with `result`.
    public mutating func finish(with result: ExecutionResult, events: [ExecutionEvent], at time: Date = Date()) {
        self.result = result
        self.events = events
        endTime = time
        switch result.status {
        case .completed, .terminated: status = .completed
        case .failed: status = .failed
        case .cancelled:
            status = .cancelled
            if cancelReason == nil { cancelReason = result.reason }
        }
    }

    /// The record as the original's status endpoint shows it, plus `mode`, the failure type, the result, the
    /// inputs (to run it again) and the idempotency key.
    public var json: FlowValue {
        var fields = OrderedDictionary<String, FlowValue>()
        fields["execution_id"] = .string(id.rawValue)
        fields["flow_name"] = .string(flowName)
        if let flowVersion { fields["flow_version"] = .string(flowVersion) }
        fields["status"] = .string(status.rawValue)
        fields["start_time"] = .string(Self.naiveUTC(startTime))
        fields["end_time"] = endTime.map { .string(Self.naiveUTC($0)) } ?? .null
        fields["cancel_reason"] = cancelReason.map(FlowValue.string) ?? .null
        fields["error"] = result?.failure.map { .string($0.message) } ?? .null
        fields["error_type"] = result?.failure.map { .string($0.type) } ?? .null
        fields["mode"] = .string(mode.rawValue)
        fields["duration_ms"] =
            endTime.map { .double(($0.timeIntervalSince(startTime) * 1_000_000).rounded() / 1000) } ?? .null
        fields["result"] = result?.json ?? .null
        if resumes > 0 { fields["resumes"] = .int(resumes) }
        fields["idempotency_key"] = idempotencyKey.map(FlowValue.string) ?? .null
        fields["inputs"] = .object(inputs)
        return .object(fields)
    }

    /// The original's timestamp form: ISO-8601 UTC with microseconds and no offset.
    static func naiveUTC(_ date: Date) -> String {
        String(Timestamp.iso8601(date).dropLast("+00:00".count))
    }
}
