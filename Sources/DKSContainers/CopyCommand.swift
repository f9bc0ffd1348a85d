// CopyCommand: `cp SRC DST` between the host and a container (`C:/path` on one side; `-` is a
// tar stream on stdin or stdout), with the docker CLI's rules: stat the destination first,
// then extract into it, replace it, or create it (CopyPlan decides). Archives stream both ways
// (TarWriter/HostTreeArchiver in, TarReader/ArchiveExtractor out): memory does not grow with size.
// Must not: follow a link that is on disk below the host destination (ArchiveExtractor never
// does), or hold an archive whole.
#if canImport(Glibc)
import Glibc
#endif
import DKSEngine
import DKSLanguage
import DKSSupport

enum CopyCommand {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        r.register(Signature("cp", topic: "containers",
                             [.arg("source", "HOST_PATH, CONTAINER:PATH, or - (a tar archive on stdin)"),
                              .arg("dest", "HOST_PATH, CONTAINER:PATH, or - (a tar archive on stdout)"),
                              .flag("follow_link", short: "L", "copy what a symlink SOURCE points to, not the link")],
                             summary: "Copies a file or directory between the host and a container, as docker cp does; one side is CONTAINER:PATH (a name, an id, or \"$c:/path\" with a container object). Into an existing directory the source keeps its name; otherwise it is created as DEST (its parent must exist). A path ending in / must be a directory; SRC ending in /. copies a directory's contents. Links are copied as links (-L follows a symlink SOURCE); nothing is ever written through a link already on the host. Returns null.",
                             example: "cp ./config.json web:/etc/app/\ncp \"$c:/etc/hostname\" /tmp/hostname\ncp -L \"$c:/etc/localtime\" ./localtime")) { a in
            let src = try a.string(0), dst = try a.string(1)
            let follow = a.bool(2)
            guard !src.isEmpty else { throw ScriptError(.valueError, "cp: the source is empty") }
            guard !dst.isEmpty else { throw ScriptError(.valueError, "cp: the destination is empty") }
            switch (splitContainerPath(src), splitContainerPath(dst)) {
            case (let s?, nil): try copyOut(ctx, a.interp, container: s.container, path: s.path, to: dst, followLink: follow)
            case (nil, let d?): try copyIn(ctx, from: src, container: d.container, path: d.path, followLink: follow)
            case (nil, nil): throw ScriptError(.valueError, "cp: one side must be CONTAINER:PATH (e.g. web:/etc/hosts)")
            default: throw ScriptError(.valueError, "cp: copying between two containers is not supported; copy through the host")
            }
            return .null
        }
    }

    /// `C:/path` → (C, /path). A host path (starting with / . ~ or without a colon) → nil.
    /// `<container NAME ID>:/path` (a container object interpolated into a string) uses the id.
    static func splitContainerPath(_ s: String) -> (container: String, path: String)? {
        if s.hasPrefix("<container "), let close = s.firstIndex(of: ">") {
            let words = s[..<close].split(separator: " ")
            let rest = s[s.index(after: close)...]
            guard rest.hasPrefix(":"), let id = words.last else { return nil }
            return (String(id), String(rest.dropFirst()))
        }
        guard let first = s.first, first != "/", first != ".", first != "~", let colon = s.firstIndex(of: ":") else { return nil }
        let name = String(s[..<colon])
        if name.contains("/") { return nil }
        var path = String(s[s.index(after: colon)...])
        if path.isEmpty { path = "/" }
        return (name, path)
    }

    static func currentDirectory() -> String {
        var buf = [Int8](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buf, buf.count) != nil else { return "/" }
        return String(cString: buf)
    }

    // MARK: Out of a container

    static func copyOut(_ ctx: ContainerContext, _ interp: Interpreter, container: String, path: String, to dest: String,
                        followLink: Bool) throws {
        let engine = try ctx.engine("cp")
        var srcPath = path
        var rebaseName = ""
        if followLink, let stat = try? engine.statPath(container, path: srcPath), stat.isSymlink {
            var target = stat.linkTarget
            if !target.hasPrefix("/") { target = GoPath.join(CopyPlan.splitPathDirEntry(srcPath).dir, target) }
            (srcPath, rebaseName) = CopyPlan.rebaseName(asked: srcPath, resolved: target)
        }
        if dest == "-" {
            // The archive as the engine sends it, to stdout (docker cp CONTAINER:PATH -).
            try interp.flush()
            try ErrorMapping.run("cp") {
                try engine.copyOut(container, path: srcPath) { _, read in
                    while let piece = try read() { try interp.out.write(bytes: piece); try interp.out.flush() }
                }
            }
            return
        }
        let dstPath = CopyPlan.absolute(dest, cwd: currentDirectory())
        try validateOutputPath(dstPath)
        try ErrorMapping.run("cp") {
            try engine.copyOut(container, path: srcPath) { stat, read in
                let source = CopyInfo(path: srcPath, exists: true, isDir: stat.isDirectory, rebaseName: rebaseName)
                let destination = try hostDestination(dstPath)
                let plan: CopyPlan.Extraction
                do { plan = try CopyPlan.prepare(source: source, destination: destination) } catch let r as CopyPlan.Refusal {
                    throw refusal(r, source: "\(container):\(path)", destination: dest, sourceIsDir: source.isDir)
                }
                // The archive's members start with the copied path's name; a followed link keeps
                // the name asked for, and the plan may rename it to the destination's.
                let top = CopyPlan.splitPathDirEntry(srcPath).base
                let asked = rebaseName.isEmpty ? top : rebaseName
                let rename: (String) throws -> String = { raw in
                    // Some engines spell members "./t/one" for the archive of /t.
                    let name = top != "." && raw.hasPrefix("./") ? String(raw.dropFirst(2)) : raw
                    guard var out = CopyPlan.rebase(name, from: top, to: asked) else {
                        throw ScriptError(.engineError, "cp: the engine's archive of \(path) holds \(name), which is not inside it")
                    }
                    if let r = plan.rename {
                        guard let renamed = CopyPlan.rebase(out, from: r.from, to: r.to) else {
                            throw ScriptError(.engineError, "cp: the engine's archive of \(path) holds \(name), which is not inside it")
                        }
                        out = renamed
                    }
                    return out
                }
                let extractor: ArchiveExtractor
                do {
                    extractor = try ArchiveExtractor(root: plan.directory)
                    try withoutActuallyEscaping(read) { read in try extractor.extract(TarReader(source: read), rename: rename) }
                } catch let e as ExtractionError {
                    throw ScriptError(.ioError, "cp: \(e.description)")
                } catch let e as TarError {
                    throw ScriptError(.engineError, "cp: the archive from the engine is malformed: \(e.description)")
                }
                for device in extractor.skippedDevices {
                    try interp.flush()
                    writeStderrBytes(Array("dks: cp: warning: \(device) is a device node in the container; dks never creates device nodes on the host, so it was left out\n".utf8))
                }
            }
        }
    }

    /// `command.ValidateOutputPath`: the destination's parent must exist, and an existing
    /// destination must be a directory or a regular file.
    static func validateOutputPath(_ path: String) throws {
        let dir = GoPath.dir(GoPath.clean(path))
        if dir != "", dir != "." {
            var st = stat()
            if stat(dir, &st) != 0 && errno == ENOENT {
                throw ScriptError(.ioError, "cp: invalid output path: directory \"\(dir)\" does not exist; create it first (cp never creates parent directories, as docker cp)")
            }
        }
        var st = stat()
        if stat(path, &st) == 0 {
            let type = st.st_mode & S_IFMT
            if type == S_IFCHR || type == S_IFBLK || type == S_IFIFO || type == S_IFSOCK {
                throw ScriptError(.ioError, "cp: invalid output path: \"\(path)\" must be a directory or a regular file")
            }
        }
    }

    /// `archive.CopyInfoDestinationPath`: the host destination, with a symlink named as the
    /// destination followed (at most 10 times), as the docker CLI does; a missing destination
    /// needs an existing parent directory.
    static func hostDestination(_ path: String) throws -> CopyInfo {
        var current = path
        var st = stat()
        var found = lstat(current, &st) == 0
        var hops = 0
        while found && (st.st_mode & S_IFMT) == S_IFLNK {
            hops += 1
            guard hops <= 10 else { throw ScriptError(.ioError, "cp: too many symlinks in \(path)") }
            let target: String
            do { target = try HostTreeArchiver.readLink(current) } catch let e as TarError { throw ScriptError(.ioError, "cp: \(e.description)") }
            current = target.hasPrefix("/") ? target : GoPath.join(CopyPlan.splitPathDirEntry(current).dir, target)
            found = lstat(current, &st) == 0
        }
        if found { return CopyInfo(path: current, exists: true, isDir: (st.st_mode & S_IFMT) == S_IFDIR) }
        let code = errno
        guard code == ENOENT else {
            errno = code
            throw ScriptError(.ioError, "cp: cannot use \(current) as the destination: \(lastErrorReason())")
        }
        let parent = CopyPlan.splitPathDirEntry(current).dir
        guard stat(parent, &st) == 0 else { throw ScriptError(.ioError, "cp: \(parent): \(lastErrorReason())") }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw ScriptError(.ioError, "cp: not a directory: \(parent)") }
        return CopyInfo(path: current)
    }

    static func refusal(_ r: CopyPlan.Refusal, source: String, destination: String, sourceIsDir: Bool) -> ScriptError {
        switch r {
        case .cannotCopyDirectory:
            return ScriptError(.valueError, "cp: cannot copy directory \(source) onto \(destination), which exists and is not a directory")
        case .noSuchDirectory:
            return ScriptError(.ioError, "cp: no such directory: \(destination) (a destination ending in / must be an existing directory)")
        }
    }

    // MARK: Into a container

    static func copyIn(_ ctx: ContainerContext, from source: String, container: String, path dstPath: String, followLink: Bool) throws {
        let engine = try ctx.engine("cp")
        let destination = try containerDestination(engine, container: container, path: dstPath)
        if source == "-" {
            // A tar archive on stdin, extracted as it is into an existing directory.
            guard destination.isDir else {
                throw ScriptError(.valueError, "cp: destination \"\(container):\(dstPath)\" must be a directory")
            }
            try ErrorMapping.run("cp") {
                try engine.copyIn(container, path: destination.path) { write in
                    var buf = [UInt8](repeating: 0, count: 256 * 1024)
                    while true {
                        let n = buf.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                        if n < 0 && errno == EINTR { continue }
                        guard n >= 0 else { throw ScriptError(.ioError, "cp: cannot read stdin: \(lastErrorReason())") }
                        if n == 0 { break }
                        try write(Array(buf[0..<n]))
                    }
                }
            }
            return
        }
        let sourceInfo = try hostSource(CopyPlan.absolute(source, cwd: currentDirectory()), followLink: followLink)
        let plan: CopyPlan.Extraction
        do { plan = try CopyPlan.prepare(source: sourceInfo, destination: destination) } catch let r as CopyPlan.Refusal {
            throw refusal(r, source: source, destination: "\(container):\(dstPath)", sourceIsDir: sourceInfo.isDir)
        }
        let base = CopyPlan.splitPathDirEntry(sourceInfo.path).base
        let name = plan.rename?.to ?? (sourceInfo.rebaseName.isEmpty ? base : sourceInfo.rebaseName)
        do {
            try ErrorMapping.run("cp") {
                try engine.copyIn(container, path: plan.directory) { write in
                    try withoutActuallyEscaping(write) { write in
                        let writer = TarWriter(sink: write)
                        try HostTreeArchiver.archive(path: sourceInfo.path, as: name, into: writer)
                        try writer.finish()
                    }
                }
            }
        } catch let e as TarError {
            throw ScriptError(.ioError, "cp: \(e.description)")
        }
    }

    /// The docker CLI's stat of the container destination: a symlink is followed once; a
    /// device or irregular file is refused; other failures mean "does not exist" (the copy may
    /// still create it). Unlike the docker CLI, a missing container is reported as such.
    static func containerDestination(_ engine: ContainerEngine, container: String, path: String) throws -> CopyInfo {
        var info = CopyInfo(path: path)
        var stat: ContainerPathStat
        do { stat = try engine.statPath(container, path: path) } catch let e as EngineError {
            switch e.kind {
            case .notFound where e.message.lowercased().contains("no such container"), .interrupted, .unsupported:
                throw ErrorMapping.map(e, command: "cp")
            default:
                // As the docker CLI: assume the parent exists; the copy itself says what is wrong.
                return info
            }
        }
        if stat.isSymlink {
            var target = stat.linkTarget
            if !target.hasPrefix("/") { target = GoPath.join(CopyPlan.splitPathDirEntry(path).dir, target) }
            info.path = target
            guard let resolved = try? engine.statPath(container, path: target) else { return info }
            stat = resolved
        }
        if let why = stat.unfitDestination {
            throw ScriptError(.valueError, "cp: destination \"\(container):\(path)\" must be a directory or a regular file: \(why)")
        }
        info.exists = true
        info.isDir = stat.isDirectory
        return info
    }

    /// `archive.CopyInfoSourcePath`: links in the parent are resolved; the last element is
    /// copied as it is (a link stays a link) unless `followLink`.
    static func hostSource(_ path: String, followLink: Bool) throws -> CopyInfo {
        var resolved: String
        var rebase = ""
        if followLink {
            guard let real = realPath(path) else { throw ScriptError(.ioError, "cp: cannot read \(path): \(lastErrorReason())") }
            (resolved, rebase) = CopyPlan.rebaseName(asked: path, resolved: real)
        } else {
            let (dir, base) = GoPath.split(path)
            guard let realDir = realPath(dir.isEmpty ? "." : dir) else {
                throw ScriptError(.ioError, "cp: cannot read \(path): \(lastErrorReason())")
            }
            resolved = (realDir == "/" ? "" : realDir) + "/" + base
            if path.hasSuffix("/") && GoPath.base(path) != GoPath.base(resolved) { rebase = GoPath.base(path) }
        }
        var st = stat()
        guard lstat(resolved, &st) == 0 else { throw ScriptError(.ioError, "cp: cannot read \(path): \(lastErrorReason())") }
        return CopyInfo(path: resolved, exists: true, isDir: (st.st_mode & S_IFMT) == S_IFDIR, rebaseName: rebase)
    }

    private static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
