// Glob: `glob(PATTERN)` — the sorted paths matching `*`, `?`, `[...]` per path component and
// `**` across any number of directories (spec §10). As in shells, names starting with `.` match
// only a pattern component that starts with `.`; `**` does not descend into symlinked folders.
// Nothing in dks is globbed implicitly: this is the only place patterns expand.
// Must not: follow a `..` out of a pattern's own text or return duplicates.
import Glibc
import DKSSupport

enum Glob {
    /// The matches of `pattern`, sorted, as paths spelled like the pattern (relative stays relative).
    static func matches(_ pattern: String) -> [String] {
        guard !pattern.isEmpty else { return [] }
        var text = pattern
        let wantsDirectory = text.count > 1 && text.hasSuffix("/")
        while text.count > 1 && text.hasSuffix("/") { text.removeLast() }
        let absolute = text.hasPrefix("/")
        let parts = text.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var found = Set<String>()
        expand(absolute ? "/" : "", parts[...], into: &found)
        var out = Array(found)
        if wantsDirectory { out = out.filter(isDirectory).map { $0 + "/" } }
        return out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    static func hasMagic(_ s: String) -> Bool { s.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    private static func join(_ base: String, _ name: String) -> String {
        if base.isEmpty { return name }
        return base == "/" ? "/" + name : base + "/" + name
    }

    private static func expand(_ base: String, _ parts: ArraySlice<String>, into out: inout Set<String>) {
        guard let part = parts.first else {
            if !base.isEmpty { out.insert(base) }
            return
        }
        let rest = parts.dropFirst()
        if part == "**" {
            expand(base, rest, into: &out)
            for name in entries(base.isEmpty ? "." : base) where !name.hasPrefix(".") {
                let path = join(base, name)
                if isDirectory(path, followLinks: false) { expand(path, parts, into: &out) }
            }
            return
        }
        if !hasMagic(part) {
            let path = join(base, part)
            if rest.isEmpty ? exists(path) : isDirectory(path) { expand(path, rest, into: &out) }
            return
        }
        for name in entries(base.isEmpty ? "." : base) where fnmatch(part, name, 4 /* FNM_PERIOD */) == 0 {
            let path = join(base, name)
            if rest.isEmpty || isDirectory(path) { expand(path, rest, into: &out) }
        }
    }

    private static func entries(_ dir: String) -> [String] {
        DirectoryListing.names(dir)
    }

    private static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    static func isDirectory(_ path: String) -> Bool { isDirectory(path, followLinks: true) }

    private static func isDirectory(_ path: String, followLinks: Bool) -> Bool {
        var st = stat()
        let r = followLinks ? stat(path, &st) : lstat(path, &st)
        return r == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}
