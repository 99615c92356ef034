/// An ISO 4217 currency code: three upper-case ASCII letters ("EUR").
public struct Currency: Hashable, Sendable, Codable, CustomStringConvertible {
    public let code: String

    /// Nil unless `code` is three letters A-Z.
    public init?(_ code: String) {
        guard code.utf8.count == 3, code.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) })
        else { return nil }
        self.code = code
    }

    public var description: String { code }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let currency = Currency(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 4217 code: \(text)"))
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

/// An amount of money in integer minor units (cents for EUR). No floating point anywhere.
///
/// JSON: `{"amount": 999, "currency": "EUR"}`.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    public let amount: Int64
    public let currency: Currency

    public init(amount: Int64, currency: Currency) {
        self.amount = amount
        self.currency = currency
    }

    /// "9.99 EUR"; two decimals (currencies with other minor units are shown as if cents).
    public var description: String {
        let sign = amount < 0 ? "-" : ""
        let magnitude = amount.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents) \(currency.code)"
    }
}

/// Why a money computation was refused.
public enum MoneyError: Error, Equatable, Sendable {
    case currencyMismatch(expected: Currency, got: Currency)
    case overflow
    case invalidQuantity(Int)
}

extension Money {
    /// price x quantity, refusing overflow and quantities below 1.
    public func times(_ quantity: Int) throws(MoneyError) -> Money {
        guard quantity >= 1 else { throw .invalidQuantity(quantity) }
        let (product, overflow) = amount.multipliedReportingOverflow(by: Int64(quantity))
        guard !overflow else { throw .overflow }
        return Money(amount: product, currency: currency)
    }

    public func minus(_ other: Money) throws(MoneyError) -> Money {
        guard other.currency == currency else { throw .currencyMismatch(expected: currency, got: other.currency) }
        let (difference, overflow) = amount.subtractingReportingOverflow(other.amount)
        guard !overflow else { throw .overflow }
        return Money(amount: difference, currency: currency)
    }
}
