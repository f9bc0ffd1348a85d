// DockerErrors: HTTP statuses and daemon messages as EngineErrors with advice.
// Owns: the status → kind table and the hints ("pull it first"). Must not: read bodies or retry.
import DKSEngine
import Foundation

enum DockerErrors {
    static func map(status: Int, message: String, request: DockerRequest) -> EngineError {
        let kind: EngineError.Kind
        switch status {
        case 404: kind = .notFound
        case 409: kind = .conflict
        case 400: kind = .invalidArgument
        // Docker 20.10 answers `unpause` of a container that is not paused with 500, where every
        // other verb on the wrong state answers 409 (newer daemons: 409 too): one kind for all.
        case 500 where isWrongState(message): kind = .conflict
        default: kind = .engine
        }
        return EngineError(kind, advise(message, status: status, request: request), status: status)
    }

    /// A daemon message that says the container is in the wrong state for the verb.
    static func isWrongState(_ message: String) -> Bool {
        let text = message.lowercased()
        return ["is not paused", "is not running", "is already paused", "is paused", "is restarting", "cannot start a paused container"]
            .contains { text.contains($0) }
    }

    /// Docker's messages start with a capital ("No such container: x"); dks's errors read in lower case and say what to do.
    static func advise(_ message: String, status: Int, request: DockerRequest) -> String {
        var text = message
        if let first = text.first, first.isUppercase, text.dropFirst().first?.isLowercase ?? false {
            text = first.lowercased() + text.dropFirst()
        }
        if status == 404, text.hasPrefix("no such image: ") {
            let image = String(text.dropFirst("no such image: ".count))
            return "no such image: \(image); pull it first with 'pull \(image)'"
        }
        if status == 404, request.path.hasSuffix("/containers/create"), text.contains("image") {
            return text + "; pull it first with 'pull IMAGE'"
        }
        return text
    }
}
