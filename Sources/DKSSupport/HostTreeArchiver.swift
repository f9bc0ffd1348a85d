// HostTreeArchiver: writes a host file or directory tree into a TarWriter, streaming each
// file's contents in pieces (memory does not grow with file size). Entries are in lexical
// order as the docker CLI writes them; hard links within the tree become link members; sockets
// are skipped (tar cannot hold them). Used by `cp` into containers and by `build` for its
// context (the `decide` hook is where `.dockerignore` plugs in). Must not: follow symlinks
// inside the tree (a link is archived as a link) or read a FIFO or device.
#if canImport(Glibc)
import Glibc
#endif

/// What to do with one member of a tree being archived.
public enum ArchiveDecision: Equatable, Sendable {
    /// Archive it (and look at a directory's contents).
    case include
    /// Leave it out, with everything below it.
    case skip
    /// Leave the member itself out but look at a directory's contents (something below may be
    /// included: a `.dockerignore` exception under an excluded directory).
    case descendOnly
}

/// Archives host paths.
public enum HostTreeArchiver {
    /// Writes the tree at `path` as members named `name`, `name/child`, ... into `writer`
    /// (it does not finish the archive).
    ///
    /// - Parameters:
    ///   - path: a file, directory, symlink, FIFO or device; a symlink is archived as a link.
    ///   - include: asked for every member below the top (its archive name relative to `name`,
    ///     and whether it is a directory); false leaves it (and a directory's contents) out.
    public static func archive(path: String, as name: String, into writer: TarWriter,
                               include: ((String, Bool) -> Bool)? = nil) throws {
        var links: [FileIdentity: String] = [:]
        let decide: ((String, Bool) throws -> ArchiveDecision)? = include.map { f in { f($0, $1) ? .include : .skip } }
        try add(path: path, name: name, relative: "", writer: writer, decide: decide, links: &links)
    }

    /// Writes what is inside `directory` (not the directory itself) as members named by their
    /// path relative to it (`a`, `a/b`), as the docker CLI writes a build context.
    ///
    /// - Parameter decide: asked for every member (its relative name and whether it is a
    ///   directory), in the order the members are written; its errors end the archive.
    public static func archiveContents(of directory: String, into writer: TarWriter,
                                       decide: @escaping (String, Bool) throws -> ArchiveDecision) throws {
        var links: [FileIdentity: String] = [:]
        let dir = directory.hasSuffix("/") ? directory : directory + "/"
        for child in try children(directory) {
            try add(path: dir + child, name: child, relative: child, writer: writer, decide: decide, links: &links)
        }
    }

    private struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    private static func add(path: String, name: String, relative: String, writer: TarWriter,
                            decide: ((String, Bool) throws -> ArchiveDecision)?, links: inout [FileIdentity: String]) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else { throw TarError("cannot read \(path): \(lastErrorReason())") }
        let type = st.st_mode & S_IFMT
        if !relative.isEmpty, let decide = decide {
            switch try decide(relative, type == S_IFDIR) {
            case .include: break
            case .skip: return
            case .descendOnly:
                guard type == S_IFDIR else { return }
                try addChildren(path: path, name: name, relative: relative, writer: writer, decide: decide, links: &links)
                return
            }
        }
        var header = TarHeader(name: name, kind: .file, mode: Int(st.st_mode & 0o7777), mtime: Int64(st.st_mtim.tv_sec))
        switch type {
        case S_IFREG:
            let identity = FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
            if st.st_nlink > 1 {
                if let first = links[identity] {
                    header.kind = .hardLink
                    header.linkTarget = first
                    try writer.append(header)
                    return
                }
                links[identity] = name
            }
            header.size = Int64(st.st_size)
            try writer.append(header)
            try copyContents(path, size: header.size, into: writer)
        case S_IFDIR:
            header.kind = .directory
            try writer.append(header)
            try addChildren(path: path, name: name, relative: relative, writer: writer, decide: decide, links: &links)
        case S_IFLNK:
            header.kind = .symlink
            header.linkTarget = try readLink(path)
            try writer.append(header)
        case S_IFIFO:
            header.kind = .fifo
            try writer.append(header)
        case S_IFCHR, S_IFBLK:
            header.kind = type == S_IFCHR ? .charDevice : .blockDevice
            // glibc's dev_t layout (the major/minor macros are not visible to Swift).
            let dev = UInt64(st.st_rdev)
            header.devMajor = Int(((dev >> 8) & 0xfff) | ((dev >> 32) & ~UInt64(0xfff)))
            header.devMinor = Int((dev & 0xff) | ((dev >> 12) & ~UInt64(0xff)))
            try writer.append(header)
        default:
            // Sockets (and anything else tar cannot represent) are left out, as the docker CLI does.
            return
        }
    }

    private static func addChildren(path: String, name: String, relative: String, writer: TarWriter,
                                    decide: ((String, Bool) throws -> ArchiveDecision)?, links: inout [FileIdentity: String]) throws {
        for child in try children(path) {
            let childRelative = relative.isEmpty ? child : relative + "/" + child
            try add(path: path + (path.hasSuffix("/") ? "" : "/") + child, name: name == "/" ? "/" + child : name + "/" + child,
                    relative: childRelative, writer: writer, decide: decide, links: &links)
        }
    }

    /// A directory's entry names, sorted bytewise (the order docker's archives have).
    static func children(_ path: String) throws -> [String] {
        guard let entries = DirectoryListing.entries(path) else {
            throw TarError("cannot list \(path): \(lastErrorReason())")
        }
        return entries.map(\.name).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The target of the symlink at `path`.
    public static func readLink(_ path: String) throws -> String {
        var buf = [Int8](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buf, buf.count - 1)
        guard n >= 0 else { throw TarError("cannot read link \(path): \(lastErrorReason())") }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Streams exactly `size` bytes of the file (opened without following links).
    private static func copyContents(_ path: String, size: Int64, into writer: TarWriter) throws {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw TarError("cannot read \(path): \(lastErrorReason())") }
        defer { close(fd) }
        var left = size
        var buf = [UInt8](repeating: 0, count: 256 * 1024)
        while left > 0 {
            let want = Int(min(Int64(buf.count), left))
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, want) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw TarError("cannot read \(path): \(lastErrorReason())") }
            guard n > 0 else { throw TarError("\(path) became shorter while being copied") }
            try writer.write(n == buf.count ? buf : Array(buf[0..<n]))
            left -= Int64(n)
        }
    }
}
