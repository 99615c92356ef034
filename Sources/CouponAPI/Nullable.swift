/// A value the API writes out as JSON `null` when it is absent, for schemas of type
/// `[T, "null"]` that are also `required` (OpenAPI's "present but null").
///
/// The generator turns a nullable schema into a Swift optional and leaves `nil` out of
/// the JSON; `openapi-generator-config.yaml` maps the nullable component schemas
/// (`NullableString`, `NullableCompany`) to this wrapper instead, so that the server
/// sends `"coupon_serial": null` as the document says and clients read both forms.
public struct Nullable<Wrapped: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    public var value: Wrapped?

    public init(_ value: Wrapped?) {
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        value = container.decodeNil() ? nil : try container.decode(Wrapped.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value {
            try container.encode(value)
        } else {
            try container.encodeNil()
        }
    }
}

/// `#/components/schemas/NullableString`.
public typealias NullableString = Nullable<String>

/// `#/components/schemas/NullableCompany`.
public typealias NullableCompany = Nullable<Components.Schemas.Company>
