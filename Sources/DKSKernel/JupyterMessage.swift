// JupyterMessage: the Jupyter messaging protocol's wire format (version 5.3) — routing
// identities, the `<IDS|MSG>` delimiter, the HMAC-SHA256 signature over header, parent header,
// metadata and content, then those four JSON frames.
// Owns: encoding, decoding and signing messages. Must not: act on a message.
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

struct JupyterMessage {
    var identities: [[UInt8]] = []
    var header: JSON
    var parentHeader: JSON
    var metadata: JSON = .object([])
    var content: JSON

    var type: String { header["msg_type"]?.stringValue ?? "" }

    static let delimiter = Array("<IDS|MSG>".utf8)
    static let protocolVersion = "5.3"

    /// Decodes frames; nil when they are not a well-formed, correctly signed message.
    static func decode(_ frames: [[UInt8]], key: [UInt8]) -> JupyterMessage? {
        guard let d = frames.firstIndex(of: delimiter), frames.count >= d + 6 else { return nil }
        let parts = Array(frames[(d + 2)..<(d + 6)])
        if !key.isEmpty {
            let expected = Array(hex(hmacSHA256(key: key, message: parts.flatMap { $0 })).utf8)
            guard constantTimeEqual(expected, frames[d + 1]) else { return nil }
        }
        guard let header = try? JSON.parse(parts[0]), let parent = try? JSON.parse(parts[1]),
              let metadata = try? JSON.parse(parts[2]), let content = try? JSON.parse(parts[3]) else { return nil }
        return JupyterMessage(identities: Array(frames[0..<d]), header: header, parentHeader: parent, metadata: metadata, content: content)
    }

    /// The frames of this message, signed with `key` (no signature when the key is empty).
    func encode(key: [UInt8]) -> [[UInt8]] {
        let parts = [header, parentHeader, metadata, content].map { Array($0.encoded().utf8) }
        let signature = key.isEmpty ? [] : Array(hex(hmacSHA256(key: key, message: parts.flatMap { $0 })).utf8)
        return identities + [JupyterMessage.delimiter, signature] + parts
    }

    /// A new message of `type` in `session`, answering `parent` (its identities kept for routing).
    static func reply(to parent: JupyterMessage?, type: String, session: String, content: JSON) -> JupyterMessage {
        let header: JSON = .object([
            ("msg_id", .string(newID())),
            ("session", .string(session)),
            ("username", .string("dks")),
            ("date", .string(isoNow())),
            ("msg_type", .string(type)),
            ("version", .string(protocolVersion)),
        ])
        return JupyterMessage(identities: parent?.identities ?? [], header: header,
                              parentHeader: parent?.header ?? .object([]), content: content)
    }

    /// A random UUID (version 4) as text.
    static func newID() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        var got = -1
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, 16) }
            close(fd)
        }
        if got != 16 {
            var t = timespec()
            clock_gettime(CLOCK_REALTIME, &t)
            var seed = UInt64(t.tv_nsec) ^ UInt64(t.tv_sec) << 30 ^ UInt64(getpid())
            for i in 0..<16 {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                bytes[i] = UInt8(truncatingIfNeeded: seed >> 33)
            }
        }
        bytes[6] = (bytes[6] & 0x0f) | 0x40
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let h = hex(bytes)
        let c = Array(h)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    /// The current UTC time in ISO 8601 with microseconds.
    static func isoNow() -> String {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        var secs = time_t(t.tv_sec)
        var parts = tm()
        gmtime_r(&secs, &parts)
        func pad(_ v: Int32, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        let micros = Int32(t.tv_nsec / 1000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(micros, 6))Z"
    }
}
