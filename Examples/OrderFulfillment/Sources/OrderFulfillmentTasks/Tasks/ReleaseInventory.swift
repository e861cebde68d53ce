import FlowCore

/// The task `ReleaseInventory`, called at steps `release_invalid_type`, `release_rejected`,
/// `release_payment_failed`, `release_unshippable` and in `on_cancel`.
///
/// Puts a reservation's stock back. Releasing twice, or releasing stock that has already shipped, changes
/// nothing and is not an error (`released: false`), so every failure path may call it safely.
enum ReleaseInventory: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var reservationId: String

        enum CodingKeys: String, CodingKey {
            case reservationId = "reservation_id"
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> FlowValue {
        let released = try await Shop.open(context).inventory.release(input.reservationId)
        context.logger.info("released reservation", metadata: ["reservation_id": "\(input.reservationId)", "released": "\(released)"])
        return ["reservation_id": .string(input.reservationId), "released": .bool(released)]
    }
}
