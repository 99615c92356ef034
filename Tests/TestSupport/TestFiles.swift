import Foundation

/// Places on disk that tests share: the repository, its fixtures, fresh temporary folders.
public enum TestFiles {
    /// The repository root (this file is Tests/TestSupport/TestFiles.swift).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The repository's `fixtures/` folder.
    public static let fixtures = repositoryRoot.appendingPathComponent("fixtures")

    /// A fresh, empty folder under the system temporary directory; the caller removes it.
    public static func temporaryDirectory(prefix: String = "couponmark") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
