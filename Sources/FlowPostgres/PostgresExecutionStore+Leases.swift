public import FlowCore
public import FlowServer
public import Foundation
import Logging
import PostgresNIO

extension PostgresExecutionStore {
    /// ``leaseDuration`` in seconds, as SQL intervals take it.
    var leaseSeconds: Double { Self.seconds(leaseDuration) }

    /// `duration` in seconds, as SQL intervals and times take it.
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Renews the lease of every run this instance holds, every third of a lease, until cancelled. A renewal
    /// that fails (the database is down) is logged and tried again at the next turn. A lease of zero is never
    /// renewed: every run counts as abandoned as soon as it is written (tests of claiming use that). Rows locked at
    /// that moment (being finished, or cancelled) are skipped until the next turn, so a renewal never waits for a
    /// batch of ends, nor one for it, in a deadlock.
    func renewLeases() async {
        guard leaseDuration > .zero else { return }
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: leaseDuration / 3)
                let start = ContinuousClock.now
                try await client.query(
                    """
                    UPDATE \(unescaped: tables.executions) SET lease_expires_at = now() + make_interval(secs => \(leaseSeconds))
                    WHERE id IN (
                        SELECT id FROM \(unescaped: tables.executions) WHERE owner = \(owner) AND status = 'running'
                        FOR UPDATE SKIP LOCKED
                    )
                    """,
                    logger: logger
                )
                leaseRenewals.renewed(at: start)
            } catch is CancellationError {
                return
            } catch {
                logger.warning(
                    "could not renew the leases of this instance's executions",
                    metadata: [
                        LogKey.store: "\(configuration.redactedURL)", LogKey.error: "\(PostgresFailure.reason(error))",
                    ]
                )
            }
        }
    }

    /// Claims up to `limit` (100 at most per call) running executions nobody holds, oldest first: runs whose
    /// lease ran out (their instance died or was paused) and runs queued or handed back without an owner. Rows
    /// another instance is claiming at the same moment are skipped (`FOR UPDATE SKIP LOCKED`), so two instances
    /// never claim the same run.
    public func claimInterrupted(maxResumes: Int, limit: Int, at time: Date) async throws -> [ExecutionRecord] {
        let limit = min(max(0, limit), 100)
        guard limit > 0 else { return [] }
        return try await storeOperation("claim interrupted executions") {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    SELECT document FROM \(unescaped: tables.executions)
                    WHERE status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < now())
                    ORDER BY start_time, id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                    """,
                    logger: logger
                )
                var claimed: [ExecutionRecord] = []
                for var record in try await Self.decodeAll(rows) {
                    let counted = try await connection.query(
                        "SELECT count(*)::bigint FROM \(unescaped: tables.journal) WHERE execution_id = \(record.id.rawValue)",
                        logger: logger
                    )
                    var journaled = 0
                    for try await count in counted.decode(Int64.self) { journaled = Int(count) }
                    let resumes = try record.claimInterrupted(
                        maxResumes: maxResumes, journaledSteps: journaled, at: time)
                    try await update(record, connection)
                    try await connection.query(
                        """
                        UPDATE \(unescaped: tables.executions)
                        SET owner = \(owner), lease_expires_at = now() + make_interval(secs => \(leaseSeconds))
                        WHERE id = \(record.id.rawValue)
                        """,
                        logger: logger
                    )
                    if resumes { claimed.append(record) }
                }
                return claimed
            }
        }
    }

    /// Ends this instance's lease of running execution `id` at once and notifies the instances, so that the first
    /// with room claims it; nothing when another instance holds it.
    public func release(id: ExecutionID) async throws {
        try await storeOperation("release execution \(id)") {
            try await client.query(
                """
                WITH released AS (
                    UPDATE \(unescaped: tables.executions) SET owner = NULL, lease_expires_at = now() - interval '1 second'
                    WHERE id = \(id.rawValue) AND owner = \(owner) AND status = 'running' RETURNING id
                )
                SELECT pg_notify(\(tables.noticeChannel), \(Self.payload(.runsToClaim))) FROM released
                """,
                logger: logger
            )
        }
    }

    /// Instances on one database share its runs.
    public var sharesRuns: Bool { true }

    /// True while the leases of this instance's runs are certain to last a sixth of a lease more (``LeaseRenewals``);
    /// never with a lease of zero.
    public var leasesAreFresh: Bool { leaseRenewals.fresh(at: .now, lease: leaseDuration) }

    public func cancelRequests(among ids: [ExecutionID]) async throws -> [ExecutionID: String] {
        guard !ids.isEmpty else { return [:] }
        return try await storeOperation("read cancel requests") {
            let rows = try await client.query(
                """
                SELECT id, document->>'cancel_reason' FROM \(unescaped: tables.executions)
                WHERE id = ANY(\(ids.map(\.rawValue))) AND status = 'running' AND document->>'cancel_reason' IS NOT NULL
                """,
                logger: logger
            )
            var requests: [ExecutionID: String] = [:]
            for try await (id, reason) in rows.decode((String, String).self) {
                requests[ExecutionID(rawValue: id)] = reason
            }
            return requests
        }
    }
}
