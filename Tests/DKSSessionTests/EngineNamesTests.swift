// EngineNamesTests: the name cache answers fast whatever the engine does, and caches briefly.
import XCTest
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport
@testable import DKSSession

/// A source that takes `delay` seconds per call and counts calls.
final class SlowSource: EngineNameSource, @unchecked Sendable {
    let delay: Double
    private let lock = Lock()
    private var calls = 0
    var callCount: Int { lock.withLock { calls } }
    init(delay: Double) { self.delay = delay }
    func containerNames() throws -> [String] {
        lock.withLock { calls += 1 }
        usleep(UInt32(delay * 1_000_000))
        return ["web", "db"]
    }
    func imageNames() throws -> [String] { ["busybox:latest"] }
}

final class EngineNamesTests: XCTestCase {
    func elapsed(_ body: () -> Void) -> Double {
        let t0 = EngineNameCache.now()
        body()
        return EngineNameCache.now() - t0
    }

    func testFastSourceIsCached() {
        let src = SlowSource(delay: 0)
        let cache = EngineNameCache(source: src, lifetime: 2, maxWait: 0.2)
        XCTAssertEqual(cache.names(of: .containers), ["web", "db"])
        XCTAssertEqual(cache.names(of: .containers), ["web", "db"])
        XCTAssertEqual(src.callCount, 1)
        XCTAssertEqual(cache.names(of: .images), ["busybox:latest"])
    }

    func testSlowSourceNeverBlocksLongAndFillsTheCacheLater() {
        let src = SlowSource(delay: 0.6)
        let cache = EngineNameCache(source: src, lifetime: 5, maxWait: 0.1)
        var first: [String] = ["unset"]
        let t = elapsed { first = cache.names(of: .containers) }
        XCTAssertEqual(first, [])
        XCTAssertLessThan(t, 0.3)
        // A second Tab while the fetch is still running does not start another one.
        _ = cache.names(of: .containers)
        XCTAssertEqual(src.callCount, 1)
        usleep(800_000)
        XCTAssertEqual(cache.names(of: .containers), ["web", "db"])
    }

    func testExpiredEntriesAreRefetched() {
        let src = SlowSource(delay: 0)
        let cache = EngineNameCache(source: src, lifetime: 0.05, maxWait: 0.2)
        _ = cache.names(of: .containers)
        usleep(100_000)
        _ = cache.names(of: .containers)
        XCTAssertEqual(src.callCount, 2)
    }

    func testAnEntryThatRanMakesTheNextTabAskTheEngine() {
        let src = SlowSource(delay: 0)
        let cache = EngineNameCache(source: src, lifetime: 60, maxWait: 0.5)
        XCTAssertEqual(cache.names(of: .containers), ["web", "db"])
        XCTAssertEqual(cache.names(of: .containers), ["web", "db"])
        XCTAssertEqual(src.callCount, 1, "within its lifetime an answer is reused")
        cache.invalidate()
        XCTAssertEqual(cache.names(of: .containers), ["web", "db"])
        XCTAssertEqual(src.callCount, 2, "after invalidate() the engine is asked again")
        // A slow engine still cannot hold Tab: the stale answer comes back within maxWait.
        let slow = SlowSource(delay: 1)
        let c2 = EngineNameCache(source: slow, lifetime: 60, maxWait: 0.1)
        _ = c2.names(of: .containers)
        usleep(1_200_000)
        XCTAssertEqual(c2.names(of: .containers), ["web", "db"])
        c2.invalidate()
        var answer: [String] = []
        XCTAssertLessThan(elapsed { answer = c2.names(of: .containers) }, 0.9, "less than the 1 s fetch")
        XCTAssertEqual(answer, ["web", "db"])
    }
}
