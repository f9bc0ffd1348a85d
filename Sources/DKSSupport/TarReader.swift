// TarReader: reads a tar archive incrementally from a source of byte chunks: `next()` gives
// each member's header, `read()` its data in pieces, so memory does not grow with the archive.
// Reads ustar, GNU long names ('L'/'K') and PAX extended headers ('x'; 'g' is skipped).
// Must not: touch the filesystem, trust sizes (special headers are bounded), or trap on
// malformed input (it throws TarError).

/// An archive read from `source`, member by member.
public final class TarReader {
    private let source: () throws -> [UInt8]?
    private var buffer: [UInt8] = []
    private var position = 0
    private var ended = false
    /// Data bytes of the current member not read yet, and the padding after them.
    private var remaining: Int64 = 0
    private var padding = 0
    /// Bytes consumed so far (for error messages).
    private var offset: Int64 = 0
    /// GNU and PAX headers larger than this are refused (a hostile archive could claim gigabytes).
    static let specialHeaderLimit = 1 << 20

    /// `source` returns the next piece of the archive, nil at its end.
    public init(source: @escaping () throws -> [UInt8]?) { self.source = source }

    /// An archive held in memory (tests, small archives).
    public convenience init(bytes: [UInt8]) {
        var given = false
        self.init(source: {
            if given { return nil }
            given = true
            return bytes
        })
    }

    /// The next member's header (skipping the unread data of the current one); nil at the end.
    public func next() throws -> TarHeader? {
        try skip(remaining + Int64(padding))
        remaining = 0
        padding = 0
        var longName: String?
        var longLink: String?
        var pax: [String: String] = [:]
        while true {
            guard let h = try take(TarFormat.block) else {
                // End of input at a member boundary (without the zero blocks) is a complete archive.
                if longName != nil || longLink != nil || !pax.isEmpty { throw TarError("tar archive ends after an extended header") }
                return nil
            }
            if h.allSatisfy({ $0 == 0 }) { return nil }
            guard TarFormat.checksumMatches(h) else { throw TarError("bad tar header checksum at byte \(offset - Int64(TarFormat.block))") }
            let type = h[156]
            guard let rawSize = TarFormat.number(h[124..<136]) else { throw TarError("bad size field at byte \(offset - 512)") }
            var size = rawSize
            switch type {
            case UInt8(ascii: "L"), UInt8(ascii: "K"), UInt8(ascii: "x"), UInt8(ascii: "g"):
                guard size <= TarReader.specialHeaderLimit else { throw TarError("tar extended header of \(size) bytes is too large") }
                guard let body = try take(Int(size)) else { throw TarError("truncated tar archive in an extended header") }
                try skip(Int64(TarFormat.padding(size)))
                switch type {
                case UInt8(ascii: "L"): longName = TarFormat.cString(body[...])
                case UInt8(ascii: "K"): longLink = TarFormat.cString(body[...])
                case UInt8(ascii: "x"): pax.merge(try TarFormat.parsePax(body)) { $1 }
                default: break // 'g': global PAX records set nothing dks uses.
                }
                continue
            default: break
            }
            var name = TarFormat.cString(h[0..<100])
            let isUstar = h[257..<262].elementsEqual(Array("ustar".utf8))
            if isUstar {
                let prefix = TarFormat.cString(h[345..<500])
                if !prefix.isEmpty { name = prefix + "/" + name }
            }
            var link = TarFormat.cString(h[157..<257])
            if let l = longName { name = l }
            if let l = longLink { link = l }
            if let p = pax["path"] { name = p }
            if let p = pax["linkpath"] { link = p }
            if let s = pax["size"] {
                guard let n = Int64(s), n >= 0 else { throw TarError("bad PAX size '\(s)'") }
                size = n
            }
            var kind = TarHeader.kind(ofTypeFlag: type)
            // Old (V7) archives mark directories by a trailing slash on a regular-file type.
            if kind == .file, type == 0 || type == UInt8(ascii: "0"), name.hasSuffix("/") { kind = .directory }
            func field(_ range: Range<Int>, _ what: String) throws -> Int64 {
                guard let n = TarFormat.number(h[range]) else { throw TarError("bad \(what) field in the header of \(name)") }
                return n
            }
            var mtime = try field(136..<148, "mtime")
            if let t = pax["mtime"] {
                // PAX times may have a fraction ("1700000000.123456789"); whole seconds are kept.
                let whole = t.split(separator: ".", maxSplits: 1).first.map(String.init) ?? t
                if let n = Int64(whole) { mtime = n }
            }
            var header = TarHeader(name: name, kind: kind, mode: Int(try field(100..<108, "mode") & 0o7777), mtime: mtime,
                                   linkTarget: link, uid: Int(clamping: try field(108..<116, "uid")),
                                   gid: Int(clamping: try field(116..<124, "gid")))
            if isUstar, kind == .charDevice || kind == .blockDevice {
                header.devMajor = Int(clamping: try field(329..<337, "devmajor"))
                header.devMinor = Int(clamping: try field(337..<345, "devminor"))
            }
            // Link, device, directory and fifo headers carry no data whatever their size field says
            // (as Go's archive/tar reads them); any other type's data belongs to the member.
            switch kind {
            case .hardLink, .symlink, .charDevice, .blockDevice, .directory, .fifo: size = 0
            default: break
            }
            header.size = size
            remaining = size
            padding = TarFormat.padding(size)
            while header.name.count > 1 && header.name.hasSuffix("/") { header.name.removeLast() }
            return header
        }
    }

    /// Up to `max` data bytes of the current member; nil when its data is all read.
    public func read(max: Int = 256 * 1024) throws -> [UInt8]? {
        guard remaining > 0 else { return nil }
        let want = Int(min(Int64(max), remaining))
        if position == buffer.count {
            guard try fill() else { throw TarError("truncated tar archive: \(remaining) bytes of data missing") }
        }
        let n = min(want, buffer.count - position)
        let out = Array(buffer[position..<(position + n)])
        consume(n)
        remaining -= Int64(n)
        return out
    }

    // MARK: Buffering

    private func consume(_ n: Int) {
        position += n
        offset += Int64(n)
        if position == buffer.count {
            buffer = []
            position = 0
        }
    }

    /// Appends the next source piece; false at the end of input.
    private func fill() throws -> Bool {
        if ended { return false }
        while true {
            guard let more = try source() else {
                ended = true
                return false
            }
            if more.isEmpty { continue }
            if position == buffer.count {
                buffer = more
                position = 0
            } else {
                if position > 0 {
                    buffer.removeFirst(position)
                    position = 0
                }
                buffer += more
            }
            return true
        }
    }

    /// Exactly `n` bytes; nil when the input ends before the first of them, an error when it
    /// ends in the middle.
    private func take(_ n: Int) throws -> [UInt8]? {
        while buffer.count - position < n {
            guard try fill() else {
                if buffer.count == position { return nil }
                throw TarError("truncated tar archive at byte \(offset)")
            }
        }
        let out = Array(buffer[position..<(position + n)])
        consume(n)
        return out
    }

    private func skip(_ count: Int64) throws {
        var left = count
        while left > 0 {
            if position == buffer.count {
                guard try fill() else { throw TarError("truncated tar archive at byte \(offset)") }
            }
            let n = Int(min(left, Int64(buffer.count - position)))
            consume(n)
            left -= Int64(n)
        }
    }
}
