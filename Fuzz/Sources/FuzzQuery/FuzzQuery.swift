import FuzzSupport
import Hummingbird
import HummingbirdCore
import OrderedCollections

/// A request target (path and query) as the server's routes read it: Hummingbird's URI and query parsing, then the
/// reads FlowServer makes — `limit` as an Int clamped at 0 (`GET /executions`), `wait` (`POST .../execute`),
/// `format` (`GET /flows`), `execution_id` (cancel), and every pair copied for a webhook's `query` inputs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let target = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let uri = URI(target)
    _ = uri.path
    let parameters = uri.queryParameters
    let limit = parameters.get("limit", as: Int.self).map { max(0, $0) } ?? 100
    precondition(limit >= 0, "\(target): limit \(limit) is negative")
    _ = parameters.get("wait")?.lowercased() == "false"
    _ = parameters.get("format")?.lowercased() ?? "json"
    _ = parameters.get("execution_id").map { $0.isEmpty }
    var query = OrderedDictionary<String, String>()
    for (key, value) in parameters where query[String(key)] == nil {
        query[String(key)] = String(value)
    }
    return 0
}

@main
enum FuzzQueryMain {
    static func main() { runLibFuzzer(fuzzQuery) }
}
