import FlowCore
import Foundation

/// A flow's ``SVGDiagram`` for a console page: its `<style>` left out (the page links the same rules as
/// `diagram.css`, since the Content-Security-Policy refuses inline styles), its nodes coloured by a run.
enum ConsoleDiagram {
    static func svg(_ flow: FlowDefinition, run: ConsoleRun? = nil, finished: Bool = false, loopCounts: [String: Int] = [:]) -> String {
        var svg = SVGDiagram.render(flow, loopCounts: loopCounts)
        if let open = svg.range(of: "<style>"), let close = svg.range(of: "</style>", range: open.upperBound..<svg.endIndex) {
            svg.removeSubrange(open.lowerBound..<close.upperBound)
        }
        if let run { svg = run.colour(svg, finished: finished) }
        return svg
    }
}
