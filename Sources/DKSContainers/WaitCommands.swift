// WaitCommands: `wait`, `wait-healthy`, `wait-log` — real deadlines (Timeout errors), failing
// fast when the container exits, via the engine-neutral waits of DKSEngine/Waits.swift.
// Must not: poll on its own (the engine and Waits.swift own the loops and interruption).
import DKSEngine
import DKSLanguage
import DKSSupport

enum WaitCommands {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        let c = Param.arg("container", "a container (object, name or id)")
        r.register(Signature("wait", topic: "containers",
                             [c, .option("timeout", "DURATION", default: nil, "give up with a Timeout error after this long"),
                              .option("condition", "COND", default: .string("not-running"), "not-running, next-exit or removed")],
                             summary: "Waits until the container stops (or, with --condition, its next exit or its removal) and returns its exit code; given an exec object (exec -d), until that command ends. --timeout is a real deadline: when it passes, a Timeout error is raised and the container is left as it is. Ctrl-C interrupts.",
                             example: "$code = wait $job --timeout 30s\nwait $c --condition removed")) { a in
            if case .object(let x as ExecObject) = a[0] {
                try a.interp.flush()
                return .int(try x.wait(deadline: try deadlineOf(a, 1, default: nil)))
            }
            let t = try ctx.target(a[0], a.interp, command: "wait")
            let deadline = try deadlineOf(a, 1, default: nil)
            let condText = try a.string(2)
            guard let cond = WaitCondition(rawValue: condText) else {
                throw ScriptError(.valueError, "wait: --condition must be not-running, next-exit or removed, not '\(condText)'")
            }
            try a.interp.flush()
            let value = a[0]
            do {
                // The deadline bounds the whole call, engine set-up and every request included.
                return .int(try Deadline.bounding(deadline) {
                    try t.call("wait") { engine in
                        do { return try engine.wait(t.ref, condition: cond, deadline: deadline) } catch let e as EngineError
                            where e.kind == .timeout && !e.unanswered && deadline.hasPassed {
                            throw DeadlinePassed()
                        }
                    }
                })
            } catch is DeadlinePassed {
                // Named as wait-healthy and wait-log name it (the engines' own messages differ, and
                // Docker's holds the 64-character id); asked after the deadline, outside its bound.
                let what: String
                switch cond {
                case .notRunning: what = "still running"
                case .nextExit: what = "did not exit"
                case .removed: what = "not removed"
                }
                throw ScriptError(.timeout, "wait: container \(t.label(value)) \(what) at the deadline (--timeout \(spelled(a[1])))")
            }
        }
        let healthy = Signature("wait-healthy", topic: "containers",
                                [c, .option("timeout", "DURATION", default: .int(60), "give up with a Timeout error after this long")],
                                summary: "Waits until the container's health check reports healthy and returns the container. Raises Unhealthy as soon as it is unhealthy (with the last check's exit code and output), ContainerError if it exits (with its exit code and last output lines), ValueError if it has no health check, Timeout after --timeout (60s by default).",
                                example: "$db = run -d --health-cmd 'test -f ready' --health-interval 1s busybox sh -c 'sleep 1; touch ready; sleep 60'\nwait-healthy $db --timeout 30s")
        r.register(healthy) { a in
            let t = try ctx.target(a[0], a.interp, command: "wait-healthy")
            let deadline = try deadlineOf(a, 1, default: 60)
            try a.interp.flush()
            try Deadline.bounding(deadline) { try t.call("wait-healthy") { try $0.waitHealthy(t.ref, deadline: deadline) } }
            return try containerValue(a[0], t, "wait-healthy")
        }
        let log = Signature("wait-log", topic: "containers",
                            [c, .arg("pattern", "a regular expression matched against each output line"),
                             .option("times", "N", default: .int(1), "wait for N matching lines"),
                             .option("timeout", "DURATION", default: .int(60), "give up with a Timeout error after this long")],
                            summary: "Waits until PATTERN (a regex) has matched N lines of the container's output (stdout and stderr, from its start) and returns the container. Raises ContainerError as soon as the container exits first, Timeout after --timeout (60s by default), even while the container prints nothing.",
                            example: "$srv = run -d dks-test/busybox sh -c 'sleep 1; echo listening on 8080; sleep 60'\nwait-log $srv 'listening on [0-9]+' --timeout 10s")
        r.register(log) { a in
            let t = try ctx.target(a[0], a.interp, command: "wait-log")
            let pattern = try a.string(1)
            let times = try a.int(2)
            guard times >= 1 else { throw ScriptError(.valueError, "wait-log: --times must be 1 or more") }
            let deadline = try deadlineOf(a, 3, default: 60)
            try a.interp.flush()
            try Deadline.bounding(deadline) { try t.call("wait-log") { try $0.waitLog(t.ref, pattern: pattern, times: times, deadline: deadline) } }
            return try containerValue(a[0], t, "wait-log")
        }
        // Method spellings: `$c.wait_healthy()` and `$c.wait_log(...)` (a method name can't contain '-').
        alias(r, "wait_healthy", of: healthy)
        alias(r, "wait_log", of: log)
    }

    private static func alias(_ r: BuiltinRegistry, _ name: String, of sig: Signature) {
        guard let b = r.lookup(sig.name) else { return }
        let s = Signature(name, topic: sig.topic, sig.params, summary: "The same as \(sig.name) (the spelling for method calls).",
                          example: "$c.\(name)()")
        r.register(s, b.body)
    }

    static func containerValue(_ v: Value, _ t: Target, _ command: String) throws -> Value {
        if case .object(let o as ContainerObject) = v { return .object(o) }
        return .object(try t.engine.container(ref: t.ref, command: command))
    }

    /// A wait's own deadline passed (not the engine's silence): the message is made by the caller.
    private struct DeadlinePassed: Error {}

    /// A duration as the user wrote it: `30s`, `500ms`; a plain number of seconds as `2s`.
    static func spelled(_ v: Value) -> String {
        switch v {
        case .int, .float: return v.str + "s"
        default: return v.str
        }
    }

    static func deadlineOf(_ a: Arguments, _ i: Int, default seconds: Double?) throws -> Deadline {
        guard let d = try a.optionalDuration(i) ?? seconds else { return .never }
        return Deadline.after(seconds: d)
    }
}
