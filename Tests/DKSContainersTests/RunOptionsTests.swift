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
        XCTAssertEqual(try MountOptions.parse("type=volume,src=data,dst=/data", command: "run", cwd: "/"),
                       Mount(type: "volume", source: "data", target: "/data", readOnly: false))
        XCTAssertEqual(try MountOptions.parse("type=tmpfs,target=/t,readonly=false", command: "run", cwd: "/").readOnly, false)
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

    /// Every --mount form the docker CLI takes, with what it sends (read from docker 28.2's
    /// create requests) and its error for each malformed one.
    func testMountFormsAsTheDockerCLI() throws {
        func parse(_ s: String) throws -> Mount { try MountOptions.parse(s, command: "run", cwd: "/work") }
        var t = try parse("type=tmpfs,tmpfs-size=64m,tmpfs-mode=1770,target=/t")
        XCTAssertEqual(t.tmpfs?.sizeBytes, 67_108_864)
        XCTAssertEqual(t.tmpfs?.mode, 0o1770)
        t = try parse("TYPE=bind,Source=./data,target=/b,readonly,bind-propagation=rslave")
        XCTAssertEqual(t.type, "bind")
        XCTAssertEqual(t.source, "/work/data")
        XCTAssertTrue(t.readOnly)
        XCTAssertEqual(t.bind?.propagation, "rslave")
        t = try parse("type=volume,source=v,target=/v,volume-nocopy,volume-label=a=b,volume-driver=local,volume-opt=type=tmpfs,\"volume-opt=o=addr=1,2\"")
        XCTAssertEqual(t.volume?.noCopy, true)
        XCTAssertEqual(t.volume?.labels, ["a": "b"])
        XCTAssertEqual(t.volume?.driver, "local")
        XCTAssertEqual(t.volume?.driverOptions, ["type": "tmpfs", "o": "addr=1,2"])
        XCTAssertEqual(try parse("type=volume,target=/v,ro=1").readOnly, true)
        XCTAssertEqual(try parse("type=bind,src=/a,dst=/b,consistency=cached,bind-recursive=disabled").bind?.nonRecursive, true)
        XCTAssertEqual(try parse("target=/v").type, "volume")
        for (spec, message) in [("type=tmpfs,target=/t,tmpfs-size=lots", "invalid value for tmpfs-size: lots"),
                                ("type=tmpfs,target=/t,tmpfs-mode=999", "invalid value for tmpfs-mode: 999"),
                                ("type=bind,source=/a,target=/b,volume-nocopy", "cannot mix 'volume-*' options with mount type 'bind'"),
                                ("type=volume,target=/b,bind-propagation=shared", "cannot mix 'bind-*' options with mount type 'volume'"),
                                ("type=volume,target=/v,readonly=maybe", "invalid value for readonly: maybe"),
                                ("type=volume,source=x", "target is required"),
                                ("target=/v,colour=red", "unexpected key 'colour' in 'colour=red'"),
                                ("type=volume,target=/v,junk", "invalid field 'junk' must be a key=value pair"),
                                ("type=bind,src=/a,dst=/b,bind-recursive=maybe",
                                 "invalid value for bind-recursive: maybe (must be \"enabled\", \"disabled\", \"writable\", or \"readonly\")"),
                                ("type=volume,tar\"get=/v", "bare \" in non-quoted-field")] {
            XCTAssertThrowsError(try parse(spec), spec) {
                XCTAssertEqual(($0 as? ScriptError)?.message, "run: bad --mount '\(spec)': \(message)")
            }
        }
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
        let f = try RunOptions.parseFilters(["status=running", "label=app=web", "", " NAME = web "], command: "ps")
        XCTAssertEqual(f.map { $0.0 }, ["status", "label", "name"])
        XCTAssertEqual(f.map { $0.1 }, ["running", "app=web", "web"])
        XCTAssertThrowsError(try RunOptions.parseFilters(["status"], command: "ps"))
        XCTAssertThrowsError(try RunOptions.parseFilters(["=x"], command: "ps"))
    }
}
