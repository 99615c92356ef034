import CouponKit

/// `terms-file`: a `coupon mint` terms file (CSV or JSON), decoded as UTF-8 (invalid
/// sequences replaced, as reading the file does), through `TermsFile.parse(_:)`.
public enum TermsFileTarget {
    /// True when the file parses and at least one row is valid.
    @discardableResult
    public static func run(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let rows = try? TermsFile.parse(text) else { return false }
        return rows.contains { (try? $0.get()) != nil }
    }
}
