import FlowServer
import FuzzSupport

/// A `.env` file's text through the server's parser.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDotEnv(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        let env = try DotEnv(parsing: text, path: ".env")
        _ = env.values.count
    } catch {
        _ = error.description
    }
    return 0
}

@main
enum FuzzDotEnvMain {
    static func main() { runLibFuzzer(fuzzDotEnv) }
}
