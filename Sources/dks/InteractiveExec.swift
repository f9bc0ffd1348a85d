// InteractiveExec: `exec -it C CMD` and `attach C` with the user's terminal, installed as the
// EngineProvider's session hook. On a terminal: raw mode (RawTerminal) and the prompt's
// TerminalPump (detach keys, resizes). With piped stdin: stdin is copied in, then half-closed,
// and the output is read to its end. Must not: leave the terminal raw or keep reading stdin
// after the session ended.
#if canImport(Glibc)
import Glibc
#endif
import DKSContainers
import DKSDocker
import DKSEngine
import DKSPrompt
import DKSSupport

enum InteractiveExec {
    /// Runs `config` in container `ref` (or attaches to it when `config` is nil) on this process's
    /// terminal; returns the exit code, or nil when the user detached.
    static func run(_ engine: ContainerEngine, _ ref: String, _ config: ExecConfig?) throws -> Int? {
        guard let docker = engine as? DockerEngine else {
            guard var plain = config else {
                throw EngineError(.unsupported, "attach needs the Docker engine; the local engine has no terminal sessions (use logs -f)")
            }
            // The local engine has no terminal sessions: run it plainly, output straight through.
            plain.interactive = false
            plain.tty = false
            return try engine.exec(ref, plain) { chunk in _ = writeAll(chunk.stream == .stderr ? 2 : 1, chunk.bytes) } ?? 0
        }
        let onTerminal = isatty(0) == 1
        var cfg = config
        if onTerminal == false { cfg?.tty = false }
        let session = try docker.openInteractive(ref, exec: cfg)
        defer { session.close() }
        if onTerminal && (cfg?.tty ?? session.tty) {
            let outcome = RawTerminal.with { TerminalPump.run(SessionStream(session)) }
            if outcome == .detached {
                // Start the prompt on a fresh line, as the docker CLI does after its escape sequence.
                _ = writeAll(1, Array("\r\n".utf8))
                return nil
            }
            return try session.exitCode()
        }
        return try pipeThrough(session)
    }

    /// Piped stdin: copy it in, half-close, and read every output chunk to its stream.
    private static func pipeThrough(_ session: InteractiveSession) throws -> Int {
        let lock = Lock()
        var finished = false
        let writer = JoinableThread.start(stackSize: 1 << 20) {
            var buf = [UInt8](repeating: 0, count: 65536)
            var pfd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            // Poll with a timeout so the copy stops when the session ends, even if stdin stays open.
            while !lock.withLock({ finished }) {
                if poll(&pfd, 1, 100) <= 0 { continue }
                let n = read(0, &buf, buf.count)
                if n <= 0 { break }
                do { try session.write(Array(buf[0..<n])) } catch { break }
            }
            session.closeInput()
        }
        defer {
            lock.withLock { finished = true }
            writer?.join()
        }
        while let chunk = try session.read() { _ = writeAll(chunk.stream == .stderr ? 2 : 1, chunk.bytes) }
        return try session.exitCode()
    }
}

/// The engine's hijacked session as the prompt's `InteractiveStream`.
private final class SessionStream: InteractiveStream {
    let session: InteractiveSession
    init(_ session: InteractiveSession) { self.session = session }
    func write(_ bytes: [UInt8]) throws { try session.write(bytes) }
    func read() throws -> [UInt8]? { try session.read()?.bytes }
    func resize(rows: Int, columns: Int) throws { try session.resize(rows: rows, columns: columns) }
    func close() { session.close() }
}
