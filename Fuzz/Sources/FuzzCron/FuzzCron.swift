import FlowServer
import Foundation
import FuzzSupport

/// A schedule trigger's cron text through the parser, then the next few run times in UTC and a zone with DST.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCron(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    guard let cron = try? CronExpression(text) else { return 0 }
    for zone in [TimeZone(identifier: "UTC"), TimeZone(identifier: "Europe/Berlin")].compactMap({ $0 }) {
        var date = Date(timeIntervalSince1970: 1_774_746_000)  // 2026-03-29 01:00 UTC, Berlin's spring-forward
        for _ in 0..<3 {
            guard let next = cron.nextDate(after: date, in: zone) else { break }
            precondition(next > date, "\(text): next run \(next) is not after \(date)")
            date = next
        }
    }
    return 0
}

@main
enum FuzzCronMain {
    static func main() { runLibFuzzer(fuzzCron) }
}
