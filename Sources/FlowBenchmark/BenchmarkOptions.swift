import FlowCore
import Foundation
import Synchronization

struct Options {
    var directory = "../shared/reference/engine-flows"
    var iterations = 7
    /// Timed load runs; `--iterations` unless given (1 keeps load out of an execution profile).
    var loadIterations: Int?
    var events = false
    /// Noop returns one prebuilt `{"ok": true}` instead of building it per call.
    var sharedOutput = false
    var filter: String?

    static let usage = """
        usage: FlowBenchmark [DIR | --flows DIR] [--iterations N] [--events] [--filter TEXT]
                             [--load-iterations N] [--shared-output]

          DIR, --flows DIR     directory of <kind>_<N>.yaml flows (kind: seq, foreach, parallel);
                               default ../shared/reference/engine-flows, resolved from the current directory
          --iterations N       timed runs per measurement after one warm-up run; the median is reported (default 7)
          --events             also execute with an event observer attached (one that only counts events)
          --filter TEXT        only flows whose file name contains TEXT (e.g. seq_1000), for profiling
          --load-iterations N  timed load runs (default: --iterations); 1 keeps loading out of an execution profile
          --shared-output      Noop returns one prebuilt {"ok": true} instead of building it on every call,
                               so execution times exclude the task's own allocation
        """

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var positional: [String] = []
        var index = 0
        func value(of flag: String) -> String {
            index += 1
            guard index < arguments.count else { fail("\(flag) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--flows": options.directory = value(of: argument)
            case "--iterations", "-n":
                guard let count = Int(value(of: argument)), count >= 1 else {
                    fail("--iterations needs a positive integer")
                }
                options.iterations = count
            case "--load-iterations":
                guard let count = Int(value(of: argument)), count >= 1 else {
                    fail("--load-iterations needs a positive integer")
                }
                options.loadIterations = count
            case "--events": options.events = true
            case "--shared-output": options.sharedOutput = true
            case "--filter": options.filter = value(of: argument)
            case "--help", "-h":
                print(usage)
                exit(0)
            default:
                if argument.hasPrefix("-") { fail("unknown option \(argument)") }
                positional.append(argument)
            }
            index += 1
        }
        if positional.count > 1 { fail("expected at most one flow directory, got \(positional.count)") }
        if let directory = positional.first { options.directory = directory }
        return options
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("FlowBenchmark: \(message)\n\n\(usage)\n".utf8))
        exit(2)
    }
}
