import NIOCore
import NIOPosix
import PostgresNIO

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads PostgresNIO's and SwiftNIO's errors for messages: `PSQLError`'s own description is a deliberately
/// bare "Database error", so the server's message or the connection's failure is taken from its fields.
/// Nothing here can contain the password: servers never echo it, and connection errors name only the address.
package enum PostgresFailure {
    /// What went wrong, in a few words: "connection refused", "password authentication failed for user \"x\"
    /// (SQLSTATE 28P01)".
    package static func reason(_ error: any Error) -> String {
        switch error {
        case let error as PostgresTransactionError:
            if let inner = error.closureError ?? error.beginError ?? error.commitError { return reason(inner) }
            return "the transaction failed"
        case let error as PSQLError:
            if let server = error.serverInfo, let message = server[.message] {
                return server[.sqlState].map { "\(message) (SQLSTATE \($0))" } ?? message
            }
            if let underlying = error.underlying { return reason(underlying) }
            if error.code == .sslUnsupported {
                return "the server does not accept TLS connections, which the sslmode asks for"
            }
            return "\(error.code)"
        case let error as NIOConnectionError:
            if error.dnsAError ?? error.dnsAAAAError != nil { return "cannot resolve the host \(error.host)" }
            if let first = error.connectionErrors.first { return reason(first.error) }
            return "cannot connect to \(error.host):\(error.port)"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case is StatementBatcherStopped:
            return serviceNotRunning
        case ChannelError.connectTimeout(let time):
            return "no answer within \(time.nanoseconds / 1_000_000_000) s"
        default:
            return poolFailure(error) ?? String(describing: error)
        }
    }

    private static let serviceNotRunning = "the store's service is not running (its connection pool is shut down)"

    /// The pool's circuit breaker: connections kept failing, so it fails requests at once until one opens again.
    private static let circuitBreakerTripped = "connections kept failing, so the pool stopped trying for now"

    /// The pool's own errors (`ConnectionPoolError`, from the underscored `_ConnectionPoolModule` this module does
    /// not import) in words; nil for other errors.
    private static func poolFailure(_ error: any Error) -> String? {
        let text = String(describing: error)
        guard text.hasPrefix("ConnectionPoolError") else { return nil }
        if text.contains("connectionCreationCircuitBreakerTripped") { return circuitBreakerTripped }
        if text.contains("poolShutdown") { return serviceNotRunning }
        if text.contains("requestCancelled") { return "cancelled while waiting for a connection" }
        return text
    }

    /// Whether `error` says no usable connection could be opened (as opposed to a statement failing on one).
    package static func isConnectionFailure(_ error: any Error) -> Bool {
        switch error {
        case let error as PostgresTransactionError:
            return (error.closureError ?? error.beginError ?? error.commitError).map(isConnectionFailure) ?? false
        case let error as PSQLError:
            if let state = error.serverInfo?[.sqlState] {
                // 08: connection exception, 28: invalid authorization, 3D000: no such database,
                // 53300: too many connections, 57P0x: the server is shutting down or starting.
                return state.hasPrefix("08") || state.hasPrefix("28") || state == "3D000" || state == "53300"
                    || state.hasPrefix("57P0")
            }
            let connectionCodes: [PSQLError.Code] = [
                .connectionError, .serverClosedConnection, .uncleanShutdown, .poolClosed, .sslUnsupported,
                .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest, .unsupportedAuthMechanism,
                .authMechanismRequiresPassword, .saslError,
            ]
            return connectionCodes.contains(error.code)
        case is NIOConnectionError, is IOError, is ChannelError:
            return true
        default:
            // The pool reports giving up on opening connections, or being shut down, with an error of its own.
            return poolFailure(error) == circuitBreakerTripped
        }
    }
}
