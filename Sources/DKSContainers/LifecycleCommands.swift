// LifecycleCommands: start, stop, restart, kill, pause, unpause, rename, rm — one engine call
// each, returning the container (rm: null). Must not: wait for states (WaitCommands does).
import DKSEngine
import DKSLanguage
import DKSSupport

enum LifecycleCommands {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        let c = Param.arg("container", "a container object, name or id")
        simple(r, ctx, Signature("start", topic: "containers", [c],
                                 summary: "Starts a created or stopped container and returns it (it does not wait for anything; see wait-healthy and wait-log).",
                                 example: "$c = create dks-test/busybox sleep 60\nstart $c")) { e, ref, _ in try e.start(ref) }
        let timeout = Param.option("timeout", short: "t", "SECS", default: nil, "seconds to wait for a graceful stop before SIGKILL")
        simple(r, ctx, Signature("stop", topic: "containers", [c, timeout],
                                 summary: "Stops a running container: its stop signal (SIGTERM unless --stop-signal), then SIGKILL after -t seconds (the container's stop timeout, 10 by default). Returns the container.",
                                 example: "stop $web -t 2\n$web.stop()")) { e, ref, a in try e.stop(ref, timeout: try seconds(a, 1)) }
        simple(r, ctx, Signature("restart", topic: "containers", [c, timeout],
                                 summary: "Stops (as 'stop' does, waiting -t seconds) and starts the container again. Returns it.",
                                 example: "restart $web -t 1")) { e, ref, a in try e.restart(ref, timeout: try seconds(a, 1)) }
        simple(r, ctx, Signature("kill", topic: "containers", [c, .option("signal", short: "s", "SIGNAL", default: nil, "signal name or number (default SIGKILL)")],
                                 summary: "Sends a signal to the container's main process (SIGKILL by default; names like TERM, SIGHUP or numbers). Returns the container.",
                                 example: "kill $c -s HUP")) { e, ref, a in try e.kill(ref, signal: try a.optionalString(1)) }
        simple(r, ctx, Signature("pause", topic: "containers", [c],
                                 summary: "Freezes every process of the container (status 'paused'). Returns it.",
                                 example: "pause $c; echo $c.status   # paused")) { e, ref, _ in try e.pause(ref) }
        simple(r, ctx, Signature("unpause", topic: "containers", [c],
                                 summary: "Resumes a paused container. Returns it.",
                                 example: "unpause $c")) { e, ref, _ in try e.unpause(ref) }
        simple(r, ctx, Signature("rename", topic: "containers", [c, .arg("name", "the new name")],
                                 summary: "Gives the container a new name. Returns it (its .name reads the new name).",
                                 example: "rename $c web-old")) { e, ref, a in try e.rename(ref, to: try a.string(1)) }
        r.register(Signature("rm", topic: "containers",
                             [.rest("containers", "containers (objects, names, ids or lists of them)"),
                              .flag("force", short: "f", "kill running containers first"),
                              .flag("volumes", short: "v", "also remove their anonymous volumes")],
                             summary: "Removes containers (a running one only with -f; with -f a container that is already gone is not an error). Lists are flattened, so 'rm -f (ps -a --filter label=app=web)' works. Returns null.",
                             example: "defer { rm -f $c }\nrm $a $b")) { a in
            let targets = try ctx.targets(try a.list(0), a.interp, command: "rm")
            let force = a.bool(1), volumes = a.bool(2)
            for t in targets {
                do { try t.call("rm") { try $0.remove(t.ref, force: force, volumes: volumes) } } catch let e as ScriptError where force && e.kind == .notFound {
                    // As `docker rm -f`: already gone is fine, so `defer { rm -f $c }` never fails.
                    continue
                }
            }
            return .null
        }
    }

    /// Registers a command whose first positional is a container: one engine call, then the container.
    private static func simple(_ r: BuiltinRegistry, _ ctx: ContainerContext, _ sig: Signature,
                               _ body: @escaping (ContainerEngine, String, Arguments) throws -> Void) {
        let name = sig.name
        r.register(sig) { a in
            let t = try ctx.target(a[0], a.interp, command: name)
            let args = a
            try t.call(name) { try body($0, t.ref, args) }
            if case .object(let o as ContainerObject) = a[0] { return .object(o) }
            // After rename the old name is gone, so resolve by the name the engine has now.
            let now = name == "rename" ? try args.string(1) : t.ref
            return .object(try t.engine.container(ref: now, command: name))
        }
    }

    /// `-t SECS` as whole seconds (a duration string is accepted and rounded up).
    static func seconds(_ a: Arguments, _ i: Int) throws -> Int? {
        guard let d = try a.optionalDuration(i) else { return nil }
        guard d < 1e9 else { throw ScriptError(.valueError, "\(a.signature.name): -t is too large") }
        return Int(d.rounded(.up))
    }
}
