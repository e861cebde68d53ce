import FlowCore
import Foundation
import OrderedCollections

/// What the events of one execution say about its task steps: each step's status, times, attempts, inputs,
/// outputs and error, for the execution page's diagram, timeline and step list.
///
/// Events of subflows (`subflow_path`) belong to the subflow's own steps and are left out; the subflow step
/// itself has its events. Once the run ended, a step that never started is `skipped`, and one still running
/// then is `cancelled` when the run was.
struct ConsoleRun {
    struct Step {
        var id: String
        var task: String
        var status = "running"
        var started: Date
        var finished: Date?
        var attempts = 1
        var inputs: FlowValue?
        var outputs: FlowValue?
        var error: String?
        var errorType: String?
        /// The errors of the attempts that were retried.
        var retriedErrors: [String] = []
    }

    /// The steps in the order they started.
    var steps: OrderedDictionary<String, Step> = [:]

    init(record: ExecutionRecord) {
        for event in record.events where event.subflowPath.isEmpty {
            guard let id = event.stepId else { continue }
            let data = event.data
            switch event.kind {
            case .stepStarted, .subflowStarted:
                var step = Step(id: id, task: data["task"]?.stringValue ?? data["subflow_name"]?.stringValue ?? "", started: event.timestamp)
                step.inputs = data["inputs"]
                if let earlier = steps[id] { step.retriedErrors = earlier.retriedErrors }
                steps[id] = step
            case .stepCompleted, .subflowCompleted:
                steps[id]?.status = "completed"
                steps[id]?.finished = event.timestamp
                steps[id]?.outputs = data["outputs"]
            case .stepFailed, .subflowFailed:
                steps[id]?.status = "failed"
                steps[id]?.finished = event.timestamp
                steps[id]?.error = data["error"]?.stringValue
                steps[id]?.errorType = data["error_type"]?.stringValue
                if let attempts = data["attempts"]?.intValue { steps[id]?.attempts = attempts }
            case .stepRetrying:
                steps[id]?.status = "retried"
                steps[id]?.attempts = (data["next_attempt"]?.intValue ?? 2)
                if let error = data["error"]?.stringValue { steps[id]?.retriedErrors.append(error) }
            default:
                continue
            }
        }
        if record.status == .cancelled {
            for (id, step) in steps where step.finished == nil {
                steps[id]?.status = "cancelled"
                steps[id]?.finished = record.endTime
            }
        }
    }

    /// The status of the diagram node with event step id `id`: its step's, else `pending` while the run goes
    /// on and `skipped` once it ended.
    func status(of id: String, finished: Bool) -> String {
        steps[id]?.status ?? (finished ? "skipped" : "pending")
    }

    /// `svg` with a `data-status` on every node that has a `data-step` (task and subflow steps).
    func colour(_ svg: String, finished: Bool) -> String {
        var result = ""
        result.reserveCapacity(svg.utf8.count + 1024)
        var rest = Substring(svg)
        let marker = " data-step=\""
        while let start = rest.range(of: marker) {
            guard let end = rest[start.upperBound...].firstIndex(of: "\"") else { break }
            let escapedId = String(rest[start.upperBound..<end])
            let id = Self.unescaped(escapedId)
            result += rest[..<rest.index(after: end)]
            result += " data-status=\"\(status(of: id, finished: finished))\""
            rest = rest[rest.index(after: end)...]
        }
        result += rest
        return result
    }

    /// Attribute text back to the id it escaped (``XMLText/escaped(_:)``'s five entities).
    private static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
