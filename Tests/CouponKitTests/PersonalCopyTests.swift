import CouponKit
import CouponMinting
import Crypto
import Foundation
import ImageCore
import PNGCodec
import RobustMark
import Testing
import Watermark

/// Personal coupons at the coupon level: the `personal` term, the server's binding, the
/// payload that carries both, and members' copies made from the merchant's original.
@Suite struct PersonalCopyTests {
    static let issuer = IssuerKey()
    static let reveal = RevealKey(epoch: 3)
    static let robustKey = RobustKey()
    static let server = ServerKey()
    static var ring: KeyRing {
        KeyRing(revealKeys: [reveal], issuers: [issuer.publicKey], serverKeys: [server.publicKey])
    }

    static func terms(personal: Bool = true, serial: String = "P-0001") -> CouponTerms {
        CouponTerms(
            serial: serial, productId: "prod_espresso", title: "Just for you", discount: .rate(basisPoints: 2000),
            validFrom: 1_796_083_200, validUntil: 1_801_439_999, issuerId: "", personal: personal)
    }

    /// The merchant's original: minted with the merchant's robust key, which a personal
    /// coupon does not get.
    static let original: CouponMinter.Minted = {
        var minter = CouponMinter(issuer: issuer, revealKey: reveal)
        minter.robustKey = robustKey
        return try! minter.mint(terms())
    }()

    static func copy(for member: String, at time: Int64 = 1_796_100_000) throws -> CouponPersonaliser.Copy {
        let opened = try CouponPersonaliser.Original(png: original.png, keys: ring)
        return try CouponPersonaliser(serverKey: server).copy(
            of: opened, memberId: member, issuedAt: time, robustKey: robustKey)
    }

    static func decode(_ png: [UInt8]) throws -> PixelBuffer { try PNGDecoder().decode(png, as: .rgb8).image }

    // MARK: the term

    @Test func thePersonalTermIsSignedAndCritical() throws {
        let personal = TokenCodec.encode(Self.terms())
        let plain = TokenCodec.encode(Self.terms(personal: false))
        #expect(try TokenCodec.decode(personal).personal)
        #expect(try !TokenCodec.decode(plain).personal)
        // Absent unless set: every other coupon keeps its exact bytes.
        #expect(personal.count == plain.count + 3)
        // A value other than 1 is refused.
        var two = personal
        let at = try #require(Self.tagOffset(13, in: personal))
        two[at + 2] = 2
        #expect(throws: TokenCodec.DecodeError.invalidField("personal")) { try TokenCodec.decode(two) }
    }

    /// The offset of a field's tag byte in an encoded token (tags and lengths walked).
    static func tagOffset(_ tag: UInt8, in token: [UInt8]) -> Int? {
        var index = 1
        while index + 1 < token.count {
            if token[index] == tag { return index }
            index += 2 + Int(token[index + 1])
        }
        return nil
    }

    @Test func termsFilesSayPersonalInAColumn() throws {
        let csv = """
            product_id,title,kind,value,valid_from,valid_until,personal
            prod_a,One each,rate,1000,2026-12-01,2027-01-31,true
            prod_a,For all,rate,1000,2026-12-01,2027-01-31,
            """
        let rows = try TermsFile.parse(csv).map { try $0.get() }
        #expect(rows.map(\.terms.personal) == [true, false])
        let bad = try TermsFile.parse(csv.replacingOccurrences(of: ",true", with: ",sometimes"))
        guard case .failure(let error) = bad[0] else {
            Issue.record("a personal value of 'sometimes' was accepted")
            return
        }
        #expect(error.message.contains("personal must be true or false"))
    }

    // MARK: the binding

    static func binding(member: String = "mbr_a", key: ServerKey = server) throws -> CopyBinding {
        try CopyBinding(
            signing: key, issuerId: "iss_0011223344556677", serial: "P-0001", memberId: member, copyId: 0xDEAD_BEEF_0000_0001,
            issuedAt: 1_796_100_000, issuerDigest: [UInt8](repeating: 1, count: 32), copyDigest: [UInt8](repeating: 2, count: 32))
    }

    @Test func aBindingRoundTripsAndVerifiesOnlyUnderItsKey() throws {
        let binding = try Self.binding()
        let decoded = try CopyBinding(decoding: binding.encoded)
        #expect(decoded == binding)
        #expect(decoded.verify(with: [Self.server.publicKey]) == .valid)
        // A retired key still verifies what it signed.
        var retired = Self.server.publicKey
        retired.retired = true
        #expect(decoded.verify(with: [retired]) == .valid)
        #expect(decoded.verify(with: [ServerKey().publicKey]) == .unknownKey)
        #expect(decoded.verify(with: []) == .unknownKey)
    }

    @Test func aBindingChangedAnywhereNoLongerVerifies() throws {
        let encoded = try Self.binding().encoded
        // Every byte of the signed part and the signature, flipped in turn.
        for index in encoded.indices {
            var changed = encoded
            changed[index] ^= 0x01
            guard let decoded = try? CopyBinding(decoding: changed) else { continue }
            #expect(decoded.verify(with: [Self.server.publicKey]) != .valid, "byte \(index)")
        }
        #expect(throws: CopyBinding.DecodeError.truncated) { try CopyBinding(decoding: Array(encoded.dropLast())) }
        #expect(throws: CopyBinding.DecodeError.unsupportedVersion(2)) { try CopyBinding(decoding: [2] + encoded.dropFirst()) }
        #expect(throws: (any Error).self) { try CopyBinding(decoding: encoded + [0]) }
    }

    @Test func thePayloadCarriesTheSealAndTheBinding() throws {
        let binding = try Self.binding()
        let sealed = [UInt8]("CM".utf8) + [1, 0, 0, 0, 3] + [UInt8](repeating: 9, count: 40)
        let payload = CopyPayload.encode(sealed: sealed, binding: binding)
        let split = try CopyPayload.split(payload)
        #expect(split.sealed == sealed && split.binding == binding)
        // A plain seal passes through whole.
        let plain = try CopyPayload.split(sealed)
        #expect(plain.sealed == sealed && plain.binding == nil)
        #expect(throws: CopyBinding.DecodeError.truncated) { try CopyPayload.split(Array(payload.prefix(30))) }
        #expect(payload.count <= CopyPayload.maxLength)
    }

    // MARK: copies

    @Test func aPersonalOriginalHasNoRobustLayerAndNoBinding() throws {
        let revealed = try CouponRevealer(keys: Self.ring).reveal(png: Self.original.png)
        #expect(revealed.terms.personal && revealed.binding == nil && !revealed.tampered)
        #expect(RobustMark.detect(revealed.image, key: Self.robustKey) == nil)
    }

    @Test func eachMemberGetsACopyThatSaysWhoseItIs() throws {
        let a = try Self.copy(for: "mbr_a"), b = try Self.copy(for: "mbr_b")
        for (copy, member) in [(a, "mbr_a"), (b, "mbr_b")] {
            let revealed = try CouponRevealer(keys: Self.ring).reveal(png: copy.png)
            #expect(revealed.terms == Self.original.terms)
            #expect(revealed.binding == copy.binding)
            #expect(revealed.binding?.memberId == member)
            #expect(revealed.bindingVerification == .valid)
            #expect(!revealed.tampered)
            // The robust layer names the copy.
            #expect(RobustMark.detect(revealed.image, key: Self.robustKey)?.id == copy.binding.copyId)
        }
        #expect(a.binding.copyId != b.binding.copyId)
        // Invisible: each copy is within 40 dB of the original, and of the other.
        let original = try Self.decode(Self.original.png), pa = try Self.decode(a.png), pb = try Self.decode(b.png)
        #expect(original.psnr(to: pa) > 40 && original.psnr(to: pb) > 40 && pa.psnr(to: pb) > 38)
    }

    @Test func askingAgainMakesTheSameCopy() throws {
        let first = try Self.copy(for: "mbr_a")
        let opened = try CouponPersonaliser.Original(png: Self.original.png, keys: Self.ring)
        let again = try CouponPersonaliser(serverKey: Self.server).copy(
            of: opened, binding: first.binding, robustKey: Self.robustKey)
        #expect(again.binding == first.binding)
        #expect(try Self.decode(again.png).psnr(to: Self.decode(first.png)) > 60)  // only the fragile layer's nonce differs
        // Under another robust key the copy would not match what was recorded.
        #expect(throws: CouponPersonaliser.PersonaliseError.bindingMismatch) {
            try CouponPersonaliser(serverKey: Self.server).copy(of: opened, binding: first.binding, robustKey: RobustKey())
        }
    }

    @Test func withoutTheServerKeyTheBindingIsShownUnverified() throws {
        let copy = try Self.copy(for: "mbr_a")
        var ring = Self.ring
        ring.serverKeys = []
        let revealed = try CouponRevealer(keys: ring).reveal(png: copy.png)
        #expect(revealed.binding?.memberId == "mbr_a" && revealed.bindingVerification == .unknownKey)
    }

    @Test func aBindingForgedOrMovedToAnotherCouponIsRefused() throws {
        let copy = try Self.copy(for: "mbr_a")
        let opened = try CouponPersonaliser.Original(png: Self.original.png, keys: Self.ring)
        // The same member id, signed by a key the server never had, claiming the server's key id:
        // its signature fails.
        var image = try Self.decode(copy.png)
        let forged = try CopyBinding(
            signing: ServerKey(), issuerId: copy.binding.issuerId, serial: copy.binding.serial, memberId: "mbr_thief",
            copyId: copy.binding.copyId, issuedAt: copy.binding.issuedAt, issuerDigest: copy.binding.issuerDigest,
            copyDigest: copy.binding.copyDigest)
        var payload = CopyPayload.encode(sealed: opened.sealed, binding: forged).map { $0 }
        // Rewrite the binding's key id to the server's (same length: "srv_" and 16 hex digits).
        let keyId = Array(Self.server.id.utf8), forgedId = Array(forged.serverKeyId.utf8)
        let at = try #require(payload.firstRange(of: forgedId))
        payload.replaceSubrange(at, with: keyId)
        try Watermark.embed(payload, into: &image, key: WatermarkKey(bytes: Self.watermarkKeyBytes), keyHint: Self.reveal.epoch)
        #expect(throws: CouponFailure.self) { try CouponRevealer(keys: Self.ring).reveal(image: image) }
    }

    /// The fragile layer's key for the reveal key.
    static var watermarkKeyBytes: [UInt8] { reveal.watermarkKey }

    @Test func personalOrdersNeedTheOrderingMembersCopy() throws {
        let terms = Self.original.terms
        func order(boundTo: String?, by member: String) throws(CouponRuleError) {
            try CouponRules.check(
                terms, keyRetired: false, tampered: false, productId: "prod_espresso", currency: Currency("EUR")!,
                issuerId: terms.issuerId, use: .order(at: 1_796_200_000), boundTo: boundTo, orderedBy: member)
        }
        #expect(throws: Never.self) { try order(boundTo: "mbr_a", by: "mbr_a") }
        #expect(throws: CouponRuleError.notYours) { try order(boundTo: "mbr_a", by: "mbr_b") }
        #expect(throws: CouponRuleError.notPersonalised) { try order(boundTo: nil, by: "mbr_a") }
        // The merchant uploads its original, bound to no one.
        #expect(throws: Never.self) {
            try CouponRules.check(
                terms, keyRetired: false, tampered: false, productId: "prod_espresso", currency: Currency("EUR")!,
                issuerId: terms.issuerId, use: .upload)
        }
        // A coupon that is not personal orders as before, with or without a binding.
        var plain = terms
        plain.personal = false
        #expect(throws: Never.self) {
            try CouponRules.check(
                plain, keyRetired: false, tampered: false, productId: "prod_espresso", currency: Currency("EUR")!,
                issuerId: plain.issuerId, use: .order(at: 1_796_200_000))
        }
    }

    /// Two members' copies spliced at nine cuts across and nine down: the fragile layer
    /// reads one of the two bindings or none, and so does the robust layer, never a third
    /// member's (a third copy exists, and its identifier is looked for too).
    @Test func aSpliceOfTwoCopiesNamesOneOfThemOrNoOne() throws {
        let a = try Self.copy(for: "mbr_a"), b = try Self.copy(for: "mbr_b"), c = try Self.copy(for: "mbr_c")
        let left = try Self.decode(a.png), right = try Self.decode(b.png)
        let members = [a.binding.copyId: "mbr_a", b.binding.copyId: "mbr_b", c.binding.copyId: "mbr_c"]
        var fragile: [String: Int] = [:], robust: [String: Int] = [:]
        for across in [true, false] {
            for tenth in 1...9 {
                var spliced = left
                for y in 0..<left.height {
                    for x in 0..<left.width where across ? x * 10 >= left.width * tenth : y * 10 >= left.height * tenth {
                        let at = (y * left.width + x) * 3
                        for k in 0..<3 { spliced.bytes[at + k] = right.bytes[at + k] }
                    }
                }
                let binding = try? CouponRevealer(keys: Self.ring).reveal(image: spliced).binding
                fragile[binding?.memberId ?? "none", default: 0] += 1
                let found = RobustMark.detect(spliced, key: Self.robustKey).map { members[$0.id] ?? "unknown" }
                robust[found ?? "none", default: 0] += 1
            }
        }
        #expect(Set(fragile.keys).isSubset(of: ["mbr_a", "mbr_b", "none"]), "\(fragile)")
        #expect(Set(robust.keys).isSubset(of: ["mbr_a", "mbr_b", "none"]), "\(robust)")
    }
}
