import FlowCore
import Foundation
import OrderedCollections
import Testing

@testable import FlowServer

@Suite("Execution ids")
struct ExecutionIDTests {
    @Test func idsAreLowercaseVersion7UUIDs() {
        let id = ExecutionID.random().rawValue
        let groups = id.split(separator: "-").map(\.count)
        #expect(groups == [8, 4, 4, 4, 12])
        #expect(id.allSatisfy { "0123456789abcdef-".contains($0) })
        let characters = Array(id)
        #expect(characters[14] == "7")
        #expect("89ab".contains(characters[19]))
    }

    @Test func idsBeginWithTheirCreationTimeInMillisecondsSoLaterIdsSortLater() {
        let time = Date(timeIntervalSince1970: 1_796_578_335.436)
        let id = ExecutionID.random(at: time).rawValue
        let hex = id.replacingOccurrences(of: "-", with: "").prefix(12)
        #expect(UInt64(hex, radix: 16) == 1_796_578_335_436)
        let later = (1...200).map { ExecutionID.random(at: time.addingTimeInterval(Double($0) / 1000)).rawValue }
        #expect(later == later.sorted())
        #expect(later.allSatisfy { $0 > id })
    }

    @Test func idsDoNotRepeat() {
        let ids = Set((0..<10_000).map { _ in ExecutionID.random() })
        #expect(ids.count == 10_000)
    }

    @Test func formattingWritesEveryByteAsTwoHexDigits() {
        let bytes: [UInt8] = [
            0x00, 0x01, 0x0a, 0xff, 0x10, 0x20, 0x4c, 0x3d, 0x8e, 0x9f, 0xa0, 0xb1, 0xc2, 0xd3, 0xe4, 0xf5,
        ]
        let text = bytes.withUnsafeBytes { ExecutionID.format($0) }
        #expect(text == "00010aff-1020-4c3d-8e9f-a0b1c2d3e4f5")
    }

    @Test func aRecordShowsAndStoresItsIdAsText() throws {
        let record = ExecutionRecord(id: "e-1", flowName: "Greet", mode: .sync, inputs: [:])
        #expect(record.json.objectValue?["execution_id"] == .string("e-1"))
        #expect(record.storageJSON.objectValue?["id"] == .string("e-1"))
        #expect(try ExecutionRecord(storageText: record.storageJSON.jsonText).id == "e-1")
    }
}
