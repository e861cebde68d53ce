import FlowCore
import Foundation
import Testing

struct StepIDCodingTests {
    @Test func aStepIdEncodesAsItsBareTextAndDecodesBack() throws {
        let id: StepID = "charge"
        let encoded = try JSONEncoder().encode(id)
        #expect(String(decoding: encoded, as: UTF8.self) == #""charge""#)
        #expect(try JSONDecoder().decode(StepID.self, from: encoded) == id)
        #expect("\(id)" == "charge")
    }
}
