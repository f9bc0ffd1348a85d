// History: the prompt's libedit history — loaded from the history file at start, one item per
// entry (a multi-line entry is one item), saved after every statement.
// Must not: choose the file (HistoryPath does) or read lines (LineEditor does).
import CEditLineShim

/// A libedit history bound to a file.
public final class History {
    let handle: OpaquePointer
    /// Where entries are saved; nil keeps them for this session only.
    public let path: String?

    /// Opens a history of at most `size` entries and loads `path` when it exists.
    public init?(path: String?, size: Int32 = 1000) {
        guard let h = dks_history_init() else { return nil }
        handle = h
        self.path = path
        dks_history_setsize(h, size)
        dks_history_setunique(h, 1)
        if let path {
            HistoryPath.makeParentDirectories(of: path)
            _ = dks_history_load(h, path) // A missing file is a first session, not an error.
        }
    }

    deinit { dks_history_end(handle) }

    /// Number of entries held.
    public var count: Int { Int(dks_history_count(handle)) }

    /// Adds an entry (without its final newline, and with any `login` password masked) and
    /// saves the file.
    public func add(_ entry: String) {
        var text = HistoryRedaction.redact(entry)
        while text.hasSuffix("\n") { text.removeLast() }
        guard !text.trimmingCharacters(in: [" ", "\t", "\n"]).isEmpty else { return }
        dks_history_enter(handle, text)
        save()
    }

    /// Writes every entry to the file (libedit escapes newlines, so multi-line entries survive).
    public func save() {
        guard let path else { return }
        _ = dks_history_save(handle, path)
    }
}

extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        let chars = Array(self)
        var start = 0, end = chars.count
        while start < end, set.contains(chars[start]) { start += 1 }
        while end > start, set.contains(chars[end - 1]) { end -= 1 }
        return String(chars[start..<end])
    }
}
