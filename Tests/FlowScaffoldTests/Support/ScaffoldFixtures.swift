import FlowCore
import Foundation
import Testing

@testable import FlowScaffold

/// Flows, temporary directories and file helpers shared by the scaffolder tests.
enum ScaffoldFixtures {
    /// A small flow touching every place a task can hide, used by the golden-file tests.
    static let shopFlow = """
        flow: ShopOrder
        description: Checks a cart, prices it by tier and charges it.

        inputs:
          - name: customer_id
            type: string
            required: true
          - name: items
            type: array
            required: true
          - name: tier
            type: string
            default: standard
          - name: coupon
            type: string

        connections:
          db:
            url: ${env.DATABASE_URL:-sqlite:shop.db}

        steps:
          - task: LoadCustomer
            id: customer
            connection: db
            description: Loads the customer's profile, "blocked" flag included.
            inputs:
              customer_id: ${inputs.customer_id}
              include_history: false

          - if: ${customer.blocked} == true
            then:
              - exit: "Customer is blocked"

          - for_each: ${inputs.items}
            as: item
            id: checks
            do:
              - task: CheckStock
                id: stock
                inputs:
                  sku: ${item.sku}
                  quantity: ${item.quantity}

          - switch: ${inputs.tier}
            cases:
              - when: standard
                do:
                  - task: PriceOrder
                    id: price
                    inputs: {rate: 1.0, coupon: "${inputs.coupon}"}
              - when: gold
                do:
                  - task: PriceOrder
                    id: price
                    inputs: {rate: 0.9}
            default:
              - task: Log
                inputs: {message: "unknown tier"}

          - parallel:
              - task: ChargeCard
                id: charge
                inputs:
                  amount: ${price.total}
                  customer: ${customer.name}
                retry: {max_attempts: 3}
                on_error:
                  - task: NotifyOps
                    inputs: {message: "charge failed: ${error.message}"}
              - task: ReserveShelf
                inputs: {count: 2}

        on_cancel:
          - task: RefundCharge
            inputs:
              charge_id: ${charge.charge_id}

        outputs:
          - name: total
            value: ${price.total}
          - name: charge_id
            value: ${charge.charge_id}
        """

    static func load(_ yaml: String) throws -> FlowDefinition {
        try FlowLoader().load(yaml: yaml)
    }

    /// A plan of `yaml` with a fixed FlowLang location, so generated files do not depend on the machine.
    static func plan(_ yaml: String, implemented: Set<String> = []) throws -> ScaffoldPlan {
        Scaffolder.plan(
            flow: try load(yaml),
            source: yaml,
            options: ScaffoldOptions(
                flowLang: .path("/opt/FlowLang"), generatorVersion: "0.1.0", implementedTasks: implemented)
        )
    }

    /// A new, empty directory under the temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flowscaffold-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ contents: String, to path: String, in directory: String) throws {
        let full = (directory as NSString).appendingPathComponent(path)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: full, atomically: true, encoding: .utf8)
    }

    static func read(_ path: String, in directory: String) -> String? {
        try? String(contentsOfFile: (directory as NSString).appendingPathComponent(path), encoding: .utf8)
    }

    static func exists(_ path: String, in directory: String) -> Bool {
        FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(path))
    }

    /// Every file under `directory`, package-relative, sorted.
    static func allFiles(in directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(
                atPath: (directory as NSString).appendingPathComponent(path), isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files.append(path)
            }
        }
        return files.sorted()
    }

    /// The task of a plan by name.
    static func task(_ name: String, in plan: ScaffoldPlan) throws -> DiscoveredTask {
        try #require(plan.tasks.first { $0.name == name })
    }
}
