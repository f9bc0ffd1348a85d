// GoPath: path helpers with the semantics of Go's `path/filepath` on Unix, which the docker CLI
// uses for `cp` paths, build contexts and `.dockerignore` patterns. Owns: Clean, Base, Dir, Split,
// Join, Rel. Must not: touch the filesystem (paths are text here).

/// Path helpers with the semantics of Go's `path/filepath` on Unix (what the docker CLI uses).
public enum GoPath {
    /// `filepath.Clean`: no empty, `.` or resolvable `..` elements; "" becomes ".".
    public static func clean(_ path: String) -> String {
        let rooted = path.hasPrefix("/")
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = out.last, last != ".." { out.removeLast() } else if !rooted { out.append(part) }
                continue
            }
            out.append(part)
        }
        let joined = out.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// `filepath.Base`: the last element, trailing slashes ignored ("/" for the root, "." for "").
    public static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        if p == "/" { return "/" }
        if let slash = p.lastIndex(of: "/") { return String(p[p.index(after: slash)...]) }
        return String(p)
    }

    /// `filepath.Dir`: everything before the last element, cleaned.
    public static func dir(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return clean(String(path[...slash]))
    }

    /// `filepath.Split`: (everything up to and including the last `/`, the rest).
    public static func split(_ path: String) -> (dir: String, file: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    /// `filepath.Join`: the non-empty elements joined by `/`, cleaned.
    public static func join(_ parts: String...) -> String {
        let nonEmpty = parts.filter { !$0.isEmpty }
        return nonEmpty.isEmpty ? "" : clean(nonEmpty.joined(separator: "/"))
    }

    /// `filepath.Rel` for two absolute paths: `target` relative to `base` ("." when equal,
    /// `../x` when it is outside).
    public static func rel(_ base: String, _ target: String) -> String {
        let b = clean(base).split(separator: "/").map(String.init)
        let t = clean(target).split(separator: "/").map(String.init)
        var common = 0
        while common < b.count, common < t.count, b[common] == t[common] { common += 1 }
        let parts = Array(repeating: "..", count: b.count - common) + t[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
