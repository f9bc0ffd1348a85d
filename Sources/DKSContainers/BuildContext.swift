// BuildContext: the docker CLI's build context for a local directory, member for member — the
// context and Dockerfile paths resolved as GetContextFromLocalDir does (`-f` relative to the
// current directory, symlinks evaluated, `dockerfile` when there is no `Dockerfile`), the
// `.dockerignore` read by ignorefile's rules, the Dockerfile and `.dockerignore` kept by
// exceptions (TrimBuildFilesFromExcludes), the directory walked as moby's TarWithOptions walks
// it (an excluded directory is entered only when an exception may match inside), and a
// Dockerfile from outside the context added under a generated name, with that name appended to
// the `.dockerignore` the daemon reads (AddDockerfileToBuildContext). Owns: those rules.
// Must not: hold the context in memory (members stream through the TarWriter) or talk to the engine.
#if canImport(Glibc)
import Glibc
#endif
import DKSLanguage
import DKSSupport

struct BuildContext {
    /// The context directory, absolute, symlinks resolved.
    let directory: String
    /// The Dockerfile's path inside the context as the daemon gets it.
    let dockerfile: String
    /// The exclude patterns (with the exceptions that keep the Dockerfile and `.dockerignore`).
    let excludes: [String]
    /// A Dockerfile from outside the context: its generated name and contents.
    let outside: (name: String, contents: [UInt8])?

    /// Resolves `context` and `dockerfile` (nil: the default) against `cwd`, as the docker CLI.
    static func prepare(context: String, dockerfile: String?, cwd: String) throws -> BuildContext {
        func fail(_ why: String) -> ScriptError { ScriptError(.ioError, "build: \(why)") }
        guard !context.isEmpty else { throw ScriptError(.valueError, "build: the context path is empty; give a directory (e.g. .)") }
        if context == "-" || context.contains("://") || context.hasPrefix("git@") {
            throw ScriptError(.valueError, "build: the context must be a local directory (\(context) is not supported by dks)")
        }
        let given = absolute(context, cwd: cwd)
        var st = stat()
        guard lstat(given, &st) == 0 else { throw fail("unable to prepare context: path \"\(context)\" not found") }
        guard let directory = realPath(given) else {
            throw fail("unable to prepare context: unable to evaluate symlinks in context path: \(lastErrorReason())")
        }
        guard stat(directory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw fail("unable to prepare context: context must be a directory: \(directory)")
        }

        var dockerfilePath: String
        if let f = dockerfile, !f.isEmpty {
            // -f is relative to the current directory, not to the context.
            dockerfilePath = absolute(f, cwd: cwd)
        } else {
            dockerfilePath = directory + "/Dockerfile"
            if lstat(dockerfilePath, &st) != 0, errno == ENOENT, lstat(directory + "/dockerfile", &st) == 0 {
                dockerfilePath = directory + "/dockerfile"
            }
        }
        guard let resolved = realPath(dockerfilePath) else {
            throw fail("cannot find the Dockerfile \(dockerfilePath): \(lastErrorReason())" + (dockerfile == nil ? " (give another with -f)" : ""))
        }
        var rel = GoPath.rel(directory, resolved)
        var outside: (String, [UInt8])?
        if rel.hasPrefix("../") {
            guard let bytes = readFileBytes(resolved) else { throw fail("unable to open Dockerfile \(resolved): \(lastErrorReason())") }
            rel = ".dockerfile." + randomSuffix()
            outside = (rel, bytes)
        }

        var excludes: [String] = []
        if let bytes = readFileBytes(directory + "/.dockerignore") {
            excludes = IgnoreFile.patterns(bytes)
        } else if errno != ENOENT {
            throw fail("error reading .dockerignore: \(lastErrorReason())")
        }
        // TrimBuildFilesFromExcludes: the daemon must get these; it removes them itself when excluded.
        if (try? IgnoreMatcher.matchesOneParent(".dockerignore", excludes)) == true { excludes.append("!.dockerignore") }
        if outside == nil, (try? IgnoreMatcher.matchesOneParent(rel, excludes)) == true { excludes.append("!" + rel) }
        return BuildContext(directory: directory, dockerfile: rel, excludes: excludes, outside: outside)
    }

    /// The matcher for the excludes; a bad pattern is the user's to fix.
    func matcher() throws -> IgnoreMatcher {
        do { return try IgnoreMatcher(excludes) } catch let e as IgnorePatternError {
            throw ScriptError(.valueError, "build: .dockerignore: \(e.description)")
        }
    }

    /// Writes the context into `writer` (and finishes the archive).
    func write(into writer: TarWriter, matcher: IgnoreMatcher) throws {
        var parentDirs: [String] = []
        var parentResults: [IgnoreMatcher.ParentResults] = []
        var ignoreFileSeen = false
        try HostTreeArchiver.archiveContents(of: directory, into: writer) { rel, isDir in
            while let last = parentDirs.last, !rel.hasPrefix(last + "/") {
                parentDirs.removeLast()
                parentResults.removeLast()
            }
            let (skip, results) = try matcher.matchesUsingParentResults(rel, parent: parentResults.last ?? IgnoreMatcher.ParentResults())
            if isDir {
                parentDirs.append(rel)
                parentResults.append(results)
            }
            if skip {
                guard isDir, matcher.hasExclusions else { return .skip }
                // An exception (`!dir/file`) under this directory: enter it without sending it.
                let dirSlash = rel + "/"
                return matcher.patterns.contains { $0.isExclusion && ($0.text + "/").hasPrefix(dirSlash) } ? .descendOnly : .skip
            }
            if outside != nil, rel == ".dockerignore", !isDir {
                // Sent at the end, with the generated Dockerfile name added.
                ignoreFileSeen = true
                return .skip
            }
            return .include
        }
        if let (name, contents) = outside {
            let now = Int64(time(nil))
            var ignore = TarHeader(name: ".dockerignore", kind: .file, mode: 0o600, mtime: now)
            var ignoreText: [UInt8] = Array(".dockerignore".utf8)
            if ignoreFileSeen, let original = readFileBytes(directory + "/.dockerignore") {
                var st = stat()
                if lstat(directory + "/.dockerignore", &st) == 0 {
                    ignore.mode = Int(st.st_mode & 0o7777)
                    ignore.mtime = Int64(st.st_mtim.tv_sec)
                }
                ignoreText = original
            }
            ignoreText += Array("\n\(name)\n".utf8)
            ignore.size = Int64(ignoreText.count)
            try writer.append(ignore)
            try writer.write(ignoreText)
            try writer.append(TarHeader(name: name, kind: .file, mode: 0o600, size: Int64(contents.count), mtime: now))
            try writer.write(contents)
        }
        try writer.finish()
    }

    static func absolute(_ path: String, cwd: String) -> String {
        GoPath.clean(path.hasPrefix("/") ? path : cwd + "/" + path)
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// 20 random lowercase hex digits, as the CLI's randomSuffix.
    static func randomSuffix() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<20).map { _ in String(Int.random(in: 0..<16, using: &g), radix: 16) }.joined()
    }
}
