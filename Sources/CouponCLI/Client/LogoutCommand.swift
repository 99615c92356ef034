import ArgumentParser
import CouponAPI
import Foundation

/// `coupon logout`: revokes the member token on the server, then forgets it here. A
/// token the server no longer knows (already logged out elsewhere) is forgotten all the
/// same. The reveal keys stay, so saved coupons still reveal offline.
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Revoke your member token on the server and forget it locally.")

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let profile = Profile()
        guard let session = try profile.savedSession() else {
            throw CommandFailure("not logged in (no \(profile.sessionPath))", exitCode: ExitStatus.usage)
        }
        guard session.role == "member" else {
            throw CommandFailure(
                "merchant tokens are replaced by the operator (coupon-server merchant rotate-token); "
                    + "nothing was changed", exitCode: ExitStatus.usage)
        }
        let client = try server.client(profile: profile)
        let revoked: Result<Void, CommandFailure>
        do {
            _ = try await client.call { try await $0.deleteMemberToken().noContent }
            revoked = .success(())
        } catch {
            revoked = .failure(error)
        }
        // A token the server already refuses (logged out elsewhere) is forgotten all the same.
        if case .failure(let failure) = revoked, !failure.message.contains("unauthenticated") { throw failure }
        try profile.forgetSession()
        print("logged out; the token no longer works")
    }
}
