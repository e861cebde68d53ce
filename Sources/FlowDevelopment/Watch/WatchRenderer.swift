import FlowCore
package import Foundation
import OrderedCollections

/// Turns ``WatchEvent``s into the lines `flowlang watch` prints.
///
/// ```
/// [14:02:11] Sources/ShopTasks/Tasks/Price.swift changed
///   built ShopServer in 4.2 s
/// ✓ shop completed in 3.1 ms
///   outputs:
///     final_price: 89.98
///   changes since the previous run:
///     final_price: 95 → 89.98
/// ```
package enum WatchRenderer {
    package static func render(_ event: WatchEvent, calendar: Calendar = .current) -> String {
        switch event {
        case .watching(let package, let inputs, let fileCount):
            let kind: String
            switch package.kind {
            case .flowOnly: kind = "flow with built-in tasks, run in-process"
            case .swiftPackage(let product): kind = "Swift package, built and run with \(product)"
            }
            let inputsText: String
            if let path = inputs.path, inputs.isExplicit || FileManager.default.fileExists(atPath: path) {
                inputsText = "inputs from \(path)"
            } else {
                inputsText = "inputs {} (no \(TestInputs.defaultFileName))"
            }
            return "watching \(package.directory) (\(kind)); \(fileCount) files; \(inputsText). Ctrl-C stops."
        case .changed(let paths):
            let shown =
                paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? " and \(paths.count - 3) more" : "")
            return "\n[\(clockTime(Date(), calendar: calendar))] \(shown) changed"
        case .building(let product, let elapsed):
            return "  building \(product)… \(Int(elapsed.seconds)) s"
        case .finished(let report):
            return render(report, calendar: calendar)
        }
    }

    package static func render(_ report: WatchReport, calendar: Calendar = .current) -> String {
        var lines: [String] = []
        if let build = report.build, build.succeeded {
            lines.append("  built in \(text(build.duration))")
        }
        let name = report.flowName.map { "'\($0)'" } ?? "the flow"
        let stamp = "[\(clockTime(report.timestamp, calendar: calendar))]"
        switch report.outcome {
        case .ran(let summary, let duration, let diff):
            lines.append(headline(summary, name: name, duration: duration) + "  \(stamp)")
            lines += body(summary)
            if let diff {
                if diff.isEmpty {
                    lines.append("  no changes since the previous run")
                } else {
                    lines.append("  changes since the previous run:")
                    lines += diff.lines.map { "    " + $0 }
                }
            }
        case .invalidFlow(let diagnostics):
            lines.append("✗ \(name) does not load; still watching  \(stamp)")
            lines += diagnostics.map { "  " + $0 }
        case .invalidInputs(let problems):
            lines.append("✗ the test inputs do not fit \(name); still watching  \(stamp)")
            lines += problems.map { "  " + $0 }
        case .buildFailed(let errors):
            let took = report.build.map { " in \(text($0.duration))" } ?? ""
            lines.append("✗ build failed\(took); the previous result stays for the next diff; still watching  \(stamp)")
            lines += errors.map { "  " + $0 }
        case .runError(let message):
            lines.append("✗ \(name) could not run; still watching  \(stamp)")
            lines += message.split(separator: "\n").map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    static func headline(_ summary: RunSummary, name: String, duration: Duration) -> String {
        let took = "in \(text(duration))"
        switch summary.status {
        case .completed:
            return "✓ \(name) completed \(took)"
        case .terminated:
            return "✓ \(name) ended at an exit step \(took): \(summary.message ?? "")"
        case .failed:
            let step = summary.failedStep.map { " at step '\($0)'" } ?? ""
            let type = summary.errorType.map { " (\($0))" } ?? ""
            return "✗ \(name) failed\(step) \(took): \(summary.message ?? "")\(type)"
        case .cancelled:
            return "✗ \(name) was cancelled \(took): \(summary.message ?? "")"
        }
    }

    static func body(_ summary: RunSummary) -> [String] {
        guard summary.status != .failed else { return [] }
        guard let outputs = summary.outputs.objectValue, !outputs.isEmpty else { return ["  outputs: {}"] }
        return ["  outputs:"] + outputs.map { "    \($0.key): \($0.value.jsonText)" }
    }

    /// `850 µs`, `12.4 ms`, `3.2 s`.
    package static func text(_ duration: Duration) -> String {
        let seconds = duration.seconds
        if seconds >= 1 { return String(format: "%.1f s", seconds) }
        if seconds >= 0.001 { return String(format: "%.1f ms", seconds * 1000) }
        return String(format: "%.0f µs", seconds * 1_000_000)
    }

    static func clockTime(_ date: Date, calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
