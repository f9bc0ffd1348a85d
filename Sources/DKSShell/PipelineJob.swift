// PipelineJob: one run of a pipeline (or of one host program, or one redirected command).
// Every stage gets three descriptors — pipe ends, redirection files, or the context's own — so
// host programs, dks code and container commands plug together uniformly; host stages are
// joined by OS pipes directly (dks copies nothing between them) and share one process group.
// dks stages run on worker contexts on threads (the last one on the calling thread, so a
// single redirected command or a consuming function sees the script's variables); a value
// stage is written by a thread. The job waits for all of them, ends every stage on
// interruption, and ends the stages feeding a failed one.
// Owns: descriptor plans, process groups, the terminal hand-over, waiting and ending stages.
// Must not: decide what a result means to the script (ShellRunner does) or leave a process,
// thread or descriptor behind on any path.
import DKSHost
import DKSLanguage
import DKSSupport
import Glibc

final class PipelineJob {
    enum Kind {
        case host(path: String, argv: [String])
        case dks(run: (Interpreter, Bool) throws -> Value)
        /// The next bytes of a value stage (nil at the end).
        case value(() -> [UInt8]?)
    }

    final class Stage {
        let index: Int
        let spec: StageRun
        let kind: Kind
        var stdin: Int32 = -1
        var stdout: Int32 = -1
        var stderr: Int32 = -1
        var pid: pid_t = 0
        /// The shell status once it ended.
        var status: Int?
        /// Ended by a signal (host) — SIGPIPE counts as "its reader finished".
        var signal: Int32?
        /// A dks stage's error that is not an exit status.
        var error: Error?
        /// A dks stage's error that carried an exit status (rethrown as is for a single stage).
        var exitError: ScriptError?
        var brokenPipe = false
        var value: Value = .null
        var token: CancelToken?
        var thread: JoinableThread?
        /// The job asked it to end (a stage it fed failed, a `break`, an interruption).
        var asked = false
        /// Its feeders were ended after it failed.
        var feedersEnded = false

        init(index: Int, spec: StageRun, kind: Kind) {
            self.index = index
            self.spec = spec
            self.kind = kind
        }

        var isHost: Bool { if case .host = kind { return true }; return false }
        var isDks: Bool { if case .dks = kind { return true }; return false }
    }

    let interp: Interpreter
    let usage: Usage
    let loc: SourceLoc
    let stages: [Stage]
    private let lock = Lock()
    private var created: [Int32] = []
    private(set) var pgid: pid_t = 0
    private var tty: Int32?
    private var ttyModes: termios?
    private let waiter = ChildWaiter()
    private var wakeRead: Int32 = -1
    private var wakeWrite: Int32 = -1
    /// Read ends of the capture pipes (value use, or stdout into a `capture { }` buffer).
    private var captureOut: Int32 = -1
    private var captureErr: Int32 = -1
    /// The last stage's stdout, read by a `for` loop.
    private(set) var lines: Int32 = -1
    private var collector: JoinableThread?
    let captured = CapturedOutput()
    private var captureOverflow = false
    /// The stage the calling thread runs (nil: none).
    private var inlineStage: Stage?
    private var interruptedAt: Deadline?
    private var killedHard = false
    private(set) var interrupted = false
    private var groupRegistered = false
    private var jobToken: CancelToken?
    private let requestsAtStart = Interruption.requestCount

    static let grace = 2.0

    init(_ runs: [StageRun], kinds: [Kind], usage: Usage, interp: Interpreter, loc: SourceLoc) {
        stages = runs.enumerated().map { Stage(index: $0.offset, spec: $0.element, kind: kinds[$0.offset]) }
        self.usage = usage
        self.interp = interp
        self.loc = loc
    }

    deinit {
        for fd in created { SystemCalls.close(fd) }
        SystemCalls.close(wakeRead)
        SystemCalls.close(wakeWrite)
        SystemCalls.close(lines)
    }

    private func track(_ fd: Int32) -> Int32 {
        created.append(fd)
        return fd
    }

    // MARK: Setting up

    /// Opens files and pipes, plans every stage's descriptors, and starts every stage except the
    /// inline one. Throws (with nothing left running) when a file cannot be opened or a program
    /// cannot start.
    func start() throws {
        let pipe = try SystemCalls.pipe()
        wakeRead = pipe.read
        wakeWrite = pipe.write
        // Files first: a bad redirection is an error before anything runs.
        var files: [[Int32]] = []
        for stage in stages {
            var fds: [Int32] = []
            for r in stage.spec.redirects {
                guard let path = r.path else { fds.append(-1); continue }
                let mode: RedirectFiles.Mode
                switch r.kind {
                case .stdin: mode = .read
                case .stdoutAppend, .stderrAppend, .bothAppend: mode = .append
                default: mode = .truncate
                }
                do { fds.append(track(try RedirectFiles.open(path, mode))) } catch let e as HostError {
                    throw ScriptError(.ioError, "\(e.what): \(e.reason)", at: r.loc)
                }
            }
            files.append(fds)
        }
        try planDescriptors(files)
        decideTerminal()
        try startStages()
    }

    private func planDescriptors(_ files: [[Int32]]) throws {
        let n = stages.count
        var between: [(read: Int32, write: Int32)] = []
        for _ in 0..<max(0, n - 1) {
            let p = try SystemCalls.pipe()
            between.append((track(p.read), track(p.write)))
        }
        var lastOut: Int32
        var err = interp.errFD
        switch usage {
        case .statement:
            try interp.out.flush()
            if let fd = interp.out.fd {
                lastOut = fd
            } else {
                // Inside `capture { }`: the last stage's stdout goes into the capture buffer.
                let p = try SystemCalls.pipe()
                captureOut = p.read
                lastOut = track(p.write)
            }
        case .value:
            let o = try SystemCalls.pipe(), e = try SystemCalls.pipe()
            captureOut = o.read
            captureErr = e.read
            lastOut = track(o.write)
            err = track(e.write)
        case .iterated:
            let p = try SystemCalls.pipe()
            lines = p.read
            lastOut = track(p.write)
        }
        try interp.flush()
        for (i, stage) in stages.enumerated() {
            var fin = i == 0 ? interp.inFD : between[i - 1].read
            var fout = i == n - 1 ? lastOut : between[i].write
            var ferr = err
            for (k, r) in stage.spec.redirects.enumerated() {
                let fd = files[i][k]
                switch r.kind {
                case .stdout, .stdoutAppend: fout = fd
                case .stderr, .stderrAppend: ferr = fd
                case .both, .bothAppend: fout = fd; ferr = fd
                case .stderrToStdout: ferr = fout
                case .stdoutToStderr: fout = ferr
                case .stdin: fin = fd
                }
            }
            if case .value = stage.kind { fin = -1 }
            stage.stdin = fin
            stage.stdout = fout
            stage.stderr = ferr
        }
    }

    /// The terminal goes to the job's process group when dks holds its foreground and a host
    /// stage uses it — unless a dks stage reads it (dks would then be stopped in the background).
    private func decideTerminal() {
        guard let t = TerminalControl.foregroundTerminal() else { return }
        let uses = stages.contains { s in s.isHost && [s.stdin, s.stdout, s.stderr].contains { $0 >= 0 && $0 <= 2 && isatty($0) == 1 } }
        let dksReads = stages.contains { s in !s.isHost && s.stdin >= 0 && s.stdin <= 2 && isatty(s.stdin) == 1 }
        if uses && !dksReads {
            tty = t
            ttyModes = TerminalControl.modes(t)
        }
    }

    private func startStages() throws {
        jobToken = CancelToken()
        // dks and value stages own duplicates of their descriptors (closing them is how their
        // readers see the end), taken before the job's own copies are closed.
        for stage in stages where !stage.isHost {
            stage.stdin = stage.stdin >= 0 ? try SystemCalls.duplicateHigh(stage.stdin) : -1
            stage.stdout = try SystemCalls.duplicateHigh(stage.stdout)
            stage.stderr = try SystemCalls.duplicateHigh(stage.stderr)
            stage.token = CancelToken(parent: jobToken)
        }
        if usage != .iterated { inlineStage = stages.last(where: { $0.isDks }) }
        do {
            for stage in stages where stage.isHost { try spawn(stage) }
        } catch {
            closeCreated()
            endAll(SIGKILL)
            reapAll()
            closeOwned()
            giveBackTerminal()
            throw error
        }
        // The job's copies go: each pipe end now lives only in the stages that use it.
        closeCreated()
        if captureOut >= 0 || captureErr >= 0 { startCollector() }
        for stage in stages where stage !== inlineStage {
            switch stage.kind {
            case .dks: stage.thread = startThread(stackSize: 256 << 20) { [self] in runDks(stage, onWorker: true) }
            case .value(let next): stage.thread = startThread(stackSize: 1 << 20) { [self] in writeValue(stage, next) }
            case .host: break
            }
        }
    }

    private func startThread(stackSize: Int, _ body: @escaping () -> Void) -> JoinableThread? {
        if let t = JoinableThread.start(stackSize: stackSize, body) { return t }
        // No thread: run it here (a pipeline stage that could block is then the user's risk).
        body()
        return nil
    }

    private func closeCreated() {
        for fd in created { SystemCalls.close(fd) }
        created = []
    }

    private func spawn(_ stage: Stage) throws {
        guard case .host(let path, let argv) = stage.kind else { return }
        var plan = SpawnPlan(path: path, argv: argv, environment: try ShellRunner.environment.block(for: interp))
        plan.stdin = stage.stdin >= 0 ? stage.stdin : 0
        plan.stdout = stage.stdout
        plan.stderr = stage.stderr
        plan.processGroup = pgid
        if pgid == 0, let t = tty, HostSpawn.handsOverTerminalInChild { plan.foregroundTerminal = t }
        let pid: pid_t
        do {
            pid = try HostSpawn.spawn(plan)
        } catch let e as SpawnError {
            let name = argv.first ?? path
            if e.errno == ENOENT { ProgramLookup.forget(name) }
            let hint = e.errno == ENOEXEC ? " (a script needs a #! line)" : ""
            var err = ScriptError(.commandError, "cannot run \(name): \(e.reason)\(hint)", at: stage.spec.loc)
            err.exitCode = e.errno == ENOENT ? 127 : 126
            throw err
        } catch let e as HostError {
            throw ScriptError(.ioError, e.description, at: stage.spec.loc)
        }
        stage.pid = pid
        waiter.add(pid)
        if pgid == 0 {
            pgid = pid
            EmergencyKill.register(pid)
            groupRegistered = true
            if let t = tty, !HostSpawn.handsOverTerminalInChild { TerminalControl.give(t, to: pid) }
        }
    }

    // MARK: dks and value stages

    private func runDks(_ stage: Stage, onWorker: Bool) {
        guard case .dks(let run) = stage.kind, let token = stage.token else { return }
        let ctx = onWorker ? interp.worker() : interp
        let out = Output(fd: stage.stdout)
        CancelToken.with(token) {
            do {
                let v = try ctx.withStageIO(out: out, errFD: stage.stderr, inFD: stage.stdin >= 0 ? stage.stdin : interp.inFD) {
                    try run(ctx, onWorker)
                }
                try out.flush()
                finish(stage, status: 0, value: v)
            } catch let e as ScriptError where e.isBrokenPipe {
                // Its reader went away (`| ^head -1`): it stops, quietly, and does not count as failing.
                finish(stage, status: 141, brokenPipe: true)
            } catch let e as ScriptError where e.exitCode != nil && (e.kind == .commandError || e.kind == .containerError) {
                out.flushRecordingFailure()
                finish(stage, status: e.exitCode ?? 1, exitError: e)
            } catch let e as ScriptError where e.kind == .interrupted && token.wasCancelled && !Interruption.isGlobal {
                // Ended by the job (a stage it fed failed, or the job was interrupted): not its own failure.
                finish(stage, status: 143)
            } catch {
                out.flushRecordingFailure()
                finish(stage, status: 1, error: error)
            }
        }
        closeOwned(stage)
    }

    /// A value stage: its bytes into the next stage's stdin, then end of input. Waits for the
    /// pipe with poll, so a cancelled job ends it even when the reader stopped reading.
    private func writeValue(_ stage: Stage, _ next: () -> [UInt8]?) {
        var broken = false
        var pfd = pollfd(fd: stage.stdout, events: Int16(POLLOUT), revents: 0)
        let flags = fcntl(stage.stdout, F_GETFL)
        _ = fcntl(stage.stdout, F_SETFL, flags | O_NONBLOCK)
        writing: while let bytes = next() {
            var off = 0
            while off < bytes.count {
                if stage.token?.isCancelled == true { break writing }
                pfd.revents = 0
                if poll(&pfd, 1, 50) <= 0 { continue }
                let n = bytes.withUnsafeBytes { raw -> Int in
                    guard let base = raw.baseAddress else { return 0 }
                    return write(stage.stdout, base + off, raw.count - off)
                }
                if n > 0 { off += n; continue }
                if n < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                broken = errno == EPIPE
                break writing
            }
        }
        finish(stage, status: 0, brokenPipe: broken)
        closeOwned(stage)
    }

    private func finish(_ stage: Stage, status: Int, value: Value = .null, error: Error? = nil, exitError: ScriptError? = nil,
                        brokenPipe: Bool = false) {
        lock.withLock {
            stage.value = value
            stage.error = error
            stage.exitError = exitError
            if brokenPipe { stage.brokenPipe = true }
            stage.status = status
        }
        var b: UInt8 = 1
        _ = write(wakeWrite, &b, 1)
    }

    private func closeOwned(_ stage: Stage) {
        guard !stage.isHost else { return }
        for fd in [stage.stdin, stage.stdout, stage.stderr] where fd >= 0 { SystemCalls.close(fd) }
        stage.stdin = -1
        stage.stdout = -1
        stage.stderr = -1
    }

    private func closeOwned() {
        for stage in stages { closeOwned(stage) }
    }

    // MARK: Capture

    private func startCollector() {
        let fds = [captureOut, captureErr]
        captureOut = -1
        captureErr = -1
        collector = JoinableThread.start(stackSize: 1 << 20) { [self] in
            var over = false
            Drain.run(fds, idleMillis: 100, onData: { index, bytes in
                if index == 0 { captured.stdout.append(contentsOf: bytes) } else { captured.stderr.append(contentsOf: bytes) }
                captured.combined.append(contentsOf: bytes)
                if CaptureLimit.exceeded(captured.combined.count) { over = true }
            }, onTick: { over ? .stop : .goOn })
            if over {
                lock.withLock { captureOverflow = true }
                var b: UInt8 = 2
                _ = write(wakeWrite, &b, 1)
            }
        }
    }

    /// Whether the captured output outgrew the bound (the job then ends every stage).
    var overflowed: Bool { lock.withLock { captureOverflow } }

    // MARK: Running and waiting

    /// Runs the inline stage (if any) on this thread while a supervisor thread waits for the
    /// others (reaping, ending the feeders of a failed stage, forwarding interruptions); without
    /// one, this thread supervises.
    func run() {
        guard let stage = inlineStage else { return waitAll() }
        let supervisor = JoinableThread.start(stackSize: 1 << 20) { [self] in waitAll() }
        runDks(stage, onWorker: false)
        if let s = supervisor { s.join() } else { waitAll() }
    }

    /// Waits until every stage ended, ending stages as failures and interruptions require.
    func waitAll() {
        while true {
            let events = waiter.wait(timeout: 0.05, wake: wakeRead)
            drainWake()
            for event in events {
                switch event {
                case .exited(let pid, let exit):
                    guard let stage = stages.first(where: { $0.pid == pid }) else { continue }
                    lock.withLock {
                        stage.status = exit.status
                        stage.signal = exit.signal
                    }
                    // Ctrl-C went to the job holding the terminal: dks is interrupted too.
                    if tty != nil, exit.signal == SIGINT, !interrupted { Interruption.request(signal: SIGINT) }
                case .stopped:
                    // dks has no job control: a job stopped while it held the terminal (Ctrl-Z) gets
                    // it back and goes on. (Without the terminal, a program stopped for reading it
                    // stays stopped until it is continued from outside, as in a background job.)
                    if let t = tty, pgid > 0 {
                        TerminalControl.give(t, to: pgid)
                        _ = kill(-pgid, SIGCONT)
                    }
                }
            }
            for stage in stages where stage.thread != nil && lock.withLock({ stage.status != nil }) {
                stage.thread?.join()
                stage.thread = nil
            }
            for stage in stages where !stage.feedersEnded && isFailure(stage) { endFeeders(of: stage.index) }
            if overflowed && !interrupted { interrupted = true; endAll(SIGTERM); interruptedAt = .after(seconds: PipelineJob.grace) }
            // The flag may already be lowered by a stage that turned it into its error: the count stays.
            let asked = Interruption.isRequested || Interruption.requestCount > requestsAtStart
            if asked && !interrupted {
                interrupted = true
                // Ctrl-C is passed on as SIGINT; SIGTERM and SIGHUP (dks is being ended) as SIGTERM.
                endAll(Interruption.isGlobal && Interruption.signal != SIGINT ? SIGTERM : SIGINT)
                interruptedAt = .after(seconds: PipelineJob.grace)
            }
            if let d = interruptedAt, d.hasPassed, !killedHard {
                killedHard = true
                endAll(SIGKILL)
            }
            if allEnded { break }
        }
        for stage in stages { stage.thread?.join(); stage.thread = nil }
        collector?.join()
        collector = nil
        finishGroup()
    }

    private func drainWake() {
        var buf = [UInt8](repeating: 0, count: 64)
        let flags = fcntl(wakeRead, F_GETFL)
        _ = fcntl(wakeRead, F_SETFL, flags | O_NONBLOCK)
        while read(wakeRead, &buf, buf.count) > 0 {}
    }

    private var allEnded: Bool {
        lock.withLock { stages.allSatisfy { $0.status != nil } }
    }

    /// A failure for pipefail: a non-zero status, except a stage before the last that ended
    /// because its reader went away (SIGPIPE, a broken pipe) or that the job itself ended.
    func isFailure(_ stage: Stage) -> Bool {
        lock.withLock {
            guard let status = stage.status, status != 0 else { return false }
            if stage.error != nil { return true }
            let last = stage.index == stages.count - 1
            if !last && (stage.signal == SIGPIPE || stage.brokenPipe) { return false }
            if stage.asked && !interrupted { return false }
            return true
        }
    }

    /// A stage failed: the stages feeding it are ended (their output has nowhere to go); the
    /// stages after it see the end of their input and finish on their own.
    private func endFeeders(of index: Int) {
        stages[index].feedersEnded = true
        for stage in stages[..<index] where lock.withLock({ stage.status == nil }) {
            end(stage, SIGTERM)
        }
    }

    /// Ends every stage still running with `signal` (host: the whole process group).
    func endAll(_ signal: Int32) {
        if pgid > 0 { _ = kill(-pgid, signal) }
        for stage in stages where lock.withLock({ stage.status == nil }) { end(stage, signal) }
        jobToken?.cancel()
    }

    private func end(_ stage: Stage, _ signal: Int32) {
        lock.withLock { stage.asked = true }
        if stage.isHost {
            if stage.pid > 0 { ProcessTree.signalTree(stage.pid, signal) }
        } else {
            stage.token?.cancel()
        }
    }

    private func reapAll() {
        while !waiter.isEmpty {
            for event in waiter.wait(timeout: 0.05) {
                if case .exited(let pid, let exit) = event, let stage = stages.first(where: { $0.pid == pid }) {
                    stage.status = exit.status
                }
            }
        }
        for stage in stages where stage.status == nil { stage.status = 126 }
        finishGroup()
    }

    private func finishGroup() {
        if groupRegistered {
            EmergencyKill.unregister(pgid)
            groupRegistered = false
        }
        giveBackTerminal()
    }

    private func giveBackTerminal() {
        guard let t = tty else { return }
        tty = nil
        let signalled = stages.contains { $0.signal != nil && $0.signal != SIGPIPE }
        TerminalControl.takeBack(t, modes: signalled ? ttyModes : nil)
    }

    // MARK: Iterated (for loops)

    /// Ends the job early (the loop broke or failed): the read end closes, every stage is ended.
    func abandon() {
        SystemCalls.close(lines)
        lines = -1
        endAll(SIGTERM)
        interruptedAt = .after(seconds: PipelineJob.grace)
        waitAll()
    }

    func closeLines() {
        SystemCalls.close(lines)
        lines = -1
    }
}
