public import Foundation

/// A standard five-field cron expression: minute, hour, day of month, month, day of week.
///
/// Fields take `*`, numbers, lists (`1,15`), ranges (`9-17`), steps (`*/5`, `0-30/10`, `5/15`) and, for
/// months and weekdays, English three-letter names (`JAN`, `mon-fri`). Day of week runs 0–7 with both 0 and 7
/// meaning Sunday. As in Vixie cron, when both day fields are restricted a day matches if either does, and a
/// field that starts with `*` counts as unrestricted. The macros `@yearly`, `@annually`, `@monthly`,
/// `@weekly`, `@daily`, `@midnight` and `@hourly` are accepted too.
///
/// ```swift
/// let cron = try CronExpression("30 2 * * mon-fri")
/// let next = cron.nextDate(after: Date(), in: TimeZone(identifier: "Europe/Berlin")!)
/// ```
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let source: String
    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField

    /// Parses `text`, naming the field and value at fault when it is not a valid expression.
    public init(_ text: String) throws(CronExpressionError) {
        source = text
        var expanded = text.trimmingCharacters(in: .whitespaces)
        if expanded.hasPrefix("@") {
            guard let macro = Self.macros[expanded.lowercased()] else {
                throw CronExpressionError(
                    "unknown macro '\(expanded)' (use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)"
                )
            }
            expanded = macro
        }
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            throw CronExpressionError(
                "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)"
            )
        }
        minutes = try CronField(fields[0], kind: .minute)
        hours = try CronField(fields[1], kind: .hour)
        daysOfMonth = try CronField(fields[2], kind: .dayOfMonth)
        months = try CronField(fields[3], kind: .month)
        daysOfWeek = try CronField(fields[4], kind: .dayOfWeek)
    }

    public var description: String { source }

    private static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// How far ahead ``nextDate(after:in:)`` looks before it gives up (a 29 February may be 8 years away).
    static let searchHorizon: TimeInterval = 9 * 366 * 86_400

    /// The first time strictly after `date` at which the expression fires, read in `timeZone`'s wall time;
    /// nil when it never fires within nine years (e.g. `0 0 30 2 *`).
    ///
    /// Daylight-saving time follows Vixie cron. When the hour field is `*` the expression follows the
    /// clock as it runs: an hour that repeats fires twice, an hour that is skipped does not fire. When the
    /// hour field is restricted (a job at fixed times), a repeated wall time fires only the first time, and
    /// a wall time skipped by a spring-forward change fires once, at the instant the clocks jump.
    public func nextDate(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let limit = date.addingTimeInterval(Self.searchHorizon)
        let match = nextWallClockMatch(after: date, limit: limit, calendar: calendar)
        guard !hours.isFull else { return match }
        if let jump = firstSkippedMatch(after: date, through: match ?? limit, timeZone: timeZone) { return jump }
        return match
    }

    /// Walks real instants forward, jumping over months, days, hours and minutes that cannot match.
    private func nextWallClockMatch(after date: Date, limit: Date, calendar: Calendar) -> Date? {
        let startSeconds = (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
        var instant = Date(timeIntervalSince1970: startSeconds)
        var steps = 0
        while instant <= limit, steps < 200_000 {
            steps += 1
            let parts = calendar.dateComponents([.month, .day, .hour, .minute, .weekday], from: instant)
            guard let month = parts.month, let day = parts.day, let hour = parts.hour, let minute = parts.minute,
                let weekday = parts.weekday
            else { return nil }
            if !months.contains(month) {
                guard let end = calendar.dateInterval(of: .month, for: instant)?.end else { return nil }
                instant = end
                continue
            }
            if !dayMatches(day: day, weekday: weekday - 1) {
                guard let end = calendar.dateInterval(of: .day, for: instant)?.end else { return nil }
                instant = end
                continue
            }
            if !hours.contains(hour) {
                guard let end = calendar.dateInterval(of: .hour, for: instant)?.end else { return nil }
                instant = end
                continue
            }
            if !minutes.contains(minute) {
                if let next = minutes.values.first(where: { $0 > minute }) {
                    instant = instant.addingTimeInterval(TimeInterval((next - minute) * 60))
                } else {
                    guard let end = calendar.dateInterval(of: .hour, for: instant)?.end else { return nil }
                    instant = end
                }
                continue
            }
            if !hours.isFull, Self.isRepeatedWallTime(instant, in: calendar.timeZone) {
                instant = instant.addingTimeInterval(60)
                continue
            }
            return instant
        }
        return nil
    }

    /// The first spring-forward change in `(date, end]` whose skipped wall times include a match.
    private func firstSkippedMatch(after date: Date, through end: Date, timeZone: TimeZone) -> Date? {
        var probe = date
        while let change = timeZone.nextDaylightSavingTimeTransition(after: probe), change <= end {
            defer { probe = change }
            let before = timeZone.secondsFromGMT(for: change.addingTimeInterval(-1))
            let after = timeZone.secondsFromGMT(for: change)
            guard after > before, change > date, let fixed = TimeZone(secondsFromGMT: before) else { continue }
            var wallClock = Calendar(identifier: .gregorian)
            wallClock.timeZone = fixed
            for minuteOffset in 0..<((after - before) / 60) {
                let skipped = change.addingTimeInterval(TimeInterval(minuteOffset * 60))
                let parts = wallClock.dateComponents([.month, .day, .hour, .minute, .weekday], from: skipped)
                guard let month = parts.month, let day = parts.day, let hour = parts.hour, let minute = parts.minute,
                    let weekday = parts.weekday
                else { continue }
                if months.contains(month), dayMatches(day: day, weekday: weekday - 1), hours.contains(hour),
                    minutes.contains(minute)
                {
                    return change
                }
            }
        }
        return nil
    }

    /// Whether `instant`'s wall time already happened earlier, before a fall-back change.
    static func isRepeatedWallTime(_ instant: Date, in timeZone: TimeZone) -> Bool {
        let offset = timeZone.secondsFromGMT(for: instant)
        let earlierOffset = timeZone.secondsFromGMT(for: instant.addingTimeInterval(-3 * 3600))
        guard earlierOffset > offset else { return false }
        let twin = instant.addingTimeInterval(TimeInterval(offset - earlierOffset))
        return timeZone.secondsFromGMT(for: twin) == earlierOffset
    }

    private func dayMatches(day: Int, weekday: Int) -> Bool {
        let dayOfMonth = daysOfMonth.contains(day)
        let dayOfWeek = daysOfWeek.contains(weekday)
        if daysOfMonth.isStar || daysOfWeek.isStar { return dayOfMonth && dayOfWeek }
        return dayOfMonth || dayOfWeek
    }
}

/// Why a cron expression does not parse.
public struct CronExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// One field of a cron expression: the values it allows.
struct CronField: Sendable, Hashable {
    enum Kind: Sendable {
        case minute, hour, dayOfMonth, month, dayOfWeek

        var name: String {
            switch self {
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }

        var range: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        var names: [String] {
            switch self {
            case .month: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
            case .dayOfWeek: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
            default: []
            }
        }

        /// The value names count from: January is 1, Sunday is 0.
        var firstNamedValue: Int { self == .month ? 1 : 0 }
    }

    /// The allowed values, ascending; Sunday as 0 only.
    let values: [Int]
    /// Whether the field was written starting with `*` (unrestricted for the day-matching rule).
    let isStar: Bool
    /// Whether every value of the field's range is allowed.
    let isFull: Bool
    private let mask: UInt64

    init(_ text: Substring, kind: Kind) throws(CronExpressionError) {
        var mask: UInt64 = 0
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            for value in try Self.values(of: part, in: text, kind: kind) {
                mask |= 1 << UInt64(kind == .dayOfWeek && value == 7 ? 0 : value)
            }
        }
        self.mask = mask
        let range = kind == .dayOfWeek ? 0...6 : kind.range
        values = range.filter { mask & (1 << UInt64($0)) != 0 }
        isStar = text.hasPrefix("*")
        isFull = values.count == range.count
    }

    func contains(_ value: Int) -> Bool { value >= 0 && value < 64 && mask & (1 << UInt64(value)) != 0 }

    private static func values(of part: Substring, in field: Substring, kind: Kind) throws(CronExpressionError) -> [Int]
    {
        func fail(_ message: String) -> CronExpressionError {
            CronExpressionError("\(kind.name) field '\(field)': \(message)")
        }
        guard !part.isEmpty else { throw fail("empty list element") }
        let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { throw fail("more than one '/' in '\(part)'") }
        var step = 1
        if pieces.count == 2 {
            guard let parsed = Int(pieces[1]), parsed > 0 else {
                throw fail("step '\(pieces[1])' must be a positive number")
            }
            step = parsed
        }
        let base = pieces[0]
        let bounds: ClosedRange<Int>
        if base == "*" {
            bounds = kind.range.lowerBound...(kind == .dayOfWeek ? 6 : kind.range.upperBound)
        } else {
            let ends = base.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count <= 2 else { throw fail("'\(base)' is not a value or a range") }
            let low = try value(ends[0], kind: kind, fail: fail)
            if ends.count == 2 {
                let high = try value(ends[1], kind: kind, fail: fail)
                guard low <= high else { throw fail("range \(base) runs backwards") }
                bounds = low...high
            } else {
                // `5/15` means every 15 from 5 to the end of the range; day of week ends at 6 (Saturday), but a
                // Sunday written as 7 (`7/2`) starts and ends there.
                let end = kind == .dayOfWeek ? max(low, 6) : kind.range.upperBound
                bounds = pieces.count == 2 ? low...end : low...low
            }
        }
        if pieces.count == 2, step > bounds.count, base == "*" || base.contains("-") {
            throw fail("step \(step) is larger than the range")
        }
        return Array(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
    }

    private static func value(_ text: Substring, kind: Kind, fail: (String) -> CronExpressionError)
        throws(CronExpressionError)
        -> Int
    {
        guard !text.isEmpty else { throw fail("missing value") }
        if let number = Int(text) {
            guard kind.range.contains(number) else {
                throw fail("value \(number) is out of range \(kind.range.lowerBound)-\(kind.range.upperBound)")
            }
            return number
        }
        if let index = kind.names.firstIndex(of: text.lowercased()) { return index + kind.firstNamedValue }
        if kind.names.isEmpty { throw fail("'\(text)' is not a number") }
        throw fail("unknown name '\(text)' (use \(kind.names.first ?? "")–\(kind.names.last ?? "") or numbers)")
    }
}
