import FlowCore
import Foundation

/// A flow's ``SVGDiagram`` for a console page: its `<style>` left out (the page links the same rules as
/// `diagram.css`, since the Content-Security-Policy refuses inline styles), its nodes coloured by a run.
enum ConsoleDiagram {
    static func svg(_ flow: FlowDefinition, run: ConsoleRun? = nil) -> String {
        var svg = SVGDiagram.render(flow, loopCounts: run?.loopCounts ?? [:])
        if let open = svg.range(of: "<style>"),
            let close = svg.range(of: "</style>", range: open.upperBound..<svg.endIndex)
        {
            svg.removeSubrange(open.lowerBound..<close.upperBound)
        }
        if let run { svg = colour(svg, run: run, plan: ConsoleStepPlan(flow)) }
        return svg
    }

    /// `svg` with a `data-status` on every task, subflow and loop node: its steps' status over every iteration,
    /// a loop's the status of the steps inside it, and without events ``ConsoleRun/statusWithoutEvents(silent:)``.
    static func colour(_ svg: String, run: ConsoleRun, plan: ConsoleStepPlan) -> String {
        var result = ""
        result.reserveCapacity(svg.utf8.count + 1024)
        var rest = Substring(svg)
        let marker = "<g class=\"node "
        while let start = rest.range(of: marker), let close = rest[start.upperBound...].firstIndex(of: ">") {
            let tag = rest[start.lowerBound..<close]
            result += rest[..<close]
            if let status = status(of: tag, run: run, plan: plan) { result += " data-status=\"\(status)\"" }
            rest = rest[close...]
        }
        result += rest
        return result
    }

    private static func status(of tag: Substring, run: ConsoleRun, plan: ConsoleStepPlan) -> String? {
        guard let pattern = attribute("data-step-id", in: tag) else { return nil }
        let stepId = attribute("data-step", in: tag)
        if tag.hasPrefix("<g class=\"node loop\"") {
            return ConsoleRun.combined(run.steps(inLoop: pattern).map(\.status))
                ?? run.statusWithoutEvents(silent: false)
        }
        guard stepId != nil else { return nil }
        return ConsoleRun.combined(run.steps(drawnAt: pattern, stepId: stepId).map(\.status))
            ?? run.statusWithoutEvents(silent: plan.step(at: pattern)?.silent ?? false)
    }

    /// The unescaped value of `name="…"` in `tag`.
    private static func attribute(_ name: String, in tag: Substring) -> String? {
        guard let start = tag.range(of: " " + name + "=\""), let end = tag[start.upperBound...].firstIndex(of: "\"")
        else { return nil }
        return unescaped(tag[start.upperBound..<end])
    }

    /// Attribute text back to the text it escaped (``XMLText/escaped(_:)``'s five entities).
    private static func unescaped(_ text: Substring) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
