// ObjectKeyTests: engine objects that `==` finds equal (the same container, image, volume,
// network or engine reached twice) are the same map key. Equality was by id but hashing by
// identity, so `(engine) in $m` was true for a small map (scanned) and false for a large one
// (hashed). Every host object kind is checked in maps below and above the scan limit.
import DKSBuiltins
@testable import DKSContainers
import DKSEngine
import DKSLanguage
import XCTest

final class ObjectKeyTests: XCTestCase {
    func testEqualEngineObjectsAreOneMapKeyInSmallAndLargeMaps() throws {
        let h = Harness()
        let out = try h.run("""
        $c = run -d busybox sleep 100
        $pairs = [
          [(engine), (engine)],
          [$c, (get $c.id)],
          [(images)[0], (images)[0]],
          [(volume create data), (volume create data)],
        ]
        for $p in $pairs {
          $small = {($p[0]): 1}
          $large = {($p[0]): 1}
          for $i in range(0, 40) { $large[$i] = $i }
          echo ($p[0] == $p[1]) ($p[1] in $small) ($p[1] in $large) (get($large, $p[1], "missing")) (len({($p[0]): 1, ($p[1]): 2}))
        }
        """)
        XCTAssertEqual(out, String(repeating: "true true true 1 1\n", count: 4))
    }

    func testEveryKindHashesWhatItCompares() throws {
        let h = Harness()
        let ctx = ContainerContext(provider: EngineProvider(engine: h.engine))
        let handle: EngineHandle = ctx.defaultEngine
        let net = { NetworkObject(summary: .object([("Id", .string("n1")), ("Name", .string("front"))]), engine: handle) }
        let image = { ImageObject(id: "sha256:1", engine: handle) }
        let volume = { VolumeObject(summary: .object([("Name", .string("v"))]), engine: handle) }
        let engine = { EngineObject(handle: handle) }
        let exec = { ExecObject(id: "e1", engine: handle, container: { "c" }, command: "sleep 1") }
        let service = { ServiceObject(id: "s1", name: "web", engine: handle) }
        for make in [net, image, volume, engine, exec, service] as [() -> HostObject] {
            let a = Value.object(make()), b = Value.object(make())
            XCTAssertEqual(a, b)
            XCTAssertEqual(a.hashValue, b.hashValue, "\(a.repr)")
            var m = MapStorage()
            for i in 0..<40 { m[.int(i)] = .int(i) }
            m[a] = .int(-1)
            XCTAssertEqual(m[b], .int(-1), "\(a.repr)")
        }
        // Objects of different kinds with the same id are different keys.
        XCTAssertNotEqual(Value.object(ImageObject(id: "n1", engine: handle)), .object(net()))
        // The same id on another engine is another object (and another key).
        let other = EngineHandle(provider: EngineProvider(engine: FakeEngine()), name: "b", session: ctx)
        XCTAssertNotEqual(Value.object(ImageObject(id: "sha256:1", engine: other)), .object(image()))
        XCTAssertNotEqual(Value.object(EngineObject(handle: other)), .object(engine()))
    }
}
