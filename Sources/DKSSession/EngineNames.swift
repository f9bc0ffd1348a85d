// EngineNames: the hook through which completion gets container and image names from the
// engine, and a cache that keeps Tab instant (answers at most ~200 ms old-or-late, refreshed
// every 2 s). Must not: know any engine type — the executable plugs a source in.
import DKSSupport
#if canImport(Glibc)
import Glibc
#endif

/// Supplies names for completion. Implemented by the containers layer over the engine in use.
/// Called on a background thread; may block (the cache never lets that block Tab for long).
public protocol EngineNameSource: AnyObject, Sendable {
    /// Names of existing containers (all states); short IDs are welcome too.
    func containerNames() throws -> [String]
    /// Local image references (`busybox:latest`, `alpine`).
    func imageNames() throws -> [String]
}

/// Caches an `EngineNameSource`'s answers. `names(of:)` returns within `maxWait` seconds:
/// a fresh fetch if it finishes in time, else the previous answer (or nothing), while the
/// fetch goes on in the background and fills the cache for the next Tab.
public final class EngineNameCache: @unchecked Sendable {
    public enum Kind: Sendable { case containers, images }

    private let source: EngineNameSource
    private let lifetime: Double
    private let maxWait: Double
    private let lock = Lock()
    private var entries: [Kind: (names: [String], time: Double)] = [:]
    private var inFlight: Set<Kind> = []
    private var threads: [Kind: JoinableThread] = [:]

    public init(source: EngineNameSource, lifetime: Double = 2.0, maxWait: Double = 0.2) {
        self.source = source
        self.lifetime = lifetime
        self.maxWait = maxWait
    }

    /// The names of `kind`, never waiting longer than `maxWait`.
    public func names(of kind: Kind) -> [String] {
        let now = Self.now()
        var stale: [String]?
        var mustFetch = false
        let fresh: [String]? = lock.withLock {
            if let entry = entries[kind] {
                if now - entry.time < lifetime { return entry.names }
                stale = entry.names
            }
            if !inFlight.contains(kind) {
                inFlight.insert(kind)
                mustFetch = true
            }
            return nil
        }
        if let fresh { return fresh }
        if mustFetch { startFetch(kind) }
        // Poll briefly for the fetch to land; a slow engine costs at most maxWait.
        let deadline = now + maxWait
        while Self.now() < deadline {
            if let entry = lock.withLock({ entries[kind] }), entry.time >= now { return entry.names }
            usleep(5_000)
        }
        return stale ?? []
    }

    /// Marks every answer stale (kept as the fallback for a slow engine): after an entry ran at
    /// the prompt, which may have made or removed containers, the next Tab asks the engine.
    public func invalidate() {
        lock.withLock {
            for (kind, entry) in entries { entries[kind] = (entry.names, -Double.infinity) }
        }
    }

    private func startFetch(_ kind: Kind) {
        let source = self.source
        // The previous fetch of this kind has finished (it cleared inFlight): reap its thread.
        lock.withLock { threads.removeValue(forKey: kind) }?.join()
        let thread = JoinableThread.start(stackSize: 1 << 20) { [self] in
            let names: [String]?
            switch kind {
            case .containers: names = try? source.containerNames()
            case .images: names = try? source.imageNames()
            }
            lock.withLock {
                if let names { entries[kind] = (names, Self.now()) }
                inFlight.remove(kind)
            }
        }
        lock.withLock {
            if let thread { threads[kind] = thread } else { inFlight.remove(kind) }
        }
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
