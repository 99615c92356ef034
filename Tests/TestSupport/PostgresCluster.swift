import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway PostgreSQL server for the tests: one per test process, started on first
/// use (``shared()``), with a fresh database per test (``createDatabase()``).
///
/// It uses the binaries of Debian's `postgresql` package (`/usr/lib/postgresql/N/bin`,
/// the newest N; `COUPONMARK_PG_BIN` overrides the folder). `initdb` makes a cluster in a
/// new temporary folder (trust authentication, user `postgres`, `fsync=off`: the data
/// dies with the test run), `postgres` listens on 127.0.0.1 at a free port, and the
/// cluster is ready once `pg_isready` says so. PostgreSQL refuses to run as root, so as
/// root every step runs as the `postgres` user (`su postgres`), who owns the folder.
///
/// Nothing has to stop it: `postgres` runs under a small shell watchdog that checks
/// every second whether the test process still exists (`/proc/<pid>`) and, once it is
/// gone (however it ended, `kill -9` included), stops the server and deletes the folder.
public final class PostgresCluster: Sendable {
    /// Why the cluster could not start; says what to do.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    public let directory: String
    private let bin: String

    private init(port: Int, directory: String, bin: String) {
        (self.port, self.directory, self.bin) = (port, directory, bin)
    }

    private static let started = Task<PostgresCluster, any Error> { try await PostgresCluster.start() }

    /// The process's cluster, started on the first call.
    public static func shared() async throws -> PostgresCluster {
        try await started.value
    }

    /// Creates a database and returns its URL (`postgres://postgres@127.0.0.1:PORT/t_...`):
    /// empty, or a copy of `template` (a database nobody is connected to; a copy is much
    /// cheaper than migrating every test's database anew).
    public func createDatabase(template: String? = nil) async throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        // FILE_COPY: a fifth of the CPU of the default (WAL_LOG) for these small databases.
        let sql = "CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? "") + " STRATEGY FILE_COPY"
        for attempt in 1...50 {
            let result = try await Self.runAsync(
                bin + "/psql",
                ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q",
                    "-c", sql])
            if result.status == 0 { return "postgres://postgres@127.0.0.1:\(port)/\(name)" }
            // A template's last connection may still be closing on the server's side.
            guard result.stderr.contains("is being accessed by other users"), attempt < 50 else {
                throw Unavailable(description: "CREATE DATABASE failed: \(result.stderr)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Unavailable(description: "CREATE DATABASE failed")
    }

    // MARK: Starting

    private static var isRoot: Bool { getuid() == 0 }

    private static func start() async throws -> PostgresCluster {
        let bin = try binaries()
        let parent = NSTemporaryDirectory() + "couponmark-pg-" + UUID().uuidString
        let directory = parent + "/data"
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        if isRoot {
            guard try await runAsync("/bin/chown", ["postgres:postgres", parent]).status == 0 else {
                throw Unavailable(description: "cannot give \(parent) to the postgres user (is there one? run tools/setup)")
            }
        }
        let initdb = try await runAsync(
            "/bin/sh", shell("\(quote(bin + "/initdb")) -D \(quote(directory)) -A trust -U postgres --no-sync >/dev/null"))
        guard initdb.status == 0 else { throw Unavailable(description: "initdb failed: \(initdb.stderr)") }
        for _ in 0..<5 {
            let port = try freePort()
            let server = [
                quote(bin + "/postgres"), "-D", quote(directory), "-p", "\(port)", "-k", quote(directory),
                "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=400", "-c", "fsync=off",
                "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "wal_level=minimal",
                "-c", "max_wal_senders=0", "-c", "autovacuum=off", "-c", "jit=off",
            ].joined(separator: " ")
            // The watchdog: the server lives as long as this test process.
            let script = """
                \(server) >\(quote(parent + "/postgres.log")) 2>&1 &
                pg=$!
                while [ -d /proc/\(getpid()) ] && kill -0 $pg 2>/dev/null; do sleep 1; done
                kill -INT $pg 2>/dev/null; wait $pg; rm -rf \(quote(parent))
                """
            let watchdog = try await ChildProcess.start(
                URL(fileURLWithPath: "/bin/sh"), shell(script), label: "postgres-watchdog", mergingErrors: true)
            for _ in 0..<300 {
                if !watchdog.isRunning { break }
                let ready = try await runAsync(bin + "/pg_isready", ["-q", "-h", "127.0.0.1", "-p", "\(port)"])
                if ready.status == 0 { return PostgresCluster(port: port, directory: directory, bin: bin) }
                try await Task.sleep(for: .milliseconds(100))
            }
            watchdog.send(SIGTERM)
        }
        throw Unavailable(description: "PostgreSQL did not start (see \(parent)/postgres.log)")
    }

    /// `sh -c` arguments running `command` as the `postgres` user when this process is root.
    private static func shell(_ command: String) -> [String] {
        isRoot ? ["-c", "exec su postgres -s /bin/sh -c \(quote(command))"] : ["-c", command]
    }

    private static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The folder with `initdb`, `postgres`, `pg_isready` and `psql`.
    private static func binaries() throws -> String {
        let fileManager = FileManager.default
        if let bin = ProcessInfo.processInfo.environment["COUPONMARK_PG_BIN"] { return bin }
        let root = "/usr/lib/postgresql"
        let versions = ((try? fileManager.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        for version in versions.reversed() where fileManager.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        throw Unavailable(
            description: "PostgreSQL is not installed (no \(root)/N/bin/initdb): run tools/setup, or set COUPONMARK_PG_BIN")
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Unavailable(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Unavailable(description: "bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Unavailable(description: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a short command to its end.
    private static func runAsync(_ path: String, _ arguments: [String]) async throws -> ProcessRunner.Result {
        try await ProcessRunner.run(URL(fileURLWithPath: path), arguments)
    }
}
