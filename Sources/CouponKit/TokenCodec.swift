/// The compact, versioned binary form of ``CouponTerms``.
///
/// Layout: one version byte (1), then fields as `tag, length (LEB128), value`. Tags below
/// 64 are critical: a reader that does not know one refuses the token. Tags 64 and up
/// are optional and skipped by readers that do not know them, so a later version can add
/// fields without breaking old readers or old coupons. Integers are LEB128; text is UTF-8.
public enum TokenCodec {
    public static let version: UInt8 = 1

    enum Tag: UInt8 {
        case serial = 1, productId, title, rateBasisPoints, amountMinor, amountCurrency
        case validFrom, validUntil, maxUsesTotal, maxUsesPerMember, issuerId, artworkDigest
        /// Critical: present, with the value 1, only when the terms are
        /// ``CouponTerms/personal``, so every other coupon keeps its exact bytes. A reader
        /// that predates it refuses the token rather than redeem a personal coupon for
        /// anyone who shows it.
        case personal = 13
        /// Optional (64 and up): present, with the value 1, only when the terms are
        /// ``CouponTerms/fragileOnly``, so every coupon minted without it keeps its exact
        /// bytes. A reader that predates it reads only the fragile layer, which honours it.
        case fragileOnly = 64
    }

    public enum DecodeError: Error, Equatable, Sendable {
        case unsupportedVersion(UInt8)
        case truncated
        case unknownCriticalField(UInt8)
        case missingField(String)
        case invalidField(String)
    }

    public static func encode(_ terms: CouponTerms) -> [UInt8] {
        var out: [UInt8] = [version]
        func field(_ tag: Tag, _ value: [UInt8]) {
            out.append(tag.rawValue)
            appendVarint(UInt64(value.count), to: &out)
            out += value
        }
        func number(_ tag: Tag, _ value: UInt64) {
            var bytes: [UInt8] = []
            appendVarint(value, to: &bytes)
            field(tag, bytes)
        }
        field(.serial, Array(terms.serial.utf8))
        field(.productId, Array(terms.productId.utf8))
        field(.title, Array(terms.title.utf8))
        switch terms.discount {
        case .rate(let points):
            number(.rateBasisPoints, UInt64(points))
        case .amount(let money):
            number(.amountMinor, UInt64(money.amount))
            field(.amountCurrency, Array(money.currency.code.utf8))
        }
        number(.validFrom, UInt64(bitPattern: terms.validFrom))
        number(.validUntil, UInt64(bitPattern: terms.validUntil))
        if let total = terms.maxUsesTotal { number(.maxUsesTotal, UInt64(total)) }
        if let perMember = terms.maxUsesPerMember { number(.maxUsesPerMember, UInt64(perMember)) }
        field(.issuerId, Array(terms.issuerId.utf8))
        field(.artworkDigest, terms.artworkDigest)
        if terms.personal { number(.personal, 1) }
        if terms.fragileOnly { number(.fragileOnly, 1) }
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> CouponTerms {
        guard let first = bytes.first else { throw .truncated }
        guard first == version else { throw .unsupportedVersion(first) }
        var fields: [Tag: [UInt8]] = [:]
        var index = 1
        while index < bytes.count {
            let rawTag = bytes[index]
            index += 1
            let length = try readVarint(bytes, &index)
            guard length <= UInt64(bytes.count - index) else { throw .truncated }
            let value = Array(bytes[index..<(index + Int(length))])
            index += Int(length)
            if let tag = Tag(rawValue: rawTag) {
                fields[tag] = value
            } else if rawTag < 64 {
                throw .unknownCriticalField(rawTag)
            }
        }

        func text(_ tag: Tag, _ name: String) throws(DecodeError) -> String {
            guard let value = fields[tag] else { throw .missingField(name) }
            guard let string = String(validating: value, as: UTF8.self) else { throw .invalidField(name) }
            return string
        }
        func number(_ tag: Tag, _ name: String) throws(DecodeError) -> UInt64? {
            guard let value = fields[tag] else { return nil }
            var at = 0
            let result = try readVarint(value, &at)
            guard at == value.count else { throw .invalidField(name) }
            return result
        }
        func int(_ tag: Tag, _ name: String) throws(DecodeError) -> Int? {
            guard let value = try number(tag, name) else { return nil }
            guard value <= UInt64(Int32.max) else { throw .invalidField(name) }
            return Int(value)
        }

        let discount: Discount
        if let points = try int(.rateBasisPoints, "rate") {
            discount = .rate(basisPoints: points)
        } else if let minor = try number(.amountMinor, "amount"), minor <= UInt64(Int64.max) {
            guard let currency = Currency(try text(.amountCurrency, "currency")) else { throw .invalidField("currency") }
            discount = .amount(Money(amount: Int64(minor), currency: currency))
        } else {
            throw .missingField("discount")
        }
        guard Discount.validated(discount) != nil else { throw .invalidField("discount") }
        guard let from = try number(.validFrom, "valid_from") else { throw .missingField("valid_from") }
        guard let until = try number(.validUntil, "valid_until") else { throw .missingField("valid_until") }
        guard let digest = fields[.artworkDigest] else { throw .missingField("artwork_digest") }
        let fragileOnly = try number(.fragileOnly, "fragile_only")
        guard fragileOnly == nil || fragileOnly == 1 else { throw .invalidField("fragile_only") }
        let personal = try number(.personal, "personal")
        guard personal == nil || personal == 1 else { throw .invalidField("personal") }
        return CouponTerms(
            serial: try text(.serial, "serial"), productId: try text(.productId, "product_id"),
            title: try text(.title, "title"), discount: discount,
            validFrom: Int64(bitPattern: from), validUntil: Int64(bitPattern: until),
            maxUsesTotal: try int(.maxUsesTotal, "max_uses_total"),
            maxUsesPerMember: try int(.maxUsesPerMember, "max_uses_per_member"),
            issuerId: try text(.issuerId, "issuer_id"), artworkDigest: digest, fragileOnly: fragileOnly == 1,
            personal: personal == 1)
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func readVarint(_ bytes: [UInt8], _ index: inout Int) throws(DecodeError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.count else { throw .truncated }
            let byte = bytes[index]
            index += 1
            guard shift < 64 else { throw .invalidField("varint") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }
}
