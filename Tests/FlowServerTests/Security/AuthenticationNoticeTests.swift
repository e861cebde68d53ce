import FlowServer
import Logging
import Synchronization
import Testing

/// What a server says about authentication when it starts: that keys guard it (never the keys), or a warning
/// when nothing guards a server other machines can reach.
@Suite struct AuthenticationNoticeTests {
    /// Keeps every message logged through it.
    final class Collected: Sendable {
        let entries = Mutex<[(level: Logger.Level, message: String, metadata: String)]>([])

        var logger: Logger {
            Logger(label: "notice-tests") { _ in Handler(collected: self) }
        }

        struct Handler: LogHandler {
            let collected: Collected
            var logLevel: Logger.Level = .trace
            var metadata: Logger.Metadata = [:]
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                let metadata = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                collected.entries.withLock { $0.append((event.level, event.message.description, metadata)) }
            }
        }
    }

    @Test func keysConfiguredLogThatAuthenticationIsOnWithoutTheKeys() {
        let collected = Collected()
        let configuration = ServerConfiguration(host: "0.0.0.0", apiKeys: APIKeySet(["sk-one", "sk-two"]))
        configuration.logAuthentication(to: collected.logger)
        let entries = collected.entries.withLock { $0 }
        #expect(entries.count == 1)
        #expect(entries.first?.level == .notice)
        #expect(entries.first?.message.contains("API key authentication is on") == true)
        #expect(entries.first?.metadata == "api_keys=2")
        #expect(!entries.contains { $0.message.contains("sk-") || $0.metadata.contains("sk-") })
    }

    @Test(arguments: ["0.0.0.0", "10.1.2.3", "::", "api.example.com"])
    func noKeysOnAReachableHostLogAWarning(host: String) {
        let collected = Collected()
        ServerConfiguration(host: host).logAuthentication(to: collected.logger)
        let entries = collected.entries.withLock { $0 }
        #expect(entries.count == 1)
        #expect(entries.first?.level == .warning)
        #expect(entries.first?.message.contains("FLOWLANG_API_KEYS") == true)
    }

    @Test(arguments: ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
    func noKeysOnLoopbackSayNothing(host: String) {
        let collected = Collected()
        ServerConfiguration(host: host).logAuthentication(to: collected.logger)
        #expect(collected.entries.withLock { $0.isEmpty })
    }
}
