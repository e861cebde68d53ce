import FlowCore
import FuzzSupport

/// A flow file's text through the loader and its validation: YAML parsing, the flow builder and every diagnostic.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFlowLoader(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let yaml = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        let flow = try FlowLoader().load(yaml: yaml, file: "fuzz.yaml")
        _ = flow.warnings.map(\.description)
    } catch {
        _ = error.diagnostics.map(\.description)
    }
    return 0
}

@main
enum FuzzFlowLoaderMain {
    static func main() { runLibFuzzer(fuzzFlowLoader) }
}
