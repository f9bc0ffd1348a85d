// Tools: dispatches `dks fmt`, `dks lsp` and `dks kernel` — the editor and notebook tools,
// each in its own target; this file only wires them to the executable's builtins and engine.
// Must not: implement a tool.
import DKSContainers
import DKSLanguage
import DKSLanguageServer

enum Tools {
    static func run(_ name: String, _ args: [String], engine: EngineProvider) -> Int32 {
        switch name {
        case "fmt": return FmtCommand.run(args)
        case "lsp": return languageServer(args, engine: engine)
        case "kernel": return KernelCommand.run(args)
        default:
            writeStderr("dks: unknown tool \(name)\n")
            return ExitStatus.usage
        }
    }

    static let lspUsage = """
    usage: dks lsp [--stdio]

    A Language Server (LSP 3.17) on standard input and output, for editors: diagnostics from the
    parser and the binder, completion, hover (help), go to definition, document symbols, formatting.

    """

    static func languageServer(_ args: [String], engine: EngineProvider) -> Int32 {
        for a in args where a != "--stdio" {
            if a == "--help" || a == "-h" { return printOrFail(lspUsage) }
            writeStderr("dks lsp: unknown argument \(a) (see dks lsp --help)\n")
            return ExitStatus.usage
        }
        // The registry of every command, over an engine that is never connected (nothing runs).
        let interp = makeInterpreter(scriptName: "<lsp>", args: [], engine: engine)
        LanguageServer.version = dksVersion
        let server = LanguageServer(registry: interp.registry) { command, detached in
            if command == "^" { return ["exit_code", "ok", "stdout", "stderr", "output", "exit_codes"] }
            return ResultMembers.names(command: command, detached: detached)
        }
        return server.run()
    }
}
