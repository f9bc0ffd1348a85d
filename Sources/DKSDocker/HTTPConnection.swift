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
            throw timeoutError()
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

    /// The `.timeout` error of the current read or write (`unanswered` while no answer byte came).
    private func timeoutError() -> EngineError {
        var error = EngineError(.timeout, timeoutMessage)
        error.unanswered = !receivedAnswerBytes
        return error
    }

    /// A new request begins on this connection: no answer byte for it yet.
    func markRequestStart() { receivedAnswerBytes = false }

    /// Writes `bytes` within the connection's current `deadline` (and `interruptible`): a request
    /// on a plain call. Any failure closes the connection.
    func write(_ bytes: [UInt8]) throws {
        do {
            try write(bytes, deadline: deadline, interruptible: interruptible, timeoutMessage: timeoutMessage)
        } catch {
            close()
            throw error
        }
    }

    /// Writes `bytes`, waiting at most until `deadline` (a daemon that stops reading, its socket
    /// buffers full, must not hang dks) and, when `interruptible`, ending at an interrupt; both
    /// close the connection. A failed write leaves the connection open, so the caller can still
    /// read an answer the daemon sent before it stopped reading (an error for a request body it refused).
    func write(_ bytes: [UInt8], deadline: Deadline, interruptible: Bool, timeoutMessage: String) throws {
        try bytes.withUnsafeBytes { try write(raw: $0, deadline: deadline, interruptible: interruptible, timeoutMessage: timeoutMessage) }
    }

    /// `write` from a raw buffer (a stdin pump's read buffer: no array in between).
    func write(raw bytes: UnsafeRawBufferPointer, deadline: Deadline, interruptible: Bool, timeoutMessage: String) throws {
        guard !closed else { throw EngineError(.engine, "connection to \(endpointName) is closed") }
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        do {
            try FutureWait.result(of: channel.writeAndFlush(buffer), deadline: deadline, interruptible: interruptible)
        } catch TakeFailure.deadline {
            close()
            var error = EngineError(.timeout, timeoutMessage)
            error.unanswered = !receivedAnswerBytes
            throw error
        } catch TakeFailure.interrupted {
            close()
            throw EngineError(.interrupted, "interrupted")
        } catch {
            // The write only sees "closed"; the pipeline recorded why (TLS refusals land there).
            let cause = queue.recordedFailure ?? error
            throw EngineError(.engine, "cannot send to \(endpointName): \(ConnectionErrors.describe(cause))")
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

