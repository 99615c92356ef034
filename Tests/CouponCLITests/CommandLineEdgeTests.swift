import Foundation
import TestSupport
import Testing

/// The one edge both executables share (CommandLineEntry's `runAsMain`): typed errors
/// become one `<program>: …` line on stderr and the exit code README.md lists (Exit codes).
@Suite(.timeLimit(.minutes(5))) struct CommandLineEdgeTests {
    private func file(_ name: String, in dir: URL, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func usageErrorsExitOneAndHelpExitsZero() async throws {
        let runners: [@Sendable ([String]) async throws -> CLIRunner.Result] = [
            { try await CLIRunner.run($0) }, { try await LiveServer.admin($0) },
        ]
        for run in runners {
            let bad = try await run(["--no-such-flag"])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("Unknown option '--no-such-flag'"))
            await #expect(try run(["--help"]).status == 0)
        }
    }

    @Test func couponReportsDomainErrorsWithTheFileTheyConcern() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try file("notes.txt", in: dir, "hello\n")
        #expect(try await CLIRunner.run(["keys", "init", "--out", dir.path + "/k"]).status == 0)

        // A PNG error wrapped with its path: exit 3 for inspect, 1 for mint --art.
        let inspect = try await CLIRunner.run(["inspect", text])
        #expect(inspect.status == 3)
        #expect(inspect.stderr == "coupon: \(text): not a PNG file (bad signature)\n")
        let mint = try await CLIRunner.run([
            "mint", "--terms", text, "--out", dir.path + "/out", "--issuer-key", dir.path + "/k/issuer.key",
            "--reveal-key", dir.path + "/k/reveal.key", "--art", text,
        ])
        #expect(mint.status == 1)
        #expect(mint.stderr == "coupon: \(text): not a PNG file (bad signature)\n")

        // A coupon failure keeps its reason's exit code; a key file error is bad input.
        let reveal = try await CLIRunner.run(["reveal", text, "--reveal-key", dir.path + "/k/reveal.key"])
        #expect(reveal.status == 3)
        #expect(reveal.stderr == "coupon: \(text): coupon unreadable: not a PNG file (bad signature)\n")
        let badKey = try await CLIRunner.run(["reveal", text, "--reveal-key", text])
        #expect(badKey.status == 1)
        #expect(badKey.stderr.hasPrefix("coupon: \(text) is not a reveal key"))
    }

    #if arch(x86_64)
    /// The image kernels are compiled for x86-64-v2: on an emulated processor without it
    /// (QEMU's `qemu64`: no SSSE3 or SSE4) both executables print one line and exit 2
    /// before anything else runs; on one with it (QEMU's `Nehalem`) they start as usual.
    /// QEMU is installed by `tools/setup` on x86-64.
    @Test func aProcessorWithoutX8664V2GetsOneLineNotAnIllegalInstruction() async throws {
        let qemu = URL(fileURLWithPath: "/usr/bin/qemu-x86_64")
        for (executable, name) in [(CLIRunner.executable, "coupon"), (LiveServer.serverExecutable, "coupon-server")] {
            let old = try await ProcessRunner.run(qemu, ["-cpu", "qemu64", executable.path, "--help"])
            #expect(old.status == 2, "\(name)")
            #expect(old.stdout.isEmpty)
            #expect(old.stderr.hasPrefix("\(name): this build needs an x86-64-v2 processor (SSSE3, SSE4.1, SSE4.2"))
            #expect(old.stderr.filter { $0 == "\n" }.count == 1)
            let v2 = try await ProcessRunner.run(qemu, ["-cpu", "Nehalem", executable.path, "--help"])
            #expect(v2.status == 0, "\(name): \(v2.stderr)")
            #expect(v2.stdout.contains("USAGE: \(name)"))
        }
    }
    #endif

    @Test func couponServerKeepsItsPrefixAndExitCodes() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try file("notes.txt", in: dir, "hello\n")
        let data = dir.path + "/data"
        #expect(try await CLIRunner.run(["keys", "init", "--out", dir.path + "/k"]).status == 0)

        let notAKey = try await LiveServer.admin(["merchant", "add", "--name", "A", "--public-key", text, "--data", data])
        #expect(notAKey.status == 1)
        #expect(notAKey.stderr == "coupon-server: \(text) is not an issuer public key (base64 of 32 bytes)\n")

        let add = ["merchant", "add", "--name", "A", "--public-key", dir.path + "/k/issuer.pub", "--data", data]
        #expect(try await LiveServer.admin(add).status == 0)
        let twice = try await LiveServer.admin(add)
        #expect(twice.status == 1)
        #expect(twice.stderr.hasPrefix("coupon-server: a merchant with issuer key iss_"))

        let storage = try await LiveServer.admin(["keys", "rotate", "--data", text])
        #expect(storage.status == 2)
        #expect(storage.stderr == "coupon-server: cannot open the data directory \(text): \(text) is not a directory\n")
    }
}
