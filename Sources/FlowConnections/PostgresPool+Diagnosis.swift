import FlowCore
import FlowPostgres
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

extension PostgresPool {
    /// Why no connection came within the timeout: PostgresNIO's pool retries quietly and does not say, so one
    /// connection of its own is opened to find out; if that works, the pool's connections were all busy.
    func whyNoConnection(within timeout: Duration) async -> String {
        let limit = min(timeout, .seconds(2))
        do {
            var configuration = PostgresConnection.Configuration(
                host: settings.host,
                port: settings.port,
                username: settings.username,
                password: settings.password,
                database: settings.database,
                tls: try settings.tls.connectionTLS
            )
            let (seconds, attoseconds) = limit.components
            configuration.options.connectTimeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try? await connection.close()
            return "its \(settings.poolSize) connection(s) stayed busy for \(timeout)"
        } catch {
            return "no connection within \(timeout): \(PostgresFailure.reason(error))"
        }
    }
}

extension PostgresConnectionSettings.TLSMode {
    /// The TLS of a connection outside the pool, checked as the pool's are.
    var connectionTLS: PostgresConnection.Configuration.TLS {
        get throws {
            var configuration = TLSConfiguration.makeClientConfiguration()
            switch self {
            case .disable: return .disable
            case .require: configuration.certificateVerification = .none
            case .verifyCA: configuration.certificateVerification = .noHostnameVerification
            case .verifyFull: configuration.certificateVerification = .fullVerification
            }
            return .require(try NIOSSLContext(configuration: configuration))
        }
    }
}
