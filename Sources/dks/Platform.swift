// Platform: the few OS facts the executable needs — reading files and stdin, the environment,
// whether stdin is a terminal, and signal handlers. Must not: interpret dks code.
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

func readWholeFile(_ path: String) -> String? {
    readFileBytes(path).map { String(decoding: $0, as: UTF8.self) }
}

func readStdin() -> String { String(decoding: readToEnd(stdin), as: UTF8.self) }

func stdinIsTerminal() -> Bool { isatty(0) == 1 }

/// The process environment as pairs, in the order the OS gives them.
func environmentPairs() -> [(String, String)] {
    var out: [(String, String)] = []
    var p = environ
    while let entry = p.pointee {
        let s = String(cString: entry)
        if let eq = s.firstIndex(of: "=") { out.append((String(s[..<eq]), String(s[s.index(after: eq)...]))) }
        p += 1
    }
    return out
}

/// SIGINT sets the interruption flag (the running statement stops at its next check) and starts
/// the cleanup bound (CleanupWatchdog; batch runs arm it); a second SIGINT before that exits at
/// once with 130. SIGTERM the same with 143. SIGPIPE is ignored so a closed pipe is a write error,
/// not a silent death.
func installSignalHandlers() {
    // The handlers post the watchdog's semaphore: create it now, not lazily inside a handler.
    CleanupWatchdog.prepare()
    signal(SIGPIPE, SIG_IGN)
    signal(SIGINT) { _ in
        if Interruption.requestCount > 0 { EmergencyKill.killAll(); _exit(130) }
        Interruption.request()
        CleanupWatchdog.terminationStarted(exitStatus: 130)
    }
    signal(SIGTERM) { _ in
        if Interruption.requestCount > 0 { EmergencyKill.killAll(); _exit(143) }
        Interruption.request(signal: SIGTERM)
        CleanupWatchdog.terminationStarted(exitStatus: 143)
    }
}
