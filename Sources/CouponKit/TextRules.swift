/// What text from outside may hold: names, titles, SKUs and descriptions are shown on
/// terminals and pages, so none may carry control characters (C0, DEL, C1), which a
/// terminal would run as escape sequences, nor the Unicode bidi overrides and isolates
/// (U+202A-U+202E, U+2066-U+2069), which make text read differently than it is.
/// Descriptions may break lines (newline and tab are allowed there only).
public enum TextRules {
    public static func hasControlCharacters(_ text: some StringProtocol, allowingLineBreaks: Bool = false) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x0A, 0x09: !allowingLineBreaks
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
            default: false
            }
        }
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
