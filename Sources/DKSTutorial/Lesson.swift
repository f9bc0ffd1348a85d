// Lesson: what one lesson of the tutorial is — text, a task, a check of its effect written in
// dks, hints for wrong tries, and what the lesson needs from earlier ones.
// Owns: the shape of a lesson. Must not: run anything (TutorialSession does).

/// One lesson. Every piece of dks code in it may use `{image}`, the image the lessons run
/// (busybox, or `DKS_TUTORIAL_IMAGE`).
public struct Lesson: Sendable {
    /// Short and unique, for progress and tests (`values`, `exec`).
    public let id: String
    public let title: String
    /// What the lesson teaches, a few sentences.
    public let text: String
    /// What to do, with the code to type indented by four spaces.
    public let task: String
    /// A dks expression over the session's variables: truthy once the task is done. Judged by
    /// effect (a variable set, a container running, a file inside a container), never by
    /// what was typed. An error (an undefined variable) counts as not done.
    public let check: String
    /// Shown after wrong tries, in order (the last one again after that): the last gives the answer.
    public let hints: [String]
    /// Said when the check passes.
    public let done: String
    /// What the lesson needs from earlier ones; re-created when missing (after a resume).
    public let needs: [Need]
    /// Runs each time the lesson starts (after `needs`), e.g. a container to look at.
    public let setup: String?
    /// The steps of a task of several lines: an entry that completes one is progress, not a wrong
    /// try (each is said once).
    public let steps: [Step]

    public init(id: String, title: String, text: String, task: String, check: String, hints: [String], done: String,
                needs: [Need] = [], setup: String? = nil, steps: [Step] = []) {
        self.id = id
        self.title = title
        self.text = text
        self.task = task
        self.check = check
        self.hints = hints
        self.done = done
        self.needs = needs
        self.setup = setup
        self.steps = steps
    }
}

/// A step of a task: `check` (a dks expression; `$_tutorial_entry` holds the entry just typed)
/// and what to `say` when it first passes.
public struct Step: Sendable {
    public let check: String
    public let say: String

    public init(check: String, say: String) {
        self.check = check
        self.say = say
    }
}

/// Something a lesson relies on: when `check` (a dks expression) is not truthy, `make` (dks
/// code) runs and `note` tells the learner what was done for them.
public struct Need: Sendable {
    public let check: String
    public let make: String
    public let note: String

    public init(check: String, make: String, note: String) {
        self.check = check
        self.make = make
        self.note = note
    }
}
