// LocalEngine+Output: reading a container's output — runAttached, logs (tail/since/until/follow),
// and wait. Must not: block the pump (consumers read the log file or a bounded queue on their own thread).
import DKSEngine
import DKSSupport
import Foundation
import Glibc

extension LocalEngine {
    public func runAttached(_ ref: String, onOutput: (OutputChunk) throws -> Void) throws -> Int {
        try runAttached(ref, stdin: nil, deadline: .never, onOutput: onOutput)
    }

    public func runAttached(_ ref: String, stdin: Int32?, deadline: Deadline, onOutput: (OutputChunk) throws -> Void) throws -> Int {
        // A terminal cannot be read from the container's process group: its lines come through a pipe.
        let terminal = TerminalInput.ifTerminal(stdin)
        defer { terminal?.stop() }
        let stdin = terminal?.readEnd ?? stdin
        let queue = ChunkQueue()
        let (r, generation): (ContainerRecord, Int) = try withLock {
            let r = try record(ref)
            guard r.status == .created || r.status == .exited else {
                throw EngineError(.conflict, "container \(r.name) is already running; attach to a created container", status: 409)
            }
            guard !shuttingDown else { throw EngineError(.engine, "the local engine is shutting down") }
            r.manuallyStopped = false
            // Stdin only reaches a container created with it open (`run -i`), as with Docker.
            try launch(r, attached: [queue], stdin: r.config.openStdin ? stdin : nil)
            return (r, r.runGeneration)
        }
        let timedOut = "container \(r.name) did not finish before its --timeout; it was killed"
        do {
            loop: while true {
                if Interruption.isRequested { throw EngineError(.interrupted, "interrupted while attached to \(r.name)") }
                if deadline.hasPassed { throw EngineError(.timeout, timedOut) }
                switch queue.pop(waiting: 0.05) {
                case .chunk(let chunk): try onOutput(chunk)
                case .ended: break loop
                case .timedOut: continue
                }
            }
        } catch {
            queue.abandon()
            throw error
        }
        let code: Int = try withLock {
            while r.exitGeneration < generation {
                if Interruption.isRequested { throw EngineError(.interrupted, "interrupted while waiting for \(r.name)") }
                if deadline.hasPassed { throw EngineError(.timeout, timedOut) }
                _ = lock.wait(until: Date(timeIntervalSinceNow: 0.05))
            }
            return r.exitCode
        }
        if r.config.autoRemove { removeRecord(r) }
        return code
    }

    public func logs(_ ref: String, options: LogOptions, onOutput: (OutputChunk) throws -> StreamControl) throws {
        let r = try withLock { try record(ref) }
        guard let reader = LogReader(store: r.log) else { return }
        func wanted(_ v: LogRecordView) -> Bool {
            (v.stream == .stderr ? options.stderr : options.stdout)
                && (options.since.map { v.time >= $0.time.unix } ?? true) && (options.until.map { v.time <= $0.time.unix } ?? true)
        }
        // Checked on every record, not only once caught up: a container that writes faster than the
        // consumer reads (`yes`) would otherwise keep `deliver` busy forever, past any deadline or Ctrl-C.
        func checkStop() throws {
            if Interruption.isRequested { throw EngineError(.interrupted, "interrupted while reading the logs of \(r.name)") }
            if options.deadline.hasPassed { throw EngineError(.timeout, "timed out following the logs of \(r.name)") }
        }
        // `tail`: one pass counts the wanted records, the second skips all but the last N (constant memory).
        var skip = 0
        if let tail = options.tail, tail >= 0 {
            var count = 0
            _ = try reader.forEach { v in
                try checkStop()
                if wanted(v) { count += 1 }
                return true
            }
            skip = max(0, count - tail)
            reader.rewind()
        }
        var stopped = false
        func deliver() throws {
            _ = try reader.forEach { v in
                try checkStop()
                guard wanted(v) else { return true }
                if skip > 0 {
                    skip -= 1
                    return true
                }
                // As the Docker engine does: the time travels in the chunk, the caller formats it (`logs -t`).
                if try onOutput(OutputChunk(stream: v.stream, bytes: Array(v.payload), timestamp: v.time)) == .stop { stopped = true }
                return !stopped
            }
        }
        try deliver()
        guard options.follow, !stopped else { return }
        while true {
            // Sample "finished" before reading, so output logged just before the exit is still delivered.
            let finished = withLock { r.removed || !(r.isLive || r.status == .restarting) }
            let seen = r.log.snapshot.total
            try deliver()
            if stopped || finished { return }
            if let until = options.until, Date().timeIntervalSince1970 > until.time.unix { return }
            try checkStop()
            r.log.waitForGrowth(beyond: seen, seconds: min(0.05, max(0.001, options.deadline.remainingSeconds)))
        }
    }

    public func wait(_ ref: String, condition: WaitCondition, deadline: Deadline) throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        let r = try record(ref)
        let exitsSoFar = r.exitGeneration
        while true {
            switch condition {
            case .notRunning:
                if r.removed || !(r.isLive || r.status == .restarting) { return r.exitCode }
            case .nextExit:
                if r.exitGeneration > exitsSoFar || r.removed { return r.exitCode }
            case .removed:
                if r.removed { return r.exitCode }
            }
            if deadline.hasPassed {
                throw EngineError(.timeout, "timed out waiting for container \(r.name) (\(condition.rawValue))")
            }
            if Interruption.isRequested { throw EngineError(.interrupted, "interrupted while waiting for container \(r.name)") }
            _ = lock.wait(until: Date(timeIntervalSinceNow: min(0.05, max(0.001, deadline.remainingSeconds))))
        }
    }
}
