// RegistryAuth: credentials for `pull` from the docker CLI's config.json `auths` (as `docker login` stores them).
// Owns: finding the registry of an image reference and encoding the X-Registry-Auth header.
// Must not: log, trace or print credentials; run credential helpers (credsStore/credHelpers are not read).
import DKSEngine
import Foundation

enum RegistryAuth {
    /// The registry host of an image reference ("docker.io" when the first part is not a host).
    static func registry(of ref: String) -> String {
        guard let slash = ref.firstIndex(of: "/") else { return "docker.io" }
        let first = String(ref[..<slash])
        if first.contains(".") || first.contains(":") || first == "localhost" { return first }
        return "docker.io"
    }

    /// The X-Registry-Auth value for `ref`, or nil when config.json holds nothing for its registry.
    static func header(for ref: String, environment: [String: String]) -> String? {
        let path = (DockerEndpoint.dockerConfigDirectory(environment) as NSString).appendingPathComponent("config.json")
        guard let data = FileManager.default.contents(atPath: path), let config = try? JSON.parse([UInt8](data)),
              let auths = config["auths"]?.objectValue else { return nil }
        let registry = registry(of: ref)
        let candidates = registry == "docker.io"
            ? ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "https://index.docker.io/v1"]
            : [registry, "https://\(registry)", "http://\(registry)", "https://\(registry)/v1/", "https://\(registry)/v2/"]
        guard let entry = candidates.lazy.compactMap({ key in auths.first(where: { $0.0 == key })?.1 }).first else { return nil }
        var fields: [(String, JSON)] = []
        if let token = entry["identitytoken"]?.stringValue, !token.isEmpty {
            fields.append(("identitytoken", .string(token)))
        } else if let encoded = entry["auth"]?.stringValue, let decoded = Data(base64Encoded: encoded),
                  let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":") {
            fields.append(("username", .string(String(text[..<colon]))))
            fields.append(("password", .string(String(text[text.index(after: colon)...]))))
        } else {
            return nil
        }
        fields.append(("serveraddress", .string(registry == "docker.io" ? "https://index.docker.io/v1/" : registry)))
        // The daemon decodes this header as URL-safe base64.
        return Data(JSON.object(fields).encoded().utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}
