// HostSpawn: starts one host program with posix_spawn (no fork of dks, no shell) in a process
// group of its own or a pipeline's, with its stdin/stdout/stderr set to the descriptors given,
// every other descriptor closed, default signal dispositions, and optionally the terminal's
// foreground handed to its group before it runs.
// Must not: look programs up (ProgramLookup), wait (ChildWaiter) or decide descriptors (callers).
import Glibc

/// What to start.
public struct SpawnPlan {
    /// The file to run (a resolved path).
    public var path: String
    /// The argument vector; argv[0] is the program as written.
    public var argv: [String]
    public var environment: EnvironmentBlock
    /// Descriptors of this process that become the child's 0, 1 and 2.
    public var stdin: Int32 = 0
    public var stdout: Int32 = 1
    public var stderr: Int32 = 2
    /// 0: the child leads a new process group; else the group (a pipeline's) it joins.
    public var processGroup: pid_t = 0
    /// A terminal descriptor whose foreground process group becomes the child's group before it runs.
    public var foregroundTerminal: Int32?

    public init(path: String, argv: [String], environment: EnvironmentBlock) {
        self.path = path
        self.argv = argv
        self.environment = environment
    }
}

/// Why a program could not be started (the errno of posix_spawn).
public struct SpawnError: Error {
    public let errno: Int32
    public var reason: String { String(cString: strerror(errno)) }
}

public enum HostSpawn {
    /// Signals dks ignores or handles that a program must get with their default meaning.
    static let defaultedSignals: [Int32] = [SIGPIPE, SIGTTOU, SIGTTIN, SIGTSTP, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2]

    /// Starts the program; returns its pid. Throws `SpawnError` (ENOENT when the file vanished,
    /// EACCES, ENOEXEC ...) or `HostError` (no descriptors left).
    public static func spawn(_ plan: SpawnPlan) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var temporaries: [Int32] = []
        defer { for fd in temporaries { SystemCalls.close(fd) } }
        // First, while the child's 0 is still dks's terminal: its group takes the foreground.
        if let tty = plan.foregroundTerminal, let add = SystemCalls.symbols.addTcsetpgrp { _ = add(&actions, tty) }
        // A source among 0...2 that goes elsewhere would be overwritten by an earlier dup2: move it up first.
        var sources = [plan.stdin, plan.stdout, plan.stderr]
        for i in 0..<3 where sources[i] < 3 && sources[i] != Int32(i) {
            let high = try SystemCalls.duplicateHigh(sources[i])
            temporaries.append(high)
            sources[i] = high
        }
        for i in 0..<3 { posix_spawn_file_actions_adddup2(&actions, sources[i], Int32(i)) }
        // Descriptors without close-on-exec (other libraries') must not leak into programs.
        if let closeFrom = SystemCalls.symbols.addClosefrom { _ = closeFrom(&actions, 3) }

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaulted = sigset_t()
        sigemptyset(&defaulted)
        for s in defaultedSignals { sigaddset(&defaulted, s) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attr, &defaulted)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setpgroup(&attr, plan.processGroup)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = plan.argv.map { strdup($0) }
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc: Int32 = (argv + [nil]).withUnsafeBufferPointer { a in
            guard let base = a.baseAddress else { return EINVAL }
            return posix_spawn(&pid, plan.path, &actions, &attr, base, plan.environment.pointer)
        }
        if rc != 0 { throw SpawnError(errno: rc) }
        return pid
    }

    /// Whether the child-side foreground hand-over is available (glibc 2.35+); else callers do it after spawning.
    public static var handsOverTerminalInChild: Bool { SystemCalls.symbols.addTcsetpgrp != nil }
}
