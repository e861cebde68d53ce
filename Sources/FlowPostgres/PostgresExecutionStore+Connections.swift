import FlowServer
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

extension PostgresExecutionStore.Configuration {
    /// The pool's configuration: at most ``poolSize`` connections, none kept open while idle, each with its
    /// `search_path` set to ``schema`` (the batch statements name their tables without it).
    var clientConfiguration: PostgresClient.Configuration {
        var client = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls.tlsConfiguration.map(PostgresClient.Configuration.TLS.require) ?? .disable
        )
        client.options.maximumConnections = poolSize
        client.options.minimumConnections = 0
        client.options.connectTimeout = connectTimeout
        client.options.additionalStartupParameters = [
            ("application_name", applicationName), ("search_path", PostgresTables.quoted(schema)),
        ]
        return client
    }

    /// One connection's configuration, for connections outside the pool.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tlsMode: PostgresConnection.Configuration.TLS =
            try tls.tlsConfiguration.map { .require(try NIOSSLContext(configuration: $0)) } ?? .disable
        var connection = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tlsMode
        )
        connection.options.connectTimeout = timeAmount(connectTimeout)
        connection.options.additionalStartupParameters = [("application_name", applicationName)]
        return connection
    }
}

/// `duration` as SwiftNIO's `TimeAmount`.
func timeAmount(_ duration: Duration) -> TimeAmount {
    let (seconds, attoseconds) = duration.components
    return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
}

extension PostgresExecutionStore.Configuration.TLSMode {
    /// How TLS is set up; nil for plain TCP.
    var tlsConfiguration: TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable: return nil
        case .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        return configuration
    }
}

extension PostgresExecutionStore {
    /// Opens a connection outside the pool: for migrating before the pool runs, for learning why the pool
    /// cannot connect (it retries quietly and only reports that it gave up), and for listening; a `purpose`
    /// is appended to its application name.
    ///
    /// - Throws: ``PostgresStoreError/unreachable(store:reason:)``.
    func openConnection(timeout: Duration? = nil, purpose: String? = nil) async throws(PostgresStoreError)
        -> PostgresConnection
    {
        do {
            var connectionConfiguration = try configuration.connectionConfiguration()
            if let timeout { connectionConfiguration.options.connectTimeout = timeAmount(timeout) }
            if let purpose {
                connectionConfiguration.options.additionalStartupParameters = [
                    ("application_name", configuration.applicationName + "-" + purpose)
                ]
            }
            return try await PostgresConnection.connect(
                configuration: connectionConfiguration,
                id: 0,
                logger: logger
            )
        } catch {
            throw .unreachable(store: configuration.redactedURL, reason: PostgresFailure.reason(error))
        }
    }

    /// Runs `body`, turning PostgresNIO's errors into ``PostgresStoreError``s that say what the store was doing;
    /// the store's own errors (``ExecutionTransitionError``, ``StoredRecordError``) pass unchanged.
    @discardableResult
    func storeOperation<Result>(_ operation: String, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as PostgresStoreError {
            throw error
        } catch let error as ExecutionTransitionError {
            throw error
        } catch let error as StoredRecordError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch  where PostgresFailure.isConnectionFailure(error) {
            throw PostgresStoreError.unreachable(
                store: configuration.redactedURL, reason: PostgresFailure.reason(error))
        } catch {
            throw PostgresStoreError.queryFailed(
                store: configuration.redactedURL, operation: operation, reason: PostgresFailure.reason(error))
        }
    }
}
