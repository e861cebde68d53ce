import Synchronization

/// Sends emails and text messages, and can be told that a channel is down.
public final class Notifier: Sendable {
    /// A message that went out.
    public struct Message: Sendable, Equatable {
        public var channel: String
        public var recipient: String
        public var text: String
    }

    public struct Unavailable: Error, Equatable, CustomStringConvertible {
        public var channel: String
        public var description: String { "\(channel) service unavailable" }
    }

    private struct State {
        var sent: [Message] = []
        var down: Set<String> = []
        var failures: [String] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Makes `channel` ("email" or "sms") fail until brought back.
    public func setDown(_ channel: String, _ down: Bool = true) {
        state.withLock { state in
            if down { state.down.insert(channel) } else { state.down.remove(channel) }
        }
    }

    public var sent: [Message] { state.withLock { $0.sent } }

    /// Notifications that could not be delivered on any channel, as logged.
    public var failures: [String] { state.withLock { $0.failures } }

    /// Records that a notification could not be delivered.
    public func recordFailure(_ text: String) { state.withLock { $0.failures.append(text) } }

    /// Sends a message; returns its id.
    public func send(_ channel: String, to recipient: String, _ text: String) throws(Unavailable) -> String {
        try state.withLock { (state: inout State) throws(Unavailable) -> String in
            guard !state.down.contains(channel) else { throw Unavailable(channel: channel) }
            state.sent.append(Message(channel: channel, recipient: recipient, text: text))
            return "\(channel.uppercased())-\(state.sent.count)"
        }
    }
}
