import ArgumentParser

/// `coupon png …`: the PNG codec on its own, for tools and benchmarks.
struct PNGCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "png",
        abstract: "The PNG codec on its own: re-encode and benchmark files.",
        subcommands: [PNGBenchCommand.self, PNGRecodeCommand.self]
    )
}
