// FuzzArith: the arithmetic operators and builtins on extreme values. The input bytes choose a
// few expressions, each a template (an operator, a builtin, a range operation, an index or slice,
// a compound assignment, a counting loop) whose operands are extreme values (Int.min, Int.max,
// -1, 0, huge and tiny floats, nan, inf), ints or floats taken from the bytes, or nested
// expressions. Every expression must return or raise a dks error of the kinds arithmetic raises;
// a trap (overflow, a bad conversion) is a crash, any other error kind aborts. Templates that build
// large lists or strings are left to the unit test (OverflowTests), to keep each input fast.
import DKSBuiltins
import DKSLanguage
import DKSSupport
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Every general builtin; kept alive because `help` holds its registry unowned.
let registry: BuiltinRegistry = {
    let r = BuiltinRegistry()
    GeneralBuiltins.register(into: r)
    return r
}()

let extremes = [
    "(-9223372036854775807 - 1)", "9223372036854775807", "-9223372036854775807", "4611686018427387904", "-4611686018427387904",
    "3037000499", "3037000500", "-1", "0", "1", "2", "-2", "10",
    "1e308", "-1.7976931348623157e308", "5e-324", "0.5", "-0.0", "2.5", "1e19", "-9.223372036854776e18",
    "float(\"nan\")", "float(\"inf\")", "float(\"-inf\")", "\"12\"", "true", "null", "[1, 2]",
]

/// Templates with one (A), two (A, B) or three (A, B, C) operands.
let templates = [
    "A + B", "A - B", "A * B", "A / B", "A // B", "A % B", "-A", "A == B", "A != B", "A < B", "A <= B", "A in [B, C]",
    "abs(A)", "round(A)", "round(A, B)", "int(A)", "float(A)", "int(str(A))", "min(A, B, C)", "max(A, B)", "sum([A, B, C])",
    "A..B", "A..<B", "len(A..B)", "len(A..<B)", "range(A, B, C)", "len(range(A, B, C))", "range(A, B, C)[C]",
    "range(A, B, C)[-1]", "range(A, B)[0]", "C in range(A, B, C)", "B in (A..<C)", "(A..B) == range(A, B, C)",
    "{(range(A, B, C)): 1}", "get(range(A, B, C), B)", "str(range(A, B, C))", "bool(range(A, B, C))",
    "[1, 2, 3, 4, 5][A..B]", "[1, 2, 3, 4, 5][A..<B]", "\"héllo\"[A..<B]", "[1, 2, 3, 4, 5][range(A, B, C)]",
    "\"abcde\"[range(A, B, C)]", "[1, 2, 3][A]", "\"abc\"[A]", "{(A): 1, (B): 2}[C]",
    "json(A)", "parse_json(json(A))",
]

let statements = [
    "$x = A; $x += B", "$x = A; $x -= B", "$x = A; $x *= B", "$x = [A]; $x[0] += B", "$m = {k: A}; $m.k -= B",
    "for $i in A..B { break }", "for $i in A..<B { break }", "for $i in range(A, B, C) { break }",
    "for $i, $v in range(A, B, C) { break }", "$n = 0; for $i in range(A, B, C) { $n += 1; if $n > 3 { break } }",
]

/// Reads the input as a sequence of choices.
struct Choices {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    var atEnd: Bool { i >= bytes.count }
    mutating func byte() -> Int {
        defer { i += 1 }
        return i < bytes.count ? Int(bytes[i]) : 0
    }
    mutating func word() -> UInt64 {
        var w: UInt64 = 0
        for _ in 0..<8 { w = w << 8 | UInt64(byte()) }
        return w
    }

    /// An operand: an extreme value (mostly), an int or float from the bytes, or a nested expression.
    mutating func operand(depth: Int) -> String {
        let b = byte()
        switch b % 8 {
        case 0:
            let n = Int64(bitPattern: word())
            return n == Int64.min ? "(-9223372036854775807 - 1)" : "(\(n))"
        case 1:
            let d = Double(bitPattern: word())
            if d.isNaN { return "float(\"nan\")" }
            if d.isInfinite { return d < 0 ? "float(\"-inf\")" : "float(\"inf\")" }
            return "(\(d))"
        case 2 where depth < 3:
            return "(" + expression(depth: depth + 1) + ")"
        default:
            return extremes[byte() % extremes.count]
        }
    }

    mutating func fill(_ template: String, depth: Int) -> String {
        var out = ""
        for ch in template {
            if ch == "A" || ch == "B" || ch == "C" { out += operand(depth: depth) } else { out.append(ch) }
        }
        return out
    }

    mutating func expression(depth: Int) -> String {
        fill(templates[byte() % templates.count], depth: depth)
    }

    mutating func statement() -> String {
        if byte() % 4 == 0 { return fill(statements[byte() % statements.count], depth: 0) }
        return "$r = " + expression(depth: 0)
    }
}

let allowedKinds: Set<ErrorKind> = [.arithmeticError, .valueError, .typeError, .indexError, .keyError, .interrupted]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArith(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var c = Choices(bytes: UnsafeBufferPointer(start: data, count: size))
    var program: [String] = []
    while !c.atEnd && program.count < 8 { program.append(c.statement()) }
    Interruption.clear()
    let done = DispatchSemaphore(value: 0)
    var unexpected: String?
    let t = JoinableThread.start(stackSize: 1 << 30) {
        for stmt in program {
            let interp = Interpreter(registry: registry, stdout: Output(fd: nil), scriptName: "fuzz.dks")
            do {
                try interp.run(SourceFile(name: "fuzz.dks", text: stmt))
            } catch let e as ScriptError {
                if !allowedKinds.contains(e.kind) { unexpected = "\(stmt)\n\(e.kind.rawValue): \(e.message)" }
            } catch {
                unexpected = "\(stmt)\n\(error)"
            }
            if unexpected != nil { break }
        }
        done.signal()
    }
    guard let thread = t else { return 0 }
    var waited = 0
    while done.wait(timeout: .now() + .milliseconds(waited == 0 ? 200 : 50)) == .timedOut {
        waited += waited == 0 ? 200 : 50
        if waited > 5000 {
            fputs("FuzzArith: input still running 5 s after the interruption request:\n\(program.joined(separator: "\n"))\n", stderr)
            abort()
        }
        Interruption.request()
    }
    thread.join()
    Interruption.clear()
    if let u = unexpected {
        fputs("FuzzArith: an error of an unexpected kind:\n\(u)\n", stderr)
        abort()
    }
    return 0
}

// SwiftPM links executables with main aliased to <module>_main; hand that entry to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

@_cdecl("FuzzArith_main")
public func FuzzArithMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var c = argc
    var v = argv
    return LLVMFuzzerRunDriver(&c, &v, { data, size in fuzzArith(data, size) })
}
