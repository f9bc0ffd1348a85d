// LineEditor: the libedit binding — el_init on the terminal, emacs keys, prompt strings, Tab
// bound to completion, Ctrl-C bound to "discard this entry", candidate listing on a second Tab.
// Must not: decide what to complete (Completer) or what to do with a line (PromptLoop).
import CEditLine
import CEditLineShim
import DKSSession
import DKSSupport
#if canImport(Glibc)
import Glibc
#endif

/// Reads lines from the terminal with editing, history and completion.
public final class LineEditor {
    /// The outcome of one read.
    public enum ReadResult: Equatable {
        /// A line, with its final newline.
        case line(String)
        /// Ctrl-C: the entry being typed is discarded.
        case cancelled
        /// Ctrl-D on an empty line.
        case endOfInput
        /// The terminal hung up (closed window, dropped ssh): the session is over, as on SIGHUP.
        case hangup
    }

    /// libedit calls bound functions with only its own handle; there is one editor per process.
    nonisolated(unsafe) static weak var active: LineEditor?

    let el: OpaquePointer
    private var history: History?
    /// Given everything typed before the cursor in the entry, the candidates.
    private let completion: (String) -> CompletionResult
    /// Earlier lines of the entry being continued, so completion sees the whole statement.
    public var pendingText = ""
    private var cancelled = false
    /// The line and cursor at the last Tab that could add nothing: a second Tab there lists.
    private var lastAmbiguousTab: (String, Int)?

    /// Sets up libedit on stdin/stdout. Nil when libedit cannot initialise (no terminal).
    public init?(completion: @escaping (String) -> CompletionResult) {
        // libedit decodes keys with the C library's multibyte functions: without a UTF-8 locale
        // it shows `é` as octal escapes. dks source is UTF-8 whatever the environment says.
        if let current = setlocale(LC_CTYPE, ""), ["C", "POSIX"].contains(String(cString: current)) {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        } else if setlocale(LC_CTYPE, nil) == nil {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
        guard let el = dks_el_init("dks", stdin, stdout, stderr) else { return nil }
        self.el = el
        self.completion = completion
        dks_el_set_editor(el, "emacs")
        // No libedit signal handlers: theirs dereference a global that el_gets clears when it
        // returns, so a signal taken by another thread at that moment crashed dks (a closed
        // terminal's SIGHUP + SIGCONT), and they re-send every signal to the whole process group.
        // dks's own handlers interrupt the read instead (see readLine), and a resize is a flag.
        dks_el_set_signal(el, 0)
        dks_install_winch_handler()
        // ISIG off while editing: Ctrl-C arrives as a key (clear the entry) instead of a signal,
        // so there is no race with the read. While a statement runs the tty is back in cooked
        // mode and Ctrl-C is SIGINT, which interrupts the statement.
        dks_el_setty_edit(el, "-isig")
        dks_el_addfn(el, "dks-complete", "Complete the word before the cursor", { _, _ in
            LineEditor.active?.tab() ?? UInt8(DKS_CC_ERROR)
        })
        dks_el_bind(el, "^I", "dks-complete")
        dks_el_addfn(el, "dks-cancel", "Discard the entry being typed", { _, _ in
            LineEditor.active?.cancel() ?? UInt8(DKS_CC_ERROR)
        })
        dks_el_bind(el, "^C", "dks-cancel")
        _ = el_source(el, nil) // ~/.editrc, as every libedit program honours
        LineEditor.active = self
    }

    deinit {
        dks_el_end(el)
    }

    /// Uses `history` for Up/Down and Ctrl-R.
    public func attach(_ history: History) {
        self.history = history
        dks_el_set_hist(el, history.handle)
    }

    /// Shows `prompt` and reads one line.
    public func readLine(prompt: String) -> ReadResult {
        dks_el_set_prompt(el, prompt)
        cancelled = false
        lastAmbiguousTab = nil
        if dks_take_winch() != 0 { dks_el_resize(el) }
        // A terminating signal that came before the handlers stopped restarting reads would not
        // end the read: the session is over anyway.
        if Interruption.terminationSignal != 0 { return .endOfInput }
        var count: Int32 = 0
        var p: UnsafePointer<CChar>?
        while true {
            p = LineEditor.withInterruptingSignals {
                Interruption.terminationSignal != 0 ? nil : el_gets(el, &count)
            }
            if Interruption.terminationSignal != 0 { return .endOfInput }
            // A resize interrupted the read: pick up the new size and go on editing.
            guard p == nil, count < 0, errno == EINTR, dks_take_winch() != 0, Interruption.terminationSignal == 0 else { break }
            dks_el_resize(el)
            dks_el_redisplay(el)
        }
        if cancelled { return .cancelled }
        guard let p, count > 0 else {
            if count < 0, errno == EINTR { return .cancelled }
            return LineEditor.terminalHungUp() ? .hangup : .endOfInput
        }
        var line = String(cString: p)
        if !line.hasSuffix("\n") { line += "\n" }
        return .line(line)
    }

    /// The signals that must end a read at the prompt: the terminating ones (the terminal closed,
    /// SIGTERM) and a resize. dks's handlers restart interrupted calls; while the prompt waits for
    /// a key they must not, so the read returns and the loop sees why.
    static let readInterruptingSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGWINCH]

    static func withInterruptingSignals<T>(_ body: () -> T) -> T {
        for s in readInterruptingSignals { _ = dks_set_restart(s, 0) }
        defer { for s in readInterruptingSignals { _ = dks_set_restart(s, 1) } }
        return body()
    }

    /// Whether the terminal on stdin hung up. A closed terminal ends the read with end of file
    /// just as Ctrl-D does; the kernel's SIGHUP may still be on its way to another thread, so the
    /// read alone cannot tell them apart. A hung-up terminal polls POLLHUP; Ctrl-D leaves none.
    static func terminalHungUp() -> Bool {
        var p = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) == 1 && p.revents & Int16(POLLHUP) != 0
    }

    // MARK: Bound functions

    private func cancel() -> UInt8 {
        cancelled = true
        // Leave what was typed visible, marked as abandoned, like a shell does. Writing out the
        // text after the cursor moves the terminal's cursor to the end of the line without
        // changing what is shown, so the mark lands after the text rather than over it.
        if let info = el_line(el)?.pointee, let cursor = info.cursor, let last = info.lastchar, last > cursor {
            fputs(String(decoding: UnsafeRawBufferPointer(start: cursor, count: last - cursor), as: UTF8.self), stdout)
        }
        fputs("^C\n", stdout)
        fflush(stdout)
        return UInt8(DKS_CC_NEWLINE)
    }

    private func tab() -> UInt8 {
        guard let info = el_line(el)?.pointee, let buffer = info.buffer, let cursor = info.cursor, let last = info.lastchar else {
            return UInt8(DKS_CC_ERROR)
        }
        let before = String(decoding: UnsafeRawBufferPointer(start: buffer, count: cursor - buffer), as: UTF8.self)
        let whole = String(decoding: UnsafeRawBufferPointer(start: buffer, count: last - buffer), as: UTF8.self)
        let result = completion(pendingText + before)
        if result.candidates.isEmpty { return UInt8(DKS_CC_REFRESH_BEEP) }
        let insertion = result.insertion
        if !insertion.isEmpty {
            lastAmbiguousTab = nil
            return el_insertstr(el, insertion) == 0 ? UInt8(DKS_CC_REFRESH) : UInt8(DKS_CC_ERROR)
        }
        if result.candidates.count == 1 { return UInt8(DKS_CC_REFRESH) }
        let state = (whole, cursor - buffer)
        if let last = lastAmbiguousTab, last == state {
            fputs("\n" + CandidateColumns.layout(result.candidates.map(CandidateColumns.displayName), width: terminalWidth()), stdout)
            fflush(stdout)
            return UInt8(DKS_CC_REDISPLAY)
        }
        lastAmbiguousTab = state
        return UInt8(DKS_CC_REFRESH_BEEP)
    }

    private func terminalWidth() -> Int {
        var ws = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
        return 80
    }
}

/// Lays out completion candidates in columns, the way shells list them.
enum CandidateColumns {
    /// A path candidate shows its last component (`/etc/hosts` → `hosts`, `src/` → `src/`).
    static func displayName(_ candidate: String) -> String {
        let trimmed = candidate.hasSuffix("/") ? String(candidate.dropLast()) : candidate
        guard let slash = trimmed.lastIndex(of: "/") else { return candidate }
        return String(candidate[candidate.index(after: slash)...])
    }

    /// Rows of names in column-major order, each column as wide as its widest name plus two.
    static func layout(_ names: [String], width: Int) -> String {
        guard !names.isEmpty else { return "" }
        let cell = (names.map(\.count).max() ?? 0) + 2
        let columns = max(1, width / max(cell, 1))
        let rows = (names.count + columns - 1) / columns
        var out = ""
        for r in 0..<rows {
            var line = ""
            for c in 0..<columns {
                let i = c * rows + r
                guard i < names.count else { break }
                let name = names[i]
                let isLast = c == columns - 1 || (c + 1) * rows + r >= names.count
                line += isLast ? name : name + String(repeating: " ", count: cell - name.count)
            }
            out += line + "\n"
        }
        return out
    }
}
