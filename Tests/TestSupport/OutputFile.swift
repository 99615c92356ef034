import Foundation

/// A child process's standard output or error, captured in a file rather than a pipe.
///
/// A pipe ends only when every copy of its write end is closed. On Linux, Foundation's
/// `Process` closes the descriptors a new child inherits from a list it takes just before
/// spawning, so a pipe that another thread creates in that moment leaks into the child
/// that thread is starting (a `swift build` of the consumer package, a server, PostgreSQL)
/// and a reader waiting for its end waits for that unrelated process too. One CI run lost a
/// `coupon reveal` that had finished in 0.1 s this way: its output arrived, its end did not
/// for over three minutes. A file has no end to wait for: the runner waits for the process
/// to exit, then reads what it wrote.
public struct OutputFile: Sendable {
    public let url: URL

    /// An empty file in the temporary folder.
    public init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("couponmark-\(label)-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }

    /// A handle for the child to write to (the parent closes its copy after spawning).
    public func writer() throws -> FileHandle { try FileHandle(forWritingTo: url) }

    /// Everything written so far.
    public var text: String {
        String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self)
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}
