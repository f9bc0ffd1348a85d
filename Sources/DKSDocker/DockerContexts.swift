// DockerContexts: the docker CLI's contexts (DOCKER_CONTEXT, currentContext in config.json).
// Owns: reading ~/.docker/config.json and contexts/meta/<sha256(name)>/meta.json (and its TLS files).
// Must not: write any docker CLI file or follow contexts other than the docker endpoint.
import DKSEngine
import Foundation

enum DockerContexts {
    /// The endpoint of the selected context, or nil when none is selected or it is "default".
    static func endpoint(environment: [String: String]) throws -> DockerEndpoint? {
        let configDir = DockerEndpoint.dockerConfigDirectory(environment)
        var name = environment["DOCKER_CONTEXT"] ?? ""
        var origin = "DOCKER_CONTEXT"
        if name.isEmpty {
            let configPath = (configDir as NSString).appendingPathComponent("config.json")
            guard let data = FileManager.default.contents(atPath: configPath) else { return nil }
            guard let config = try? JSON.parse([UInt8](data)) else {
                throw EngineError(.invalidArgument, "cannot parse \(configPath): not valid JSON")
            }
            name = config["currentContext"]?.stringValue ?? ""
            origin = "currentContext in \(configPath)"
        }
        if name.isEmpty || name == "default" { return nil }

        let digest = sha256Hex(Array(name.utf8))
        let metaPath = [configDir, "contexts", "meta", digest, "meta.json"].joined(separator: "/")
        guard let data = FileManager.default.contents(atPath: metaPath) else {
            throw EngineError(.notFound, "docker context '\(name)' (from \(origin)) not found: no \(metaPath)")
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
        let tlsDir = [configDir, "contexts", "tls", digest, "docker"].joined(separator: "/")
        if case .tcp = endpoint.transport, FileManager.default.fileExists(atPath: tlsDir) {
            let skip = docker["SkipTLSVerify"]?.boolValue ?? false
            endpoint.tls = DockerTLSSettings.fromDirectory(tlsDir, verify: !skip)
        }
        return endpoint
    }
}
