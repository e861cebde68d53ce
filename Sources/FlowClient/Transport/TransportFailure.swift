import AsyncHTTPClient
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A connection-level error sorted by what may be done about it.
struct TransportFailure {
    enum Kind {
        /// No connection was made, so nothing was sent: always safe to retry.
        case connect
        /// The connection broke after the request may have reached the server.
        case lost
        /// The URL cannot be requested at all.
        case invalidURL
        case other
    }

    let kind: Kind
    let message: String

    init(_ error: any Error) {
        switch error {
        case let error as HTTPClientError:
            message = error.shortDescription
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout, .socksHandshakeTimeout,
                .httpProxyHandshakeTimeout:
                kind = .connect
            case .remoteConnectionClosed, .readTimeout, .writeTimeout, .uncleanShutdown:
                kind = .lost
            case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath:
                kind = .invalidURL
            default:
                kind = error.shortDescription.hasPrefix("Unsupported scheme") ? .invalidURL : .other
            }
        case let error as NIOConnectionError:
            message =
                "could not connect to \(error.host):\(error.port)"
                + (error.connectionErrors.first.map { ": \($0.error)" } ?? "")
            kind = .connect
        case let error as ChannelError:
            message = "\(error)"
            if case .connectTimeout = error { kind = .connect } else { kind = .lost }
        case let error as IOError:
            message = "\(error)"
            kind = error.errnoCode == ECONNREFUSED ? .connect : .lost
        default:
            message = "\(error)"
            kind = .other
        }
    }
}
