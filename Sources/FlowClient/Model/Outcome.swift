import OrderedCollections

/// Reads the outcome of a run from the three places the server reports it: the execute response, a final event's
/// data and an execution record's `result`. They share their field names.
enum Outcome {
    /// The successful result in `value`, or the failure or cancellation it reports, thrown.
    static func result(
        from value: FlowValue,
        flow: String,
        executionId: String?
    ) throws(FlowClientError)
        -> FlowResult<[String: FlowValue]>
    {
        guard value.objectValue != nil else {
            throw .invalidResponse("expected a JSON object with the run's outcome, got \(value.kindName)")
        }
        if value["cancelled"]?.boolValue == true || value["error_type"]?.stringValue == "ExecutionCancelled" {
            throw .executionCancelled(reason: value["reason"]?.stringValue ?? value["error"]?.stringValue)
        }
        guard value["success"]?.boolValue ?? true else { throw failure(value) }
        let outputs: [String: FlowValue]
        switch value["outputs"] {
        case .object(let members)?: outputs = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        case .null?, nil: outputs = [:]
        case let other?: throw .invalidResponse("'outputs' is \(other.kindName), not an object")
        }
        let milliseconds = value["execution_time_ms"]?.doubleValue ?? value["duration_ms"]?.doubleValue
        let terminated = value["terminated"]?.boolValue ?? false
        return FlowResult(
            executionId: value["execution_id"]?.stringValue ?? executionId ?? "",
            flow: value["flow"]?.stringValue ?? flow,
            outputs: outputs,
            duration: milliseconds.map { .microseconds(Int64(($0 * 1000).rounded())) },
            terminated: terminated,
            terminationReason: value["termination_reason"]?.stringValue
                ?? (terminated ? value["reason"]?.stringValue : nil)
        )
    }

    /// The failure `value` reports.
    static func failure(_ value: FlowValue) -> FlowClientError {
        .executionFailed(
            error: value["error"]?.stringValue ?? "Flow execution failed",
            errorType: value["error_type"]?.stringValue,
            failedStep: value["failed_step"]?.stringValue
        )
    }
}
