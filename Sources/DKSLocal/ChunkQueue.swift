// ChunkQueue: hands output chunks from a pump thread to the thread that called runAttached.
// Owns: ordering, a byte bound (the producer waits when the consumer lags), end-of-stream.
// Must not: call user callbacks (the consumer does, on its own thread).
import DKSEngine
import Foundation

final class ChunkQueue {
    private let condition = NSCondition()
    private var chunks: [OutputChunk] = []
    private var head = 0
    private var bytes = 0
    private var finished = false
    private var abandoned = false
    private let limit: Int

    init(limit: Int = 4 << 20) { self.limit = limit }

    /// Adds a chunk; waits while the queue is over its bound. Dropped once the consumer has gone.
    func push(_ chunk: OutputChunk) {
        condition.lock()
        defer { condition.unlock() }
        while bytes > limit && !abandoned { condition.wait() }
        if abandoned { return }
        chunks.append(chunk)
        bytes += chunk.bytes.count
        condition.broadcast()
    }

    /// No more chunks will come.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer stops reading; producers never block on it again.
    func abandon() {
        condition.lock()
        abandoned = true
        chunks.removeAll()
        head = 0
        bytes = 0
        condition.broadcast()
        condition.unlock()
    }

    enum Pop { case chunk(OutputChunk), ended, timedOut }

    /// The next chunk, `.ended` after `finish` once drained, or `.timedOut` after `seconds`.
    func pop(waiting seconds: Double) -> Pop {
        condition.lock()
        defer { condition.unlock() }
        if head == chunks.count && !finished { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
        if head < chunks.count {
            let chunk = chunks[head]
            head += 1
            bytes -= chunk.bytes.count
            if head > 1024 && head * 2 > chunks.count { chunks.removeFirst(head); head = 0 }
            condition.broadcast()
            return .chunk(chunk)
        }
        return finished ? .ended : .timedOut
    }
}
