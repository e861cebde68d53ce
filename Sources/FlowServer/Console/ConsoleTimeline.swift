import Foundation
import OrderedCollections

/// The steps of a run as bars on a time axis, drawn as SVG with geometry attributes only (no inline style, so
/// the page's Content-Security-Policy holds): one row per step in the order they started — each loop iteration
/// and each subflow step a row of its own — so parallel branches and iterations that overlap in time show side
/// by side.
///
/// The image carries the times it was drawn from (`data-start` and `data-end` on the `<svg>`, `data-started`
/// and `data-finished` on each row, in milliseconds since 1970; `data-duration-ms` on each row), so the live
/// script adds rows and redraws the bars, their durations and their tooltips as events arrive and time passes.
enum ConsoleTimeline {
    static let rowHeight = 22
    static let labelWidth = 220
    static let barsWidth = 560

    static func svg(_ run: ConsoleRun, start: Date, end: Date) -> String {
        let steps = Array(run.steps.values)
        let total = max(end.timeIntervalSince(start), 0.001)
        let height = steps.count * rowHeight + 8
        let width = labelWidth + barsWidth + 8
        var rows = ""
        for (index, step) in steps.enumerated() {
            let y = index * rowHeight + 4
            let from = max(0, step.started.timeIntervalSince(start)) / total
            let to = max(0, (step.finished ?? end).timeIntervalSince(start)) / total
            let x = labelWidth + Int((from * Double(barsWidth)).rounded())
            let barWidth = max(2, Int(((to - from) * Double(barsWidth)).rounded()))
            let milliseconds = ((step.finished ?? end).timeIntervalSince(step.started) * 1000).rounded()
            let label = label(step)
            let title = step.hasPath ? label + " at " + step.path : label
            let finished = step.finished.map { " data-finished=\"\(epochMilliseconds($0))\"" } ?? ""
            rows += """
                <g class="row" data-step-id="\(ConsoleHTML.escape(step.path))" data-status="\(step.status)" \
                data-started="\(epochMilliseconds(step.started))"\(finished) data-duration-ms="\(Int(milliseconds))">\
                <title data-label="\(ConsoleHTML.escape(title))">\(ConsoleHTML.escape(title)): \(step.status), \
                \(ConsoleHTML.duration(milliseconds: milliseconds))</title>\
                <text x="4" y="\(y + 15)">\(ConsoleHTML.escape(label.count > 28 ? label.prefix(27) + "…" : label))</text>\
                <rect class="bar" x="\(x)" y="\(y + 3)" width="\(barWidth)" height="\(rowHeight - 6)" rx="3"/></g>

                """
        }
        let ended = run.finished ? " data-end=\"\(epochMilliseconds(end))\"" : ""
        return """
            <svg class="timeline" id="timeline" role="img" aria-label="Timeline of the steps" viewBox="0 0 \(width) \(height)" \
            width="\(width)" height="\(height)" data-start="\(epochMilliseconds(start))"\(ended) xmlns="http://www.w3.org/2000/svg">
            \(rows)</svg>
            """
    }

    /// The step's id with its iterations (`charge [2]`, `notify [0][1]` in nested loops).
    static func label(_ step: ConsoleRun.Step) -> String {
        guard step.hasPath else { return step.id }
        var iterations = ""
        var inside = false
        for character in step.path {
            if character == "[" { inside = true }
            if inside { iterations.append(character) }
            if character == "]" { inside = false }
        }
        return iterations.isEmpty ? step.id : step.id + " " + iterations
    }

    static func epochMilliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
