// RegistryCommands: `login [SERVER] -u USER (--password-stdin | -p PASSWORD)` and
// `logout [SERVER]`, as the docker CLI's: the daemon checks the credentials with the registry,
// and they are stored where the CLI stores them (a credential helper, else config.json), so
// either tool's login serves both. Owns: the CLI's flag rules, messages and warnings.
// Must not: let the password reach a trace line, an error message, an argv or the history
// (the prompt masks `-p` values), or echo it when it is typed.
#if canImport(Glibc)
import Glibc
#endif
import DKSEngine
import DKSLanguage
import DKSSupport

enum RegistryCommands {
    /// The CLI prints its plain-text warning once per process.
    private static var plainTextWarned = false

    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        r.register(Signature("login", topic: "images",
                             [.arg("server", default: .null, "the registry (host[:port]); default Docker Hub"),
                              .option("username", short: "u", "USER", default: nil, "the user name"),
                              .option("password", short: "p", "PASSWORD", default: nil, "the password (insecure: it is on the command line; prefer --password-stdin)"),
                              .flag("password_stdin", "read the password from stdin")],
                             summary: "Logs in to a registry: the engine checks the credentials with it, then they are stored where the docker CLI keeps them (its credential helper when config.json names one — credsStore, credHelpers — else config.json's auths), so 'docker pull' and dks's pull and push both use them. Prints 'Login Succeeded' at statement level; returns that status when the value is used. The password never appears in --trace, errors, history or a helper's command line.",
                             example: "$env.REGISTRY_PASSWORD | login 127.0.0.1:5000 -u ci --password-stdin\nlogin 127.0.0.1:5000 -u ci --password-stdin < ./password.txt")) { a in
            try login(a, ctx)
        }
        r.register(Signature("logout", topic: "images", [.arg("server", default: .null, "the registry (host[:port]); default Docker Hub")],
                             summary: "Removes the stored credentials for a registry, from the same store the docker CLI uses. Prints 'Removing login credentials for SERVER'.",
                             example: "logout 127.0.0.1:5000")) { a in
            try logout(a)
        }
    }

    static func login(_ a: Arguments, _ ctx: ContainerContext) throws -> Value {
        let givenUser = a.isGiven(1) ? try a.string(1) : nil
        let givenPassword = a.isGiven(2) ? try a.string(2) : nil
        let passwordStdin = a.bool(3)
        func usage(_ why: String) -> ScriptError { ScriptError(.valueError, "login: \(why)") }
        if passwordStdin {
            if givenPassword != nil { throw usage("conflicting options: cannot specify both --password and --password-stdin") }
            if givenUser == nil { throw usage("the --password-stdin option requires --username to be set") }
        }
        if let u = givenUser, u.isEmpty { throw usage("username is empty") }
        if let p = givenPassword, p.isEmpty { throw usage("password is empty") }
        if givenPassword != nil {
            try StageIO.note(a.interp, "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n")
        }
        var password = givenPassword ?? ""
        if passwordStdin {
            password = try readInput(a.interp)
            if password.hasSuffix("\n") { password.removeLast() }
            if password.hasSuffix("\r") { password.removeLast() }
        }
        let serverArg = a.isGiven(0) ? try a.string(0) : ""
        let server = serverArg.isEmpty || serverArg == "docker.io" ? RegistryCredentials.indexServer : serverArg
        let isDefault = server == RegistryCredentials.indexServer
        let key = isDefault ? server : RegistryCredentials.convertToHostname(server)

        var username = givenUser ?? ""
        if username.isEmpty || password.isEmpty {
            guard StageIO.stdinIsTerminal(a.interp) else {
                throw usage("give -u USER and --password-stdin (or -p PASSWORD); there is no terminal to ask on")
            }
            try a.interp.flush()
            if username.isEmpty { username = try prompt("Username: ", echo: true, a.interp) }
            if username.isEmpty { throw usage("a user name is required") }
            if password.isEmpty { password = try prompt("Password: ", echo: false, a.interp) }
            if password.isEmpty { throw usage("a password is required") }
        }
        let answer: JSON
        do {
            answer = try ctx.call("login") { try $0.login(username: username, password: password, serverAddress: key) }
        } catch var e as ScriptError {
            // Whatever the daemon said, it must not carry the password on.
            e.message = e.message.replacingAll(password, with: "********")
            throw e
        }
        var auth = AuthConfig(username: username, password: password, serverAddress: key)
        if let token = answer["IdentityToken"]?.stringValue, !token.isEmpty {
            auth.password = ""
            auth.identityToken = token
        }
        let credentials = try RegistryAccess.credentials("login", a.interp)
        let plainText: Bool
        do { plainText = try credentials.store(auth) } catch let e as CredentialStoreError {
            throw ScriptError(.ioError, "login: \(e.description.replacingAll(password, with: "********"))")
        }
        if plainText && !plainTextWarned {
            plainTextWarned = true
            try StageIO.note(a.interp, """

                WARNING! Your credentials are stored unencrypted in '\(credentials.config.path)'.
                Configure a credential helper to remove this warning. See
                https://docs.docker.com/go/credential-store/


                """)
        }
        let status = answer["Status"]?.stringValue ?? "Login Succeeded"
        if a.valueUsed { return .string(status) }
        try a.interp.out.write(bytes: Array((status + "\n").utf8))
        return .null
    }

    static func logout(_ a: Arguments) throws -> Value {
        let serverArg = a.isGiven(0) ? try a.string(0) : ""
        let isDefault = serverArg.isEmpty
        let server = isDefault ? RegistryCredentials.indexServer : serverArg
        let host = isDefault ? server : RegistryCredentials.convertToHostname(server)
        // As the CLI: the address as given, and the spellings older clients stored.
        var keys = [server]
        if !isDefault { keys += [host, "http://" + host, "https://" + host] }
        var seen = Set<String>()
        keys = keys.filter { seen.insert($0).inserted }
        try a.interp.out.write(bytes: Array("Removing login credentials for \(host)\n".utf8))
        var failures: [(String, String)] = []
        for key in keys {
            do { try RegistryAccess.credentials("logout", a.interp).erase(key) } catch let e as CredentialStoreError {
                failures.append((key, e.description))
            }
        }
        if failures.count == keys.count {
            try StageIO.note(a.interp, "WARNING: could not erase credentials:\n" + failures.map { "\($0.0): \($0.1)\n" }.joined())
        }
        return .null
    }

    /// All of the command's stdin, as text (the password for --password-stdin).
    static func readInput(_ interp: Interpreter) throws -> String {
        let next = StageIO.reader(interp, command: "login")
        var out: [UInt8] = []
        while let piece = try next() {
            out += piece
            if out.count > 1 << 20 { throw ScriptError(.valueError, "login: stdin holds more than a password") }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Asks on the terminal (the command's stdin and stderr), without echo for a password.
    static func prompt(_ text: String, echo: Bool, _ interp: Interpreter) throws -> String {
        let input = interp.inFD
        try StageIO.note(interp, text)
        var saved = termios()
        let hasTerm = tcgetattr(input, &saved) == 0
        if !echo && hasTerm {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(input, TCSANOW, &quiet)
        }
        defer {
            if !echo && hasTerm {
                _ = tcsetattr(input, TCSANOW, &saved)
                _ = writeAll(interp.errFD, [10])
            }
        }
        var line: [UInt8] = []
        var c: UInt8 = 0
        while true {
            if Interruption.isRequested { throw ScriptError.interrupted() }
            let n = read(input, &c, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 || c == 10 { break }
            line.append(c)
        }
        var s = String(decoding: line, as: UTF8.self)
        if s.hasSuffix("\r") { s.removeLast() }
        return s.trimmingSpaces()
    }
}
