/// One build of a package's server, as ``PackageServer`` sees it.
public struct ServerBuildResult: Sendable, Equatable {
    public var succeeded: Bool
    public var duration: Duration
    /// Compact `file:line: error: …` lines when it failed.
    public var diagnostics: [String]

    public init(succeeded: Bool, duration: Duration, diagnostics: [String] = []) {
        self.succeeded = succeeded
        self.duration = duration
        self.diagnostics = diagnostics
    }
}
