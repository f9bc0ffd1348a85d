// ImageCommandTests: the image commands' own logic against the FakeEngine and on pure inputs —
// the build context's members, build options and dks's labels, a failing step's BuildError,
// push's choice of name, login's flag rules, progress rendering, and events and stats lines.
// The same behaviour against the real daemon and the docker CLI: scripts/test-docker-images.
import DKSBuiltins
@testable import DKSContainers
import DKSEngine
import DKSLanguage
import DKSSupport
import Foundation
import XCTest

final class ImageCommandTests: XCTestCase {
    var dir = ""
    let startDirectory = FileManager.default.currentDirectoryPath

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "dks-build-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/ctx/sub/deep", withIntermediateDirectories: true)
        for (path, text) in [("ctx/Dockerfile", "FROM x\n"), ("ctx/a.txt", "a"), ("ctx/keep.txt", "k"), ("ctx/sub/b.txt", "b"),
                             ("ctx/sub/deep/c.txt", "c"), ("Dockerfile.out", "FROM y\n")] {
            try text.write(toFile: dir + "/" + path, atomically: true, encoding: .utf8)
        }
    }

    override func tearDown() {
        _ = FileManager.default.changeCurrentDirectoryPath(startDirectory)
        try? FileManager.default.removeItem(atPath: dir)
    }

    func members(_ bytes: [UInt8]) throws -> [String: String] {
        let reader = TarReader(bytes: bytes)
        var out: [String: String] = [:]
        while let h = try reader.next() {
            var data: [UInt8] = []
            while let piece = try reader.read() { data += piece }
            out[h.name] = String(decoding: data, as: UTF8.self)
        }
        return out
    }

    func context(_ ignore: String?, dockerfile: String? = nil) throws -> (BuildContext, [String: String]) {
        if let ignore = ignore { try ignore.write(toFile: dir + "/ctx/.dockerignore", atomically: true, encoding: .utf8) }
        let c = try BuildContext.prepare(context: "ctx", dockerfile: dockerfile, cwd: dir)
        var bytes: [UInt8] = []
        try c.write(into: TarWriter(sink: { bytes += $0 }), matcher: c.matcher())
        return (c, try members(bytes))
    }

    func testContextMembersFollowTheDockerCLI() throws {
        let (c, m) = try context("*.txt\n!keep.txt\nsub\n!sub/deep/c.txt\nDockerfile\n.dockerignore\n")
        XCTAssertEqual(c.dockerfile, "Dockerfile")
        // The Dockerfile and .dockerignore always go (the daemon drops them itself); sub is
        // entered for its exception but not sent itself.
        XCTAssertEqual(Set(m.keys), ["Dockerfile", ".dockerignore", "keep.txt", "sub/deep/c.txt"])
        XCTAssertEqual(c.excludes.suffix(2), ["!.dockerignore", "!Dockerfile"])
    }

    func testDockerfileOutsideTheContext() throws {
        let (c, m) = try context("*.txt\n", dockerfile: "Dockerfile.out")
        XCTAssertTrue(c.dockerfile.hasPrefix(".dockerfile."))
        XCTAssertEqual(c.dockerfile.count, ".dockerfile.".count + 20)
        XCTAssertEqual(m[c.dockerfile], "FROM y\n")
        XCTAssertEqual(m[".dockerignore"], "*.txt\n\n\(c.dockerfile)\n")
        XCTAssertNil(m["a.txt"])
        try FileManager.default.removeItem(atPath: dir + "/ctx/.dockerignore")
        let (c2, m2) = try context(nil, dockerfile: "Dockerfile.out")
        XCTAssertEqual(m2[".dockerignore"], ".dockerignore\n\(c2.dockerfile)\n", "a new one ignores itself too")
        XCTAssertEqual(m2["a.txt"], "a")
    }

    func testContextErrors() {
        XCTAssertThrowsError(try BuildContext.prepare(context: "nope", dockerfile: nil, cwd: dir)) {
            XCTAssertEqual(($0 as? ScriptError)?.message, "build: unable to prepare context: path \"nope\" not found")
        }
        XCTAssertThrowsError(try BuildContext.prepare(context: "ctx/a.txt", dockerfile: nil, cwd: dir)) {
            XCTAssertTrue(($0 as? ScriptError)?.message.contains("context must be a directory") ?? false)
        }
        XCTAssertThrowsError(try BuildContext.prepare(context: "ctx", dockerfile: "missing", cwd: dir)) {
            XCTAssertTrue(($0 as? ScriptError)?.message.hasPrefix("build: cannot find the Dockerfile \(self.dir)/missing") ?? false)
        }
        XCTAssertThrowsError(try BuildContext.prepare(context: "https://example.com/x.git", dockerfile: nil, cwd: dir))
    }

    func testBuildSendsOptionsLabelsAndReturnsTheImage() throws {
        let h = Harness()
        h.engine.buildMessages = [.object([("stream", .string("Step 1/1 : FROM x\n"))]),
                                  .object([("aux", .object([("ID", .string("sha256:0123456789abcdef0123"))]))])]
        _ = FileManager.default.changeCurrentDirectoryPath(dir)
        let out = try h.run("""
        $img = build ctx -t app:1 --build-arg A=1 --build-arg B --target t --label x=y --label dks.session=forged --no-cache --pull
        echo $img.short_id
        """)
        XCTAssertEqual(out, "0123456789ab\n")
        let o = try XCTUnwrap(h.engine.lastBuild)
        XCTAssertEqual(o.tags, ["app:1"])
        XCTAssertEqual(o.buildArgs.map(\.0), ["A", "B"])
        XCTAssertEqual(o.buildArgs[0].1, "1")
        XCTAssertEqual(o.target, "t")
        XCTAssertTrue(o.noCache && o.pull && o.forceRemove && !o.quiet)
        XCTAssertEqual(o.labels.map { "\($0.0)=\($0.1)" }, ["x=y", "dks.session=sess123", "dks.script=test.dks"])
        XCTAssertEqual(try members(h.engine.lastContext)["a.txt"], "a")
        XCTAssertEqual(h.fail("build ctx -t 'Bad:Tag'")?.kind, .valueError)
    }

    func testFailingStepIsABuildError() throws {
        let h = Harness()
        h.engine.buildMessages = [
            .object([("stream", .string("Step 2/3 : RUN make test"))]), .object([("stream", .string("\n"))]),
            .object([("stream", .string(" ---> Running in 1234\n"))]), .object([("stream", .string("compiling\n"))]),
            .object([("stream", .string("\u{1B}[91mtest failed\n\u{1B}[0m"))]),
            .object([("errorDetail", .object([("code", .int(2)), ("message", .string("The command '/bin/sh -c make test' returned a non-zero code: 2"))])),
                     ("error", .string("The command '/bin/sh -c make test' returned a non-zero code: 2"))]),
        ]
        _ = FileManager.default.changeCurrentDirectoryPath(dir)
        let e = try XCTUnwrap(h.fail("$i = build ctx"))
        XCTAssertEqual(e.kind, .buildError)
        XCTAssertEqual(e.message, "build: step 2/3 (RUN make test) failed with exit code 2")
        XCTAssertEqual(e.exitCode, 2)
        XCTAssertEqual(e.output, "compiling\ntest failed")
        XCTAssertEqual(ErrorValue(e).member("step")?.str, "2/3")
        XCTAssertEqual(ErrorValue(e).member("instruction")?.str, "RUN make test")
        h.engine.buildMessages = [.object([("error", .string("dockerfile parse error line 1: unknown instruction: FOO"))])]
        XCTAssertEqual(h.fail("$i = build ctx")?.message, "build: failed: dockerfile parse error line 1: unknown instruction: FOO")
    }

    func testPushChoosesTheName() throws {
        let h = Harness()
        h.engine.pushMessages = [.object([("aux", .object([("Tag", .string("v1")), ("Digest", .string("sha256:abc")), ("Size", .int(5))]))])]
        let out = try h.run("""
        $img = tag busybox reg.example:5000/app:v1
        echo (push $img)
        echo (push reg.example:5000/app:v1 -q).digest
        """)
        XCTAssertEqual(out, "{ref: \"reg.example:5000/app:v1\", digest: \"sha256:abc\", size: 5}\nsha256:abc\n")
        XCTAssertEqual(h.engine.calls.filter { $0.hasPrefix("push") }, ["push reg.example:5000/app v1", "push reg.example:5000/app v1"])
        XCTAssertEqual(h.fail("push reg.example:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")?.kind, .valueError)
        XCTAssertEqual(h.fail("push reg.example:5000/app:v1 --all-tags")?.kind, .valueError)
    }

    func testLoginFlagRules() {
        let h = Harness()
        XCTAssertEqual(h.fail("login r -u x -p y --password-stdin")?.message,
                       "login: conflicting options: cannot specify both --password and --password-stdin")
        XCTAssertEqual(h.fail("login r --password-stdin")?.message, "login: the --password-stdin option requires --username to be set")
        XCTAssertEqual(h.fail("login r -u '' -p y")?.message, "login: username is empty")
        XCTAssertEqual(h.fail("login r -u x -p ''")?.message, "login: password is empty")
    }

    func testProgressLines() {
        var plain = ""
        let p = TransferProgress(terminal: false, write: { plain += String(decoding: $0, as: UTF8.self) })
        for m: JSON in [.object([("status", .string("The push refers to repository [r/x]"))]),
                        .object([("status", .string("Preparing")), ("id", .string("abc"))]),
                        .object([("status", .string("Pushing")), ("id", .string("abc")), ("progressDetail", .object([("current", .int(10)), ("total", .int(100))]))]),
                        .object([("status", .string("Pushing")), ("id", .string("abc")), ("progressDetail", .object([("current", .int(90)), ("total", .int(100))]))]),
                        .object([("status", .string("Pushed")), ("id", .string("abc"))])] {
            p.update(m)
        }
        XCTAssertEqual(plain, "The push refers to repository [r/x]\nabc: Preparing\nabc: Pushing\nabc: Pushed\n")

        var drawn = ""
        var clock: UInt64 = 0
        let t = TransferProgress(terminal: true, write: { drawn += String(decoding: $0, as: UTF8.self) }, now: { clock })
        t.update(.object([("status", .string("Downloading")), ("id", .string("l1")), ("progressDetail", .object([("current", .int(0)), ("total", .int(4_000_000))]))]))
        clock = 1_000_000_000
        t.update(.object([("status", .string("Downloading")), ("id", .string("l1")), ("progressDetail", .object([("current", .int(2_000_000)), ("total", .int(4_000_000))]))]))
        XCTAssertTrue(drawn.hasSuffix("\u{1B}[1A\u{1B}[2K\rl1: Downloading [===========>             ] 2MB/4MB 2MB/s\n"), drawn)
    }

    func testEventLineAndValue() throws {
        setenv("TZ", "UTC", 1)
        tzset()
        let e = try JSON.parse(#"{"Type":"container","Action":"die","Actor":{"ID":"abc","Attributes":{"name":"web","exitCode":"0","image":"x"}},"time":1700000000,"timeNano":1700000000123456789}"#)
        XCTAssertEqual(EventFormat.line(e), "2023-11-14T22:13:20.123456789Z container die abc (exitCode=0, image=x, name=web)\n")
        XCTAssertEqual(EventFormat.value(e).repr,
                       #"{type: "container", action: "die", id: "abc", name: "web", attributes: {name: "web", exitCode: "0", image: "x"}, time: 1700000000.1234567}"#)
    }

    func testStatsRow() throws {
        let s = try JSON.parse(#"""
        {"name":"/web","cpu_stats":{"cpu_usage":{"total_usage":300},"system_cpu_usage":2000,"online_cpus":2},
         "precpu_stats":{"cpu_usage":{"total_usage":100},"system_cpu_usage":1000},
         "memory_stats":{"usage":2097152,"limit":4194304,"stats":{"total_inactive_file":1048576}},
         "networks":{"eth0":{"rx_bytes":1000,"tx_bytes":2000}},
         "blkio_stats":{"io_service_bytes_recursive":[{"op":"Read","value":4096},{"op":"Write","value":8192}]},
         "pids_stats":{"current":3}}
        """#)
        XCTAssertEqual(StatsFormat.row(s).split(separator: " ").filter { !$0.isEmpty },
                       ["web", "40.00%", "1MiB", "/", "4MiB", "25.00%", "1kB", "/", "2kB", "4.096kB", "/", "8.192kB", "3"])
    }
}
