import Synchronization
import Testing

/// The messages of the issues `body` records, which are expected: each becomes a known issue.
///
/// A body that records no issue at all fails the calling test ("Known issue was not recorded").
func recordedIssues(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () -> Void
) -> [String] {
    let log = IssueLog()
    withKnownIssue(sourceLocation: sourceLocation) {
        body()
    } matching: { issue in
        log.append(issue)
        return true
    }
    return log.messages
}

/// The source lines of the issues `body` records, which are expected.
func recordedIssueLines(_ body: () -> Void) -> [Int] {
    let log = IssueLog()
    withKnownIssue {
        body()
    } matching: { issue in
        log.append(issue)
        return true
    }
    return log.lines
}

private final class IssueLog: Sendable {
    private let issues = Mutex<[(message: String, line: Int?)]>([])

    func append(_ issue: Issue) {
        let message = issue.comments.map(\.rawValue).joined(separator: "\n")
        issues.withLock { $0.append((message, issue.sourceLocation?.line)) }
    }

    var messages: [String] { issues.withLock { $0.map(\.message) } }
    var lines: [Int] { issues.withLock { $0.compactMap(\.line) } }
}
