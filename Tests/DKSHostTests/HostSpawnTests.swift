// HostSpawnTests: the host layer on its own — PATH lookup with bash's 126/127 distinctions,
// spawning with descriptors, process groups, waiting, pipes between programs, redirection files.
import DKSHost
import Glibc
import XCTest

final class HostSpawnTests: XCTestCase {
    let env = EnvironmentBlock([("PATH", "/usr/bin:/bin")])

    func run(_ argv: [String], stdin: Int32 = 0, stdout: Int32 = 1, group: pid_t = 0) throws -> (pid_t, ChildWaiter) {
        guard case .found(let path) = ProgramLookup.locate(argv[0], path: "/usr/bin:/bin") else {
            XCTFail("no \(argv[0])")
            throw HostError(errno: ENOENT, argv[0])
        }
        var plan = SpawnPlan(path: path, argv: argv, environment: env)
        plan.stdin = stdin
        plan.stdout = stdout
        plan.processGroup = group
        let pid = try HostSpawn.spawn(plan)
        let w = ChildWaiter()
        w.add(pid)
        return (pid, w)
    }

    func exit(of w: ChildWaiter) -> ProcessExit? {
        for _ in 0..<400 {
            for e in w.wait(timeout: 0.05) { if case .exited(_, let x) = e { return x } }
        }
        return nil
    }

    func testLookupDistinguishesMissingAndUnexecutable() throws {
        XCTAssertEqual(ProgramLookup.locate("no-such-program-dks", path: "/usr/bin:/bin"), .notFound)
        guard case .found = ProgramLookup.locate("sh", path: "/usr/bin:/bin") else { return XCTFail("sh not found") }
        let dir = NSTemporaryDirectoryPath() + "/dks-host-\(getpid())"
        mkdir(dir, 0o755)
        defer { _ = unlink(dir + "/plain"); rmdir(dir) }
        let fd = open(dir + "/plain", O_CREAT | O_WRONLY, 0o644)
        close(fd)
        if getuid() != 0 {
            XCTAssertEqual(ProgramLookup.locate("plain", path: dir), .notExecutable(path: dir + "/plain", reason: "permission denied"))
        }
        XCTAssertEqual(ProgramLookup.locate(dir, path: nil), .notExecutable(path: dir, reason: "is a directory"))
        XCTAssertEqual(ProgramLookup.locate(dir + "/missing", path: nil), .notFound)
    }

    func testExitStatusAndSignal() throws {
        let (_, w) = try run(["sh", "-c", "exit 3"])
        XCTAssertEqual(exit(of: w)?.status, 3)
        let (_, w2) = try run(["sh", "-c", "kill -TERM $$"])
        let x = exit(of: w2)
        XCTAssertEqual(x?.signal, SIGTERM)
        XCTAssertEqual(x?.status, 143)
    }

    func testOwnProcessGroupAndPipeBetweenPrograms() throws {
        let p = try SystemCalls.pipe()
        let out = try SystemCalls.pipe()
        let (first, w1) = try run(["sh", "-c", "echo one; echo two"], stdout: p.write)
        let (second, w2) = try run(["wc", "-l"], stdin: p.read, stdout: out.write, group: first)
        SystemCalls.close(p.read)
        SystemCalls.close(p.write)
        SystemCalls.close(out.write)
        XCTAssertEqual(getpgid(second), first)
        XCTAssertEqual(exit(of: w1)?.status, 0)
        XCTAssertEqual(exit(of: w2)?.status, 0)
        var text: [UInt8] = []
        Drain.run([out.read], idleMillis: 100, onData: { _, b in text.append(contentsOf: b) }, onTick: { .goOn })
        XCTAssertEqual(String(decoding: text.filter { $0 != 32 }, as: UTF8.self), "2\n")
    }

    func testRedirectFilesRefuseDirectoriesAndKeepUmask() throws {
        XCTAssertThrowsError(try RedirectFiles.open("/tmp", .truncate)) { XCTAssertEqual(($0 as? HostError)?.errno, EISDIR) }
        XCTAssertThrowsError(try RedirectFiles.open("/tmp", .read)) { XCTAssertEqual(($0 as? HostError)?.errno, EISDIR) }
        let path = NSTemporaryDirectoryPath() + "/dks-redirect-\(getpid())"
        defer { unlink(path) }
        let old = umask(0o027)
        defer { umask(old) }
        let fd = try RedirectFiles.open(path, .truncate)
        close(fd)
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o640)
    }
}

func NSTemporaryDirectoryPath() -> String { "/tmp" }
