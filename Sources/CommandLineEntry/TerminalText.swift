/// Text from outside (a server's answer, a file, a coupon's terms) made safe to show on a
/// terminal: control characters other than newline and tab, and the Unicode bidi
/// overrides and isolates that reorder what a reader sees, are shown escaped as
/// `\u{1B}` instead of being sent to the terminal, where an escape sequence in a product
/// name could recolour, retitle or rewrite the screen.
public enum TerminalText {
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
