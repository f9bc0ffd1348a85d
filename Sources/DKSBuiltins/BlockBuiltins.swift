// BlockBuiltins: builtins that run code they are given — capture, retry, parallel.
// Must not: share mutable state between parallel workers (each gets isolated captures).
import DKSLanguage
import DKSSupport

extension GeneralBuiltins {
    static func registerBlocks(_ r: BuiltinRegistry) {
        r.register(Signature("capture", topic: "blocks", [.arg("block")],
                             summary: "Runs BLOCK and returns what it printed to stdout, as a string, instead of printing it. At most DKS_CAPTURE_LIMIT (256m by default) is held: more raises CaptureLimitError.",
                             example: "$out = capture { echo hi; echo there }   # \"hi\\nthere\\n\"")) { a in
            let f = try a.function(0)
            a.interp.pushCapture()
            do {
                _ = try a.interp.call(f, [], loc: a.loc)
            } catch {
                _ = a.interp.popCapture()
                throw error
            }
            return .string(a.interp.popCapture())
        }
        r.register(Signature("retry", topic: "blocks", [.arg("times"), .option("delay", "DURATION", default: .int(0), "wait between attempts"), .arg("block")],
                             summary: "Runs BLOCK until it completes without an error, at most TIMES attempts, waiting --delay between attempts; returns the block's value, or raises the last error.",
                             example: "retry 5 --delay 500ms { exec $db pg_isready }")) { a in
            let times = try a.int(0)
            if times < 1 { throw valueError("retry: the number of attempts must be at least 1, got \(times)") }
            let delay = try a.duration(1)
            let f = try a.function(2)
            var attempt = 1
            while true {
                do { return try a.interp.call(f, [], loc: a.loc) } catch let e as ScriptError where e.kind != .interrupted {
                    if attempt >= times { throw e }
                }
                attempt += 1
                if delay > 0 {
                    try a.interp.flush()
                    do { try interruptibleSleep(seconds: delay) } catch { throw ScriptError.interrupted() }
                }
            }
        }
        r.register(Signature("parallel", topic: "blocks", [.arg("items"), .arg("fn"), .option("jobs", short: "j", "N", default: .int(4), "how many run at once")],
                             summary: "Calls FN on every item concurrently, at most --jobs at a time, and returns the results in item order. Each call runs on its own copy of FN, its item and the variables they captured (globals included): what a call assigns or sources stays in that call. The first error cancels the other running calls (their cleanup runs), skips the items not yet started, and is raised.",
                             example: "$codes = parallel($containers, fn($c) { return wait $c }, jobs: 8)")) { a in
            let items = try iterableItems(a[0], "parallel")
            let f = try a.function(1)
            let jobs = try a.int(2)
            if jobs < 1 { throw valueError("parallel: --jobs must be at least 1, got \(jobs)") }
            return .list(try runParallel(items, f, jobs: min(jobs, max(items.count, 1)), interp: a.interp, loc: a.loc))
        }
    }

    /// Runs `f` over `items` on up to `jobs` threads; results in item order.
    ///
    /// The call has a cancel token (`group`) that the first error cancels, and so does an
    /// interruption turned into an error on any worker (which lowers the process-wide flag).
    /// Each worker thread runs under a token of its own, a child of `group`, so every poll of
    /// the interrupt flag on it (loops, sleep steps, engine waits) stops it once `group` is
    /// cancelled; it then runs its `finally`/`defer` cleanup, and the error reaches the caller
    /// promptly. A `parallel` inside a worker (or a pipeline stage) is cancelled with it.
    static func runParallel(_ items: [Value], _ f: FunctionValue, jobs: Int, interp: Interpreter, loc: SourceLoc?) throws -> [Value] {
        if items.isEmpty { return [] }
        try interp.flush()
        let lock = Lock()
        var next = 0
        var results = [Value](repeating: .null, count: items.count)
        var firstError: Error?
        let group = CancelToken()
        // Each worker thread gets an interpreter context of its own, and each call its own
        // copies of the function, the item and what they captured (see `isolatedCall`).
        let workers = (0..<jobs).map { _ in interp.worker() }
        var threads: [JoinableThread] = []
        for ctx in workers {
            let token = CancelToken(parent: group, group: group)
            let t = JoinableThread.start(stackSize: 256 << 20) {
                CancelToken.with(token) {
                    while true {
                        let i: Int? = lock.withLock {
                            guard firstError == nil, next < items.count else { return nil }
                            defer { next += 1 }
                            return next
                        }
                        guard let index = i else { break }
                        do {
                            let v = try ctx.isolatedCall(f, [items[index]]) { fn, args in try ctx.call(fn, args, loc: loc) }
                            try ctx.flush()
                            lock.withLock { results[index] = v }
                        } catch {
                            ctx.flushQuietly()
                            lock.withLock { if firstError == nil { firstError = error } }
                            group.cancel()
                        }
                    }
                }
            }
            if let t = t { threads.append(t) } else {
                lock.withLock { if firstError == nil { firstError = ScriptError(.valueError, "parallel: cannot start a thread") } }
                group.cancel()
            }
        }
        for t in threads { t.join() }
        if let e = firstError {
            // An interruption reaching this thread is this thread's now: its cleanup must run
            // undisturbed (on a worker of an enclosing parallel, its token is acknowledged).
            if let se = e as? ScriptError, se.kind == .interrupted { Interruption.beginCleanup() }
            throw e
        }
        return results
    }
}
