// ExecCommand: `exec [opts] C CMD...` — runs a command in a running container, streaming its
// output at statement level or capturing it into an exec_result when the value is used.
// Must not: raise on a non-zero exit (the result carries the code; scripts decide) or use a shell.
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
                             .rest("cmd", "the command and its arguments (argv, no shell)"),
                             .flag("detach", short: "d", "start it in the background; returns null"),
                             .repeated("env", short: "e", "KEY=VALUE", "environment variable"),
                             .option("workdir", short: "w", "DIR", default: nil, "working directory"),
                             .option("user", short: "u", "USER[:GROUP]", default: nil, "user to run as"),
                             .flag("tty", short: "t", "allocate a terminal"),
                             .flag("interactive", short: "i", "keep stdin open"),
                             .flag("privileged", "extended privileges")],
                            stopsAtFirstPositional: true,
                            summary: "Runs CMD (argv, no shell) inside a running container. At statement level its stdout and stderr stream live to dks's; when the value is used it returns an exec_result with .exit_code, .output (both streams in order), .stdout and .stderr. Unlike run, a non-zero exit does NOT raise: the result always carries its exit code, so check $r.exit_code (or $r.ok). With -it at the prompt, the command gets your terminal (an interactive shell). Options end at the container, as in the docker CLI.",
                            example: "exec $c ls /etc\n$r = exec $c sh -c 'test -f /ready'\nif $r.exit_code != 0 { echo not ready }")
        r.register(sig) { a in
            let ref = try ctx.ref(a[0], command: "exec")
            let cmd = try a.list(1).map { $0.str }
            guard !cmd.isEmpty else {
                throw ScriptError(.valueError, "exec: no command given; write exec CONTAINER CMD [ARG...]")
            }
            var config = ExecConfig(cmd: cmd)
            config.detach = a.bool(2)
            config.env = try RunOptions.flatStrings(a[3]).map { item in
                try EnvOptions.resolve(item, command: "exec", environment: { getenv($0).map { String(cString: $0) } })
            }
            config.workingDir = try a.optionalString(4)
            config.user = try a.optionalString(5)
            config.tty = a.bool(6)
            config.interactive = a.bool(7)
            config.privileged = a.bool(8)
            if config.interactive, !config.detach, !a.valueUsed || config.tty, let session = ctx.provider.interactiveSession {
                // The terminal is the user's for the duration; the result carries only the exit code.
                try a.interp.flush()
                let code = try ctx.call("exec") { try session($0, ref, config) }
                guard let exitCode = code else { return .null }
                return a.valueUsed ? .object(ExecResultObject(exitCode: exitCode, capture: OutputCapture())) : .null
            }
            // A capture over the limit or a failed write ends the exec: the engine stops the process.
            let router = try OutputRouter(streamingTo: a.valueUsed ? nil : a.interp, command: "exec")
            let code = try ctx.call("exec") { try $0.exec(ref, config) { try router.deliver($0) } }
            guard let exitCode = code else { return .null }
            return a.valueUsed ? .object(ExecResultObject(exitCode: exitCode, capture: router.capture)) : .null
        }
    }

    /// `attach C`: the user's terminal joined to the container's main process (Ctrl-P Ctrl-Q detaches).
    static func registerAttach(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        r.register(Signature("attach", topic: "containers", [.arg("container", "a running container (object, name or id)")],
                             summary: "Connects your terminal to a running container's main process: what you type goes to it, what it prints comes to you. Ctrl-P Ctrl-Q detaches and leaves it running; when the process exits, attach returns its exit code. Needs the Docker engine and a terminal.",
                             example: "$c = run -d -it dks-test/busybox sh\nattach $c")) { a in
            let ref = try ctx.ref(a[0], command: "attach")
            guard let session = ctx.provider.interactiveSession else {
                throw ScriptError(.valueError, "attach: no terminal session is available here; use logs -f to follow the output")
            }
            try a.interp.flush()
            let code = try ctx.call("attach") { try session($0, ref, nil) }
            return code.map { .int($0) } ?? .null
        }
    }
}
