// PodmanErrors: Podman's compatible API says the same things as Docker in other words, and
// answers 500 where Docker answers 409. dks gives scripts one wording and one error kind for
// both engines (docs/containers.md, "Engines"), so `catch` and messages do not depend on it.
// Must not: change any message Docker sends (the patterns are Podman's own text).
import Foundation

enum PodmanErrors {
    /// The Docker status and wording of a Podman error answer; any other answer as it is.
    static func normalize(status: Int, message: String) -> (Int, String) {
        if status == 404 {
            if let x = capture(message, #"^no container with name or ID "(.+)" found: no such container$"#) { return (404, "No such container: \(x)") }
            if let x = capture(message, #"^failed to find image (\S+): .*No such image$"#) { return (404, "No such image: \(x)") }
            if let x = capture(message, #"^volume with name (.+) not found: no such volume$"#) { return (404, "get \(x): no such volume") }
            if let x = capture(message, #"^unable to find network with name or ID (.+): network not found$"#) { return (404, "network \(x) not found") }
            if let x = capture(message, #"^no exec session with ID (.+) found: no such exec session$"#) { return (404, "No such exec instance: \(x)") }
        }
        if status == 500 {
            // A name in use, a container in the wrong state: Docker's 409.
            if message.contains("is already in use") || message.hasSuffix("container state improper")
                || message.hasSuffix("network already exists") || message.hasSuffix("volume already exists") {
                return (409, message)
            }
        }
        return (status, message)
    }

    private static func capture(_ text: String, _ pattern: String) -> String? {
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), m.numberOfRanges > 1,
              let r = Range(m.range(at: 1), in: text) else { return nil }
        return String(text[r])
    }
}
