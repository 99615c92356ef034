public import ArgumentParser

/// The purchaser's and merchant's terminal: `coupon <subcommand>`.
public struct CouponCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "coupon",
        abstract: "Couponmark: coupons whose discount is sealed and hidden in the pixels.",
        discussion: """
            Exit codes: 0 ok, 1 usage or bad input file, 2 server or network error, \
            3 unreadable coupon or no watermark, 4 wrong key, 5 bad signature, \
            6 tampered artwork, 7 rejected by the server.
            """,
        groupedSubcommands: [
            CommandGroup(
                name: "Member",
                subcommands: [
                    JoinCommand.self, ProductsCommand.self, GetCommand.self, RevealCommand.self, IdentifyCommand.self,
                    OrderCommand.self,
                    HistoryCommand.self, LogoutCommand.self,
                ]),
            CommandGroup(name: "Merchant", subcommands: [MerchantCommand.self, KeysCommand.self, MintCommand.self]),
            CommandGroup(
                name: "Offline",
                subcommands: [
                    VerifyCommand.self, InspectCommand.self, WatermarkCommand.self, BenchCommand.self, PNGCommand.self,
                ]),
        ]
    )

    public init() {}
}
