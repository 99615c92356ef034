public import CouponKit

// The conversions between the generated wire types and CouponKit's domain types that
// both sides need (the server sends them, the client reads them back). Server-only
// conversions live in CouponServer/Components+Domain.swift.

extension Components.Schemas.Money {
    public init(_ money: CouponKit.Money) {
        self.init(amount: money.amount, currency: money.currency.code)
    }
}

extension CouponKit.Money {
    /// Nil when the currency is not an ISO 4217 code.
    public init?(_ wire: Components.Schemas.Money) {
        guard let currency = Currency(wire.currency) else { return nil }
        self.init(amount: wire.amount, currency: currency)
    }
}

extension Components.Schemas.Discount {
    /// `{"kind":"rate","basis_points"}` or `{"kind":"amount","amount"}`.
    public init(_ discount: CouponKit.Discount) {
        switch discount {
        case .rate(let points): self.init(kind: .rate, basisPoints: points)
        case .amount(let money): self.init(kind: .amount, amount: .init(money))
        }
    }
}

extension CouponKit.Discount {
    /// Nil when the field its kind needs is missing or invalid.
    public init?(_ wire: Components.Schemas.Discount) {
        switch wire.kind {
        case .rate:
            guard let points = wire.basisPoints else { return nil }
            self = .rate(basisPoints: points)
        case .amount:
            guard let amount = wire.amount, let money = CouponKit.Money(amount) else { return nil }
            self = .amount(money)
        }
    }
}

extension Components.Schemas.Keys {
    /// Every reveal-key epoch (and whether it is retired), issuer public key and server
    /// key of `ring`.
    public init(_ ring: KeyRing) {
        self.init(
            revealKeys: ring.revealKeys.map {
                .init(retired: ring.retiredEpochs.contains($0.epoch), epoch: Int64($0.epoch), key: $0.base64)
            },
            issuers: ring.issuers.map { .init(issuerId: $0.id, publicKey: $0.base64) },
            serverKeys: ring.serverKeys.map { .init(keyId: $0.id, publicKey: $0.base64, retired: $0.retired) })
    }

    /// The ring, or nil when a key does not decode or an issuer id disagrees with its key
    /// (``KeysDocument/keyRing`` checks them).
    public var keyRing: KeyRing? {
        var reveals: [KeysDocument.Reveal] = []
        for reveal in revealKeys {
            guard let epoch = UInt32(exactly: reveal.epoch) else { return nil }
            reveals.append(KeysDocument.Reveal(epoch: epoch, key: reveal.key))
        }
        var ring = KeysDocument(
            revealKeys: reveals,
            issuers: issuers.map { KeysDocument.Issuer(issuerId: $0.issuerId, publicKey: $0.publicKey) },
            serverKeys: serverKeys.map { KeysDocument.Server(keyId: $0.keyId, publicKey: $0.publicKey, retired: $0.retired) }
        ).keyRing
        ring?.retiredEpochs = Set(revealKeys.filter(\.retired).compactMap { UInt32(exactly: $0.epoch) })
        return ring
    }
}

extension Components.Schemas.Money: CustomStringConvertible {
    /// "9.99 EUR", as ``CouponKit/Money`` shows it.
    public var description: String {
        CouponKit.Money(self)?.description ?? "\(amount) \(currency)"
    }
}
