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
        print(
            "task:       Noop(value) → {\"ok\": true}, \(options.sharedOutput ? "one prebuilt value (--shared-output)" : "built on every call")"
        )
        print("cpus:       \(ProcessInfo.processInfo.activeProcessorCount) active")
        print()
    }

    static func benchmark(_ flow: BenchFlow, loader: FlowLoader, executor: FlowExecutor, options: Options) async -> Row
    {
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
                return [
                    row.flow.name, "-", fixed(row.loadPerStepDefinition.seconds * 1e6, 1), "-", "-",
                    us(row.executePerUnit), "-", "-", row.eventsPerUnit.map(us) ?? "-",
                ]
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
        print(
            "Compared with the original (Python, /work/shared/reference/README.md §7; its load = yaml.safe_load only)")
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
