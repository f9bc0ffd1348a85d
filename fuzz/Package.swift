// swift-tools-version:6.0
// libFuzzer targets for the dks language. Not part of the normal build or tests:
// build and run them with `scripts/fuzz` (needs -sanitize=fuzzer, see that script).
//   FuzzParse  lexer + parser on arbitrary bytes
//   FuzzRun    parse, compile and run with the general builtins (no engine, no files,
//              no sleep/exit/env), a lowered call depth and a 200 ms budget per input
//   FuzzArith  arithmetic operators and builtins (ranges, round, int, indexes, slices, compound
//              assignment, counting loops) on extreme values: no trap, only arithmetic errors
import PackageDescription

let package = Package(
    name: "dks-fuzz",
    dependencies: [.package(name: "dks", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzParse",
            dependencies: [.product(name: "DKSLanguageKit", package: "dks")],
            swiftSettings: [.swiftLanguageMode(.v5), .unsafeFlags(["-parse-as-library"])]),
        .executableTarget(
            name: "FuzzRun",
            dependencies: [.product(name: "DKSLanguageKit", package: "dks")],
            swiftSettings: [.swiftLanguageMode(.v5), .unsafeFlags(["-parse-as-library"])]),
        .executableTarget(
            name: "FuzzArith",
            dependencies: [.product(name: "DKSLanguageKit", package: "dks")],
            swiftSettings: [.swiftLanguageMode(.v5), .unsafeFlags(["-parse-as-library"])]),
    ]
)
