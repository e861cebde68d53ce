import Testing

/// Records `message` as a test issue.
func recordIssue(_ message: String, at sourceLocation: Testing.SourceLocation) {
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
}
