// Engine benchmark: load and execution overhead of FlowLang on the reference flows.
//
// Run by hand, not in CI:   scripts/bench-engine.sh [DIR | --flows DIR] [--iterations N] [--events]
//                                                  [--filter TEXT] [--load-iterations N] [--shared-output]
// (see `--help` and docs/benchmarks.md).
//
// For every `<kind>_<N>.yaml` in the directory (kind: seq, foreach, parallel) it measures, with ContinuousClock,
// the median of N timed runs after one warm-up run:
//   (a) load:     YAML text → FlowDefinition (`FlowLoader().load(yaml:)`), per flow and per step definition;
//   (b) execute:  a pre-loaded flow (`FlowExecutor.execute`), per unit = per step / item / branch;
//   (c) events:   the same with an observer attached that only counts events (with `--events`).
// Every run is checked: a status other than `.completed` prints the failure and exits with status 1.

import FlowCore
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Command line

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
                guard let count = Int(value(of: argument)), count >= 1 else { fail("--iterations needs a positive integer") }
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

// MARK: - Flows

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

// MARK: - Measuring

/// An observer that only counts the events it receives.
final class CountingObserver: ExecutionObserver {
    let count = Atomic<Int>(0)

    func receive(_ event: ExecutionEvent) {
        count.add(1, ordering: .relaxed)
    }
}

/// Process CPU time, to tell machine noise (wall ≫ CPU) from engine cost.
func processCPUTime() -> Duration {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

struct Sample {
    var wall: Duration
    var cpu: Duration
}

/// Median wall and CPU time (each its own median) of `iterations` runs after one warm-up run.
func measure(iterations: Int, _ body: () async -> Void) async -> Sample {
    await body()
    let clock = ContinuousClock()
    var walls: [Duration] = []
    var cpus: [Duration] = []
    walls.reserveCapacity(iterations)
    cpus.reserveCapacity(iterations)
    for _ in 0..<iterations {
        let cpuStart = processCPUTime()
        let start = clock.now
        await body()
        let end = clock.now
        let cpuEnd = processCPUTime()
        walls.append(end - start)
        cpus.append(cpuEnd - cpuStart)
    }
    return Sample(wall: median(walls), cpu: median(cpus))
}

func median(_ values: [Duration]) -> Duration {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

func failRun(_ message: String) -> Never {
    print("FAILED: \(message)")
    exit(1)
}

// MARK: - Results and the original's figures

struct Row {
    var flow: BenchFlow
    var stepDefinitions: Int
    var load: Sample
    var execute: Sample
    var withEvents: Sample?
    var eventsPerRun: Int?

    var loadPerStepDefinition: Duration { load.wall / stepDefinitions }
    var executePerUnit: Duration { execute.wall / flow.units }
    var eventsPerUnit: Duration? { withEvents.map { $0.wall / flow.units } }
}

/// The Python original's figures, /work/shared/reference/README.md §7 (ms; median of 7).
struct OriginalFigures {
    var yamlLoadMs: Double
    var executeMs: Double
    var withEventsMs: Double
    var microsPerUnit: Double

    static let byFlow: [String: OriginalFigures] = [
        "seq_10": .init(yamlLoadMs: 2.08, executeMs: 0.114, withEventsMs: 0.156, microsPerUnit: 11.4),
        "seq_100": .init(yamlLoadMs: 17.0, executeMs: 1.07, withEventsMs: 1.42, microsPerUnit: 10.7),
        "seq_1000": .init(yamlLoadMs: 192, executeMs: 11.5, withEventsMs: 14.3, microsPerUnit: 11.5),
        "foreach_100": .init(yamlLoadMs: 0.65, executeMs: 1.10, withEventsMs: 1.44, microsPerUnit: 11.0),
        "foreach_1000": .init(yamlLoadMs: 0.65, executeMs: 11.0, withEventsMs: 14.3, microsPerUnit: 11.0),
        "foreach_10000": .init(yamlLoadMs: 0.67, executeMs: 108, withEventsMs: 141, microsPerUnit: 10.8),
        "parallel_10": .init(yamlLoadMs: 2.10, executeMs: 0.165, withEventsMs: 0.200, microsPerUnit: 16.5),
        "parallel_100": .init(yamlLoadMs: 17.7, executeMs: 1.50, withEventsMs: 1.84, microsPerUnit: 15.0),
        "parallel_1000": .init(yamlLoadMs: 210, executeMs: 16.5, withEventsMs: 20.6, microsPerUnit: 16.5),
    ]
}

func ms(_ duration: Duration) -> String { String(format: "%.3f", duration.seconds * 1e3) }
func us(_ duration: Duration) -> String { String(format: "%.3f", duration.seconds * 1e6) }
func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

/// A plain text table: columns padded, numbers right-aligned, first column left-aligned.
func table(_ header: [String], _ rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { column, cell in
            let padding = String(repeating: " ", count: widths[column] - cell.count)
            return column == 0 ? cell + padding : padding + cell
        }.joined(separator: "  ")
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
}

// MARK: - Main

@main
struct BenchmarkMain {
    static func main() async {
        let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let directory = URL(fileURLWithPath: options.directory, isDirectory: true, relativeTo: base).standardizedFileURL
        let flows = loadFlows(from: directory, filter: options.filter)

        var registry = TaskRegistry()
        // `Noop(value)` → {"ok": true}, built on every call like the original's `return {"ok": True}`;
        // `--shared-output` returns one prebuilt value instead, leaving only the engine's own cost.
        if options.sharedOutput {
            let ok: FlowValue = ["ok": true]
            registry.register("Noop") { _, _ in ok }
        } else {
            registry.register("Noop") { _, _ in ["ok": true] }
        }
        let executor = FlowExecutor(registry: registry)
        let loader = FlowLoader()

        printHeader(directory: directory, options: options, flows: flows)
        var rows: [Row] = []
        for flow in flows {
            let row = await benchmark(flow, loader: loader, executor: executor, options: options)
            rows.append(row)
            let events = row.eventsPerUnit.map { ", events \(us($0)) µs/\(flow.kind.unitName)" } ?? ""
            print(
                "  \(flow.name): load \(ms(row.load.wall)) ms, execute \(ms(row.execute.wall)) ms"
                    + " = \(us(row.executePerUnit)) µs/\(flow.kind.unitName)\(events)"
            )
        }
        print()
        printResults(rows, options: options)
    }

    static func loadFlows(from directory: URL, filter: String?) -> [BenchFlow] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            Options.fail("cannot read the flow directory \(directory.path): \(error.localizedDescription)")
        }
        var flows: [BenchFlow] = []
        for name in names.sorted() where name.hasSuffix(".yaml") {
            if let filter, !name.contains(filter) { continue }
            guard let (kind, units) = BenchFlow.shape(ofFileName: name) else {
                print("skipping \(name): not named <seq|foreach|parallel>_<N>.yaml")
                continue
            }
            let path = directory.appendingPathComponent(name).path
            guard let yaml = try? String(contentsOfFile: path, encoding: .utf8) else {
                failRun("cannot read \(path) as UTF-8 text")
            }
            flows.append(BenchFlow(name: String(name.dropLast(5)), path: path, kind: kind, units: units, yaml: yaml))
        }
        guard !flows.isEmpty else { Options.fail("no <kind>_<N>.yaml flows in \(directory.path)") }
        return flows.sorted { ($0.kind.order, $0.units) < ($1.kind.order, $1.units) }
    }

    static func printHeader(directory: URL, options: Options, flows: [BenchFlow]) {
        #if DEBUG
            print("WARNING: debug build; numbers are meaningless. Use: swift build -c release --product FlowBenchmark")
        #endif
        print("FlowLang engine benchmark")
        print("flows:      \(directory.path) (\(flows.count) files)")
        print("iterations: \(options.iterations) timed runs after 1 warm-up, median (ContinuousClock)")
        if let loadIterations = options.loadIterations, loadIterations != options.iterations {
            print("            load: \(loadIterations) timed runs after 1 warm-up")
        }
        print("events:     \(options.events ? "measured with a counting observer" : "not measured (pass --events)")")
        print("task:       Noop(value) → {\"ok\": true}, \(options.sharedOutput ? "one prebuilt value (--shared-output)" : "built on every call")")
        print("cpus:       \(ProcessInfo.processInfo.activeProcessorCount) active")
        print()
    }

    static func benchmark(_ flow: BenchFlow, loader: FlowLoader, executor: FlowExecutor, options: Options) async -> Row {
        // (a) load: YAML text → FlowDefinition.
        var loadFailure: String?
        var loaded: FlowDefinition?
        let load = await measure(iterations: options.loadIterations ?? options.iterations) {
            do {
                loaded = try loader.load(yaml: flow.yaml, file: flow.path)
            } catch {
                loadFailure = "\(error)"
            }
        }
        if let loadFailure { failRun("\(flow.name) does not load:\n\(loadFailure)") }
        guard let definition = loaded else { failRun("\(flow.name) did not load") }

        let inputs: FlowValue
        do {
            inputs = try FlowValue(json: flow.inputsJSON(for: definition))
        } catch {
            failRun("\(flow.name): cannot build inputs: \(error)")
        }
        guard let inputObject = inputs.objectValue else { failRun("\(flow.name): inputs are not an object") }

        // (b) execute a pre-loaded flow, no observers.
        func run(observers: [any ExecutionObserver]) async {
            let runOptions = ExecutionOptions(executionId: "bench", observers: observers)
            let result: ExecutionResult
            do {
                result = try await executor.execute(definition, inputs: inputObject, options: runOptions)
            } catch {
                failRun("\(flow.name): inputs rejected: \(error)")
            }
            guard result.status == .completed else {
                let failure = result.failure.map { "\($0.type): \($0.message) (step \($0.failedStep ?? "-"))" }
                failRun("\(flow.name) ended \(result.status.rawValue): \(failure ?? result.reason ?? "no reason")")
            }
        }
        let execute = await measure(iterations: options.iterations) { await run(observers: []) }

        // (c) execute with a counting observer.
        var withEvents: Sample?
        var eventsPerRun: Int?
        if options.events {
            let observer = CountingObserver()
            withEvents = await measure(iterations: options.iterations) { await run(observers: [observer]) }
            let total = observer.count.load(ordering: .relaxed)
            guard total > 0 else { failRun("\(flow.name): the observer received no events") }
            eventsPerRun = total / (options.iterations + 1)
        }

        return Row(
            flow: flow,
            stepDefinitions: stepDefinitionCount(definition.steps),
            load: load,
            execute: execute,
            withEvents: withEvents,
            eventsPerRun: eventsPerRun
        )
    }

    static func printResults(_ rows: [Row], options: Options) {
        var header = [
            "flow", "YAML bytes", "step defs", "load ms", "load µs/step-def", "execute ms", "exec CPU ms", "µs/unit",
        ]
        if options.events { header += ["with-events ms", "with-events µs/unit", "events/run"] }
        let measured = rows.map { row -> [String] in
            var cells = [
                row.flow.name, String(row.flow.yamlBytes), String(row.stepDefinitions), ms(row.load.wall),
                fixed(row.loadPerStepDefinition.seconds * 1e6, 1), ms(row.execute.wall), ms(row.execute.cpu),
                us(row.executePerUnit) + " /" + row.flow.kind.unitName,
            ]
            if let withEvents = row.withEvents, let perUnit = row.eventsPerUnit {
                cells += [ms(withEvents.wall), us(perUnit), String(row.eventsPerRun ?? 0)]
            }
            return cells
        }
        print("Measured (median of \(options.iterations), wall time; exec CPU ms = process CPU time of the same runs)")
        print(table(header, measured))
        print()

        let comparison = rows.map { row -> [String] in
            guard let original = OriginalFigures.byFlow[row.flow.name] else {
                return [row.flow.name, "-", fixed(row.loadPerStepDefinition.seconds * 1e6, 1), "-", "-",
                    us(row.executePerUnit), "-", "-", row.eventsPerUnit.map(us) ?? "-"]
            }
            let originalLoadPerDefinition = original.yamlLoadMs * 1000 / Double(row.stepDefinitions)
            let perUnit = row.executePerUnit.seconds * 1e6
            let originalEventsPerUnit = original.withEventsMs * 1000 / Double(row.flow.units)
            return [
                row.flow.name,
                fixed(originalLoadPerDefinition, 1),
                fixed(row.loadPerStepDefinition.seconds * 1e6, 1),
                fixed(originalLoadPerDefinition / (row.loadPerStepDefinition.seconds * 1e6), 1) + "×",
                fixed(original.microsPerUnit, 1),
                fixed(perUnit, 3),
                fixed(original.microsPerUnit / perUnit, 1) + "×",
                fixed(originalEventsPerUnit, 1),
                row.eventsPerUnit.map(us) ?? "-",
            ]
        }
        print("Compared with the original (Python, /work/shared/reference/README.md §7; its load = yaml.safe_load only)")
        print(
            table(
                [
                    "flow", "orig load µs/step-def", "load µs/step-def", "load speed-up", "orig µs/unit", "µs/unit",
                    "exec speed-up", "orig with-events µs/unit", "with-events µs/unit",
                ],
                comparison
            )
        )
        print()
        if let seq1000 = rows.first(where: { $0.flow.name == "seq_1000" }) {
            let perStep = seq1000.executePerUnit.seconds * 1e6
            let verdict = perStep <= 1 ? "met" : "NOT met"
            print("Target ≤ 1 µs per step at seq_1000: \(fixed(perStep, 3)) µs/step — \(verdict)")
        }
        print("All runs completed (status .completed).")
    }
}
