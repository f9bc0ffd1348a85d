// JSONRPC: the Language Server Protocol's base layer — messages framed by a `Content-Length`
// header on a byte stream (stdin/stdout for `dks lsp`), each a JSON-RPC 2.0 request,
// response or notification.
// Owns: framing, reading and writing whole messages. Must not: know any LSP method.
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

/// Reads and writes framed JSON-RPC messages on two descriptors.
final class JSONRPCConnection {
    private let input: Int32
    private let output: Int32
    private var buffer: [UInt8] = []
    /// Messages larger than this are refused (and the connection ends): an editor never sends one.
    static let maxMessage = 64 << 20

    init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
    }

    enum ReadError: Error { case endOfInput, malformed(String) }

    /// The next message's JSON. Throws `ReadError.endOfInput` when the client closed the stream.
    func read() throws -> JSON {
        var length: Int?
        while true {
            let line = try readHeaderLine()
            if line.isEmpty { break }
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters() }
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                guard let n = Int(parts[1]), n >= 0, n <= JSONRPCConnection.maxMessage else {
                    throw ReadError.malformed("bad Content-Length \(parts[1])")
                }
                length = n
            }
        }
        guard let n = length else { throw ReadError.malformed("a message without Content-Length") }
        try fill(n)
        let body = Array(buffer[0..<n])
        buffer.removeFirst(n)
        do { return try JSON.parse(body) } catch { throw ReadError.malformed("\(error)") }
    }

    /// Writes one message.
    func write(_ message: JSON) {
        let body = Array(message.encoded().utf8)
        let frame = Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
        _ = writeAll(output, frame)
    }

    private func readHeaderLine() throws -> String {
        while true {
            if let nl = buffer.firstIndex(of: 10) {
                var line = Array(buffer[0..<nl])
                buffer.removeFirst(nl + 1)
                if line.last == 13 { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if buffer.count > 8192 { throw ReadError.malformed("header line too long") }
            try readMore()
        }
    }

    private func fill(_ n: Int) throws {
        while buffer.count < n { try readMore() }
    }

    private func readMore() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if got > 0 {
                buffer.append(contentsOf: chunk[0..<got])
                return
            }
            if got < 0, errno == EINTR { continue }
            throw ReadError.endOfInput
        }
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
