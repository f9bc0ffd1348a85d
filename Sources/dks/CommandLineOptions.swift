// CommandLineOptions: parses dks's own command line (spec section 2). Everything after the
// script path (or after `-c CODE`) belongs to the script as `$args`.
// Must not: run anything.

struct CommandLineOptions {
    enum Mode {
        case prompt          // no script: a prompt on a terminal, else the program on stdin
        case script(String)  // dks FILE.dks
        case code(String)    // dks -c CODE
        case check([String]) // dks --check FILE...
        case dump(String)    // dks --dump FILE: the compiled form
        case tool(String, [String]) // dks fmt|lsp|kernel ARGS...: the editor and notebook tools
        case version
        case help
    }
    var mode: Mode = .prompt
    var scriptArgs: [String] = []
    var engine: String?
    var host: String?
    var trace = false

    struct UsageError: Error { let message: String }

    static let usage = """
    usage: dks [options] [FILE.dks [ARG...]]
           dks [options] -c CODE [ARG...]
           dks --check FILE...
           dks --dump FILE
           dks fmt [--check] [FILE...]     format scripts (see dks fmt --help)
           dks lsp                         a Language Server on stdin/stdout, for editors
           dks kernel --install [--user]   install the Jupyter kernel (see dks kernel --help)

    dks is a container scripting shell. With no FILE it opens a prompt on a terminal,
    or runs the program read from standard input.

    options:
      -c CODE            run CODE; following arguments become $args
      --check FILE...    parse only and report every syntax error (exit 0 or 2)
      --dump FILE        compile without running and print the compiled form: one line
                         per node, with the path chosen (slot, global, int fast path, ...)
      --engine KIND      auto, docker or local (default auto; env DKS_ENGINE)
      --host URL         unix:///path or tcp://host:port (overrides DOCKER_HOST)
      --trace            print each engine call to stderr: method, path, status, ms
      --version          print the version
      --help             print this help

    """

    /// The engines `--engine` accepts.
    static let engineKinds = ["auto", "docker", "local"]

    /// `--engine KIND` and `--engine=KIND` alike: a kind it does not know is a usage error naming the option.
    static func engineKind(_ kind: String) throws -> String {
        guard engineKinds.contains(kind) else {
            throw UsageError(message: "--engine must be auto, docker or local, not '\(kind)'")
        }
        return kind
    }

    /// The tools named by dks's first argument (a script with such a name runs as `dks ./fmt`).
    static let tools = ["fmt", "lsp", "kernel"]

    static func parse(_ argv: [String]) throws -> CommandLineOptions {
        var o = CommandLineOptions()
        if let first = argv.first, tools.contains(first) {
            o.mode = .tool(first, Array(argv.dropFirst()))
            return o
        }
        var i = 0
        func value(_ flag: String) throws -> String {
            i += 1
            guard i < argv.count else { throw UsageError(message: "\(flag) needs a value") }
            return argv[i]
        }
        while i < argv.count {
            let a = argv[i]
            switch a {
            case "-c":
                o.mode = .code(try value("-c"))
                o.scriptArgs = Array(argv[(i + 1)...])
                return o
            case "--check":
                let files = Array(argv[(i + 1)...])
                if files.isEmpty { throw UsageError(message: "--check needs at least one file") }
                o.mode = .check(files)
                return o
            case "--dump":
                o.mode = .dump(try value(a))
                return o
            case "--engine":
                o.engine = try engineKind(try value(a))
            case "--host": o.host = try value(a)
            case "--trace": o.trace = true
            case "--version", "-V": o.mode = .version; return o
            case "--help", "-h": o.mode = .help; return o
            case "--":
                if i + 1 < argv.count {
                    o.mode = .script(argv[i + 1])
                    o.scriptArgs = Array(argv[(i + 2)...])
                }
                return o
            default:
                if a.hasPrefix("--engine=") { o.engine = try engineKind(String(a.dropFirst(9))); i += 1; continue }
                if a.hasPrefix("--host=") { o.host = String(a.dropFirst(7)); i += 1; continue }
                if a.hasPrefix("-") && a != "-" { throw UsageError(message: "unknown option \(a) (see dks --help)") }
                o.mode = .script(a)
                o.scriptArgs = Array(argv[(i + 1)...])
                return o
            }
            i += 1
        }
        return o
    }
}
