import FlowCore
import Foundation
import Synchronization

struct Row {
    var flow: BenchFlow
    var stepDefinitions: Int
    var load: Sample
    var execute: Sample
    var withEvents: Sample?
    var eventsPerRun: Int?

    var loadPerStepDefinition: Duration { load.wall / stepDefinitions }
    var executePerUnit: Duration { execute.wall / flow.units }
    var eventsPerUnit: Duration? { withEvents.map { $0.wall / flow.units } }
}

/// The Python original's figures, /work/shared/reference/README.md §7 (ms; median of 7).
struct OriginalFigures {
    var yamlLoadMs: Double
    var executeMs: Double
    var withEventsMs: Double
    var microsPerUnit: Double

    static let byFlow: [String: OriginalFigures] = [
        "seq_10": .init(yamlLoadMs: 2.08, executeMs: 0.114, withEventsMs: 0.156, microsPerUnit: 11.4),
        "seq_100": .init(yamlLoadMs: 17.0, executeMs: 1.07, withEventsMs: 1.42, microsPerUnit: 10.7),
        "seq_1000": .init(yamlLoadMs: 192, executeMs: 11.5, withEventsMs: 14.3, microsPerUnit: 11.5),
        "foreach_100": .init(yamlLoadMs: 0.65, executeMs: 1.10, withEventsMs: 1.44, microsPerUnit: 11.0),
        "foreach_1000": .init(yamlLoadMs: 0.65, executeMs: 11.0, withEventsMs: 14.3, microsPerUnit: 11.0),
        "foreach_10000": .init(yamlLoadMs: 0.67, executeMs: 108, withEventsMs: 141, microsPerUnit: 10.8),
        "parallel_10": .init(yamlLoadMs: 2.10, executeMs: 0.165, withEventsMs: 0.200, microsPerUnit: 16.5),
        "parallel_100": .init(yamlLoadMs: 17.7, executeMs: 1.50, withEventsMs: 1.84, microsPerUnit: 15.0),
        "parallel_1000": .init(yamlLoadMs: 210, executeMs: 16.5, withEventsMs: 20.6, microsPerUnit: 16.5),
    ]
}

func ms(_ duration: Duration) -> String { String(format: "%.3f", duration.seconds * 1e3) }
func us(_ duration: Duration) -> String { String(format: "%.3f", duration.seconds * 1e6) }
func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

/// A plain text table: columns padded, numbers right-aligned, first column left-aligned.
func table(_ header: [String], _ rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { column, cell in
            let padding = String(repeating: " ", count: widths[column] - cell.count)
            return column == 0 ? cell + padding : padding + cell
        }.joined(separator: "  ")
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
}
