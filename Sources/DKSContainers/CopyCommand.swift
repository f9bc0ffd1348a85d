// CopyCommand: `cp SRC DST` between the host and a container (`C:/path` on one side), with
// docker cp's rules: into an existing directory, else as the new name. Archives are built and
// extracted here with Tar. Must not: follow archive paths out of the destination (no absolute
// paths, no `..`) or write through symlinks the archive itself created.
import DKSEngine
import DKSLanguage
import DKSSupport
import Foundation

enum CopyCommand {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        r.register(Signature("cp", topic: "containers",
                             [.arg("source", "HOST_PATH or CONTAINER:PATH"), .arg("dest", "HOST_PATH or CONTAINER:PATH")],
                             summary: "Copies a file or directory between the host and a container; one side is CONTAINER:PATH (a name, an id, or \"$c:/path\" with a container object). Into an existing directory the source keeps its name; otherwise it is created as DEST. Returns null.",
                             example: "cp ./config.json web:/etc/app/\ncp \"$c:/etc/hostname\" /tmp/hostname")) { a in
            let src = try a.string(0), dst = try a.string(1)
            switch (splitContainerPath(src), splitContainerPath(dst)) {
            case (let s?, nil): try copyOut(ctx, container: s.container, path: s.path, to: dst)
            case (nil, let d?): try copyIn(ctx, from: src, container: d.container, path: d.path)
            case (nil, nil): throw ScriptError(.valueError, "cp: one side must be CONTAINER:PATH (e.g. web:/etc/hosts)")
            default: throw ScriptError(.valueError, "cp: copying between two containers is not supported; copy through the host")
            }
            return .null
        }
    }

    /// `C:/path` → (C, /path). A host path (starting with / . ~ or without a colon) → nil.
    /// `<container NAME ID>:/path` (a container object interpolated into a string) uses the id.
    static func splitContainerPath(_ s: String) -> (container: String, path: String)? {
        if s.hasPrefix("<container "), let close = s.firstIndex(of: ">") {
            let words = s[..<close].split(separator: " ")
            let rest = s[s.index(after: close)...]
            guard rest.hasPrefix(":"), let id = words.last else { return nil }
            return (String(id), String(rest.dropFirst()))
        }
        guard let first = s.first, first != "/", first != ".", first != "~", let colon = s.firstIndex(of: ":") else { return nil }
        let name = String(s[..<colon])
        if name.contains("/") { return nil }
        var path = String(s[s.index(after: colon)...])
        if path.isEmpty { path = "/" }
        return (name, path)
    }

    static func copyOut(_ ctx: ContainerContext, container: String, path: String, to dest: String) throws {
        let archive = try ctx.call("cp") { try $0.copyOut(container, path: path) }
        var entries: [TarEntry]
        do { entries = try Tar.read(archive) } catch let e as TarError { throw ScriptError(.engineError, "cp: \(e.description)") }
        var isDir: ObjCBool = false
        let destExists = FileManager.default.fileExists(atPath: dest, isDirectory: &isDir)
        var root = dest
        if !(destExists && isDir.boolValue) {
            // Not an existing directory: the copied item becomes DEST itself.
            let top = entries.first.map { topComponent($0.name) } ?? ""
            let newName = (dest as NSString).lastPathComponent
            root = (dest as NSString).deletingLastPathComponent
            if root.isEmpty { root = "." }
            entries = entries.map { e in
                var e = e
                e.name = newName + String(e.name.dropFirst(top.count))
                return e
            }
        }
        try extract(entries, into: root)
    }

    static func copyIn(_ ctx: ContainerContext, from source: String, container: String, path: String) throws {
        var src = source
        while src.count > 1 && src.hasSuffix("/") { src.removeLast() }
        let base = (src as NSString).lastPathComponent
        let entries = try collect(src, as: base)
        let engine = try ctx.engine("cp")
        let archive: [UInt8]
        do { archive = try Tar.write(entries) } catch let e as TarError { throw ScriptError(.valueError, "cp: \(e.description)") }
        if path.hasSuffix("/") {
            try ErrorMapping.run("cp") { try engine.copyIn(container, path: path, tar: archive) }
            return
        }
        // Into PATH if it is a directory in the container; otherwise create PATH itself.
        do {
            try engine.copyIn(container, path: path, tar: archive)
        } catch let e as EngineError where [.notFound, .invalidArgument, .engine].contains(e.kind) && !e.message.lowercased().contains("no such container") {
            let parent = (path as NSString).deletingLastPathComponent
            let name = (path as NSString).lastPathComponent
            let renamed = entries.map { en -> TarEntry in
                var en = en
                en.name = name + String(en.name.dropFirst(base.count))
                return en
            }
            let archive2: [UInt8]
            do { archive2 = try Tar.write(renamed) } catch let t as TarError { throw ScriptError(.valueError, "cp: \(t.description)") }
            try ErrorMapping.run("cp") { try engine.copyIn(container, path: parent.isEmpty ? "/" : parent, tar: archive2) }
        } catch {
            throw ErrorMapping.map(error, command: "cp")
        }
    }

    private static func topComponent(_ name: String) -> String {
        String(name.split(separator: "/", omittingEmptySubsequences: true).first ?? "")
    }

    /// The entries for host path `path`, named `name` (and `name/...` inside a directory).
    static func collect(_ path: String, as name: String) throws -> [TarEntry] {
        let fm = FileManager.default
        let attrs: [FileAttributeKey: Any]
        do { attrs = try fm.attributesOfItem(atPath: path) } catch {
            throw ScriptError(.ioError, "cp: cannot read \(path): no such file or directory")
        }
        let mode = (attrs[.posixPermissions] as? NSNumber)?.intValue ?? 0o644
        let mtime = Int((attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
        let type = attrs[.type] as? FileAttributeType
        if type == .typeSymbolicLink {
            let target = (try? fm.destinationOfSymbolicLink(atPath: path)) ?? ""
            return [TarEntry(name: name, kind: .symlink, mode: mode, linkTarget: target, mtime: mtime)]
        }
        if type == .typeDirectory {
            var out = [TarEntry(name: name, kind: .directory, mode: mode, mtime: mtime)]
            let children: [String]
            do { children = try fm.contentsOfDirectory(atPath: path).sorted() } catch {
                throw ScriptError(.ioError, "cp: cannot list \(path): \(error.localizedDescription)")
            }
            for child in children { out += try collect(path + "/" + child, as: name + "/" + child) }
            return out
        }
        guard let data = fm.contents(atPath: path) else { throw ScriptError(.ioError, "cp: cannot read \(path)") }
        return [TarEntry(name: name, kind: .file, mode: mode, bytes: [UInt8](data), mtime: mtime)]
    }

    /// Writes entries under `root`, refusing names that would land outside it. Symlinks are made
    /// last, so no entry of the same archive is ever written through one.
    static func extract(_ entries: [TarEntry], into root: String) throws {
        let fm = FileManager.default
        var links: [(String, String)] = []
        for e in entries {
            let parts = e.name.split(separator: "/").filter { $0 != "." }
            guard !parts.isEmpty else { continue }
            guard !e.name.hasPrefix("/"), !parts.contains("..") else {
                throw ScriptError(.valueError, "cp: refusing archive entry outside the destination: \(e.name)")
            }
            let target = root + "/" + parts.joined(separator: "/")
            do {
                switch e.kind {
                case .directory:
                    try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
                    try? fm.setAttributes([.posixPermissions: e.mode & 0o7777], ofItemAtPath: target)
                case .file:
                    try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    if (try? fm.destinationOfSymbolicLink(atPath: target)) != nil { try fm.removeItem(atPath: target) }
                    guard fm.createFile(atPath: target, contents: Data(e.bytes),
                                        attributes: [.posixPermissions: e.mode & 0o7777]) else {
                        throw ScriptError(.ioError, "cp: cannot write \(target)")
                    }
                case .symlink:
                    links.append((target, e.linkTarget))
                }
            } catch let s as ScriptError {
                throw s
            } catch {
                throw ScriptError(.ioError, "cp: cannot write \(target): \(error.localizedDescription)")
            }
        }
        for (path, dest) in links {
            try? fm.removeItem(atPath: path)
            do { try fm.createSymbolicLink(atPath: path, withDestinationPath: dest) } catch {
                throw ScriptError(.ioError, "cp: cannot create link \(path): \(error.localizedDescription)")
            }
        }
    }
}
