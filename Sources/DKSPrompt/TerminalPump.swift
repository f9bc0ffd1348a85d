// TerminalPump: the terminal side of `exec -it` and `attach` — copies keys from stdin to a
// container's duplex stream and its output to stdout, until the stream ends or the user types
// the detach keys (Ctrl-P Ctrl-Q). Must not: know the engine or its transport (the containers
// layer hands in an `InteractiveStream`), or touch terminal modes (RawTerminal does).
import DKSSupport
#if canImport(Glibc)
import Glibc
#endif

/// A bidirectional byte stream to a process with a tty in a container (the engine's hijacked
/// connection). Implemented by the containers layer.
public protocol InteractiveStream: AnyObject {
    /// Sends keystrokes to the process.
    func write(_ bytes: [UInt8]) throws
    /// Blocks for the next output bytes; nil when the stream has ended. Must return (nil or data)
    /// soon after `close()` is called from another thread.
    func read() throws -> [UInt8]?
    /// Tells the engine the terminal's new size.
    func resize(rows: Int, columns: Int) throws
    /// Ends the session from our side (detach); idempotent.
    func close()
}

/// How a pumped session ended.
public enum PumpOutcome: Equatable {
    /// The process exited or the stream closed.
    case ended
    /// The user typed the detach keys; the process keeps running.
    case detached
}

/// Finds the detach sequence in keyboard input (Ctrl-P Ctrl-Q by default, as docker does).
/// Bytes of a partial match are held back and sent once it is clear they are not the sequence.
public struct DetachDetector {
    public let sequence: [UInt8]
    private var matched = 0

    public init(sequence: [UInt8] = [0x10, 0x11]) { self.sequence = sequence }

    /// Feeds keyboard bytes; returns the bytes to forward and whether detach was typed
    /// (bytes after the sequence are dropped).
    public mutating func feed(_ bytes: [UInt8]) -> (forward: [UInt8], detach: Bool) {
        var out: [UInt8] = []
        guard !sequence.isEmpty else { return (bytes, false) }
        for b in bytes {
            if b == sequence[matched] {
                matched += 1
                if matched == sequence.count { return (out, true) }
            } else {
                out.append(contentsOf: sequence[0..<matched])
                matched = 0
                if b == sequence[0] { matched = 1 } else { out.append(b) }
            }
        }
        return (out, false)
    }
}

public enum TerminalPump {
    /// Pumps between the terminal (`input`, `output` descriptors) and `stream` until one ends.
    /// Run it inside `RawTerminal.with` so keys go through unprocessed.
    public static func run(_ stream: InteractiveStream, input: Int32 = 0, output: Int32 = 1,
                           detachKeys: [UInt8] = [0x10, 0x11]) -> PumpOutcome {
        if let size = RawTerminal.size(fd: output) ?? RawTerminal.size(fd: input) {
            try? stream.resize(rows: size.rows, columns: size.columns)
        }
        let state = PumpState()
        // Output on its own thread: a blocking read from the engine must not delay keystrokes.
        let reader = JoinableThread.start(stackSize: 1 << 20) {
            while !state.isDone, let chunk = try? stream.read() {
                if !DKSSupport.writeAll(output, chunk) { break }
            }
            state.finish()
        }
        var detector = DetachDetector(sequence: detachKeys)
        var outcome = PumpOutcome.ended
        var buf = [UInt8](repeating: 0, count: 4096)
        var lastSize = RawTerminal.size(fd: output)
        while !state.isDone {
            var pfd = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100) // wake up regularly to notice the stream ending
            if let now = RawTerminal.size(fd: output), lastSize.map({ $0 != now }) ?? true {
                lastSize = now
                try? stream.resize(rows: now.rows, columns: now.columns)
            }
            if ready <= 0 { continue }
            let n = Glibc.read(input, &buf, buf.count)
            if n <= 0 { break } // stdin closed: end as the docker CLI does
            let (forward, detach) = detector.feed(Array(buf[0..<n]))
            if !forward.isEmpty { do { try stream.write(forward) } catch { break } }
            if detach {
                outcome = .detached
                break
            }
        }
        state.finish()
        stream.close()
        reader?.join()
        return outcome
    }

}

/// The one flag both pump threads share.
final class PumpState: @unchecked Sendable {
    private let lock = Lock()
    private var done = false
    var isDone: Bool { lock.withLock { done } }
    func finish() { lock.withLock { done = true } }
}
