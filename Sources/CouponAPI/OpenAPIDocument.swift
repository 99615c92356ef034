import Foundation

/// The API's contract, `openapi.yaml`: the generator's input and, as this target's one
/// resource, the document the server serves at `GET /openapi.yaml`.
public enum OpenAPIDocument {
    /// The document's bytes, read once.
    public static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let data = try? Data(contentsOf: url)
        else { return [] }
        return Array(data)
    }()

    /// The document as text (tests parse it).
    public static var text: String { String(decoding: bytes, as: UTF8.self) }
}
