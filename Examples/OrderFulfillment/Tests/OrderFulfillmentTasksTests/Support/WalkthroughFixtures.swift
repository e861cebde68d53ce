import FlowCore
import Foundation
import Testing
@testable import OrderFulfillmentTasks

/// The inputs of the walkthrough's tests and requests (part 3, "Deployment"), as written there, for the
/// `Walkthrough*Tests` suites that port them.
///
/// The walkthrough was written for the Python version; its customers (`CUST-001`, `CUST-PREMIUM-001`,
/// `CUST-BULK`, `CUST-DEV-001`) and products (`PROD-100`, `PROD-200`, `PROD-000` … `PROD-049`) are part of the
/// demo data (`CustomerDirectory.demo()`, `Catalogue`), so its inputs run unchanged against the
/// real tasks.
enum Walkthrough {
    /// The address of the §5 tests; the ports also use it where the walkthrough elides one (`{...}`).
    static let testAddress: FlowValue = [
        "street": "123 Test St", "city": "Testville", "state": "CA", "postal_code": "12345", "country": "US",
    ]

    /// `test_standard_order_success`'s inputs, exactly as written: `payment_details` holds the token alone, so
    /// the charge's key is derived from the execution (`<execution id>:charge`, see `PaymentDetails`).
    static let standardOrder: FlowValue = [
        "customer_id": "CUST-001",
        "items": [
            ["product_id": "PROD-100", "quantity": 2],
            ["product_id": "PROD-200", "quantity": 1],
        ],
        "payment_method": "credit_card",
        "payment_details": ["token": "tok_test_123"],
        "shipping_address": testAddress,
        "order_type": "standard",
    ]

    /// The §4 "Basic Execution" request's inputs (`curl … -d '{"inputs": …}'`), which both READMEs send
    /// verbatim.
    static let section4Request: FlowValue = [
        "customer_id": "CUST-12345",
        "items": [
            ["product_id": "PROD-001", "quantity": 2],
            ["product_id": "PROD-002", "quantity": 1],
        ],
        "payment_method": "credit_card",
        "payment_details": ["token": "tok_visa_4242", "idempotency_key": "order-2024-001"],
        "shipping_address": [
            "street": "123 Main St", "city": "San Francisco", "state": "CA", "postal_code": "94102", "country": "US",
        ],
        "order_type": "standard",
    ]

    /// §6's `test_inputs.json`, the inputs watch mode runs.
    static let section6WatchInputs: FlowValue = [
        "customer_id": "CUST-DEV-001",
        "items": [
            ["product_id": "PROD-100", "quantity": 2],
            ["product_id": "PROD-200", "quantity": 1],
        ],
        "payment_method": "credit_card",
        "payment_details": ["token": "tok_dev_test", "idempotency_key": "dev-test-001"],
        "shipping_address": [
            "street": "123 Dev St", "city": "Devville", "state": "CA", "postal_code": "94102", "country": "US",
        ],
        "order_type": "standard",
    ]

    /// The repository's root, two levels above this package.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The inputs of the first `curl … /flows/OrderFulfillment/execute … -d '{"inputs": …}'` in the Markdown
    /// file at `path` (relative to the repository root).
    static func firstExecuteRequest(inMarkdownAt path: String) throws -> FlowValue {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
        let command = try #require(text.range(of: "/flows/OrderFulfillment/execute \\"), "no execute request in \(path)")
        let bodyStart = try #require(text.range(of: "-d '", range: command.upperBound..<text.endIndex), "no -d body in \(path)")
        let bodyEnd = try #require(text.range(of: "'", range: bodyStart.upperBound..<text.endIndex), "unterminated body in \(path)")
        let body = try JSONDecoder().decode(FlowValue.self, from: Data(text[bodyStart.upperBound..<bodyEnd.lowerBound].utf8))
        return try #require(body["inputs"], "the body in \(path) has no inputs")
    }
}
