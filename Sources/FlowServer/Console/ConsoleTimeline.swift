import Foundation
import OrderedCollections

/// The steps of a run as bars on a time axis, drawn as SVG with geometry attributes only (no inline style, so
/// the page's Content-Security-Policy holds): one row per step in the order they started, so steps of parallel
/// branches and loop iterations that overlap in time show side by side.
enum ConsoleTimeline {
    static let rowHeight = 22
    static let labelWidth = 220
    static let barsWidth = 560

    static func svg(_ run: ConsoleRun, start: Date, end: Date) -> String {
        let steps = Array(run.steps.values)
        guard !steps.isEmpty else { return "<p>No step has run yet.</p>" }
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
            let label = ConsoleHTML.escape(step.id)
            rows += """
                <g class="row" data-step="\(label)" data-status="\(step.status)">\
                <title>\(label): \(step.status), \(ConsoleHTML.duration(milliseconds: milliseconds))</title>\
                <text x="4" y="\(y + 15)">\(ConsoleHTML.escape(step.id.count > 28 ? step.id.prefix(27) + "…" : step.id))</text>\
                <rect class="bar" x="\(x)" y="\(y + 3)" width="\(barWidth)" height="\(rowHeight - 6)" rx="3"/></g>

                """
        }
        return """
            <svg class="timeline" role="img" aria-label="Timeline of the steps" viewBox="0 0 \(width) \(height)" \
            width="\(width)" height="\(height)" xmlns="http://www.w3.org/2000/svg">
            \(rows)</svg>
            """
    }
}
