// ServiceSpecTests: ServiceConfig as the Engine API's ServiceSpec, a ServiceUpdate applied to a
// current spec, Podman's errors in Docker's words, TLS failures in words.
import DKSEngine
import XCTest
@testable import DKSDocker

final class ServiceSpecTests: XCTestCase {
    func testCreateBody() {
        var c = ServiceConfig(image: "busybox")
        c.name = "web"
        c.args = ["sh", "-c", "sleep 1"]
        c.env = ["A=1"]
        c.labels = [("team", "x")]
        c.containerLabels = [("dks.session", "s")]
        c.mode = .replicated(3)
        c.constraints = ["node.role==manager"]
        c.updateParallelism = 2
        c.restartCondition = "on-failure"
        c.restartDelay = 1.5
        c.restartMaxAttempts = 4
        XCTAssertEqual(ServiceSpec.create(c).encoded(), #"{"Name":"web","Labels":{"team":"x"},"TaskTemplate":{"ContainerSpec":{"Image":"busybox","Args":["sh","-c","sleep 1"],"Env":["A=1"],"Labels":{"dks.session":"s"}},"RestartPolicy":{"Condition":"on-failure","Delay":1500000000,"MaxAttempts":4},"Placement":{"Constraints":["node.role==manager"]}},"Mode":{"Replicated":{"Replicas":3}},"UpdateConfig":{"Parallelism":2}}"#)
        var g = ServiceConfig(image: "busybox")
        g.mode = .global
        XCTAssertEqual(ServiceSpec.create(g).encoded(), #"{"Labels":{},"TaskTemplate":{"ContainerSpec":{"Image":"busybox"}},"Mode":{"Global":{}}}"#)
    }

    func testUpdateChangesOnlyWhatItSays() throws {
        let current = try JSON.parse(Array(#"{"Name":"web","Labels":{"old":"1","keep":"2"},"TaskTemplate":{"ContainerSpec":{"Image":"busybox","Env":["A=1","B=2"]},"Placement":{"Constraints":["x==1"]},"ForceUpdate":1},"Mode":{"Replicated":{"Replicas":1}},"EndpointSpec":{"Mode":"vip"}}"#.utf8))
        var u = ServiceUpdate()
        u.image = "busybox:2"
        u.replicas = 4
        u.envAdd = ["B=3", "C=4"]
        u.envRemove = ["A"]
        u.labelAdd = [("new", "y")]
        u.labelRemove = ["old"]
        u.constraintAdd = ["y==2"]
        u.constraintRemove = ["x==1"]
        u.restartCondition = "any"
        u.force = true
        XCTAssertEqual(ServiceSpec.update(current, u).encoded(), #"{"Name":"web","Labels":{"keep":"2","new":"y"},"TaskTemplate":{"ContainerSpec":{"Image":"busybox:2","Env":["B=3","C=4"]},"Placement":{"Constraints":["y==2"]},"ForceUpdate":2,"RestartPolicy":{"Condition":"any"}},"Mode":{"Replicated":{"Replicas":4}},"EndpointSpec":{"Mode":"vip"}}"#)
        XCTAssertEqual(ServiceSpec.update(current, ServiceUpdate()), current)
    }

    func testPodmanErrorsInDockersWordsAndKinds() {
        let cases: [(Int, String, Int, String)] = [
            (404, #"no container with name or ID "web" found: no such container"#, 404, "No such container: web"),
            (404, "failed to find image nope: docker.io/library/nope: No such image", 404, "No such image: nope"),
            (404, "volume with name v not found: no such volume", 404, "get v: no such volume"),
            (404, "unable to find network with name or ID n: network not found", 404, "network n not found"),
            (404, "no exec session with ID e1 found: no such exec session", 404, "No such exec instance: e1"),
            (500, "creating container storage: the container name \"web\" is already in use by abc. You have to remove that container to be able to reuse that name: that name is already in use", 409, ""),
            (500, "cannot remove container abc as it is running - running or paused containers cannot be removed without force: container state improper", 409, ""),
            (500, "network name n already used: network already exists", 409, ""),
            (404, "No such container: web", 404, "No such container: web"),
            (500, "something else", 500, "something else"),
        ]
        for (status, message, wantStatus, wantMessage) in cases {
            let (s, m) = PodmanErrors.normalize(status: status, message: message)
            XCTAssertEqual(s, wantStatus, message)
            XCTAssertEqual(m, wantMessage.isEmpty ? message : wantMessage)
        }
        let e = DockerErrors.map(status: 500, message: "network name n already used: network already exists", request: DockerRequest(method: "POST", path: "/networks/create"))
        XCTAssertEqual(e.kind, .conflict)
    }

    func testTLSFailuresInWords() {
        XCTAssertTrue(ConnectionErrors.tlsReason("handshakeFailed(CERTIFICATE_VERIFY_FAILED)").hasPrefix("TLS verification failed: the daemon's certificate is not trusted"))
        XCTAssertTrue(ConnectionErrors.tlsReason("sslError(SSLV3_ALERT_BAD_CERTIFICATE)").hasPrefix("TLS handshake failed: the daemon refused the client certificate"))
        XCTAssertTrue(ConnectionErrors.tlsReason("WRONG_VERSION_NUMBER").contains("nothing speaks TLS there"))
        XCTAssertTrue(ConnectionErrors.isTLS(ConnectionErrors.tlsReason("x")))
    }
}
