import FlowServer
import Foundation
import Testing

@Suite struct CronExpressionTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func date(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    /// After Thursday 2026-01-15 10:07:30 UTC.
    @Test(arguments: [
        ("* * * * *", "2026-01-15T10:08:00Z"),
        ("*/5 * * * *", "2026-01-15T10:10:00Z"),
        ("0 * * * *", "2026-01-15T11:00:00Z"),
        ("30 9 * * *", "2026-01-16T09:30:00Z"),
        ("0 12 * * mon-fri", "2026-01-15T12:00:00Z"),
        ("0 12 * * SAT,sun", "2026-01-17T12:00:00Z"),
        ("0 0 1 * *", "2026-02-01T00:00:00Z"),
        ("0 0 1 jan *", "2027-01-01T00:00:00Z"),
        ("15-45/15 10 * * *", "2026-01-15T10:15:00Z"),
        ("5/20 * * * *", "2026-01-15T10:25:00Z"),
        ("0 0 29 2 *", "2028-02-29T00:00:00Z"),
        ("0 0 13 * 5", "2026-01-16T00:00:00Z"), // day 13 OR Friday
        ("0 0 */10 * *", "2026-01-21T00:00:00Z"), // 1, 11, 21, 31
        ("0 0 * * 7", "2026-01-18T00:00:00Z"), // 7 is Sunday
        ("0 8-10 * * *", "2026-01-16T08:00:00Z"),
        ("0 9 * feb-mar 1", "2026-02-02T09:00:00Z"),
        ("@hourly", "2026-01-15T11:00:00Z"),
        ("@daily", "2026-01-16T00:00:00Z"),
        ("@weekly", "2026-01-18T00:00:00Z"),
        ("@yearly", "2027-01-01T00:00:00Z"),
    ])
    func nextFireTimeInUTC(expression: String, expected: String) throws {
        let cron = try CronExpression(expression)
        #expect(cron.nextDate(after: Self.date("2026-01-15T10:07:30Z"), in: Self.utc) == Self.date(expected))
    }

    /// Found by fuzzing: `7/7` made the range 7...6 and trapped.
    @Test(arguments: ["0 0 * * 7/7", "0 0 * * 7/1", "0 0 * * 7/3,sun"])
    func sundayWrittenAsSevenWithAStepIsSundayNotACrash(expression: String) throws {
        let cron = try CronExpression(expression)
        #expect(
            cron.nextDate(after: Self.date("2026-01-15T10:07:30Z"), in: Self.utc) == Self.date("2026-01-18T00:00:00Z"))
    }

    @Test func anExpressionThatNeverFiresHasNoNextDate() throws {
        let cron = try CronExpression("0 0 30 2 *")
        #expect(cron.nextDate(after: Self.date("2026-01-15T10:07:30Z"), in: Self.utc) == nil)
    }

    @Test func nextFireTimeIsStrictlyAfterTheGivenTime() throws {
        let cron = try CronExpression("*/5 * * * *")
        #expect(
            cron.nextDate(after: Self.date("2026-01-15T10:10:00Z"), in: Self.utc) == Self.date("2026-01-15T10:15:00Z"))
    }

    @Test(arguments: [
        ("", "expected 5 fields (minute hour day-of-month month day-of-week), found 0"),
        ("* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 4"),
        ("* * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 6"),
        ("60 * * * *", "minute field '60': value 60 is out of range 0-59"),
        ("* 24 * * *", "hour field '24': value 24 is out of range 0-23"),
        ("* * 0 * *", "day-of-month field '0': value 0 is out of range 1-31"),
        ("* * * 13 *", "month field '13': value 13 is out of range 1-12"),
        ("* * * * 8", "day-of-week field '8': value 8 is out of range 0-7"),
        ("*/0 * * * *", "minute field '*/0': step '0' must be a positive number"),
        ("*/x * * * *", "minute field '*/x': step 'x' must be a positive number"),
        ("5-1 * * * *", "minute field '5-1': range 5-1 runs backwards"),
        ("1,,2 * * * *", "minute field '1,,2': empty list element"),
        ("a * * * *", "minute field 'a': 'a' is not a number"),
        ("L * * * *", "minute field 'L': 'L' is not a number"),
        ("* * * * funday", "day-of-week field 'funday': unknown name 'funday' (use sun–sat or numbers)"),
        ("* * * smarch *", "month field 'smarch': unknown name 'smarch' (use jan–dec or numbers)"),
        ("1-2-3 * * * *", "minute field '1-2-3': '1-2-3' is not a value or a range"),
        ("*/61 * * * *", "minute field '*/61': step 61 is larger than the range"),
        (
            "@reboot",
            "unknown macro '@reboot' (use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)"
        ),
    ])
    func invalidExpressionsNameTheFieldAndProblem(expression: String, message: String) {
        #expect(throws: CronExpressionError(message)) { try CronExpression(expression) }
    }

    // MARK: - Daylight-saving time (Europe/Berlin: 2026-03-29 02:00 → 03:00, 2026-10-25 03:00 → 02:00)

    @Test func dailyJobKeepsItsWallTimeAcrossTheSpringChange() throws {
        let cron = try CronExpression("0 9 * * *")
        let saturday = try #require(cron.nextDate(after: Self.date("2026-03-28T07:00:00Z"), in: Self.berlin))
        #expect(saturday == Self.date("2026-03-28T08:00:00Z")) // 09:00 CET
        let sunday = try #require(cron.nextDate(after: saturday, in: Self.berlin))
        #expect(sunday == Self.date("2026-03-29T07:00:00Z")) // 09:00 CEST, 23 hours later
    }

    @Test func aFixedTimeInTheSkippedHourRunsWhenTheClocksJump() throws {
        let cron = try CronExpression("30 2 * * *")
        let jump = try #require(cron.nextDate(after: Self.date("2026-03-28T12:00:00Z"), in: Self.berlin))
        #expect(jump == Self.date("2026-03-29T01:00:00Z")) // 03:00 CEST, once
        let monday = try #require(cron.nextDate(after: jump, in: Self.berlin))
        #expect(monday == Self.date("2026-03-30T00:30:00Z")) // 02:30 CEST
    }

    @Test func anHourlyJobFollowsTheClockOverTheSpringChange() throws {
        let cron = try CronExpression("0 * * * *")
        let first = try #require(cron.nextDate(after: Self.date("2026-03-29T00:30:00Z"), in: Self.berlin))
        #expect(first == Self.date("2026-03-29T01:00:00Z")) // 03:00 CEST: 02:00 does not exist
        #expect(cron.nextDate(after: first, in: Self.berlin) == Self.date("2026-03-29T02:00:00Z"))
    }

    @Test func aFixedTimeInTheRepeatedHourRunsOnlyOnce() throws {
        let cron = try CronExpression("30 2 * * *")
        let first = try #require(cron.nextDate(after: Self.date("2026-10-24T12:00:00Z"), in: Self.berlin))
        #expect(first == Self.date("2026-10-25T00:30:00Z")) // 02:30 CEST
        let next = try #require(cron.nextDate(after: first, in: Self.berlin))
        #expect(next == Self.date("2026-10-26T01:30:00Z")) // 02:30 CET the next day, not 02:30 CET on the 25th
    }

    @Test func aWildcardHourJobRunsInBothCopiesOfTheRepeatedHour() throws {
        let cron = try CronExpression("*/30 * * * *")
        var times: [Date] = []
        var cursor = Self.date("2026-10-25T00:00:00Z") // 02:00 CEST
        for _ in 0..<5 {
            cursor = try #require(cron.nextDate(after: cursor, in: Self.berlin))
            times.append(cursor)
        }
        #expect(
            times == [
                Self.date("2026-10-25T00:30:00Z"), // 02:30 CEST
                Self.date("2026-10-25T01:00:00Z"), // 02:00 CET
                Self.date("2026-10-25T01:30:00Z"), // 02:30 CET
                Self.date("2026-10-25T02:00:00Z"), // 03:00 CET
                Self.date("2026-10-25T02:30:00Z"),
            ]
        )
    }

    @Test func weekdayNamesAreReadInTheTriggersTimeZone() throws {
        // Friday 23:30 in New York is already Saturday in UTC; a weekday job still sees Friday.
        let cron = try CronExpression("30 23 * * fri")
        let next = try #require(cron.nextDate(after: Self.date("2026-01-16T12:00:00Z"), in: Self.newYork))
        #expect(next == Self.date("2026-01-17T04:30:00Z"))
    }

    @Test func newYorkSpringChangeSkipsTwoThirtyToThree() throws {
        let cron = try CronExpression("30 2 * * *")
        let next = try #require(cron.nextDate(after: Self.date("2026-03-08T05:00:00Z"), in: Self.newYork))
        #expect(next == Self.date("2026-03-08T07:00:00Z")) // 03:00 EDT
    }
}
