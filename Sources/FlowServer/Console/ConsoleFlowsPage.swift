import FlowCore
import Foundation

/// `/ui`: every flow with its description, readiness, triggers, and its recent runs counted by status with
/// their median and 95th-percentile duration.
enum ConsoleFlowsPage {
    /// How many of a flow's latest runs the statistics cover.
    static let recentRuns = 100

    /// The statistics of one flow's recent runs.
    struct RecentRuns {
        var counts: [ExecutionRecord.Status: Int] = [:]
        var p50: Double?
        var p95: Double?

        init(_ records: [ExecutionRecord]) {
            for record in records { counts[record.status, default: 0] += 1 }
            let durations = records.compactMap { record in
                record.endTime.map { $0.timeIntervalSince(record.startTime) * 1000 }
            }.sorted()
            p50 = Self.percentile(0.5, of: durations)
            p95 = Self.percentile(0.95, of: durations)
        }

        /// The nearest-rank percentile of sorted `values`.
        static func percentile(_ fraction: Double, of values: [Double]) -> Double? {
            guard !values.isEmpty else { return nil }
            let rank = Int((fraction * Double(values.count)).rounded(.up))
            return values[min(values.count, max(1, rank)) - 1]
        }
    }

    static func html(_ flows: [(ServedFlow, RecentRuns)], problems: [String: [Diagnostic]]) -> String {
        let rows = flows.map { flow, runs in
            let name = ConsoleHTML.escape(flow.name)
            let readiness = flow.readiness
            let ready =
                readiness.isReady
                ? "<span class=\"ready\">ready</span>"
                : "<span class=\"not-ready\">\(readiness.progress) tasks</span> <small>pending: \(ConsoleHTML.escape(readiness.pending.joined(separator: ", ")))</small>"
            let counts = ["running", "completed", "failed", "cancelled"].compactMap { name -> String? in
                guard let status = ExecutionRecord.Status(rawValue: name), let count = runs.counts[status] else {
                    return nil
                }
                let href = "/ui/executions?flow=\(ConsoleHTML.component(flow.name))&status=\(name)"
                return "<a href=\"\(ConsoleHTML.escape(href))\">\(ConsoleHTML.status(name)) \(count)</a>"
            }
            let durations =
                runs.p50.map { p50 in
                    "p50 \(ConsoleHTML.duration(milliseconds: p50)) · p95 \(ConsoleHTML.duration(milliseconds: runs.p95 ?? p50))"
                } ?? "—"
            let broken =
                problems[flow.name].map { "<p class=\"error\">Reload failed: \($0.count) problem(s)</p>" } ?? ""
            return """
                <tr><th scope="row"><a href="/ui/flows/\(ConsoleHTML.escape(ConsoleHTML.component(flow.name)))">\(name)</a>\
                \(flow.version.map { " <small>\(ConsoleHTML.escape($0))</small>" } ?? "")</th>\
                <td>\(ConsoleHTML.escape(flow.definition.description ?? ""))\(broken)</td><td>\(ready)</td>\
                <td>\(triggers(flow.definition.triggers))</td><td>\(counts.isEmpty ? "none" : counts.joined(separator: " "))</td>\
                <td>\(durations)</td></tr>

                """
        }
        let body = """
            <h1>Flows</h1>
            <table id="flows" class="list"><caption>Flows served here; runs are the latest \(recentRuns) of each</caption>
            <thead><tr><th scope="col">Flow</th><th scope="col">Description</th><th scope="col">Readiness</th>\
            <th scope="col">Triggers</th><th scope="col">Recent runs</th><th scope="col">Duration</th></tr></thead>
            <tbody>\(rows.joined())</tbody></table>
            """
        return ConsoleHTML.page(title: "Flows", section: .flows, body: body)
    }

    /// `webhook POST /hooks/x`, `schedule @daily`, … from the flow's `triggers:`.
    static func triggers(_ value: FlowValue?) -> String {
        let items = (value?.arrayValue ?? []).map { trigger -> String in
            let type = trigger["type"]?.stringValue ?? "trigger"
            let detail = [
                trigger["method"]?.stringValue?.uppercased(), trigger["path"]?.stringValue,
                trigger["cron"]?.stringValue,
                trigger["interval"]?.stringValue,
            ].compactMap { $0 }.joined(separator: " ")
            return ConsoleHTML.escape(detail.isEmpty ? type : "\(type) \(detail)")
        }
        return items.isEmpty ? "manual" : items.joined(separator: "<br>")
    }
}
