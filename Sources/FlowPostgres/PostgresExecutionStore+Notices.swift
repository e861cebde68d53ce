import FlowCore
public import FlowServer
import Logging
import PostgresNIO

/// `LISTEN`/`NOTIFY` between the instances on one schema: an instance that queues or hands back a run, or stores
/// a cancel request, notifies the others, which act at once instead of at their next poll. The notices are only
/// hints (the tables stay the truth, and the polls go on), so one lost with a connection costs a poll's delay.
extension PostgresExecutionStore {
    /// The notices of the instances on this schema, for the one ``ExecutionService`` using this store.
    public var notices: AsyncStream<StoreNotice>? { noticeStream.stream }

    /// Tells every instance on the schema, this one included, that `notice` happened.
    func notify(_ notice: StoreNotice, _ connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_notify(\(tables.noticeChannel), \(Self.payload(notice)))", logger: logger)
    }

    /// Listens on the schema's channel over a connection of its own (outside the pool, shown in `pg_stat_activity`
    /// as the application name with `-listen`) until cancelled, passing
    /// each notice on. A lost connection is opened again after `retryDelay`. Each time it starts listening it
    /// passes on both kinds, since notices sent before were not heard (runs queued before this instance started).
    func listenForNotices(retryDelay: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            do {
                let connection = try await openConnection(purpose: "listen")
                do {
                    try await connection.listen(on: tables.noticeChannel) { notifications in
                        noticeStream.continuation.yield(.runsToClaim)
                        noticeStream.continuation.yield(.cancelRequested)
                        for try await notification in notifications {
                            if let notice = Self.notice(notification.payload) {
                                noticeStream.continuation.yield(notice)
                            }
                        }
                    }
                    try? await connection.close()
                } catch {
                    try? await connection.close()
                    throw error
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "lost the connection listening for other instances' notices; polling goes on",
                    metadata: [
                        LogKey.store: "\(configuration.redactedURL)", LogKey.error: "\(PostgresFailure.reason(error))",
                    ]
                )
            }
            do {
                try await Task.sleep(for: retryDelay)
            } catch {
                return
            }
        }
    }

    static func payload(_ notice: StoreNotice) -> String {
        switch notice {
        case .runsToClaim: "claim"
        case .cancelRequested: "cancel"
        }
    }

    static func notice(_ payload: String) -> StoreNotice? {
        switch payload {
        case "claim": .runsToClaim
        case "cancel": .cancelRequested
        default: nil
        }
    }
}
