import Foundation
import SystemPackage

/// A child process's standard output or error, captured in a file rather than a pipe: a
/// file has no end to wait for, so the reader waits for the process to exit (see
/// ``ChildProcess`` for the hang a pipe's end caused), then reads what it wrote.
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

    /// A descriptor for the child to write to, appending.
    public func appendingDescriptor() throws -> FileDescriptor {
        try FileDescriptor.open(FilePath(url.path), .writeOnly, options: [.append])
    }

    /// Everything written so far.
    public var text: String {
        String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self)
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}
