// BuildCommand: `build CONTEXT [-t TAG]... [-f DOCKERFILE] [--build-arg K=V]... [--target T]
// [--label K=V]... [--no-cache] [--pull] [-q]` — the context streamed to the engine's classic
// builder as the docker CLI sends it (BuildContext), the steps streamed at statement level (or
// kept when the value is used), the image returned, and a failing step raised as BuildError
// with the step, its exit code and its last output lines. Built images carry dks's labels.
// Must not: hold the context in memory, or leave a failed step's container behind (forcerm).
#if canImport(Glibc)
import Glibc
#endif
import DKSEngine
import DKSLanguage
import DKSSupport
import Foundation

enum BuildCommand {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        let sig = Signature("build", topic: "images",
                            [.arg("context", "the context directory (sent as a tar archive, less what .dockerignore excludes)"),
                             .repeated("tag", short: "t", "NAME[:TAG]", "a name for the image"),
                             .option("file", short: "f", "PATH", default: nil, "the Dockerfile (default CONTEXT/Dockerfile; a relative path is from the current directory)"),
                             .repeated("build_arg", "KEY=VALUE", "a build-time variable (KEY alone: its value here)"),
                             .option("target", "STAGE", default: nil, "build up to this stage of a multi-stage Dockerfile"),
                             .repeated("label", "KEY=VALUE", "a label for the image"),
                             .flag("no_cache", "do not use the build cache"),
                             .flag("pull", "always look for a newer version of the base images"),
                             .flag("quiet", short: "q", "no build output; at statement level print the image id")],
                            summary: "Builds an image from a Dockerfile and returns it. The context directory goes to the engine as a tar archive, streamed, honouring .dockerignore exactly as the docker CLI (patterns, **, ! exceptions; the Dockerfile and .dockerignore are always sent). At statement level the steps' output streams to stdout; when the value is used it is kept quiet. A failing step raises BuildError with .step (\"2/5\"), .instruction, .exit_code and .output (its last lines). The image carries the labels dks.session and dks.script, and an image object built with one -t pushes that name.",
                            example: "build -t app:ci examples/app\n$img = build -t app:ci -f examples/app/Dockerfile --build-arg VERSION=1.2 examples/app\ntry { build broken/ } catch $e { echo $e.step $e.exit_code }")
        r.register(sig) { a in try run(&a, ctx) }
    }

    static func run(_ a: inout Arguments, _ ctx: ContainerContext) throws -> Value {
        let tags = RunOptions.flatStrings(a[1])
        for t in tags {
            do { _ = try ImageReference.parseTagTarget(t) } catch let e as ImageReference.Invalid {
                throw ScriptError(.valueError, "build: -t \"\(t)\" is not a valid repository/tag: \(e.description)")
            }
        }
        var options = BuildOptions()
        options.tags = tags
        for item in RunOptions.flatStrings(a[3]) {
            let key = String(item.prefix { $0 != "=" })
            guard !key.isEmpty else { throw ScriptError(.valueError, "build: invalid --build-arg \(item): the name is empty") }
            if let eq = item.firstIndex(of: "=") {
                options.buildArgs.append((key, String(item[item.index(after: eq)...])))
            } else {
                // `--build-arg NAME` takes NAME from $env, as `-e NAME` does.
                options.buildArgs.append((key, a.interp.environmentValue(key)))
            }
        }
        options.target = try a.optionalString(4)
        options.labels = RunOptions.flatStrings(a[5]).map(RunOptions.splitKeyValue).filter { $0.0 != "dks.session" && $0.0 != "dks.script" }
        options.labels.append(("dks.session", ctx.sessionID))
        options.labels.append(("dks.script", a.interp.scriptName.isEmpty ? "<prompt>" : a.interp.scriptName))
        options.noCache = a.bool(6)
        options.pull = a.bool(7)
        options.quiet = a.bool(8)

        let context = try BuildContext.prepare(context: try a.string(0), dockerfile: try a.optionalString(2), cwd: CopyCommand.currentDirectory())
        let matcher = try context.matcher()
        options.dockerfile = context.dockerfile
        options.registryConfig = RegistryAccess.registryConfig(a.interp)

        let streaming = !a.valueUsed
        let output = try BuildOutput(streamingTo: streaming && !options.quiet ? a.interp : nil, terminal: a.interp.out.fd.map { isatty($0) == 1 } ?? false)
        let handle = ctx.current(a.interp)
        do {
            try handle.call("build") { engine in
                try engine.build(options, context: { write in
                    try withoutActuallyEscaping(write) { write in
                        try context.write(into: TarWriter(chunkSize: 256 * 1024, sink: write), matcher: matcher)
                    }
                }, onMessage: output.handle)
            }
        } catch let e as TarError {
            throw ScriptError(.ioError, "build: cannot send the context: \(e.description)")
        } catch let e as IgnorePatternError {
            throw ScriptError(.valueError, "build: .dockerignore: \(e.description)")
        }
        try output.finish()
        if let failure = output.failure { throw output.buildError(failure) }
        guard let id = output.imageID else {
            throw ScriptError(.engineError, "build: the engine finished without naming the image it built")
        }
        if streaming {
            if options.quiet {
                try a.interp.out.write(bytes: Array((id + "\n").utf8))
                try a.interp.out.flush()
            }
            return .null
        }
        let doc = try handle.call("build") { try $0.inspectImage(id) }
        return .object(ImageObject(id: doc["Id"]?.stringValue ?? id, engine: handle, reference: tags.count == 1 ? tags[0] : nil, document: doc))
    }
}

/// The build's JSON messages: streamed to stdout (statement level) or kept, the current step,
/// its last output lines, the image id, and the failure if any.
final class BuildOutput {
    private let interp: Interpreter?
    private let terminal: Bool
    private var partial: [UInt8] = []
    private(set) var step: (number: String, instruction: String)?
    private var stepLines = TailBuffer(limit: 64 * 1024)
    private(set) var imageID: String?
    private(set) var failure: (message: String, code: Int?)?

    init(streamingTo interp: Interpreter?, terminal: Bool) throws {
        self.interp = interp
        self.terminal = terminal
        try interp?.flush()
    }

    func handle(_ message: JSON) throws {
        if let aux = message["aux"], let id = aux["ID"]?.stringValue { imageID = id }
        if let error = message["error"]?.stringValue ?? message["errorDetail"]?["message"]?.stringValue {
            failure = (error, message["errorDetail"]?["code"]?.intValue.map { Int($0) })
            return
        }
        if let text = message["stream"]?.stringValue {
            let bytes = Array(text.utf8)
            if let interp = interp {
                try interp.out.write(bytes: terminal ? bytes : Self.withoutColour(bytes))
                try interp.out.flush()
            }
            lines(bytes)
        } else if let status = message["status"]?.stringValue, let interp = interp {
            // Base image pulls inside the build: their status lines, without progress bars.
            let id = message["id"]?.stringValue.map { $0 + ": " } ?? ""
            if message["progressDetail"]?["current"] == nil {
                try interp.out.write(bytes: Array((id + status + "\n").utf8))
                try interp.out.flush()
            }
        }
    }

    /// Splits the stream into lines to follow the steps and keep each step's output.
    private func lines(_ bytes: [UInt8]) {
        for b in bytes {
            if b == 10 {
                line(String(decoding: Self.withoutColour(partial), as: UTF8.self))
                partial.removeAll(keepingCapacity: true)
            } else if partial.count < 1 << 16 {
                partial.append(b)
            }
        }
    }

    private func line(_ text: String) {
        if text.hasPrefix("Step "), let colon = text.range(of: " : ") {
            step = (String(text[text.index(text.startIndex, offsetBy: 5)..<colon.lowerBound]), String(text[colon.upperBound...]))
            stepLines = TailBuffer(limit: 64 * 1024)
            return
        }
        if quiet(text) { return }
        stepLines.append(Array((text + "\n").utf8))
        if imageID == nil, text.hasPrefix("sha256:"), !text.contains(" ") { imageID = text }
        if imageID == nil, text.hasPrefix("Successfully built ") { imageID = String(text.dropFirst("Successfully built ".count)) }
    }

    /// The builder's own bookkeeping lines, which are not a step's output.
    private func quiet(_ text: String) -> Bool {
        text.hasPrefix(" ---> ") || text.hasPrefix("Removing intermediate container ") || text.isEmpty
    }

    func finish() throws {
        if !partial.isEmpty { line(String(decoding: Self.withoutColour(partial), as: UTF8.self)) }
        partial.removeAll()
        try interp?.out.flush()
    }

    /// The BuildError for a failure message: the step, the exit code, the last lines.
    func buildError(_ failure: (message: String, code: Int?)) -> ScriptError {
        var text = "build: "
        if let s = step { text += "step \(s.number) (\(s.instruction)) failed" } else { text += "failed" }
        if let code = failure.code, failure.message.contains("returned a non-zero code") {
            text += " with exit code \(code)"
        } else {
            text += ": \(failure.message)"
        }
        var e = ScriptError(.buildError, text)
        if let code = failure.code, code != 0 { e.exitCode = code }
        e.output = stepLines.lastLines(20)
        e.extra.append(("step", step.map { .string($0.number) } ?? .null))
        e.extra.append(("instruction", step.map { .string($0.instruction) } ?? .null))
        e.extra.append(("error", .string(failure.message)))
        return e
    }

    /// The text without the colour codes the builder wraps a step's stderr in (`ESC[91m`).
    static func withoutColour(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0x1B) else { return bytes }
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x1B, i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "[") {
                var j = i + 2
                while j < bytes.count, (bytes[j] >= 0x30 && bytes[j] <= 0x3F) { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: "m") { i = j + 1; continue }
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }
}
