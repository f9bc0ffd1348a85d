// ExecCommand: `exec [opts] C CMD...` — runs a command in a running container. At statement
// level (or as a pipeline stage) its output streams to the context's stdout/stderr and a
// non-zero exit raises CommandError (errexit, spec §7); as a value it is captured into an
// exec_result and never raises; iterated (`for $l in (exec ...)`) its stdout lines stream.
// `-i` feeds the context's stdin (a pipe, a `<` file, dks's own stdin); `-d` returns an `exec`
// object; `--timeout` kills it and raises Timeout. `-it` on a terminal is an interactive session.
// Must not: use a shell, or leave the exec'd process running when the call ends early.
#if canImport(Glibc)
import Glibc
#endif
import DKSEngine
import DKSLanguage
import DKSSupport

enum ExecCommand {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        let sig = Signature("exec", topic: "containers",
                            [.arg("container", "a running container (object, name or id)"),
                             .rest("cmd", "the command and its arguments (argv, no shell; a list spreads)"),
                             .flag("detach", short: "d", "start it in the background; returns an exec object"),
                             .repeated("env", short: "e", "KEY=VALUE", "environment variable"),
                             .option("workdir", short: "w", "DIR", default: nil, "working directory"),
                             .option("user", short: "u", "USER[:GROUP]", default: nil, "user to run as"),
                             .flag("tty", short: "t", "allocate a terminal"),
                             .flag("interactive", short: "i", "feed stdin: a pipe, a < file, or dks's own stdin"),
                             .flag("privileged", "extended privileges"),
                             .option("timeout", "DURATION", default: nil, "kill it and raise Timeout when it runs longer")],
                            stopsAtFirstPositional: true,
                            summary: "Runs CMD (argv, no shell) inside a running container. At statement level its stdout and stderr stream live to dks's and a non-zero exit raises CommandError (with .exit_code), as set -e would; when the value is used it returns an exec_result with .exit_code, .ok, .output (both streams in order), .stdout and .stderr, and never raises. for $line in (exec ...) iterates its stdout lines as they arrive. -i feeds it stdin: from a pipe ($sql | exec -i $db psql), a < file, or dks's own stdin; the end of that input closes the process's stdin. -d starts it in the background and returns an exec object (.id, .running, .exit_code, .pid; wait works on it). --timeout D kills it and raises Timeout. With -it at the prompt, the command gets your terminal (an interactive shell). Options end at the container, as in the docker CLI.",
                            example: "exec $c ls /etc\n$r = exec $c sh -c 'test -f /ready'\nif not $r.ok { echo not ready }\n$sql | exec -i $db psql\nexec -i $c sh -c 'cat > /tmp/f' < local.txt")
        r.register(sig) { a in try run(&a, ctx) }
    }

    static func run(_ a: inout Arguments, _ ctx: ContainerContext) throws -> Value {
        let t = try ctx.target(a[0], a.interp, command: "exec")
        let ref = t.ref
        let cmd = a.argv(1)
        guard !cmd.isEmpty else {
            throw ScriptError(.valueError, "exec: no command given; write exec CONTAINER CMD [ARG...]")
        }
        var config = ExecConfig(cmd: cmd)
        config.detach = a.bool(2)
        // `-e NAME` takes NAME from $env, the environment dks gives programs.
        config.env = try RunOptions.flatStrings(a[3]).map { item in
            try EnvOptions.resolve(item, command: "exec", environment: { a.interp.environmentValue($0) })
        }
        config.workingDir = try a.optionalString(4)
        config.user = try a.optionalString(5)
        config.tty = a.bool(6)
        config.interactive = a.bool(7)
        config.privileged = a.bool(8)
        if let t = try a.optionalDuration(9) { config.deadline = .after(seconds: t) }
        let shown = cmd.map(RunCommand.displayWord).joined(separator: " ")
        let value = a[0]
        let container = { t.label(value) }
        if config.detach {
            config.interactive = false
            let id = try t.call("exec") { try $0.execDetached(ref, config) }
            return .object(ExecObject(id: id, engine: t.engine, container: container, command: shown))
        }
        let stdinIsTerminal = isatty(a.interp.inFD) == 1
        if config.interactive, config.tty, stdinIsTerminal, a.usage == .statement, let session = t.engine.provider.interactiveSession {
            // The terminal is the user's for the duration: an interactive shell's exit code is the user's business.
            try a.interp.flush()
            _ = try t.call("exec") { try session($0, ref, config) }
            return .null
        }
        // A terminal needs a terminal on our side too: piped input runs without one, as a pipe.
        if config.tty && config.interactive && !stdinIsTerminal { config.tty = false }
        if config.interactive { config.stdin = a.interp.inFD }
        switch a.usage {
        case .iterated:
            _ = try t.call("exec") { try $0.inspect(ref) }
            return .object(ExecLineStream(target: t, config: config, shown: shown, container: container, interp: a.interp))
        case .value:
            // A capture over the limit or a failed write ends the exec: the engine stops the process.
            let router = try OutputRouter(streamingTo: nil, command: "exec")
            let code = try t.call("exec") { try $0.exec(ref, config) { try router.deliver($0) } } ?? 0
            return .object(ExecResultObject(exitCode: code, capture: router.capture))
        case .statement:
            let router = try OutputRouter(streamingTo: a.interp, command: "exec")
            let code = try t.call("exec") { try $0.exec(ref, config) { try router.deliver($0) } } ?? 0
            if code != 0 { throw failure(shown, container(), code, output: router.lastLines(20)) }
            return .null
        }
    }

    /// The errexit error of a failed exec at statement level.
    static func failure(_ shown: String, _ container: String, _ code: Int, output: String?) -> ScriptError {
        var e = ScriptError(.commandError, "exec: '\(shown)' in \(container) exited with code \(code)")
        e.exitCode = code
        e.output = output
        return e
    }

    /// `attach C`: the user's terminal joined to the container's main process (Ctrl-P Ctrl-Q detaches).
    static func registerAttach(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        r.register(Signature("attach", topic: "containers", [.arg("container", "a running container (object, name or id)")],
                             summary: "Connects your terminal to a running container's main process: what you type goes to it, what it prints comes to you. Ctrl-P Ctrl-Q detaches and leaves it running; when the process exits, attach returns its exit code. Needs the Docker engine and a terminal.",
                             example: "$c = run -d -it dks-test/busybox sh\nattach $c")) { a in
            let t = try ctx.target(a[0], a.interp, command: "attach")
            guard let session = t.engine.provider.interactiveSession else {
                throw ScriptError(.valueError, "attach: no terminal session is available here; use logs -f to follow the output")
            }
            try a.interp.flush()
            let code = try t.call("attach") { try session($0, t.ref, nil) }
            return code.map { .int($0) } ?? .null
        }
    }
}
