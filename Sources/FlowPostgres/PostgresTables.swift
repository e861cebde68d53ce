import Foundation

/// The store's tables in its schema, as quoted SQL identifiers, and the keys of its advisory locks.
///
/// Identifiers cannot be bind parameters, so they are quoted (a `"` doubled) and spliced into statements; every
/// value is bound.
struct PostgresTables: Sendable {
    /// The schema's name, unquoted.
    let schema: String
    let quotedSchema: String
    /// `"schema"."flowlang_executions"`.
    let executions: String
    /// `"schema"."flowlang_migrations"`: the names of the migrations applied.
    let migrations: String
    /// `"schema"."flowlang_step_journal"`: each execution's task steps' outcomes.
    let journal: String
    /// `"schema"."flowlang_live_events"`: the events of running executions, for instances following them.
    let liveEvents: String
    /// Held while migrating, so instances starting together migrate one after the other.
    let migrationLockKey: Int64
    /// Held by the one transaction deleting old records at a time; others skip eviction rather than wait.
    let evictionLockKey: Int64
    /// The `LISTEN`/`NOTIFY` channel of the instances on this schema (a hash: channel names are short).
    let noticeChannel: String

    init(schema: String) {
        self.schema = schema
        quotedSchema = Self.quoted(schema)
        executions = quotedSchema + "." + Self.quoted("flowlang_executions")
        migrations = quotedSchema + "." + Self.quoted("flowlang_migrations")
        journal = quotedSchema + "." + Self.quoted("flowlang_step_journal")
        liveEvents = quotedSchema + "." + Self.quoted("flowlang_live_events")
        migrationLockKey = Self.lockKey("flowlang.migrate:" + schema)
        evictionLockKey = Self.lockKey("flowlang.evict:" + schema)
        noticeChannel = "flowlang_" + String(UInt64(bitPattern: Self.lockKey("flowlang.notices:" + schema)), radix: 16)
    }

    /// `identifier` as a quoted SQL identifier.
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A 64-bit FNV-1a hash of `text`: the same in every process, unlike `Hasher`, so every instance takes the
    /// same lock.
    static func lockKey(_ text: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
