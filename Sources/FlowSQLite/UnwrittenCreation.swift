import FlowServer
import GRDB
import Synchronization

/// A run's creation queued in the store's ``GroupCommit`` and not written yet.
///
/// A sync run often ends before the batch holding its creation is written. Its end then replaces the row the
/// creation inserts with the finished record's (``finish(with:)``): the record is written once, finished, instead
/// of inserted running and rewritten by an `UPDATE` in the same transaction. A change to the record asked for
/// meanwhile (a cancel request) stops that (``keepRunning()``), so it applies to the running record as usual.
/// The running record is encoded only when it is written.
final class UnwrittenCreation: Sendable {
    private enum State {
        case queued(Row, replaceable: Bool)
        case writing
        case written(finished: Bool)
    }

    /// What to insert: the running record, or the finished record's row.
    private enum Row {
        case running(ExecutionRecord)
        case finished(StatementArguments)
    }

    private let state: Mutex<State>

    init(_ record: ExecutionRecord) {
        state = Mutex(.queued(.running(record), replaceable: true))
    }

    /// Replaces the row to insert with the finished record's `row`, unless the creation is being written already
    /// or the record is to be written running first.
    func finish(with row: StatementArguments) {
        state.withLock { state in
            guard case .queued(_, replaceable: true) = state else { return }
            state = .queued(.finished(row), replaceable: true)
        }
    }

    /// The record is to be written running: a change to it was asked for before it was written.
    func keepRunning() {
        state.withLock { state in
            if case .queued(let row, _) = state { state = .queued(row, replaceable: false) }
        }
    }

    /// Inserts the running record with `insert`, encoded by `encode`, or the finished one that replaced it.
    func write(
        encode: (ExecutionRecord) -> StatementArguments, _ insert: (StatementArguments) throws -> Void
    ) throws {
        let taken = state.withLock { state -> Row? in
            guard case .queued(let row, _) = state else { return nil }
            state = .writing
            return row
        }
        let row: StatementArguments
        let finished: Bool
        switch taken {
        case nil: return
        case .running(let record): (row, finished) = (encode(record), false)
        case .finished(let arguments): (row, finished) = (arguments, true)
        }
        do {
            try insert(row)
            state.withLock { $0 = .written(finished: finished) }
        } catch {
            state.withLock { $0 = .written(finished: false) }
            throw error
        }
    }

    /// Whether the finished record was inserted: read once the batch holding the creation was applied.
    var wroteFinishedRecord: Bool {
        state.withLock { state in
            guard case .written(finished: true) = state else { return false }
            return true
        }
    }
}
