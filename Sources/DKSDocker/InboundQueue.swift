// InboundQueue: the bounded hand-off of received bytes from the event loop to the calling thread.
// Owns: buffering (at most ~1 MiB, then reading pauses), end-of-stream and errors, blocking takes
// that poll deadlines and Interruption every 50 ms. Must not: parse HTTP; never block the event loop.
import DKSEngine
import DKSSupport
import Foundation
import NIOCore

/// Why a blocking take gave up before bytes arrived.
enum TakeFailure: Error {
    case deadline
    case interrupted
}

final class InboundQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var buffered = 0
    private var finished = false
    private var failure: Error?
    /// True while the handler stopped asking the channel for more (the consumer is behind).
    private var paused = false
    let highWater: Int

    init(highWater: Int = 1 << 20) { self.highWater = highWater }

    /// Pieces below this size are joined with the ones queued after them when taken.
    static let smallPiece = 16 * 1024

    // MARK: Event-loop side

    func push(_ bytes: [UInt8]) {
        condition.lock()
        chunks.append(bytes)
        buffered += bytes.count
        condition.signal()
        condition.unlock()
    }

    /// Called after a read burst: true when the handler should read again now.
    func shouldReadMore() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if finished { return false }
        if buffered >= highWater { paused = true; return false }
        return true
    }

    func finish(_ error: Error?) {
        condition.lock()
        if !finished {
            finished = true
            failure = error
        }
        condition.broadcast()
        condition.unlock()
    }

    // MARK: Calling-thread side

    /// True when the peer closed or failed, even with bytes still queued.
    var peerGone: Bool {
        condition.lock()
        defer { condition.unlock() }
        return finished
    }

    /// The error that ended the stream, if any (a TLS handshake failure explains a failed write).
    var recordedFailure: Error? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    var hasBufferedBytes: Bool {
        condition.lock()
        defer { condition.unlock() }
        return head < chunks.count
    }

    /// The next received bytes; nil at end of stream. `resume` is called (outside the lock) when
    /// reading had paused and the queue drained enough to read again.
    func take(deadline: Deadline, interruptible: Bool, resume: () -> Void) throws -> [UInt8]? {
        condition.lock()
        while true {
            if head < chunks.count {
                // Small pieces queued together go in one piece: each hand-off costs the caller a
                // wake-up (a log arrives a line at a time). The first piece is moved out (not
                // copied); a big one goes alone, as it is, so stream bytes are never copied here.
                var bytes: [UInt8] = []
                swap(&bytes, &chunks[head])
                head += 1
                if head < chunks.count && bytes.count < InboundQueue.smallPiece {
                    var more = 0
                    var k = head
                    while k < chunks.count && bytes.count + more + chunks[k].count <= 256 * 1024 { more += chunks[k].count; k += 1 }
                    bytes.reserveCapacity(bytes.count + more)
                    while head < k {
                        bytes.append(contentsOf: chunks[head])
                        chunks[head] = []
                        head += 1
                    }
                }
                buffered -= bytes.count
                if head > 64 && head * 2 > chunks.count {
                    chunks.removeFirst(head)
                    head = 0
                }
                let wake = paused && buffered <= highWater / 2 && !finished
                if wake { paused = false }
                condition.unlock()
                if wake { resume() }
                return bytes
            }
            if finished {
                let error = failure
                condition.unlock()
                if let error = error { throw error }
                return nil
            }
            if interruptible && Interruption.isRequested {
                condition.unlock()
                throw TakeFailure.interrupted
            }
            if deadline.hasPassed {
                condition.unlock()
                throw TakeFailure.deadline
            }
            let step = min(0.05, deadline.remainingSeconds)
            _ = condition.wait(until: Date(timeIntervalSinceNow: max(step, 0.001)))
        }
    }
}

/// Feeds an `InboundQueue` from a channel whose autoRead is off, reading again only while the queue has room.
final class QueueingHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    let queue: InboundQueue

    init(queue: InboundQueue) { self.queue = queue }

    func channelActive(context: ChannelHandlerContext) {
        context.read()
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { context.read() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if buffer.readableBytes > 0 { queue.push(Array(buffer.readableBytesView)) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if queue.shouldReadMore() { context.read() }
    }

    /// Hijacked streams end with a half-close from the daemon (remote half-closure is allowed so
    /// stdin can stay open); that is the end of the output.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event { queue.finish(nil) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        queue.finish(nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        queue.finish(error)
        context.close(promise: nil)
    }
}
