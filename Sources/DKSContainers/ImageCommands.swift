// ImageCommands: images, pull and push (progress per layer, credentials from the docker CLI's
// stores), tag, rmi and history. Must not: talk to registries itself (the engine does; dks
// shows progress and passes credentials), or read config.json (RegistryAccess does).
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
                             summary: "The engine's images as a list of image objects. Their .tags, .labels, .size, .created and .attrs are read live; .id and .short_id are fixed. Methods: tag, push, rmi, history, inspect, save. At statement level it prints a table, as docker images does.",
                             example: "for $i in (images) { echo $i.tags $i.size }\necho (images --filter reference=dks-test/*)")) { a in
            let filters = try RunOptions.parseFilters(RunOptions.flatStrings(a[1]), command: "images")
            let all = a.bool(0)
            let list = try ctx.call("images") { try $0.images(all: all, filters: filters) }
            let images: Value = .list(list.compactMap { s in s["Id"]?.stringValue.map { .object(ImageObject(id: $0, context: ctx, document: s)) } })
            if a.usage == .statement {
                try QueryPresentation.print(images, header: QueryPresentation.imageHeader, a.interp)
                return .null
            }
            return images
        }
        r.register(Signature("pull", topic: "images",
                             [.arg("ref", "REPOSITORY[:TAG] or REPOSITORY@DIGEST"),
                              .flag("quiet", short: "q", "no progress")],
                             summary: "Pulls an image and returns it. Progress goes to stderr: on a terminal one bar per layer (bytes and rate), redrawn in place; otherwise one line per layer step. Registry credentials come from the docker CLI's stores (~/.docker/config.json and its credential helpers), so 'docker login' works for dks too. A registry's refusal is an error that says to log in; a missing image is NotFound.",
                             example: "$img = pull busybox:latest\necho $img.tags")) { a in
            let ref = try a.string(0)
            try validate(ref, command: "pull")
            try pull(ref, ctx, a.interp, quiet: a.bool(1))
            return try image(ref, ctx, "pull", reference: ref)
        }
        r.register(Signature("push", topic: "images",
                             [.arg("image", "an image object, or REPOSITORY[:TAG]"),
                              .flag("all_tags", short: "a", "push every tag of the repository"),
                              .flag("quiet", short: "q", "no progress")],
                             summary: "Pushes an image to its registry and returns {ref, digest, size}. An image object pushes the name it was obtained by (tag, pull, build -t) or its only tag. Without a tag, 'latest' is pushed (as the docker CLI does); --all-tags pushes every tag of the repository and returns a list. Progress as for pull; credentials from 'login' or 'docker login'.",
                             example: "tag $img 127.0.0.1:5000/app:1.0\npush 127.0.0.1:5000/app:1.0\n$r = push 127.0.0.1:5000/app:1.0 -q   # $r.digest")) { a in
            try push(a, ctx)
        }
        r.register(Signature("tag", topic: "images", [.arg("source", "an image (object, name or id)"), .arg("target", "REPOSITORY[:TAG]")],
                             summary: "Gives an image another name, REPOSITORY[:TAG] (tag 'latest' when none), and returns the image (whose push pushes that name).",
                             example: "$v1 = tag dks-test/busybox:latest localhost:5000/busybox:v1\npush $v1")) { a in
            let source = try ctx.ref(a[0], command: "tag", what: "image")
            // Validated before anything is tagged, as the docker CLI does.
            let text = a[1].str
            let target: ImageReference
            do { target = try ImageReference.parseTagTarget(text) } catch let e as ImageReference.Invalid {
                throw ScriptError(.valueError, "tag: \"\(text)\" is not a valid repository/tag: \(e.description)")
            }
            try ctx.call("tag") { try $0.tag(source, repository: target.name, tag: target.tag) }
            let name = target.name + ":" + (target.tag ?? "latest")
            return try image(name, ctx, "tag", reference: name)
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
        r.register(Signature("history", topic: "images", [.arg("image", "an image (object, name or id)")],
                             summary: "The image's layers, newest first: a list of {id, created (unix seconds), created_by, size, tags, comment}, as docker history lists them.",
                             example: "for $layer in (history dks-test/busybox) { echo $layer.size $layer.created_by }")) { a in
            let ref = try ctx.ref(a[0], command: "history", what: "image")
            let layers = try ctx.call("history") { try $0.imageHistory(ref) }
            return .list(layers.map { l in
                JSONValues.map([("id", JSONValues.value(l["Id"])), ("created", JSONValues.value(l["Created"])),
                                ("created_by", JSONValues.value(l["CreatedBy"])), ("size", JSONValues.value(l["Size"])),
                                ("tags", .list((l["Tags"]?.arrayValue ?? []).map { JSONValues.value($0) })),
                                ("comment", JSONValues.value(l["Comment"]))])
            })
        }
    }

    static func validate(_ ref: String, command: String) throws {
        do { _ = try ImageReference.parse(ref) } catch let e as ImageReference.Invalid {
            throw ScriptError(.valueError, "\(command): \"\(ref)\" is not a valid repository/tag: \(e.description)")
        }
    }

    /// Pulls `ref` with the stored credentials, showing progress on stderr (for `pull`, and for
    /// `run`/`create` when the image is missing).
    static func pull(_ ref: String, _ ctx: ContainerContext, _ interp: Interpreter, quiet: Bool = false, command: String = "pull") throws {
        let auth = try RegistryAccess.authHeader(for: ref, command: command, interp)
        try interp.flush()
        let progress = StageIO.progress(interp)
        do {
            try ctx.call(command) { try $0.pull(ref, auth: auth.header) { if !quiet { progress.update($0) } } }
        } catch {
            progress.finish()
            throw RegistryAccess.advise(error, registry: auth.registry, hadCredentials: auth.hasCredentials)
        }
        progress.finish()
    }

    /// `push`: which name, with which credentials; returns {ref, digest, size} (a list with --all-tags).
    static func push(_ a: Arguments, _ ctx: ContainerContext) throws -> Value {
        let name: String
        switch a[0] {
        case .object(let img as ImageObject):
            if let r = img.reference { name = r } else {
                let tags = (try? ImageObject.tags(of: img.inspect("push"))) ?? img.knownTags
                guard tags.count == 1, let only = tags.first else {
                    throw ScriptError(.valueError, tags.isEmpty
                        ? "push: image \(img.shortID) has no name to push; tag it first: tag $img REGISTRY/NAME:TAG"
                        : "push: image \(img.shortID) has several names (\(tags.joined(separator: ", "))); push one of them by name")
                }
                name = only
            }
        default:
            name = try a.string(0)
        }
        let allTags = a.bool(1), quiet = a.bool(2)
        let ref: ImageReference
        do { ref = try ImageReference.parse(name) } catch let e as ImageReference.Invalid {
            throw ScriptError(.valueError, "push: \"\(name)\" is not a valid repository/tag: \(e.description)")
        }
        guard ref.digest == nil else { throw ScriptError(.valueError, "push: cannot push a digest reference (\(name)); push a tag") }
        if allTags, ref.tag != nil { throw ScriptError(.valueError, "push: a tag cannot be used with --all-tags (\(name))") }
        var tag = ref.tag
        if !allTags && tag == nil {
            try StageIO.note(a.interp, "Using default tag: latest\n")
            tag = "latest"
        }
        let auth = try RegistryAccess.authHeader(for: name, command: "push", a.interp)
        try a.interp.flush()
        let progress = StageIO.progress(a.interp)
        var pushed: [Value] = []
        let repository = ref.name
        do {
            try ctx.call("push") { engine in
                try engine.push(repository, tag: tag, auth: auth.header) { message in
                    if let aux = message["aux"], let digest = aux["Digest"]?.stringValue {
                        let t = aux["Tag"]?.stringValue ?? tag ?? "latest"
                        pushed.append(JSONValues.map([("ref", .string(repository + ":" + t)), ("digest", .string(digest)),
                                                      ("size", JSONValues.value(aux["Size"]))]))
                    }
                    if !quiet { progress.update(message) }
                }
            }
        } catch {
            progress.finish()
            throw RegistryAccess.advise(error, registry: auth.registry, hadCredentials: auth.hasCredentials)
        }
        progress.finish()
        if allTags { return .list(pushed) }
        return pushed.last ?? .null
    }

    /// The image object for a reference (inspected now).
    static func image(_ ref: String, _ ctx: ContainerContext, _ command: String, reference: String? = nil) throws -> Value {
        let doc = try ctx.call(command) { try $0.inspectImage(ref) }
        return .object(ImageObject(id: doc["Id"]?.stringValue ?? ref, context: ctx, reference: reference, document: doc))
    }
}
