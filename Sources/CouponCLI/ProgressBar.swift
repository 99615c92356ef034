import Synchronization

/// A one-line progress bar on stderr, drawn only when stderr is a terminal; safe to
/// update from concurrent tasks.
final class ProgressBar: Sendable {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private let progress = Mutex((done: 0, lastDraw: ContinuousClock.now))

    init(total: Int, label: String, enabled: Bool = Terminal.stderrIsTerminal) {
        self.total = max(total, 1)
        self.label = label
        self.enabled = enabled
    }

    func advance() {
        guard enabled else { return }
        progress.withLock { progress in
            progress.done += 1
            let now = ContinuousClock.now
            guard progress.done == total || now - progress.lastDraw > .milliseconds(100) else { return }
            progress.lastDraw = now
            draw(done: progress.done)
        }
    }

    /// Called with the lock held, so lines never interleave.
    private func draw(done: Int) {
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
