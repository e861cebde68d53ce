import Foundation

/// The command line: every option is required but `--lease-ms` and `--sweep-ms`.
struct Options {
    var port: Int
    /// An SQLite file's path, or a `postgres://` (`postgresql://`) URL.
    var database: String
    var effects: String
    var generation: Int
    var stepMilliseconds: Int
    /// PostgreSQL's lease, when not the store's default.
    var lease: Duration?
    /// How often PostgreSQL's unheld runs are looked for, when not the store's default (a second, or half a shorter lease).
    var sweepInterval: Duration?

    init(_ arguments: ArraySlice<String>) throws {
        var values: [String: String] = [:]
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard flag.hasPrefix("--"), let value = rest.popFirst() else { throw UsageError("unexpected '\(flag)'") }
            values[String(flag.dropFirst(2))] = value
        }
        func value(_ name: String) throws -> String {
            guard let value = values[name] else { throw UsageError("--\(name) is required") }
            return value
        }
        func milliseconds(_ name: String) throws -> Duration? {
            guard let text = values[name] else { return nil }
            guard let value = Int(text), value > 0 else { throw UsageError("--\(name) takes a positive integer") }
            return .milliseconds(value)
        }
        guard let port = Int(try value("port")), let generation = Int(try value("generation")),
            let stepMilliseconds = Int(try value("step-ms"))
        else {
            throw UsageError("--port, --generation and --step-ms take integers")
        }
        self.stepMilliseconds = stepMilliseconds
        self.port = port
        self.database = try value("database")
        self.effects = try value("effects")
        self.generation = generation
        self.lease = try milliseconds("lease-ms")
        self.sweepInterval = try milliseconds("sweep-ms")
    }

    /// `--database` as a `DATABASE_URL`: a path is an SQLite file.
    var databaseURL: String {
        database.contains("://") ? database : "sqlite://" + database
    }
}

struct UsageError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description =
            "usage: FlowCrashTestServer --port P --database PATH|URL --effects FILE --generation N --step-ms MS "
            + "[--lease-ms MS] [--sweep-ms MS]: \(description)"
    }
}
