import FlowCore
import FuzzSupport
import OrderedCollections

/// The values a fuzzed condition can reference: `${inputs.*}`, `${steps.*}` and a few shapes of each kind.
private struct FuzzScope: ReferenceScope {
    let roots: [String: FlowValue] = [
        "inputs": [
            "name": "Ada", "count": 3, "ratio": 0.5, "flag": true, "none": .null,
            "list": [1, "two", 3.0, [4]], "map": ["a": 1, "b": ["c": "d"]],
        ],
        "steps": ["fetch": ["output": ["status": 200, "items": [1, 2, 3]], "success": true]],
    ]

    func value(forRoot name: String) -> FlowValue? { roots[name] }
}

/// Condition text (as written in `when:` / `if:`) is parsed, then every parsed expression is evaluated.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCondition(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    guard let expression = try? ConditionParser.parse(text) else { return 0 }
    _ = expression.references
    _ = try? expression.evaluate(in: FuzzScope())
    return 0
}

@main
enum FuzzConditionMain {
    static func main() { runLibFuzzer(fuzzCondition) }
}
