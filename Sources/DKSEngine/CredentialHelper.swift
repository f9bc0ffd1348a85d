// CredentialHelper: runs the docker CLI's credential helpers, `docker-credential-NAME ACTION`,
// as the CLI does (docker-credential-helpers' client): the program found on the PATH of the
// environment given and started from an argv (never a shell) in that environment by the host
// layer (DKSHost), the request on its stdin (a server URL, or JSON for
// `store`), the answer read from its stdout. Owns: the protocol (get, store, erase, list), its
// "credentials not found" answer, and its error messages. Must not: put a secret in an argv, an
// error message or a log, or leave a helper running (an interrupt kills it).
#if canImport(Glibc)
import Glibc
#endif
import DKSHost
import DKSSupport

/// A credential helper failed (or could not be run); the message never contains a secret.
public struct CredentialHelperError: Error, CustomStringConvertible {
    public let description: String
}

/// The docker-credential-helpers protocol.
public enum CredentialHelper {
    /// The program for `credsStore`/`credHelpers` value `name`.
    public static func program(_ name: String) -> String { "docker-credential-" + name }

    /// What a helper answers when it holds nothing for a server.
    static let notFoundMessage = "credentials not found in native keychain"

    /// `get`: (username, secret), or nil when the helper holds nothing for `serverURL`.
    public static func get(_ helper: String, serverURL: String, environment: [String: String]) throws -> (username: String, secret: String)? {
        let (status, out) = try run(helper, "get", input: Array(serverURL.utf8), environment: environment)
        let text = trimmed(out)
        if status != 0 {
            if text.contains(notFoundMessage) { return nil }
            throw CredentialHelperError(description: "error getting credentials - err: \(exitText(status)), out: `\(text)`")
        }
        guard let json = try? JSON.parse(out), let username = json["Username"]?.stringValue,
              let secret = json["Secret"]?.stringValue else {
            throw CredentialHelperError(description: "error getting credentials - \(program(helper)) answered something that is not credentials")
        }
        return (username, secret)
    }

    /// `store`: the secret goes on the helper's stdin only.
    public static func store(_ helper: String, serverURL: String, username: String, secret: String, environment: [String: String]) throws {
        let body = JSON.object([("ServerURL", .string(serverURL)), ("Username", .string(username)), ("Secret", .string(secret))])
        let (status, out) = try run(helper, "store", input: Array(body.encoded().utf8), environment: environment)
        if status != 0 {
            throw CredentialHelperError(description: "error storing credentials - err: \(exitText(status)), out: `\(redacted(trimmed(out), secret))`")
        }
    }

    /// `erase`.
    public static func erase(_ helper: String, serverURL: String, environment: [String: String]) throws {
        let (status, out) = try run(helper, "erase", input: Array(serverURL.utf8), environment: environment)
        if status != 0 {
            throw CredentialHelperError(description: "error erasing credentials - err: \(exitText(status)), out: `\(trimmed(out))`")
        }
    }

    /// `list`: server URL → username.
    public static func list(_ helper: String, environment: [String: String]) throws -> [(String, String)] {
        let (status, out) = try run(helper, "list", input: [], environment: environment)
        if status != 0 {
            throw CredentialHelperError(description: "error listing credentials - err: \(exitText(status)), out: `\(trimmed(out))`")
        }
        guard let json = try? JSON.parse(out), let entries = json.objectValue else {
            throw CredentialHelperError(description: "error listing credentials - \(program(helper)) answered something that is not a list")
        }
        return entries.map { ($0.0, $0.1.stringValue ?? "") }
    }

    /// The executable `name` on the environment's PATH (as exec.LookPath).
    static func lookPath(_ name: String, _ environment: [String: String]) -> String? {
        if case .found(let path) = ProgramLookup.locate(name, path: environment["PATH"]) { return path }
        return nil
    }

    static func trimmed(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: " \t\r\n")
    }

    static func redacted(_ text: String, _ secret: String) -> String {
        secret.isEmpty ? text : text.replacingAll(secret, with: "********")
    }

    static func exitText(_ status: Int32) -> String {
        status >= 128 ? "signal: \(status - 128)" : "exit status \(status)"
    }

    /// Runs `docker-credential-HELPER ACTION` with `input` on stdin; returns its exit status and
    /// stdout (at most 1 MiB). The helper's stderr is discarded, as the CLI's client does. It
    /// runs in a process group of its own, so Ctrl-C reaches dks, which then kills it.
    static func run(_ helper: String, _ action: String, input: [UInt8], environment: [String: String]) throws -> (Int32, [UInt8]) {
        let name = program(helper)
        guard case .found(let path) = ProgramLookup.locate(name, path: environment["PATH"]) else {
            throw CredentialHelperError(description: "exec: \"\(name)\": executable file not found in $PATH")
        }
        let stdinPipe: (read: Int32, write: Int32), stdoutPipe: (read: Int32, write: Int32)
        do {
            stdinPipe = try SystemCalls.pipe()
            stdoutPipe = try SystemCalls.pipe()
        } catch let e as HostError {
            throw CredentialHelperError(description: "cannot run \(name): \(e.description)")
        }
        let devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        var plan = SpawnPlan(path: path, argv: [name, action], environment: EnvironmentBlock(environment.map { ($0.key, $0.value) }))
        plan.stdin = stdinPipe.read
        plan.stdout = stdoutPipe.write
        plan.stderr = devNull >= 0 ? devNull : stdoutPipe.write
        let pid: pid_t
        do { pid = try HostSpawn.spawn(plan) } catch {
            for fd in [stdinPipe.read, stdinPipe.write, stdoutPipe.read, stdoutPipe.write, devNull] { SystemCalls.close(fd) }
            throw CredentialHelperError(description: "exec: \"\(name)\": \(error)")
        }
        for fd in [stdinPipe.read, stdoutPipe.write, devNull] { SystemCalls.close(fd) }
        // The input is small (a URL or one JSON object): written whole, then closed.
        _ = writeAll(stdinPipe.write, input)
        SystemCalls.close(stdinPipe.write)
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        var interrupted = false
        while true {
            var pfd = pollfd(fd: stdoutPipe.read, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100)
            if Interruption.isRequested { interrupted = true; break }
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            let n = buf.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return SystemCalls.read(stdoutPipe.read, base, raw.count)
            }
            if n <= 0 { break }
            if out.count < 1 << 20 { out += buf[0..<n] }
        }
        SystemCalls.close(stdoutPipe.read)
        if interrupted { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if interrupted { throw InterruptedError() }
        return (Int32(ProcessExit.decode(status).status), out)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }

    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        let t = Array(target.utf8)
        guard !t.isEmpty else { return self }
        let b = Array(utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if i + t.count <= b.count, Array(b[i..<(i + t.count)]) == t {
                out += Array(replacement.utf8)
                i += t.count
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
