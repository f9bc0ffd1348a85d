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

/// A closed stdin, stdout or stderr (`2>&-`) gets /dev/null opened in its place, read-only: reads
/// see end of file and writes fail with EBADF as they would on the closed descriptor, and no file
/// or socket dks opens later can take the number 1 or 2 and receive output or error reports.
func guardStandardDescriptors() {
    for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
        let opened = open("/dev/null", O_RDONLY)
        if opened >= 0 && opened != fd {
            dup2(opened, fd)
            close(opened)
        }
    }
}

/// The process environment as pairs, in the order the OS gives them.
func environmentPairs() -> [(String, String)] {
    var out: [(String, String)] = []
    var p = environ
    while let entry = p.pointee {
        // Split at the first "=" as bytes: String's Character search cost a tenth of a start.
        if let eq = strchr(entry, 61) {
            let key = UnsafeRawBufferPointer(start: entry, count: eq - entry)
            out.append((String(decoding: key, as: UTF8.self), String(cString: eq + 1)))
        }
        p += 1
    }
    return out
}

/// The signals that end a batch run (and, but for SIGINT, a prompt session): SIGINT (Ctrl-C),
/// SIGTERM (kill, docker stop of a CI job) and SIGHUP (the terminal closed, ssh dropped).
let terminatingSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

/// The first terminating signal sets the interruption flag (the running statement stops at its next
/// check) and starts the cleanup bound (CleanupWatchdog; batch runs arm it), so `defer` blocks still
/// run; dks then exits with 128 + the signal (130, 143, 129). A second one before that exits at once,
/// after SIGKILLing the local engine's process groups. SIGPIPE is ignored so a closed pipe is a write
/// error (which ends dks quietly with 141, see Runner), not a death that skips cleanup.
///
/// Async-signal-safety: the handler only loads and stores atomics, reads EmergencyKill's fixed
/// table, and calls kill(2), sem_post(3) and _exit(2). Everything it touches is created here, before
/// the handlers exist, so no lazy initialiser (which may allocate or lock) ever runs inside it.
/// While it runs, the other terminating signals are blocked (sa_mask), so two signals arriving
/// together cannot both count as "the first".
func installSignalHandlers() {
    CleanupWatchdog.prepare()
    Interruption.prepare()
    EmergencyKill.prepare()
    signal(SIGPIPE, SIG_IGN)
    for sig in terminatingSignals {
        setHandler(sig) { sig in
            if Interruption.requestCount > 0 { EmergencyKill.killAll(); _exit(128 + sig) }
            Interruption.request(signal: sig, terminates: true)
            CleanupWatchdog.terminationStarted(exitStatus: 128 + sig)
        }
    }
}

/// Installs `handler` for `sig` with the terminating signals blocked while it runs (SA_RESTART: a
/// blocking read or write resumes; every wait in dks polls the flag anyway).
func setHandler(_ sig: Int32, _ handler: @convention(c) (Int32) -> Void) {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = handler
    sigemptyset(&action.sa_mask)
    for s in terminatingSignals { sigaddset(&action.sa_mask, s) }
    action.sa_flags = SA_RESTART
    sigaction(sig, &action, nil)
}
