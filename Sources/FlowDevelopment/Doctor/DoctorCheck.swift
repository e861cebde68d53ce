/// One line of `flowlang doctor`.
package struct DoctorCheck: Sendable, Equatable {
    package enum Status: Sendable, Equatable {
        /// ✓ fine.
        case passed
        /// ! works, but something is missing or worth knowing.
        case warning
        /// ✗ FlowLang cannot work like this; `doctor` exits non-zero.
        case failed
        /// - not checked (skipped by a flag, or not applicable).
        case skipped

        var symbol: String {
            switch self {
            case .passed: "✓"
            case .warning: "!"
            case .failed: "✗"
            case .skipped: "-"
            }
        }
    }

    /// What was checked: "Swift toolchain", "port 8000", …
    package var name: String
    package var status: Status
    /// What was found.
    package var detail: String
    /// How to fix it, for warnings and failures.
    package var fix: String?

    package init(name: String, status: Status, detail: String, fix: String? = nil) {
        self.name = name
        self.status = status
        self.detail = detail
        self.fix = fix
    }

    /// `✓ Swift toolchain: Swift 6.3.1`, with an indented `fix:` line when there is one.
    package var text: String {
        var line = "\(status.symbol) \(name): \(detail)"
        if let fix, status == .warning || status == .failed { line += "\n    fix: \(fix)" }
        return line
    }
}

/// Every check `doctor` made.
package struct DoctorReport: Sendable, Equatable {
    package var checks: [DoctorCheck]

    package init(checks: [DoctorCheck]) {
        self.checks = checks
    }

    /// No check failed (warnings allowed).
    package var passed: Bool { !checks.contains { $0.status == .failed } }

    /// 0 when every required check passed, 1 otherwise.
    package var exitCode: Int32 { passed ? 0 : 1 }

    /// The closing line: ready, or how many required checks failed.
    package var summary: String {
        let failed = checks.filter { $0.status == .failed }.count
        let warnings = checks.filter { $0.status == .warning }.count
        return failed == 0
            ? "Ready: \(checks.filter { $0.status == .passed }.count)/\(checks.count) checks passed, \(warnings) warning(s)."
            : "\(failed) required check(s) failed, \(warnings) warning(s)."
    }

    /// The lines to print, with the summary at the end.
    package var text: String {
        (checks.map(\.text) + ["", summary]).joined(separator: "\n")
    }
}
