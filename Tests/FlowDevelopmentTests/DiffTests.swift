import FlowCore
import FlowDevelopment
import Testing

@Suite("Field-level diff of two runs")
struct DiffTests {
    func completed(_ outputs: FlowValue) -> RunSummary { RunSummary(status: .completed, outputs: outputs) }

    @Test func changedScalarShowsOldAndNewAsJSON() {
        let diff = RunDiff(
            from: completed(["final_price": 95, "currency": "USD"]),
            to: completed(["final_price": 89.98, "currency": "USD"]))
        #expect(diff.lines == ["final_price: 95 → 89.98"])
    }

    @Test func addedAndRemovedKeysAreMarked() {
        let diff = RunDiff(from: completed(["a": 1, "coupon": "SAVE5"]), to: completed(["a": 1, "discount": 5.5]))
        #expect(diff.lines == [#"- coupon: "SAVE5""#, "+ discount: 5.5"])
    }

    @Test func nestedObjectsAndArraysUseDotsAndIndexes() {
        let old: FlowValue = ["order": ["items": [["price": 10], ["price": 20]], "id": "A"]]
        let new: FlowValue = ["order": ["items": [["price": 10], ["price": 25], ["price": 1]], "id": "A"]]
        #expect(
            RunDiff(from: completed(old), to: completed(new)).lines == [
                "order.items[1].price: 20 → 25",
                #"+ order.items[2]: {"price":1}"#,
            ]
        )
    }

    @Test func keysThatAreNotPlainNamesAreQuoted() {
        let diff = RunDiff(from: completed(["a b": 1]), to: completed(["a b": 2]))
        #expect(diff.lines == [#"["a b"]: 1 → 2"#])
    }

    @Test func integerAndEqualDoubleAreTheSame() {
        #expect(RunDiff(from: completed(["n": 95]), to: completed(["n": 95.0])).isEmpty)
    }

    @Test func changeOfTypeIsAChangeNotAnAddAndRemove() {
        let diff = RunDiff(from: completed(["v": ["x": 1]]), to: completed(["v": [1]]))
        #expect(diff.lines == [#"v: {"x":1} → [1]"#])
    }

    @Test func successTurningIntoFailureShowsStatusAndErrorNotVanishedOutputs() {
        let failed = RunSummary(status: .failed, message: "card declined", errorType: "TaskError", failedStep: "charge")
        let diff = RunDiff(from: completed(["total": 5]), to: failed)
        #expect(diff.lines == ["status: completed → failed", #"+ message: "card declined""#])
    }

    @Test func changedErrorMessageBetweenTwoFailures() {
        let before = RunSummary(status: .failed, message: "timeout")
        let after = RunSummary(status: .failed, message: "card declined")
        #expect(RunDiff(from: before, to: after).lines == [#"message: "timeout" → "card declined""#])
    }

    @Test func identicalRunsHaveNoChanges() {
        #expect(RunDiff(from: completed(["a": [1, 2]]), to: completed(["a": [1, 2]])).isEmpty)
    }

    @Test func longValuesAreCut() {
        let long = String(repeating: "x", count: 500)
        let line = RunDiff(from: completed([:]), to: completed(["s": .string(long)])).lines.first ?? ""
        #expect(line.hasSuffix("…"))
        #expect(line.count < 200)
    }

    @Test func wireJSONOfEachStatusReadsBack() throws {
        let failed = try #require(
            RunSummary(json: ["success": false, "error": "boom", "error_type": "TaskError", "failed_step": "s1"]))
        #expect(failed == RunSummary(status: .failed, message: "boom", errorType: "TaskError", failedStep: "s1"))
        let ended = try #require(
            RunSummary(json: ["success": true, "terminated": true, "reason": "done", "outputs": ["a": 1]]))
        #expect(ended == RunSummary(status: .terminated, outputs: ["a": 1], message: "done"))
        #expect(RunSummary(json: ["outputs": [:]]) == nil)
    }
}
