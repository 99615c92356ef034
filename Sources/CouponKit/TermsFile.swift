import Foundation
public import SwiftCSV

/// A terms file for `coupon mint`: a JSON array of objects, or CSV with a header row.
///
/// Fields: `product_id`, `title`, `kind` (`rate`|`amount`), `value` (basis points, or
/// minor units), `currency`, `valid_from`, `valid_until` (ISO 8601: `2026-12-01` or
/// `2026-12-01T09:00:00Z`; a date alone means the start of that day for `valid_from`
/// and its last second for `valid_until`, UTC), optional `serial` (generated when
/// absent), `max_uses_total` (absent or empty: unlimited), `max_uses_per_member`
/// (default 1; 0 means unlimited). Rows are numbered from 1 (the first object, or the
/// first line after the CSV header). Optional `fragile_only` (`true`/`false`, `1`/`0`,
/// default false) signs that only the original picture may be redeemed, not a copy that
/// only the robust layer identifies. Optional `personal` (the same spellings, default
/// false) signs that each member gets a copy bound to them (``CouponTerms/personal``).
/// An optional `product_name` is shown on the artwork
/// (default: the product id); it is not part of the signed terms.
public enum TermsFile {
    /// One row, parsed; `issuerId` and `artworkDigest` are filled in at minting.
    public struct Row: Sendable {
        public let number: Int
        public let terms: CouponTerms
        /// Optional `product_name`: shown on the artwork, not signed.
        public let productName: String?
    }

    public struct RowError: Error, Sendable, CustomStringConvertible {
        public let number: Int
        public let message: String
        public var description: String { "row \(number): \(message)" }
    }

    public struct FileError: Error, Sendable, CustomStringConvertible {
        public let message: String
        /// The CSV parser's own error, when the file failed as CSV.
        public let csvError: CSVParseError?

        init(message: String, csvError: CSVParseError? = nil) {
            self.message = message
            self.csvError = csvError
        }

        public var description: String { csvError.map { "\(message): \($0)" } ?? message }
    }

    /// Parses the whole file; a bad row is returned as its error and stops nothing else.
    public static func parse(_ text: String) throws(FileError) -> [Result<Row, RowError>] {
        let records = try records(in: text)
        var seen = Set<String>()
        return records.enumerated().map { index, fields in
            let number = index + 1
            do {
                let terms = try terms(from: fields)
                guard seen.insert(terms.serial).inserted else {
                    return .failure(RowError(number: number, message: "serial \(terms.serial) appears twice"))
                }
                let name = fields["product_name"]?.trimmingCharacters(in: .whitespaces)
                return .success(Row(number: number, terms: terms, productName: name?.isEmpty == false ? name : nil))
            } catch {
                return .failure(RowError(number: number, message: error.message))
            }
        }
    }

    static func records(in text: String) throws(FileError) -> [[String: String]] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw FileError(message: "the terms file is empty") }
        if trimmed.hasPrefix("[") || trimmed.hasPrefix("{") {
            guard let json = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)),
                let array = json as? [Any]
            else { throw FileError(message: "the terms file is not a JSON array of objects") }
            return array.map { element in
                guard let object = element as? [String: Any] else { return ["_error": "not a JSON object"] }
                return object.mapValues { value in
                    switch value {
                    case let string as String: string
                    case let number as NSNumber: number.stringValue
                    case is NSNull: ""
                    default: "\(value)"
                    }
                }
            }
        }
        do {
            let csv = try CSV<Named>(string: trimmed, delimiter: .comma, loadColumns: false)
            return csv.rows.map { row in
                Dictionary(row.map { ($0.key.trimmingCharacters(in: .whitespaces), $0.value) }) { first, _ in first }
            }
        } catch {
            // SwiftCSV documents CSVParseError as the only error it throws.
            throw FileError(message: "the terms file is not valid CSV", csvError: error as? CSVParseError)
        }
    }

    struct FieldError: Error {
        let message: String
    }

    static func terms(from fields: [String: String]) throws(FieldError) -> CouponTerms {
        if let problem = fields["_error"] { throw FieldError(message: problem) }
        func required(_ name: String) throws(FieldError) -> String {
            guard let value = fields[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                throw FieldError(message: "\(name) is missing")
            }
            return value
        }
        func optionalCount(_ name: String) throws(FieldError) -> Int?? {
            guard let text = fields[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return .none }
            guard let value = Int(text), value >= 0 else { throw FieldError(message: "\(name) must be a whole number >= 0, not \(text)") }
            return .some(value == 0 ? nil : value)
        }

        let productId = try required("product_id")
        let title = try required("title")
        guard title.utf8.count <= 80 else { throw FieldError(message: "title is longer than 80 bytes") }
        guard !TextRules.hasControlCharacters(title) else {
            throw FieldError(message: "title contains control characters")
        }
        let valueText = try required("value")
        guard let value = Int64(valueText), value >= 1 else {
            throw FieldError(message: "value must be a whole number >= 1, not \(valueText)")
        }
        let currencyText = fields["currency"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let discount: Discount
        switch try required("kind") {
        case "rate":
            guard Discount.basisPointsRange.contains(Int(value)) else {
                throw FieldError(message: "a rate is 1 to 10000 basis points, not \(value)")
            }
            discount = .rate(basisPoints: Int(value))
        case "amount":
            guard let currency = Currency(currencyText) else {
                throw FieldError(message: "an amount needs a currency (ISO 4217, like EUR), not '\(currencyText)'")
            }
            discount = .amount(Money(amount: value, currency: currency))
        case let other:
            throw FieldError(message: "kind must be rate or amount, not \(other)")
        }
        let from = try date(try required("valid_from"), endOfDay: false, field: "valid_from")
        let until = try date(try required("valid_until"), endOfDay: true, field: "valid_until")
        guard from <= until else { throw FieldError(message: "valid_until is before valid_from") }

        let serial = fields["serial"]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard serial.isEmpty || CouponTerms.isValidSerial(serial) else {
            throw FieldError(message: "serial must be 1-64 characters of A-Z a-z 0-9 . _ -, not '\(serial)'")
        }
        let total = try optionalCount("max_uses_total")
        let perMember = try optionalCount("max_uses_per_member")
        func flag(_ name: String) throws(FieldError) -> Bool {
            switch fields[name]?.trimmingCharacters(in: .whitespaces).lowercased() ?? "" {
            case "", "false", "0", "no": return false
            case "true", "1", "yes": return true
            case let other: throw FieldError(message: "\(name) must be true or false, not \(other)")
            }
        }
        return CouponTerms(
            serial: serial.isEmpty ? Self.generateSerial() : serial, productId: productId, title: title,
            discount: discount, validFrom: from, validUntil: until,
            maxUsesTotal: total ?? nil, maxUsesPerMember: perMember ?? 1, issuerId: "",
            fragileOnly: try flag("fragile_only"), personal: try flag("personal"))
    }

    /// Unix seconds from ISO 8601 (date, or date and time with zone).
    static func date(_ text: String, endOfDay: Bool, field: String) throws(FieldError) -> Int64 {
        if let full = try? Date(text, strategy: .iso8601) {
            return Int64(full.timeIntervalSince1970.rounded(.down))
        }
        let dayOnly = Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0)!).year().month().day()
        if let day = try? Date(text, strategy: dayOnly) {
            return Int64(day.timeIntervalSince1970) + (endOfDay ? 86_399 : 0)
        }
        throw FieldError(message: "\(field) is not an ISO 8601 date: \(text)")
    }

    /// "CM-" and 12 random characters from an unambiguous alphabet.
    public static func generateSerial() -> String {
        let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
        var generator = SystemRandomNumberGenerator()
        return "CM-" + String((0..<12).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}

extension Error {
    fileprivate var message: String { (self as? TermsFile.FieldError)?.message ?? "\(self)" }
}
