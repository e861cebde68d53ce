import FlowCore
import Foundation
import OrderedCollections
import Testing

struct ExecutionIDCodingTests {
    /// A field holding an id, beside the same field holding its text.
    private struct Typed: Codable, Equatable {
        var executionId: ExecutionID
    }

    private struct Plain: Codable {
        var executionId: String
    }

    @Test func anIdEncodesAsItsBareTextAndDecodesBack() throws {
        let id: ExecutionID = "3f2c9a4e-0b1d-4c6e-9a7f-1e2d3c4b5a69"
        let encoded = try JSONEncoder().encode(id)
        #expect(String(decoding: encoded, as: UTF8.self) == #""3f2c9a4e-0b1d-4c6e-9a7f-1e2d3c4b5a69""#)
        #expect(try JSONDecoder().decode(ExecutionID.self, from: encoded) == id)
    }

    @Test func aValueHoldingAnIdEncodesAsWithAString() throws {
        let typed = try JSONEncoder().encode(Typed(executionId: "e-1"))
        let plain = try JSONEncoder().encode(Plain(executionId: "e-1"))
        #expect(typed == plain)
        #expect(try JSONDecoder().decode(Typed.self, from: plain) == Typed(executionId: "e-1"))
    }

    @Test func resultsAndEventsCarryTheIdAsText() {
        let id = ExecutionID(rawValue: "e-1")
        let result = ExecutionResult(executionId: id, flowName: "Greet", status: .completed)
        let event = ExecutionEvent(kind: .flowStarted, executionId: id, data: [:])
        #expect(result.json.objectValue?["execution_id"] == .string("e-1"))
        #expect(event.payload.objectValue?["execution_id"] == .string("e-1"))
        #expect("\(id)" == "e-1")
    }
}
