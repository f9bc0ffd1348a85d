// PromptMode: starts the interactive prompt when stdin is a terminal — connects the engine for
// the banner, plugs engine names and object presentation into the prompt's hooks, and sets the
// prompt's SIGINT behaviour. Must not: implement the prompt (DKSPrompt does) or choose the engine
// (EngineSetup does).
#if canImport(Glibc)
import Glibc
#endif
import DKSContainers
import DKSLanguage
import DKSLocal
import DKSPrompt
import DKSSession
import DKSSupport
import DKSTutorial

enum PromptMode {
    /// The hooks the prompt runs with, for `engine` (created here so the banner can name it).
    static func hooks(engine provider: EngineProvider, interp: Interpreter) -> PromptHooks {
        var hooks = PromptHooks(version: dksVersion)
        EngineSetup.quietFallback = true
        hooks.engineDescription = describeEngine(provider)
        if provider.existing is LocalEngine {
            // A workshop must not be surprised by `touch /tmp/x` touching the host: say it twice.
            hooks.promptLabel = "local"
            hooks.engineWarning = """
                The local engine runs containers as plain processes on this machine: no isolation.
                They see your files, network and processes (help engine); the prompt shows [local].
                """
        }
        // Names come from the engine the prompt's commands use now (`use-engine` switches it).
        hooks.engineNames = ContainerEngineNames(engine: ContainerBuiltins.currentEngineIfMade(interp))
        hooks.presenter = ContainerPresenter()
        return hooks
    }

    /// `engine: docker 27.1.1 at unix:///var/run/docker.sock`, or why there is none.
    static func describeEngine(_ provider: EngineProvider) -> String {
        do {
            let info = try provider.engine().info()
            var text = "engine: \(info.kind)"
            if info.kind != "local" { text += " \(info.version) at \(info.host)" }
            if info.kind == "local", let reason = EngineSetup.fallbackReason {
                text += " (\(reason))"
            } else if let note = info.note {
                text += " (\(note))"
            }
            return text
        } catch {
            // The prompt still works for everything but containers; commands retry the engine.
            return "engine: not available (\(error))"
        }
    }

    /// Runs the interactive session; returns the exit status.
    static func run(_ interp: Interpreter, engine: EngineProvider) -> Int32 {
        // At the prompt Ctrl-C only interrupts the running statement: unlike batch mode a
        // second press must not kill the session. (While a line is being edited, libedit
        // receives Ctrl-C as a key and clears the line.)
        // SIGTERM and SIGHUP (the terminal closed) keep the batch handlers: they end the session
        // once the running statement stopped and the top-level defers ran (PromptSession checks).
        setHandler(SIGINT) { _ in Interruption.request() }
        var h = hooks(engine: engine, interp: interp)
        // The lessons' image: busybox, unless DKS_TUTORIAL_IMAGE names another (the tests' own).
        let image = getenv("DKS_TUTORIAL_IMAGE").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "busybox"
        let tutorial = Tutorial.install(in: interp, image: image)
        h.afterEntry = { entry, error in tutorial.afterEntry(entry, error: error) }
        return PromptSession(interpreter: interp, hooks: h).run()
    }
}

/// The prompt's echo for engine objects: the containers layer's presentation (tables for `ps`,
/// `images`, `volume ls`; a container's summary line), the same that those commands print at
/// statement level.
struct ContainerPresenter: ValuePresenter {
    func present(_ value: Value) -> String? { QueryPresentation.present(value) }
}
