/// What text from outside may hold: names, titles, SKUs and descriptions are shown on
/// terminals and pages, so none may carry
/// - control characters (C0, DEL, C1), which a terminal would run as escape sequences;
/// - format characters (general category Cf: zero-width spaces and joiners, the bidi
///   marks, overrides and isolates, U+FEFF, U+061C, the tag characters U+E0000-U+E007F)
///   and the other default-ignorable code points (Hangul fillers, U+034F), which make
///   text read differently than it is, or make two names look the same;
/// - the line and paragraph separators U+2028 and U+2029.
///
/// Variation selectors (U+FE00-U+FE0F, U+E0100-U+E01EF) are default-ignorable too but
/// allowed: they only choose how the character before them is drawn (the red heart of
/// "❤️" is U+2764 U+FE0F), and hide nothing. Descriptions may break lines (newline and
/// tab are allowed there only).
///
/// Lengths are counted in UTF-8 bytes (``fits(_:maxBytes:)``), never in characters: one
/// letter followed by 100,000 combining marks is one character, and 200 KB.
public enum TextRules {
    public static func hasControlCharacters(_ text: some StringProtocol, allowingLineBreaks: Bool = false) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x0A, 0x09: !allowingLineBreaks
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
            case 0xFE00...0xFE0F, 0xE0100...0xE01EF: false
            case 0x20...0x7E: false
            default:
                scalar.properties.generalCategory == .format || scalar.properties.isDefaultIgnorableCodePoint
            }
        }
    }

    /// `text` is at most `maxBytes` bytes of UTF-8.
    public static func fits(_ text: some StringProtocol, maxBytes: Int) -> Bool {
        text.utf8.count <= maxBytes
    }

    /// 1 to `maxLength` bytes of `A-Z a-z 0-9 - _ .` only: safe in a file name, a header
    /// and a log line as it is (coupon serials, request ids).
    public static func isPlainWord(_ text: String, maxLength: Int) -> Bool {
        (1...maxLength).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                    true
                default: false
                }
            }
    }
}
