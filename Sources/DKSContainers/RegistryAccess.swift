// RegistryAccess: what the image commands need from the docker CLI's credential stores — the
// X-Registry-Auth value for a reference, every registry's credentials for a build — and the
// advice a registry refusal gets. Owns: turning credential-store failures into dks errors.
// Must not: put a password in a message, or read config.json itself (RegistryCredentials does).
#if canImport(Glibc)
import Glibc
#endif
import DKSEngine
import DKSLanguage
import DKSSupport

enum RegistryAccess {
    /// The environment credentials are looked up in: `$env`, the environment of host programs
    /// (DOCKER_CONFIG, HOME and PATH decide where credentials are and which helpers run), or
    /// dks's own when a script replaced `$env` with something that is not a map.
    static func environment(_ interp: Interpreter) -> [String: String] {
        var env: [String: String] = [:]
        if case .map(let m)? = interp.globals.get("env") {
            for (k, v) in m {
                switch v {
                case .null, .undefined: continue
                case .string(let s): env[k.str] = s
                default: env[k.str] = v.str
                }
            }
            return env
        }
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }

    /// The credential stores, read now (a `docker login` since the last command counts).
    static func credentials(_ command: String, _ interp: Interpreter) throws -> RegistryCredentials {
        do { return try RegistryCredentials(environment: environment(interp)) } catch let e as CredentialStoreError {
            throw ScriptError(.ioError, "\(command): \(e.description)")
        }
    }

    /// `X-Registry-Auth` for pushing or pulling `ref` (`e30=`, i.e. `{}`, without credentials).
    static func authHeader(for ref: String, command: String, _ interp: Interpreter) throws -> (header: String, registry: String, hasCredentials: Bool) {
        let key = RegistryCredentials.configKey(forImage: ref)
        let auth: AuthConfig
        do { auth = try credentials(command, interp).authConfig(for: key) } catch let e as CredentialStoreError {
            throw ScriptError(.ioError, "\(command): cannot read the credentials for \(key): \(e.description)")
        }
        return (RegistryCredentials.encodeHeader(auth), key, auth.hasCredentials)
    }

    /// `X-Registry-Config` for a build (base images may need credentials). Unreadable stores
    /// count as none, as in the docker CLI.
    static func registryConfig(_ interp: Interpreter) -> String {
        let all = (try? RegistryCredentials(environment: environment(interp)).allCredentials()) ?? []
        return RegistryCredentials.encodeRegistryConfig(all)
    }

    /// A registry's refusal, with what to do: log in (or again, when credentials were sent).
    static func advise(_ error: Error, registry: String, hadCredentials: Bool) -> Error {
        guard var e = error as? ScriptError else { return error }
        let m = e.message.lowercased()
        let refused = ["unauthorized", "authentication required", "no basic auth credentials", "denied", "access to the resource"]
        guard refused.contains(where: { m.contains($0) }) else { return error }
        let server = registry == RegistryCredentials.indexServer ? "" : registry + " "
        e.message += hadCredentials
            ? "; the registry refused the stored credentials for \(registry): log in again with 'login \(server)-u USER --password-stdin'"
            : "; log in first with 'login \(server)-u USER --password-stdin'"
        return e
    }
}
