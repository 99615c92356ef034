public import ImageCore
import Foundation

/// What to draw on a coupon: plain display strings, no coupon domain types.
public struct CouponArtSpec: Sendable, Equatable {
    /// The big headline, e.g. "Winter Sale".
    public var title: String
    /// The product the coupon applies to.
    public var productName: String
    /// First valid day as it should be shown, e.g. "2026-12-01" (may be empty).
    public var validFrom: String
    /// Last valid day as it should be shown, e.g. "2027-01-31" (may be empty).
    public var validUntil: String
    /// The serial, printed in monospace and carried by the QR code.
    public var serial: String
    /// Image size; the layout is designed at 800x400 and scales.
    public var width: Int
    public var height: Int
    /// A merchant background (`--art`), scaled to cover the whole image; nil for the
    /// theme's flat ticket.
    public var background: PixelBuffer?
    public var theme: CouponTheme
    /// Small print along the bottom of the ticket.
    public var finePrint: String
    /// What the QR code carries; nil means the serial.
    public var qrText: String?

    public init(
        title: String, productName: String, validFrom: String, validUntil: String, serial: String,
        width: Int = 800, height: Int = 400, background: PixelBuffer? = nil, theme: CouponTheme = .classic,
        finePrint: String = "Present at checkout · One coupon per order · No cash value",
        qrText: String? = nil
    ) {
        self.title = title
        self.productName = productName
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.serial = serial
        self.width = width
        self.height = height
        self.background = background
        self.theme = theme
        self.finePrint = finePrint
        self.qrText = qrText
    }

    /// "Valid 2026-12-01 – 2027-01-31" (or "Valid from …" / "Valid until …").
    public var validityLine: String {
        switch (validFrom.isEmpty, validUntil.isEmpty) {
        case (false, false): "Valid \(validFrom) – \(validUntil)"
        case (false, true): "Valid from \(validFrom)"
        case (true, false): "Valid until \(validUntil)"
        case (true, true): ""
        }
    }
}

/// A rendered coupon and where its parts are.
public struct RenderedCoupon: Sendable, Equatable {
    /// RGB, `spec.width` x `spec.height`.
    public var image: PixelBuffer
    /// The "member discount inside" panel: reveal draws the discount here.
    public var discountPanel: Rect
    /// The QR code including its quiet zone.
    public var qrRect: Rect
    /// The box of the printed serial.
    public var serialRect: Rect
}

/// Draws coupon artwork: a ticket with a perforated stub, title, product, validity,
/// a framed discount panel, the serial in monospace and a QR code of the serial.
///
/// An instance is the caller's rendering session: it holds a `TextRenderer` (FreeType) and
/// a cache of the serial-independent layer, so a batch of coupons that differ only in
/// serial costs one image copy plus the QR code and serial each. Not thread-safe: the
/// caller owns **one instance per task** (`coupon mint` makes one per worker, inside its
/// minting session) and drops it when the batch is done; nothing is cached behind its back.
///
/// ```swift
/// let artwork = try CouponArtwork()
/// let coupon = try artwork.render(CouponArtSpec(
///     title: "Winter Sale", productName: "Espresso Machine", validFrom: "2026-12-01",
///     validUntil: "2027-01-31", serial: "CPN-2026-000123"))
/// let revealed = try artwork.drawRevealed(on: coupon.image, panel: coupon.discountPanel,
///     headline: "15% OFF", subline: "Member price on Espresso Machine", tamperedBlocks: [])
/// ```
public final class CouponArtwork {
    /// The text renderer this instance draws with.
    public let text: TextRenderer

    private struct BaseKey: Equatable {
        var title, productName, validity, finePrint: String
        var width, height: Int
        var theme: CouponTheme
        var background: PixelBuffer?
    }

    private struct Base {
        var key: BaseKey
        var image: PixelBuffer
        var layout: Layout
    }

    private var cachedBase: Base?

    /// Smallest supported size; the layout needs room for the QR code and the text.
    public static let minimumWidth = 400
    public static let minimumHeight = 200
    /// Largest supported side.
    public static let maximumSide = 8192

    /// Loads fonts from `fontDirectory` (nil: `$COUPONMARK_FONT_DIR`, else DejaVu's Debian path).
    public init(fontDirectory: String? = nil) throws(ArtError) {
        text = try TextRenderer(fontDirectory: fontDirectory)
    }

    // MARK: Layout

    /// Positions in pixels for one size, from a design at 800x400.
    struct Layout {
        let sy: Double, s: Double
        let ticket: Rect
        let perforationX: Int
        let content: Rect  // left part, where text goes
        let stub: Rect  // right part
        let panel: Rect

        init(width: Int, height: Int) {
            sy = Double(height) / 400
            s = min(Double(width) / 800, sy)
            func X(_ u: Double) -> Int { Int((u * Double(width) / 800).rounded()) }
            func Y(_ u: Double) -> Int { Int((u * Double(height) / 400).rounded()) }
            let border = max(6, Int((14 * s).rounded()))
            ticket = Rect(x: border, y: border, width: width - 2 * border, height: height - 2 * border)
            perforationX = X(572)
            content = Rect(x: X(46), y: ticket.y, width: perforationX - X(46) - X(26), height: ticket.height)
            stub = Rect(x: perforationX, y: ticket.y, width: ticket.maxX - perforationX, height: ticket.height)
            panel = Rect(x: content.x, y: Y(206), width: content.width, height: Y(328) - Y(206))
        }

        func size(_ u: Double) -> Int { max(1, Int((u * s).rounded())) }
        func Y(_ u: Double) -> Int { Int((u * sy).rounded()) }
    }

    // MARK: Rendering

    /// Draws the coupon described by `spec`.
    public func render(_ spec: CouponArtSpec) throws(ArtError) -> RenderedCoupon {
        guard spec.width >= Self.minimumWidth, spec.height >= Self.minimumHeight,
            spec.width <= Self.maximumSide, spec.height <= Self.maximumSide
        else { throw .invalidSize(width: spec.width, height: spec.height) }
        let key = BaseKey(
            title: spec.title, productName: spec.productName, validity: spec.validityLine, finePrint: spec.finePrint,
            width: spec.width, height: spec.height, theme: spec.theme, background: spec.background)
        let base: Base
        if let cached = cachedBase, cached.key == key {
            base = cached
        } else {
            base = try drawBase(spec, key: key)
            cachedBase = base
        }
        var image = base.image
        let (qrRect, serialRect) = try drawStub(on: &image, spec: spec, layout: base.layout)
        return RenderedCoupon(image: image, discountPanel: base.layout.panel, qrRect: qrRect, serialRect: serialRect)
    }

    private func drawBase(_ spec: CouponArtSpec, key: BaseKey) throws(ArtError) -> Base {
        let theme = spec.theme
        let L = Layout(width: spec.width, height: spec.height)
        var image: PixelBuffer
        let notchRadius = 18 * L.s
        let perforation = theme.paper.mixed(with: theme.muted, amount: 110)

        if let art = spec.background {
            image = art.scaledToFill(width: spec.width, height: spec.height, matte: theme.paper)
            // Paper cards over the art: translucent behind the text, solid behind the QR code.
            let gutter = L.size(8)
            let card = Rect(x: L.ticket.x + gutter, y: L.ticket.y + gutter,
                            width: L.perforationX - L.ticket.x - 2 * gutter, height: L.ticket.height - 2 * gutter)
            image.fillRoundedRect(card, radius: L.size(14), with: theme.paper, alpha: 228)
            let stubCard = Rect(x: L.perforationX + gutter, y: card.y, width: L.ticket.maxX - L.perforationX - 2 * gutter,
                                height: card.height)
            image.fillRoundedRect(stubCard, radius: L.size(14), with: theme.paper)
            image.fillRect(verticalDashesAt: L.perforationX - 1, from: card.y, to: card.maxY, width: 2,
                           color: theme.paper, dash: L.size(8), gap: L.size(6))
        } else {
            image = PixelBuffer(width: spec.width, height: spec.height, format: .rgb8)
            image.fill(Rect(x: 0, y: 0, width: spec.width, height: spec.height), with: theme.backdrop)
            let radius = L.size(16)
            let stubTint = theme.paper.mixed(with: theme.backdrop, amount: 14)
            image.fillRoundedRect(L.ticket, radius: radius, with: stubTint)
            image.fillRoundedRect(Rect(x: L.ticket.x, y: L.ticket.y, width: L.perforationX - L.ticket.x + radius,
                                       height: L.ticket.height), radius: radius, with: theme.paper)
            image.fill(Rect(x: L.perforationX, y: L.ticket.y, width: radius, height: L.ticket.height), with: stubTint)
            // Thin inner rule around the main part, in a pale frame colour.
            let inset = L.size(7)
            image.strokeDashed(
                Rect(x: L.ticket.x + inset, y: L.ticket.y + inset, width: L.perforationX - L.ticket.x - 2 * inset,
                     height: L.ticket.height - 2 * inset),
                with: theme.paper.mixed(with: theme.backdrop, amount: 60), lineWidth: 1, dash: 3, gap: 3)
            // Perforation: notches top and bottom, dashes between.
            image.fillCircle(centerX: Double(L.perforationX), centerY: Double(L.ticket.y), radius: notchRadius,
                             with: theme.backdrop)
            image.fillCircle(centerX: Double(L.perforationX), centerY: Double(L.ticket.maxY), radius: notchRadius,
                             with: theme.backdrop)
            let dashTop = L.ticket.y + Int(notchRadius) + L.size(8)
            image.fillRect(verticalDashesAt: L.perforationX - 1, from: dashTop,
                           to: L.ticket.maxY - Int(notchRadius) - L.size(8), width: 2, color: perforation,
                           dash: L.size(8), gap: L.size(6))
        }
        // Scissors on the perforation.
        let scissorsSize = L.size(22)
        try text.draw("✂", on: &image, x: L.perforationX, baseline: L.ticket.y + Int(notchRadius) + L.size(30),
                      style: .regular, pixelSize: scissorsSize,
                      color: spec.background == nil ? theme.muted : theme.ink, alignment: .center)

        // Tag pill.
        let tagSize = L.size(13)
        let tagText = "COUPON"
        let tagWidth = try text.measure(tagText, style: .bold, pixelSize: tagSize).width + L.size(24)
        let tag = Rect(x: L.content.x, y: L.Y(40), width: tagWidth, height: L.size(24))
        image.fillRoundedRect(tag, radius: tag.height / 2, with: theme.accent)
        try text.draw(tagText, on: &image, x: tag.midX, baseline: tag.y + (tag.height + tagSize * 7 / 10) / 2,
                      style: .bold, pixelSize: tagSize, color: theme.onAccent, alignment: .center)

        // Title, product, validity.
        let titleSize = try text.fittingSize(spec.title, style: .bold, width: L.content.width, minSize: L.size(20),
                                             maxSize: L.size(48))
        let title = try fitted(spec.title, style: .bold, pixelSize: titleSize, width: L.content.width)
        try text.draw(title, on: &image, x: L.content.x - L.size(2), baseline: L.Y(112), style: .bold,
                      pixelSize: titleSize, color: theme.title)
        let productSize = try text.fittingSize(spec.productName, style: .bold, width: L.content.width,
                                               minSize: L.size(14), maxSize: L.size(24))
        let product = try fitted(spec.productName, style: .bold, pixelSize: productSize, width: L.content.width)
        try text.draw(product, on: &image, x: L.content.x, baseline: L.Y(150), style: .bold, pixelSize: productSize,
                      color: theme.ink)
        let validity = try fitted(spec.validityLine, style: .regular, pixelSize: L.size(16), width: L.content.width)
        try text.draw(validity, on: &image, x: L.content.x, baseline: L.Y(180), style: .regular,
                      pixelSize: L.size(16), color: theme.muted)

        // The discount panel.
        let panel = L.panel
        image.fillRoundedRect(panel, radius: L.size(10), with: theme.accent)
        let border = L.size(4)
        image.fillRoundedRect(panel.insetBy(dx: border, dy: border), radius: max(0, L.size(10) - border),
                              with: theme.panelFill)
        image.strokeDashed(panel.insetBy(dx: L.size(9), dy: L.size(9)), with: theme.accent.mixed(with: theme.panelFill,
                           amount: 120), lineWidth: 1, dash: L.size(6), gap: L.size(4))
        let labelSize = try text.fittingSize("MEMBER DISCOUNT INSIDE", style: .bold, width: panel.width - L.size(40),
                                             minSize: 8, maxSize: L.size(26))
        try text.draw("MEMBER DISCOUNT INSIDE", on: &image, x: panel.midX, baseline: panel.y + panel.height / 2 +
                      L.size(2), style: .bold, pixelSize: labelSize, color: theme.accent, alignment: .center)
        try text.draw("★  Reveal it with your member key  ★", on: &image, x: panel.midX,
                      baseline: panel.y + panel.height / 2 + L.size(30), style: .regular, pixelSize: L.size(15),
                      color: theme.muted, alignment: .center)

        // Fine print.
        let fine = try fitted(spec.finePrint, style: .regular, pixelSize: L.size(12), width: L.content.width)
        try text.draw(fine, on: &image, x: L.content.x, baseline: L.Y(356), style: .regular, pixelSize: L.size(12),
                      color: theme.muted)

        // Stub label.
        try text.draw("SCAN AT CHECKOUT", on: &image, x: L.stub.midX, baseline: L.Y(78), style: .bold,
                      pixelSize: L.size(13), color: theme.muted, alignment: .center)
        return Base(key: key, image: image, layout: L)
    }

    /// QR code and serial: the per-coupon part.
    private func drawStub(on image: inout PixelBuffer, spec: CouponArtSpec, layout L: Layout) throws(ArtError)
        -> (qr: Rect, serial: Rect)
    {
        let theme = spec.theme
        let qr = try QRCode(encoding: spec.qrText ?? spec.serial)
        let available = min(L.stub.width - L.size(36), L.Y(268) - L.Y(92))
        let quiet = 2
        let moduleSize = max(1, available / (qr.size + 2 * quiet))
        let side = qr.pixelSide(moduleSize: moduleSize, quietZone: quiet)
        let qrTop = L.Y(92) + (L.Y(268) - L.Y(92) - side) / 2
        let qrRect = qr.draw(on: &image, x: L.stub.midX - side / 2, y: qrTop, moduleSize: moduleSize,
                             quietZone: quiet, dark: theme.ink, light: .white)
        try text.draw("SERIAL NO.", on: &image, x: L.stub.midX, baseline: L.Y(300), style: .bold,
                      pixelSize: L.size(11), color: theme.muted, alignment: .center)
        let width = L.stub.width - L.size(28)
        let serialSize = try text.fittingSize(spec.serial, style: .monoBold, width: width, minSize: 7,
                                              maxSize: L.size(16))
        let serial = try fitted(spec.serial, style: .monoBold, pixelSize: serialSize, width: width)
        let serialRect = try text.draw(serial, on: &image, x: L.stub.midX, baseline: L.Y(324), style: .monoBold,
                                       pixelSize: serialSize, color: theme.ink, alignment: .center)
        return (qrRect, serialRect)
    }

    /// `string`, cut with an ellipsis if it is wider than `width`.
    private func fitted(_ string: String, style: FontStyle, pixelSize: Int, width: Int) throws(ArtError) -> String {
        if try text.measure(string, style: style, pixelSize: pixelSize).width <= width { return string }
        var scalars = Array(string.unicodeScalars)
        while !scalars.isEmpty {
            scalars.removeLast()
            var candidate = String.UnicodeScalarView()
            candidate.append(contentsOf: scalars)
            let s = String(candidate).trimmingCharacters(in: .whitespaces) + "…"
            if try text.measure(s, style: style, pixelSize: pixelSize).width <= width { return s }
        }
        return "…"
    }
}
