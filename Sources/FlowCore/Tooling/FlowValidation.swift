/// `flowlang validate`: diagnostics for a flow file as printable lines.
public enum FlowValidation {
    /// What validating one file found.
    public struct Report: Sendable {
        public var diagnostics: [Diagnostic]
        public var file: String

        /// Valid when there are no errors; warnings are allowed.
        public var isValid: Bool { !diagnostics.contains { $0.severity == .error } }

        /// One line per diagnostic, then a summary line.
        public var lines: [String] {
            let errors = diagnostics.filter { $0.severity == .error }.count
            let warnings = diagnostics.count - errors
            let summary =
                isValid
                ? "\(file): valid" + (warnings > 0 ? " with \(warnings) warning(s)" : "")
                : "\(file): \(errors) error(s), \(warnings) warning(s)"
            return diagnostics.map(\.description) + [summary]
        }
    }

    /// Loads `file` and reports every diagnostic.
    public static func validate(file: String, loader: FlowLoader = FlowLoader()) -> Report {
        do {
            let flow = try loader.load(contentsOf: file)
            return Report(diagnostics: flow.warnings, file: file)
        } catch {
            return Report(diagnostics: error.diagnostics, file: file)
        }
    }
}
