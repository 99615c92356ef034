import CouponArt
import Testing

/// The built-in themes are written through the pattern initialiser (title in the frame's
/// colour, white on the accent, gold highlight unless given); these pin every colour they
/// had when each was spelt out in full, so the artwork stays byte for byte the same.
@Suite struct ThemeTests {
    /// Backdrop, paper, ink, muted, title, accent, panel fill and highlight; white on the accent.
    static func theme(_ colors: [UInt32]) -> CouponTheme {
        let c = colors.map(RGBColor.init(hex:))
        return CouponTheme(
            backdrop: c[0], paper: c[1], ink: c[2], muted: c[3], title: c[4], accent: c[5], panelFill: c[6],
            highlight: c[7], onAccent: .white)
    }

    @Test func builtInThemesKeepTheirColours() {
        #expect(CouponTheme.classic == Self.theme([0x0E5E6F, 0xFFF8EC, 0x1F2933, 0x5F6B73, 0x0E5E6F, 0xD9591B, 0xFCE6D4, 0xFFD23F]))
        #expect(CouponTheme.berry == Self.theme([0x8E1B4F, 0xFFF5F8, 0x2A1A22, 0x6E5A64, 0x8E1B4F, 0x3B7A57, 0xE3F1E8, 0xFFE066]))
        #expect(CouponTheme.forest == Self.theme([0x22543D, 0xFBFAF3, 0x1C2B22, 0x5B6B60, 0x22543D, 0xB7791F, 0xF7EBD3, 0xFFD23F]))
        #expect(CouponTheme.midnight == Self.theme([0x1B2A4A, 0xFFFFFF, 0x15203A, 0x5A6478, 0x1B2A4A, 0xE4572E, 0xFDE8E1, 0xFFD23F]))
        #expect(Set(CouponTheme.named.keys) == ["classic", "berry", "forest", "midnight"])
    }
}
