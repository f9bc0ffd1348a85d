// ImageCommands: images, pull (with progress), tag, rmi.
// Must not: talk to registries itself (the engine pulls; dks only shows progress).
#if canImport(Glibc)
import Glibc
#endif
import DKSEngine
import DKSLanguage
import DKSSupport

enum ImageCommands {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        r.register(Signature("images", topic: "images",
                             [.flag("all", short: "a", "include intermediate images"),
                              .repeated("filter", "KEY=VALUE", "e.g. reference=busybox*, label=K=V, dangling=true")],
                             summary: "The engine's images as a list of image objects (.id, .short_id, .tags, .size, .created, .labels, .attrs). At statement level it prints a table, as docker images does.",
                             example: "for $i in (images) { echo $i.tags $i.size }")) { a in
            let filters = try RunOptions.parseFilters(RunOptions.flatStrings(a[1]), command: "images")
            let all = a.bool(0)
            let list = try ctx.call("images") { try $0.images(all: all, filters: filters) }
            let images: Value = .list(list.compactMap { s in s["Id"]?.stringValue.map { .object(ImageObject(id: $0, summary: s, context: ctx)) } })
            if a.usage == .statement {
                try QueryPresentation.print(images, header: QueryPresentation.imageHeader, a.interp)
                return .null
            }
            return images
        }
        r.register(Signature("pull", topic: "images", [.arg("ref", "REPOSITORY[:TAG] or REPOSITORY@DIGEST")],
                             summary: "Pulls an image and returns it. Progress goes to stderr: a bar per layer on a terminal, as the docker CLI draws it, else one line per layer step. Registry credentials come from ~/.docker/config.json.",
                             example: "$img = pull busybox:latest\necho $img.tags")) { a in
            let ref = try a.string(0)
            do { _ = try ImageReference.parse(ref) } catch let e as ImageReference.Invalid {
                throw ScriptError(.valueError, "pull: \"\(ref)\" is not a valid repository/tag: \(e.description)")
            }
            try a.interp.flush()
            let progress = PullProgress(terminal: isatty(2) == 1)
            try ctx.call("pull") { try $0.pull(ref) { progress.update($0) } }
            progress.finish()
            return try image(ref, ctx, "pull")
        }
        r.register(Signature("tag", topic: "images", [.arg("source", "an image (object, name or id)"), .arg("target", "REPOSITORY[:TAG]")],
                             summary: "Gives an image another name, REPOSITORY[:TAG] (tag 'latest' when none), and returns the image.",
                             example: "tag dks-test/busybox:latest localhost:5000/busybox:v1")) { a in
            let source = try ctx.ref(a[0], command: "tag", what: "image")
            // Validated before anything is tagged, as the docker CLI does.
            let text = a[1].str
            let target: ImageReference
            do { target = try ImageReference.parseTagTarget(text) } catch let e as ImageReference.Invalid {
                throw ScriptError(.valueError, "tag: \"\(text)\" is not a valid repository/tag: \(e.description)")
            }
            try ctx.call("tag") { try $0.tag(source, repository: target.name, tag: target.tag) }
            return try image(target.name + ":" + (target.tag ?? "latest"), ctx, "tag")
        }
        r.register(Signature("rmi", topic: "images",
                             [.rest("images", "images (objects, names or ids)"), .flag("force", short: "f", "remove even if containers use it")],
                             summary: "Removes images (or just their tags, when an image has several). Returns a list of {untagged: NAME} and {deleted: ID} maps, as the engine reports.",
                             example: "rmi localhost:5000/busybox:v1")) { a in
            var out: [Value] = []
            for v in try a.list(0) {
                let ref = try ctx.ref(v, command: "rmi", what: "image")
                let force = a.bool(1)
                for entry in try ctx.call("rmi", { try $0.removeImage(ref, force: force) }) {
                    out.append(JSONValues.map((entry.objectValue ?? []).map { ($0.0.lowercased(), JSONValues.value($0.1)) }))
                }
            }
            return .list(out)
        }
    }

    /// The image object for a reference (inspected now).
    static func image(_ ref: String, _ ctx: ContainerContext, _ command: String) throws -> Value {
        let doc = try ctx.call(command) { try $0.inspectImage(ref) }
        return .object(ImageObject(id: doc["Id"]?.stringValue ?? ref, summary: doc, context: ctx))
    }
}

/// Shows `pull` progress on stderr: redrawn bars per layer on a terminal, plain status lines otherwise.
final class PullProgress {
    private let terminal: Bool
    private var order: [String] = []
    private var lines: [String: String] = [:]
    private var lastStatus: [String: String] = [:]
    private var drawn = 0

    init(terminal: Bool) { self.terminal = terminal }

    func update(_ message: JSON) {
        let status = message["status"]?.stringValue ?? ""
        guard let id = message["id"]?.stringValue, !id.isEmpty else {
            // Messages without a layer id ("Digest: ...", "Status: ...") are printed as they are.
            if !status.isEmpty { emit(status) }
            return
        }
        if lines[id] == nil { order.append(id) }
        let bar = terminal ? (message["progress"]?.stringValue ?? "") : ""
        lines[id] = "\(id): \(status)" + (bar.isEmpty ? "" : " \(bar)")
        if terminal { redraw() } else if lastStatus[id] != status {
            // Without a terminal, print each layer's step once (not every byte count).
            lastStatus[id] = status
            writeStderrBytes(Array("\(id): \(status)\n".utf8))
        }
    }

    private func emit(_ line: String) {
        if terminal {
            // Free-form lines go below the layer table, which then redraws under them.
            redraw()
            writeStderrBytes(Array("\(line)\n".utf8))
            drawn = 0
            order.removeAll()
            lines.removeAll()
        } else {
            writeStderrBytes(Array("\(line)\n".utf8))
        }
    }

    private func redraw() {
        var out = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
        for id in order { out += "\u{1B}[2K\r" + (lines[id] ?? "") + "\n" }
        drawn = order.count
        writeStderrBytes(Array(out.utf8))
    }

    func finish() {}
}
