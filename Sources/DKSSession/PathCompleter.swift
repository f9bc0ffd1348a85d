// PathCompleter: file-name candidates for a partial path (`./sc`, `/etc/ho`, `~/Doc`).
// Owns: splitting the partial, expanding `~`, listing one directory. Must not: follow more than
// one directory level or block on anything but a local readdir.
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

public enum PathCompleter {
    /// One directory entry.
    public struct Entry: Equatable {
        public var name: String
        public var isDirectory: Bool
        public init(name: String, isDirectory: Bool) {
            self.name = name
            self.isDirectory = isDirectory
        }
    }

    /// Candidates that start with `partial`, keeping what the user typed (`~` stays `~`);
    /// directories end with `/`. Hidden entries only when the typed name starts with a dot.
    /// `list` reads a directory (injected so tests need no file system).
    public static func candidates(_ partial: String, home: String?, list: (String) -> [Entry]) -> [String] {
        if partial == "~" { return home == nil ? [] : ["~/"] }
        let dirPart: String
        let base: String
        if let slash = partial.lastIndex(of: "/") {
            dirPart = String(partial[...slash])
            base = String(partial[partial.index(after: slash)...])
        } else {
            dirPart = ""
            base = partial
        }
        var directory = dirPart.isEmpty ? "." : dirPart
        if directory.hasPrefix("~/") {
            guard let home else { return [] }
            directory = home + directory.dropFirst(1)
        }
        return list(directory)
            .filter { $0.name != "." && $0.name != ".." && $0.name.hasPrefix(base) && (base.hasPrefix(".") || !$0.name.hasPrefix(".")) }
            .map { dirPart + $0.name + ($0.isDirectory ? "/" : "") }
            .sorted()
    }

    /// Candidates from the real file system.
    public static func candidates(_ partial: String) -> [String] {
        let home = getenv("HOME").map { String(cString: $0) }
        return candidates(partial, home: home, list: listDirectory)
    }

    /// The entries of `path` (at most a few thousand: completion must stay instant).
    static func listDirectory(_ path: String) -> [Entry] {
        var out: [Entry] = []
        for ent in DirectoryListing.entries(path, limit: 5000) ?? [] {
            let name = ent.name
            var isDir = ent.type == UInt8(DT_DIR)
            if ent.type == UInt8(DT_LNK) || ent.type == UInt8(DT_UNKNOWN) {
                // Symlinks to directories complete like directories.
                var st = stat()
                let full = path.hasSuffix("/") ? path + name : path + "/" + name
                if stat(full, &st) == 0 { isDir = (st.st_mode & S_IFMT) == S_IFDIR }
            }
            out.append(Entry(name: name, isDirectory: isDir))
        }
        return out
    }
}
