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

    /// A theme in the built-in themes' pattern, from hex colours: the title in the frame's
    /// colour, white text on the accent, and the gold highlight unless another is given.
    init(
        frame: UInt32, paper: UInt32, ink: UInt32, muted: UInt32, accent: UInt32, panelFill: UInt32,
        highlight: UInt32 = 0xFFD23F
    ) {
        self.init(
            backdrop: RGBColor(hex: frame), paper: RGBColor(hex: paper), ink: RGBColor(hex: ink),
            muted: RGBColor(hex: muted), title: RGBColor(hex: frame), accent: RGBColor(hex: accent),
            panelFill: RGBColor(hex: panelFill), highlight: RGBColor(hex: highlight), onAccent: .white)
    }

    /// Teal frame, cream paper, orange accents.
    public static let classic = CouponTheme(
        frame: 0x0E5E6F, paper: 0xFFF8EC, ink: 0x1F2933, muted: 0x5F6B73, accent: 0xD9591B, panelFill: 0xFCE6D4)

    /// Deep raspberry frame, pink-white paper, green accents, a paler highlight.
    public static let berry = CouponTheme(
        frame: 0x8E1B4F, paper: 0xFFF5F8, ink: 0x2A1A22, muted: 0x6E5A64, accent: 0x3B7A57, panelFill: 0xE3F1E8,
        highlight: 0xFFE066)

    /// Forest green frame, warm paper, gold accents.
    public static let forest = CouponTheme(
        frame: 0x22543D, paper: 0xFBFAF3, ink: 0x1C2B22, muted: 0x5B6B60, accent: 0xB7791F, panelFill: 0xF7EBD3)

    /// Navy frame, white paper, coral accents.
    public static let midnight = CouponTheme(
        frame: 0x1B2A4A, paper: 0xFFFFFF, ink: 0x15203A, muted: 0x5A6478, accent: 0xE4572E, panelFill: 0xFDE8E1)

    /// The built-in themes by name, for a `--theme` option.
    public static let named: [String: CouponTheme] = [
        "classic": .classic, "berry": .berry, "forest": .forest, "midnight": .midnight,
    ]
}
