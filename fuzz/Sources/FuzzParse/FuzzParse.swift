// FuzzParse: lexer and parser on arbitrary bytes. Any result is fine except a crash.
// Parses on a thread with the same 1 GiB stack the dks executable gives its interpreter.
import DKSLanguage
import DKSSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParse(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let t = JoinableThread.start(stackSize: 1 << 30) {
        _ = try? Parser.parse(SourceFile(name: "fuzz.dks", text: text))
    }
    t?.join()
    return 0
}

// SwiftPM links executables with main aliased to <module>_main; hand that entry to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

@_cdecl("FuzzParse_main")
public func FuzzParseMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var c = argc
    var v = argv
    return LLVMFuzzerRunDriver(&c, &v, { data, size in fuzzParse(data, size) })
}
