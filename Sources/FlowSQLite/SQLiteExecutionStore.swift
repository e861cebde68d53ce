public import FlowCore
public import FlowServer
public import Foundation
import GRDB
import Synchronization

/// An ``ExecutionStore`` in one SQLite file: execution records survive restarts of the server.
///
/// The file is opened in WAL mode with a busy timeout and migrated at start. One server uses a file at a
/// time: a second one is refused at start (``SQLiteStoreError/inUse(path:)``) rather than risk two writers
/// racing on the same runs; several instances share work through PostgreSQL instead. Every change is made by the
/// file's one writer, so changes never interleave: it applies the ``ExecutionTransition`` to the stored record, or
/// writes a record encoded by the caller where the stored one is known to be the one it was encoded from (a
/// run's end, a creation not written yet); changes made at the same time share a transaction and its commit
/// (``GroupCommit``), and each returns once it is committed. Finished records are kept by count and age, deleted
/// in the background (``purge(at:)``); running ones are never deleted. Task steps are journaled
/// (``StepJournal``), so runs left running by a server that stopped are resumed by the next one on this file
/// (``claimInterrupted(maxResumes:at:)``).
public final class SQLiteExecutionStore: ExecutionStore {
    public let path: String
    let database: DatabasePool
    private let writes: GroupCommit
    private let lock: FileLock
    let maxRecords: Int
    let maxAge: Duration
    /// The runs a previous server left running when it stopped (a crash, a kill), found at open: the file's
    /// lock proves no other server runs them.
    public let interruptedRuns: [ExecutionID]
    /// The ``interruptedRuns`` not claimed yet: each is claimed at most once per open.
    private let unclaimed: Mutex<[ExecutionID]>
    /// Creations queued (``queueCreate(_:)``) and not written yet, which the run's end can replace.
    private let unwrittenCreations = Mutex<[ExecutionID: UnwrittenCreation]>([:])

    /// Opens (creating if needed) the database at `path`.
    ///
    /// - Throws: ``SQLiteStoreError`` naming the file and what to do.
    public init(path: String, maxRecords: Int = 1000, maxAge: Duration = .seconds(3600)) throws(SQLiteStoreError) {
        self.path = path
        self.maxRecords = max(1, maxRecords)
        self.maxAge = maxAge
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .cannotOpen(
                    path: path,
                    reason: "cannot create the directory \(directory); \(SQLiteStoreError.checkTheDirectory)")
            }
        }
        lock = try FileLock(path: path + ".lock", database: path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "flowlang.executions"
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            // Every commit reaches the disk before its caller goes on (FULL), so what the server acknowledged
            // survives a power cut too; ``GroupCommit`` shares each sync among the changes made at the same moment.
            // Set on the writer once the pool is open: opening it sets WAL mode with `synchronous = NORMAL`.
            try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator.migrate(database)
            interruptedRuns = try database.read { db in
                try String.fetchAll(
                    db, sql: "SELECT id FROM executions WHERE status = 'running' ORDER BY start_time, id"
                )
                .map(ExecutionID.init(rawValue:))
            }
            unclaimed = Mutex(interruptedRuns)
        } catch {
            throw .opening(path, failedWith: error)
        }
        writes = GroupCommit(database: database)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-executions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE executions (
                        id TEXT PRIMARY KEY NOT NULL,
                        flow TEXT NOT NULL,
                        status TEXT NOT NULL,
                        start_time REAL NOT NULL,
                        end_time REAL,
                        document TEXT NOT NULL
                    );
                    CREATE INDEX executions_by_flow ON executions (flow, start_time);
                    CREATE INDEX executions_by_start ON executions (start_time);
                    """
            )
        }
        migrator.registerMigration("2-idempotency-keys") { db in
            try db.execute(
                sql: """
                    ALTER TABLE executions ADD COLUMN idempotency_key TEXT;
                    CREATE UNIQUE INDEX executions_by_idempotency_key ON executions (flow, idempotency_key)
                        WHERE idempotency_key IS NOT NULL;
                    """
            )
        }
        migrator.registerMigration("3-step-journal") { db in
            try db.execute(
                sql: """
                    CREATE TABLE step_journal (
                        execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
                        path TEXT NOT NULL,
                        finished_at REAL NOT NULL,
                        entry TEXT NOT NULL,
                        PRIMARY KEY (execution_id, path)
                    ) WITHOUT ROWID
                    """
            )
        }
        // Listings read the index alone until a row matches: the filters' columns are in it, the documents are not.
        migrator.registerMigration("4-executions-newest-first") { db in
            try db.execute(
                sql: """
                    CREATE INDEX executions_newest_first ON executions (start_time, id, flow, status, idempotency_key);
                    CREATE INDEX executions_by_flow_newest_first ON executions (flow, start_time, id, status, idempotency_key);
                    """
            )
        }
        // Eviction by age reads finished records by their end.
        migrator.registerMigration("5-finished-by-end-time") { db in
            try db.execute(sql: "CREATE INDEX executions_finished ON executions (end_time) WHERE status != 'running'")
        }
        // Indexes that others serve as well, each costing every write its upkeep: every query by start time reads
        // `executions_newest_first` (records of the same start time in id order), listings by flow
        // `executions_by_flow_newest_first`, and eviction by age walks the start times (a record that ended
        // before the cutoff started before it).
        migrator.registerMigration("6-drop-redundant-indexes") { db in
            try db.execute(
                sql: "DROP INDEX executions_by_flow; DROP INDEX executions_by_start; DROP INDEX executions_finished"
            )
        }
        return migrator
    }

    public func create(_ record: ExecutionRecord) async throws {
        let row = Self.row(record)
        try await writes.write(of: record.id) { db in try Self.insert(row, db) }
    }

    public var queuesWrites: Bool { true }

    /// Queues the record's creation; a run that ends before it is written has it written finished instead
    /// (``UnwrittenCreation``).
    public func queueCreate(_ record: ExecutionRecord) -> QueuedWrite {
        let creation = UnwrittenCreation(record)
        unwrittenCreations.withLock { $0[record.id] = creation }
        let ticket = writes.submit(of: record.id, mayWait: true) { [self] db in
            unwrittenCreations.withLock { creations in
                if creations[record.id] === creation { creations[record.id] = nil }
            }
            try creation.write(encode: { Self.row($0) }) { row in try Self.insert(row, db) }
        }
        return QueuedWrite { try await ticket.value() }
    }

    /// Queues the entry's write. A run whose creation is still queued often ends before both are written: its
    /// finished record then replaces its creation, and its journal, which only a run resumed after a crash reads,
    /// is not written at all. So the entry is encoded only once it is to be written.
    public func queueJournal(_ entry: StepJournalEntry, execution id: ExecutionID) -> QueuedWrite {
        let creation = unwrittenCreations.withLock { $0[id] }
        let row = creation == nil ? Self.journalRow(entry, execution: id) : nil
        let ticket = writes.submit(of: id, mayWait: true) { db in
            if creation?.wroteFinishedRecord == true { return }
            try Self.insertJournal(row ?? Self.journalRow(entry, execution: id), db)
        }
        return QueuedWrite { try await ticket.value() }
    }

    public func createOnce(_ record: ExecutionRecord) async throws -> ExecutionRecord {
        let row = Self.row(record)
        return try await writes.write(of: record.id) { db in
            if let key = record.idempotencyKey,
                let existing = try String.fetchOne(
                    db,
                    sql: "SELECT document FROM executions WHERE flow = ? AND idempotency_key = ?",
                    arguments: [record.flowName, key]
                )
            {
                return try ExecutionRecord(storageText: existing)
            }
            try Self.insert(row, db)
            return record
        }
    }

    /// A new record's row, encoded by the caller so that the one writer only writes it.
    private static func row(_ record: ExecutionRecord, document: String? = nil) -> StatementArguments {
        columns(record, document: document) + [record.idempotencyKey]
    }

    private static func insert(_ row: StatementArguments, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO executions (id, flow, status, start_time, end_time, document, idempotency_key)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: row)
    }

    public func requestCancel(id: ExecutionID, reason: String) async throws -> ExecutionRecord? {
        unwrittenCreations.withLock { $0[id] }?.keepRunning()
        return try await writes.write(of: id) { db in
            guard var record = try Self.fetch(id, db) else { return nil }
            guard (try? record.apply(.requestCancel(reason: reason))) != nil else { return record }
            try Self.update(record, db)
            return record
        }
    }

    public func finish(id: ExecutionID, result: ExecutionResult, events: [ExecutionEvent], at time: Date) async throws
        -> ExecutionRecord
    {
        try await writes.write(of: id) { db in
            try Self.finishStored(id: id, result: result, events: events, at: time, db)
        }
    }

    private static func finishStored(
        id: ExecutionID, result: ExecutionResult, events: [ExecutionEvent], at time: Date, _ db: Database
    ) throws -> ExecutionRecord {
        guard var record = try fetch(id, db) else {
            throw ExecutionTransitionError(executionId: id, status: nil, transition: "finish")
        }
        try record.apply(.finish(result: result, events: events, at: time))
        try update(record, db)
        return record
    }

    /// Writes the finished record, encoded by the caller: in place of the run's creation when that is not
    /// written yet (``queueCreate(_:)``), or over the stored record when that is still as `running` left it
    /// (running, with the same cancel request), so the one writer neither reads nor decodes it. Otherwise it
    /// finishes the stored record (``finish(id:result:events:at:)``).
    public func finish(_ running: ExecutionRecord, result: ExecutionResult, events: [ExecutionEvent], at time: Date)
        async throws -> ExecutionRecord
    {
        var finished = running
        try finished.apply(.finish(result: result, events: events, at: time))
        let document = finished.storageJSON.jsonText
        let creation = unwrittenCreations.withLock { $0.removeValue(forKey: running.id) }
        creation?.finish(with: Self.row(finished, document: document))
        let row: StatementArguments = [
            finished.status.rawValue, finished.endTime?.timeIntervalSince1970, document, finished.id.rawValue,
            running.cancelReason,
        ]
        return try await writes.write(of: finished.id) { [finished] db in
            if creation?.wroteFinishedRecord == true { return finished }
            try db.cachedStatement(
                sql: """
                    UPDATE executions SET status = ?, end_time = ?, document = ?
                    WHERE id = ? AND status = 'running' AND json_extract(document, '$.cancel_reason') IS ?
                    """
            )
            .execute(arguments: row)
            if db.changesCount > 0 { return finished }
            return try Self.finishStored(id: finished.id, result: result, events: events, at: time, db)
        }
    }

    public func record(id: ExecutionID) async throws -> ExecutionRecord? {
        try await database.read { db in try Self.fetch(id, db) }
    }

    public func records(flow: String?, limit: Int) async throws -> [ExecutionRecord] {
        let limit = max(0, limit)
        return try await database.read { db in
            let rows = try String.fetchAll(
                db,
                sql: """
                    SELECT document FROM executions WHERE (?1 IS NULL OR flow = ?1)
                    ORDER BY start_time DESC, id DESC LIMIT ?2
                    """,
                arguments: [flow, limit]
            )
            return try rows.reversed().map(ExecutionRecord.init(storageText:))
        }
    }

    public func checkReachable() async throws {
        _ = try await database.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public var keepsJournal: Bool { true }

    public func appendJournal(_ entry: StepJournalEntry, execution id: ExecutionID) async throws {
        let row = Self.journalRow(entry, execution: id)
        try await writes.write(of: id) { db in try Self.insertJournal(row, db) }
    }

    private static func journalRow(_ entry: StepJournalEntry, execution id: ExecutionID) -> StatementArguments {
        [id.rawValue, entry.path.description, entry.finishedAt.timeIntervalSince1970, entry.storageJSON.jsonText]
    }

    private static func insertJournal(_ row: StatementArguments, _ db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO step_journal (execution_id, path, finished_at, entry) VALUES (?, ?, ?, ?)"
        )
        .execute(arguments: row)
    }

    public func journal(id: ExecutionID) async throws -> [StepJournalEntry] {
        let documents = try await database.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT entry FROM step_journal WHERE execution_id = ? ORDER BY finished_at, path",
                arguments: [id.rawValue]
            )
        }
        return try documents.map { try StepJournalEntry(storageText: $0) }
    }

    /// Claims up to `limit` of the runs found running when the file was opened (``interruptedRuns``) that are
    /// still running, oldest first; each is claimed once, so once all are, later calls claim nothing.
    public func claimInterrupted(maxResumes: Int, limit: Int, at time: Date) async throws -> [ExecutionRecord] {
        let ids = unclaimed.withLock { ids in
            let taken = Array(ids.prefix(max(0, limit)))
            ids.removeFirst(taken.count)
            return taken
        }
        return try await database.write { db in
            var claimed: [ExecutionRecord] = []
            for id in ids {
                guard var record = try Self.fetch(id, db), record.status == .running else { continue }
                let journaled =
                    try Int.fetchOne(
                        db,
                        sql: "SELECT COUNT(*) FROM step_journal WHERE execution_id = ?",
                        arguments: [id.rawValue]
                    ) ?? 0
                let resumes = try record.claimInterrupted(maxResumes: maxResumes, journaledSteps: journaled, at: time)
                try Self.update(record, db)
                if resumes { claimed.append(record) }
            }
            return claimed
        }
    }

    private static func columns(_ record: ExecutionRecord, document: String? = nil) -> StatementArguments {
        [
            record.id.rawValue, record.flowName, record.status.rawValue, record.startTime.timeIntervalSince1970,
            record.endTime?.timeIntervalSince1970, document ?? record.storageJSON.jsonText,
        ]
    }

    private static func fetch(_ id: ExecutionID, _ db: Database) throws -> ExecutionRecord? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT document FROM executions WHERE id = ?"), arguments: [id.rawValue]
        )
        .map(ExecutionRecord.init(storageText:))
    }

    private static func update(_ record: ExecutionRecord, _ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE executions SET status = ?, end_time = ?, document = ? WHERE id = ?")
            .execute(arguments: [
                record.status.rawValue, record.endTime?.timeIntervalSince1970, record.storageJSON.jsonText,
                record.id.rawValue,
            ])
    }
}
