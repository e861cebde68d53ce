/// How many requests one client may make: `requests` per `period` on average, up to `burst` at once.
///
/// Written `100/s`, `6000/min` or `10/h` in `RATE_LIMIT`; the burst defaults to `requests`.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    public var requests: Int
    public var period: Duration
    public var burst: Int

    public init(requests: Int, per period: Duration, burst: Int? = nil) {
        self.requests = requests
        self.period = period
        self.burst = burst ?? requests
    }

    /// How long one request's token takes to come back.
    var refillInterval: Duration { period / requests }

    public var description: String {
        let units: [Duration: String] = [.seconds(1): "s", .seconds(60): "min", .seconds(3600): "h"]
        return "\(requests)/\(units[period] ?? "\(period)") (burst \(burst))"
    }

    /// `count/unit` with unit `s`, `sec`, `second`, `m`, `min`, `minute`, `h`, `hour`; nil when malformed.
    static func parse(_ text: String) -> (requests: Int, period: Duration)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let requests = Int(parts[0].trimmingWhitespace()), requests > 0 else { return nil }
        let period: Duration
        switch parts[1].trimmingWhitespace().lowercased() {
        case "s", "sec", "second": period = .seconds(1)
        case "m", "min", "minute": period = .seconds(60)
        case "h", "hour": period = .seconds(3600)
        default: return nil
        }
        return (requests, period)
    }
}
