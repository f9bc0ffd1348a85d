// RunCommand: `run` and `create` — options to a ContainerConfig with dks's labels, then create,
// and for `run` either start detached or attach-then-start and stream or capture until exit.
// Must not: build a shell command line (CMD words go to the engine as argv) or parse options
// itself (RunOptions does).
#if canImport(Glibc)
import Glibc
#endif
import DKSBuiltins
import Foundation
import DKSEngine
import DKSLanguage
import DKSSupport

enum RunCommand {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        let positionals: [Param] = [.arg("image", "the image to run"), .rest("cmd", "the command and its arguments (argv, no shell; a list spreads)")]
        let pull = Param.option("pull", "WHEN", default: .string("missing"), "pull the image first: missing (default), always or never")
        let run = Signature("run", topic: "containers",
                            positionals + [.flag("detach", short: "d", "start it in the background and return the container"),
                                           .option("timeout", "DURATION", default: nil, "kill it and raise Timeout when it runs longer (without -d)"),
                                           pull] + RunOptions.params,
                            stopsAtFirstPositional: true,
                            summary: "Creates a container from IMAGE and starts it. With -d, returns the container at once. Otherwise attaches before starting (so no output is lost, even with --rm) and waits for it to exit: at statement level its stdout and stderr stream live to dks's; when the value is used it returns an exec_result (.exit_code, .output, .stdout, .stderr). A non-zero exit raises ContainerError naming the image and exit code, with the last output lines in .output. -i feeds the container's stdin from a pipe, a < file or dks's own stdin (its end closes the container's stdin); --timeout D kills it and raises Timeout. A missing image is pulled first, with progress, as the docker CLI does (--pull missing|always|never). CMD words are passed as argv, never through a shell; a list spreads into one word per item. Options as the docker CLI's (-e, -l, -v, -p, -w, -u, --name, --rm, --restart, --health-cmd, ...); every container gets the labels dks.session and dks.script.",
                            example: "run --rm dks-test/busybox echo hello\n$web = run -d --name web -p 8080:80 nginx\n$r = run --rm busybox sh -c 'echo out; echo err >&2'   # $r.stdout == \"out\\n\"")
        r.register(run) { a in try runBody(&a, ctx, create: false) }
        let create = Signature("create", topic: "containers", positionals + [pull] + RunOptions.params, stopsAtFirstPositional: true,
                               summary: "Creates a container from IMAGE without starting it and returns it (status 'created'); start it with 'start'. Takes the options of 'run' except -d and --timeout; a missing image is pulled first (--pull missing|always|never).",
                               example: "$c = create --name job dks-test/busybox echo done\nstart $c; wait $c")
        r.register(create) { a in try runBody(&a, ctx, create: true) }
    }

    /// The config for bound `run`/`create` arguments, with dks's labels.
    static func config(_ a: Arguments, _ ctx: ContainerContext) throws -> ContainerConfig {
        let image = try imageName(a[0]) ?? a.string(0)
        guard !image.isEmpty else { throw ScriptError(.valueError, "\(a.signature.name): the image name is empty") }
        // `-e NAME` takes NAME from $env, the environment dks gives programs (spec §10).
        var c = try RunOptions.makeConfig(a, image: image, cmd: a.argv(1), readFile: readEnvFile) { name in
            a.interp.environmentValue(name)
        }
        c.labels.removeAll { $0.0 == "dks.session" || $0.0 == "dks.script" }
        c.labels.append(("dks.session", ctx.sessionID))
        c.labels.append(("dks.script", a.interp.scriptName.isEmpty ? "<prompt>" : a.interp.scriptName))
        return c
    }

    /// The name to run an image object by: the name it was obtained by, else its first tag,
    /// else its id (nil for a value that is not an image object).
    static func imageName(_ v: Value) throws -> String? {
        guard case .object(let img as ImageObject) = v else { return nil }
        if let r = img.reference { return r }
        let tags = (try? ImageObject.tags(of: img.inspect("run"))) ?? img.knownTags
        return tags.first ?? img.id
    }

    /// Creates the container, pulling its image first as `--pull` says: `missing` (the default)
    /// pulls only when the engine has no such image, `always` first, `never` not at all. Progress
    /// goes to stderr and credentials come from the docker CLI's stores, as with `pull`.
    static func createPulling(_ config: ContainerConfig, _ a: inout Arguments, _ ctx: ContainerContext, _ engine: ContainerEngine) throws -> String {
        let command = a.signature.name
        let policy = try a.string(a.signature.index(of: "pull") ?? 0)
        guard ["missing", "always", "never"].contains(policy) else {
            throw ScriptError(.valueError, "\(command): --pull must be missing, always or never, not '\(policy)'")
        }
        if policy == "always" { try ImageCommands.pull(config.image, ctx, a.interp, command: command) }
        do {
            return try ErrorMapping.run(command) { try engine.create(config) }
        } catch let e as ScriptError where e.kind == .notFound && policy == "missing" && e.message.lowercased().contains("no such image") {
            try a.interp.flush()
            writeAll(a.interp.errFD, Array("Unable to find image '\(config.image)' locally\n".utf8))
            try ImageCommands.pull(config.image, ctx, a.interp, command: command)
            return try ErrorMapping.run(command) { try engine.create(config) }
        }
    }

    /// After an attached `run --rm`: waits (briefly) for the engine's auto-removal, as the docker CLI
    /// does, so the next statement never sees the container or its volumes in use; removes it if
    /// the engine did not. Errors are ignored: "no such container" is the expected outcome.
    static func finishRemoval(_ engine: ContainerEngine, _ id: String) {
        do {
            _ = try engine.wait(id, condition: .removed, deadline: Deadline.after(seconds: 10))
            return
        } catch let e as EngineError where e.kind == .notFound {
            return
        } catch {
            // The engine did not remove it in time (or can't say): remove it ourselves.
        }
        try? engine.remove(id, force: true, volumes: false)
    }

    /// A CMD word as the message shows it (quoted when it has spaces); for display only, never run.
    static func displayWord(_ w: String) -> String {
        if !w.isEmpty, !w.contains(where: { " \t\n'\"$;&|<>()*?".contains($0) }) { return w }
        return "\"" + w.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Reads an `--env-file` (an IOError names the file when it can't).
    static func readEnvFile(_ path: String) throws -> [UInt8] {
        guard let bytes = readFileBytes(path) else { throw ScriptError(.ioError, "--env-file: cannot read \(path): \(lastErrorReason())") }
        return bytes
    }

    static func runBody(_ a: inout Arguments, _ ctx: ContainerContext, create: Bool) throws -> Value {
        let command = a.signature.name
        var config = try config(a, ctx)
        let detach = !create && a.bool(a.signature.index(of: "detach") ?? 0)
        config.detached = detach
        // The engine auto-removes (so a killed dks leaves nothing behind); dks removes it too
        // after an attached run, in case the engine did not (errors ignored: it is usually gone).
        let removeAfter = config.autoRemove && !create && !detach
        let engine = try ctx.engine(command)
        let id = try createPulling(config, &a, ctx, engine)
        let container = ctx.container(id: id, name: config.name)
        if create { return .object(container) }
        if detach {
            do { try ErrorMapping.run(command) { try engine.start(id) } } catch {
                // A container that cannot start is useless; don't leave it behind when --rm asked for cleanup.
                if config.autoRemove { try? engine.remove(id, force: true, volumes: false) }
                throw error
            }
            return .object(container)
        }
        let router = try OutputRouter(streamingTo: a.valueUsed ? nil : a.interp, command: command)
        let deadline = try a.optionalDuration(a.signature.index(of: "timeout") ?? 0).map { Deadline.after(seconds: $0) } ?? .never
        // `-i`: the context's stdin (a pipe, a < file, dks's own stdin) becomes the container's.
        let stdin = config.openStdin ? a.interp.inFD : nil
        let code: Int
        do {
            code = try ErrorMapping.run(command) { try engine.runAttached(id, stdin: stdin, deadline: deadline) { try router.deliver($0) } }
        } catch {
            // Interrupted, timed out, or its output could not go anywhere (a capture over the limit,
            // a closed stdout, a pipeline's reader gone): don't leave a running container behind.
            if let s = error as? ScriptError, s.kind == .interrupted || s.kind == .timeout || router.failed { try? engine.kill(id, signal: nil) }
            if removeAfter { try? engine.remove(id, force: true, volumes: false) }
            throw error
        }
        if removeAfter { finishRemoval(engine, id) }
        if code != 0 {
            let shown = (config.cmd ?? []).map(displayWord).joined(separator: " ")
            let what = shown.isEmpty ? "the image's command" : "'\(shown)'"
            var e = ScriptError(.containerError, "run: \(what) in \(config.image) exited with code \(code)")
            e.exitCode = code
            e.output = router.lastLines(20)
            e.extra.append(("container", .object(container)))
            throw e
        }
        return a.valueUsed ? .object(ExecResultObject(exitCode: code, capture: router.capture)) : .null
    }
}
