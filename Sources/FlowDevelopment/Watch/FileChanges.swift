/// Files that changed between two looks of a ``FileWatcher``: absolute paths, each sorted.
package struct FileChanges: Sendable, Equatable {
    package var added: [String]
    package var modified: [String]
    package var removed: [String]

    package init(added: [String] = [], modified: [String] = [], removed: [String] = []) {
        self.added = added.sorted()
        self.modified = modified.sorted()
        self.removed = removed.sorted()
    }

    /// Every changed path, sorted.
    package var all: [String] { (added + modified + removed).sorted() }

    package var isEmpty: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty }

    /// Whether any changed path satisfies `predicate`.
    package func contains(where predicate: (String) -> Bool) -> Bool { all.contains(where: predicate) }

    /// The change from the earlier `self` and then `later`, as one: a file added and then removed vanishes, a
    /// file removed and then added again counts as modified.
    package func followed(by later: FileChanges) -> FileChanges {
        enum Kind { case added, modified, removed }
        var kinds: [String: Kind] = [:]
        for path in added { kinds[path] = .added }
        for path in modified { kinds[path] = .modified }
        for path in removed { kinds[path] = .removed }
        for path in later.added { kinds[path] = kinds[path] == .removed ? .modified : .added }
        for path in later.modified where kinds[path] != .added { kinds[path] = .modified }
        for path in later.removed { kinds[path] = kinds[path] == .added ? nil : .removed }
        return FileChanges(
            added: kinds.filter { $0.value == .added }.map(\.key),
            modified: kinds.filter { $0.value == .modified }.map(\.key),
            removed: kinds.filter { $0.value == .removed }.map(\.key)
        )
    }
}
