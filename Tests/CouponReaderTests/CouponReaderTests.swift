import CouponKit
import CouponMinting
import CouponReader
import Crypto
import Foundation
import ImageCore
import ImageFormats
import PNGCodec
import RobustMark
import TestSupport
import Testing

/// The one reader's policy on every kind of picture: the fragile layer first, the robust
/// layer only when it is gone (and only under the keys given), JPEG and WebP straight to
/// the robust layer, shapes no coupon has refused from the header, and the reasons each
/// failure gives.
@Suite struct CouponReaderTests {
    /// Fixed keys: every run mints the same coupon.
    static let reveal = RevealKey(epoch: 1, rawBytes: Array(repeating: 7, count: 32))!
    static let issuer = IssuerKey(try! Curve25519.Signing.PrivateKey(rawRepresentation: Array(repeating: 9, count: 32)))
    static let robustKey = RobustKey(bytes: Array(repeating: 5, count: 32))!
    static let otherRobustKey = RobustKey(bytes: Array(repeating: 6, count: 32))!
    static let ring = KeyRing(revealKeys: [reveal], issuers: [issuer.publicKey])

    static let minted: CouponMinter.Minted = {
        var minter = CouponMinter(issuer: issuer, revealKey: reveal)
        minter.robustKey = robustKey
        let terms = CouponTerms(
            serial: "READER-1", productId: "prd_reader", title: "Reader test", discount: .rate(basisPoints: 1500),
            validFrom: 1_700_000_000, validUntil: 1_900_000_000, issuerId: issuer.publicKey.id)
        return try! minter.mint(terms)
    }()

    static var robustId: UInt64 {
        CouponRobustIdentity.identifier(issuerId: issuer.publicKey.id, serial: "READER-1", key: robustKey)
    }

    let reader = CouponReader()

    @Test func anOriginalIsReadByItsFragileLayerWithoutAnyRobustKey() throws {
        guard case .original(let coupon) = try reader.read(Self.minted.png, keys: Self.ring, robustKeys: nil) else {
            Issue.record("not read as the original")
            return
        }
        #expect(coupon.terms == Self.minted.terms)
        #expect(!coupon.tampered)
        #expect(coupon.epoch == 1)
    }

    @Test(arguments: [PictureCopy.jpeg(quality: 75), .webp(quality: 80), .screenshot(scale: 2, quality: 80)])
    func aLossyCopyGoesStraightToTheRobustLayer(_ copy: PictureCopy) throws {
        let bytes = try copy.apply(to: Self.minted.png)
        let match = try #require(
            try reader.read(bytes, keys: KeyRing(), robustKeys: [Self.otherRobustKey, Self.robustKey]).copyMatch)
        #expect(match.id == Self.robustId)
        #expect(match.keyIndex == 1, "the first key that finds the mark")
        #expect(match.format == ImageFormat(sniffing: bytes))
        // Without keys the pixels come back for a later search, which finds the same.
        guard case .unmarked(let unmarked) = try reader.read(bytes, keys: Self.ring, robustKeys: nil) else {
            Issue.record("\(copy) not left unmarked without keys")
            return
        }
        #expect(try reader.robust(unmarked, keys: [Self.robustKey]).id == Self.robustId)
    }

    @Test func aDegradedPNGIsSearchedOnTheSamePixels() throws {
        let resized = try PictureCopy.resized(0.75).apply(to: Self.minted.png)
        guard case .unmarked(let unmarked) = try reader.read(resized, keys: Self.ring, robustKeys: nil) else {
            Issue.record("a resized PNG still opened as an original")
            return
        }
        #expect(unmarked.format == .png)
        #expect(unmarked.fragileFailure.reasonCode == .couponUnreadable)
        #expect(try reader.robust(unmarked, keys: [Self.robustKey]).id == Self.robustId)
        // Under a key that did not mark it: the fragile layer's own reason, as PNGs always got.
        #expect(throws: unmarked.fragileFailure) { try reader.robust(unmarked, keys: [Self.otherRobustKey]) }
    }

    @Test func aCopyUnderNoGivenKeyIsNoCoupon() throws {
        let jpeg = try PictureCopy.jpeg(quality: 90).apply(to: Self.minted.png)
        #expect(throws: CouponFailure.unreadable(CouponReader.noMark)) {
            try reader.read(jpeg, keys: Self.ring, robustKeys: [Self.otherRobustKey])
        }
    }

    @Test func aFragileLayerThatRefusesIsTheAnswer() throws {
        let otherEpoch = KeyRing(revealKeys: [RevealKey(epoch: 2)], issuers: [Self.issuer.publicKey])
        #expect(throws: CouponFailure.unknownEpoch(1)) {
            try reader.read(Self.minted.png, keys: otherEpoch, robustKeys: [Self.robustKey])
        }
    }

    @Test func bytesOfNoPictureGetThePNGDecodersReason() throws {
        do {
            _ = try reader.read(Array("not a picture".utf8), keys: Self.ring, robustKeys: [Self.robustKey])
            Issue.record("read")
        } catch {
            #expect(error.reasonCode == .couponUnreadable)
            guard case .unreadable(.png) = error else { Issue.record("not the PNG decoder's reason: \(error)"); return }
        }
    }

    /// A 16x4000 strip: narrower than any original and out of the robust layer's range,
    /// refused from its header whatever its format.
    @Test(arguments: [ImageFormat.png, .jpeg, .webp]) func impossibleShapesAreRefusedFromTheHeader(_ format: ImageFormat) throws {
        var rng = SplitMix64(seed: 16)
        let strip = TestImages.noise(width: 16, height: 4000, format: .rgb8, using: &rng)
        let bytes: [UInt8] =
            switch format {
            case .png: try PNGEncoder().encode(strip)
            case .jpeg: try JPEGEncoder(quality: 90).encode(strip)
            case .webp: try WebPEncoder().encode(strip)
            }
        do {
            _ = try reader.read(bytes, keys: Self.ring, robustKeys: [Self.robustKey])
            Issue.record("read")
        } catch {
            #expect(error.reasonCode == .couponUnreadable)
            #expect(error.description.contains("16x4000"), "\(error)")
        }
    }

    @Test func aPictureOverThePixelLimitIsTooLargeInEveryFormat() throws {
        let small = CouponReader(limits: DecodeLimits(maxPixels: 100_000))
        for bytes in [Self.minted.png, try PictureCopy.jpeg(quality: 80).apply(to: Self.minted.png)] {
            do {
                _ = try small.read(bytes, keys: Self.ring, robustKeys: [Self.robustKey])
                Issue.record("read")
            } catch {
                #expect(error.reasonCode == .couponTooLarge, "\(error)")
            }
        }
    }

    @Test func anUploadReadsBothLayersFromOneDecode() throws {
        let (coupon, match) = try reader.readOriginal(Self.minted.png, keys: Self.ring, robustKeys: [Self.robustKey])
        #expect(coupon.terms == Self.minted.terms)
        #expect(match?.id == Self.robustId)
        #expect(try reader.readOriginal(Self.minted.png, keys: Self.ring, robustKeys: [Self.otherRobustKey]).robust == nil)
        let jpeg = try PictureCopy.jpeg(quality: 90).apply(to: Self.minted.png)
        #expect(throws: CouponFailure.self) { try reader.readOriginal(jpeg, keys: Self.ring, robustKeys: [Self.robustKey]) }
    }
}

extension CouponReading {
    var copyMatch: RobustMatch? {
        if case .copy(let match) = self { match } else { nil }
    }
}
