// ArchiveExtractor: unpacks a tar stream into a host directory for `cp` out of a container,
// member by member, without ever following a link that is on disk. Every member is reached
// from a descriptor of the destination directory, one component at a time, with
// openat(O_NOFOLLOW | O_DIRECTORY); files are created with O_EXCL | O_NOFOLLOW after whatever
// was there is unlinked. So no symlink — left by an earlier copy, planted by a container, or
// made by an earlier member of the same archive — is ever written through, and no member lands
// outside the destination.
// Owns: the docker CLI's extraction rules (NoOverwriteDirNonDir, breakout checks for names,
// symlinks and hard links, modes with setuid/setgid/sticky, mtimes) and dks's stricter ones
// (no device nodes; hard links only to earlier members). Must not: decide where the archive
// goes or how it is renamed (CopyPlan does).
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

/// A member that cannot be extracted safely, or a filesystem failure.
struct ExtractionError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

final class ArchiveExtractor {
    /// The destination directory, as given (absolute), for messages.
    let rootPath: String
    private let rootFD: Int32
    /// Open descriptors of the directories on the path to the last member's parent.
    private var stack: [(name: String, fd: Int32)] = []
    /// Non-directory members written so far (cleaned paths): the only targets hard links may have.
    private var written: Set<String> = []
    /// Directory members, whose mode and mtime are applied at the end (deepest first), so a
    /// read-only directory can still be filled and its mtime is not changed by its children.
    private var directories: [(parts: [String], mode: Int, mtime: Int64)] = []
    /// Device members left out (dks never creates device nodes on the host).
    private(set) var skippedDevices: [String] = []

    /// Opens the destination directory (the path the user named may pass through links; what
    /// is below it never does).
    init(root: String) throws {
        rootPath = root
        rootFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard rootFD >= 0 else { throw ExtractionError("cannot open \(root): \(lastErrorReason())") }
    }

    deinit {
        for entry in stack { close(entry.fd) }
        close(rootFD)
    }

    /// Extracts every member of `reader`, named by `rename` (which may refuse a name by throwing).
    func extract(_ reader: TarReader, rename: (String) throws -> String) throws {
        while let header = try reader.next() {
            var h = header
            h.name = try rename(header.name)
            if h.kind == .hardLink { h.linkTarget = try rename(header.linkTarget) }
            try add(h, data: reader)
        }
        try finish()
    }

    /// The components of `name` below the root, resolved lexically as docker's filepath.Join
    /// does (a leading `/` is the root); nil when `..` would leave the root.
    static func components(_ name: String) -> [String]? {
        var out: [String] = []
        for part in name.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !out.isEmpty else { return nil }
                out.removeLast()
                continue
            }
            out.append(String(part))
        }
        return out
    }

    private func display(_ parts: [String]) -> String {
        parts.isEmpty ? rootPath : (rootPath.hasSuffix("/") ? rootPath : rootPath + "/") + parts.joined(separator: "/")
    }

    private func add(_ h: TarHeader, data: TarReader) throws {
        guard let parts = ArchiveExtractor.components(h.name) else {
            throw ExtractionError("refusing archive member \"\(h.name)\": it is outside of \"\(rootPath)\"")
        }
        guard let leaf = parts.last else {
            // The member for the destination itself ("./"): docker leaves the directory as it is.
            if h.kind == .directory { return }
            throw ExtractionError("refusing archive member \"\(h.name)\": it would replace \"\(rootPath)\" itself")
        }
        let path = display(parts)
        if case .other(let type) = h.kind { throw ExtractionError("unhandled tar header type \(type) for \(path)") }
        if h.kind == .charDevice || h.kind == .blockDevice {
            skippedDevices.append(path)
            return
        }
        let parent = try openParent(Array(parts.dropLast()), for: h.name)
        var st = stat()
        let exists = fstatat(parent, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0
        let existingIsDir = exists && (st.st_mode & S_IFMT) == S_IFDIR
        if h.kind == .directory {
            if exists && !existingIsDir {
                throw ExtractionError("cannot overwrite non-directory \"\(path)\" with directory \"\(rootPath)\"")
            }
            if !exists && mkdirat(parent, leaf, 0o700) != 0 {
                throw ExtractionError("cannot create directory \(path): \(lastErrorReason())")
            }
            directories.append((parts, h.mode, h.mtime))
            return
        }
        if existingIsDir { throw ExtractionError("cannot overwrite directory \"\(path)\" with non-directory \"\(rootPath)\"") }
        // Links are checked before anything on disk changes.
        var linkSource: (fd: Int32, leaf: String)?
        switch h.kind {
        case .symlink:
            if !h.linkTarget.hasPrefix("/"), ArchiveExtractor.components(parts.dropLast().joined(separator: "/") + "/" + h.linkTarget) == nil {
                throw ExtractionError("invalid symlink \"\(path)\" -> \"\(h.linkTarget)\"")
            }
        case .hardLink:
            guard let target = ArchiveExtractor.components(h.linkTarget), let targetLeaf = target.last,
                  written.contains(target.joined(separator: "/")) else {
                throw ExtractionError("invalid hardlink \"\(path)\" -> \"\(h.linkTarget)\" (a hard link must point to an earlier file of the same archive)")
            }
            linkSource = (try openDirectory(Array(target.dropLast()), for: h.name), targetLeaf)
        default:
            break
        }
        defer { if let source = linkSource, source.fd != rootFD { close(source.fd) } }
        if exists && unlinkat(parent, leaf, 0) != 0 {
            throw ExtractionError("cannot replace \(path): \(lastErrorReason())")
        }
        switch h.kind {
        case .file:
            try writeFile(parent, leaf, path: path, header: h, data: data)
        case .symlink:
            guard symlinkat(h.linkTarget, parent, leaf) == 0 else { throw ExtractionError("cannot create link \(path): \(lastErrorReason())") }
            var times = ArchiveExtractor.times(h.mtime)
            _ = utimensat(parent, leaf, &times, AT_SYMLINK_NOFOLLOW)
        case .hardLink:
            guard let source = linkSource, linkat(source.fd, source.leaf, parent, leaf, 0) == 0 else {
                throw ExtractionError("cannot create hard link \(path): \(lastErrorReason())")
            }
        case .fifo:
            guard mkfifoat(parent, leaf, 0o600) == 0 else { throw ExtractionError("cannot create fifo \(path): \(lastErrorReason())") }
            // Opened (without following, without blocking) to set its mode by descriptor.
            let fd = openat(parent, leaf, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw ExtractionError("cannot open fifo \(path): \(lastErrorReason())") }
            defer { close(fd) }
            try setAttributes(fd, path: path, mode: h.mode, mtime: h.mtime)
        default:
            break
        }
        written.insert(parts.joined(separator: "/"))
    }

    private func writeFile(_ parent: Int32, _ leaf: String, path: String, header h: TarHeader, data: TarReader) throws {
        let fd = openat(parent, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ExtractionError("cannot create \(path): \(lastErrorReason())") }
        defer { close(fd) }
        while let piece = try data.read() {
            guard writeAll(fd, piece) else { throw ExtractionError("cannot write \(path): \(lastErrorReason())") }
        }
        // After the data: a write by a non-owner would clear setuid/setgid again.
        try setAttributes(fd, path: path, mode: h.mode, mtime: h.mtime)
    }

    /// The mode as docker sets it (all 12 bits: setuid, setgid and sticky too) and the mtime.
    private func setAttributes(_ fd: Int32, path: String, mode: Int, mtime: Int64) throws {
        guard fchmod(fd, mode_t(mode & 0o7777)) == 0 else { throw ExtractionError("cannot set the mode of \(path): \(lastErrorReason())") }
        var times = ArchiveExtractor.times(mtime)
        _ = futimens(fd, &times)
    }

    private static func times(_ mtime: Int64) -> [timespec] {
        let t = timespec(tv_sec: Int(clamping: mtime), tv_nsec: 0)
        return [t, t]
    }

    /// The parent directory of a member, reusing the descriptors of the previous member's path.
    /// Missing directories are created (0755, as docker's MkdirAll); a link or a file where a
    /// directory is needed is refused.
    private func openParent(_ parts: [String], for member: String) throws -> Int32 {
        var depth = 0
        while depth < stack.count, depth < parts.count, stack[depth].name == parts[depth] { depth += 1 }
        while stack.count > depth { close(stack.removeLast().fd) }
        var fd = stack.last?.fd ?? rootFD
        for i in depth..<parts.count {
            let next = try step(fd, parts[i], create: true, shown: Array(parts[...i]), member: member)
            stack.append((parts[i], next))
            fd = next
        }
        return fd
    }

    /// A descriptor for the directory at `parts` (the root's own descriptor for none), walked
    /// afresh without creating anything; the caller closes it unless it is the root's.
    private func openDirectory(_ parts: [String], for member: String) throws -> Int32 {
        var fd = rootFD
        for (i, part) in parts.enumerated() {
            let next: Int32
            do { next = try step(fd, part, create: false, shown: Array(parts[...i]), member: member) } catch {
                if fd != rootFD { close(fd) }
                throw error
            }
            if fd != rootFD { close(fd) }
            fd = next
        }
        return fd
    }

    private func step(_ dir: Int32, _ name: String, create: Bool, shown: [String], member: String) throws -> Int32 {
        var fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 && errno == ENOENT && create {
            guard mkdirat(dir, name, 0o755) == 0 || errno == EEXIST else {
                throw ExtractionError("cannot create directory \(display(shown)): \(lastErrorReason())")
            }
            fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        guard fd >= 0 else {
            if errno == ELOOP || errno == ENOTDIR {
                throw ExtractionError("refusing to write \"\(member)\": \"\(display(shown))\" on the host is a symlink or a file, not a directory (dks never writes through a link)")
            }
            throw ExtractionError("cannot open \(display(shown)): \(lastErrorReason())")
        }
        return fd
    }

    /// Applies the directories' modes and mtimes, deepest (latest) first.
    private func finish() throws {
        while let last = stack.popLast() { close(last.fd) }
        for dir in directories.reversed() {
            let fd = try openDirectory(dir.parts, for: dir.parts.joined(separator: "/"))
            defer { if fd != rootFD { close(fd) } }
            try setAttributes(fd, path: display(dir.parts), mode: dir.mode, mtime: dir.mtime)
        }
        directories.removeAll()
    }
}
