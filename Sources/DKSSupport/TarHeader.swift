// TarHeader: one member of a tar archive as metadata, and its encoding as ustar blocks (with a
// PAX extended header in front when a name, link target or number does not fit ustar).
// Owns: the on-disk header format (field offsets, octal and base-256 numbers, checksums, PAX
// records). Must not: touch the filesystem or hold member data (TarWriter and TarReader stream it).

/// The metadata of one tar member.
public struct TarHeader: Equatable, Sendable {
    /// The member types dks reads and writes.
    public enum Kind: Equatable, Sendable {
        case file, directory, symlink, hardLink, charDevice, blockDevice, fifo
        /// Any other type flag (reported so that callers can refuse it, as the docker CLI does).
        case other(UInt8)
    }

    /// The member's path inside the archive, without a trailing `/` (directories get one when written).
    public var name: String
    public var kind: Kind
    /// Permission bits, with setuid (0o4000), setgid (0o2000) and sticky (0o1000).
    public var mode: Int
    /// Bytes of data that follow the header (regular files only; 0 for every other kind).
    public var size: Int64
    /// Modification time, unix seconds.
    public var mtime: Int64
    /// The target of a symlink, or the archive path of the member a hard link points to.
    public var linkTarget: String
    public var uid: Int
    public var gid: Int
    public var devMajor: Int
    public var devMinor: Int

    public init(name: String, kind: Kind, mode: Int, size: Int64 = 0, mtime: Int64 = 0, linkTarget: String = "",
                uid: Int = 0, gid: Int = 0, devMajor: Int = 0, devMinor: Int = 0) {
        self.name = name
        self.kind = kind
        self.mode = mode
        self.size = size
        self.mtime = mtime
        self.linkTarget = linkTarget
        self.uid = uid
        self.gid = gid
        self.devMajor = devMajor
        self.devMinor = devMinor
    }

    /// Whether data blocks follow this header in an archive.
    var hasData: Bool { kind == .file }

    var typeFlag: UInt8 {
        switch kind {
        case .file: return UInt8(ascii: "0")
        case .hardLink: return UInt8(ascii: "1")
        case .symlink: return UInt8(ascii: "2")
        case .charDevice: return UInt8(ascii: "3")
        case .blockDevice: return UInt8(ascii: "4")
        case .directory: return UInt8(ascii: "5")
        case .fifo: return UInt8(ascii: "6")
        case .other(let t): return t
        }
    }

    static func kind(ofTypeFlag t: UInt8) -> Kind {
        switch t {
        case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): return .file
        case UInt8(ascii: "1"): return .hardLink
        case UInt8(ascii: "2"): return .symlink
        case UInt8(ascii: "3"): return .charDevice
        case UInt8(ascii: "4"): return .blockDevice
        case UInt8(ascii: "5"): return .directory
        case UInt8(ascii: "6"): return .fifo
        default: return .other(t)
        }
    }
}

/// A malformed archive, or a member that cannot be written.
public struct TarError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The ustar block layout and PAX records.
enum TarFormat {
    static let block = 512
    /// The largest number an octal field of `width` bytes (one for the terminator) holds.
    static func octalLimit(_ width: Int) -> Int64 { Int64(1) << Int64(3 * (width - 1)) }

    /// The blocks for `header`: a PAX header first when something does not fit ustar.
    static func encode(_ header: TarHeader) throws -> [UInt8] {
        var name = header.name
        if header.kind == .directory, !name.hasSuffix("/") { name += "/" }
        guard !name.isEmpty else { throw TarError("a tar member needs a name") }
        guard !name.utf8.contains(0), !header.linkTarget.utf8.contains(0) else {
            throw TarError("a tar member name may not contain a NUL byte: \(name)")
        }
        guard header.size >= 0 else { throw TarError("negative size for \(name)") }
        var pax: [(String, String)] = []
        let split = splitName(name)
        if split == nil { pax.append(("path", name)) }
        if header.linkTarget.utf8.count > 100 { pax.append(("linkpath", header.linkTarget)) }
        let size = header.hasData ? header.size : 0
        if size >= octalLimit(12) { pax.append(("size", String(size))) }
        if header.mtime < 0 || header.mtime >= octalLimit(12) { pax.append(("mtime", String(header.mtime))) }
        if header.uid < 0 || Int64(header.uid) >= octalLimit(8) { pax.append(("uid", String(header.uid))) }
        if header.gid < 0 || Int64(header.gid) >= octalLimit(8) { pax.append(("gid", String(header.gid))) }

        var out: [UInt8] = []
        if !pax.isEmpty {
            let records = paxRecords(pax)
            let paxHeader = TarHeader(name: "", kind: .other(UInt8(ascii: "x")), mode: 0o644, size: Int64(records.count))
            let paxName = "PaxHeaders.0/" + String(decoding: Array(basename(name).utf8.prefix(80)), as: UTF8.self)
            out += ustarBlock(name: ("", paxName), header: paxHeader, size: Int64(records.count), link: "")
            out += records
            out += [UInt8](repeating: 0, count: padding(Int64(records.count)))
        }
        let ustarName = split ?? ("", String(decoding: Array(name.utf8.prefix(100)), as: UTF8.self))
        let link = String(decoding: Array(header.linkTarget.utf8.prefix(100)), as: UTF8.self)
        out += ustarBlock(name: ustarName, header: header, size: size < octalLimit(12) ? size : 0, link: link)
        return out
    }

    private static func basename(_ name: String) -> String {
        let trimmed = name.hasSuffix("/") ? String(name.dropLast()) : name
        return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    }

    private static func ustarBlock(name: (prefix: String, name: String), header: TarHeader, size: Int64, link: String) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: block)
        put(&h, 0, 100, Array(name.name.utf8))
        put(&h, 100, 8, octal(Int64(header.mode & 0o7777), 8))
        put(&h, 108, 8, octal(clamp(Int64(header.uid), 8), 8))
        put(&h, 116, 8, octal(clamp(Int64(header.gid), 8), 8))
        put(&h, 124, 12, octal(size, 12))
        put(&h, 136, 12, octal(clamp(header.mtime, 12), 12))
        h[156] = header.typeFlag
        put(&h, 157, 100, Array(link.utf8))
        put(&h, 257, 6, Array("ustar".utf8) + [0])
        put(&h, 263, 2, Array("00".utf8))
        if header.kind == .charDevice || header.kind == .blockDevice {
            put(&h, 329, 8, octal(clamp(Int64(header.devMajor), 8), 8))
            put(&h, 337, 8, octal(clamp(Int64(header.devMinor), 8), 8))
        }
        put(&h, 345, 155, Array(name.prefix.utf8))
        // The checksum is computed with its own field as spaces.
        for i in 148..<156 { h[i] = 32 }
        let sum = h.reduce(0) { $0 + Int64($1) }
        put(&h, 148, 8, Array(octal(sum, 7).prefix(6)) + [0, 32])
        return h
    }

    private static func clamp(_ n: Int64, _ width: Int) -> Int64 { n < 0 ? 0 : min(n, octalLimit(width) - 1) }

    /// ustar keeps names up to 100 bytes, or 155 + "/" + 100 split at a slash; nil when neither fits.
    static func splitName(_ name: String) -> (prefix: String, name: String)? {
        let bytes = Array(name.utf8)
        if bytes.count <= 100 { return ("", name) }
        // The last slash that leaves at most 100 bytes after it and 155 before it.
        var i = min(bytes.count - 1, 155)
        while i >= 1 {
            if bytes[i] == UInt8(ascii: "/"), bytes.count - i - 1 <= 100, bytes.count - i - 1 > 0 {
                return (String(decoding: bytes[..<i], as: UTF8.self), String(decoding: bytes[(i + 1)...], as: UTF8.self))
            }
            i -= 1
        }
        return nil
    }

    /// `width - 1` octal digits and a NUL.
    private static func octal(_ n: Int64, _ width: Int) -> [UInt8] {
        let s = String(n, radix: 8)
        return Array((String(repeating: "0", count: max(0, width - 1 - s.count)) + s).utf8) + [0]
    }

    private static func put(_ h: inout [UInt8], _ at: Int, _ len: Int, _ bytes: [UInt8]) {
        for (i, b) in bytes.prefix(len).enumerated() { h[at + i] = b }
    }

    static func padding(_ size: Int64) -> Int { Int((Int64(block) - size % Int64(block)) % Int64(block)) }

    /// PAX records: "LEN key=value\n", where LEN counts the whole record including itself.
    static func paxRecords(_ items: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (key, value) in items {
            let body = " \(key)=\(value)\n"
            var length = body.utf8.count + 1
            while String(length).utf8.count + body.utf8.count != length { length = String(length).utf8.count + body.utf8.count }
            out += Array((String(length) + body).utf8)
        }
        return out
    }

    // MARK: Decoding

    static func cString(_ bytes: ArraySlice<UInt8>) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }

    /// An octal field (NUL/space padded), or GNU base-256 when the high bit is set; nil when malformed.
    static func number(_ bytes: ArraySlice<UInt8>) -> Int64? {
        if let first = bytes.first, first & 0x80 != 0 {
            // Base-256: the rest of the first byte and the following bytes, big-endian. Negative
            // values (0xff first) are refused: no field dks reads may be negative.
            guard first == 0x80 else { return nil }
            var n: Int64 = 0
            for b in bytes.dropFirst() {
                guard n < Int64.max >> 8 else { return nil }
                n = n << 8 | Int64(b)
            }
            return n
        }
        var n: Int64 = 0
        var seenDigit = false, ended = false
        for b in bytes {
            if b == 0 || b == 32 {
                if seenDigit { ended = true }
                continue
            }
            guard !ended, b >= 48, b <= 55, n < Int64.max >> 3 else { return nil }
            n = n * 8 + Int64(b - 48)
            seenDigit = true
        }
        return n
    }

    /// Whether a header block's checksum matches (unsigned, or the signed sum some old tars wrote).
    static func checksumMatches(_ h: [UInt8]) -> Bool {
        guard let stored = number(h[148..<156]) else { return false }
        var unsigned: Int64 = 0, signed: Int64 = 0
        for (i, b) in h.enumerated() {
            let v: UInt8 = (148..<156).contains(i) ? 32 : b
            unsigned += Int64(v)
            signed += Int64(Int8(bitPattern: v))
        }
        return stored == unsigned || stored == signed
    }

    /// PAX extended header records; malformed records are an error (as in Go's archive/tar).
    static func parsePax(_ body: [UInt8]) throws -> [String: String] {
        var out: [String: String] = [:]
        var i = 0
        while i < body.count {
            guard let space = body[i...].firstIndex(of: 32), space - i <= 20,
                  let length = Int(String(decoding: body[i..<space], as: UTF8.self)), length > space - i + 1,
                  i + length <= body.count, body[i + length - 1] == 10 else {
                throw TarError("malformed PAX extended header")
            }
            let record = body[(space + 1)..<(i + length - 1)]
            guard let eq = record.firstIndex(of: UInt8(ascii: "=")) else { throw TarError("malformed PAX extended header") }
            out[String(decoding: record[record.startIndex..<eq], as: UTF8.self)] =
                String(decoding: record[(eq + 1)...], as: UTF8.self)
            i += length
        }
        return out
    }
}
