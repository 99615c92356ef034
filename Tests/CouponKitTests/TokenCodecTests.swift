import CouponKit
import Testing

@Suite struct TokenCodecTests {
    let terms = CouponTerms(
        serial: "S-1", productId: "p", title: "Café € deal", discount: .rate(basisPoints: 10_000), validFrom: 0,
        validUntil: 4_102_444_800, maxUsesTotal: nil, maxUsesPerMember: nil, issuerId: "iss_x",
        artworkDigest: [1, 2, 3])

    @Test func roundTripWithOptionalFieldsAbsent() throws {
        #expect(try TokenCodec.decode(TokenCodec.encode(terms)) == terms)
    }

    /// `fragile_only` is optional tag 64, written only when set: terms without it keep
    /// their exact bytes (every coupon minted before it), and a value other than 1 is refused.
    @Test func fragileOnlyIsAnOptionalTagWrittenOnlyWhenSet() throws {
        var strict = terms
        strict.fragileOnly = true
        let bytes = TokenCodec.encode(strict)
        #expect(bytes == TokenCodec.encode(terms) + [64, 1, 1])
        #expect(try TokenCodec.decode(bytes) == strict)
        #expect(throws: TokenCodec.DecodeError.invalidField("fragile_only")) {
            try TokenCodec.decode(TokenCodec.encode(terms) + [64, 1, 2])
        }
    }

    @Test func unknownOptionalFieldsAreSkipped() throws {
        let extended = TokenCodec.encode(terms) + [200, 3, 9, 9, 9]
        #expect(try TokenCodec.decode(extended) == terms)
    }

    @Test func unknownCriticalFieldsAreRefused() {
        let extended = TokenCodec.encode(terms) + [40, 1, 0]
        #expect(throws: TokenCodec.DecodeError.unknownCriticalField(40)) { try TokenCodec.decode(extended) }
    }

    @Test func otherVersionsAndTruncationAreRefused() {
        var bytes = TokenCodec.encode(terms)
        bytes[0] = 2
        #expect(throws: TokenCodec.DecodeError.unsupportedVersion(2)) { try TokenCodec.decode(bytes) }
        let good = TokenCodec.encode(terms)
        for length in 0..<good.count {
            #expect(throws: TokenCodec.DecodeError.self) { try TokenCodec.decode(Array(good.prefix(length))) }
        }
    }

    @Test func serialRules() {
        #expect(CouponTerms.isValidSerial("SPRING-2027_01.a"))
        #expect(!CouponTerms.isValidSerial(""))
        #expect(!CouponTerms.isValidSerial("../etc/passwd"))
        #expect(!CouponTerms.isValidSerial(".hidden"))
        #expect(!CouponTerms.isValidSerial(String(repeating: "a", count: 65)))
    }
}
