// SystemBuiltins: the process and its world — env, now, sleep, exit, assert, read_file,
// write_file, source, json, parse_json. Must not: spawn processes or shells.
#if canImport(Glibc)
import Glibc
#endif
import DKSLanguage
import DKSSupport

extension GeneralBuiltins {
    static func registerSystem(_ r: BuiltinRegistry) {
        r.register(Signature("env", topic: "system", [.arg("name"), .arg("default", default: .null)],
                             summary: "The environment variable NAME, or DEFAULT (null) when it is not set. The map $env is the environment of host programs: $env.NAME = \"v\" exports, $env.NAME = null unsets; env() reads it.",
                             example: "env(\"HOME\")\nenv(\"PORT\", \"8080\")")) { a in
            a.interp.environmentValue(try a.string(0)).map { .string($0) } ?? a[1]
        }
        r.register(Signature("now", topic: "system", [],
                             summary: "The current time as unix seconds (a float).", example: "$t0 = now(); sleep 1; echo (now() - $t0)")) { _ in
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            return .float(Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9)
        }
        r.register(Signature("sleep", topic: "system", [.arg("duration")],
                             summary: "Waits for DURATION: seconds as a number, or a string like 500ms, 30s, 1m30s, 2h. Ctrl-C interrupts it.",
                             example: "sleep 1.5\nsleep 200ms")) { a in
            let d = try a.duration(0)
            try a.interp.flush()
            do { try interruptibleSleep(seconds: d) } catch { throw ScriptError.interrupted() }
            return .null
        }
        r.register(Signature("exit", topic: "system", [.arg("status", default: .int(0))],
                             summary: "Ends dks with exit status STATUS (0 by default), after running pending finally and defer blocks.",
                             example: "if not $ok { exit 3 }")) { a in
            let n = try a.int(0)
            // `exit N` ends dks with N whatever; a failed write is reported at exit (Runner).
            a.interp.flushQuietly()
            throw ExitRequest(status: Int32(truncatingIfNeeded: n))
        }
        r.register(Signature("assert", topic: "system", [.arg("condition"), .arg("message", default: .null)],
                             summary: "Raises an AssertionError (with MESSAGE, if given) when CONDITION is falsy.",
                             example: "assert (len $xs) > 0 \"the list must not be empty\"")) { a in
            if a[0].isTruthy { return .null }
            throw ScriptError(.assertionError, a.isGiven(1) ? a[1].str : "assertion failed")
        }
        r.register(Signature("read_file", topic: "files", [.arg("path")],
                             summary: "The contents of a file as a string. A missing or unreadable file is an IOError naming the path and the reason.",
                             example: "$config = parse_json(read_file(\"config.json\"))")) { a in
            .string(try readFile(try a.string(0)))
        }
        r.register(Signature("write_file", topic: "files", [.arg("path"), .arg("content"), .flag("append", short: "a", "add to the end instead of replacing")],
                             summary: "Writes CONTENT's str form to a file, replacing it (or appending with --append).",
                             example: "write_file(\"/tmp/out.txt\", \"hello\\n\")")) { a in
            let path = try a.string(0)
            let bytes = Array(a[1].str.utf8)
            guard let fp = fopen(path, a.bool(2) ? "ab" : "wb") else {
                throw ScriptError(.ioError, "write_file: cannot open \(path): \(lastErrorText())")
            }
            defer { fclose(fp) }
            if !bytes.isEmpty, fwrite(bytes, 1, bytes.count, fp) != bytes.count {
                throw ScriptError(.ioError, "write_file: cannot write \(path): \(lastErrorText())")
            }
            return .null
        }
        r.register(Signature("source", topic: "files", [.arg("path")],
                             summary: "Runs another dks file in the global scope, so its functions and variables become available here. Paths are relative to the current directory.",
                             example: "source lib/helpers.dks")) { a in
            let path = try a.string(0)
            let text = try readFile(path)
            try a.interp.runNested(SourceFile(name: path, text: text))
            return .null
        }
        r.register(Signature("json", topic: "values", [.arg("value")],
                             summary: "Encodes a value as JSON text. Map keys become strings; functions and engine objects can't be encoded.",
                             example: "json({a: [1, 2]})   # \"{\\\"a\\\":[1,2]}\"")) { a in
            .string(try jsonEncode(a[0]).encoded())
        }
        r.register(Signature("parse_json", topic: "values", [.arg("text")],
                             summary: "Decodes JSON text into dks values (objects become maps, keeping their order). Invalid JSON is a ValueError with the byte offset.",
                             example: "parse_json(\"[1, {\\\"a\\\": null}]\")   # [1, {a: null}]")) { a in
            do { return jsonDecode(try JSON.parse(try a.string(0))) } catch let e as JSONError { throw valueError("parse_json: \(e.description)") }
        }
    }

    static func readFile(_ path: String) throws -> String {
        guard let bytes = readFileBytes(path) else {
            throw ScriptError(.ioError, "cannot read \(path): \(lastErrorText())")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// dks value → JSON.
    public static func jsonEncode(_ v: Value) throws -> JSON {
        switch v.unwrapped {
        case .null, .undefined: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int64(i))
        case .float(let d):
            guard d.isFinite else { throw valueError("json: \(formatFloat(d)) has no JSON form") }
            return .double(d)
        case .string(let s): return .string(s)
        case .list(let l): return .array(try l.map(jsonEncode))
        case .range: return .array(try iterableItems(v, "json").map(jsonEncode))
        case .map(let m): return .object(try m.map { ($0.key.str, try jsonEncode($0.value)) })
        case .error(let e): return .object([("kind", .string(e.error.kind.rawValue)), ("message", .string(e.error.message))])
        case .function, .object:
            throw typeError("json: \(v.typeNameWithArticle) can't be encoded as JSON")
        }
    }

    /// JSON → dks value.
    public static func jsonDecode(_ j: JSON) -> Value {
        switch j {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int(i))
        case .double(let d): return .float(d)
        case .string(let s): return .string(s)
        case .array(let a): return .list(a.map(jsonDecode))
        case .object(let fields):
            var m = MapStorage(minimumCapacity: fields.count)
            for (k, v) in fields { m[.string(k)] = jsonDecode(v) }
            return .map(m)
        }
    }
}
