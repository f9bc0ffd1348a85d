// LineStreams: lines read from a descriptor as they arrive — `for $line in (CMD)` over a host
// program or pipeline, and `input_lines()` — with interruption polled while waiting, and the
// pipeline ended cleanly when the loop breaks (spec §7, §10).
// Owns: splitting bytes into lines (without "\n" or a trailing "\r"). Must not: buffer more than
// one read beyond the current line.
import DKSHost
import DKSLanguage
import DKSSupport
import Glibc

/// Reads lines from a descriptor it does not own.
final class FDLineReader {
    let fd: Int32
    private(set) var buffer: [UInt8]
    private var start = 0
    private var scanned = 0
    private var ended = false

    init(fd: Int32, pending: [UInt8] = []) {
        self.fd = fd
        self.buffer = pending
    }

    /// The bytes read but not returned yet.
    var leftover: [UInt8] { Array(buffer[start...]) }

    /// The next line, or nil at the end of input. Throws `Interrupted` when interrupted while waiting.
    func next() throws -> String? {
        while true {
            if let nl = buffer[scanned...].firstIndex(of: 10) {
                var end = nl
                if end > start, buffer[end - 1] == 13 { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = nl + 1
                scanned = start
                compact()
                return line
            }
            scanned = buffer.count
            if CaptureLimit.exceeded(buffer.count - start) {
                throw ScriptError(.captureLimitError, CaptureLimit.message("a line of input"))
            }
            if ended {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 13 { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = buffer.count
                scanned = start
                return line
            }
            try fill()
        }
    }

    /// Everything up to the end of input.
    func rest() throws -> [UInt8] {
        while !ended {
            try fill()
            if CaptureLimit.exceeded(buffer.count - start) {
                throw ScriptError(.captureLimitError, CaptureLimit.message("the input read by input()") + "; read it line by line with input_lines()")
            }
        }
        defer { start = buffer.count; scanned = start }
        return Array(buffer[start...])
    }

    private func fill() throws {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            if Interruption.isRequested { throw ScriptError.interrupted() }
            pfd.revents = 0
            let r = poll(&pfd, 1, 50)
            if r > 0 { break }
            if r < 0 && errno != EINTR { break }
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            return SystemCalls.read(fd, base, raw.count)
        }
        if n <= 0 { ended = true; return }
        buffer.append(contentsOf: chunk[0..<n])
    }

    private func compact() {
        if start > 65536 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
    }
}

/// `for $line in (CMD)` over a host program or pipeline: the job starts when the loop starts.
final class PipelineLineStream: HostObject {
    let runs: [StageRun]
    let kinds: [PipelineJob.Kind]
    unowned(unsafe) let interp: Interpreter
    let loc: SourceLoc

    init(runs: [StageRun], kinds: [PipelineJob.Kind], interp: Interpreter, loc: SourceLoc) {
        self.runs = runs
        self.kinds = kinds
        self.interp = interp
        self.loc = loc
    }

    override var typeName: String { "stream" }
    override var description: String { "<stream \(runs.map(\.display).joined(separator: " | "))>" }

    override func iterate(_ body: (Value) throws -> Bool) throws -> Bool {
        let job = PipelineJob(runs, kinds: kinds, usage: .iterated, interp: interp, loc: loc)
        try job.start()
        let reader = FDLineReader(fd: job.lines)
        do {
            while let line = try reader.next() {
                if try !body(.string(line)) {
                    // `break`: the producers end now, quietly.
                    job.abandon()
                    return true
                }
            }
        } catch {
            job.abandon()
            throw error
        }
        job.closeLines()
        job.waitAll()
        _ = try ShellRunner.outcome(job)
        return true
    }
}

/// `input_lines()` iterated: the lines of the context's stdin as they arrive.
final class InputLineStream: HostObject {
    unowned(unsafe) let interp: Interpreter

    init(interp: Interpreter) { self.interp = interp }

    override var typeName: String { "stream" }
    override var description: String { "<stream stdin>" }

    override func iterate(_ body: (Value) throws -> Bool) throws -> Bool {
        let reader = FDLineReader(fd: interp.inFD, pending: interp.inputBuffer)
        interp.inputBuffer = []
        defer { interp.inputBuffer = reader.leftover }
        while let line = try reader.next() {
            if try !body(.string(line)) { break }
        }
        return true
    }
}
