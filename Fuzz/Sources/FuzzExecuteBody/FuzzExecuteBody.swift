import FlowCore
import FuzzSupport
import OrderedCollections

/// A flow declaring one input of each type, some required and some with defaults, as the server's execute route sees it.
///
/// Loaded for every input rather than kept in a global: LeakSanitizer reported 40 bytes of a global `FlowDefinition`
/// as leaked when the run ended (its pointers are likely kept with enum tag bits it does not recognise), while the
/// same flow loaded and dropped per input leaks nothing.
private func declaringFlow() -> FlowDefinition {
    let yaml = """
        flow: FuzzInputs
        inputs:
          - {name: text, type: string, required: true}
          - {name: count, type: integer, default: 1}
          - {name: ratio, type: number}
          - {name: flag, type: boolean, default: false}
          - {name: options, type: object}
          - {name: items, type: array, required: true}
          - {name: anything, type: any}
        steps:
          - task: Echo
            inputs:
              text: ${inputs.text}
        """
    do {
        return try FlowLoader().load(yaml: yaml, file: "fuzz-inputs.yaml")
    } catch {
        fatalError("the fuzz target's own flow does not load: \(error)")
    }
}

/// An execute request body as the server reads it: JSON to ``FlowValue`` with the server's depth limit
/// (`ExecuteRequest.maxJSONDepth`, 64), `inputs` checked and coerced against the flow's declared inputs, and each
/// value coerced to every input type.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExecuteBody(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    guard let document = try? FlowValue(json: text, maxDepth: 64), case .object(let members) = document else { return 0 }
    guard case .object(let inputs)? = members["inputs"] else { return 0 }
    do {
        _ = try InputValidator.validate(inputs, for: declaringFlow())
    } catch {
        _ = error.problems.map(\.message)
    }
    for value in inputs.values {
        for type in InputType.allCases {
            _ = InputCoercion.coerce(value, to: type)
        }
    }
    return 0
}

@main
enum FuzzExecuteBodyMain {
    static func main() { runLibFuzzer(fuzzExecuteBody) }
}
