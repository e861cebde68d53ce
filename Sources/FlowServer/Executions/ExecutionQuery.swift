public import FlowCore
public import Foundation

/// Which executions to list, across flows, newest first: the filters of `GET /executions` and the console.
///
/// Every filter is optional; `text` matches part of an execution id or of an idempotency key (case-sensitive).
/// A page starts after ``cursor`` (the last execution of the page before) and holds at most ``limit`` records.
public struct ExecutionQuery: Sendable, Equatable {
    public var flow: String?
    /// The statuses to keep; empty keeps every status.
    public var statuses: Set<ExecutionRecord.Status>
    /// Executions started at or after this time.
    public var startedFrom: Date?
    /// Executions started before this time.
    public var startedBefore: Date?
    public var text: String?
    public var cursor: ExecutionCursor?
    public var limit: Int

    public init(
        flow: String? = nil,
        statuses: Set<ExecutionRecord.Status> = [],
        startedFrom: Date? = nil,
        startedBefore: Date? = nil,
        text: String? = nil,
        cursor: ExecutionCursor? = nil,
        limit: Int = 50
    ) {
        self.flow = flow
        self.statuses = statuses
        self.startedFrom = startedFrom
        self.startedBefore = startedBefore
        self.text = text
        self.cursor = cursor
        self.limit = max(0, limit)
    }

    /// Whether `record` passes the filters, cursor included: the reference every store's query agrees with.
    public func matches(_ record: ExecutionRecord) -> Bool {
        if let flow, record.flowName != flow { return false }
        if !statuses.isEmpty, !statuses.contains(record.status) { return false }
        if let startedFrom, record.startTime < startedFrom { return false }
        if let startedBefore, record.startTime >= startedBefore { return false }
        if let text, !text.isEmpty, !record.id.rawValue.contains(text),
            !(record.idempotencyKey?.contains(text) ?? false)
        {
            return false
        }
        if let cursor, !cursor.precedes(record) { return false }
        return true
    }

    /// The page of `records` this query selects, from records in any order: the default of stores that keep
    /// few records, and the reference of the others.
    public func page(of records: some Sequence<ExecutionRecord>) -> ExecutionPage {
        let selected = records.filter(matches).sorted(by: ExecutionCursor.newerFirst)
        return ExecutionPage(newestFirst: selected, limit: limit)
    }
}

/// One page of a listing, newest first, and where the next page starts.
public struct ExecutionPage: Sendable {
    public var records: [ExecutionRecord]
    /// Where the next page starts; nil on the last page.
    public var next: ExecutionCursor?

    /// The first `limit` of `records` (newest first, one more than `limit` when there are more).
    public init(newestFirst records: [ExecutionRecord], limit: Int) {
        self.records = Array(records.prefix(limit))
        next = records.count > limit ? self.records.last.map(ExecutionCursor.init(after:)) : nil
    }
}

/// Where a page of executions resumes: after the execution with this start time and id, in the order newest
/// first (later start first, then greater id first). Shown to clients as opaque text (``token``).
public struct ExecutionCursor: Sendable, Equatable {
    /// The start time as seconds since 1970, exactly as the record holds it.
    public var startTime: Double
    public var id: ExecutionID

    public init(startTime: Double, id: ExecutionID) {
        self.startTime = startTime
        self.id = id
    }

    public init(after record: ExecutionRecord) {
        self.init(startTime: record.startTime.timeIntervalSince1970, id: record.id)
    }

    /// Whether `record` comes after the cursor's execution, newest first.
    public func precedes(_ record: ExecutionRecord) -> Bool {
        let time = record.startTime.timeIntervalSince1970
        return time < startTime || (time == startTime && record.id < id)
    }

    /// Newest first: later start first, then greater id first.
    public static func newerFirst(_ a: ExecutionRecord, _ b: ExecutionRecord) -> Bool {
        let (left, right) = (a.startTime.timeIntervalSince1970, b.startTime.timeIntervalSince1970)
        return left != right ? left > right : a.id > b.id
    }

    /// The cursor as URL-safe text.
    public var token: String {
        Data("\(startTime)|\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads ``token``; nil when `token` is not one.
    public init?(token: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let bar = text.firstIndex(of: "|"), let time = Double(text[..<bar]), time.isFinite
        else { return nil }
        self.init(startTime: time, id: ExecutionID(rawValue: String(text[text.index(after: bar)...])))
    }
}
