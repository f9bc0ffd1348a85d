// EngineTests: engines as values against fake engines — connect, use-engine (block and scope),
// objects that keep their engine wherever they go (methods, attributes, cp, parallel), the
// tracer's engine names, contexts(), and the service commands over a fake swarm.
import DKSBuiltins
@testable import DKSContainers
import DKSEngine
import DKSLanguage
import XCTest

/// Makes a fake engine per target (`bad` refuses), and lists two contexts.
final class FakeConnector: EngineConnector {
    var engines: [String: FakeEngine] = [:]
    var connects = 0
    var swarm = false

    func identify(_ request: EngineRequest) throws -> (key: String, name: String) { (request.target, request.target) }
    func connect(_ request: EngineRequest, trace: ((String) -> Void)?) throws -> ContainerEngine {
        connects += 1
        if request.target == "bad" { throw EngineError(.engine, "cannot connect to tcp://bad:2376: connection refused") }
        let e = swarm ? FakeSwarmEngine() : FakeEngine()
        engines[request.target] = e
        trace?("GET /version 200 1.0ms")
        return e
    }
    func contexts() throws -> [EngineContextSummary] {
        [EngineContextSummary(name: "default", description: "Current DOCKER_HOST based configuration", host: "unix:///var/run/docker.sock", current: false, tls: false),
         EngineContextSummary(name: "prod", description: "the fleet", host: "tcp://10.0.0.1:2376", current: true, tls: true)]
    }
}

struct MultiHarness {
    let main: FakeEngine
    let connector = FakeConnector()
    let interp: Interpreter
    var traces: TraceLines

    final class TraceLines: @unchecked Sendable { var lines: [String] = [] }

    init(main: FakeEngine = FakeEngine()) {
        self.main = main
        let registry = BuiltinRegistry()
        GeneralBuiltins.register(into: registry)
        let t = TraceLines()
        traces = t
        let tracer = EngineTracer { t.lines.append($0) }
        let provider = EngineProvider(engine: main)
        ContainerBuiltins.register(into: registry, engine: provider, sessionID: "sess123", connector: connector, tracer: tracer)
        interp = Interpreter(registry: registry, stdout: Output(fd: nil), scriptName: "multi.dks")
    }

    func run(_ code: String) throws -> String {
        try interp.run(SourceFile(name: "multi.dks", text: code))
        return interp.stdout.takeText()
    }

    func fail(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> ScriptError? {
        do { try interp.run(SourceFile(name: "multi.dks", text: code)); XCTFail("expected an error", file: file, line: line) } catch let e as ScriptError {
            return e
        } catch { XCTFail("unexpected \(error)", file: file, line: line) }
        return nil
    }
}

final class EngineTests: XCTestCase {
    func testObjectsKeepTheirEngineForMethodsAndAttributes() throws {
        let h = MultiHarness()
        let out = try h.run("""
        $b = connect("b")
        $cb = use-engine $b { return run -d busybox sleep 60 }
        $ca = run -d busybox sleep 60
        stop $cb
        echo $cb.status $ca.status ($cb.engine == $b) ($ca.engine == $b) (engine).name (engine $cb).name $b.name
        rm -f $cb $ca
        """)
        XCTAssertEqual(out, "exited running true false default b b\n")
        let b = try XCTUnwrap(h.connector.engines["b"])
        XCTAssertEqual(b.calls, ["create", "start", "stop nil", "remove"])
        XCTAssertEqual(h.main.calls, ["create", "start", "remove"])
    }

    func testUseEngineLastsForTheRestOfTheFunctionOrBlock() throws {
        let h = MultiHarness()
        let out = try h.run("""
        $b = connect("b")
        fn on_b() { use-engine $b; run -d busybox true; return (engine).name }
        echo (on_b()) (engine).name
        try { use-engine $b { throw "boom" } } catch $e { echo caught (engine).name }
        echo (use-engine $b { return (engine).name }) (engine).name
        use-engine $b
        echo (engine).name
        """)
        XCTAssertEqual(out, "b default\ncaught default\nb default\nb\n")
        XCTAssertEqual(h.connector.engines["b"]?.records.count, 1)
        XCTAssertTrue(h.main.records.isEmpty)
    }

    func testDefersRunOnTheEngineTheyWereRegisteredWith() throws {
        let h = MultiHarness()
        // The defer registered before use-engine runs after the switch back: `ps` sees the default.
        _ = try h.run("""
        $b = connect("b")
        fn work() {
          defer { run -d busybox before }
          use-engine $b
          defer { run -d busybox after }
        }
        work()
        """)
        XCTAssertEqual(h.main.created.map { $0.cmd ?? [] }, [["before"]])
        XCTAssertEqual(h.connector.engines["b"]?.created.map { $0.cmd ?? [] }, [["after"]])
    }

    func testParallelWorkersKeepTheirItemsEnginesAndTheCallersEngine() throws {
        let h = MultiHarness()
        let out = try h.run("""
        $b = connect("b")
        $c = connect("c")
        $items = [(use-engine $b { return run -d busybox x }), (use-engine $c { return run -d busybox y })]
        use-engine $c
        echo (parallel($items, fn($x) { return "${(engine $x).name}/${(engine).name}" }, jobs: 2))
        echo (parallel([1, 2], fn($i) { use-engine $b; return (engine).name }, jobs: 2)) (engine).name
        """)
        XCTAssertEqual(out, "[\"b/c\", \"c/c\"]\n[\"b\", \"b\"] c\n")
    }

    func testConnectGivesOneEnginePerAddressAndAFailureLeavesNothing() throws {
        let h = MultiHarness()
        XCTAssertEqual(try h.run("echo (connect(\"b\") == connect(\"b\")) (connect(\"b\") == connect(\"c\")) (type(connect(\"b\")))"),
                       "true false engine\n")
        XCTAssertEqual(h.connector.connects, 2)
        let e = h.fail("connect(\"bad\")")
        XCTAssertEqual(e?.kind, .engineError)
        XCTAssertEqual(e?.message, "connect: cannot connect to tcp://bad:2376: connection refused")
        _ = h.fail("connect(\"bad\")")
        XCTAssertEqual(h.connector.connects, 4)
        XCTAssertEqual(h.fail("use-engine 42 { }")?.kind, .typeError)
    }

    func testUseEngineWithoutABlockMustBeCalledDirectly() throws {
        let h = MultiHarness()
        let e = h.fail("$b = connect(\"b\")\n$f = fn($x) { return $x }\n$u = $b.use_engine\n")
        XCTAssertNotNil(e)
        // Through a value (here: the builtin passed to a function that calls it) it has no caller scope.
        let e2 = h.fail("$b = connect(\"b\")\nfn call($f, $x) { return $f($x) }\ncall(use_engine, $b)")
        XCTAssertTrue(e2?.message.contains("must be called directly") ?? false, e2?.message ?? "")
    }

    func testCopyToAnInterpolatedObjectGoesToItsEngine() throws {
        let h = MultiHarness()
        let dir = NSTemporaryDirectory() + "dks-engine-cp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/f.txt", contents: Data("x\n".utf8))
        _ = try h.run("""
        $b = connect("b")
        $cb = use-engine $b { return run -d busybox sleep 60 }
        cp \(dir)/f.txt "$cb:/tmp/f.txt"
        """)
        XCTAssertEqual(h.connector.engines["b"]?.copiedIn.count, 1)
        XCTAssertTrue(h.main.copiedIn.isEmpty)
    }

    func testTraceNamesTheEngineOnceThereAreSeveral() throws {
        let h = MultiHarness()
        _ = try h.run("$b = connect(\"b\")")
        XCTAssertEqual(h.traces.lines, ["dks: trace: [b] GET /version 200 1.0ms"])
        let t = EngineTracer { _ in }
        XCTAssertEqual(t.engineCount, 1)
    }

    func testContextsAsMapsAndAsATable() throws {
        let h = MultiHarness()
        XCTAssertEqual(try h.run("for $c in contexts() { echo $c.name $c.current $c.tls $c.host }"),
                       "default false false unix:///var/run/docker.sock\nprod true true tcp://10.0.0.1:2376\n")
        XCTAssertEqual(try h.run("contexts"), """
        NAME      DESCRIPTION                               DOCKER ENDPOINT
        default   Current DOCKER_HOST based configuration   unix:///var/run/docker.sock
        prod *    the fleet                                 tcp://10.0.0.1:2376

        """)
    }

    func testEngineOfAnObjectAndItsAttributes() throws {
        let h = MultiHarness()
        XCTAssertEqual(try h.run("$e = engine\necho $e.name $e.kind $e.session $e\n$c = run -d busybox x\necho ((engine $c) == $e)"),
                       "default fake sess123 <engine fake memory>\ntrue\n")
        XCTAssertEqual(h.fail("engine 42")?.kind, .typeError)
    }

    func testImageObjectsKeepTheirEngine() throws {
        let h = MultiHarness()
        let out = try h.run("""
        $b = connect("b")
        $img = use-engine $b { return pull busybox -q }
        echo ($img.engine == $b) (engine).name (type $img)
        $v2 = tag $img busybox:v2
        $c = run -d $img sleep 1
        echo ($v2.engine == $b) ($c.engine == $b) ((images)[0].engine == engine())
        push $v2 -q
        """)
        XCTAssertEqual(out, "true default image\ntrue true true\n")
        let b = try XCTUnwrap(h.connector.engines["b"])
        // tag, run and push of b's image objects went to b; `images` alone to the engine in use.
        XCTAssertEqual(b.calls, ["tag sha256:0123456789abcdef0123 busybox v2", "create", "start", "push busybox v2"])
        XCTAssertEqual(h.main.calls, [])
    }

    func testPromptCompletionFollowsTheEngineInUse() throws {
        let h = MultiHarness()
        let current = ContainerBuiltins.currentEngineIfMade(h.interp)
        XCTAssertTrue(current() === h.main)
        // A lazily made default engine is not made by completion.
        let registry = BuiltinRegistry()
        let lazy = EngineProvider { FakeEngine() }
        ContainerBuiltins.register(into: registry, engine: lazy)
        let interp = Interpreter(registry: registry, stdout: Output(fd: nil))
        XCTAssertNil(ContainerBuiltins.currentEngineIfMade(interp)())
        XCTAssertNil(lazy.existing)
        _ = try h.run("$b = connect(\"b\")\nuse-engine $b")
        XCTAssertTrue(current() === h.connector.engines["b"])
    }
}
