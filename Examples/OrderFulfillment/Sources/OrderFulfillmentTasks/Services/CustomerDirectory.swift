import Synchronization

/// A customer as the directory knows them.
public struct Customer: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable { case active, inactive, suspended }
    public enum Tier: String, Sendable, Codable { case standard, premium }

    public var id: String
    public var name: String
    public var email: String
    public var phone: String
    public var status: Status
    public var tier: Tier

    public init(id: String, name: String, email: String, phone: String, status: Status, tier: Tier) {
        self.id = id
        self.name = name
        self.email = email
        self.phone = phone
        self.status = status
        self.tier = tier
    }
}

/// The customers the shop knows, looked up by id.
public final class CustomerDirectory: Sendable {
    private let customers: Mutex<[String: Customer]>

    public init(_ customers: [Customer]) {
        self.customers = Mutex(Dictionary(uniqueKeysWithValues: customers.map { ($0.id, $0) }))
    }

    public func customer(id: String) -> Customer? { customers.withLock { $0[id] } }

    public func upsert(_ customer: Customer) { customers.withLock { $0[customer.id] = customer } }

    /// The demo directory: an active standard customer, an active premium one, an inactive one, and the
    /// customers the walkthrough's tests and watch-mode inputs order as (part 3, §5 and §6).
    public static func demo() -> CustomerDirectory {
        CustomerDirectory([
            Customer(id: "CUST-12345", name: "Ada Lovelace", email: "ada@example.com", phone: "+1-555-0100", status: .active, tier: .standard),
            Customer(id: "CUST-PREMIUM", name: "Grace Hopper", email: "grace@example.com", phone: "+1-555-0101", status: .active, tier: .premium),
            Customer(id: "CUST-INACTIVE", name: "Old Account", email: "old@example.com", phone: "+1-555-0102", status: .inactive, tier: .standard),
            // The walkthrough's §5 integration tests and §6 test_inputs.json.
            Customer(id: "CUST-001", name: "Alan Turing", email: "alan@example.com", phone: "+1-555-0103", status: .active, tier: .standard),
            Customer(id: "CUST-PREMIUM-001", name: "Katherine Johnson", email: "katherine@example.com", phone: "+1-555-0104", status: .active, tier: .premium),
            Customer(id: "CUST-BULK", name: "Bulk Buyers Ltd", email: "purchasing@bulkbuyers.example.com", phone: "+1-555-0105", status: .active, tier: .standard),
            Customer(id: "CUST-DEV-001", name: "Dev Tester", email: "dev@example.com", phone: "+1-555-0106", status: .active, tier: .standard),
        ])
    }
}
