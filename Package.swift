// swift-tools-version:6.0
// dks — the container scripting shell.
//
// Targets are layered; each depends only on the layers above it in this list:
//   DKSSupport    clock, deadlines, interruption flag, durations and sizes (no dks values)
//   DKSLanguage   lexer, parser, resolver/compiler, values, interpreter, binder
//   DKSBuiltins   the general builtins and their help texts
//   DKSHost       host processes: PATH lookup, posix_spawn into process groups, pipes, waiting,
//                 the terminal's foreground, process trees (no dks values)
//   DKSShell      host programs, pipelines and redirection for the language: the pipeline
//                 runner, process_result, cd/pwd/glob/which/input, $env for programs
//   DKSEngine     the ContainerEngine protocol and its models (no NIO, no dks values)
//                 (DKSHost sits beside DKSEngine: both depend only on DKSSupport; the engines use it)
//   DKSDocker     Docker Engine API client on SwiftNIO (implements ContainerEngine)
//   DKSLocal      the embedded local engine: supervised host processes
//   DKSContainers container commands and objects: binds the language to an engine
//   CEditLine     libedit system module; CEditLineShim: non-variadic C wrappers
//   DKSPrompt     the interactive prompt
//   DKSTutorial   the tutorial at the prompt: lessons as data, checks in dks, progress on disk
//   dks           the executable: command line, engine choice, batch or prompt
import PackageDescription

// The interpreter's hot paths touch class-stored state on every step; dynamic
// exclusivity checks there cost more than the rest of the step. The language
// confines that state to one thread per interpreter context, so the checks buy nothing.
let fastPaths: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"]),
    .swiftLanguageMode(.v5),
]
let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
    name: "dks",
    products: [
        .executable(name: "dks", targets: ["dks"]),
        // For the fuzz targets (fuzz/Package.swift), not used by the dks executable.
        .library(name: "DKSLanguageKit", targets: ["DKSLanguage", "DKSBuiltins", "DKSSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .target(name: "DKSSupport", swiftSettings: v5),
        .target(
            name: "DKSLanguage",
            dependencies: ["DKSSupport"],
            swiftSettings: fastPaths),
        .target(name: "DKSBuiltins", dependencies: ["DKSLanguage", "DKSSupport"], swiftSettings: fastPaths),
        .target(name: "DKSHost", dependencies: ["DKSSupport"], swiftSettings: v5),
        .target(name: "DKSShell", dependencies: ["DKSLanguage", "DKSBuiltins", "DKSHost", "DKSSupport"], swiftSettings: v5),
        .target(name: "DKSEngine", dependencies: ["DKSSupport"], swiftSettings: v5),
        .target(
            name: "DKSDocker",
            dependencies: [
                "DKSEngine", "DKSSupport", "DKSHost",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: v5),
        .target(name: "DKSLocal", dependencies: ["DKSEngine", "DKSSupport", "DKSHost"], swiftSettings: v5),
        .target(
            name: "DKSContainers",
            dependencies: ["DKSLanguage", "DKSBuiltins", "DKSEngine", "DKSSupport"],
            swiftSettings: v5),
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(name: "CEditLineShim", dependencies: ["CEditLine"], linkerSettings: [.linkedLibrary("edit")]),
        .target(
            name: "DKSPrompt",
            dependencies: ["CEditLine", "CEditLineShim", "DKSLanguage", "DKSEngine", "DKSSupport"],
            swiftSettings: v5),
        .target(name: "DKSTutorial", dependencies: ["DKSLanguage", "DKSSupport"], swiftSettings: v5),
        .executableTarget(
            name: "dks",
            dependencies: [
                "DKSLanguage", "DKSBuiltins", "DKSEngine", "DKSDocker", "DKSLocal",
                "DKSContainers", "DKSPrompt", "DKSSupport", "DKSHost", "DKSShell", "DKSTutorial",
            ],
            swiftSettings: v5),
        .testTarget(name: "DKSLanguageTests", dependencies: ["DKSLanguage", "DKSBuiltins"], swiftSettings: v5),
        .testTarget(name: "DKSEngineTests", dependencies: ["DKSEngine", "DKSSupport"], swiftSettings: v5),
        .testTarget(name: "DKSDockerTests", dependencies: ["DKSDocker", "DKSEngine", "DKSSupport"], swiftSettings: v5),
        .testTarget(name: "DKSPromptTests", dependencies: ["DKSPrompt", "DKSLanguage", "DKSBuiltins"], swiftSettings: v5),
        .testTarget(name: "DKSContainersTests", dependencies: ["DKSContainers", "DKSLanguage", "DKSBuiltins", "DKSEngine"], swiftSettings: v5),
        .testTarget(name: "DKSHostTests", dependencies: ["DKSHost", "DKSSupport"], swiftSettings: v5),
        .testTarget(name: "DKSShellTests", dependencies: ["DKSShell", "DKSLanguage", "DKSBuiltins", "DKSHost"], swiftSettings: v5),
        .testTarget(name: "DKSLocalTests", dependencies: ["DKSLocal", "DKSEngine", "DKSSupport"], swiftSettings: v5),
        .testTarget(name: "DKSTutorialTests", dependencies: ["DKSTutorial", "DKSLanguage", "DKSBuiltins", "DKSSupport"], swiftSettings: v5),
    ]
)
