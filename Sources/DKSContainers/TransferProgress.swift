// TransferProgress: how `pull`, `push` and `load` show the engine's progress messages on stderr.
// On a terminal: one line per layer — its step, a bar, bytes done of the total and the rate —
// redrawn in place (at most ten times a second, at once when a step changes), with the other
// messages printed above the table. Otherwise: one plain line each time a layer changes step
// (never a byte count), as the docker CLI prints into a pipe. Must not: talk to the engine or
// write to stdout (a script's output stays clean).
#if canImport(Glibc)
import Glibc
#endif
import DKSEngine
import DKSSupport
import Foundation

final class TransferProgress {
    private struct Layer {
        var status: String
        var current: Int64 = 0
        var total: Int64 = 0
        /// When this step started, and its byte count then: the rate is measured over the step.
        var stepStarted: UInt64
        var stepStartBytes: Int64 = 0
    }

    private let terminal: Bool
    private let write: ([UInt8]) -> Void
    private var order: [String] = []
    private var layers: [String: Layer] = [:]
    private var drawn = 0
    private var lastDraw: UInt64 = 0
    private let now: () -> UInt64

    /// - Parameters:
    ///   - terminal: draw bars (stderr is a terminal) or print plain lines.
    ///   - write: where the text goes (the command's stderr).
    init(terminal: Bool, write: @escaping ([UInt8]) -> Void, now: @escaping () -> UInt64 = monotonicNanos) {
        self.terminal = terminal
        self.write = write
        self.now = now
    }

    func update(_ message: JSON) {
        guard message["error"] == nil else { return }
        let status = message["status"]?.stringValue ?? ""
        guard let id = message["id"]?.stringValue, !id.isEmpty else {
            // "The push refers to ...", "Digest: ...", "TAG: digest: ... size: N", "Status: ...".
            if !status.isEmpty { line(status) }
            return
        }
        let t = now()
        var layer = layers[id] ?? Layer(status: status, stepStarted: t)
        if layers[id] == nil { order.append(id) }
        let detail = message["progressDetail"]
        let current = detail?["current"]?.intValue ?? 0
        let total = detail?["total"]?.intValue ?? 0
        let changed = layer.status != status || layers[id] == nil
        if layer.status != status {
            layer.status = status
            layer.stepStarted = t
            layer.stepStartBytes = current
        }
        layer.current = current
        layer.total = total
        layers[id] = layer
        if terminal {
            if changed || t &- lastDraw >= 100_000_000 { redraw() }
        } else if changed {
            write(Array("\(id): \(status)\n".utf8))
        }
    }

    /// Draws the final state (a terminal's table may be up to 100 ms behind).
    func finish() {
        if terminal, !order.isEmpty { redraw() }
    }

    private func line(_ text: String) {
        if terminal {
            // Above the layer table: the table is redrawn below it from scratch.
            if !order.isEmpty { redraw() }
            write(Array("\(text)\n".utf8))
            drawn = 0
            order.removeAll()
            layers.removeAll()
        } else {
            write(Array("\(text)\n".utf8))
        }
    }

    private func redraw() {
        lastDraw = now()
        let width = Self.terminalWidth()
        var out = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
        for id in order {
            guard let layer = layers[id] else { continue }
            var text = render(id, layer)
            if text.count >= width { text = String(text.prefix(max(width - 1, 10))) }
            out += "\u{1B}[2K\r" + text + "\n"
        }
        drawn = order.count
        write(Array(out.utf8))
    }

    /// `ID: STEP [=====>     ] 12.5MB/45.2MB 8.3MB/s`.
    private func render(_ id: String, _ layer: Layer) -> String {
        var text = "\(id): \(layer.status)"
        guard layer.current > 0 else { return text }
        if layer.total > 0 {
            let width = 25
            let filled = Int(min(Double(layer.current) / Double(layer.total), 1) * Double(width))
            let bar = String(repeating: "=", count: max(filled - 1, 0)) + (filled > 0 ? (filled == width ? "=" : ">") : "")
            text += " [\(bar.padding(toLength: width, withPad: " ", startingAt: 0))] \(Self.size(layer.current))/\(Self.size(layer.total))"
        } else {
            text += " \(Self.size(layer.current))"
        }
        let seconds = Double(now() &- layer.stepStarted) / 1e9
        if seconds >= 0.25 {
            let rate = Double(layer.current - layer.stepStartBytes) / seconds
            if rate > 0 { text += " \(Self.size(Int64(rate)))/s" }
        }
        return text
    }

    /// Sizes as the docker CLI prints them (powers of 1000, four significant digits): `12.35MB`.
    static func size(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        var v = Double(bytes)
        var u = 0
        while v >= 1000, u < units.count - 1 { v /= 1000; u += 1 }
        return String(format: "%.4g", v) + units[u]
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
