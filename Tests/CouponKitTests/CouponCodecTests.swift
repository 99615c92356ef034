import CouponArt
import CouponKit
import CouponMinting
import ImageCore
import PNGCodec
import Testing
import Watermark

/// Mint and reveal end to end: the security goals at the coupon level.
@Suite struct CouponCodecTests {
    let issuer = IssuerKey()
    let reveal = RevealKey(epoch: 1)
    var ring: KeyRing { KeyRing(revealKeys: [reveal], issuers: [issuer.publicKey]) }

    func terms(_ discount: Discount, serial: String = "T-0001") -> CouponTerms {
        CouponTerms(
            serial: serial, productId: "prod_espresso", title: "Winter Sale", discount: discount,
            validFrom: 1_796_083_200, validUntil: 1_801_439_999, maxUsesTotal: 10, issuerId: "")
    }

    @Test(arguments: [Discount.rate(basisPoints: 1500), .amount(Money(amount: 500, currency: Currency("EUR")!))])
    func mintedCouponsRevealTheirTerms(_ discount: Discount) throws {
        let minted = try CouponMinter(issuer: issuer, revealKey: reveal).mint(terms(discount), productName: "Espresso")
        #expect(minted.terms.issuerId == issuer.publicKey.id)
        #expect(minted.terms.artworkDigest.count == 32)
        let revealed = try CouponRevealer(keys: ring).reveal(png: minted.png)
        #expect(revealed.terms == minted.terms)
        #expect(revealed.terms.discount == discount)
        #expect(revealed.epoch == 1)
        #expect(!revealed.tampered)
        #expect(revealed.tamperedAreas.isEmpty)
        #expect(revealed.image.width == 800 && revealed.image.height == 400)
    }

    @Test func wrongRevealKeyIsBadSealAndUnknownEpochIsNamed() throws {
        let minted = try CouponMinter(issuer: issuer, revealKey: reveal).mint(terms(.rate(basisPoints: 1000)))
        let otherKeySameEpoch = KeyRing(revealKeys: [RevealKey(epoch: 1)], issuers: [issuer.publicKey])
        #expect(throws: CouponFailure.badSeal) { try CouponRevealer(keys: otherKeySameEpoch).reveal(png: minted.png) }
        let otherEpoch = KeyRing(revealKeys: [RevealKey(epoch: 2)], issuers: [issuer.publicKey])
        #expect(throws: CouponFailure.unknownEpoch(1)) { try CouponRevealer(keys: otherEpoch).reveal(png: minted.png) }
    }

    @Test func rotatedEpochsStillReveal() throws {
        let next = RevealKey(epoch: 2)
        let old = try CouponMinter(issuer: issuer, revealKey: reveal).mint(terms(.rate(basisPoints: 1000)))
        let new = try CouponMinter(issuer: issuer, revealKey: next).mint(terms(.rate(basisPoints: 2000), serial: "T-2"))
        let both = KeyRing(revealKeys: [reveal, next], issuers: [issuer.publicKey])
        #expect(try CouponRevealer(keys: both).reveal(png: old.png).epoch == 1)
        #expect(try CouponRevealer(keys: both).reveal(png: new.png).epoch == 2)
    }

    @Test func memberWithRevealKeyCannotMintAcceptedCoupons() throws {
        let forger = IssuerKey()
        let forged = try CouponMinter(issuer: forger, revealKey: reveal).mint(terms(.rate(basisPoints: 9000)))
        #expect {
            try CouponRevealer(keys: ring).reveal(png: forged.png)
        } throws: { error in
            guard case .badSignature = error as? CouponFailure else { return false }
            return true
        }
    }

    @Test func genuinePayloadOnOtherArtworkIsTampered() throws {
        // A member lifts the sealed payload of a genuine coupon and re-marks it onto artwork of their own.
        let genuine = try CouponMinter(issuer: issuer, revealKey: reveal).mint(terms(.rate(basisPoints: 500)))
        let key = try WatermarkKey(bytes: reveal.watermarkKey)
        let genuineImage = try PNGDecoder().decode(genuine.png, as: .rgb8).image
        let sealed = try Watermark.extract(from: genuineImage, key: key).payload
        var other = try CouponArtwork().render(
            CouponArtSpec(title: "90% OFF EVERYTHING", productName: "Espresso", validFrom: "2026-12-01",
                          validUntil: "2027-01-31", serial: "T-0001")).image
        try Watermark.embed(sealed, into: &other, key: key, keyHint: 1)
        let revealed = try CouponRevealer(keys: ring).reveal(png: try PNGEncoder().encode(other))
        #expect(revealed.tampered, "the signed artwork digest must not match other artwork")
    }

    @Test func paintingOverThePanelIsTamperedAndLocated() throws {
        let minted = try CouponMinter(issuer: issuer, revealKey: reveal).mint(terms(.rate(basisPoints: 1000)))
        var image = try PNGDecoder().decode(minted.png, as: .rgb8).image
        let panel = CouponArtwork.discountPanel(width: image.width, height: image.height)
        // "10%" painted over as "90%": a text-sized patch in the panel, new colour.
        let patch = PixelRect(x: panel.x + 40, y: panel.y + 20, width: 60, height: 40)
        for y in patch.y..<patch.maxY {
            for x in patch.x..<patch.maxX { image[x: x, y: y] = [200, 30, 30] }
        }
        let revealed = try CouponRevealer(keys: ring).reveal(png: try PNGEncoder().encode(image))
        #expect(revealed.tampered)
        #expect(revealed.terms.discount == .rate(basisPoints: 1000), "the signed discount still reads")
        #expect(!revealed.tamperedAreas.isEmpty)
        #expect(revealed.tamperedAreas.allSatisfy { !$0.intersection(patch).isEmpty }, "only blocks touching the edit")
        let covered = revealed.tamperedAreas.reduce(0) { $0 + $1.intersection(patch).area }
        #expect(covered == patch.area, "every edited pixel lies in a reported block")
        #expect(revealed.tamperedFraction > 0 && revealed.tamperedFraction < 0.1)
    }

    @Test func plainPNGsAndNonPNGsAreUnreadable() throws {
        let plain = try PNGEncoder().encode(PixelBuffer(width: 800, height: 400, format: .rgb8, fill: 240))
        #expect {
            try CouponRevealer(keys: ring).reveal(png: plain)
        } throws: { error in
            guard case .unreadable = error as? CouponFailure else { return false }
            return true
        }
        #expect {
            try CouponRevealer(keys: ring).reveal(png: Array("not a png".utf8))
        } throws: { error in
            guard case .unreadable = error as? CouponFailure else { return false }
            return true
        }
    }

    @Test func invalidTermsAreRefusedBeforeMinting() {
        var bad = terms(.rate(basisPoints: 1000))
        bad.serial = "../escape"
        #expect(throws: CouponMinter.MintError.self) { try CouponMinter(issuer: issuer, revealKey: reveal).mint(bad) }
    }
}
