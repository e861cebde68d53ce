import Synchronization

/// A token bucket per client: each holds up to `burst` tokens, refilled at `requests` per `period`, and a
/// request takes one. Time comes from an injected clock so tests can move it.
///
/// Memory is bounded: past `maxClients` buckets, the ones that have refilled completely (idle clients,
/// indistinguishable from new ones) are dropped, then the least recently used until a quarter is free.
final class RateLimiter: Sendable {
    struct Decision: Equatable {
        var isAllowed: Bool
        /// Whole tokens left after this request.
        var remaining: Int
        /// When the next token arrives; zero when the request was allowed.
        var retryAfter: Duration
    }

    private struct Bucket {
        var tokens: Double
        var updated: Duration
    }

    let limit: RateLimit
    let maxClients: Int
    private let now: @Sendable () -> Duration
    private let buckets = Mutex<[String: Bucket]>([:])

    init(limit: RateLimit, clock: some Clock<Duration>, maxClients: Int = 10_000) {
        self.limit = limit
        self.maxClients = max(1, maxClients)
        let start = clock.now
        now = { start.duration(to: clock.now) }
    }

    /// How many clients have a bucket now.
    var clientCount: Int { buckets.withLock { $0.count } }

    /// Takes a token from `client`'s bucket if it has one.
    func take(client: String) -> Decision {
        let time = now()
        let interval = limit.refillInterval
        let capacity = Double(limit.burst)
        return buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: capacity, updated: time)
            bucket.tokens = min(capacity, bucket.tokens + (time - bucket.updated) / interval)
            bucket.updated = time
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = Decision(isAllowed: true, remaining: Int(bucket.tokens), retryAfter: .zero)
            } else {
                decision = Decision(isAllowed: false, remaining: 0, retryAfter: interval * (1 - bucket.tokens))
            }
            buckets[client] = bucket
            if buckets.count > maxClients { evict(&buckets, at: time, capacity: capacity, interval: interval) }
            return decision
        }
    }

    private func evict(_ buckets: inout [String: Bucket], at time: Duration, capacity: Double, interval: Duration) {
        buckets = buckets.filter { _, bucket in bucket.tokens + (time - bucket.updated) / interval < capacity }
        let target = maxClients - maxClients / 4
        guard buckets.count > target else { return }
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(buckets.count - target)
        for (client, _) in oldest { buckets.removeValue(forKey: client) }
    }
}
