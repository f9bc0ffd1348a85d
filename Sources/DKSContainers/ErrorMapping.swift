// ErrorMapping: engine failures as dks runtime errors of the same kind, with a message that
// names the command, says what happened and what to do.
// Must not: swallow errors or decide policy (callers decide what to retry or ignore).
import DKSEngine
import DKSLanguage
import DKSSupport

enum ErrorMapping {
    /// The dks error kind for an engine error kind (1:1 by name; Unsupported is an EngineError).
    static func kind(_ k: EngineError.Kind) -> ErrorKind {
        switch k {
        case .notFound: return .notFound
        case .conflict: return .conflict
        case .timeout: return .timeout
        case .unhealthy: return .unhealthy
        case .container: return .containerError
        case .service: return .serviceError
        case .invalidArgument: return .valueError
        case .unsupported: return .engineError
        case .interrupted: return .interrupted
        case .captureLimit: return .captureLimitError
        case .engine: return .engineError
        }
    }

    /// The engine's message in dks's voice: lower-case start, plus what to do for a missing object.
    static func advise(_ e: EngineError) -> String {
        var message = e.message
        // "No such container: web" → "no such container: web" (but keep acronyms like "API").
        if let first = message.first, first.isUppercase, message.dropFirst().first?.isLowercase ?? false {
            message = first.lowercased() + message.dropFirst()
        }
        if e.kind == .notFound, !message.contains("'"), !message.contains("manifest"), !message.hasPrefix("could not find the file") {
            let lower = message.lowercased()
            if lower.contains("container") { message += "; list them with 'ps -a'" }
            else if lower.contains("volume") { message += "; list them with 'volume ls'" }
            else if lower.contains("network") { message += "; list them with 'network ls'" }
            else if lower.contains("image") { message += "; list them with 'images'" }
        }
        return message
    }

    /// `message` with every full container id (64 hex digits standing alone, not an image digest)
    /// replaced by the container's name when dks has seen it, else its short id: messages name
    /// containers one way (the engines' own messages hold full ids). Asks the engine nothing.
    static func shortenIDs(_ message: String) -> String {
        let chars = Array(message.utf8)
        guard chars.count >= 64 else { return message }
        func hex(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 97 && c <= 102) }
        func word(_ c: UInt8) -> Bool { hex(c) || (c >= 65 && c <= 90) || (c >= 103 && c <= 122) || c == 95 }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            var j = i
            while j < chars.count, hex(chars[j]) { j += 1 }
            if j == i {
                out.append(chars[i])
                i += 1
                continue
            }
            let isDigest = i >= 7 && Array(chars[(i - 7)..<i]) == Array("sha256:".utf8)
            let standsAlone = (i == 0 || !word(chars[i - 1])) && (j == chars.count || !word(chars[j]))
            if j - i == 64, !isDigest, standsAlone {
                let id = String(decoding: chars[i..<j], as: UTF8.self)
                out += Array((ContainerBuiltins.retained.knownName(id: id) ?? JSONValues.shortID(id)).utf8)
            } else {
                out += chars[i..<j]
            }
            i = j
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `command: message`, keeping the exit code and output of container errors.
    static func scriptError(_ e: EngineError, command: String) -> ScriptError {
        if e.kind == .interrupted { return interrupted() }
        var s = ScriptError(kind(e.kind), "\(command): \(shortenIDs(advise(e)))")
        s.exitCode = e.exitCode
        s.output = e.output
        if let status = e.status { s.extra.append(("status", .int(status))) }
        return s
    }

    /// Any error thrown while running `command`, as the error scripts should see.
    static func map(_ error: Error, command: String) -> Error {
        switch error {
        case let e as EngineError: return scriptError(e, command: command)
        case is InterruptedError: return interrupted()
        default: return error
        }
    }

    /// The Interrupted error for a Ctrl-C that stopped an engine call. The interrupt is now
    /// delivered as this error, so the flag is cleared: `finally` and `defer` blocks (typically
    /// `rm -f $c`) can still talk to the engine while the error unwinds.
    static func interrupted() -> ScriptError {
        return ScriptError.interrupted()
    }

    /// Runs `body`, translating engine errors for `command`.
    static func run<T>(_ command: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw map(error, command: command) }
    }
}
