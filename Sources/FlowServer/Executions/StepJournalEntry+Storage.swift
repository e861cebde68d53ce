public import FlowCore
import Foundation
import OrderedCollections

extension StepJournalEntry {
    /// The entry as one JSON value, for durable stores.
    public var storageJSON: FlowValue {
        var fields = OrderedDictionary<String, FlowValue>()
        fields["path"] = .string(path.description)
        fields["step_id"] = .string(stepId.rawValue)
        fields["task"] = .string(task)
        fields["inputs"] = inputs
        fields["attempts"] = .int(attempts)
        switch outcome {
        case .completed(let output):
            fields["status"] = "completed"
            fields["output"] = output
        case .failed(let message, let type):
            fields["status"] = "failed"
            fields["error"] = .string(message)
            fields["error_type"] = .string(type)
        }
        fields["started"] = .double(startedAt.timeIntervalSince1970)
        fields["finished"] = .double(finishedAt.timeIntervalSince1970)
        return .object(fields)
    }

    /// Reads an entry stored as the JSON text of ``storageJSON``.
    public init(storageText text: String) throws(StoredRecordError) {
        try self.init(storageJSON: try StoredRecordError.parse(text))
    }

    /// Reads an entry written by ``storageJSON``.
    public init(storageJSON value: FlowValue) throws(StoredRecordError) {
        guard let fields = value.objectValue else { throw StoredRecordError("a journal entry is not a JSON object") }
        func string(_ key: String) throws(StoredRecordError) -> String {
            guard let text = fields[key]?.stringValue else {
                throw StoredRecordError("journal entry: '\(key)' is missing or not a string")
            }
            return text
        }
        func time(_ key: String) throws(StoredRecordError) -> Date {
            guard let seconds = fields[key]?.doubleValue else {
                throw StoredRecordError("journal entry: '\(key)' is missing or not a number")
            }
            return Date(timeIntervalSince1970: seconds)
        }
        let outcome: Outcome
        switch try string("status") {
        case "completed": outcome = .completed(output: fields["output"] ?? .null)
        case "failed": outcome = .failed(message: try string("error"), type: try string("error_type"))
        case let other: throw StoredRecordError("journal entry: unknown status '\(other)'")
        }
        self.init(
            path: StepPath(try string("path")),
            stepId: StepID(rawValue: try string("step_id")),
            task: try string("task"),
            inputs: fields["inputs"] ?? .null,
            attempts: fields["attempts"]?.intValue ?? 1,
            outcome: outcome,
            startedAt: try time("started"),
            finishedAt: try time("finished")
        )
    }
}
