// CommandBehaviourTests: what the container commands do against a fake engine — streaming at
// statement level vs capturing, errors from non-zero exits, labels, objects, error mapping.
import DKSBuiltins
@testable import DKSContainers
import DKSEngine
import DKSLanguage
import XCTest

final class CommandBehaviourTests: XCTestCase {
    func testRunAtStatementLevelStreamsStdout() throws {
        let h = Harness()
        h.engine.output = [FakeEngine.chunk("hello\n"), FakeEngine.chunk("world\n")]
        XCTAssertEqual(try h.run("echo before\nrun busybox echo hello\necho after"), "before\nhello\nworld\nafter\n")
        XCTAssertEqual(h.engine.calls, ["create"])
    }

    func testRunCapturedReturnsExecResult() throws {
        let h = Harness()
        h.engine.output = [FakeEngine.chunk("out1\n"), FakeEngine.chunk("err\n", .stderr), FakeEngine.chunk("out2\n")]
        let text = try h.run("$r = run busybox x\necho $r.exit_code (type($r)) (repr($r.stdout)) (repr($r.stderr)) (repr($r.output))")
        XCTAssertEqual(text, "0 exec_result \"out1\\nout2\\n\" \"err\\n\" \"out1\\nerr\\nout2\\n\"\n")
    }

    func testCaptureBlockCapturesStreamedOutput() throws {
        let h = Harness()
        h.engine.output = [FakeEngine.chunk("inside\n")]
        XCTAssertEqual(try h.run("$s = capture { run busybox true }\necho (repr($s))"), "\"inside\\n\"\n")
    }

    func testRunNonZeroRaisesContainerErrorWithOutput() throws {
        let h = Harness()
        h.engine.exitCode = 3
        h.engine.output = (1...30).map { FakeEngine.chunk("line \($0)\n", $0 % 2 == 0 ? .stderr : .stdout) }
        let e = try XCTUnwrap(h.fail("$r = run busybox sh -c 'exit 3'"))
        XCTAssertEqual(e.kind, .containerError)
        XCTAssertEqual(e.exitCode, 3)
        XCTAssertTrue(e.message.contains("busybox"), e.message)
        XCTAssertTrue(e.message.contains("code 3"), e.message)
        let lines = try XCTUnwrap(e.output).split(separator: "\n")
        XCTAssertEqual(lines.count, 20)
        XCTAssertEqual(lines.last, "line 30")
        // Statement level streams and still raises.
        let h2 = Harness()
        h2.engine.exitCode = 1
        h2.engine.output = [FakeEngine.chunk("shown\n")]
        XCTAssertEqual(h2.fail("run busybox false")?.kind, .containerError)
        XCTAssertEqual(h2.interp.stdout.takeText(), "shown\n")
    }

    func testRunRmLetsTheEngineRemoveAndRemovesOnlyWhenItDidNot() throws {
        // The engine removed it (as Docker does): dks waits for that and sends no DELETE.
        let h = Harness()
        _ = try h.run("run --rm busybox true")
        XCTAssertEqual(h.engine.calls, ["create"])
        XCTAssertEqual(h.engine.created.last?.autoRemove, true)
        XCTAssertEqual(h.engine.records.last?.removed, true)
        // The engine did not remove it by the deadline: dks removes it itself.
        let h2 = Harness()
        h2.engine.honoursAutoRemove = false
        _ = try h2.run("run --rm busybox true")
        XCTAssertEqual(h2.engine.calls, ["create", "remove"])
        XCTAssertEqual(h2.engine.records.last?.removed, true)
    }

    func testLabelsAndPromptScriptName() throws {
        let h = Harness(scriptName: "")
        _ = try h.run("create busybox true")
        let labels = Dictionary(uniqueKeysWithValues: h.engine.created[0].labels)
        XCTAssertEqual(labels["dks.session"], "sess123")
        XCTAssertEqual(labels["dks.script"], "<prompt>")
    }

    func testContainerObjectAttributesAndStrForm() throws {
        let h = Harness()
        let out = try h.run("""
        $c = run -d --name web -l app=x busybox sleep 9
        echo $c
        echo $c.name $c.status $c.health $c.exit_code $c.image (len $c.short_id) $c.labels.app (type($c))
        stop $c -t 1
        echo $c.status
        echo ($c == (get web)) ($c == (ps -a)[0]) (get({a: 1}, "a"))
        rm $c
        echo $c.status
        """)
        let id = h.engine.records[0].id
        XCTAssertEqual(out, "<container web \(id.prefix(12))>\nweb running none 0 busybox 12 x container\nexited\ntrue true 1\nremoved\n")
        XCTAssertEqual(h.engine.calls, ["create", "start", "stop 1", "remove"])
    }

    func testMethodsByUniformCallSyntax() throws {
        let h = Harness()
        h.engine.output = [FakeEngine.chunk("log line\n")]
        let out = try h.run("$c = run -d --name m --health-cmd true busybox sleep 9\n$c.kill(signal: \"HUP\")\necho ($c.logs(tail: 1))\n$c.wait_healthy()")
        XCTAssertEqual(out, "log line\n\n")
        XCTAssertEqual(h.engine.calls.last, "kill HUP")
    }

    /// Errexit (spec §7): a non-zero exit raises CommandError at statement level, never as a value.
    func testExecRaisesOnNonZeroOnlyAtStatementLevel() throws {
        let h = Harness()
        _ = try h.run("$c = run -d busybox sleep 9")
        h.engine.exitCode = 2
        h.engine.output = [FakeEngine.chunk("nope\n", .stderr)]
        XCTAssertEqual(try h.run("$r = exec -e A=1 -w /tmp $c sh -c 'exit 2'\necho $r.exit_code $r.ok (repr($r.stderr))"), "2 false \"nope\\n\"\n")
        XCTAssertEqual(h.engine.execs.last?.cmd, ["sh", "-c", "exit 2"])
        XCTAssertEqual(h.engine.execs.last?.env, ["A=1"])
        XCTAssertEqual(h.engine.execs.last?.workingDir, "/tmp")
        h.engine.exitCode = 0
        h.engine.output = [FakeEngine.chunk("streamed\n")]
        XCTAssertEqual(try h.run("exec $c echo streamed"), "streamed\n")
        h.engine.exitCode = 2
        let failure = h.fail("exec $c sh -c 'exit 2'")
        XCTAssertEqual(failure?.kind, .commandError)
        XCTAssertEqual(failure?.exitCode, 2)
        XCTAssertEqual(failure?.output, "streamed")
        XCTAssertEqual(h.fail("exec $c")?.kind, .valueError)
    }

    func testLogsCapturedFollowedAndSelected() throws {
        let h = Harness()
        _ = try h.run("$c = run -d busybox sleep 9")
        h.engine.output = [FakeEngine.chunk("a\nb"), FakeEngine.chunk("\n", .stdout), FakeEngine.chunk("e\n", .stderr), FakeEngine.chunk("c\n")]
        XCTAssertEqual(try h.run("echo (repr(logs($c)))"), "\"a\\nb\\ne\\nc\\n\"\n")
        XCTAssertEqual(try h.run("echo (repr(logs($c, stderr: true)))"), "\"e\\n\"\n")
        XCTAssertEqual(try h.run("for $l in (logs -f $c) { echo \"[$l]\"; if $l == \"b\" { break } }"), "[a]\n[b]\n")
        XCTAssertEqual(try h.run("for $l in (logs -f $c --stdout) { echo $l }"), "a\nb\nc\n")
        XCTAssertEqual(try h.run("logs $c --stdout"), "a\nb\nc\n")
        XCTAssertEqual(h.fail("for $l in (logs -f $c) { throw \"boom\" }")?.kind, .thrown)
    }

    func testErrorMappingMessagesAndKinds() throws {
        let h = Harness()
        let e = try XCTUnwrap(h.fail("stop web"))
        XCTAssertEqual(e.kind, .notFound)
        XCTAssertEqual(e.message, "stop: no such container: web; list them with 'ps -a'")
        XCTAssertEqual(h.fail("get nothere")?.kind, .notFound)
        XCTAssertEqual(h.fail("network ls")?.kind, .engineError)
        XCTAssertEqual(h.fail("volume rm v1")?.message, "volume rm: get v1: no such volume; list them with 'volume ls'")
        let kinds: [(EngineError.Kind, ErrorKind)] = [(.notFound, .notFound), (.conflict, .conflict), (.timeout, .timeout),
                                                     (.unhealthy, .unhealthy), (.container, .containerError),
                                                     (.invalidArgument, .valueError), (.unsupported, .engineError),
                                                     (.interrupted, .interrupted), (.engine, .engineError)]
        for (k, want) in kinds { XCTAssertEqual(ErrorMapping.scriptError(EngineError(k, "x"), command: "c").kind, want) }
        let mapped = ErrorMapping.scriptError(EngineError(.container, "exited", exitCode: 4, output: "tail"), command: "wait-log")
        XCTAssertEqual(mapped.exitCode, 4)
        XCTAssertEqual(mapped.output, "tail")
        XCTAssertEqual(mapped.message, "wait-log: exited")
    }

    func testWaitTimeoutAndConditions() throws {
        let h = Harness()
        _ = try h.run("$c = run -d busybox sleep 9")
        XCTAssertEqual(h.fail("wait $c --timeout 10ms")?.kind, .timeout)
        XCTAssertEqual(h.fail("wait $c --condition sometime")?.kind, .valueError)
        _ = try h.run("stop $c")
        XCTAssertEqual(try h.run("echo (wait $c)"), "0\n")
    }

    func testListsAndResources() throws {
        let h = Harness()
        let out = try h.run("""
        $c = run -d --name a busybox sleep 9
        echo (len (ps)) (ps -q)[0] (len (ps --filter status=running))
        echo (top $c).processes[0].CMD (stats $c).memory_stats.usage (diff $c)
        echo (prune containers)
        echo (images)[0] (images)[0].tags
        echo (volume create v1 -l a=b).name
        echo (engine).kind (engine).session
        echo (inspect $c).State.Status (inspect a).Config.Image
        """)
        let short = h.engine.records[0].id.prefix(12)
        XCTAssertEqual(out, """
        1 \(short) 1
        sleep 60 1024 [{path: "/tmp/x", kind: "A"}]
        {deleted: ["x"], space_reclaimed: 42}
        <image busybox:latest 0123456789ab> ["busybox:latest"]
        v1
        fake sess123
        running busybox

        """)
    }

    func testEngineIsCreatedLazily() throws {
        let registry = BuiltinRegistry()
        GeneralBuiltins.register(into: registry)
        var created = 0
        let provider = EngineProvider { created += 1; return FakeEngine() }
        ContainerBuiltins.register(into: registry, engine: provider)
        let interp = Interpreter(registry: registry, stdout: Output(fd: nil))
        try interp.run(SourceFile(name: "t", text: "echo hi\n$x = help"))
        XCTAssertEqual(created, 0)
        XCTAssertNil(provider.existing)
        try interp.run(SourceFile(name: "t", text: "ps\nps"))
        XCTAssertEqual(created, 1)
        provider.shutdown()
        XCTAssertEqual((provider.existing as? FakeEngine)?.shutdownCalls, 1)
    }

    /// Issue 11 item 16: an all-digit id prefix or name is a number word and must still be a
    /// container reference; `--tail -1` and `--tail all` mean all lines, as in docker; a name with
    /// a leading / (inspect's .Name) is the container (item 11).
    func testNumbersSlashesAndTailAsDockerTakesThem() throws {
        let h = Harness()
        _ = try h.run("$c = run -d --name 76 busybox sleep 9")
        XCTAssertEqual(try h.run("echo ((get 76).id == $c.id) ((get \"/76\").id == $c.id)"), "true true\n")
        XCTAssertEqual(try h.run("echo (get({a: 1}, \"a\"))"), "1\n")
        XCTAssertEqual(h.fail("get \"/\"")?.kind, .valueError)
        XCTAssertNil(try LogsCommand.tail(.int(-1)))
        XCTAssertNil(try LogsCommand.tail(.string("-1")))
        XCTAssertNil(try LogsCommand.tail(.string("all")))
        XCTAssertEqual(try LogsCommand.tail(.string("3")), 3)
        XCTAssertEqual(try LogsCommand.tail(.int(0)), 0)
        XCTAssertThrowsError(try LogsCommand.tail(.string("lots")))
        h.engine.output = [FakeEngine.chunk("a\n")]
        XCTAssertEqual(try h.run("logs 76 --tail -1"), "a\n")
    }

    /// `tag` validates the target before it tags anything (it used to tag repo:latest, then fail).
    func testTagValidatesTheTargetFirst() throws {
        let h = Harness()
        for bad in ["repo:", "Repo", "a//b", "x:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"] {
            let e = h.fail("tag busybox \"\(bad)\"")
            XCTAssertEqual(e?.kind, .valueError, bad)
        }
        XCTAssertEqual(h.engine.calls.filter { $0.hasPrefix("tag") }, [])
        _ = try h.run("tag busybox localhost:5000/x:v1")
        XCTAssertEqual(h.engine.calls.last, "tag busybox localhost:5000/x v1")
    }

    func testCopyPaths() throws {
        XCTAssertEqual(CopyCommand.splitContainerPath("web:/etc/hosts")?.container, "web")
        XCTAssertEqual(CopyCommand.splitContainerPath("web:/etc/hosts")?.path, "/etc/hosts")
        XCTAssertNil(CopyCommand.splitContainerPath("/tmp/a:b"))
        XCTAssertNil(CopyCommand.splitContainerPath("./a:b"))
        XCTAssertNil(CopyCommand.splitContainerPath("plain"))
        XCTAssertEqual(CopyCommand.splitContainerPath("<container web 0123456789ab>:/x")?.container, "0123456789ab")
    }
}
