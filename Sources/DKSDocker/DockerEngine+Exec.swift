// DockerEngine+Exec: `exec` — attached (output streamed, stdin pumped from a descriptor and
// half-closed at its end), detached (`exec -d`: the exec's id), inspected, and stopped
// (DockerEngine+ExecStop) when the caller ends early or a deadline passes.
// Must not: leave an exec running after the call returned early.
import DKSEngine
import DKSHost
import DKSSupport
import Foundation
import Glibc

extension DockerEngine {
    public func exec(_ ref: String, _ config: ExecConfig, onOutput: (OutputChunk) throws -> Void) throws -> Int? {
        if config.detach {
            _ = try execDetached(ref, config)
            return nil
        }
        var create = config
        create.interactive = config.interactive && config.stdin != nil
        let execID = try createExec(ref, create)
        let startBody = JSON.object([("Detach", .bool(false)), ("Tty", .bool(config.tty))])
        var req = request("POST", try api() + "/exec/\(execID)/start", body: startBody)
        req.upgrade = true
        let exchange = try client.send(req, interruptible: true)
        exchange.bound(by: config.deadline, timeoutMessage: "exec \(config.cmd.first ?? "") in \(ref) did not finish before its --timeout; it was killed")
        var pump: StdinPump?
        if let fd = config.stdin, create.interactive {
            pump = StdinPump(fd: fd, connection: exchange.connection)
            pump?.start()
        }
        var tail: [UInt8] = []
        do {
            _ = try OutputPump.run(exchange, multiplexed: !config.tty, timestamps: false) { chunk in
                // The last 2 KiB (for a start failure's message), without copying whole chunks.
                tail.append(contentsOf: chunk.bytes.suffix(2048))
                if tail.count > 4096 { tail.removeFirst(tail.count - 2048) }
                try onOutput(chunk)
                return .more
            }
        } catch {
            pump?.stop()
            // Ended early: an interruption, the deadline, the consumer gone (a closed pipe): the process must not live on.
            stopExec(execID)
            throw error
        }
        pump?.stop()
        let code = try execExitCode(execID)
        // The daemon reports 126 for every exec it cannot start; a missing command is 127, as in shells and `docker run`.
        if code == 126, DockerEngine.startFailureExitCode(String(decoding: tail, as: UTF8.self)) == 127 { return 127 }
        return code
    }

    public func execDetached(_ ref: String, _ config: ExecConfig) throws -> String {
        var create = config
        create.detach = true
        create.interactive = false
        let execID = try createExec(ref, create)
        let startBody = JSON.object([("Detach", .bool(true)), ("Tty", .bool(config.tty))])
        _ = try client.call(request("POST", try api() + "/exec/\(execID)/start", body: startBody))
        return execID
    }

    public func inspectExec(_ id: String) throws -> JSON {
        try client.callJSON(request("GET", try api() + "/exec/\(id)/json"))
    }
}
