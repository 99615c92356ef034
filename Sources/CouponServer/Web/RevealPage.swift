import CouponArt
import CouponKit
import CouponReader
import CouponStore
import Foundation
import Hummingbird
import ImageCore
import ImageFormats
import PNGCodec

/// `/reveal`: a member uploads any coupon picture and the server reveals it with the
/// member's keys, which never reach the page: an original's fragile layer opens (its
/// terms, its seal and signature checked, edits outlined in red); a copy (JPEG, WebP, a
/// degraded PNG) is named by its robust layer exactly as `POST /v1/coupons/identify` names
/// it (the same keys, the same metering), and the page shows the stored coupon it names.
/// Either way the page shows the revealed picture, drawn as `coupon reveal` draws it.
extension WebTerminal {
    struct RevealPage {
        struct Revealed {
            var title: String
            var discount: String
            var tampered: Bool
            var layerText: String
            /// Nil for a picture over ``maxInlinePixels``.
            var revealedDataURI: String?
            var width: Int
            var height: Int
            var serial: String
            var productId: String
            var productName: String
            var productLink: Bool
            var validity: String
            var uses: String
            var issuerId: String
            var keyRetired: Bool
        }

        struct Refusal {
            var words: String
            var code: String
        }

        var chrome: Chrome
        var result: Revealed?
        var refusal: Refusal?
        var error: String?
    }

    func revealPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = session(context, .member) else { return PageRenderer.redirect(to: "/join?next=/reveal") }
        return page("reveal", RevealPage(chrome: Chrome(shop: false, signedIn: true, csrf: session.csrf)))
    }

    func reveal(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = session(context, .member) else { return PageRenderer.redirect(to: "/join?next=/reveal") }
        let form = try await WebForm.read(request, maxBytes: maxBodyBytes)
        try requireCSRF(form, request, context, .member)
        var data = RevealPage(chrome: Chrome(shop: false, signedIn: true, csrf: session.csrf))
        guard let bytes = form.file("coupon") else {
            data.error = "Choose a coupon picture to reveal."
            return page("reveal", data, status: .unprocessableContent)
        }
        do {
            data.result = try await asCaller(session) { try await revealed(bytes) }
            return page("reveal", data)
        } catch {
            let problem = Problem(error)
            data.refusal = .init(words: problem.detail, code: problem.code.rawValue)
            return page("reveal", data, status: problem.status)
        }
    }

    /// The picture's coupon: its own fragile layer when it has one, else the stored coupon
    /// its robust layer names.
    private func revealed(_ bytes: [UInt8]) async throws -> RevealPage.Revealed {
        let reader = CouponReader(limits: decodeLimits)
        if ImageFormat(sniffing: bytes) == .png {
            let (reading, ring) = try await service.keyRings.read(on: service.verifications) { ring in
                try reader.read(bytes, keys: ring, robustKeys: nil)
            }
            if case .original(let coupon) = reading {
                return try await describe(coupon, layer: .fragile, keyRetired: ring.retiredEpochs.contains(coupon.epoch))
            }
        }
        guard case .copy(let reading) = try await service.read(picture: bytes, robustKeys: {
            try await service.identifyKeys(productId: nil)
        }) else {
            throw CouponFailure.unreadable(CouponReader.noMark)
        }
        guard let stored = try await service.storedCoupon(named: reading) else { throw CatalogError.unknownPicture }
        let (original, ring) = try await service.keyRings.read(on: service.verifications) { ring in
            try reader.read(stored.png, keys: ring, robustKeys: nil)
        }
        guard case .original(let coupon) = original else { throw CatalogError.unknownPicture }
        return try await describe(coupon, layer: .robust, keyRetired: ring.retiredEpochs.contains(coupon.epoch))
    }

    private func describe(_ coupon: RevealedCoupon, layer: CouponLayer, keyRetired: Bool) async throws -> RevealPage.Revealed {
        let terms = coupon.terms
        // The revealed picture goes into the page as a data: URI; a picture larger than any
        // coupon is still revealed, but not sent back inline (its terms are the answer).
        let inline = coupon.image.width * coupon.image.height <= Self.maxInlinePixels
        let png = inline ? try await service.verifications.run { try Self.revealedPNG(coupon) } : []
        let product = try await repository.product(id: terms.productId)
        let validity = "\(WebText.day(Date(timeIntervalSince1970: TimeInterval(terms.validFrom)))) to "
            + WebText.day(Date(timeIntervalSince1970: TimeInterval(terms.validUntil)))
        var uses = terms.maxUsesTotal.map { "\($0) in all" } ?? "no total limit"
        uses += terms.maxUsesPerMember.map { ", \($0) per member" } ?? ", no limit per member"
        return .init(
            title: coupon.tampered ? "Tampered coupon: \(terms.title)" : terms.title, discount: terms.discount.headline,
            tampered: coupon.tampered, layerText: WebText.layer(layer),
            revealedDataURI: inline ? "data:image/png;base64," + Data(png).base64EncodedString() : nil, width: coupon.image.width,
            height: coupon.image.height, serial: terms.serial, productId: terms.productId,
            productName: product?.name ?? terms.productId, productLink: product != nil, validity: validity, uses: uses,
            issuerId: terms.issuerId, keyRetired: keyRetired)
    }

    /// The largest revealed picture sent back inside the page: 2,000,000 pixels (a 2000x1000
    /// coupon; the artwork is 800x400), so that an upload cannot make the page many times
    /// its own size.
    static var maxInlinePixels: Int { 2_000_000 }

    /// The coupon with its discount drawn in and its edits outlined (as `coupon reveal` draws it).
    static func revealedPNG(_ coupon: RevealedCoupon) throws -> [UInt8] {
        let panel = CouponArtwork.discountPanel(width: coupon.image.width, height: coupon.image.height)
        let picture = try CouponArtwork().drawRevealed(
            on: coupon.image, panel: panel, headline: coupon.terms.discount.headline,
            subline: "\(coupon.terms.title) · serial \(coupon.terms.serial)", tamperedBlocks: coupon.tamperedAreas)
        return try PNGEncoder(level: 1).encode(picture)
    }
}
