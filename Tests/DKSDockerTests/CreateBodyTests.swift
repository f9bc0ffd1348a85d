// CreateBodyTests: ContainerConfig/ExecConfig → Engine API bodies.
import DKSEngine
import XCTest
@testable import DKSDocker

final class CreateBodyTests: XCTestCase {
    func testMinimalConfig() {
        let body = CreateBody.container(ContainerConfig(image: "busybox"))
        XCTAssertEqual(body["Image"], .string("busybox"))
        XCTAssertNil(body["Cmd"])
        XCTAssertEqual(body["AttachStdout"], .bool(true))
        XCTAssertEqual(body["HostConfig"]?["AutoRemove"], .bool(false))
        XCTAssertEqual(body["HostConfig"]?["RestartPolicy"]?["Name"], .string(""))
    }

    func testFullConfig() throws {
        var c = ContainerConfig(image: "img")
        c.cmd = ["sh", "-c", "echo $X"]
        c.entrypoint = ["/bin/env"]
        c.env = ["X=1", "Y=two words"]
        c.labels = [("a", "b"), ("dks.session", "s1")]
        c.workingDir = "/tmp"
        c.user = "nobody"
        c.hostname = "h1"
        c.tty = true
        c.openStdin = true
        c.healthCheck = HealthCheck(test: ["CMD-SHELL", "true"], interval: 0.5, timeout: 2, retries: 3, startPeriod: 1.25)
        c.stopSignal = "SIGUSR1"
        c.stopTimeout = 7
        c.binds = ["/h:/c:ro"]
        c.mounts = [Mount(type: "volume", source: "v1", target: "/data", readOnly: true)]
        c.tmpfs = [("/run", "size=1m")]
        c.readOnlyRootfs = true
        c.initProcess = true
        c.restartPolicy = RestartPolicy(name: "on-failure", maximumRetryCount: 3)
        c.memoryBytes = 64 << 20
        c.nanoCPUs = 500_000_000
        c.networkMode = "none"
        c.publish = [PortBinding(hostIP: "127.0.0.1", hostPort: "8080", containerPort: "80"),
                     PortBinding(hostPort: "8443", containerPort: "443/tcp"),
                     PortBinding(hostIP: "::1", hostPort: "8081", containerPort: "80")]
        c.logDriver = "json-file"
        c.privileged = true
        c.autoRemove = true
        let body = CreateBody.container(c)
        let expected = #"""
        {"Image":"img","Cmd":["sh","-c","echo $X"],"Entrypoint":["/bin/env"],"Env":["X=1","Y=two words"],\#
        "Labels":{"a":"b","dks.session":"s1"},"WorkingDir":"/tmp","User":"nobody","Hostname":"h1","Tty":true,\#
        "OpenStdin":true,"StdinOnce":true,"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,\#
        "Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":500000000,"Timeout":2000000000,"Retries":3,"StartPeriod":1250000000},\#
        "StopSignal":"SIGUSR1","StopTimeout":7,"ExposedPorts":{"80/tcp":{},"443/tcp":{}},\#
        "HostConfig":{"Binds":["/h:/c:ro"],"Mounts":[{"Type":"volume","Source":"v1","Target":"/data","ReadOnly":true}],\#
        "Tmpfs":{"/run":"size=1m"},"ReadonlyRootfs":true,"Init":true,"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3},\#
        "Memory":67108864,"NanoCpus":500000000,"NetworkMode":"none",\#
        "PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"},{"HostIp":"::1","HostPort":"8081"}],"443/tcp":[{"HostIp":"","HostPort":"8443"}]},\#
        "LogConfig":{"Type":"json-file","Config":{}},"Privileged":true,"AutoRemove":true}}
        """#
        XCTAssertEqual(body.encoded(), expected)
    }

    /// What the docker CLI 28.2 sends (read from its requests): `run -d` attaches nothing and
    /// keeps stdin open without StdinOnce; `create` and attached runs attach, stdin with -i.
    func testAttachFieldsAsTheDockerCLISendsThem() {
        func fields(_ detached: Bool, _ stdin: Bool, _ tty: Bool = false) -> [JSON?] {
            var c = ContainerConfig(image: "i")
            c.detached = detached
            c.openStdin = stdin
            c.tty = tty
            let b = CreateBody.container(c)
            return ["AttachStdin", "AttachStdout", "AttachStderr", "OpenStdin", "StdinOnce", "Tty"].map { b[$0] }
        }
        let t = JSON.bool(true), f = JSON.bool(false)
        XCTAssertEqual(fields(true, true), [f, f, f, t, f, f])       // run -d -i
        XCTAssertEqual(fields(true, false), [f, f, f, f, f, f])      // run -d
        XCTAssertEqual(fields(true, true, true), [f, f, f, t, f, t]) // run -d -t -i
        XCTAssertEqual(fields(false, true), [t, t, t, t, t, f])      // create -i, run -i
        XCTAssertEqual(fields(false, false), [f, t, t, f, f, f])     // create, run
    }

    func testMountOptionsInTheBody() {
        var m = Mount(type: "tmpfs", source: "", target: "/t", readOnly: false)
        m.tmpfs = Mount.TmpfsOptions()
        m.tmpfs?.sizeBytes = 64 << 20
        m.tmpfs?.mode = 0o1770
        XCTAssertEqual(CreateBody.mount(m).encoded(), #"{"Type":"tmpfs","Target":"/t","TmpfsOptions":{"SizeBytes":67108864,"Mode":1016}}"#)
        var v = Mount(type: "volume", source: "data", target: "/v", readOnly: true)
        v.volume = Mount.VolumeOptions()
        v.volume?.noCopy = true
        v.volume?.labels = ["b": "2", "a": "1"]
        v.volume?.driver = "local"
        v.volume?.driverOptions = ["type": "tmpfs"]
        XCTAssertEqual(CreateBody.mount(v).encoded(),
                       #"{"Type":"volume","Source":"data","Target":"/v","ReadOnly":true,"VolumeOptions":{"NoCopy":true,"Labels":{"a":"1","b":"2"},"DriverConfig":{"Name":"local","Options":{"type":"tmpfs"}}}}"#)
        var b = Mount(type: "bind", source: "/h", target: "/b", readOnly: false)
        b.bind = Mount.BindOptions()
        b.bind?.propagation = "rslave"
        b.consistency = "cached"
        XCTAssertEqual(CreateBody.mount(b).encoded(), #"{"Type":"bind","Source":"/h","Target":"/b","Consistency":"cached","BindOptions":{"Propagation":"rslave"}}"#)
    }

    func testExecBody() {
        var e = ExecConfig(cmd: ["ls", "-l"])
        e.env = ["A=1"]
        e.workingDir = "/tmp"
        e.user = "nobody"
        e.tty = true
        XCTAssertEqual(CreateBody.exec(e).encoded(),
                       #"{"AttachStdin":false,"AttachStdout":true,"AttachStderr":true,"Tty":true,"Cmd":["ls","-l"],"Env":["A=1"],"WorkingDir":"/tmp","User":"nobody"}"#)
        e.detach = true
        XCTAssertEqual(CreateBody.exec(e)["AttachStdout"], .bool(false))
    }

    func testNanoseconds() {
        XCTAssertEqual(CreateBody.nanoseconds(0.001), 1_000_000)
        XCTAssertEqual(CreateBody.nanoseconds(-1), 0)
        XCTAssertEqual(CreateBody.nanoseconds(.infinity), 0)
    }
}
