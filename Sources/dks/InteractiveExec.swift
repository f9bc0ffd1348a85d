// InteractiveExec: `exec -it C CMD` with the user's terminal — raw mode, window size, stdin
// pumped to the process, its output straight to ours — installed as EngineProvider's hook.
// Must not: leave the terminal raw (restored on every way out) or keep reading stdin after the
// process ended (the pump polls and stops, so the prompt gets the next keystroke).
#if canImport(Glibc)
import Glibc
#endif
import DKSContainers
import DKSDocker
import DKSEngine
import DKSSupport

enum InteractiveExec {
    /// Runs `config` in container `ref` attached to this process's stdin/stdout; returns its exit code.
    static func run(_ engine: ContainerEngine, _ ref: String, _ config: ExecConfig) throws -> Int {
        guard let docker = engine as? DockerEngine else {
            // The local engine has no terminal sessions: run it plainly, output straight through.
            var plain = config
            plain.interactive = false
            plain.tty = false
            return try engine.exec(ref, plain) { chunk in write(chunk.stream == .stderr ? 2 : 1, chunk.bytes) } ?? 0
        }
        var cfg = config
        cfg.tty = config.tty && isatty(0) == 1
        let session = try docker.openInteractive(ref, exec: cfg)
        defer { session.close() }
        var saved = termios()
        let raw = cfg.tty && tcgetattr(0, &saved) == 0
        if raw {
            var t = saved
            cfmakeraw(&t)
            tcsetattr(0, TCSANOW, &t)
        }
        defer { if raw { tcsetattr(0, TCSANOW, &saved) } }
        if cfg.tty {
            var ws = winsize()
            if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0 { try? session.resize(rows: Int(ws.ws_row), columns: Int(ws.ws_col)) }
        }
        let stop = StopFlag()
        let pump = JoinableThread.start(stackSize: 1 << 20) {
            var buf = [UInt8](repeating: 0, count: 4096)
            var fds = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            while !stop.isSet {
                // Poll with a timeout so the pump notices the end of the session without a keystroke.
                let ready = poll(&fds, 1, 100)
                if ready <= 0 { continue }
                let n = read(0, &buf, buf.count)
                if n <= 0 { session.closeInput(); return }
                do { try session.write(Array(buf[0..<n])) } catch { return }
            }
        }
        defer {
            stop.set()
            pump?.join()
        }
        while let chunk = try session.read() { write(chunk.stream == .stderr ? 2 : 1, chunk.bytes) }
        return try session.exitCode()
    }

    private static func write(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var off = 0
            while off < raw.count {
                let n = Glibc.write(fd, base + off, raw.count - off)
                if n > 0 { off += n } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
    }
}

/// A flag one thread sets and another polls.
private final class StopFlag: @unchecked Sendable {
    private let lock = Lock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
