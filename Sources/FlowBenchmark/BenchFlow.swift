import FlowCore
import Foundation
import Synchronization

/// One benchmark flow: its file, shape and pre-built inputs.
struct BenchFlow {
    enum Kind: String {
        case seq, foreach, parallel

        var unitName: String {
            switch self {
            case .seq: "step"
            case .foreach: "item"
            case .parallel: "branch"
            }
        }

        var order: Int {
            switch self {
            case .seq: 0
            case .foreach: 1
            case .parallel: 2
            }
        }
    }

    var name: String
    var path: String
    var kind: Kind
    /// Steps, items or branches, from the file name.
    var units: Int
    var yaml: String

    var yamlBytes: Int { yaml.utf8.count }

    /// `seq_1000.yaml` → (.seq, 1000); anything else → nil.
    static func shape(ofFileName fileName: String) -> (Kind, Int)? {
        guard fileName.hasSuffix(".yaml") else { return nil }
        let stem = fileName.dropLast(".yaml".count)
        guard let underscore = stem.lastIndex(of: "_"),
            let kind = Kind(rawValue: String(stem[..<underscore])),
            let units = Int(stem[stem.index(after: underscore)...]), units > 0
        else { return nil }
        return (kind, units)
    }

    /// The flow's declared inputs: integers get 1, arrays get `units` integers 0..<units.
    func inputsJSON(for flow: FlowDefinition) -> String {
        let members = flow.inputs.map { input -> String in
            let value: String
            switch input.type {
            case .array: value = "[" + (0..<units).map(String.init).joined(separator: ",") + "]"
            case .integer, .number, .any: value = "1"
            case .string: value = "\"x\""
            case .boolean: value = "true"
            case .object: value = "{}"
            }
            return "\"\(input.name)\":\(value)"
        }
        return "{" + members.joined(separator: ",") + "}"
    }
}

/// Every step definition in a flow, nested ones included (seq N: N; for_each: loop + body; parallel N: N + 1).
func stepDefinitionCount(_ steps: [Step]) -> Int {
    steps.reduce(0) { count, step in count + 1 + step.childStepLists.reduce(0) { $0 + stepDefinitionCount($1) } }
}
