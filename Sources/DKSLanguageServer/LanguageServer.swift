// LanguageServer: `dks lsp` — a Language Server (LSP 3.17) on stdin/stdout. Keeps the open
// documents, publishes diagnostics (parser, compiler, binder) on open and change, and answers
// completion (the prompt's completer), hover (`help`), go-to-definition (functions, variables),
// document symbols and formatting (`dks fmt`).
// Owns: the protocol's methods and the documents' state. Must not: run a document's code.
import DKSBuiltins
import DKSFormat
import DKSLanguage
import DKSSession
import DKSSupport

public final class LanguageServer {
    let registry: BuiltinRegistry
    let resultMembers: (String, Bool) -> [String]
    private var documents: [String: DocumentAnalysis] = [:]
    private var texts: [String: String] = [:]
    private var utf16 = true
    private var shutdownRequested = false
    private var connection: JSONRPCConnection?

    /// A server over the commands of `registry`. `resultMembers(command, detached)` names the
    /// members of what a command returns (`run -d` → a container's), for `$c.` completion.
    public init(registry: BuiltinRegistry, resultMembers: @escaping (String, Bool) -> [String] = { _, _ in [] }) {
        self.registry = registry
        self.resultMembers = resultMembers
    }

    /// Serves until the client sends `exit` or closes the stream; returns the exit status
    /// (0 after `shutdown`, else 1, as the protocol says).
    public func run(input: Int32 = 0, output: Int32 = 1) -> Int32 {
        let conn = JSONRPCConnection(input: input, output: output)
        connection = conn
        while true {
            let message: JSON
            do { message = try conn.read() } catch JSONRPCConnection.ReadError.endOfInput {
                return shutdownRequested ? 0 : 1
            } catch {
                writeStderr("dks lsp: \(error)\n")
                return 1
            }
            guard let method = message["method"]?.stringValue else { continue } // a response to us: none expected
            let id = message["id"]
            let params = message["params"] ?? .null
            if method == "exit" { return shutdownRequested ? 0 : 1 }
            do {
                let result = try handle(method, params)
                if let id { conn.write(.object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)])) }
            } catch let e as ResponseError {
                if let id {
                    conn.write(.object([("jsonrpc", .string("2.0")), ("id", id),
                                        ("error", .object([("code", .int(e.code)), ("message", .string(e.message))]))]))
                }
            } catch {
                if let id {
                    conn.write(.object([("jsonrpc", .string("2.0")), ("id", id),
                                        ("error", .object([("code", .int(-32603)), ("message", .string("\(error)"))]))]))
                }
            }
        }
    }

    struct ResponseError: Error {
        var code: Int64
        var message: String
        static func methodNotFound(_ m: String) -> ResponseError { ResponseError(code: -32601, message: "unhandled method \(m)") }
        static func invalidParams(_ m: String) -> ResponseError { ResponseError(code: -32602, message: m) }
    }

    /// Answers one request or notification (notifications' results are dropped).
    func handle(_ method: String, _ params: JSON) throws -> JSON {
        switch method {
        case "initialize": return initialize(params)
        case "initialized", "$/setTrace", "$/cancelRequest", "workspace/didChangeConfiguration", "textDocument/didSave":
            return .null
        case "shutdown":
            shutdownRequested = true
            return .null
        case "textDocument/didOpen":
            guard let doc = params["textDocument"], let uri = doc["uri"]?.stringValue, let text = doc["text"]?.stringValue else {
                throw ResponseError.invalidParams("didOpen without textDocument")
            }
            update(uri, text)
            return .null
        case "textDocument/didChange":
            guard let uri = params["textDocument"]?["uri"]?.stringValue, var text = texts[uri] else { return .null }
            for change in params["contentChanges"]?.arrayValue ?? [] {
                guard let newText = change["text"]?.stringValue else { continue }
                if let range = change["range"] {
                    let index = PositionIndex(bytes: Array(text.utf8), utf16: utf16)
                    let a = offset(range["start"], index), b = offset(range["end"], index)
                    let bytes = Array(text.utf8)
                    text = String(decoding: bytes[0..<a] + Array(newText.utf8) + bytes[max(a, b)...], as: UTF8.self)
                } else {
                    text = newText
                }
            }
            update(uri, text)
            return .null
        case "textDocument/didClose":
            guard let uri = params["textDocument"]?["uri"]?.stringValue else { return .null }
            documents[uri] = nil
            texts[uri] = nil
            publish(uri, [], index: PositionIndex(bytes: [], utf16: utf16))
            return .null
        case "textDocument/completion": return try completion(params)
        case "textDocument/hover": return try hover(params)
        case "textDocument/definition": return try definition(params)
        case "textDocument/documentSymbol": return try symbols(params)
        case "textDocument/formatting": return try formatting(params)
        default:
            throw ResponseError.methodNotFound(method)
        }
    }

    private func initialize(_ params: JSON) -> JSON {
        let encodings = params["capabilities"]?["general"]?["positionEncodings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        utf16 = !encodings.contains("utf-8")
        let capabilities: JSON = .object([
            ("positionEncoding", .string(utf16 ? "utf-16" : "utf-8")),
            ("textDocumentSync", .object([("openClose", .bool(true)), ("change", .int(1))])),
            ("completionProvider", .object([("triggerCharacters", .array(["$", ".", "-", "^", "/"].map { .string($0) }))])),
            ("hoverProvider", .bool(true)),
            ("definitionProvider", .bool(true)),
            ("documentSymbolProvider", .bool(true)),
            ("documentFormattingProvider", .bool(true)),
        ])
        return .object([("capabilities", capabilities),
                        ("serverInfo", .object([("name", .string("dks")), ("version", .string(LanguageServer.version))]))])
    }

    /// The dks version the executable reports (set by it).
    nonisolated(unsafe) public static var version = "0"

    // MARK: Documents

    private func update(_ uri: String, _ text: String) {
        texts[uri] = text
        let analysis = DocumentAnalysis(text: text, name: Self.path(of: uri), registry: registry)
        documents[uri] = analysis
        publish(uri, analysis.diagnostics, index: PositionIndex(bytes: analysis.file.bytes, utf16: utf16))
    }

    private func publish(_ uri: String, _ diagnostics: [Diagnostic], index: PositionIndex) {
        let items: [JSON] = diagnostics.map { d in
            .object([("range", index.range(d.start, d.end)), ("severity", .int(Int64(d.severity.rawValue))),
                     ("source", .string("dks")), ("message", .string(d.message))])
        }
        connection?.write(.object([("jsonrpc", .string("2.0")), ("method", .string("textDocument/publishDiagnostics")),
                                   ("params", .object([("uri", .string(uri)), ("diagnostics", .array(items))]))]))
    }

    /// The document and the byte offset of a request's `textDocument` and `position`.
    private func locate(_ params: JSON) throws -> (String, DocumentAnalysis, PositionIndex, Int) {
        guard let uri = params["textDocument"]?["uri"]?.stringValue, let doc = documents[uri] else {
            throw ResponseError.invalidParams("unknown document")
        }
        let index = PositionIndex(bytes: doc.file.bytes, utf16: utf16)
        return (uri, doc, index, offset(params["position"], index))
    }

    private func offset(_ position: JSON?, _ index: PositionIndex) -> Int {
        let line = Int(position?["line"]?.intValue ?? 0)
        let character = Int(position?["character"]?.intValue ?? 0)
        return index.offset(line: line, character: character)
    }

    static func path(of uri: String) -> String {
        guard uri.hasPrefix("file://") else { return uri }
        var bytes: [UInt8] = []
        let u = Array(uri.dropFirst(7).utf8)
        var i = 0
        while i < u.count {
            if u[i] == 37, i + 2 < u.count, let v = UInt8(String(decoding: u[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                bytes.append(v)
                i += 3
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Requests

    private func completion(_ params: JSON) throws -> JSON {
        let (_, doc, index, offset) = try locate(params)
        let before = String(decoding: doc.file.bytes[0..<offset], as: UTF8.self)
        let context = DocumentCompletionContext(analysis: doc, offset: offset, resultMembers: resultMembers)
        let result = Completer.complete(before, context: context)
        let site = CompletionScan.site(before)
        let start = offset - result.word.utf8.count
        let kind: Int64
        switch site.target {
        case .command: kind = 3
        case .option: kind = 10
        case .variable: kind = 6
        case .member: kind = 5
        case .path, .attachedPath: kind = 17
        case .program: kind = 3
        case .argument: kind = 12
        }
        let items: [JSON] = result.candidates.map { c in
            var item: [(String, JSON)] = [("label", .string(c)), ("kind", .int(c.hasSuffix("/") ? 19 : kind)),
                                          ("textEdit", .object([("range", index.range(start, offset)), ("newText", .string(c))]))]
            if kind == 3, let sig = context.signature(ofCommand: c) { item.append(("detail", .string(sig.usage))) }
            return .object(item)
        }
        return .object([("isIncomplete", .bool(false)), ("items", .array(items))])
    }

    private func hover(_ params: JSON) throws -> JSON {
        let (_, doc, index, offset) = try locate(params)
        guard let word = CursorName.at(offset, in: doc.file.bytes) else { return .null }
        var text: String?
        if word.isVariable {
            if let d = Definitions.definition(of: word, in: doc, at: offset) {
                let line = doc.file.lineColumn(d.offset).line
                text = "```dks\n\(doc.file.lineText(d.fullStart).trimmingBlanks())\n```\n$\(word.name): \(d.kind == .parameter ? "a parameter" : "a variable") (line \(line))"
            }
        } else if let decl = doc.functions(visibleAt: offset)[word.name] {
            let line = doc.file.lineColumn(decl.offset).line
            var t = "```dks\n\(doc.file.lineText(decl.offset).trimmingBlanks())\n```\nusage: \(decl.signature.usage) (line \(line))"
            let comments = Definitions.commentsAbove(decl.offset, in: doc.file)
            if !comments.isEmpty { t += "\n\n" + comments }
            text = t
        } else if let help = GeneralBuiltins.helpText(word.name, registry) {
            // What `help NAME` prints: a command, a syntax topic, a keyword's topic (`else`: if).
            text = "```\n" + help + "```"
        }
        guard let text else { return .null }
        return .object([("contents", .object([("kind", .string("markdown")), ("value", .string(text))])),
                        ("range", index.range(word.start, word.end))])
    }

    private func definition(_ params: JSON) throws -> JSON {
        let (uri, doc, index, offset) = try locate(params)
        guard let word = CursorName.at(offset, in: doc.file.bytes),
              let d = Definitions.definition(of: word, in: doc, at: offset) else { return .null }
        let length = d.name.utf8.count + (d.kind == .function ? 0 : 1)
        return .object([("uri", .string(uri)), ("range", index.range(d.offset, d.offset + length))])
    }

    private func symbols(_ params: JSON) throws -> JSON {
        guard let uri = params["textDocument"]?["uri"]?.stringValue, let doc = documents[uri] else {
            throw ResponseError.invalidParams("unknown document")
        }
        let index = PositionIndex(bytes: doc.file.bytes, utf16: utf16)
        var seen = Set<String>()
        var out: [JSON] = []
        for d in doc.definitions.sorted(by: { $0.offset < $1.offset }) {
            let topLevel = d.scopeStart == 0 && d.scopeEnd == doc.file.bytes.count
            switch d.kind {
            case .function:
                out.append(symbol(d, kind: 12, detail: d.decl?.signature.usage ?? "", index))
            case .variable where topLevel && !seen.contains(d.name):
                seen.insert(d.name)
                out.append(symbol(d, kind: 13, detail: "", index))
            default:
                break
            }
        }
        return .array(out)
    }

    private func symbol(_ d: Definition, kind: Int64, detail: String, _ index: PositionIndex) -> JSON {
        let name = d.kind == .function ? d.name : "$" + d.name
        let sel = index.range(d.offset, d.offset + name.utf8.count)
        return .object([("name", .string(name)), ("detail", .string(detail)), ("kind", .int(kind)),
                        ("range", index.range(min(d.fullStart, d.offset), max(d.fullEnd, d.offset + name.utf8.count))),
                        ("selectionRange", sel)])
    }

    private func formatting(_ params: JSON) throws -> JSON {
        guard let uri = params["textDocument"]?["uri"]?.stringValue, let text = texts[uri] else {
            throw ResponseError.invalidParams("unknown document")
        }
        let formatted: String
        do { formatted = try Formatter.format(text, name: Self.path(of: uri)) } catch {
            throw ResponseError(code: -32803, message: "\(error)".trimmingBlanks())
        }
        if formatted == text { return .array([]) }
        let index = PositionIndex(bytes: Array(text.utf8), utf16: utf16)
        return .array([.object([("range", index.range(0, text.utf8.count)), ("newText", .string(formatted))])])
    }
}

extension String {
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
