// CopyPlan: the docker CLI's rules for `cp`, as pure functions — Go's path cleaning, trailing
// `/` and `/.` handling, and PrepareArchiveCopy's decision of where an archive is extracted and
// how its top member is renamed. Owns: those decisions, so they are unit-testable without I/O.
// Must not: touch the filesystem or the engine (CopyCommand does).
import DKSSupport

/// What the docker CLI knows about one side of a copy (its `archive.CopyInfo`).
struct CopyInfo: Equatable {
    var path: String
    var exists = false
    var isDir = false
    /// The name the source's top member must take (a followed link keeps the name asked for).
    var rebaseName = ""
}

enum CopyPlan {
    /// Why a copy cannot be done (the docker CLI's messages, then what to do).
    enum Refusal: Error, Equatable {
        /// A directory onto an existing non-directory.
        case cannotCopyDirectory
        /// A file onto a missing path that ends in `/` (which asks for an existing directory).
        case noSuchDirectory
    }

    /// Where to extract and how to rename the archive's top member (`from` → `to`).
    struct Extraction: Equatable {
        var directory: String
        var rename: Rename?
    }

    struct Rename: Equatable {
        var from: String
        var to: String
    }

    /// `archive.PreserveTrailingDotOrSeparator`: the cleaned path keeps the original's trailing `/` or `/.`.
    static func preserveTrailing(_ cleaned: String, original: String) -> String {
        var out = cleaned
        if !specifiesCurrentDir(out) && specifiesCurrentDir(original) {
            if !out.hasSuffix("/") { out += "/" }
            out += "."
        }
        if !out.hasSuffix("/") && original.hasSuffix("/") { out += "/" }
        return out
    }

    /// The path ends in `/` or `/.`: it must be (or will be) a directory.
    static func assertsDirectory(_ path: String) -> Bool { path.hasSuffix("/") || specifiesCurrentDir(path) }

    static func specifiesCurrentDir(_ path: String) -> Bool { GoPath.base(path) == "." }

    /// `archive.SplitPathDirEntry`: (parent, last element), keeping a final "." element.
    static func splitPathDirEntry(_ path: String) -> (dir: String, base: String) {
        var cleaned = GoPath.clean(path)
        if specifiesCurrentDir(path) { cleaned += "/." }
        return (GoPath.dir(cleaned), GoPath.base(cleaned))
    }

    /// An absolute path for `path` given relative to `cwd`, cleaned but with its trailing `/` or `/.`.
    static func absolute(_ path: String, cwd: String) -> String {
        let joined = path.hasPrefix("/") ? path : cwd + "/" + path
        return preserveTrailing(GoPath.clean(joined), original: path)
    }

    /// `archive.PrepareArchiveCopy`: where the archive of `source` goes so that it lands as `destination`.
    static func prepare(source: CopyInfo, destination: CopyInfo) throws -> Extraction {
        let (dstDir, dstBase) = splitPathDirEntry(destination.path)
        var (_, srcBase) = splitPathDirEntry(source.path)
        if !source.rebaseName.isEmpty { srcBase = source.rebaseName }
        switch true {
        case destination.exists && destination.isDir:
            // Into the existing directory, under the source's own name.
            return Extraction(directory: destination.path, rename: nil)
        case destination.exists && source.isDir:
            throw Refusal.cannotCopyDirectory
        case destination.exists, source.isDir:
            // Replaces the existing file, or creates the directory, under the destination's name.
            return Extraction(directory: dstDir, rename: Rename(from: srcBase, to: dstBase))
        case assertsDirectory(destination.path):
            throw Refusal.noSuchDirectory
        default:
            return Extraction(directory: dstDir, rename: Rename(from: srcBase, to: dstBase))
        }
    }

    /// `archive.GetRebaseName`: after a link was followed to `resolved`, the path to copy and the
    /// name its top member must keep (the one asked for).
    static func rebaseName(asked path: String, resolved: String) -> (path: String, rebaseName: String) {
        var resolvedPath = resolved
        if specifiesCurrentDir(path) && !specifiesCurrentDir(resolvedPath) { resolvedPath += "/." }
        if path.hasSuffix("/") && !resolvedPath.hasSuffix("/") { resolvedPath += "/" }
        let rebase = GoPath.base(path) != GoPath.base(resolvedPath) ? GoPath.base(path) : ""
        return (resolvedPath, rebase)
    }

    /// An archive member's name with its top element `from` replaced by `to` (`RebaseArchiveEntries`:
    /// the root's archive, whose top element is "/", has every name prefixed instead). A name
    /// outside `from` is nil: the engine's archive must hold only the path asked for.
    static func rebase(_ name: String, from: String, to: String) -> String? {
        if from == "/" || from.isEmpty { return to + (name.hasPrefix("/") || to.isEmpty ? "" : "/") + name }
        if name == from { return to }
        if name.hasPrefix(from + "/") { return to + name.dropFirst(from.count) }
        return nil
    }

    /// Whether `name` is `top` or inside it (the members an archive of `top` may hold).
    static func isWithin(_ name: String, top: String) -> Bool {
        top == "/" || top.isEmpty || name == top || name.hasPrefix(top + "/")
    }
}
