import Foundation
import TestSupport
import Testing

/// The runner every CLI and admin-command test goes through.
@Suite struct ProcessRunnerTests {
    /// A command that exits while something else still holds its output (here its own
    /// background child; in the CI run that failed, an unrelated process spawned by
    /// another test at the same moment) returns when the command exits. With pipes the
    /// runner waited for the last holder: 60 s here, past the 20 s deadline.
    @Test(.timeLimit(.minutes(1)))
    func returnsWhenTheCommandExitsNotWhenItsOutputIsReleased() async throws {
        let started = ContinuousClock.now
        let result = try await ProcessRunner.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "sleep 60 & echo finished; echo to-stderr >&2"], deadline: 20)
        #expect(!result.timedOut, "\(result.stderr)")
        #expect(result.status == 0)
        #expect(result.stdout == "finished\n")
        #expect(result.stderr == "to-stderr\n")
        #expect(ContinuousClock.now - started < .seconds(20), "it waited for the background sleep")
    }

    /// A command still running at its deadline is killed and says so.
    @Test(.timeLimit(.minutes(1)))
    func aHungCommandIsKilledAtItsDeadline() async throws {
        let result = try await ProcessRunner.run(URL(fileURLWithPath: "/bin/sleep"), ["60"], deadline: 1)
        #expect(result.timedOut)
        #expect(result.status == 137)
        #expect(result.stderr.contains("ran past its 1 s deadline"))
    }
}
