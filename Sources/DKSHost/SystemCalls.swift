// SystemCalls: the Linux calls the Glibc module hides (they need _GNU_SOURCE) — pipe2,
// pidfd_open and posix_spawn's _np file actions — looked up once at run time, plus the small
// descriptor helpers every part of the host layer uses.
// Owns: close-on-exec pipes, high duplicates, EINTR-safe close. Must not: spawn or wait.
import Glibc

/// Descriptor and system-call helpers for the host layer.
public enum SystemCalls {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddTcsetpgrp = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    struct Symbols {
        let pipe2: Pipe2?
        let pidfdOpen: PidfdOpen?
        let addClosefrom: AddClosefrom?
        let addChdir: AddChdir?
        let addTcsetpgrp: AddTcsetpgrp?
    }

    static let symbols: Symbols = {
        let handle = dlopen(nil, RTLD_NOW)
        func sym<T>(_ name: String, _ type: T.Type) -> T? { dlsym(handle, name).map { unsafeBitCast($0, to: type) } }
        return Symbols(pipe2: sym("pipe2", Pipe2.self), pidfdOpen: sym("pidfd_open", PidfdOpen.self),
                       addClosefrom: sym("posix_spawn_file_actions_addclosefrom_np", AddClosefrom.self),
                       addChdir: sym("posix_spawn_file_actions_addchdir_np", AddChdir.self),
                       addTcsetpgrp: sym("posix_spawn_file_actions_addtcsetpgrp_np", AddTcsetpgrp.self))
    }()

    /// A pipe whose ends are close-on-exec from birth (so a concurrent spawn cannot inherit them):
    /// (read end, write end). Throws `HostError` when the process is out of descriptors.
    public static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        let ok: Bool
        if let pipe2 = symbols.pipe2 {
            ok = fds.withUnsafeMutableBufferPointer { b in b.baseAddress.map { pipe2($0, O_CLOEXEC) } ?? -1 } == 0
        } else {
            ok = Glibc.pipe(&fds) == 0
            if ok {
                _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            }
        }
        guard ok else { throw HostError(errno: errno, "cannot make a pipe") }
        return (fds[0], fds[1])
    }

    /// A close-on-exec duplicate of `fd` numbered 3 or above.
    public static func duplicateHigh(_ fd: Int32) throws -> Int32 {
        let d = fcntl(fd, F_DUPFD_CLOEXEC, 3)
        guard d >= 0 else { throw HostError(errno: errno, "cannot duplicate descriptor \(fd)") }
        return d
    }

    /// Closes `fd` (never retried: on Linux the descriptor is gone even when close reports EINTR).
    public static func close(_ fd: Int32) {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// A descriptor that becomes readable when process `pid` exits; nil where pidfds are unavailable.
    static func pidfd(_ pid: pid_t) -> Int32? {
        guard let open = symbols.pidfdOpen else { return nil }
        let fd = open(pid, 0)
        if fd < 0 { return nil }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    /// Writes every byte to `fd`, retrying short writes and EINTR. Returns the errno that stopped it (0: all written).
    public static func writeAll(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int32 {
        var off = 0
        while off < count {
            let n = Glibc.write(fd, base + off, count - off)
            if n > 0 { off += n; continue }
            if n < 0 && errno == EINTR { continue }
            return n < 0 ? errno : EIO
        }
        return 0
    }

    /// Reads up to `count` bytes, retrying EINTR. Returns the count (0 at end of input), or -errno.
    public static func read(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
        while true {
            let n = Glibc.read(fd, base, count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            return -Int(errno)
        }
    }
}

/// A failed system call, with the reason as the C library words it.
public struct HostError: Error, CustomStringConvertible {
    public let errno: Int32
    public let what: String
    public init(errno: Int32, _ what: String) {
        self.errno = errno
        self.what = what
    }
    public var reason: String { String(cString: strerror(errno)) }
    public var description: String { "\(what): \(reason)" }
}
