// ProgramLookup: finds the file a program word names — a path as written (`./build.sh`,
// `/usr/bin/env`) or a name searched on a PATH string — as a shell does, with bash's
// distinctions (not found: 127; found but not executable or a directory: 126). Remembers
// where names were found (as bash's `hash`), per PATH value.
// Must not: read the process environment (callers pass the PATH of the host programs' environment).
import Glibc
import DKSSupport

/// Where a program word leads.
public enum ProgramLocation: Equatable {
    /// An executable file.
    case found(String)
    /// No such name on PATH (or no such file for a path).
    case notFound
    /// A file that cannot be executed (no permission, a directory): bash's exit status 126.
    case notExecutable(path: String, reason: String)
}

public enum ProgramLookup {
    /// The PATH used when the environment has none.
    public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    private static let lock = Lock()
    nonisolated(unsafe) private static var cachePath = ""
    nonisolated(unsafe) private static var cache: [String: String] = [:]

    /// Finds `word`: a path when it contains `/`, else a search of `path` (`nil`: the default).
    /// A name found before (for the same PATH) is not searched again; call `forget` when its file is gone.
    public static func locate(_ word: String, path: String?) -> ProgramLocation {
        if word.isEmpty { return .notFound }
        if word.contains("/") { return check(word) ?? .notFound }
        let searchPath = path ?? defaultPath
        if let hit = lock.withLock({ cachePath == searchPath ? cache[word] : nil }) { return .found(hit) }
        var unexecutable: ProgramLocation?
        for dir in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + word
            switch check(candidate) {
            case .found(let p)?:
                lock.withLock {
                    if cachePath != searchPath { cache = [:]; cachePath = searchPath }
                    cache[word] = p
                }
                return .found(p)
            case .notExecutable(let p, let r)?:
                if unexecutable == nil { unexecutable = .notExecutable(path: p, reason: r) }
            default: continue
            }
        }
        return unexecutable ?? .notFound
    }

    /// Drops a remembered location (its file went away).
    public static func forget(_ word: String) {
        lock.withLock { _ = cache.removeValue(forKey: word) }
    }

    /// nil when nothing is there; else whether it can run.
    static func check(_ path: String) -> ProgramLocation? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        if (st.st_mode & S_IFMT) == S_IFDIR { return .notExecutable(path: path, reason: "is a directory") }
        if access(path, X_OK) != 0 { return .notExecutable(path: path, reason: "permission denied") }
        return .found(path)
    }

    /// Every executable name on `path` (for completion and "did you mean"), sorted and unique.
    public static func allNames(path: String?) -> [String] {
        var names = Set<String>()
        for dir in (path ?? defaultPath).split(separator: ":") {
            for name in DirectoryListing.names(String(dir)) {
                if name.hasPrefix(".") || names.contains(name) { continue }
                let full = String(dir) + "/" + name
                var st = stat()
                if stat(full, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR, access(full, X_OK) == 0 { names.insert(name) }
            }
        }
        return names.sorted()
    }
}
