import ArgumentParser
import CouponAPI
import CouponKit
import Foundation

/// `coupon join --individual|--corporate --name N --email E [--company C --registration-number R]`.
struct JoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Become a member: saves your token and the reveal keys under $COUPON_HOME.")

    enum Kind: String, EnumerableFlag {
        case individual, corporate
    }

    @Flag(help: "Member kind.") var kind: Kind
    @Option(help: "Your name.") var name: String
    @Option(help: "Your e-mail address.") var email: String
    @Option(help: "Company name (corporate members).") var company: String?
    @Option(help: "Company registration number (corporate members).") var registrationNumber: String?
    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the server's JSON answer, without the token.") var json = false

    func validate() throws {
        switch kind {
        case .corporate:
            guard company != nil, registrationNumber != nil else {
                throw ValidationError("--corporate needs --company and --registration-number")
            }
        case .individual:
            guard company == nil, registrationNumber == nil else {
                throw ValidationError("--company and --registration-number are for --corporate members")
            }
        }
    }

    func run() async throws {
        let profile = Profile()
        let client = try server.client(profile: profile, authenticated: false)
        let request = Components.Schemas.JoinRequest(
            kind: kind.rawValue, name: name, email: email,
            company: company.map { .init(name: $0, registrationNumber: registrationNumber ?? "") })
        let joined = try await client.call { try await $0.joinMembership(body: .json(request)).created.body.json }
        guard let ring = joined.keys.keyRing else {
            throw CommandFailure("the server sent keys that do not decode", exitCode: ExitStatus.server)
        }
        try profile.saveKeys(ring)
        try profile.saveSession(
            Session(server: client.baseURL.absoluteString, token: joined.token, role: "member", id: joined.memberId))
        if json {
            try Terminal.printJSON(["member_id": joined.memberId])
        } else {
            print("welcome, member \(joined.memberId)")
            print("saved your token and \(ring.revealKeys.count) reveal key(s) in \(profile.home)")
        }
    }
}
