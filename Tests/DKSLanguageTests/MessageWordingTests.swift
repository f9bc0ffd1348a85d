// MessageWordingTests: the shared wording of error messages — articles before type names,
// did-you-mean distances relative to length, and the docker-py habits table.
import XCTest
@testable import DKSLanguage

final class MessageWordingTests: XCTestCase {
    func testArticles() {
        XCTAssertEqual(withArticle("int"), "an int")
        XCTAssertEqual(withArticle("exec_result"), "an exec_result")
        XCTAssertEqual(withArticle("image"), "an image")
        XCTAssertEqual(withArticle("engine"), "an engine")
        XCTAssertEqual(withArticle("object"), "an object")
        XCTAssertEqual(withArticle("list"), "a list")
        XCTAssertEqual(withArticle("container"), "a container")
        XCTAssertEqual(withArticle("null"), "null")
        XCTAssertEqual(Value.int(1).typeNameWithArticle, "an int")
        XCTAssertEqual(Value.string("x").typeNameWithArticle, "a string")
    }

    /// The names of the issue: far-away words are not suggested; typos are.
    func testDidYouMeanKeepsToTypos() {
        let names = ["float", "lower", "pull", "echo", "exec", "wait-healthy", "container", "len", "ps", "rm", "run"]
        XCTAssertNil(closestName("reload", among: names))
        XCTAssertNil(closestName("docker", among: names))
        XCTAssertNil(closestName("curl", among: names))
        XCTAssertNil(closestName("x", among: ["y", "ps"]))
        XCTAssertEqual(closestName("contianer", among: names), "container")
        XCTAssertEqual(closestName("ecoh", among: names), "echo")
        XCTAssertEqual(closestName("exce", among: names), "exec")
        XCTAssertEqual(closestName("wiat-healthy", among: names), "wait-healthy")
        XCTAssertEqual(closestName("wait-helthy", among: names), "wait-healthy")
        XCTAssertEqual(closestName("flaot", among: names), "float")
        XCTAssertEqual(closestName("rn", among: names), "rm")
    }

    func testHabitsNameTheDksWay() {
        XCTAssertTrue(Habits.advice(forName: "reload")?.contains("live") ?? false)
        XCTAssertTrue(Habits.advice(forName: "exec_run")?.contains("exec $c") ?? false)
        XCTAssertTrue(Habits.advice(forName: "client.containers.run")?.contains("run -d") ?? false)
        XCTAssertTrue(Habits.advice(forName: "containers.list")?.contains("ps") ?? false)
        XCTAssertTrue(Habits.advice(forOption: "stream", of: "logs")?.contains("-f") ?? false)
        XCTAssertTrue(Habits.advice(forOption: "environment", of: "run")?.contains("-e") ?? false)
        XCTAssertNil(Habits.advice(forName: "deploy"))
        XCTAssertNil(Habits.advice(forVariable: "web"))
    }
}
