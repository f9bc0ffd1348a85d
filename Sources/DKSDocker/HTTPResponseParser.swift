// HTTPResponseParser: HTTP/1.1 response heads and bodies (length, chunked, until close) read
// from a pull-based byte source on the calling thread. Owns: framing and its malformed cases.
// Must not: touch NIO or sockets (the source is a closure, so tests feed it arbitrary splits).
import DKSEngine
import Foundation

/// A malformed answer from the daemon.
struct HTTPParseError: Error, CustomStringConvertible {
    let reason: String
    var description: String { "malformed HTTP answer: \(reason)" }
}

/// Buffered pull reader over a source of byte pieces (nil at end of stream).
final class ByteReader {
    private var buffer: [UInt8] = []
    private var position = 0
    /// Returns the next piece, nil at end of stream; may throw (timeouts, interruption).
    var source: () throws -> [UInt8]?

    init(source: @escaping () throws -> [UInt8]?) { self.source = source }

    var hasBufferedBytes: Bool { position < buffer.count }

    private func fill() throws -> Bool {
        guard let more = try source() else { return false }
        if position == buffer.count {
            buffer = more
            position = 0
        } else {
            if position > 0 { buffer.removeFirst(position); position = 0 }
            buffer.append(contentsOf: more)
        }
        return true
    }

    /// A line without its CRLF (or bare LF); nil at end of stream before any byte.
    func readLine(limit: Int = 64 * 1024) throws -> String? {
        var scanned = position
        while true {
            while scanned < buffer.count {
                if buffer[scanned] == 10 {
                    var end = scanned
                    if end > position && buffer[end - 1] == 13 { end -= 1 }
                    let line = String(decoding: buffer[position..<end], as: UTF8.self)
                    position = scanned + 1
                    return line
                }
                scanned += 1
            }
            if buffer.count - position > limit { throw HTTPParseError(reason: "line longer than \(limit) bytes") }
            let offset = scanned - position
            guard try fill() else {
                if position == buffer.count { return nil }
                throw HTTPParseError(reason: "connection closed in the middle of a line")
            }
            scanned = position + offset
        }
    }

    /// Whether a whole line is already buffered (reading it will not wait for the network).
    var hasBufferedLine: Bool { buffer[position...].contains(10) }

    /// Appends up to `max` bytes (what is buffered, else the next piece) to `out`; returns how
    /// many, or nil at end of stream.
    func readSome(max: Int, appendingTo out: inout [UInt8]) throws -> Int? {
        if position == buffer.count {
            guard try fill() else { return nil }
        }
        let n = Swift.min(max, buffer.count - position)
        out.append(contentsOf: buffer[position..<(position + n)])
        position += n
        if position == buffer.count { buffer = []; position = 0 }
        return n
    }

    /// Up to `max` bytes: what is buffered, else the next piece; nil at end of stream.
    func readSome(max: Int) throws -> [UInt8]? {
        if position == buffer.count {
            guard try fill() else { return nil }
        }
        let n = min(max, buffer.count - position)
        if position == 0 && n == buffer.count {
            // The whole piece: handed over as it is, not copied (streams pass 1 GB through here).
            let out = buffer
            buffer = []
            return out
        }
        let out = Array(buffer[position..<(position + n)])
        position += n
        if position == buffer.count { buffer = []; position = 0 }
        return out
    }
}

/// A response's status line and headers.
struct ResponseHead {
    var status: Int
    var reason: String
    var headers: [(String, String)]

    func header(_ name: String) -> String? {
        headers.first(where: { $0.0.caseInsensitiveCompare(name) == .orderedSame })?.1
    }

    static func read(from reader: ByteReader) throws -> ResponseHead? {
        guard let statusLine = try reader.readLine() else { return nil }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...999).contains(status) else {
            throw HTTPParseError(reason: "bad status line '\(statusLine.prefix(80))'")
        }
        var headers: [(String, String)] = []
        while true {
            guard let line = try reader.readLine() else { throw HTTPParseError(reason: "connection closed in the headers") }
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw HTTPParseError(reason: "bad header line '\(line.prefix(80))'") }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            if headers.count > 200 { throw HTTPParseError(reason: "too many headers") }
        }
        return ResponseHead(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers)
    }
}

/// How a body ends.
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
    case untilClose

    static func of(_ head: ResponseHead, requestMethod: String) throws -> BodyFraming {
        if requestMethod == "HEAD" || head.status == 204 || head.status == 304 || (100..<200).contains(head.status) && head.status != 101 {
            return .none
        }
        if head.status == 101 { return .untilClose }
        if let te = head.header("Transfer-Encoding"), te.lowercased().contains("chunked") { return .chunked }
        if let cl = head.header("Content-Length") {
            guard let n = Int(cl.trimmingCharacters(in: .whitespaces)), n >= 0 else { throw HTTPParseError(reason: "bad Content-Length '\(cl)'") }
            return n == 0 ? .none : .length(n)
        }
        return .untilClose
    }
}

/// Reads one body piece by piece.
final class BodyReader {
    private let reader: ByteReader
    private let framing: BodyFraming
    private var remaining = 0
    private var chunkState = 0 // 0: expect size line, 1: in data, 3: expect the CRLF after data, 2: done
    private(set) var isComplete = false

    init(reader: ByteReader, framing: BodyFraming) {
        self.reader = reader
        self.framing = framing
        switch framing {
        case .none: isComplete = true
        case .length(let n): remaining = n
        default: break
        }
    }

    /// The next piece of the body; nil once it is complete.
    func next(max: Int = 256 * 1024) throws -> [UInt8]? {
        if isComplete { return nil }
        switch framing {
        case .none:
            isComplete = true
            return nil
        case .untilClose:
            guard let bytes = try reader.readSome(max: max) else { isComplete = true; return nil }
            return bytes
        case .length:
            guard let bytes = try reader.readSome(max: min(max, remaining)) else {
                throw HTTPParseError(reason: "connection closed with \(remaining) body bytes missing")
            }
            remaining -= bytes.count
            if remaining == 0 { isComplete = true }
            return bytes
        case .chunked:
            // Every chunk already received is returned in one piece: a log stream arrives as one
            // chunk per line, and handing those over one by one cost more than the bytes themselves.
            // Only an empty result waits for the network, so a followed stream is never held back.
            var out: [UInt8] = []
            while out.count < max {
                if chunkState == 0 {
                    if !out.isEmpty && !reader.hasBufferedLine { break }
                    guard let line = try reader.readLine() else { throw HTTPParseError(reason: "connection closed before a chunk size") }
                    guard let size = BodyReader.chunkSize(line) else { throw HTTPParseError(reason: "bad chunk size '\(line.prefix(40))'") }
                    if size == 0 {
                        while let trailer = try reader.readLine(), !trailer.isEmpty {}
                        isComplete = true
                        chunkState = 2
                        break
                    }
                    remaining = size
                    chunkState = 1
                }
                if chunkState == 1 {
                    if !out.isEmpty && !reader.hasBufferedBytes { break }
                    guard let n = try reader.readSome(max: min(max - out.count, remaining), appendingTo: &out) else {
                        throw HTTPParseError(reason: "connection closed inside a chunk")
                    }
                    remaining -= n
                    if remaining == 0 { chunkState = 3 }
                }
                if chunkState == 3 {
                    // The CRLF after a chunk's data.
                    if !out.isEmpty && !reader.hasBufferedLine { break }
                    guard let end = try reader.readLine(), end.isEmpty else { throw HTTPParseError(reason: "chunk not followed by CRLF") }
                    chunkState = 0
                }
            }
            return out.isEmpty && isComplete ? nil : out
        }
    }

    /// The size on a chunk-size line (`1f`, `1f;ext=1`, blanks around it allowed), parsed from its
    /// bytes: this runs once per log line, where Foundation's trimming cost more than the line itself.
    static func chunkSize(_ line: String) -> Int? {
        var size = 0
        var digits = 0
        var seenEnd = false
        for b in line.utf8 {
            if b == UInt8(ascii: ";") { break }
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") {
                if digits > 0 { seenEnd = true }
                continue
            }
            let v: Int
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = Int(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = Int(b - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = Int(b - UInt8(ascii: "A")) + 10
            default: return nil
            }
            // Digits after a blank, or more than 15 hex digits (beyond any real chunk), are malformed.
            if seenEnd || digits >= 15 { return nil }
            size = size << 4 | v
            digits += 1
        }
        return digits > 0 ? size : nil
    }

    /// Reads the rest, failing beyond `limit` bytes (plain calls; streams never buffer whole bodies).
    func readAll(limit: Int) throws -> [UInt8] {
        var all: [UInt8] = []
        while let piece = try next() {
            all.append(contentsOf: piece)
            if all.count > limit { throw HTTPParseError(reason: "body larger than \(limit) bytes") }
        }
        return all
    }
}
