// HostEnvironment: `$env` is the environment of host programs (spec §10). The map in the
// global `$env` is turned into a spawn's `envp` only when it changed since the last spawn
// (map storage identity: any assignment to `$env` gives the global a new storage), so a
// loop of 1,000 programs builds it once. `null` values are unset names.
// Owns: that cache, and reading names (`env()`, PATH lookup) the same way.
// Must not: change dks's own process environment (engines read it at start-up only).
import DKSHost
import DKSLanguage
import DKSSupport

final class HostEnvironment: @unchecked Sendable {
    private let lock = Lock()
    private var lastMap: MapStorage?
    private var lastBlock = EnvironmentBlock([])

    /// The `$env` map of `interp` (nil when a script replaced `$env` with something else).
    static func map(_ interp: Interpreter) -> MapStorage? {
        if case .map(let m)? = interp.globals.get("env") { return m }
        return nil
    }

    /// The value of `name` in `$env` (nil when absent or null).
    static func lookup(_ name: String, _ interp: Interpreter) -> String? { interp.environmentValue(name) }

    /// The spawn environment for `$env` as it is now.
    func block(for interp: Interpreter) throws -> EnvironmentBlock {
        guard let m = HostEnvironment.map(interp) else {
            throw ScriptError(.typeError, "$env must be a map (the environment of host programs); it was replaced by \(interp.globals.get("env")?.typeNameWithArticle ?? "nothing")")
        }
        return lock.withLock {
            if let last = lastMap, last.isSameStorage(as: m) { return lastBlock }
            var pairs: [(String, String)] = []
            pairs.reserveCapacity(m.count)
            for (k, v) in m {
                switch v {
                case .null, .undefined: continue
                case .string(let s): pairs.append((k.str, s))
                default: pairs.append((k.str, v.str))
                }
            }
            lastBlock = EnvironmentBlock(pairs)
            lastMap = m
            return lastBlock
        }
    }
}
