// Spawn: launches one host process from an argv list with posix_spawn, never through a shell.
// Owns: PATH lookup, pipes, process groups, default signal dispositions, exit-status decoding.
// Must not: wait for or reap the processes it starts (the supervisor and callers do that).
import Glibc
import DKSSupport

/// A process to launch.
struct SpawnRequest {
    var argv: [String]
    /// `KEY=VALUE` entries; PATH here (not dks's own) is used to find `argv[0]`.
    var env: [String]
    /// The working directory of the child (must exist).
    var directory: String
    /// 0: the child leads a new process group; else the group to join.
    var processGroup: pid_t = 0
    /// true: stdout/stderr are pipes the caller drains; false: /dev/null.
    var captureOutput = true
    /// The child's stdin (`exec -i`, `run -i`: a pipe or file of the caller's); nil: /dev/null.
    var stdin: Int32?
}

/// A started process and the read ends of its output pipes (-1 when not captured).
struct SpawnedProcess {
    let pid: pid_t
    let stdout: Int32
    let stderr: Int32
}

/// Why a process could not start, with Docker's exit code convention (126 not executable, 127 not found).
struct SpawnFailure: Error {
    let exitCode: Int
    let message: String
}

enum Spawn {
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    // The Glibc module hides the _np extensions (no _GNU_SOURCE), so they are looked up at run time.
    // addchdir_np is the only thread-safe way to give a spawned child its own directory.
    private static let symbols: (AddChdir?, AddClosefrom?, Pipe2?) = {
        let handle = dlopen(nil, RTLD_NOW)
        let chdirSym = dlsym(handle, "posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChdir.self) }
        let closeSym = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddClosefrom.self) }
        let pipeSym = dlsym(handle, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
        return (chdirSym, closeSym, pipeSym)
    }()

    /// A pipe whose ends are close-on-exec from birth, so a concurrent spawn cannot inherit them.
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        if let pipe2 = symbols.2 { return fds.withUnsafeMutableBufferPointer { b in b.baseAddress.map { pipe2($0, O_CLOEXEC) } ?? -1 } == 0 }
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    /// The value of `key` in an environment list.
    static func lookup(_ key: String, in env: [String]) -> String? {
        let prefix = key + "="
        return env.last(where: { $0.hasPrefix(prefix) }).map { String($0.dropFirst(prefix.count)) }
    }

    /// Finds the executable for `name` as Docker's runtime does: a path if it has a slash, else a PATH search.
    static func resolve(_ name: String, env: [String], directory: String) throws -> String {
        func absolute(_ p: String, base: String) -> String { p.hasPrefix("/") ? p : base + "/" + p }
        func check(_ path: String) -> Int32 {  // 0 ok, else errno
            var st = stat()
            if stat(path, &st) != 0 { return errno }
            if (st.st_mode & S_IFMT) == S_IFDIR { return EISDIR }
            return access(path, X_OK) == 0 ? 0 : EACCES
        }
        guard !name.isEmpty else { throw SpawnFailure(exitCode: 127, message: "exec: no command specified") }
        if name.contains("/") {
            let path = absolute(name, base: directory)
            switch check(path) {
            case 0: return path
            case ENOENT, ENOTDIR:
                throw SpawnFailure(exitCode: 127, message: "exec: \"\(name)\": stat \(name): no such file or directory")
            default:
                throw SpawnFailure(exitCode: 126, message: "exec: \"\(name)\": permission denied")
            }
        }
        var sawUnexecutable = false
        for dir in (lookup("PATH", in: env) ?? defaultPath).split(separator: ":", omittingEmptySubsequences: false) {
            let base = dir.isEmpty ? directory : absolute(String(dir), base: directory)
            let candidate = base + "/" + name
            switch check(candidate) {
            case 0: return candidate
            case EACCES: sawUnexecutable = true
            default: continue
            }
        }
        if sawUnexecutable { throw SpawnFailure(exitCode: 126, message: "exec: \"\(name)\": permission denied") }
        throw SpawnFailure(exitCode: 127, message: "exec: \"\(name)\": executable file not found in $PATH")
    }

    /// Starts the process. Throws `SpawnFailure` (126/127 conventions) when it cannot run.
    static func spawn(_ request: SpawnRequest) throws -> SpawnedProcess {
        guard let name = request.argv.first else { throw SpawnFailure(exitCode: 127, message: "exec: no command specified") }
        let path = try resolve(name, env: request.env, directory: request.directory)
        guard let addChdir = symbols.0 else {
            throw SpawnFailure(exitCode: 126, message: "this C library cannot give a spawned process its own directory")
        }

        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        func closeAll() { for fd in outPipe + errPipe where fd >= 0 { close(fd) } }
        if request.captureOutput {
            guard makePipe(&outPipe) else { throw SpawnFailure(exitCode: 126, message: "pipe: \(String(cString: strerror(errno)))") }
            guard makePipe(&errPipe) else {
                let e = errno
                closeAll()
                throw SpawnFailure(exitCode: 126, message: "pipe: \(String(cString: strerror(e)))")
            }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var stdinCopy: Int32 = -1
        defer { if stdinCopy >= 0 { close(stdinCopy) } }
        if let fd = request.stdin {
            // A source among 1 and 2 would be overwritten by the dup2s after it: move it up first.
            var source = fd
            if fd == 1 || fd == 2 {
                stdinCopy = fcntl(fd, F_DUPFD_CLOEXEC, 3)
                source = stdinCopy
            }
            posix_spawn_file_actions_adddup2(&actions, source, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        if request.captureOutput {
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        _ = addChdir(&actions, request.directory)
        // Other parts of dks (the NIO client) may hold descriptors without O_CLOEXEC; none may leak into containers.
        if let closeFrom = symbols.1 { _ = closeFrom(&actions, 3) }

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // Ignored signals survive exec (dks ignores SIGPIPE), so every disposition is reset to the default.
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setpgroup(&attr, request.processGroup)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = request.argv.map { strdup($0) }
        let envp = request.env.map { strdup($0) }
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let rc: Int32 = (argv + [nil]).withUnsafeBufferPointer { a in
            (envp + [nil]).withUnsafeBufferPointer { e in
                guard let argvBase = a.baseAddress, let envBase = e.baseAddress else { return EINVAL }
                return posix_spawn(&pid, path, &actions, &attr, argvBase, envBase)
            }
        }
        if rc != 0 {
            closeAll()
            let reason = String(cString: strerror(rc))
            switch rc {
            case ENOENT: throw SpawnFailure(exitCode: 127, message: "exec: \"\(name)\": \(reason)")
            case EPERM where request.processGroup != 0: throw SpawnFailure(exitCode: 126, message: "the container's process group is gone")
            default: throw SpawnFailure(exitCode: 126, message: "exec: \"\(name)\": \(reason)")
            }
        }
        // A new group's leader: recorded so a second Ctrl-C can still kill it before dks exits at once.
        if request.processGroup == 0 { EmergencyKill.register(pid) }
        if request.captureOutput {
            close(outPipe[1])
            close(errPipe[1])
            return SpawnedProcess(pid: pid, stdout: outPipe[0], stderr: errPipe[0])
        }
        return SpawnedProcess(pid: pid, stdout: -1, stderr: -1)
    }

    /// Docker's exit code for a wait status: the status, or 128 + the signal that ended the process.
    static func exitCode(fromWaitStatus status: Int32) -> Int {
        let signal = status & 0x7f
        if signal == 0 { return Int((status >> 8) & 0xff) }
        return 128 + Int(signal)
    }

    /// Reaps `pid` (blocking), retrying on EINTR. Returns Docker's exit code, or -1 if it was not our child.
    static func reap(_ pid: pid_t) -> Int {
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, 0)
            if r == pid {
                EmergencyKill.unregister(pid)
                return exitCode(fromWaitStatus: status)
            }
            if r < 0 && errno == EINTR { continue }
            return -1
        }
    }

    /// Blocks until `pid` has exited, without reaping it, so its process group id stays reserved meanwhile.
    static func waitForExitWithoutReaping(_ pid: pid_t) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 {
            if errno != EINTR { return }
        }
    }
}
