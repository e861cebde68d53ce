package import Foundation

/// What a ``WatchSession`` tells its user, in order: it started watching, files changed, a build is running,
/// a round (build and run) finished.
package enum WatchEvent: Sendable {
    /// Watching began: the package, the inputs file, how many files are watched.
    case watching(package: TaskPackage, inputs: TestInputs, fileCount: Int)
    /// Files changed, relative to the package directory where they are inside it.
    case changed([String])
    /// A build has been running for `elapsed`.
    case building(product: String, elapsed: Duration)
    /// A round ended.
    case finished(WatchReport)
}

/// How one round of watch mode ended: after the start, or after a batch of changes.
package struct WatchReport: Sendable {
    package enum Outcome: Sendable {
        /// The flow ran; `diff` compares with the previous run (`nil` for the first one). Rounds that did not run
        /// (a build failure, an invalid flow) leave the previous run in place for the next comparison.
        case ran(RunSummary, duration: Duration, diff: RunDiff?)
        /// The flow does not load: one `file:line:col: error: …` line per diagnostic.
        case invalidFlow([String])
        /// The test inputs cannot be used (unreadable, not JSON, not an object, or not fitting the flow).
        case invalidInputs([String])
        /// The Swift package did not build: its compact errors.
        case buildFailed([String])
        /// The built server could not run the flow (it crashed or printed no result).
        case runError(String)
    }

    /// When the round ended.
    package var timestamp: Date
    /// The flow's name when it loaded.
    package var flowName: String?
    /// The build of this round, when there was one.
    package var build: BuildOutcome?
    package var outcome: Outcome
    /// From noticing the changes (or starting) to this report.
    package var elapsed: Duration

    package init(timestamp: Date, flowName: String?, build: BuildOutcome?, outcome: Outcome, elapsed: Duration) {
        self.timestamp = timestamp
        self.flowName = flowName
        self.build = build
        self.outcome = outcome
        self.elapsed = elapsed
    }

    /// Whether the round ended with the flow succeeding.
    package var succeeded: Bool {
        if case .ran(let summary, _, _) = outcome { return summary.isSuccess }
        return false
    }
}
