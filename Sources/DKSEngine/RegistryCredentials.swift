// RegistryCredentials: registry credentials exactly where the docker CLI keeps them, so a
// `docker login` serves dks and a dks `login` serves docker: `credHelpers[host]`, else
// `credsStore` (else, when config.json configures no credentials at all, the platform's default
// helper if installed), else the `auths` entries of config.json. Owns: the CLI's lookup rules
// (GetAuthConfig, GetAllCredentials, the file store's hostname fallback), storing and erasing,
// and the encodings the daemon takes (X-Registry-Auth, X-Registry-Config).
// Must not: print, or let a password reach an argv, a trace line or an error message.
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

/// One registry's credentials, as the docker CLI's AuthConfig.
public struct AuthConfig: Equatable, Sendable {
    public var username = ""
    public var password = ""
    public var email = ""
    public var serverAddress = ""
    public var identityToken = ""
    public var registryToken = ""
    public init(username: String = "", password: String = "", serverAddress: String = "") {
        self.username = username
        self.password = password
        self.serverAddress = serverAddress
    }

    /// Whether it holds anything to authenticate with.
    public var hasCredentials: Bool { !username.isEmpty || !password.isEmpty || !identityToken.isEmpty || !registryToken.isEmpty }

    /// The JSON the daemon takes, empty fields left out (Go's omitempty).
    public var json: JSON {
        var fields: [(String, JSON)] = []
        for (k, v) in [("username", username), ("password", password), ("email", email), ("serveraddress", serverAddress),
                       ("identitytoken", identityToken), ("registrytoken", registryToken)] where !v.isEmpty {
            fields.append((k, .string(v)))
        }
        return .object(fields)
    }
}

/// A credential store that failed; the message never holds a secret.
public struct CredentialStoreError: Error, CustomStringConvertible {
    public let description: String
}

/// The docker CLI's credential stores over one config.json.
public final class RegistryCredentials {
    /// Docker Hub's key in config.json and its credential helpers.
    public static let indexServer = "https://index.docker.io/v1/"

    public private(set) var config: DockerConfigFile
    private let environment: [String: String]
    /// `credsStore`, or the platform's default helper when nothing at all is configured.
    private let defaultHelper: String?

    public init(environment: [String: String]) throws {
        self.environment = environment
        do { config = try DockerConfigFile.load(environment: environment) } catch let e as DockerConfigError {
            throw CredentialStoreError(description: e.description)
        }
        if let store = config.credsStore {
            defaultHelper = store
        } else if !config.containsAuth {
            // DetectDefaultStore: `pass` when installed, else the secret service, if its helper is.
            let platform = Self.onPath("pass", environment) ? "pass" : "secretservice"
            defaultHelper = Self.onPath(CredentialHelper.program(platform), environment) ? platform : nil
        } else {
            defaultHelper = nil
        }
    }

    /// The config key of an image reference's registry: Docker Hub's index address, else the
    /// registry's host[:port] (`getAuthConfigKey`).
    public static func configKey(forImage ref: String) -> String {
        configKey(forDomain: ImageReference.domain(of: ref))
    }

    public static func configKey(forDomain domain: String) -> String {
        domain == "docker.io" || domain == "index.docker.io" ? indexServer : domain
    }

    /// `credentials.ConvertToHostname`: `https://host:5000/v2/` → `host:5000`.
    public static func convertToHostname(_ address: String) -> String {
        var s = Substring(address)
        if let scheme = s.indices.first(where: { s[$0...].hasPrefix("://") }) {
            s = s[s.index(scheme, offsetBy: 3)...]
        }
        if let slash = s.firstIndex(of: "/") { s = s[..<slash] }
        return String(s)
    }

    /// The helper that holds `key`'s credentials, or nil for the file.
    public func helper(for key: String) -> String? {
        if !key.isEmpty, let h = config.credHelpers.first(where: { $0.0 == key }) { return h.1 }
        return defaultHelper
    }

    /// `GetAuthConfig(key)`: the credentials for a registry (empty when there are none).
    public func authConfig(for key: String) throws -> AuthConfig {
        var auth = fileEntry(key) ?? AuthConfig()
        guard let helper = helper(for: key) else { return auth }
        let found: (username: String, secret: String)?
        do { found = try CredentialHelper.get(helper, serverURL: key, environment: environment) } catch let e as CredentialHelperError {
            throw CredentialStoreError(description: e.description)
        }
        auth.username = ""
        auth.password = ""
        auth.identityToken = ""
        auth.serverAddress = ""
        if let (username, secret) = found {
            if username == "<token>" { auth.identityToken = secret } else {
                auth.username = username
                auth.password = secret
            }
            auth.serverAddress = key
        }
        return auth
    }

    /// `GetAllCredentials`: every registry's credentials (for a build's base images).
    public func allCredentials() throws -> [(String, AuthConfig)] {
        var all: [(String, AuthConfig)] = []
        func put(_ key: String, _ a: AuthConfig) {
            if let i = all.firstIndex(where: { $0.0 == key }) { all[i].1 = a } else { all.append((key, a)) }
        }
        if let helper = defaultHelper {
            do {
                for (key, _) in try CredentialHelper.list(helper, environment: environment) {
                    var a = fileEntry(key) ?? AuthConfig()
                    if let (u, s) = try CredentialHelper.get(helper, serverURL: key, environment: environment) {
                        if u == "<token>" { a.identityToken = s } else { a.username = u; a.password = s }
                    }
                    if a.serverAddress.isEmpty { a.serverAddress = key }
                    put(key, a)
                }
            } catch let e as CredentialHelperError {
                throw CredentialStoreError(description: e.description)
            }
        } else {
            for (key, _) in config.auths { if let a = fileEntry(key) { put(key, a) } }
        }
        for (key, _) in config.credHelpers {
            // As the CLI: a helper that fails for one registry does not fail the others.
            if let a = try? authConfig(for: key) { put(key, a) }
        }
        return all
    }

    /// Stores credentials for `auth.serverAddress` where the CLI would; returns true when they
    /// went into config.json in plain text (the CLI warns then).
    @discardableResult
    public func store(_ auth: AuthConfig) throws -> Bool {
        let key = auth.serverAddress
        if let helper = helper(for: key) {
            let username = auth.identityToken.isEmpty ? auth.username : "<token>"
            let secret = auth.identityToken.isEmpty ? auth.password : auth.identityToken
            do { try CredentialHelper.store(helper, serverURL: key, username: username, secret: secret, environment: environment) } catch let e as CredentialHelperError {
                throw CredentialStoreError(description: "Error saving credentials: \(e.description)")
            }
            // The file keeps an entry without secrets (the email, if any), as the CLI's native store.
            var entry: [(String, JSON)] = []
            if !auth.email.isEmpty { entry.append(("email", .string(auth.email))) }
            try saveEntry(key, .object(entry))
            return false
        }
        var entry: [(String, JSON)] = []
        if !auth.username.isEmpty || !auth.password.isEmpty {
            entry.append(("auth", .string(Base64.encode(Array("\(auth.username):\(auth.password)".utf8)))))
        }
        if !auth.email.isEmpty { entry.append(("email", .string(auth.email))) }
        if !auth.identityToken.isEmpty { entry.append(("identitytoken", .string(auth.identityToken))) }
        if !auth.registryToken.isEmpty { entry.append(("registrytoken", .string(auth.registryToken))) }
        try saveEntry(key, .object(entry))
        return !auth.password.isEmpty
    }

    /// Erases `key`'s credentials from its store (the helper, then the file entry).
    public func erase(_ key: String) throws {
        if let helper = helper(for: key) {
            do { try CredentialHelper.erase(helper, serverURL: key, environment: environment) } catch let e as CredentialHelperError {
                throw CredentialStoreError(description: e.description)
            }
        }
        if config.removeAuth(key) { try saveConfig() }
    }

    private func saveEntry(_ key: String, _ entry: JSON) throws {
        if let old = config.auths.first(where: { $0.0 == key })?.1, old == entry { return }
        config.setAuth(key, entry)
        try saveConfig()
    }

    private func saveConfig() throws {
        do { try config.save() } catch let e as DockerConfigError { throw CredentialStoreError(description: e.description) }
    }

    /// The file store's Get: the entry for `key`, or one whose address has `key` as host.
    func fileEntry(_ key: String) -> AuthConfig? {
        let auths = config.auths
        guard let (address, entry) = auths.first(where: { $0.0 == key })
                ?? auths.first(where: { Self.convertToHostname($0.0) == key }) else { return nil }
        var a = AuthConfig()
        a.username = entry["username"]?.stringValue ?? ""
        a.password = entry["password"]?.stringValue ?? ""
        if let encoded = entry["auth"]?.stringValue, !encoded.isEmpty {
            guard let decoded = Base64.decode(encoded), let colon = decoded.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return nil }
            a.username = String(decoding: decoded[..<colon], as: UTF8.self)
            var password = Array(decoded[(colon + 1)...])
            while password.last == 0 { password.removeLast() }
            a.password = String(decoding: password, as: UTF8.self)
        }
        a.email = entry["email"]?.stringValue ?? ""
        a.identityToken = entry["identitytoken"]?.stringValue ?? ""
        a.registryToken = entry["registrytoken"]?.stringValue ?? ""
        a.serverAddress = address
        return a
    }

    /// The `X-Registry-Auth` value: base64url of the credentials' JSON (`e30=` for none).
    public static func encodeHeader(_ auth: AuthConfig) -> String {
        Base64.encode(Array(auth.json.encoded().utf8), urlSafe: true)
    }

    /// The `X-Registry-Config` value of a build: every registry's credentials, keys sorted.
    public static func encodeRegistryConfig(_ all: [(String, AuthConfig)]) -> String {
        let sorted = all.sorted { $0.0 < $1.0 }
        return Base64.encode(Array(JSON.object(sorted.map { ($0.0, $0.1.json) }).encoded().utf8), urlSafe: true)
    }

    /// Whether an executable `name` is on the environment's PATH.
    static func onPath(_ name: String, _ environment: [String: String]) -> Bool {
        CredentialHelper.lookPath(name, environment) != nil
    }
}
