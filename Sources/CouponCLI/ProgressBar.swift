import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal; safe to
/// update from concurrent tasks.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private let lock = NSLock()
    private var done = 0
    private var lastDraw = ContinuousClock.now

    init(total: Int, label: String, enabled: Bool = Terminal.stderrIsTerminal) {
        self.total = max(total, 1)
        self.label = label
        self.enabled = enabled
    }

    func advance() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        done += 1
        let now = ContinuousClock.now
        guard done == total || now - lastDraw > .milliseconds(100) else { return }
        lastDraw = now
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        Terminal.standardError("\r\(label) [\(bar)] \(done)/\(total)")
    }

    func finish() {
        guard enabled else { return }
        Terminal.standardError("\r\u{1B}[2K")
    }
}
