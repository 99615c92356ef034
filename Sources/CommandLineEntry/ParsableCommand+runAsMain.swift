public import ArgumentParser
import Foundation

extension ParsableCommand {
    /// The process entry point shared by `coupon` and `coupon-server`: parses the
    /// arguments for this root command, runs the chosen subcommand, and exits.
    ///
    /// This is the one edge where an error becomes text:
    /// - a ``CommandLineReportable`` error prints `<name>: <message>` on stderr and exits
    ///   with its ``CommandLineReportable/exitCode``, where `<name>` is the root's
    ///   `commandName`;
    /// - a usage error (unknown flag, failed `validate()`) prints ArgumentParser's message
    ///   and exits 1, not ArgumentParser's 64;
    /// - `--help` and `--version` print and exit 0; a thrown `ExitCode` exits with it;
    /// - anything else is left to ArgumentParser (`Error: ...`, exit 1).
    public static func runAsMain(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(withError: nil)
        } catch let reportable as any CommandLineReportable {
            // Messages may quote a server's problem detail or a file's contents.
            writeToStandardError("\(programName): \(TerminalText.printable(reportable.message))\n")
            exit(withError: reportable.exitCode)
        } catch {
            if exitCode(for: error) == .validationFailure {
                let message = fullMessage(for: error)
                writeToStandardError(message.hasSuffix("\n") ? message : message + "\n")
                exit(withError: ExitCode.usageFailure)
            }
            exit(withError: error)
        }
    }

    /// Stops with exit 2 and a one-line message when `supported` is false: the processor
    /// cannot run the image kernels as they were compiled (x86-64-v2, see `Package.swift`).
    /// Called first thing, so that an older processor gets this line instead of an illegal
    /// instruction later.
    public static func requireImageKernelProcessor(_ supported: Bool) {
        guard !supported else { return }
        writeToStandardError(
            "\(programName): this build needs an x86-64-v2 processor (SSSE3, SSE4.1, SSE4.2 and POPCNT, "
                + "as every x86-64 server since about 2009 has), and this one lacks some of them\n")
        exit(withError: ExitCode.serverFailure)
    }

    /// The name an error line starts with: the root command's name, else the executable's.
    static var programName: String {
        configuration.commandName
            ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "command").lastPathComponent
    }

    private static func writeToStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension ExitCode {
    /// A usage error or bad input: exit 1 for both tools (ArgumentParser would use 64).
    public static let usageFailure = ExitCode(1)
    /// A server, network or storage fault: exit 2 for both tools.
    public static let serverFailure = ExitCode(2)
}
