import Foundation

/// Timestamps of trigger statuses and `_schedule` inputs, in the trigger's time zone.
enum TriggerTime {
    /// Python's `datetime.isoformat()`: `2026-11-26T18:25:00+00:00`, with `.ffffff` only when there are
    /// microseconds.
    static func isoformat(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let wholeSeconds = date.timeIntervalSince1970.rounded(.down)
        var micros = Int(((date.timeIntervalSince1970 - wholeSeconds) * 1_000_000).rounded())
        var instant = Date(timeIntervalSince1970: wholeSeconds)
        if micros >= 1_000_000 {
            micros -= 1_000_000
            instant = instant.addingTimeInterval(1)
        }
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        var text = "\(pad(parts.year ?? 0, 4))-\(pad(parts.month ?? 0, 2))-\(pad(parts.day ?? 0, 2))"
        text += "T\(pad(parts.hour ?? 0, 2)):\(pad(parts.minute ?? 0, 2)):\(pad(parts.second ?? 0, 2))"
        if micros > 0 { text += ".\(pad(micros, 6))" }
        let offset = timeZone.secondsFromGMT(for: instant)
        let magnitude = abs(offset)
        text += (offset < 0 ? "-" : "+") + "\(pad(magnitude / 3600, 2)):\(pad(magnitude % 3600 / 60, 2))"
        return text
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
