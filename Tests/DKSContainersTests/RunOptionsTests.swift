// RunOptionsTests: run/create options → ContainerConfig, and the small option parsers.
@testable import DKSContainers
import DKSEngine
import DKSLanguage
import XCTest

final class RunOptionsTests: XCTestCase {
    func testFullOptionMapping() throws {
        let h = Harness()
        _ = try h.run("""
        run -d --name web -e A=1 --env B=two -l app=web --label tier -w /srv -u 1000:1000 -v /h:/c:ro \
          --mount type=bind,source=/a,target=/b,readonly --tmpfs /run:size=1m --read-only --init \
          --restart on-failure:3 --stop-signal SIGINT --stop-timeout 5 --memory 512m --cpus 1.5 --network none \
          --hostname box -p 127.0.0.1:8080:80 -p 53:53/udp --entrypoint /bin/sh -t -i \
          --health-cmd 'test -f /ok' --health-interval 500ms --health-timeout 2s --health-retries 3 \
          --health-start-period 1m --log-driver none --privileged busybox -c 'echo "a b"' x
        """)
        let c = try XCTUnwrap(h.engine.created.last)
        XCTAssertEqual(c.image, "busybox")
        XCTAssertEqual(c.cmd, ["-c", "echo \"a b\"", "x"])
        XCTAssertEqual(c.name, "web")
        XCTAssertEqual(c.env, ["A=1", "B=two"])
        XCTAssertEqual(c.labels.map { "\($0.0)=\($0.1)" }, ["app=web", "tier=", "dks.session=sess123", "dks.script=test.dks"])
        XCTAssertEqual(c.workingDir, "/srv")
        XCTAssertEqual(c.user, "1000:1000")
        XCTAssertEqual(c.binds, ["/h:/c:ro"])
        XCTAssertEqual(c.mounts, [Mount(type: "bind", source: "/a", target: "/b", readOnly: true)])
        XCTAssertEqual(c.tmpfs.map { $0.0 + ":" + $0.1 }, ["/run:size=1m"])
        XCTAssertTrue(c.readOnlyRootfs)
        XCTAssertTrue(c.initProcess)
        XCTAssertEqual(c.restartPolicy, RestartPolicy(name: "on-failure", maximumRetryCount: 3))
        XCTAssertEqual(c.stopSignal, "SIGINT")
        XCTAssertEqual(c.stopTimeout, 5)
        XCTAssertEqual(c.memoryBytes, 512 * 1024 * 1024)
        XCTAssertEqual(c.nanoCPUs, 1_500_000_000)
        XCTAssertEqual(c.networkMode, "none")
        XCTAssertEqual(c.hostname, "box")
        XCTAssertEqual(c.publish, [PortBinding(hostIP: "127.0.0.1", hostPort: "8080", containerPort: "80/tcp"),
                                   PortBinding(hostIP: "", hostPort: "53", containerPort: "53/udp")])
        XCTAssertEqual(c.entrypoint, ["/bin/sh"])
        XCTAssertTrue(c.tty)
        XCTAssertTrue(c.openStdin)
        XCTAssertEqual(c.healthCheck, HealthCheck(test: ["CMD-SHELL", "test -f /ok"], interval: 0.5, timeout: 2, retries: 3, startPeriod: 60))
        XCTAssertEqual(c.logDriver, "none")
        XCTAssertTrue(c.privileged)
        XCTAssertFalse(c.autoRemove)
    }

    func testOptionsStopAtTheImage() throws {
        let h = Harness()
        _ = try h.run("run -d busybox ls -l --rm -e X")
        let c = try XCTUnwrap(h.engine.created.last)
        XCTAssertEqual(c.cmd, ["ls", "-l", "--rm", "-e", "X"])
        XCTAssertFalse(c.autoRemove)
        XCTAssertNil(c.healthCheck)
    }

    func testCommandWordsAreArgvStrForms() throws {
        let h = Harness()
        _ = try h.run("$n = 3\nrun -d busybox echo $n 1.5 (1 + 1) '$HOME; rm -rf /'")
        XCTAssertEqual(h.engine.created.last?.cmd, ["echo", "3", "1.5", "2", "$HOME; rm -rf /"])
    }

    func testNoHealthcheckAndDetachRm() throws {
        let h = Harness()
        _ = try h.run("run -d --rm --no-healthcheck busybox true")
        XCTAssertEqual(h.engine.created.last?.healthCheck, HealthCheck(test: ["NONE"]))
        XCTAssertEqual(h.engine.created.last?.autoRemove, true)
    }

    func testExpressionFormBindsTheSameParameters() throws {
        let h = Harness()
        _ = try h.run("$c = run(\"busybox\", \"sleep\", \"1\", detach: true, health_cmd: \"true\", env: [\"A=1\"])")
        XCTAssertEqual(h.engine.created.last?.cmd, ["sleep", "1"])
        XCTAssertEqual(h.engine.created.last?.healthCheck?.test, ["CMD-SHELL", "true"])
        XCTAssertEqual(h.engine.created.last?.env, ["A=1"])
    }

    func testPublishForms() throws {
        XCTAssertEqual(try RunOptions.parsePublish("80", command: "run"), PortBinding(containerPort: "80/tcp"))
        XCTAssertEqual(try RunOptions.parsePublish("8080:80/udp", command: "run"), PortBinding(hostPort: "8080", containerPort: "80/udp"))
        XCTAssertEqual(try RunOptions.parsePublish("[::1]:8080:80", command: "run"), PortBinding(hostIP: "::1", hostPort: "8080", containerPort: "80/tcp"))
        XCTAssertEqual(try RunOptions.parsePublish("127.0.0.1::80", command: "run"), PortBinding(hostIP: "127.0.0.1", hostPort: "", containerPort: "80/tcp"))
        for bad in ["", "x:80", "80/icmp", "1:2:3:4", "70000"] {
            XCTAssertThrowsError(try RunOptions.parsePublish(bad, command: "run"), bad)
        }
    }

    func testRestartMountTmpfsEnvFile() throws {
        XCTAssertEqual(try RunOptions.parseRestart("always", command: "run"), RestartPolicy(name: "always"))
        XCTAssertEqual(try RunOptions.parseRestart("on-failure", command: "run"), RestartPolicy(name: "on-failure"))
        XCTAssertThrowsError(try RunOptions.parseRestart("sometimes", command: "run"))
        XCTAssertThrowsError(try RunOptions.parseRestart("always:3", command: "run"))
        XCTAssertEqual(try RunOptions.parseMount("type=volume,src=data,dst=/data", command: "run"),
                       Mount(type: "volume", source: "data", target: "/data", readOnly: false))
        XCTAssertEqual(try RunOptions.parseMount("type=tmpfs,target=/t,readonly=false", command: "run").readOnly, false)
        XCTAssertThrowsError(try RunOptions.parseMount("type=bind,source=/a", command: "run"))
        XCTAssertThrowsError(try RunOptions.parseMount("type=nfs,target=/a", command: "run"))
        XCTAssertThrowsError(try RunOptions.parseMount("target=/a,colour=red", command: "run"))
        XCTAssert(RunOptions.parseTmpfs("/run") == ("/run", ""))
    }

    /// What the docker CLI (28.2) sent for the same files, read from its create request.
    func testEnvFileFollowsTheDockerCLIsRules() throws {
        func parse(_ text: String) throws -> [String] {
            try EnvOptions.parseFile(Array(text.utf8), path: "f.env", command: "run", environment: { $0 == "HOME" ? "/root" : nil })
        }
        XCTAssertEqual(try parse("# comment\n\n  LEAD=1\nA=x=y\nB= spaced \nUNSETVAR\nHOME\n\t TABBED=2\nEMPTY=\nC=quote\"s\r\n"),
                       ["LEAD=1", "A=x=y", "B= spaced ", "HOME=/root", "TABBED=2", "EMPTY=", "C=quote\"s"])
        XCTAssertEqual(try parse("\u{FEFF}BOM=1\n  # indented comment\n  \nX=1"), ["BOM=1", "X=1"])
        XCTAssertEqual(try parse("Ü=1\nlower=2\n1NUM=3\n"), ["Ü=1", "lower=2", "1NUM=3"])
        for (text, message) in [("export A=1\n", "variable 'export A' contains whitespaces"),
                                ("A B=1\n", "variable 'A B' contains whitespaces"),
                                ("  B = x\n", "variable 'B ' contains whitespaces"),
                                ("FOO \n", "variable 'FOO ' contains whitespaces"),
                                ("=1\n", "no variable name on line '=1'")] {
            XCTAssertThrowsError(try parse(text)) { error in
                XCTAssertEqual((error as? ScriptError)?.kind, .valueError)
                XCTAssertEqual((error as? ScriptError)?.message, "run: invalid env file (f.env): " + message)
            }
        }
        XCTAssertThrowsError(try EnvOptions.parseFile([65, 61, 49, 10, 0xff, 0xfe, 61, 50], path: "f.env", command: "run", environment: { _ in nil })) {
            XCTAssertEqual(($0 as? ScriptError)?.message, "run: invalid env file (f.env): invalid utf8 bytes at line 2: [255 254 61 50]")
        }
    }

    /// `-e NAME` with NAME unset in dks's environment is passed as NAME (the container then has
    /// no NAME, even if the image sets it), as the docker CLI does; set, it takes dks's value.
    func testEnvNameAloneIsPassedWhenUnset() throws {
        let lookup: (String) -> String? = { $0 == "HOME" ? "/root" : nil }
        XCTAssertEqual(try EnvOptions.resolve("UNSETVAR", command: "run", environment: lookup), "UNSETVAR")
        XCTAssertEqual(try EnvOptions.resolve("HOME", command: "run", environment: lookup), "HOME=/root")
        XCTAssertEqual(try EnvOptions.resolve("X=", command: "run", environment: lookup), "X=")
        XCTAssertThrowsError(try EnvOptions.resolve("=x", command: "run", environment: lookup))
        let h = Harness()
        _ = try h.run("run -d -e DKS_SURELY_UNSET_VARIABLE -e A=1 busybox true")
        XCTAssertEqual(h.engine.created.last?.env, ["DKS_SURELY_UNSET_VARIABLE", "A=1"])
        _ = try h.run("$c = run -d busybox sleep 9\nexec -e DKS_SURELY_UNSET_VARIABLE $c env")
        XCTAssertEqual(h.engine.execs.last?.env, ["DKS_SURELY_UNSET_VARIABLE"])
    }

    func testEnvFileAndBadValues() throws {
        let path = NSTemporaryDirectory() + "dks-envfile-\(getpid())"
        try "X=1\n# no\nY=2\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let h = Harness()
        _ = try h.run("run -d --env-file \(path) -e Z=3 busybox true")
        XCTAssertEqual(h.engine.created.last?.env, ["X=1", "Y=2", "Z=3"])
        XCTAssertEqual(h.fail("run -d --memory lots busybox true")?.kind, .valueError)
        XCTAssertEqual(h.fail("run -d --cpus -1 busybox true")?.kind, .valueError)
        XCTAssertEqual(h.fail("run -d --health-interval soon busybox true")?.kind, .valueError)
        XCTAssertEqual(h.fail("run -d --env-file /nonexistent/x busybox true")?.kind, .ioError)
    }

    func testFilters() throws {
        let f = try RunOptions.parseFilters(["status=running", "label=app=web"], command: "ps")
        XCTAssertEqual(f.map { $0.0 }, ["status", "label"])
        XCTAssertEqual(f.map { $0.1 }, ["running", "app=web"])
        XCTAssertThrowsError(try RunOptions.parseFilters(["status"], command: "ps"))
        XCTAssertThrowsError(try RunOptions.parseFilters(["=x"], command: "ps"))
    }
}
