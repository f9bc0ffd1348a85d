// ShellBuiltins: the entry point of the shell layer — installs the pipeline runner (host
// programs, pipes, redirection) and the builtins that go with them: `cd`, `pwd`, `glob`,
// `which`, `input`, `input_lines` (spec §10).
// Must not: know about containers (container stages plug in through the language's stage I/O).
import DKSHost
import DKSLanguage
import DKSSupport
import Glibc

public enum ShellBuiltins {
    /// Installs the runner and registers the shell builtins into `registry`.
    public static func register(into r: BuiltinRegistry) {
        r.pipelineRunner = ShellRunner()
        ShellHelp.register(r)
        r.register(Signature("cd", topic: "shell", [.arg("dir", default: .null, "the new working directory (default: $env.HOME; - for the previous one)")],
                             summary: "Changes dks's working directory: later host programs, relative paths (read_file, cp, redirections) and the local engine's relative folders use it. $env.PWD and $env.OLDPWD follow. The directory is the whole process's, so a change inside parallel or a pipeline stage is seen everywhere.",
                             example: "cd build\n^make\ncd -")) { a in
            var target: String
            if a.isGiven(0) {
                target = try a.string(0)
                if target == "-" {
                    guard let old = HostEnvironment.lookup("OLDPWD", a.interp) else {
                        throw ScriptError(.valueError, "cd -: there is no previous directory yet ($env.OLDPWD is not set)")
                    }
                    target = old
                }
            } else {
                guard let home = HostEnvironment.lookup("HOME", a.interp) else {
                    throw ScriptError(.valueError, "cd: no directory given and $env.HOME is not set")
                }
                target = home
            }
            let before = currentDirectory()
            guard chdir(target) == 0 else {
                throw ScriptError(.ioError, "cd: cannot change to \(target): \(lastErrorText())")
            }
            setEnv(a.interp, "OLDPWD", before)
            setEnv(a.interp, "PWD", currentDirectory())
            return .null
        }
        r.register(Signature("pwd", topic: "shell", [],
                             summary: "dks's working directory (what cd changed), as an absolute path.",
                             example: "echo (pwd())")) { _ in .string(currentDirectory()) }
        r.register(Signature("glob", topic: "shell", [.arg("pattern")],
                             summary: "The paths matching PATTERN, sorted: * and ? match within a name, [abc] one of the characters, ** any number of folders. Names starting with . match only a pattern that starts with . too. No match gives []. dks never expands patterns by itself: ^ls *.txt passes *.txt as it is.",
                             example: "for $f in glob(\"src/**/*.swift\") { echo $f }\n^wc -l (glob(\"*.txt\"))")) { a in
            .list(Glob.matches(try a.string(0)).map { .string($0) })
        }
        r.register(Signature("which", topic: "shell", [.arg("name")],
                             summary: "The path of the program NAME on $env.PATH, or null when there is none (or it cannot run).",
                             example: "if which(\"jq\") == null { echo \"please install jq\" }")) { a in
            let name = try a.string(0)
            if case .found(let path) = ProgramLookup.locate(name, path: HostEnvironment.lookup("PATH", a.interp)) { return .string(path) }
            return .null
        }
        r.register(Signature("input", topic: "shell", [],
                             summary: "All of stdin as a string: in a pipeline stage, what the stage before it wrote; otherwise dks's own stdin (or a < file). Waits for the end of input.",
                             example: "fn shout() { echo (upper(input())) }\n^echo hi | shout   # HI")) { a in
            let reader = FDLineReader(fd: a.interp.inFD, pending: a.interp.inputBuffer)
            a.interp.inputBuffer = []
            let bytes = try reader.rest()
            return .string(String(decoding: bytes, as: UTF8.self))
        }
        r.register(Signature("input_lines", topic: "shell", [],
                             summary: "The lines of stdin (without their newlines). Iterated with for, each line comes as it arrives; used as a value, the whole input as a list.",
                             example: "fn count() { $n = 0; for $l in input_lines() { $n += 1 }; echo $n }\n^seq 5 | count   # 5")) { a in
            if a.usage == .iterated { return .object(InputLineStream(interp: a.interp)) }
            let reader = FDLineReader(fd: a.interp.inFD, pending: a.interp.inputBuffer)
            a.interp.inputBuffer = []
            var out: [Value] = []
            var total = 0
            while let line = try reader.next() {
                total += line.utf8.count + 1
                if CaptureLimit.exceeded(total) {
                    throw ScriptError(.captureLimitError, CaptureLimit.message("the input read by input_lines()") + "; iterate it with for instead")
                }
                out.append(.string(line))
            }
            return .list(out)
        }
    }

    static func currentDirectory() -> String {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buf, buf.count) != nil else { return "." }
        return String(cString: buf)
    }

    /// Sets a name in `$env` (when it is a map).
    static func setEnv(_ interp: Interpreter, _ name: String, _ value: String) {
        guard var m = HostEnvironment.map(interp) else { return }
        m[.string(name)] = .string(value)
        interp.globals.set("env", .map(m))
    }
}
