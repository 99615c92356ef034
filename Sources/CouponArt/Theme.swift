/// The flat colours of a coupon. Flat fills keep the artwork small as a PNG.
public struct CouponTheme: Sendable, Hashable {
    /// Around the ticket (the frame and the perforation notches).
    public var backdrop: RGBColor
    /// The ticket itself.
    public var paper: RGBColor
    /// Main text.
    public var ink: RGBColor
    /// Secondary text and the perforation.
    public var muted: RGBColor
    /// Title colour.
    public var title: RGBColor
    /// The discount panel's border, tag and label.
    public var accent: RGBColor
    /// The discount panel's fill before reveal.
    public var panelFill: RGBColor
    /// The discount panel's fill after reveal.
    public var highlight: RGBColor
    /// Text drawn on `accent`.
    public var onAccent: RGBColor

    public init(
        backdrop: RGBColor, paper: RGBColor, ink: RGBColor, muted: RGBColor, title: RGBColor, accent: RGBColor,
        panelFill: RGBColor, highlight: RGBColor, onAccent: RGBColor
    ) {
        self.backdrop = backdrop
        self.paper = paper
        self.ink = ink
        self.muted = muted
        self.title = title
        self.accent = accent
        self.panelFill = panelFill
        self.highlight = highlight
        self.onAccent = onAccent
    }

    /// Teal frame, cream paper, orange accents.
    public static let classic = CouponTheme(
        backdrop: RGBColor(hex: 0x0E5E6F), paper: RGBColor(hex: 0xFFF8EC), ink: RGBColor(hex: 0x1F2933),
        muted: RGBColor(hex: 0x5F6B73), title: RGBColor(hex: 0x0E5E6F), accent: RGBColor(hex: 0xD9591B),
        panelFill: RGBColor(hex: 0xFCE6D4), highlight: RGBColor(hex: 0xFFD23F), onAccent: .white)

    /// Deep raspberry frame, pink-white paper.
    public static let berry = CouponTheme(
        backdrop: RGBColor(hex: 0x8E1B4F), paper: RGBColor(hex: 0xFFF5F8), ink: RGBColor(hex: 0x2A1A22),
        muted: RGBColor(hex: 0x6E5A64), title: RGBColor(hex: 0x8E1B4F), accent: RGBColor(hex: 0x3B7A57),
        panelFill: RGBColor(hex: 0xE3F1E8), highlight: RGBColor(hex: 0xFFE066), onAccent: .white)

    /// Forest green frame, warm paper, gold accents.
    public static let forest = CouponTheme(
        backdrop: RGBColor(hex: 0x22543D), paper: RGBColor(hex: 0xFBFAF3), ink: RGBColor(hex: 0x1C2B22),
        muted: RGBColor(hex: 0x5B6B60), title: RGBColor(hex: 0x22543D), accent: RGBColor(hex: 0xB7791F),
        panelFill: RGBColor(hex: 0xF7EBD3), highlight: RGBColor(hex: 0xFFD23F), onAccent: .white)

    /// Navy frame, white paper, coral accents.
    public static let midnight = CouponTheme(
        backdrop: RGBColor(hex: 0x1B2A4A), paper: RGBColor(hex: 0xFFFFFF), ink: RGBColor(hex: 0x15203A),
        muted: RGBColor(hex: 0x5A6478), title: RGBColor(hex: 0x1B2A4A), accent: RGBColor(hex: 0xE4572E),
        panelFill: RGBColor(hex: 0xFDE8E1), highlight: RGBColor(hex: 0xFFD23F), onAccent: .white)

    /// The built-in themes by name, for a `--theme` option.
    public static let named: [String: CouponTheme] = [
        "classic": .classic, "berry": .berry, "forest": .forest, "midnight": .midnight,
    ]
}
