// TutorialCommand: the `tutorial [ACTION]` command — start or resume, hint, skip, back, stop,
// reset, lessons — and its help. It needs a TutorialSession, which only the prompt installs
// (`Tutorial.install`): in a script the command says where to run it.
// Must not: hold tutorial state (TutorialSession does).
import DKSLanguage

public enum Tutorial {
    static let key = "tutorial"

    /// Registers the `tutorial` command (every interpreter has it, so `help tutorial` works everywhere).
    public static func register(into r: BuiltinRegistry) {
        r.register(Signature("tutorial", topic: "general",
                             [.arg("action", default: .null, "hint, skip, back, stop, reset or lessons; none starts or resumes")],
                             summary: "At the prompt: a guided tutorial of short lessons, from values and commands to containers (run, inspect, exec, logs, health checks and waits, errors, pipes, cleanup). Each lesson gives a task and checks, after each entry you type, what it did; a wrong try gets a hint. It runs on the engine in use (the local engine when there is no daemon) and remembers where you stopped ($XDG_STATE_HOME/dks/tutorial, else ~/.local/state/dks/tutorial). tutorial hint shows a hint, skip moves on, back goes back, stop leaves (progress kept), reset starts over, lessons lists them.",
                             example: "tutorial\ntutorial hint\ntutorial reset")) { a in
            guard let session = a.interp.hostData[key] as? TutorialSession else {
                throw ScriptError(.valueError, "tutorial runs at the prompt: start dks in a terminal with no arguments, then type tutorial")
            }
            let action = a.isGiven(0) ? try a.string(0) : ""
            switch action {
            case "", "start", "resume": session.start()
            case "hint": session.hint()
            case "skip", "next": session.skip()
            case "back": session.back()
            case "stop", "quit": session.stop()
            case "reset": session.reset()
            case "lessons", "list": session.list()
            default:
                throw ScriptError(.valueError, "tutorial: unknown action '\(action)'; use hint, skip, back, stop, reset or lessons (or nothing, to start)")
            }
            return .null
        }
    }

    /// Gives `interp` a tutorial (the prompt does this); returns it, for the prompt's after-entry hook.
    public static func install(in interp: Interpreter, image: String, progress: TutorialProgress = .current()) -> TutorialSession {
        let session = TutorialSession(interpreter: interp, progress: progress, image: image)
        interp.hostData[key] = session
        return session
    }
}
