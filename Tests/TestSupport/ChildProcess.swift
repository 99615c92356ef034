import Foundation
import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// A process this test process started, with swift-subprocess, writing its standard output
/// and error to files (``OutputFile``) and reaped by the library's own exit watcher.
///
/// Why not Foundation's `Process`: on Linux it learns that a child exited from the end of
/// a socket the child inherits, and it closes the descriptors a child should not inherit
/// from a list taken just before spawning, so a socket or pipe another thread creates in
/// that moment leaks into the wrong child. A `waitUntilExit()` or a read to the end of a
/// pipe then waits for whichever unrelated process holds the copy. One CI run lost a
/// `coupon reveal` that finished in 0.1 s for over three minutes (a `swift build` of the
/// consumer package held its pipe). swift-subprocess creates its descriptors close-on-exec,
/// closes every other descriptor in the child and watches the child's exit through a
/// process descriptor.
public final class ChildProcess: Sendable {
    /// The child's process id (valid while ``isRunning``).
    public let pid: pid_t
    /// What it printed on standard output (and standard error when they were merged).
    public let output: OutputFile
    /// What it printed on standard error, when kept apart.
    public let errors: OutputFile?
    private let exit: Task<Int32, any Error>
    private let ended: Reaped

    private init(
        pid: pid_t, output: OutputFile, errors: OutputFile?, exit: Task<Int32, any Error>, ended: Reaped
    ) {
        self.pid = pid
        self.output = output
        self.errors = errors
        self.exit = exit
        self.ended = ended
    }

    /// Not started: swift-subprocess could not spawn it.
    public struct LaunchFailure: Error, CustomStringConvertible {
        public let executable: String
        public var description: String { "could not start \(executable)" }
    }

    /// Starts `executable` with `arguments`, the environment merged over this process's, in
    /// `directory` (this process's own when nil), standard input from /dev/null, standard
    /// error in its own file or, with `mergingErrors`, in the output's.
    public static func start(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil,
        label: String, mergingErrors: Bool = false
    ) async throws -> ChildProcess {
        let output = try OutputFile(label)
        let errors = mergingErrors ? nil : try OutputFile(label + "-stderr")
        let outFD = try output.appendingDescriptor()
        let errFD = try errors?.appendingDescriptor() ?? outFD.duplicate()
        var overrides: [Environment.Key: String?] = [:]
        for (name, value) in environment {
            if let key = Environment.Key(rawValue: name) { overrides[key] = value }
        }
        let (started, announce) = AsyncStream<pid_t>.makeStream()
        let ended = Reaped()
        let exit = Task<Int32, any Error> {
            defer {
                ended.mark()
                announce.finish()
            }
            let result = try await Subprocess.run(
                .path(FilePath(executable.path)), arguments: Arguments(arguments),
                environment: .inherit.updating(overrides), workingDirectory: directory.map { FilePath($0.path) },
                input: .none, output: .fileDescriptor(outFD, closeAfterSpawningProcess: true),
                error: .fileDescriptor(errFD, closeAfterSpawningProcess: true)
            ) { execution in
                announce.yield(execution.processIdentifier.value)
            }
            switch result.terminationStatus {
            case .exited(let code): return code
            case .signaled(let signal): return 128 + signal
            }
        }
        var announced = started.makeAsyncIterator()
        guard let pid = await announced.next() else {
            output.remove()
            errors?.remove()
            _ = try await exit.value
            throw LaunchFailure(executable: executable.path)
        }
        return ChildProcess(pid: pid, output: output, errors: errors, exit: exit, ended: ended)
    }

    /// Whether it has not been reaped yet.
    public var isRunning: Bool { !ended.value }

    /// Sends `signal` unless it has already been reaped (its id may be another's by then);
    /// whether it was sent.
    @discardableResult
    public func send(_ signal: Int32) -> Bool {
        ended.unlessMarked { kill(pid, signal) == 0 }
    }

    /// Its exit status once it has exited (128 + the signal's number when a signal ended it).
    public func status() async -> Int32 {
        (try? await exit.value) ?? 127
    }

    /// Its exit status, or, if it is still running `deadline` from now, SIGKILL and nil.
    public func status(within deadline: Duration) async -> Int32? {
        let watchdog = Task {
            try await Task.sleep(for: deadline)
            return send(SIGKILL)
        }
        let status = await status()
        watchdog.cancel()
        return (try? await watchdog.value) == true ? nil : status
    }

    /// Removes its output files.
    public func removeFiles() {
        output.remove()
        errors?.remove()
    }
}

/// Whether swift-subprocess has reaped the child (noted as soon as its run returns);
/// signals are sent under the same lock, and none after it is noted.
private final class Reaped: Sendable {
    private let reaped = Mutex(false)

    func mark() { reaped.withLock { $0 = true } }
    var value: Bool { reaped.withLock { $0 } }

    func unlessMarked(_ body: () -> Bool) -> Bool {
        reaped.withLock { $0 ? false : body() }
    }
}
