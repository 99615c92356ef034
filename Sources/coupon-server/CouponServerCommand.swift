import ArgumentParser
import CProcessTuning
import Foundation

/// `coupon-server`: the marketing server and its admin commands. Argument parsing and
/// printing only; the work is in `CouponServer` and `CouponStore`.
@main
struct CouponServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coupon-server",
        abstract: "The Couponmark marketing server (HTTP API v1) and its admin commands.",
        subcommands: [ServeCommand.self, MerchantCommand.self, KeysCommand.self, SeedDemoCommand.self, BenchVerifyCommand.self]
    )

    /// Usage errors exit 1 (like every `coupon` command; README "Commands"), not ArgumentParser's 64.
    static func main() async {
        couponmark_tune_malloc_for_images()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(withError: nil)
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("coupon-server: \(failure.message)\n".utf8))
            exit(withError: ExitCode(failure.exitCode))
        } catch {
            if exitCode(for: error) == .validationFailure {
                let message = fullMessage(for: error)
                FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
                exit(withError: ExitCode(1))
            }
            exit(withError: error)
        }
    }
}

/// One line on stderr and an exit code (1: usage or bad input, 2: server or storage).
struct CommandFailure: Error {
    let message: String
    var exitCode: Int32 = 1
}

/// `--data DIR`, shared by every command.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Data directory (SQLite database, demo keys).", valueName: "DIR"))
    var data: String = "./data"
}

/// Prints one JSON document on stdout.
func printJSON(_ object: [String: String]) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(object), as: UTF8.self))
}
