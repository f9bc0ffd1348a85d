// FileIO: the two byte-moving loops every layer needs — read a whole file, and write all
// bytes to a descriptor (retrying on EINTR and short writes). Must not: format or decode.
#if canImport(Glibc)
import Glibc
#endif

/// The whole contents of a file, or nil (with errno set) when it can't be opened.
public func readFileBytes(_ path: String) -> [UInt8]? {
    guard let fp = fopen(path, "rb") else { return nil }
    defer { fclose(fp) }
    return readToEnd(fp)
}

/// Everything left in an open stream (a file, or stdin).
public func readToEnd(_ fp: UnsafeMutablePointer<FILE>) -> [UInt8] {
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, buf.count, fp)
        if n > 0 { out.append(contentsOf: buf[0..<n]) }
        if n < buf.count { break }
    }
    return out
}

/// Writes every byte to `fd`; false when the descriptor is closed or broken (e.g. EPIPE).
@discardableResult
public func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    writeAllError(fd, bytes) == 0
}

/// Writes every byte to `fd` (retrying EINTR and short writes); 0 when all went out, else the
/// errno of the write that failed (EPIPE: the reader went away; ENOSPC: the disk is full).
public func writeAllError(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
    bytes.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return 0 }
        var off = 0
        while off < raw.count {
            let n = write(fd, base + off, raw.count - off)
            if n > 0 { off += n } else if n < 0 && errno == EINTR { continue } else { return n < 0 ? errno : EIO }
        }
        return 0
    }
}

/// The text of the last system error (errno).
public func lastErrorText() -> String { String(cString: strerror(errno)) }

/// The last system error in lower case, as Go programs (the docker CLI) print it: "no such file or directory".
public func lastErrorReason() -> String {
    let text = lastErrorText()
    guard let first = text.first else { return text }
    return first.lowercased() + text.dropFirst()
}
