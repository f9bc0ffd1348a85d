// ArchiveCommands: `save IMAGE... [-o FILE]`, `load [-i FILE] [-q]`, `export C [-o FILE]` and
// `commit C [REPOSITORY[:TAG]]`, as the docker CLI's. Archives stream between the engine and
// the file (or stdout/stdin) one piece at a time, so memory does not grow with their size; an
// output file is written beside its final name and renamed into place only when complete.
// Must not: write an archive to a terminal, or leave a partial output file behind.
#if canImport(Glibc)
import Glibc
#endif
import DKSEngine
import DKSLanguage
import DKSSupport

enum ArchiveCommands {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        r.register(Signature("save", topic: "images",
                             [.rest("images", "images (objects, names or ids)"),
                              .option("output", short: "o", "FILE", default: nil, "write the archive to FILE (default: stdout, never a terminal)")],
                             summary: "Writes images, with their tags and layers, as one tar archive (what 'load' reads), streamed: to FILE with -o (it appears only once complete), else to stdout. An image object is saved under its tags, so 'load' restores them.",
                             example: "save dks-test/busybox -o /tmp/busybox.tar\nsave $img > /tmp/img.tar")) { a in
            var names: [String] = []
            for v in flat(try a.list(0)) {
                if case .object(let img as ImageObject) = v {
                    let tags = (try? ImageObject.tags(of: img.inspect("save"))) ?? img.knownTags
                    names += tags.isEmpty ? [img.id] : tags
                } else {
                    names.append(try ctx.ref(v, command: "save", what: "image"))
                }
            }
            guard !names.isEmpty else { throw ScriptError(.valueError, "save: name at least one image") }
            try download("save", a, ctx, output: try a.optionalString(1)) { engine, consume in
                try engine.saveImages(names, consume: consume)
            }
            return .null
        }
        r.register(Signature("export", topic: "containers",
                             [.arg("container", "a container (object, name or id)"),
                              .option("output", short: "o", "FILE", default: nil, "write the archive to FILE (default: stdout, never a terminal)")],
                             summary: "Writes the container's filesystem as a tar archive, streamed: to FILE with -o (it appears only once complete), else to stdout.",
                             example: "export $c -o /tmp/rootfs.tar")) { a in
            let ref = try ctx.ref(a[0], command: "export")
            try download("export", a, ctx, output: try a.optionalString(1)) { engine, consume in
                try engine.exportContainer(ref, consume: consume)
            }
            return .null
        }
        r.register(Signature("load", topic: "images",
                             [.option("input", short: "i", "FILE", default: nil, "read the archive from FILE (default: stdin)"),
                              .flag("quiet", short: "q", "no progress")],
                             summary: "Loads images from a tar archive that 'save' (or docker save) wrote, streamed from FILE or stdin, and returns them as image objects. At statement level prints 'Loaded image: NAME' lines, as docker load does.",
                             example: "$imgs = load -i /tmp/busybox.tar\necho $imgs[0].tags")) { a in
            try load(a, ctx)
        }
        var pause = Param.flag("pause", short: "p", "pause the container while committing (default true; --pause=false not to)")
        pause.defaultValue = .bool(true)
        r.register(Signature("commit", topic: "images",
                             [.arg("container", "a container (object, name or id)"),
                              .arg("repository", default: .null, "REPOSITORY[:TAG] for the new image"),
                              .option("author", short: "a", "NAME", default: nil, "the author"),
                              .option("message", short: "m", "TEXT", default: nil, "the commit message"),
                              .repeated("change", short: "c", "INSTRUCTION", "a Dockerfile instruction to apply (CMD, ENV, LABEL, ...)"),
                              pause],
                             summary: "Creates an image from a container's current filesystem and settings, as docker commit, and returns it.",
                             example: "exec $c sh -c 'echo hi > /greeting'\n$img = commit $c app:with-greeting -c 'CMD [\"cat\", \"/greeting\"]'")) { a in
            let ref = try ctx.ref(a[0], command: "commit")
            var options = CommitOptions()
            var reference: String?
            if a.isGiven(1) {
                let text = try a.string(1)
                let target: ImageReference
                do { target = try ImageReference.parseTagTarget(text) } catch let e as ImageReference.Invalid {
                    throw ScriptError(.valueError, "commit: \"\(text)\" is not a valid repository/tag: \(e.description)")
                }
                options.repository = target.name
                options.tag = target.tag
                reference = target.name + ":" + (target.tag ?? "latest")
            }
            options.author = try a.optionalString(2)
            options.message = try a.optionalString(3)
            options.changes = RunOptions.flatStrings(a[4])
            switch a[5] {
            case .string(let s): options.pause = !["false", "0", "no"].contains(s.lowercased())
            default: options.pause = a.bool(5)
            }
            let id = try ctx.call("commit") { try $0.commit(ref, options: options) }
            return try ImageCommands.image(id, ctx, "commit", reference: reference)
        }
    }

    static func flat(_ values: [Value]) -> [Value] {
        values.flatMap { v -> [Value] in if case .list(let l) = v { return flat(l) }; return [v] }
    }

    /// An archive from the engine to `output` (a file, written aside and renamed into place) or stdout.
    static func download(_ command: String, _ a: Arguments, _ ctx: ContainerContext, output: String?,
                         _ body: (ContainerEngine, BodyConsumer) throws -> Void) throws {
        let engine = try ctx.engine(command)
        guard let output = output, output != "-" else {
            // A terminal is refused; a capture, a pipe or a redirected stdout is not.
            if let fd = a.interp.out.fd, isatty(fd) == 1 {
                throw ScriptError(.valueError, "\(command): cowardly refusing to write an archive to a terminal; use -o FILE or redirect stdout")
            }
            let interp = a.interp
            try interp.flush()
            try ErrorMapping.run(command) {
                try body(engine) { read in
                    while let piece = try read() {
                        try interp.out.write(bytes: piece)
                        try interp.out.flush()
                    }
                }
            }
            return
        }
        let file = try OutputFile(output, command: command)
        do {
            try ErrorMapping.run(command) {
                try body(engine) { read in
                    while let piece = try read() { try file.write(piece) }
                }
            }
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    static func load(_ a: Arguments, _ ctx: ContainerContext) throws -> Value {
        let input = try a.optionalString(0)
        var fd: Int32 = -1
        let next: () throws -> [UInt8]?
        if let path = input {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw ScriptError(.ioError, "load: cannot read \(path): \(lastErrorReason())") }
            var buf = [UInt8](repeating: 0, count: 256 * 1024)
            next = {
                while true {
                    let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    guard n >= 0 else { throw ScriptError(.ioError, "load: cannot read \(path): \(lastErrorReason())") }
                    return n == 0 ? nil : (n == buf.count ? buf : Array(buf[0..<n]))
                }
            }
        } else if StageIO.stdinIsTerminal(a.interp) {
            throw ScriptError(.valueError, "load: requested load from stdin, but stdin is a terminal; use -i FILE or redirect stdin")
        } else {
            // The statement's stdin: `load < FILE`, `^zcat x.tar.gz | load`, or dks's own.
            next = StageIO.reader(a.interp, command: "load")
        }
        defer { if fd >= 0 { close(fd) } }
        let quiet = a.bool(1) || isatty(a.interp.errFD) != 1
        let progress = StageIO.progress(a.interp)
        var loaded: [String] = []
        var failure: String?
        try a.interp.flush()
        try ctx.call("load") { engine in
            try engine.loadImages(quiet: quiet, produce: { write in
                while let piece = try next() {
                    if !piece.isEmpty { try write(piece) }
                }
            }, onMessage: { message in
                if let error = message["error"]?.stringValue { failure = error; return }
                if let text = message["stream"]?.stringValue {
                    for line in text.split(separator: "\n") {
                        for prefix in ["Loaded image: ", "Loaded image ID: "] where line.hasPrefix(prefix) {
                            loaded.append(String(line.dropFirst(prefix.count)))
                        }
                        if !a.valueUsed { try a.interp.out.write(bytes: Array((line + "\n").utf8)) }
                    }
                } else if !quiet {
                    progress.update(message)
                }
            })
        }
        progress.finish()
        if let failure = failure { throw ScriptError(.engineError, "load: \(failure)") }
        if !a.valueUsed { return .null }
        return .list(try loaded.map { try ImageCommands.image($0, ctx, "load", reference: $0.hasPrefix("sha256:") ? nil : $0) })
    }
}

/// A file written beside its final path and renamed into place once complete (as the docker
/// CLI's save -o), so a failed or interrupted transfer leaves nothing half-written.
final class OutputFile {
    let path: String
    private let temp: String
    private var fd: Int32

    init(_ path: String, command: String) throws {
        let absolute = BuildContext.absolute(path, cwd: CopyCommand.currentDirectory())
        let dir = GoPath.dir(absolute)
        var st = stat()
        guard stat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw ScriptError(.ioError, "\(command): invalid output path: directory \"\(dir)\" does not exist; create it first")
        }
        if stat(absolute, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw ScriptError(.ioError, "\(command): \(path) is a directory; give a file name")
        }
        var template = Array((dir + "/.dks_temp_XXXXXX").utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ScriptError(.ioError, "\(command): cannot write in \(dir): \(lastErrorReason())") }
        temp = String(cString: template.map { $0 })
        // The mode of a file the shell would create (0666 less the umask), not mkstemp's 0600.
        let mask = umask(0)
        umask(mask)
        fchmod(fd, 0o666 & ~mask)
        self.path = absolute
        self.command = command
    }

    private let command: String

    func write(_ bytes: [UInt8]) throws {
        guard writeAll(fd, bytes) else { throw ScriptError(.ioError, "\(command): cannot write \(path): \(lastErrorReason())") }
    }

    func commit() throws {
        guard close(fd) == 0 else {
            fd = -1
            throw ScriptError(.ioError, "\(command): cannot write \(path): \(lastErrorReason())")
        }
        fd = -1
        guard rename(temp, path) == 0 else { throw ScriptError(.ioError, "\(command): cannot write \(path): \(lastErrorReason())") }
    }

    func discard() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temp)
    }

    deinit { if fd >= 0 { close(fd); unlink(temp) } }
}
