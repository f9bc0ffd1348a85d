// FuzzRun: parse, compile and run arbitrary bytes with the general builtins only.
// No engine; builtins that touch the outside world (files, env, sleep, exit, threads)
// are left out. Each input runs on a 1 GiB-stack thread (as in dks) with a lowered
// call depth; a watchdog requests an interruption after 200 ms, and an input that
// still runs 5 s later is reported as a hang (abort).
import DKSBuiltins
import DKSLanguage
import DKSSupport
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

let excluded: Set<String> = ["env", "sleep", "exit", "read_file", "write_file", "source", "parallel", "retry", "now"]

/// Every general builtin; kept alive because `help` holds its registry unowned.
let allBuiltins: BuiltinRegistry = {
    let r = BuiltinRegistry()
    GeneralBuiltins.register(into: r)
    return r
}()

let registry: BuiltinRegistry = {
    let all = allBuiltins
    let r = BuiltinRegistry()
    for name in all.names where !excluded.contains(name) {
        if let b = all.lookup(name) { r.register(b) }
    }
    return r
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRun(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    Interruption.clear()
    let done = DispatchSemaphore(value: 0)
    let t = JoinableThread.start(stackSize: 1 << 30) {
        let interp = Interpreter(registry: registry, stdout: Output(fd: nil), scriptName: "fuzz.dks")
        interp.maxDepth = 500
        do {
            try interp.run(SourceFile(name: "fuzz.dks", text: text))
            try interp.finish()
        } catch {
            _ = "\(error)"
        }
        done.signal()
    }
    guard let thread = t else { return 0 }
    var waited = 0
    while done.wait(timeout: .now() + .milliseconds(waited == 0 ? 200 : 50)) == .timedOut {
        waited += waited == 0 ? 200 : 50
        if waited > 5000 {
            fputs("FuzzRun: input still running 5 s after the interruption request\n", stderr)
            abort()
        }
        Interruption.request()
    }
    thread.join()
    Interruption.clear()
    return 0
}

// SwiftPM links executables with main aliased to <module>_main; hand that entry to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

@_cdecl("FuzzRun_main")
public func FuzzRunMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var c = argc
    var v = argv
    return LLVMFuzzerRunDriver(&c, &v, { data, size in fuzzRun(data, size) })
}
