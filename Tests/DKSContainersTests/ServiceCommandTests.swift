// ServiceCommandTests: swarm, node, service and wait-converged against a fake swarm — what the
// options become, dks's labels, the objects' live attributes and methods, tables, logs with
// their task names, and ServiceError from tasks that keep failing.
import DKSBuiltins
@testable import DKSContainers
import DKSEngine
import DKSLanguage
import XCTest

final class ServiceCommandTests: XCTestCase {
    func harness() -> (MultiHarness, FakeSwarmEngine) {
        let swarm = FakeSwarmEngine()
        return (MultiHarness(main: swarm), swarm)
    }

    func testCreateBindsOptionsAndStopsThemAtTheImage() throws {
        let (h, s) = harness()
        let out = try h.run("""
        $env = {TOKEN: "t0k"}
        $web = service create --name web --replicas 3 -e A=1 -e TOKEN -l team=x --constraint node.role==manager \\
          --update-parallelism 2 --restart-condition on-failure --restart-delay 1500ms --restart-max-attempts 4 \\
          busybox sh -c 'echo -e -l hi' -l
        echo $web $web.name (type($web)) $web.replicas $web.image $web.mode
        """)
        XCTAssertEqual(out, "<service web svc100000000> web service 3 busybox replicated\n")
        let c = try XCTUnwrap(s.configs.first)
        XCTAssertEqual(c.image, "busybox")
        XCTAssertEqual(c.args ?? [], ["sh", "-c", "echo -e -l hi", "-l"])
        XCTAssertEqual(c.env, ["A=1", "TOKEN=t0k"])
        XCTAssertEqual(c.mode, .replicated(3))
        XCTAssertEqual(c.constraints, ["node.role==manager"])
        XCTAssertEqual(c.updateParallelism, 2)
        XCTAssertEqual(c.restartCondition, "on-failure")
        XCTAssertEqual(c.restartDelay, 1.5)
        XCTAssertEqual(c.restartMaxAttempts, 4)
        XCTAssertEqual(c.labels.map { "\($0.0)=\($0.1)" }, ["team=x", "dks.session=sess123", "dks.script=multi.dks"])
        XCTAssertEqual(c.containerLabels.map { "\($0.0)=\($0.1)" }, ["dks.session=sess123", "dks.script=multi.dks"])
    }

    func testCreateRefusesBadOptions() throws {
        let (h, _) = harness()
        XCTAssertEqual(h.fail("service create --mode sometimes busybox")?.kind, .valueError)
        XCTAssertEqual(h.fail("service create --mode global --replicas 2 busybox")?.kind, .valueError)
        XCTAssertEqual(h.fail("service create --restart-condition maybe busybox")?.kind, .valueError)
        XCTAssertEqual(h.fail("service create --replicas -1 busybox")?.kind, .valueError)
        XCTAssertEqual(h.fail("service create")?.kind, .valueError)
        XCTAssertEqual(h.fail("service frobnicate web")?.kind, .valueError)
    }

    func testScaleUpdateAndMethods() throws {
        let (h, s) = harness()
        _ = try h.run("""
        $web = service create --name web busybox sleep 1
        service scale web 4
        service scale web=2
        $web.scale(5)
        service update $web --image busybox:2 --env-add B=2 --env-rm A --label-add k=v --label-rm old --force
        $web.update(replicas: 1, constraint_add: "node.labels.z==a")
        """)
        XCTAssertEqual(s.updates.map { $0.replicas }, [4, 2, 5, nil, 1])
        let u = s.updates[3]
        XCTAssertEqual(u.image, "busybox:2")
        XCTAssertEqual(u.envAdd, ["B=2"])
        XCTAssertEqual(u.envRemove, ["A"])
        XCTAssertEqual(u.labelAdd.map { $0.0 + "=" + $0.1 }, ["k=v"])
        XCTAssertEqual(u.labelRemove, ["old"])
        XCTAssertTrue(u.force)
        XCTAssertEqual(s.updates[4].constraintAdd, ["node.labels.z==a"])
        XCTAssertEqual(h.fail("service scale web lots")?.kind, .valueError)
        XCTAssertEqual(h.fail("service scale web")?.kind, .valueError)
    }

    func testLiveAttributesTablesAndRemoval() throws {
        let (h, s) = harness()
        _ = try h.run("$web = service create --name web --replicas 2 busybox sleep 1")
        let id = "svc1" + String(repeating: "0", count: 22)
        s.serviceTasks[id] = [FakeSwarmEngine.task("t1aaaaaaaaaaaaaaaaaaaaaaa", service: id, slot: 1, state: "running"),
                              FakeSwarmEngine.task("t0aaaaaaaaaaaaaaaaaaaaaaa", service: id, slot: 1, desired: "shutdown", state: "failed",
                                                   error: "task: non-zero exit (1)", created: "2024-01-01T00:00:00.5Z"),
                              FakeSwarmEngine.task("t2aaaaaaaaaaaaaaaaaaaaaaa", service: id, slot: 2, state: "running")]
        XCTAssertEqual(try h.run("echo $web.running $web.replicas (len $web.tasks) $web.tasks[0].name $web.tasks[1].state $web.tasks[1].error"),
                       "2 2 3 web.1 failed task: non-zero exit (1)\n")
        XCTAssertEqual(try h.run("service ls"), """
        ID             NAME   MODE         REPLICAS   IMAGE     PORTS
        svc100000000   web    replicated   2/2        busybox   

        """)
        XCTAssertEqual(try h.run("service ps web"), """
        ID             NAME        IMAGE     NODE    DESIRED STATE   CURRENT STATE   ERROR
        t1aaaaaaaaaa   web.1       busybox   host1   Running         Running         
        t0aaaaaaaaaa    \\_ web.1   busybox   host1   Shutdown        Failed          task: non-zero exit (1)
        t2aaaaaaaaaa   web.2       busybox   host1   Running         Running         

        """)
        XCTAssertEqual(try h.run("echo (inspect $web).Spec.Name (service inspect web).ID (len (service ls))"), "web \(id) 1\n")
        _ = try h.run("$web.rm()")
        XCTAssertEqual(s.removed, [id])
        XCTAssertEqual(try h.run("echo (len (service ls))"), "0\n")
    }

    func testLogsNameTheirTasksAsTheDockerCLIDoes() throws {
        let (h, s) = harness()
        _ = try h.run("$web = service create --name web --replicas 12 busybox sleep 1")
        let id = "svc1" + String(repeating: "0", count: 22)
        s.serviceTasks[id] = [FakeSwarmEngine.task("taskone111111111111111111", service: id, slot: 1, state: "running"),
                              FakeSwarmEngine.task("tasktwelve22222222222222", service: id, slot: 12, state: "running")]
        s.logLines = ["com.docker.swarm.node.id=node1,com.docker.swarm.service.id=\(id),com.docker.swarm.task.id=taskone111111111111111111 hello",
                      "com.docker.swarm.node.id=node1,com.docker.swarm.service.id=\(id),com.docker.swarm.task.id=tasktwelve22222222222222 there"]
        XCTAssertEqual(try h.run("service logs web"), "web.1.taskone11111@host1     | hello\nweb.12.tasktwelve22@host1    | there\n")
        XCTAssertEqual(try h.run("echo (repr((service logs $web --raw)))"), "\"hello\\nthere\\n\"\n")
        XCTAssertEqual(try h.run("for $l in (service logs -f web) { echo \"<$l>\"; break }"), "<web.1.taskone11111@host1     | hello>\n")
        XCTAssertEqual(TaskPrefixes.details("a=1,b=x%20y"), ["a": "1", "b": "x y"])
    }

    func testWaitConvergedFailsFastWithTheTaskErrors() throws {
        let (h, s) = harness()
        _ = try h.run("$bad = service create --name bad --replicas 1 busybox false")
        let id = "svc1" + String(repeating: "0", count: 22)
        s.serviceTasks[id] = [FakeSwarmEngine.task("f1", service: id, slot: 1, desired: "shutdown", state: "failed", error: "task: non-zero exit (1)"),
                              FakeSwarmEngine.task("f2", service: id, slot: 1, desired: "shutdown", state: "failed", error: "task: non-zero exit (1)"),
                              FakeSwarmEngine.task("f3", service: id, slot: 1, state: "starting")]
        let e = h.fail("wait-converged $bad --timeout 30s")
        XCTAssertEqual(e?.kind, .serviceError)
        XCTAssertTrue(e?.message.hasPrefix("wait-converged: service bad: its tasks keep failing (2 failed tasks") ?? false, e?.message ?? "")
        XCTAssertEqual(e?.output, "bad.1 (task f1): task: non-zero exit (1)\nbad.1 (task f2): task: non-zero exit (1)")
        XCTAssertEqual(try h.run("try { $bad.wait_converged(timeout: 5) } catch $e { echo $e.kind (len $e.tasks) $e.tasks[0].exit_code }"), "ServiceError 2 1\n")
        s.serviceTasks[id] = [FakeSwarmEngine.task("ok", service: id, slot: 1, state: "running")]
        XCTAssertEqual(try h.run("echo (wait-converged bad).running"), "1\n")
        s.serviceTasks[id] = [FakeSwarmEngine.task("slow", service: id, slot: 1, state: "starting")]
        XCTAssertEqual(h.fail("wait-converged bad --timeout 300ms")?.kind, .timeout)
    }

    func testSwarmNodeAndEnginesWithoutASwarm() throws {
        let (h, s) = harness()
        XCTAssertEqual(try h.run("echo (node ls)[0].hostname (node ls)[0].leader\nnode ls"), """
        host1 true
        ID      HOSTNAME   STATUS   AVAILABILITY   MANAGER STATUS   ENGINE VERSION
        node1   host1      Ready    Active         Leader           

        """)
        _ = try h.run("swarm leave -f")
        XCTAssertEqual(h.fail("service ls")?.message, "service ls: memory is not a swarm manager; run 'swarm init' there first (or connect to a manager)")
        XCTAssertEqual(try h.run("echo (len (swarm init --advertise-addr 127.0.0.1))"), "25\n")
        XCTAssertTrue(s.inSwarm)
        // An engine that has no orchestrator at all.
        let plain = Harness()
        XCTAssertEqual(plain.fail("service ls")?.message, "service ls: the fake engine has no Docker Swarm services; connect to a Docker engine (see connect and use-engine)")
    }
}
