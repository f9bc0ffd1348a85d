// HTTPConnection: one NIO channel to the daemon, used as a blocking byte stream by one thread at a time.
// Owns: writes, the parser's byte source (deadline/interruption aware), closing. Must not: decide
// reuse policy (HTTPConnectionPool does) or be used from an event-loop thread (it blocks).
import DKSEngine
import DKSSupport
import Foundation
import NIOCore

final class HTTPConnection {
    let channel: Channel
    let queue: InboundQueue
    let endpointName: String
    private(set) var reader: ByteReader = ByteReader(source: { nil })
    /// Bounds the current read; `timeoutMessage` becomes the `.timeout` error's message.
    var deadline: Deadline = .never
    var timeoutMessage = "timed out"
    var interruptible = true
    /// True once the connection was handed out before (a keep-alive reuse).
    var useCount = 0
    /// Whether any byte of an answer arrived since the last `markRequestStart()`: a failure before
    /// the first byte on a reused connection is what a daemon closing an idle keep-alive looks like.
    private(set) var receivedAnswerBytes = false
    /// Guarded: an interactive session's `close` may come from another thread than its reads and writes.
    private let stateLock = NSLock()
    private var isClosed = false
    var closed: Bool { stateLock.withLock { isClosed } }

    init(channel: Channel, queue: InboundQueue, endpointName: String) {
        self.channel = channel
        self.queue = queue
        self.endpointName = endpointName
        reader = ByteReader(source: { [weak self] in try self?.nextPiece() })
    }

    private func nextPiece() throws -> [UInt8]? {
        do {
            let channel = self.channel
            let piece = try queue.take(deadline: deadline, interruptible: interruptible, resume: { channel.read() })
            if let piece = piece, !piece.isEmpty { receivedAnswerBytes = true }
            return piece
        } catch TakeFailure.deadline {
            close()
            throw EngineError(.timeout, timeoutMessage)
        } catch TakeFailure.interrupted {
            close()
            throw EngineError(.interrupted, "interrupted")
        } catch let error as EngineError {
            throw error
        } catch {
            if ConnectionErrors.isCleanEnd(error) { return nil }
            close()
            throw EngineError(.engine, "connection to \(endpointName) failed: \(ConnectionErrors.describe(error))")
        }
    }

    /// A new request begins on this connection: no answer byte for it yet.
    func markRequestStart() { receivedAnswerBytes = false }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write(raw: $0) }
    }

    /// Writes the bytes and waits until they are on the socket (backpressure for stdin pumps).
    func write(raw bytes: UnsafeRawBufferPointer) throws {
        guard !closed else { throw EngineError(.engine, "connection to \(endpointName) is closed") }
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        do {
            try channel.writeAndFlush(buffer).wait()
        } catch {
            close()
            // The write only sees "closed"; the pipeline recorded why (TLS refusals land there).
            let cause = queue.recordedFailure ?? error
            throw EngineError(.engine, "cannot send to \(endpointName): \(ConnectionErrors.describe(cause))")
        }
    }

    /// Writes `bytes`, waiting at most until `deadline` (a daemon that stops reading must not
    /// hang dks) and, when `interruptible`, ending at an interrupt; both close the connection.
    /// A failed write leaves the connection open, so the caller can still read an answer the
    /// daemon sent before it stopped reading (an error for a request body it refused).
    func write(_ bytes: [UInt8], deadline: Deadline, interruptible: Bool, timeoutMessage: String) throws {
        guard !closed else { throw EngineError(.engine, "connection to \(endpointName) is closed") }
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        let done = WriteCompletion()
        channel.writeAndFlush(buffer).whenComplete { done.complete($0) }
        while true {
            if let result = done.wait(seconds: min(0.05, max(deadline.remainingSeconds, 0.001))) {
                switch result {
                case .success: return
                case .failure(let error):
                    let cause = queue.recordedFailure ?? error
                    throw EngineError(.engine, "cannot send to \(endpointName): \(ConnectionErrors.describe(cause))")
                }
            }
            if interruptible && Interruption.isRequested {
                close()
                throw EngineError(.interrupted, "interrupted")
            }
            if deadline.hasPassed {
                close()
                throw EngineError(.timeout, timeoutMessage)
            }
        }
    }

    /// Half-closes the write side (hijacked streams: "no more stdin"); ignored where unsupported.
    func shutdownOutput() {
        channel.close(mode: .output, promise: nil)
    }

    /// True when it can carry another request.
    var isReusable: Bool {
        !closed && channel.isActive && !queue.peerGone && !queue.hasBufferedBytes && !reader.hasBufferedBytes
    }

    func close() {
        let first: Bool = stateLock.withLock {
            defer { isClosed = true }
            return !isClosed
        }
        if first { channel.close(promise: nil) }
    }
}

/// The outcome of one write, handed from the event loop to the writing thread.
private final class WriteCompletion: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<Void, Error>?

    func complete(_ r: Result<Void, Error>) {
        condition.lock()
        result = r
        condition.signal()
        condition.unlock()
    }

    /// The result once there is one, or nil after `seconds`.
    func wait(seconds: Double) -> Result<Void, Error>? {
        condition.lock()
        defer { condition.unlock() }
        if result == nil { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
        return result
    }
}
