// main: wires the layers — reads the command line, builds the interpreter with its builtins,
// and runs a script, `-c` code, stdin, or `--check`. Must not: implement language features.
#if canImport(Glibc)
import Glibc
#endif
import DKSLanguage
import DKSBuiltins
import DKSContainers
import DKSShell
import DKSSupport
import DKSTutorial

let dksVersion = "0.1.0"

func makeInterpreter(scriptName: String, args: [String], engine: EngineProvider,
                     environment: [(String, String)] = environmentPairs()) -> Interpreter {
    let registry = BuiltinRegistry()
    GeneralBuiltins.register(into: registry)
    ContainerBuiltins.register(into: registry, engine: engine, connector: EngineSetup.connector, tracer: EngineSetup.tracer)
    ShellBuiltins.register(into: registry)
    Tutorial.register(into: registry)
    let interp = Interpreter(registry: registry, scriptName: scriptName)
    interp.globals.set("args", .list(args.map { .string($0) }))
    var env = MapStorage()
    for (k, v) in environment { env[.string(k)] = .string(v) }
    interp.globals.set("env", .map(env))
    return interp
}

func mainStatus() -> Int32 {
    let options: CommandLineOptions
    do { options = try CommandLineOptions.parse(Array(CommandLine.arguments.dropFirst())) } catch let e as CommandLineOptions.UsageError {
        writeStderr("dks: \(e.message)\n")
        return ExitStatus.usage
    } catch {
        return ExitStatus.usage
    }
    if let warning = CaptureLimit.warning { writeStderr(warning + "\n") }
    switch options.mode {
    case .version: return printOrFail("dks \(dksVersion)\n")
    case .help: return printOrFail(CommandLineOptions.usage)
    default: break
    }
    // The engine is chosen now but created on the first container command.
    let environment = environmentPairs()
    let engine = EngineSetup.makeProvider(engine: options.engine, host: options.host, trace: options.trace,
                                          environment: Dictionary(environment, uniquingKeysWith: { first, _ in first }))
    switch options.mode {
    case .version, .help:
        return ExitStatus.ok // answered above, before the environment is read
    case .check(let files):
        return Runner.check(files)
    case .dump(let path):
        return Runner.dump(path, interp: makeInterpreter(scriptName: path, args: [], engine: engine, environment: environment))
    case .tool(let name, let args):
        return Tools.run(name, args, engine: engine)
    case .code(let code):
        let interp = makeInterpreter(scriptName: "<command>", args: options.scriptArgs, engine: engine, environment: environment)
        return Runner.run(SourceFile(name: "<command>", text: code), interp: interp)
    case .script(let path):
        guard let text = readWholeFile(path) else {
            writeStderr("dks: cannot read \(path): \(lastErrorText())\n")
            return ExitStatus.usage
        }
        let interp = makeInterpreter(scriptName: path, args: options.scriptArgs, engine: engine, environment: environment)
        return Runner.run(SourceFile(name: path, text: text), interp: interp)
    case .prompt:
        if stdinIsTerminal() {
            return PromptMode.run(makeInterpreter(scriptName: "<prompt>", args: options.scriptArgs, engine: engine, environment: environment),
                                  engine: engine)
        }
        let interp = makeInterpreter(scriptName: "<stdin>", args: options.scriptArgs, engine: engine, environment: environment)
        return Runner.run(SourceFile(name: "<stdin>", text: readStdin()), interp: interp)
    }
}

/// Writes `text` to stdout: 0, or the status of a failed write (141 for a broken pipe, quietly;
/// else 1 with the reason), as a script's output would.
func printOrFail(_ text: String) -> Int32 {
    let code = writeAllError(1, Array(text.utf8))
    if code == 0 { return ExitStatus.ok }
    if code == EPIPE { return ExitStatus.brokenPipe }
    writeStderr("dks: cannot write to stdout: \(String(cString: strerror(code)))\n")
    return ExitStatus.runtimeError
}

guardStandardDescriptors()
installSignalHandlers()
// The interpreter runs on a thread with a large stack so deep (bounded) recursion never overflows.
var status: Int32 = ExitStatus.runtimeError
if let t = JoinableThread.start(stackSize: 1 << 30, { status = mainStatus() }) {
    t.join()
} else {
    status = mainStatus()
}
// Local containers are stopped and reaped, whatever way the script ended (errors and SIGINT unwind to here).
EngineSetup.shutdown()
exit(status)
