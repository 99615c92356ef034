import ArgumentParser
import CProcessTuning
import CommandLineEntry
import Foundation

/// `coupon-server`: the marketing server and its admin commands. Argument parsing and
/// printing only; the work is in `CouponServer` and `CouponStore`.
@main
struct CouponServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coupon-server",
        abstract: "The Couponmark marketing server (HTTP API v1) and its admin commands.",
        subcommands: [
            ServeCommand.self, MerchantCommand.self, KeysCommand.self, SeedDemoCommand.self, BenchVerifyCommand.self,
            AuditCommand.self, MigrateCommand.self, SessionsCommand.self,
        ]
    )

    /// The shared edge (CommandLineEntry): errors print as one `coupon-server: …` line
    /// and exit 1 for usage or bad input, 2 for server or storage faults (README.md, Exit codes).
    static func main() async {
        requireImageKernelProcessor(couponmark_cpu_runs_image_kernels() != 0)
        couponmark_tune_malloc_for_images()
        await runAsMain()
    }
}

/// Prints one JSON document on stdout.
func printJSON(_ object: [String: String]) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(object), as: UTF8.self))
}
