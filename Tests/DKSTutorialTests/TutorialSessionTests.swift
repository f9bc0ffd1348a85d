// TutorialSessionTests: the tutorial's engine without a terminal — a lesson is shown, checked by
// its effect after each entry, a wrong try gets a hint, steps are progress, progress is saved and
// resumed, reset starts over; and every lesson of the real tutorial is well formed.
// (scripts/test-prompt drives the whole tutorial through a real terminal on both engines.)
import XCTest
@testable import DKSTutorial
import DKSLanguage
import DKSBuiltins
import DKSSupport

final class TutorialSessionTests: XCTestCase {
    var dir = ""

    override func setUp() {
        dir = NSTemporaryDirectory() + "dks-tutorial-test-\(getpid())-\(UUID().uuidString)"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    let lessons = [
        Lesson(id: "one", title: "One", text: "Set a number.", task: "Type: $n = 1", check: "$n == 1",
               hints: ["first hint", "second hint, the answer: $n = 1"], done: "n is one"),
        Lesson(id: "two", title: "Two", text: "Two steps.", task: "$a = 1 then $b = 2", check: "$a == 1 and $b == 2",
               hints: ["a then b"], done: "both set", steps: [Step(check: "$a == 1", say: "a is set, now b")]),
        Lesson(id: "three", title: "Three", text: "Uses {image}.", task: "run {image}", check: "$made == \"{image}\"",
               hints: ["h"], done: "done", needs: [Need(check: "$made == \"{image}\"", make: "$made = \"{image}\"", note: "made it")]),
    ]

    /// A session over an interpreter with the general builtins; `type` runs an entry as the prompt does.
    func session(_ lessons: [Lesson]) -> (TutorialSession, Interpreter, Output) {
        let registry = BuiltinRegistry()
        GeneralBuiltins.register(into: registry)
        Tutorial.register(into: registry)
        let out = Output(fd: nil)
        let interp = Interpreter(registry: registry, stdout: out, scriptName: "<prompt>")
        interp.recordsValues = true
        let s = TutorialSession(interpreter: interp, lessons: lessons, progress: TutorialProgress(path: dir + "/tutorial"), image: "img")
        interp.hostData["tutorial"] = s
        return (s, interp, out)
    }

    func type(_ entry: String, _ s: TutorialSession, _ interp: Interpreter) {
        var failure: Error?
        do { try interp.run(SourceFile(name: "<prompt>", text: entry)) } catch { failure = error }
        s.afterEntry(entry, error: failure)
    }

    func testWrongTryGetsAHintAndTheEffectMovesOn() {
        let (s, interp, out) = session(lessons)
        s.start()
        XCTAssertTrue(out.takeText().contains("Lesson 1 of 3: One"))
        type("$n = 2", s, interp)
        XCTAssertEqual(out.takeText(), "✗ Not yet: first hint\n")
        type("$n = 3", s, interp)
        XCTAssertEqual(out.takeText(), "✗ Not yet: second hint, the answer: $n = 1\n")
        type("$nope + 1", s, interp)
        XCTAssertTrue(out.takeText().hasPrefix("✗ That raised an error: "))
        type("help if", s, interp)
        let help = out.takeText()
        XCTAssertTrue(help.hasPrefix("if COND"), help)
        XCTAssertFalse(help.contains("✗"), "asking for help is not an attempt")
        type("$n = 1", s, interp)
        let text = out.takeText()
        XCTAssertTrue(text.hasPrefix("✓ n is one\n"), text)
        XCTAssertTrue(text.contains("Lesson 2 of 3: Two"))
        XCTAssertEqual(s.current, 1)
        XCTAssertEqual(TutorialProgress(path: dir + "/tutorial").load(), 1, "progress is saved")
    }

    func testStepsAreProgressNotWrongTries() {
        let (s, interp, out) = session(Array(lessons[1...]))
        s.start()
        _ = out.takeText()
        type("$a = 1", s, interp)
        XCTAssertEqual(out.takeText(), "✓ a is set, now b\n")
        type("$a", s, interp)
        XCTAssertEqual(out.takeText(), "", "while a step holds, no hint and nothing said twice")
        type("$b = 2", s, interp)
        XCTAssertTrue(out.takeText().hasPrefix("✓ both set\n"))
    }

    func testNeedsAreMadeOnEntryAndImageIsFilledIn() {
        let (s, interp, out) = session(Array(lessons[2...]))
        s.start()
        let text = out.takeText()
        XCTAssertTrue(text.contains("(made it.)"), text)
        XCTAssertTrue(text.contains("Uses img."))
        XCTAssertTrue(text.contains("Your task: run img"))
        XCTAssertEqual(interp.globals.get("made"), .string("img"))
    }

    func testResumeResetAndTheEnd() {
        TutorialProgress(path: dir + "/tutorial").save(1)
        var (s, interp, out) = session(lessons)
        s.start()
        var text = out.takeText()
        XCTAssertTrue(text.contains("Welcome back: lesson 2 of 3"), text)
        XCTAssertTrue(text.contains("Lesson 2 of 3: Two"))
        s.reset()
        text = out.takeText()
        XCTAssertTrue(text.contains("Lesson 1 of 3: One"), text)
        XCTAssertEqual(TutorialProgress(path: dir + "/tutorial").load(), 0)
        (s, interp, out) = session(lessons)
        s.start()
        type("$n = 1", s, interp)
        s.skip()
        type("$made = \"img\"", s, interp)
        text = out.takeText()
        XCTAssertTrue(text.contains("That was the last lesson"), text)
        XCTAssertFalse(s.active)
        s.start()
        XCTAssertTrue(out.takeText().contains("You have finished the tutorial"))
    }

    func testTheCommandOutsideThePrompt() {
        let registry = BuiltinRegistry()
        GeneralBuiltins.register(into: registry)
        Tutorial.register(into: registry)
        let interp = Interpreter(registry: registry, stdout: Output(fd: nil))
        XCTAssertThrowsError(try interp.run(SourceFile(name: "<command>", text: "tutorial"))) { error in
            XCTAssertEqual((error as? ScriptError)?.kind, .valueError)
            XCTAssertTrue((error as? ScriptError)?.message.contains("runs at the prompt") ?? false)
        }
    }

    /// The real lessons: about ten, unique ids, hints, and every piece of dks code parses.
    func testTheLessonsAreWellFormed() throws {
        let all = Lessons.all
        XCTAssertTrue((8...14).contains(all.count))
        XCTAssertEqual(Set(all.map(\.id)).count, all.count)
        for l in all {
            XCTAssertFalse(l.hints.isEmpty, l.id)
            var code = [l.check] + l.needs.flatMap { [$0.check, $0.make] } + l.steps.map(\.check)
            if let setup = l.setup { code.append(setup) }
            for c in code {
                let text = c.replacingAll("{image}", with: "busybox")
                XCTAssertNoThrow(try Parser.parse(SourceFile(name: l.id, text: text)), "\(l.id): \(text)")
            }
            // The task's code lines (indented by four spaces) parse too.
            let lines = l.task.split(separator: "\n").filter { $0.hasPrefix("    ") }.map { $0.dropFirst(4) }
            XCTAssertFalse(lines.isEmpty, "\(l.id) shows the code to type")
            for line in lines where !line.contains("......") {
                XCTAssertNoThrow(try Parser.parse(SourceFile(name: l.id, text: String(line).replacingAll("{image}", with: "busybox"))), "\(l.id): \(line)")
            }
        }
        let topics = ["values", "commands", "run", "exec", "logs", "health", "cleanup", "pipes"]
        for t in topics { XCTAssertTrue(all.contains { $0.id == t }, "the tutorial covers \(t)") }
    }
}
