// ExecCommand: `exec [opts] C CMD...` — runs a command in a running container, streaming its
// output at statement level or capturing it into an exec_result when the value is used.
// Must not: raise on a non-zero exit (the result carries the code; scripts decide) or use a shell.
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
            config.env = RunOptions.flatStrings(a[3])
            config.workingDir = try a.optionalString(4)
            config.user = try a.optionalString(5)
            config.tty = a.bool(6)
            config.interactive = a.bool(7)
            config.privileged = a.bool(8)
            if config.interactive, !config.detach, !a.valueUsed || config.tty, let attach = ctx.provider.interactiveExec {
                // The terminal is the user's for the duration; the result carries only the exit code.
                a.interp.flush()
                let code = try ctx.call("exec") { try attach($0, ref, config) }
                return a.valueUsed ? .object(ExecResultObject(exitCode: code, capture: OutputCapture())) : .null
            }
            let router = OutputRouter(streamingTo: a.valueUsed ? nil : a.interp)
            let code = try ctx.call("exec") { try $0.exec(ref, config) { router.deliver($0) } }
            guard let exitCode = code else { return .null }
            return a.valueUsed ? .object(ExecResultObject(exitCode: exitCode, capture: router.capture)) : .null
        }
    }
}
