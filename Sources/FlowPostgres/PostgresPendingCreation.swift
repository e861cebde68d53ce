import FlowServer
import Synchronization

/// A run's creation queued in the store's ``StatementBatcher`` and not sent yet.
///
/// A sync run often ends before the batch holding its creation is sent. Its end then replaces the row the
/// creation inserts with the finished record's (``finish(with:)``): the record is inserted once, finished, in the
/// batch that journals its steps, instead of inserted running and rewritten by an `UPDATE` in a later statement.
/// A change to the record asked for meanwhile (a cancel request) stops that (``keepRunning()``). The running
/// record is encoded only when it is sent.
final class PostgresPendingCreation: Sendable {
    private enum State {
        case queued(Row, replaceable: Bool)
        case taken(PostgresBatchedWrites.Creation, finished: Bool)
    }

    private enum Row {
        case running(ExecutionRecord)
        case finished(PostgresBatchedWrites.Creation)
    }

    private let state: Mutex<State>

    /// A creation of `record`; `replaceable` when its run's end may replace it.
    init(_ record: ExecutionRecord, replaceable: Bool) {
        state = Mutex(.queued(.running(record), replaceable: replaceable))
    }

    /// Replaces the row to insert with the finished record's `row`; false when the creation is being sent already
    /// or the record is to be written running first.
    func finish(with row: PostgresBatchedWrites.Creation) -> Bool {
        state.withLock { state in
            guard case .queued(_, replaceable: true) = state else { return false }
            state = .queued(.finished(row), replaceable: true)
            return true
        }
    }

    /// The record is to be written running: a change to it was asked for before it was written.
    func keepRunning() {
        state.withLock { state in
            if case .queued(let row, _) = state { state = .queued(row, replaceable: false) }
        }
    }

    /// Whether the creation may wait for a batch: while its run goes on, and nothing but its end is to change it.
    var mayWait: Bool {
        state.withLock { state in
            guard case .queued(.running, replaceable: true) = state else { return false }
            return true
        }
    }

    /// The row to insert, running or finished; the same each time once taken (a batch sent again write by write).
    func take() -> PostgresBatchedWrites.Creation {
        state.withLock { state in
            switch state {
            case .taken(let row, _):
                return row
            case .queued(.running(let record), _):
                let row = PostgresBatchedWrites.Creation(record)
                state = .taken(row, finished: false)
                return row
            case .queued(.finished(let row), _):
                state = .taken(row, finished: true)
                return row
            }
        }
    }

    /// Whether the row taken to insert is the finished record's: its run's journal is then not written.
    var tookFinishedRecord: Bool {
        state.withLock { state in
            guard case .taken(_, finished: true) = state else { return false }
            return true
        }
    }
}
