// EnvOptions: `-e` and `--env-file` with the docker CLI's exact rules (its ValidateEnv and its
// env-file parser): `-e NAME` takes the caller's value and, when NAME is unset, is passed as
// `NAME` (which unsets it in the container); env-file lines are trimmed on the left only, a
// name containing a space or tab is an error (`export A=1` is not `A`), a bare name takes the
// caller's value or is left out, values are kept byte for byte. Must not: read files or the
// process environment itself (the caller passes the bytes and a lookup).
import DKSLanguage

enum EnvOptions {
    /// One `-e` value: `KEY=VALUE` as is; `KEY` alone becomes `KEY=VALUE` from the caller's
    /// environment, else stays `KEY`.
    static func resolve(_ item: String, command: String, environment: (String) -> String?) throws -> String {
        let key = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard !key.isEmpty else { throw ScriptError(.valueError, "\(command): invalid environment variable: \(item)") }
        if item.contains("=") { return item }
        if let value = environment(key) { return key + "=" + value }
        return item
    }

    /// The `KEY=VALUE` entries of an env file (`path` names it in errors).
    static func parseFile(_ bytes: [UInt8], path: String, command: String, environment: (String) -> String?) throws -> [String] {
        func bad(_ why: String) -> ScriptError { ScriptError(.valueError, "\(command): invalid env file (\(path)): \(why)") }
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var out: [String] = []
        for (number, raw) in lines.enumerated() {
            var lineBytes = Array(raw)
            if lineBytes.last == 13 { lineBytes.removeLast() }
            guard let decoded = String(validatingUTF8Bytes: lineBytes) else {
                throw bad("invalid utf8 bytes at line \(number + 1): [\(lineBytes.map { String($0) }.joined(separator: " "))]")
            }
            var text = Substring(decoded)
            if number == 0, text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
            // Leading white space of any kind goes; nothing else is trimmed.
            while let first = text.unicodeScalars.first, first.properties.isWhitespace { text = text.dropFirst() }
            let line = String(text)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let variable = String(parts[0])
            if variable.contains(" ") || variable.contains("\t") { throw bad("variable '\(variable)' contains whitespaces") }
            if variable.isEmpty { throw bad("no variable name on line '\(line)'") }
            if parts.count == 2 {
                out.append(variable + "=" + parts[1])
            } else if let value = environment(variable) {
                out.append(variable + "=" + value)
            }
        }
        return out
    }
}

extension String {
    /// The text of `bytes` when they are valid UTF-8, else nil (no replacement characters).
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var scalars = String.UnicodeScalarView()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): scalars.append(s)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = String(scalars)
    }
}
