import ArgumentParser
import CouponKit

/// `--reveal-key` and `--issuer-pub`, shared by reveal and verify. Each flag replaces
/// its part of the saved profile (`coupon join`); what is not given comes from there.
struct RevealKeyOptions: ParsableArguments {
    @Option(help: "Reveal key file (reveal.key, or a Keys document with every epoch).")
    var revealKey: String?

    @Option(help: "Issuer public key file (issuer.pub); repeat for several issuers.")
    var issuerPub: [String] = []

    /// Throws ``KeyFiles/Failure`` for a key file that does not hold a key, and
    /// ``CommandFailure`` for a damaged profile or when no reveal key is known.
    func keyRing() throws -> KeyRing {
        let saved = try Profile().savedKeys()
        var ring = saved ?? KeyRing()
        if let revealKey { ring.revealKeys = try KeyFiles.readRevealKeys(at: revealKey) }
        if !issuerPub.isEmpty {
            var issuers: [IssuerPublicKey] = []
            for path in issuerPub { issuers.append(try KeyFiles.readIssuerPublicKey(at: path)) }
            ring.issuers = issuers
        }
        guard !ring.revealKeys.isEmpty else {
            throw CommandFailure("no reveal key: pass --reveal-key FILE or run coupon join first", exitCode: ExitStatus.usage)
        }
        return ring
    }
}
