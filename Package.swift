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
//   DKSEngine     the ContainerEngine protocol and its models, registry credentials (no NIO,
//                 no dks values); it runs credential helpers through DKSHost
//   DKSDocker     Docker Engine API client on SwiftNIO (implements ContainerEngine)
//   DKSLocal      the embedded local engine: supervised host processes
//   DKSContainers container commands and objects: binds the language to an engine
//   CEditLine     libedit system module; CEditLineShim: non-variadic C wrappers
//   DKSSession    what an interactive session needs without a terminal: completion (commands,
//                 options, variables, members, paths, engine names) and value presentation;
//                 shared by the prompt, the language server and the Jupyter kernel
//   DKSPrompt     the interactive prompt (libedit)
//   DKSFormat     `dks fmt`: the canonical layout of a program, checked against its tree
//   DKSLanguageServer  `dks lsp`: a Language Server (JSON-RPC over stdio, LSP 3.17)
//   DKSKernel     `dks kernel`: a Jupyter kernel (the messaging protocol over libzmq, loaded at run time)
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

// How the dks executable is linked on Linux, for start-up time (docs/design.md, "Start-up"):
// - the Swift runtime and Foundation linked in (`-static-stdlib`): binding the symbols of a dozen
//   shared libraries was most of `dks -c 'echo hi'`. The static Foundation needs its C parts
//   named (swiftc's static-stdlib arguments list only the runtime's).
// - no symbol table for dynamic lookup (`--no-export-dynamic`, which the static-stdlib arguments
//   turn on): the runtime's start-up `dladdr` scanned all 17,000 exported symbols.
// - a fixed load address (`-no-pie`): a position-independent executable this size makes the
//   loader apply 95,000 relocations and copy the pages they touch, at every start.
// - libgcc linked in (`-static-libgcc`): libgcc_s's constructor probes the CPU with cpuid, a
//   trap to the hypervisor on a VM.
// - the C++ runtime linked in too: `link/libstdc++.so` is a linker script that turns `-lstdc++`
//   into the archive (binding the shared one's symbols cost 1,700 lookups).
// Sanitizer builds (scripts/sanitize sets DKS_SANITIZER) link as SwiftPM does by default: they
// are for finding bugs, and ThreadSanitizer needs a position-independent executable.
let startupLinkerSettings: [LinkerSetting] = Context.environment["DKS_SANITIZER"] != nil ? [] : [
    .unsafeFlags(["-L\(Context.packageDirectory)/link", "-static-stdlib", "-Xlinker", "--no-export-dynamic", "-Xclang-linker", "-no-pie", "-Xclang-linker", "-static-libgcc"],
                 .when(platforms: [.linux])),
    .linkedLibrary("CoreFoundation", .when(platforms: [.linux])),
    .linkedLibrary("_FoundationCShims", .when(platforms: [.linux])),
    .linkedLibrary("_FoundationCollections", .when(platforms: [.linux])),
    .linkedLibrary("_FoundationICU", .when(platforms: [.linux])),
    .linkedLibrary("stdc++", .when(platforms: [.linux])),
]

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
        .target(name: "DKSEngine", dependencies: ["DKSSupport", "DKSHost"], swiftSettings: v5),
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
        .target(name: "DKSSession", dependencies: ["DKSLanguage", "DKSEngine", "DKSSupport"], swiftSettings: v5),
        .target(
            name: "DKSPrompt",
            dependencies: ["CEditLine", "CEditLineShim", "DKSLanguage", "DKSSession", "DKSEngine", "DKSSupport"],
            swiftSettings: v5),
        .target(name: "DKSFormat", dependencies: ["DKSLanguage"], swiftSettings: v5),
        .target(
            name: "DKSLanguageServer",
            dependencies: ["DKSLanguage", "DKSBuiltins", "DKSSession", "DKSFormat", "DKSHost", "DKSSupport"],
            swiftSettings: v5),
        .target(name: "DKSKernel", dependencies: ["DKSLanguage", "DKSBuiltins", "DKSSession", "DKSSupport"], swiftSettings: v5),
        .target(name: "DKSTutorial", dependencies: ["DKSLanguage", "DKSSupport"], swiftSettings: v5),
        .executableTarget(
            name: "dks",
            dependencies: [
                "DKSLanguage", "DKSBuiltins", "DKSEngine", "DKSDocker", "DKSLocal",
                "DKSContainers", "DKSPrompt", "DKSSession", "DKSSupport", "DKSHost", "DKSShell", "DKSFormat", "DKSLanguageServer", "DKSKernel",
                "DKSTutorial",
            ],
            swiftSettings: v5,
            linkerSettings: startupLinkerSettings),
        .testTarget(name: "DKSLanguageTests", dependencies: ["DKSLanguage", "DKSBuiltins"], swiftSettings: v5),
        .testTarget(name: "DKSEngineTests", dependencies: ["DKSEngine", "DKSSupport"], swiftSettings: v5),
        .testTarget(name: "DKSDockerTests", dependencies: ["DKSDocker", "DKSEngine", "DKSSupport"], swiftSettings: v5),
        .testTarget(name: "DKSPromptTests", dependencies: ["DKSPrompt", "DKSSession", "DKSLanguage", "DKSBuiltins"], swiftSettings: v5),
        .testTarget(name: "DKSSessionTests", dependencies: ["DKSSession", "DKSLanguage", "DKSBuiltins", "DKSSupport"], swiftSettings: v5),
        .testTarget(name: "DKSContainersTests", dependencies: ["DKSContainers", "DKSLanguage", "DKSBuiltins", "DKSEngine"], swiftSettings: v5),
        .testTarget(name: "DKSHostTests", dependencies: ["DKSHost", "DKSSupport"], swiftSettings: v5),
        .testTarget(name: "DKSShellTests", dependencies: ["DKSShell", "DKSLanguage", "DKSBuiltins", "DKSHost"], swiftSettings: v5),
        .testTarget(name: "DKSKernelTests", dependencies: ["DKSKernel", "DKSSupport", "DKSLanguage"], swiftSettings: v5),
        .testTarget(name: "DKSFormatTests", dependencies: ["DKSFormat", "DKSLanguage"], swiftSettings: v5),
        .testTarget(name: "DKSLocalTests", dependencies: ["DKSLocal", "DKSEngine", "DKSSupport"], swiftSettings: v5),
        .testTarget(name: "DKSTutorialTests", dependencies: ["DKSTutorial", "DKSLanguage", "DKSBuiltins", "DKSSupport"], swiftSettings: v5),
    ]
)
