import Logging
import OrderedCollections

/// Tasks every flow can use without Swift code.
enum BuiltinTasks {
    static let all: [RegisteredTask] = [echo, fail, sleep, log]

    /// `Echo`: returns its inputs as an object.
    static let echo = builtin("Echo", "Returns its inputs unchanged, as an object.") { inputs, _ in inputs }

    /// `Fail`: fails with `message` and optional `type`.
    static let fail = builtin("Fail", "Fails with the given message and optional error type.") { inputs, _ in
        let message = inputs["message"]?.interpolationText ?? inputs["msg"]?.interpolationText ?? "Task failed"
        let type = inputs["type"]?.stringValue ?? "TaskError"
        throw TaskError(message, type: type)
    }

    /// `Sleep`: waits `ms` milliseconds on the execution's clock; cancellable.
    static let sleep = builtin("Sleep", "Waits for 'ms' milliseconds; stops early when cancelled.") { inputs, context in
        guard let milliseconds = inputs["ms"]?.doubleValue, milliseconds >= 0, milliseconds.isFinite else {
            throw TaskError("Sleep needs a non-negative number 'ms'", type: "InvalidTaskInput")
        }
        try await context.clock.sleep(for: .milliseconds(Int64(milliseconds.rounded())))
        return ["slept_ms": inputs["ms"] ?? .int(0)]
    }

    /// `Log`: writes `message` to the execution's logger at `level` (default info).
    static let log = builtin("Log", "Writes 'message' to the log at 'level' (default info).") { inputs, context in
        let message = inputs["message"]?.interpolationText ?? ""
        let levelName = inputs["level"]?.stringValue?.lowercased() ?? "info"
        guard let level = Logger.Level(rawValue: levelName == "warn" ? "warning" : levelName) else {
            throw TaskError(
                "Log level '\(levelName)' is not one of trace, debug, info, notice, warning, error, critical",
                type: "InvalidTaskInput")
        }
        context.logger.log(level: level, "\(message)")
        return ["logged": true, "message": .string(message), "level": .string(level.rawValue)]
    }

    private static func builtin(_ name: String, _ description: String, _ handler: @escaping TaskHandler)
        -> RegisteredTask
    {
        RegisteredTask(name: name, description: description, isImplemented: true, isBuiltin: true, handler: handler)
    }
}
