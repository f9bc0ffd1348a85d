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
                             summary: "Calls FN on every item concurrently, at most --jobs at a time, and returns the results in item order. Each call gets its own copy of the variables FN captured. The first error is raised once the running calls end; the items not yet started are skipped.",
                             example: "$codes = parallel($containers, fn($c) { return wait $c }, jobs: 8)")) { a in
            let items = try iterableItems(a[0], "parallel")
            let f = try a.function(1)
            let jobs = try a.int(2)
            if jobs < 1 { throw valueError("parallel: --jobs must be at least 1, got \(jobs)") }
            return .list(try runParallel(items, f, jobs: min(jobs, max(items.count, 1)), interp: a.interp, loc: a.loc))
        }
    }

    /// Runs `f` over `items` on up to `jobs` threads; results in item order.
    static func runParallel(_ items: [Value], _ f: FunctionValue, jobs: Int, interp: Interpreter, loc: SourceLoc?) throws -> [Value] {
        if items.isEmpty { return [] }
        try interp.flush()
        let lock = Lock()
        var next = 0
        var results = [Value](repeating: .null, count: items.count)
        var firstError: Error?
        // Each worker gets its own copy of the function and an interpreter context of its own.
        let copies = (0..<jobs).map { _ in (f.isolatedCopy(), interp.worker()) }
        var threads: [JoinableThread] = []
        for (fn, ctx) in copies {
            let t = JoinableThread.start(stackSize: 256 << 20) {
                while true {
                    let i: Int? = lock.withLock {
                        guard firstError == nil, next < items.count else { return nil }
                        defer { next += 1 }
                        return next
                    }
                    guard let index = i else { break }
                    do {
                        let v = try ctx.call(fn, [items[index]], loc: loc)
                        try ctx.flush()
                        lock.withLock { results[index] = v }
                    } catch {
                        ctx.flushQuietly()
                        lock.withLock { if firstError == nil { firstError = error } }
                    }
                }
            }
            if let t = t { threads.append(t) } else {
                lock.withLock { if firstError == nil { firstError = ScriptError(.valueError, "parallel: cannot start a thread") } }
            }
        }
        for t in threads { t.join() }
        if let e = firstError { throw e }
        return results
    }
}
