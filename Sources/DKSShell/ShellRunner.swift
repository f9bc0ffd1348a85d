// ShellRunner: the language's `PipelineRunner` — resolves each stage (a program on `$PATH`, a
// path, dks code, a value), runs the job, and turns its outcome into what the script sees:
// at statement level a failing stage raises `CommandError` (pipefail: the last failing stage,
// named); as a value a `process_result`; iterated, a stream of stdout lines (spec §10).
// Owns: program resolution errors (NameError / 126 / 127, before anything runs) and result shapes.
// Must not: spawn or wait itself (PipelineJob does).
import DKSHost
import DKSLanguage
import DKSSupport

public final class ShellRunner: PipelineRunner {
    /// `$env` as spawn environments, shared by every context.
    static let environment = HostEnvironment()

    public init() {}

    public func run(_ runs: [StageRun], usage: Usage, interp: Interpreter, loc: SourceLoc) throws -> Value {
        let kinds = try runs.map { try ShellRunner.kind(of: $0, interp) }
        if usage == .iterated { return .object(PipelineLineStream(runs: runs, kinds: kinds, interp: interp, loc: loc)) }
        let job = PipelineJob(runs, kinds: kinds, usage: usage, interp: interp, loc: loc)
        try job.start()
        job.run()
        return try ShellRunner.outcome(job)
    }

    public func programNames(interp: Interpreter) -> [String] {
        ProgramLookup.allNames(path: HostEnvironment.lookup("PATH", interp))
    }

    /// What a stage runs. A program that is not on `$PATH` is a NameError (the compiler adds
    /// suggestions); a path that does not exist or cannot run is a CommandError with bash's 127/126.
    static func kind(of run: StageRun, _ interp: Interpreter) throws -> PipelineJob.Kind {
        switch run.stage {
        case .host(let program, let args):
            switch ProgramLookup.locate(program, path: HostEnvironment.lookup("PATH", interp)) {
            case .found(let path):
                return .host(path: path, argv: [program] + args)
            case .notFound:
                guard program.contains("/") else { throw ProgramNotFound(name: program, loc: run.loc) }
                var e = ScriptError(.commandError, "cannot run \(program): no such file", at: run.loc)
                e.exitCode = 127
                throw e
            case .notExecutable(_, let reason):
                var e = ScriptError(.commandError, "cannot run \(program): \(reason)", at: run.loc)
                e.exitCode = 126
                throw e
            }
        case .dks(_, let body):
            return .dks(run: body)
        case .value(let v):
            return .value(valueChunks(v))
        }
    }

    /// What a value stage writes, produced in chunks of about 64 KiB so a big list or range never
    /// sits in memory as bytes: a string's bytes, a list's (or range's) items one per line, else
    /// the str form.
    static func valueChunks(_ v: Value) -> () -> [UInt8]? {
        let chunk = 1 << 16
        switch v {
        case .null, .undefined: return { nil }
        case .string(let s):
            let bytes = Array(s.utf8)
            var off = 0
            return {
                guard off < bytes.count else { return nil }
                defer { off = min(bytes.count, off + chunk) }
                return Array(bytes[off..<min(bytes.count, off + chunk)])
            }
        case .list(let items):
            var i = 0
            return {
                guard i < items.count else { return nil }
                var out: [UInt8] = []
                while i < items.count && out.count < chunk {
                    out.append(contentsOf: items[i].str.utf8)
                    out.append(10)
                    i += 1
                }
                return out
            }
        case .range(let r):
            // Positions as UInt: a range may hold more items than an Int counts.
            var i: UInt = 0
            return {
                guard i < r.length else { return nil }
                var out: [UInt8] = []
                while i < r.length && out.count < chunk {
                    out.append(contentsOf: String(r.element(i)).utf8)
                    out.append(10)
                    i += 1
                }
                return out
            }
        default:
            var done = false
            return {
                if done { return nil }
                done = true
                return Array(v.str.utf8)
            }
        }
    }

    /// The script's view of a finished job.
    static func outcome(_ job: PipelineJob) throws -> Value {
        if job.usage == .statement, job.interp.out.fd == nil { try job.interp.out.append(captured: job.captured.stdout) }
        for stage in job.stages {
            if let e = stage.error { throw e }
        }
        if job.overflowed {
            let what = job.stages.count == 1 ? "the output of '\(job.stages[0].spec.display)'" : "the output of the pipeline"
            throw ScriptError(.captureLimitError, CaptureLimit.message(what), at: job.loc)
        }
        if job.interrupted { throw ScriptError.interrupted().located(job.loc) }
        let codes = job.stages.map { $0.status ?? 0 }
        let failing = job.stages.last(where: job.isFailure)
        let single = job.stages.count == 1 ? job.stages[0] : nil
        switch job.usage {
        case .statement, .iterated:
            if let f = failing {
                if single != nil, let e = f.exitError { throw e }
                throw commandError(job, f, codes)
            }
            if let s = single, s.isDks { return s.value }
            return .null
        case .value:
            // `run` raises on a non-zero exit even as a value (spec §7); everything else is a result.
            if let s = single, let e = s.exitError, e.kind == .containerError { throw e }
            return .object(ProcessResultObject(exitCode: failing?.status ?? 0, exitCodes: codes, capture: job.captured))
        }
    }

    /// `CommandError` naming the command (and, in a pipeline, the stage) and its exit code.
    static func commandError(_ job: PipelineJob, _ f: PipelineJob.Stage, _ codes: [Int]) -> ScriptError {
        let status = f.status ?? 1
        var how = "exited with code \(status)"
        if let sig = f.signal { how = "was killed by signal \(sig) (exit code \(status))" }
        let message: String
        if job.stages.count == 1 {
            message = "'\(f.spec.display)' \(how)"
        } else {
            message = "stage \(f.index + 1) of \(job.stages.count) of the pipeline, '\(f.spec.display)', \(how)"
        }
        var e = ScriptError(.commandError, message, at: f.spec.loc)
        e.exitCode = status
        e.extra.append(("exit_codes", .list(codes.map { .int($0) })))
        if let inner = f.exitError, let out = inner.output { e.output = out }
        return e
    }
}

extension ScriptError {
    /// The error with its position set unless it has one.
    func located(_ l: SourceLoc) -> ScriptError {
        if loc != nil { return self }
        var e = self
        e.loc = l
        return e
    }
}
