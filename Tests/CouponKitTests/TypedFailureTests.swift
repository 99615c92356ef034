import CouponKit
import CouponMinting
import ImageCore
import PNGCodec
import Testing
import Watermark

/// CouponKit's errors keep the lower layer's typed error and still describe themselves
/// with the text the API and the CLI have always shown.
@Suite struct TypedFailureTests {
    let ring = KeyRing(revealKeys: [RevealKey(epoch: 1)], issuers: [IssuerKey().publicKey])

    @Test func aFileThatIsNotAPNGCarriesThePNGError() {
        #expect(throws: CouponFailure.unreadable(.png(.notPNG))) {
            try CouponRevealer(keys: ring).reveal(png: Array("not a png".utf8))
        }
        let failure = CouponFailure.unreadable(.png(.notPNG))
        #expect(failure.description == "coupon unreadable: not a PNG file (bad signature)")
        #expect(failure.reasonCode == .couponUnreadable)
    }

    @Test func aPlainReasonReadsAsBefore() throws {
        let plain = try PNGEncoder().encode(PixelBuffer(width: 800, height: 400, format: .rgb8, fill: 240))
        #expect(throws: CouponFailure.unreadable("no watermark found")) {
            try CouponRevealer(keys: ring).reveal(png: plain)
        }
        #expect(CouponFailure.unreadable("no watermark found").description == "coupon unreadable: no watermark found")
        let watermark = CouponFailure.Unreadable.watermark(.unsupportedVersion(9))
        #expect(watermark.description == "unsupportedVersion(9)")
    }

    @Test func mintErrorsNameTheStepAndKeepItsError() {
        let encoding = CouponMinter.MintError.encoding(.notPNG)
        #expect(encoding.description == "minting failed: not a PNG file (bad signature)")
        guard case .encoding(let error) = encoding else {
            Issue.record("expected the encoding step")
            return
        }
        #expect(error == .notPNG)
        #expect(CouponMinter.MintError.invalidTerms("bad serial").description == "invalid terms: bad serial")
    }

    @Test func aBrokenCSVKeepsTheParserError() {
        #expect {
            try TermsFile.parse("product_id,title\n\"quoted\"tail,x\n")
        } throws: { error in
            guard let error = error as? TermsFile.FileError else { return false }
            return error.csvError != nil && error.description.hasPrefix("the terms file is not valid CSV: ")
        }
    }
}
