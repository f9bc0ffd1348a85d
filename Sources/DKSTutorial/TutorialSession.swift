// TutorialSession: runs the lessons at the prompt — shows a lesson, checks the learner's work
// after each entry by its effect (the lesson's check, run in the learner's own session), gives
// a hint after a wrong try, moves on when it passes, and keeps the progress on disk.
// Owns: the state machine of the tutorial. Must not: know about engines (checks are dks code,
// so they run on whichever engine the session uses) or read the terminal (the prompt does).
import DKSLanguage
import DKSSupport

public final class TutorialSession {
    /// Unowned: the interpreter owns this session (in its `hostData`), so a strong reference back
    /// would be a cycle that keeps both alive forever; the prompt holds both for the session.
    unowned let interp: Interpreter
    let lessons: [Lesson]
    let progress: TutorialProgress
    /// The image the lessons' commands use (`{image}`).
    public let image: String
    /// Whether the tutorial is running in this session (`tutorial` starts it, `tutorial stop` ends it).
    public private(set) var active = false
    /// The lesson being done, 0-based; `lessons.count` once all are done.
    public private(set) var current = 0
    /// Wrong tries at the current lesson.
    var wrongTries = 0
    /// The steps of the current lesson already said.
    var stepsSaid: Set<Int> = []

    public init(interpreter: Interpreter, lessons: [Lesson] = Lessons.all, progress: TutorialProgress, image: String) {
        self.interp = interpreter
        self.lessons = lessons
        self.progress = progress
        self.image = image
    }

    // MARK: Commands (`tutorial ACTION`)

    /// `tutorial`: starts, or resumes where the learner stopped (also in an earlier session).
    public func start() {
        current = min(progress.load(), lessons.count)
        active = true
        if current >= lessons.count {
            say("""
                You have finished the tutorial (all \(lessons.count) lessons). tutorial reset starts it over;
                tutorial lessons lists them.
                """)
            active = false
            return
        }
        if current == 0 {
            say("""
                Welcome to dks. \(lessons.count) short lessons, from values to containers to cleanup. Each one
                gives you a task; type at the prompt as usual, and after each entry I check what it did.
                tutorial hint helps, tutorial skip moves on, tutorial stop leaves (your progress is
                kept: tutorial comes back to it), tutorial reset starts over.
                """)
        } else {
            say("Welcome back: lesson \(current + 1) of \(lessons.count). (tutorial reset starts over.)")
        }
        enter()
    }

    /// `tutorial stop`: leaves the tutorial; the progress stays.
    public func stop() {
        guard active else { say("The tutorial is not running; tutorial starts it."); return }
        active = false
        say("Tutorial stopped at lesson \(current + 1) of \(lessons.count); tutorial resumes it.")
    }

    /// `tutorial reset`: forgets the progress and starts from the first lesson.
    public func reset() {
        progress.save(0)
        current = 0
        say("Progress cleared.")
        active = false
        start()
    }

    /// `tutorial skip`: moves on without doing the task.
    public func skip() {
        guard active else { say("The tutorial is not running; tutorial starts it."); return }
        say("Skipped lesson \(current + 1).")
        advance()
    }

    /// `tutorial back`: the lesson before.
    public func back() {
        guard active else { say("The tutorial is not running; tutorial starts it."); return }
        current = max(0, current - 1)
        progress.save(current)
        enter()
    }

    /// `tutorial hint`: the next hint now.
    public func hint() {
        guard active, current < lessons.count else { say("The tutorial is not running; tutorial starts it."); return }
        wrongTries += 1
        say("hint: " + hintText())
    }

    /// `tutorial lessons`: the list, with a mark on the current one.
    public func list() {
        var text = ""
        for (i, l) in lessons.enumerated() {
            let mark = i < progress.load() ? "done" : (i == current && active ? "  ->" : "    ")
            let number = "\(i + 1)."
            text += "\(mark)  \(number)\(String(repeating: " ", count: max(1, 4 - number.count)))\(l.title)\n"
        }
        say(text + "(tutorial starts or resumes; tutorial reset starts over)")
    }

    // MARK: After every entry at the prompt

    /// Checks the current lesson after the learner's entry. `error`: what the entry raised.
    public func afterEntry(_ entry: String, error: Error?) {
        guard active, current < lessons.count else { return }
        let word = entry.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.map(String.init) ?? ""
        // Asking for help or steering the tutorial is not an attempt.
        if word == "tutorial" || word == "help" { return }
        interp.globals.set("_tutorial_entry", .string(entry))
        let lesson = lessons[current]
        if passes(lesson.check) {
            say("✓ " + fill(lesson.done))
            advance()
            return
        }
        // A step done is progress: said the first time, and no reason for a hint while it holds.
        let holding = error == nil ? lesson.steps.indices.filter { passes(lesson.steps[$0].check) } : []
        if let k = holding.first(where: { !stepsSaid.contains($0) }) {
            stepsSaid.insert(k)
            say("✓ " + fill(lesson.steps[k].say))
            return
        }
        if !holding.isEmpty { return }
        wrongTries += 1
        let prefix = error == nil ? "Not yet" : "That raised an error"
        say("✗ \(prefix): \(hintText())")
    }

    // MARK: Inside

    func hintText() -> String {
        let hints = lessons[current].hints
        guard !hints.isEmpty else { return "read the task again" }
        return fill(hints[min(max(wrongTries, 1), hints.count) - 1])
    }

    func advance() {
        current += 1
        wrongTries = 0
        stepsSaid = []
        progress.save(current)
        if current >= lessons.count {
            active = false
            say("""
                That was the last lesson: you ran a container, looked at it, exec'd into it, read
                its logs, waited for it to be healthy, caught an error, piped it into a host program
                and cleaned up. Next: help (every command, and the syntax: help if, help pipes),
                examples/ and docs/ in the dks repository. tutorial reset starts over.
                """)
            return
        }
        enter()
    }

    /// Shows the current lesson, after making what it needs.
    func enter() {
        wrongTries = 0
        stepsSaid = []
        let lesson = lessons[current]
        var notes: [String] = []
        for need in lesson.needs where !passes(need.check) {
            if run(need.make) { notes.append(fill(need.note)) }
        }
        if let setup = lesson.setup { _ = run(setup) }
        var text = "\n── Lesson \(current + 1) of \(lessons.count): \(lesson.title) "
        text += String(repeating: "─", count: max(3, 72 - text.count)) + "\n"
        text += fill(lesson.text) + "\n"
        for n in notes { text += "(\(n).)\n" }
        text += "\nYour task: " + fill(lesson.task)
        say(text)
    }

    /// Whether a check (a dks expression) is truthy in the learner's session; any error is "no".
    func passes(_ check: String) -> Bool {
        guard let value = evaluate(fill(check)) else { return false }
        return value.isTruthy
    }

    func evaluate(_ code: String) -> Value? {
        interp.pushCapture()
        defer { _ = interp.popCapture() }
        let saved = interp.recordsValues
        interp.recordsValues = true
        defer { interp.recordsValues = saved }
        return (try? interp.run(SourceFile(name: "<tutorial>", text: code))) ?? nil
    }

    /// Runs lesson code in the learner's session; false (after saying why) when it failed.
    @discardableResult
    func run(_ code: String) -> Bool {
        do {
            try interp.run(SourceFile(name: "<tutorial>", text: fill(code)))
            return true
        } catch let e as ScriptError {
            say("(The lesson could not prepare itself: \(e.message). tutorial skip moves on.)")
        } catch {
            say("(The lesson could not prepare itself: \(error). tutorial skip moves on.)")
        }
        return false
    }

    func fill(_ text: String) -> String { text.replacingAll("{image}", with: image) }

    func say(_ text: String) {
        try? interp.flush()
        let t = text.hasSuffix("\n") ? text : text + "\n"
        try? interp.stdout.write(t)
        try? interp.flush()
    }
}
