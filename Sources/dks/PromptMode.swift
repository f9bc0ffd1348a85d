// PromptMode: starts the interactive prompt when stdin is a terminal — configures the prompt's
// hooks (version, engine banner) and the prompt's SIGINT behaviour. Must not: implement the
// prompt (DKSPrompt does) or choose the engine.
#if canImport(Glibc)
import Glibc
#endif
import DKSLanguage
import DKSPrompt
import DKSSupport

enum PromptMode {
    /// The hooks the prompt runs with. The engine wiring fills `engineDescription`,
    /// `engineNames` and `presenter` here once the containers layer provides them.
    static func hooks() -> PromptHooks {
        PromptHooks(version: dksVersion)
    }

    /// Runs the interactive session; returns the exit status.
    static func run(_ interp: Interpreter) -> Int32 {
        // At the prompt Ctrl-C only interrupts the running statement: unlike batch mode a
        // second press must not kill the session. (While a line is being edited, libedit
        // receives Ctrl-C as a key and clears the line.)
        signal(SIGINT) { _ in Interruption.request() }
        return PromptSession(interpreter: interp, hooks: hooks()).run()
    }
}
