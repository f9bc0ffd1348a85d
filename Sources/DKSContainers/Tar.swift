// Tar: a small ustar reader and writer for `cp` — regular files, directories and symlinks,
// long names through the ustar prefix field, GNU 'L' and PAX 'path' headers when reading.
// Must not: touch the filesystem (TarFiles does) or trap on malformed archives (they throw).

/// One member of a tar archive.
struct TarEntry: Equatable {
    enum Kind: Equatable { case file, directory, symlink }
    var name: String
    var kind: Kind
    var mode: Int
    var bytes: [UInt8] = []
    var linkTarget: String = ""
    var mtime: Int = 0
}

struct TarError: Error, CustomStringConvertible {
    let description: String
}

enum Tar {
    /// An archive of `entries` (two zero blocks at the end).
    static func write(_ entries: [TarEntry]) throws -> [UInt8] {
        var out: [UInt8] = []
        for e in entries {
            var name = e.name
            if e.kind == .directory, !name.hasSuffix("/") { name += "/" }
            out += try header(name: name, e)
            if e.kind == .file {
                out += e.bytes
                out += [UInt8](repeating: 0, count: (512 - e.bytes.count % 512) % 512)
            }
        }
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }

    private static func header(name: String, _ e: TarEntry) throws -> [UInt8] {
        // 11 octal digits hold sizes below 8 GiB; cp of anything bigger is refused rather than corrupted.
        guard e.bytes.count < 0o77777777777 else { throw TarError(description: "file too large for a tar archive: \(name)") }
        var h = [UInt8](repeating: 0, count: 512)
        let (prefix, short) = try splitName(name)
        put(&h, 0, 100, Array(short.utf8))
        put(&h, 100, 8, octal(e.mode & 0o7777, 7))
        put(&h, 108, 8, octal(0, 7))
        put(&h, 116, 8, octal(0, 7))
        put(&h, 124, 12, octal(e.kind == .file ? e.bytes.count : 0, 11))
        put(&h, 136, 12, octal(max(0, e.mtime), 11))
        h[156] = e.kind == .file ? UInt8(ascii: "0") : e.kind == .directory ? UInt8(ascii: "5") : UInt8(ascii: "2")
        let link = Array(e.linkTarget.utf8)
        guard link.count <= 100 else { throw TarError(description: "symlink target too long for tar: \(e.linkTarget)") }
        put(&h, 157, 100, link)
        put(&h, 257, 6, Array("ustar".utf8) + [0])
        put(&h, 263, 2, Array("00".utf8))
        put(&h, 345, 155, Array(prefix.utf8))
        // The checksum is computed with its own field as spaces.
        for i in 148..<156 { h[i] = 32 }
        let sum = h.reduce(0) { $0 + Int($1) }
        put(&h, 148, 8, octal(sum, 6) + [0, 32])
        return h
    }

    /// ustar keeps names up to 100 bytes, or 155 + "/" + 100 split at a slash.
    private static func splitName(_ name: String) throws -> (String, String) {
        let bytes = Array(name.utf8)
        if bytes.count <= 100 { return ("", name) }
        // The last slash that leaves at most 100 bytes after it and 155 before it.
        for i in stride(from: min(bytes.count - 1, 155), through: 1, by: -1) where bytes[i] == UInt8(ascii: "/") {
            if bytes.count - i - 1 <= 100 && bytes.count - i - 1 > 0 {
                return (String(decoding: bytes[..<i], as: UTF8.self), String(decoding: bytes[(i + 1)...], as: UTF8.self))
            }
        }
        throw TarError(description: "path too long for a tar archive: \(name)")
    }

    private static func octal(_ n: Int, _ width: Int) -> [UInt8] {
        let s = String(n, radix: 8)
        return Array((String(repeating: "0", count: max(0, width - s.count)) + s).utf8)
    }

    private static func put(_ h: inout [UInt8], _ at: Int, _ len: Int, _ bytes: [UInt8]) {
        for (i, b) in bytes.prefix(len).enumerated() { h[at + i] = b }
    }

    /// The entries of an archive (hard links and devices are skipped; their data is not needed by cp).
    static func read(_ data: [UInt8]) throws -> [TarEntry] {
        var entries: [TarEntry] = []
        var off = 0
        var longName: String?
        var paxPath: String?
        var paxLink: String?
        while off + 512 <= data.count {
            let h = Array(data[off..<(off + 512)])
            if h.allSatisfy({ $0 == 0 }) { break }
            let stored = parseOctal(h[148..<156])
            var sum = 0
            for (i, b) in h.enumerated() { sum += (148..<156).contains(i) ? 32 : Int(b) }
            guard stored == sum else { throw TarError(description: "bad tar header checksum at byte \(off)") }
            let size = parseOctal(h[124..<136])
            let type = h[156]
            off += 512
            guard size >= 0, size <= data.count - off else { throw TarError(description: "truncated tar archive at byte \(off)") }
            let body = Array(data[off..<(off + size)])
            off += (size + 511) / 512 * 512
            switch type {
            case UInt8(ascii: "L"):
                longName = cString(body[...])
                continue
            case UInt8(ascii: "x"):
                let pax = parsePax(body)
                paxPath = pax["path"] ?? paxPath
                paxLink = pax["linkpath"] ?? paxLink
                continue
            case UInt8(ascii: "g"):
                continue
            default: break
            }
            var name = cString(h[0..<100])
            let prefix = cString(h[345..<500])
            if h[257..<262].elementsEqual(Array("ustar".utf8)), !prefix.isEmpty { name = prefix + "/" + name }
            if let l = longName { name = l }
            if let p = paxPath { name = p }
            let link = paxLink ?? cString(h[157..<257])
            longName = nil; paxPath = nil; paxLink = nil
            let mode = parseOctal(h[100..<108])
            let mtime = parseOctal(h[136..<148])
            switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                entries.append(TarEntry(name: name, kind: .file, mode: mode, bytes: body, mtime: mtime))
            case UInt8(ascii: "5"):
                entries.append(TarEntry(name: name, kind: .directory, mode: mode, mtime: mtime))
            case UInt8(ascii: "2"):
                entries.append(TarEntry(name: name, kind: .symlink, mode: mode, linkTarget: link, mtime: mtime))
            default:
                continue
            }
        }
        return entries
    }

    private static func cString(_ bytes: ArraySlice<UInt8>) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }

    /// Octal numbers (NUL/space padded); GNU base-256 for large sizes.
    private static func parseOctal(_ bytes: ArraySlice<UInt8>) -> Int {
        if let first = bytes.first, first & 0x80 != 0 {
            var n = 0
            for b in bytes.dropFirst() {
                guard n < Int.max >> 8 else { return -1 }
                n = n << 8 | Int(b)
            }
            return n
        }
        var n = 0
        for b in bytes {
            if b == 0 || b == 32 { if n > 0 { break } else { continue } }
            guard b >= 48, b <= 55, n < Int.max >> 3 else { return -1 }
            n = n * 8 + Int(b - 48)
        }
        return n
    }

    /// PAX extended header records: "LEN key=value\n".
    private static func parsePax(_ body: [UInt8]) -> [String: String] {
        var out: [String: String] = [:]
        let text = String(decoding: body, as: UTF8.self)
        for record in text.split(separator: "\n") {
            guard let space = record.firstIndex(of: " ") else { continue }
            let kv = record[record.index(after: space)...]
            guard let eq = kv.firstIndex(of: "=") else { continue }
            out[String(kv[..<eq])] = String(kv[kv.index(after: eq)...])
        }
        return out
    }
}
