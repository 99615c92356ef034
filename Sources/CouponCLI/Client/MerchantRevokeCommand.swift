import ArgumentParser
import CouponAPI
import Foundation

/// `coupon merchant revoke SERIAL [--json]`.
struct MerchantRevokeCommand: AsyncParsableCommand {
    static let abstract = "Revoke one of your coupon serials: orders with it are refused from now on (final)."
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: abstract)

    @Argument(help: "The coupon serial, as coupon merchant upload printed it.") var serial: String
    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the server's JSON.") var json = false

    func validate() throws {
        guard (1...64).contains(serial.utf8.count) else { throw ValidationError("SERIAL must be 1-64 bytes") }
    }

    func run() async throws {
        let revocation = try await server.client().call {
            try await $0.revokeCoupon(path: .init(serial: serial)).ok.body.json
        }
        try ClientWireFormat.show(revocation, json: json) { revocation in
            print("coupon serial \(revocation.serial) revoked at \(revocation.revokedAt)")
        }
    }
}
