// ProcessResult: what a host program or pipeline returns when its value is used — the exit
// code (for a pipeline, pipefail's), `.ok`, the captured `.stdout`, `.stderr`, `.output` (both
// interleaved in arrival order) and, per stage, `.exit_codes` (spec §10).
// Must not: run anything (the pipeline runner fills it).
import DKSLanguage

final class ProcessResultObject: HostObject {
    let exitCode: Int
    let exitCodes: [Int]
    let stdout: String
    let stderr: String
    let output: String

    init(exitCode: Int, exitCodes: [Int], capture: CapturedOutput) {
        self.exitCode = exitCode
        self.exitCodes = exitCodes
        stdout = String(decoding: capture.stdout, as: UTF8.self)
        stderr = String(decoding: capture.stderr, as: UTF8.self)
        output = String(decoding: capture.combined, as: UTF8.self)
    }

    override var typeName: String { "process_result" }
    override var memberNames: [String] { ["exit_code", "ok", "stdout", "stderr", "output", "exit_codes"] }

    override func member(_ name: String) throws -> Value? {
        switch name {
        case "exit_code": return .int(exitCode)
        case "ok": return .bool(exitCode == 0)
        case "stdout": return .string(stdout)
        case "stderr": return .string(stderr)
        case "output": return .string(output)
        case "exit_codes": return .list(exitCodes.map { .int($0) })
        default: return nil
        }
    }

    /// Its output, like an exec_result: `echo (^date)` prints what the program printed.
    override var description: String { output }
}

/// Bytes captured from the last stage's stdout and every stage's stderr.
final class CapturedOutput {
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var combined: [UInt8] = []
}
