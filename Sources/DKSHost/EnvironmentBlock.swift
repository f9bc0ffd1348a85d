// EnvironmentBlock: an environment as the `envp` array a spawn needs, built once and reused
// by every spawn until the environment changes (no per-spawn copying).
// Owns: the C strings and the array. Must not: decide what the environment holds.
import Glibc

/// `NAME=value` C strings and the NULL-terminated array pointing at them. Immutable once built.
public final class EnvironmentBlock: @unchecked Sendable {
    private let strings: [UnsafeMutablePointer<CChar>?]
    /// The NULL-terminated array, valid while this block lives.
    let pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    /// The PATH the block holds (nil: none), for program lookup.
    public let path: String?

    /// `pairs` in order; a later pair with the same name wins.
    public init(_ pairs: [(String, String)]) {
        var seen: [String: Int] = [:]
        var entries: [String] = []
        for (k, v) in pairs {
            if let i = seen[k] { entries[i] = k + "=" + v } else {
                seen[k] = entries.count
                entries.append(k + "=" + v)
            }
        }
        path = pairs.last(where: { $0.0 == "PATH" })?.1
        strings = entries.map { strdup($0) }
        pointer = .allocate(capacity: strings.count + 1)
        for (i, s) in strings.enumerated() { pointer[i] = s }
        pointer[strings.count] = nil
    }

    deinit {
        for s in strings { free(s) }
        pointer.deallocate()
    }
}
