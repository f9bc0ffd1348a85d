// MountOptions: `--mount` as the docker CLI parses it — comma-separated (CSV, so a quoted field
// may hold commas) KEY=VALUE fields, keys case-insensitive, every key the CLI knows (type,
// source/src, target/destination/dst, readonly/ro, consistency, bind-propagation,
// bind-recursive, volume-nocopy, volume-label, volume-driver, volume-opt, volume-subpath,
// tmpfs-size, tmpfs-mode), with its error texts. Must not: check what only the daemon can
// (a propagation mode's name, an anonymous read-only volume): the daemon's answer says it.
import DKSEngine
import DKSLanguage
import DKSSupport

enum MountOptions {
    /// Parses one `--mount` value; `cwd` makes a source starting with `.` absolute, as the CLI does.
    static func parse(_ spec: String, command: String, cwd: String) throws -> Mount {
        func bad(_ why: String) -> ScriptError { ScriptError(.valueError, "\(command): bad --mount '\(spec)': \(why)") }
        var m = Mount(type: "volume", source: "", target: "", readOnly: false)
        var bind: Mount.BindOptions?, volume: Mount.VolumeOptions?, tmpfs: Mount.TmpfsOptions?
        for field in try csvFields(spec, bad: bad) {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].lowercased()
            guard parts.count == 2 else {
                switch key {
                case "readonly", "ro": m.readOnly = true
                case "volume-nocopy": volume = volume ?? .init(); volume?.noCopy = true
                case "bind-nonrecursive": bind = bind ?? .init(); bind?.nonRecursive = true
                default: throw bad("invalid field '\(field)' must be a key=value pair")
                }
                continue
            }
            let value = String(parts[1])
            switch key {
            case "type": m.type = value.lowercased()
            case "source", "src":
                m.source = value.hasPrefix(".") ? GoPath.clean(cwd + "/" + value) : value
            case "target", "dst", "destination": m.target = value
            case "readonly", "ro":
                guard let b = goBool(value) else { throw bad("invalid value for \(key): \(value)") }
                m.readOnly = b
            case "consistency": m.consistency = value.lowercased()
            case "bind-propagation": bind = bind ?? .init(); bind?.propagation = value.lowercased()
            case "bind-nonrecursive": throw bad("bind-nonrecursive is deprecated, use bind-recursive=disabled instead")
            case "bind-recursive":
                bind = bind ?? .init()
                switch value {
                case "enabled": break
                case "disabled": bind?.nonRecursive = true
                case "writable": bind?.readOnlyNonRecursive = true
                case "readonly": bind?.readOnlyForceRecursive = true
                default: throw bad("invalid value for \(key): \(value) (must be \"enabled\", \"disabled\", \"writable\", or \"readonly\")")
                }
            case "volume-subpath": volume = volume ?? .init(); volume?.subpath = value
            case "volume-nocopy":
                guard let b = goBool(value) else { throw bad("invalid value for volume-nocopy: \(value)") }
                volume = volume ?? .init(); volume?.noCopy = b
            case "volume-label":
                volume = volume ?? .init()
                let (k, v) = RunOptions.splitKeyValue(value)
                if !k.isEmpty { volume?.labels[k] = v }
            case "volume-driver": volume = volume ?? .init(); volume?.driver = value
            case "volume-opt":
                volume = volume ?? .init()
                let (k, v) = RunOptions.splitKeyValue(value)
                if !k.isEmpty { volume?.driverOptions[k] = v }
            case "tmpfs-size":
                guard let size = parseSize(value) else { throw bad("invalid value for \(key): \(value)") }
                tmpfs = tmpfs ?? .init(); tmpfs?.sizeBytes = size
            case "tmpfs-mode":
                guard let mode = UInt32(value, radix: 8) else { throw bad("invalid value for \(key): \(value)") }
                tmpfs = tmpfs ?? .init(); tmpfs?.mode = mode
            default:
                throw bad("unexpected key '\(key)' in '\(field)'")
            }
        }
        guard !m.type.isEmpty else { throw bad("type is required") }
        guard !m.target.isEmpty else { throw bad("target is required") }
        if volume != nil && m.type != "volume" { throw bad("cannot mix 'volume-*' options with mount type '\(m.type)'") }
        if bind != nil && m.type != "bind" { throw bad("cannot mix 'bind-*' options with mount type '\(m.type)'") }
        if tmpfs != nil && m.type != "tmpfs" { throw bad("cannot mix 'tmpfs-*' options with mount type '\(m.type)'") }
        m.bind = bind
        m.volume = volume
        m.tmpfs = tmpfs
        return m
    }

    /// Go's strconv.ParseBool.
    static func goBool(_ s: String) -> Bool? {
        switch s {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }

    /// The fields of one CSV record (Go's encoding/csv): a field that starts with `"` runs to the
    /// closing quote (`""` is a quote) and may hold commas; a quote elsewhere is an error.
    static func csvFields(_ s: String, bad: (String) -> ScriptError) throws -> [String] {
        var fields: [String] = []
        var chars = Substring(s)
        while true {
            var field = ""
            if chars.first == "\"" {
                chars = chars.dropFirst()
                while true {
                    guard let c = chars.first else { throw bad("extraneous or missing \" in quoted-field") }
                    chars = chars.dropFirst()
                    if c == "\"" {
                        if chars.first == "\"" { field.append("\""); chars = chars.dropFirst(); continue }
                        break
                    }
                    field.append(c)
                }
                guard chars.isEmpty || chars.first == "," else { throw bad("extraneous or missing \" in quoted-field") }
            } else {
                while let c = chars.first, c != "," {
                    if c == "\"" { throw bad("bare \" in non-quoted-field") }
                    field.append(c)
                    chars = chars.dropFirst()
                }
            }
            fields.append(field)
            guard chars.first == "," else { break }
            chars = chars.dropFirst()
        }
        return fields
    }
}
