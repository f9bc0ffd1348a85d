// ImageReference: an image name as the docker CLI parses it (the distribution reference grammar
// and ParseNormalizedNamed): [DOMAIN/]PATH[:TAG][@DIGEST], path components lowercase, tags of
// at most 128 word characters, digests of at least 32 hex digits, names of at most 255
// characters. Owns: validating a reference before anything acts on it (`tag SRC "repo:"` used
// to create repo:latest first and fail after). Must not: normalize for display or do I/O.

/// A parsed image reference.
public struct ImageReference: Equatable, Sendable {
    /// The name as written, without tag and digest (`localhost:5000/a/b`).
    public var name: String
    public var tag: String?
    public var digest: String?

    /// Why a reference is invalid, in the docker CLI's words.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    static let format = Invalid(description: "invalid reference format")

    /// Parses `text` as the docker CLI's ParseNormalizedNamed does.
    public static func parse(_ text: String) throws -> ImageReference {
        if isIdentifier(text) {
            throw Invalid(description: "invalid repository name (\(text)), cannot specify 64-byte hexadecimal strings")
        }
        guard !text.isEmpty else { throw format }
        var rest = Substring(text)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
            guard let d = digest, isDigest(d) else { throw format }
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
            guard let t = tag, isTag(t) else { throw format }
        }
        let name = String(rest)
        // The lowercase rule applies to the repository part (after a domain), as docker reports it.
        let components = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var remote = name
        if let first = components.first, components.count > 1,
           first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
            remote = components.dropFirst().joined(separator: "/")
        } else if components.count == 1 {
            remote = "library/" + name
        }
        if remote.lowercased() != remote {
            throw Invalid(description: "invalid reference format: repository name (\(remote)) must be lowercase")
        }
        guard isName(components) else { throw format }
        guard name.utf8.count <= 255 else { throw Invalid(description: "repository name must not be more than 255 characters") }
        return ImageReference(name: name, tag: tag, digest: digest)
    }

    /// The registry of a reference, as the distribution library's splitDockerDomain finds it:
    /// the first part when it looks like a host (has `.` or `:`, is `localhost`, or has capitals),
    /// else `docker.io` (`index.docker.io` is `docker.io` too).
    public static func domain(of ref: String) -> String {
        guard let slash = ref.firstIndex(of: "/") else { return "docker.io" }
        let first = String(ref[..<slash])
        guard first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first else { return "docker.io" }
        return first == "index.docker.io" ? "docker.io" : first
    }

    /// The registry of this reference (see `domain(of:)`).
    public var domain: String { Self.domain(of: name) }

    /// `docker tag`'s rule for a target: a valid reference without a digest.
    public static func parseTagTarget(_ text: String) throws -> ImageReference {
        let ref = try parse(text)
        if ref.digest != nil { throw Invalid(description: "refusing to create a tag with a digest reference") }
        return ref
    }

    // MARK: The grammar

    /// `[DOMAIN/]COMPONENT(/COMPONENT)*`: a first element that is a valid domain may be the domain.
    static func isName(_ parts: [String]) -> Bool {
        guard let first = parts.first else { return false }
        if parts.allSatisfy(isPathComponent) { return true }
        return parts.count > 1 && isDomain(first) && parts.dropFirst().allSatisfy(isPathComponent)
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
    static func isPathComponent(_ s: String) -> Bool {
        let b = Array(s.utf8)
        func alnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
        var i = 0
        guard i < b.count, alnum(b[i]) else { return false }
        while i < b.count {
            while i < b.count, alnum(b[i]) { i += 1 }
            if i == b.count { return true }
            // A separator: ".", "_", "__", or one or more "-".
            let start = i
            if b[i] == 46 { i += 1 } else if b[i] == 95 {
                i += 1
                if i < b.count, b[i] == 95 { i += 1 }
            } else if b[i] == 45 {
                while i < b.count, b[i] == 45 { i += 1 }
            } else {
                return false
            }
            guard i > start, i < b.count, alnum(b[i]) else { return false }
        }
        return true
    }

    /// `HOST[:PORT]`: dot-separated components of letters, digits and inner hyphens, or `[IPv6]`.
    static func isDomain(_ s: String) -> Bool {
        var host = Substring(s)
        if let colon = host.lastIndex(of: ":"), !host[colon...].contains("]") {
            let port = host[host.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            host = host[..<colon]
        }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return false }
            return host.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" }
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            guard let f = label.first, let l = label.last else { return false }
            func ok(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
            return ok(f) && ok(l) && label.allSatisfy { ok($0) || $0 == "-" }
        }
    }

    /// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    static func isTag(_ s: String) -> Bool {
        guard let f = s.first, s.count <= 128 else { return false }
        func word(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
        return word(f) && s.allSatisfy { word($0) || $0 == "." || $0 == "-" }
    }

    /// `ALGORITHM:HEX`, the algorithm `[A-Za-z][A-Za-z0-9]*` parts joined by `+ . _ -`, 32+ hex digits.
    static func isDigest(_ s: String) -> Bool {
        guard let colon = s.firstIndex(of: ":") else { return false }
        let algorithm = s[..<colon], hex = s[s.index(after: colon)...]
        guard hex.count >= 32, hex.allSatisfy({ $0.isHexDigit }) else { return false }
        let parts = algorithm.split(omittingEmptySubsequences: false) { "+._-".contains($0) }
        return parts.allSatisfy { p in
            guard let f = p.first, f.isASCII, f.isLetter else { return false }
            return p.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }

    /// 64 lowercase hex digits: an image id, which is not a name.
    static func isIdentifier(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}
