import ArgumentParser

/// The marketing server. Its HTTP service arrives with the server issue; until then it
/// only explains itself.
@main
struct CouponServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coupon-server",
        abstract: "The Couponmark marketing server (HTTP). Not built yet: see the README."
    )

    func run() throws {
        print(Self.helpMessage())
    }
}
