/// Durations as progress lines show them: `0.4s`, `12s`, `3m 05s`.
package enum ElapsedTime {
    package static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if seconds < 10 {
            let tenths = Int(seconds) * 10 + Int(attoseconds / 100_000_000_000_000_000)
            return "\(tenths / 10).\(tenths % 10)s"
        }
        if seconds < 60 { return "\(seconds)s" }
        let rest = seconds % 60
        return "\(seconds / 60)m \(rest < 10 ? "0" : "")\(rest)s"
    }
}
