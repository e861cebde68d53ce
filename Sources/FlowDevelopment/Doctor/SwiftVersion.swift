import Foundation

/// A Swift toolchain version, as `swift --version` prints it.
package struct SwiftVersion: Sendable, Comparable, CustomStringConvertible {
    package var major: Int
    package var minor: Int
    package var patch: Int

    package init(major: Int, minor: Int, patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Reads `Swift version 6.3.1 (swift-6.3.1-RELEASE)` (or Apple's `… Swift version 6.2 (…)`).
    package init?(versionOutput: String) {
        guard let range = versionOutput.range(of: "Swift version ") else { return nil }
        let number = versionOutput[range.upperBound...].prefix { $0.isNumber || $0 == "." }
        let parts = number.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return nil }
        self.init(major: parts[0], minor: parts[1], patch: parts.count > 2 ? parts[2] : 0)
    }

    package var description: String { "\(major).\(minor).\(patch)" }

    package static func < (lhs: SwiftVersion, rhs: SwiftVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }
}
