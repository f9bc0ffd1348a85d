// KernelCommand: `dks kernel` — installs the Jupyter kernel spec (`--install [--user] [--prefix P]`)
// or runs the kernel Jupyter starts (`-f CONNECTION_FILE`), with the session's interpreter,
// engine and the containers layer's presentation plugged in.
// Must not: implement the kernel (DKSKernel does).
#if canImport(Glibc)
import Glibc
#endif
import DKSContainers
import DKSKernel
import DKSLanguage
import DKSSession
import DKSSupport

enum KernelCommand {
    static let usage = """
    usage: dks kernel --install [--user | --prefix DIR] [--name NAME] [--engine KIND] [--host URL]
           dks kernel -f CONNECTION_FILE [--engine KIND] [--host URL]

    A Jupyter kernel: one dks session per notebook. --install writes the kernel spec
    (kernel.json) for Jupyter: for all users (/usr/local/share/jupyter/kernels/dks), with --user for
    you (~/.local/share/jupyter/kernels/dks), or under --prefix (a virtual environment's prefix).
    --engine and --host are recorded in the spec. Jupyter then starts dks kernel -f FILE itself.
    The kernel needs the ZeroMQ library (Debian: apt-get install libzmq5).

    """

    static func run(_ argv: [String]) -> Int32 {
        var install = false, user = false
        var prefix: String?, name = "dks", connection: String?, engine: String?, host: String?
        var i = 0
        func value(_ flag: String) -> String? {
            i += 1
            guard i < argv.count else { writeStderr("dks kernel: \(flag) needs a value\n"); return nil }
            return argv[i]
        }
        while i < argv.count {
            switch argv[i] {
            case "--install": install = true
            case "--user": user = true
            case "--prefix": guard let v = value("--prefix") else { return ExitStatus.usage }; prefix = v
            case "--name": guard let v = value("--name") else { return ExitStatus.usage }; name = v
            case "-f", "--connection-file": guard let v = value("-f") else { return ExitStatus.usage }; connection = v
            case "--engine":
                guard let v = value("--engine") else { return ExitStatus.usage }
                guard CommandLineOptions.engineKinds.contains(v) else {
                    writeStderr("dks kernel: --engine must be auto, docker or local, not '\(v)'\n")
                    return ExitStatus.usage
                }
                engine = v
            case "--host": guard let v = value("--host") else { return ExitStatus.usage }; host = v
            case "--help", "-h": return printOrFail(usage)
            default:
                writeStderr("dks kernel: unknown argument \(argv[i]) (see dks kernel --help)\n")
                return ExitStatus.usage
            }
            i += 1
        }
        var passOn: [String] = []
        if let engine { passOn += ["--engine", engine] }
        if let host { passOn += ["--host", host] }
        if install {
            guard !name.isEmpty, !name.contains("/") else {
                writeStderr("dks kernel: --name must be a plain name\n")
                return ExitStatus.usage
            }
            do {
                let dir = try KernelInstall.install(dksPath: executablePath(), arguments: passOn, user: user, prefix: prefix, name: name)
                return printOrFail("installed the dks kernel spec in \(dir)\n")
            } catch {
                writeStderr("dks kernel: \(error)\n")
                return ExitStatus.runtimeError
            }
        }
        guard let connection else {
            writeStderr("dks kernel: give --install, or -f CONNECTION_FILE (Jupyter passes it)\n")
            return ExitStatus.usage
        }
        let env = Dictionary(environmentPairs(), uniquingKeysWith: { first, _ in first })
        let provider = EngineSetup.makeProvider(engine: engine, host: host, trace: false, environment: env)
        let interp = makeInterpreter(scriptName: "<notebook>", args: [], engine: provider)
        // Ctrl-C in the notebook (SIGINT) stops the running command, as at the prompt: never the kernel.
        setHandler(SIGINT) { _ in Interruption.request() }
        do {
            let kernel = try JupyterKernel(connectionFile: connection, interpreter: interp, presenter: ContainerKernelPresenter(),
                                           engineNames: ContainerEngineNames(engine: { provider.existing }), version: dksVersion)
            return kernel.run()
        } catch {
            writeStderr("dks kernel: \(error)\n")
            return ExitStatus.runtimeError
        }
    }

    /// The absolute path of the running dks (what kernel.json must start).
    static func executablePath() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        if n > 0 { return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return CommandLine.arguments.first ?? "dks"
    }
}

/// Containers, `ps`, `images` and volumes as the containers layer presents them.
struct ContainerKernelPresenter: KernelPresenter {
    func text(for value: Value) -> String? { QueryPresentation.present(value) }
    func table(for value: Value) -> (header: [String], rows: [[String]])? { QueryPresentation.table(value) }
}
