import Foundation
import OrderedCollections

/// `flowlang run`: loads a flow, parses inputs, runs it, and renders the result with an exit code.
public enum FlowRun {
    /// What to print and how to exit.
    public struct Outcome: Sendable {
        public var text: String
        /// 0 success or terminated, 1 failed or cancelled, 2 invalid flow or inputs.
        public var exitCode: Int32
    }

    /// Runs `file` with inputs given as JSON text or `@path` to a JSON file; `connections` serves the flow's
    /// database connections.
    public static func run(
        file: String,
        inputsArgument: String,
        json: Bool,
        registry: TaskRegistry = TaskRegistry(),
        connections: (any ConnectionProvider)? = nil
    ) async -> Outcome {
        let flow: FlowDefinition
        do {
            flow = try FlowLoader(requiresEnvironment: true).load(contentsOf: file)
        } catch {
            return Outcome(text: error.description, exitCode: 2)
        }
        let inputs: OrderedDictionary<String, FlowValue>
        switch parseInputs(inputsArgument) {
        case .success(let parsed): inputs = parsed
        case .failure(let message): return Outcome(text: "error: --inputs: \(message)", exitCode: 2)
        }
        let executor = FlowExecutor(registry: registry, connections: connections)
        let result: ExecutionResult
        do {
            result = try await executor.execute(flow, inputs: inputs)
        } catch {
            let lines = error.problems.map { "error: input '\($0.input)': \($0.message)" }
            return Outcome(text: lines.joined(separator: "\n"), exitCode: 2)
        }
        let text = json ? result.json.prettyJSON() : render(result)
        return Outcome(text: text, exitCode: result.isSuccess ? 0 : 1)
    }

    enum ParsedInputs {
        case success(OrderedDictionary<String, FlowValue>)
        case failure(String)
    }

    static func parseInputs(_ argument: String) -> ParsedInputs {
        var text = argument
        if argument.hasPrefix("@") {
            let path = String(argument.dropFirst())
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                return .failure("cannot read the inputs file '\(path)'")
            }
            text = contents
        }
        do {
            guard case .object(let members) = try FlowValue(json: text) else {
                return .failure("inputs must be a JSON object such as {\"name\": \"Alice\"}")
            }
            return .success(members)
        } catch {
            return .failure(error.description)
        }
    }

    static func render(_ result: ExecutionResult) -> String {
        let duration = FlowValue.render((result.duration.inMilliseconds * 100).rounded() / 100)
        var lines: [String]
        switch result.status {
        case .completed:
            lines = ["Flow '\(result.flowName)' completed in \(duration) ms"]
        case .terminated:
            lines = ["Flow '\(result.flowName)' ended at an exit step: \(result.reason ?? "")"]
        case .failed:
            let failure = result.failure
            let step = failure?.failedStep.map { " at step '\($0)'" } ?? ""
            lines = ["Flow '\(result.flowName)' failed\(step): \(failure?.message ?? "") (\(failure?.type ?? ""))"]
        case .cancelled:
            lines = ["Flow '\(result.flowName)' was cancelled: \(result.reason ?? "")"]
            lines += result.cleanupErrors.map { "  cleanup error: \($0)" }
        }
        if result.status == .completed || result.status == .terminated {
            lines.append(result.outputs.isEmpty ? "outputs: {}" : "outputs:")
            for (name, value) in result.outputs { lines.append("  \(name): \(value.jsonText)") }
        }
        return lines.joined(separator: "\n")
    }
}

extension FlowValue {
    /// JSON with two-space indentation, keys in insertion order.
    public func prettyJSON(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .array(let elements) where !elements.isEmpty:
            return "[\n" + elements.map { inner + $0.prettyJSON(indent: inner) }.joined(separator: ",\n")
                + "\n\(indent)]"
        case .object(let members) where !members.isEmpty:
            let lines = members.map { key, value in
                inner + FlowValue.string(key).jsonText + ": " + value.prettyJSON(indent: inner)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        default:
            return jsonText
        }
    }
}
