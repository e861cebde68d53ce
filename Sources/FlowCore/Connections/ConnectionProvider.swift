/// Hands out the pools behind the connections flows declare: one pool per ``ConnectionDefinition/PoolKey``,
/// shared by every execution that names it.
///
/// FlowCore knows no database; the `FlowConnections` module provides the pools (`ConnectionPools`), and typed
/// accessors on ``TaskContext`` such as `context.postgres()` and `context.sqlite()`.
public protocol ConnectionProvider: Sendable {
    /// The pool for `connection`, opened on first use.
    ///
    /// - Throws: a ``TaskError`` of type `ConnectionError` when the pool cannot be opened.
    func pool(for connection: ConnectionDefinition) async throws -> any Sendable

    /// How the pool for `connection` is doing: not opened yet, open, or failing, with its usage.
    func status(of connection: ConnectionDefinition) -> ConnectionStatus

    /// Runs a trivial statement (`SELECT 1`) on the pool for `connection`, opening it when needed: nil when the
    /// database answered, else why not, in words that never contain a password. Readiness probes ask this.
    func probe(_ connection: ConnectionDefinition) async -> String?
}

/// A pool's state and usage, for `/health` and `/metrics`.
public struct ConnectionStatus: Sendable, Hashable {
    /// Whether a pool is open and its last attempt to connect worked.
    public enum State: Sendable, Hashable {
        /// Nothing has used the connection yet: pools open on first use.
        case notOpened
        case open
        /// The last attempt to get a connection failed, for this reason (never with a password).
        case failing(String)
        case closed
    }

    public var state: State
    /// The most connections the pool holds.
    public var size: Int
    /// Connections leased right now.
    public var inUse: Int
    /// How many leases waited for a connection, and for how long together.
    public var leases: Int
    public var totalWait: Duration

    public init(state: State, size: Int, inUse: Int = 0, leases: Int = 0, totalWait: Duration = .zero) {
        self.state = state
        self.size = size
        self.inUse = inUse
        self.leases = leases
        self.totalWait = totalWait
    }

    /// `not_opened`, `open`, `failing` or `closed`.
    public var stateName: String {
        switch state {
        case .notOpened: "not_opened"
        case .open: "open"
        case .failing: "failing"
        case .closed: "closed"
        }
    }
}
