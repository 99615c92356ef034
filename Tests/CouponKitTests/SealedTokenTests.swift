import CouponKit
import Crypto
import Testing

/// Security goals 1, 2 and 3 at the token level: confidentiality, authenticity, integrity.
@Suite struct SealedTokenTests {
    let issuer = IssuerKey()
    let revealKey = RevealKey(epoch: 3)

    func terms(_ discount: Discount = .rate(basisPoints: 1500)) -> CouponTerms {
        CouponTerms(
            serial: "SPRING-0001", productId: "prod_42", title: "Spring sale", discount: discount,
            validFrom: 1_767_225_600, validUntil: 1_769_817_600, maxUsesTotal: 100, maxUsesPerMember: 1,
            issuerId: issuer.publicKey.id, artworkDigest: Array(repeating: 0xAB, count: 32))
    }

    var ring: KeyRing { KeyRing(revealKeys: [revealKey], issuers: [issuer.publicKey]) }

    @Test func rateAndAmountRoundTrip() throws {
        for discount in [Discount.rate(basisPoints: 1500), .amount(Money(amount: 500, currency: Currency("EUR")!))] {
            let sealed = try SealedToken.seal(terms(discount), issuer: issuer, revealKey: revealKey)
            #expect(try SealedToken.epoch(of: sealed) == 3)
            #expect(try SealedToken.open(sealed, keys: ring) == terms(discount))
        }
    }

    @Test func compactEnoughForTheWatermark() throws {
        let sealed = try SealedToken.seal(terms(), issuer: issuer, revealKey: revealKey)
        #expect(sealed.count < 256, "sealed token is \(sealed.count) bytes")
    }

    @Test func discountIsNotReadableWithoutTheKey() throws {
        let sealed = try SealedToken.seal(terms(), issuer: issuer, revealKey: revealKey)
        let plain = TokenCodec.encode(terms())
        // No 8-byte window of the plaintext token appears in the sealed bytes.
        let windows = Set((0..<(plain.count - 8)).map { Array(plain[$0..<($0 + 8)]) })
        let sealedWindows = Set((0..<(sealed.count - 8)).map { Array(sealed[$0..<($0 + 8)]) })
        #expect(windows.isDisjoint(with: sealedWindows))
    }

    @Test func wrongKeyOrUnknownEpoch() throws {
        let sealed = try SealedToken.seal(terms(), issuer: issuer, revealKey: revealKey)
        let otherKeySameEpoch = KeyRing(revealKeys: [RevealKey(epoch: 3)], issuers: [issuer.publicKey])
        #expect(throws: SealedToken.OpenError.badSeal) { try SealedToken.open(sealed, keys: otherKeySameEpoch) }
        let otherEpoch = KeyRing(revealKeys: [RevealKey(epoch: 4)], issuers: [issuer.publicKey])
        #expect(throws: SealedToken.OpenError.unknownEpoch(3)) { try SealedToken.open(sealed, keys: otherEpoch) }
    }

    @Test func memberWithRevealKeyCannotForge() throws {
        // The member holds the reveal key but signs with a key of their own, claiming the real issuer's id.
        let forger = IssuerKey()
        let forged = try SealedToken.seal(terms(.rate(basisPoints: 9000)), issuer: forger, revealKey: revealKey)
        #expect(throws: SealedToken.OpenError.badSignature) { try SealedToken.open(forged, keys: ring) }
        // ... or under their own id, which no one registered.
        var own = terms()
        own.issuerId = forger.publicKey.id
        let unregistered = try SealedToken.seal(own, issuer: forger, revealKey: revealKey)
        #expect(throws: SealedToken.OpenError.unknownIssuer(forger.publicKey.id)) {
            try SealedToken.open(unregistered, keys: ring)
        }
    }

    @Test func everyByteIsProtected() throws {
        let sealed = try SealedToken.seal(terms(), issuer: issuer, revealKey: revealKey)
        for index in sealed.indices {
            var damaged = sealed
            damaged[index] ^= 0x01
            #expect(throws: SealedToken.OpenError.self) { try SealedToken.open(damaged, keys: ring) }
        }
    }
}

/// The bound a verifier uses to refuse a crafted watermark before decoding its payload.
@Suite struct SealedTokenLengthTests {
    let issuer = IssuerKey()
    let revealKey = RevealKey(epoch: 1)

    func terms(title: String) -> CouponTerms {
        CouponTerms(
            serial: String(repeating: "S", count: 64), productId: String(repeating: "p", count: 64), title: title,
            discount: .amount(Money(amount: .max, currency: Currency("EUR")!)), validFrom: .max, validUntil: .max,
            maxUsesTotal: Int(Int32.max), maxUsesPerMember: Int(Int32.max), issuerId: issuer.publicKey.id,
            artworkDigest: Array(repeating: 0xFF, count: 32))
    }

    @Test func theLongestRealTermsFitAndLongerOnesAreRefused() throws {
        // Every field at its largest (a title of 80 bytes, as terms files allow).
        let longest = try SealedToken.seal(terms(title: String(repeating: "é", count: 40)), issuer: issuer, revealKey: revealKey)
        #expect(longest.count <= SealedToken.maxLength)
        #expect(throws: SealedToken.SealError.self) {
            try SealedToken.seal(terms(title: String(repeating: "x", count: 2000)), issuer: issuer, revealKey: revealKey)
        }
    }

    @Test func openRefusesAnythingLongerThanASealCanBe() throws {
        let ring = KeyRing(revealKeys: [revealKey], issuers: [issuer.publicKey])
        var sealed = try SealedToken.seal(terms(title: "T"), issuer: issuer, revealKey: revealKey)
        sealed += [UInt8](repeating: 0, count: SealedToken.maxLength + 1 - sealed.count)
        #expect(throws: SealedToken.OpenError.notASeal) { try SealedToken.open(sealed, keys: ring) }
    }
}
