import Foundation

/// A fresh temporary directory for one test.
func makeWatchDirectory(_ name: String = "watch") throws -> String {
    let path = NSTemporaryDirectory() + "flowlang-\(name)-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return URL(fileURLWithPath: path).standardizedFileURL.path
}

/// Writes `text` to `relative` under `root`, creating folders.
func writeFile(_ text: String, to relative: String, in root: String) throws {
    let path = (root as NSString).appendingPathComponent(relative)
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent,
        withIntermediateDirectories: true
    )
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

struct WatchTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `body`, failing with ``WatchTimeout`` if it takes longer than `limit` (a failure guard, not a wait).
func withTimeout<T: Sendable>(
    _ limit: Duration,
    waitingFor what: String,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw WatchTimeout(what: what) }
        return value
    }
}
