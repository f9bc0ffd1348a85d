// DockerContexts: the docker CLI's contexts (DOCKER_CONTEXT, currentContext in config.json, the
// context store under contexts/meta and contexts/tls), as the CLI reads them.
// Owns: reading ~/.docker/config.json and contexts/meta/<sha256(name)>/meta.json (and its TLS
// files). Must not: write any docker CLI file or follow contexts other than the docker endpoint.
import DKSEngine
import Foundation

/// One context of the docker CLI's store (or `default`).
public struct DockerContextInfo: Equatable, Sendable {
    public var name: String
    public var description: String
    /// The docker endpoint's address as the context writes it.
    public var host: String
    /// Whether the docker CLI would use it now.
    public var current: Bool
    /// Whether the context has TLS files of its own.
    public var tls: Bool
}

public enum DockerContexts {
    /// The context the docker CLI would use (DOCKER_CONTEXT, else `currentContext` of
    /// config.json) and where that came from; nil when none is set (that is `default`).
    static func selected(environment: [String: String]) throws -> (name: String, origin: String)? {
        if let name = environment["DOCKER_CONTEXT"], !name.isEmpty { return (name, "DOCKER_CONTEXT") }
        let configPath = (DockerEndpoint.dockerConfigDirectory(environment) as NSString).appendingPathComponent("config.json")
        guard let data = FileManager.default.contents(atPath: configPath) else { return nil }
        guard let config = try? JSON.parse([UInt8](data)) else {
            throw EngineError(.invalidArgument, "cannot parse \(configPath): not valid JSON")
        }
        guard let name = config["currentContext"]?.stringValue, !name.isEmpty else { return nil }
        return (name, "currentContext in \(configPath)")
    }

    /// The endpoint of the selected context, or nil when none is selected or it is "default".
    static func endpoint(environment: [String: String]) throws -> DockerEndpoint? {
        guard let (name, origin) = try selected(environment: environment), name != "default" else { return nil }
        return try endpoint(named: name, origin: origin, environment: environment)
    }

    /// The endpoint of the context called `name`. `default` is what the docker CLI means by
    /// it: DOCKER_HOST, else the local socket.
    public static func endpoint(named name: String, origin: String? = nil, environment: [String: String]) throws -> DockerEndpoint {
        if name == "default" {
            if let host = environment["DOCKER_HOST"], !host.isEmpty { return try DockerEndpoint.parse(host, environment: environment, origin: "context default") }
            var e = DockerEndpoint.defaultSocket
            e.origin = "context default"
            return e
        }
        let configDir = DockerEndpoint.dockerConfigDirectory(environment)
        let digest = sha256Hex(Array(name.utf8))
        let metaPath = [configDir, "contexts", "meta", digest, "meta.json"].joined(separator: "/")
        guard let data = FileManager.default.contents(atPath: metaPath) else {
            throw EngineError(.notFound, "docker context '\(name)'\(origin.map { " (from \($0))" } ?? "") not found: no \(metaPath); list them with contexts()")
        }
        guard let meta = try? JSON.parse([UInt8](data)), let docker = meta["Endpoints"]?["docker"],
              let host = docker["Host"]?.stringValue, !host.isEmpty else {
            throw EngineError(.invalidArgument, "docker context '\(name)': \(metaPath) has no Endpoints.docker.Host")
        }
        var noTLSEnv = environment
        noTLSEnv["DOCKER_TLS_VERIFY"] = nil
        noTLSEnv["DOCKER_TLS"] = nil
        var endpoint = try DockerEndpoint.parse(host, environment: noTLSEnv, origin: "context \(name)")
        // A context carries its own TLS files; their presence (not the environment) turns TLS on.
        let tlsDir = tlsDirectory(name, configDir)
        if case .tcp = endpoint.transport, FileManager.default.fileExists(atPath: tlsDir) {
            let skip = docker["SkipTLSVerify"]?.boolValue ?? false
            endpoint.tls = DockerTLSSettings.fromDirectory(tlsDir, verify: !skip)
        }
        return endpoint
    }

    /// Every context, `default` first and then by name, as `docker context ls` lists them.
    public static func list(environment: [String: String]) throws -> [DockerContextInfo] {
        let chosen = try selected(environment: environment)?.name ?? "default"
        let defaultHost = environment["DOCKER_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? DockerEndpoint.defaultSocket.description
        let out = [DockerContextInfo(name: "default", description: "Current DOCKER_HOST based configuration", host: defaultHost,
                                     current: chosen == "default", tls: false)]
        let configDir = DockerEndpoint.dockerConfigDirectory(environment)
        let metaDir = [configDir, "contexts", "meta"].joined(separator: "/")
        var named: [DockerContextInfo] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: metaDir)) ?? [] {
            guard let data = FileManager.default.contents(atPath: "\(metaDir)/\(entry)/meta.json"),
                  let meta = try? JSON.parse([UInt8](data)), let name = meta["Name"]?.stringValue, name != "default" else { continue }
            named.append(DockerContextInfo(name: name, description: meta["Metadata"]?["Description"]?.stringValue ?? "",
                                           host: meta["Endpoints"]?["docker"]?["Host"]?.stringValue ?? "",
                                           current: name == chosen,
                                           tls: FileManager.default.fileExists(atPath: tlsDirectory(name, configDir))))
        }
        return out + named.sorted { $0.name < $1.name }
    }

    static func tlsDirectory(_ name: String, _ configDir: String) -> String {
        [configDir, "contexts", "tls", sha256Hex(Array(name.utf8)), "docker"].joined(separator: "/")
    }
}
