import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders the pages: the `swift-mustache` templates in `Web/Templates` (each page a child
/// of `layout.mustache`, which holds the head, the site navigation and the footer), read
/// once when the server starts. Mustache escapes every `{{value}}` for HTML; nothing is
/// written unescaped but the inline SVG chart, which the server draws itself
/// (``RedemptionChart``).
///
/// Every page answers with headers that keep it to its own origin: a content security
/// policy allowing nothing from elsewhere (pictures from the server or `data:` URIs, the
/// one stylesheet, no scripts), no framing, no MIME sniffing, and `no-store` (pages show
/// a member's orders and, once, a token).
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    init() throws {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw WebSetupError.missingResource("Templates")
        }
        var library = MustacheLibrary()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for name in names.sorted() where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
    }

    /// `template` rendered with `page`, as an HTML response.
    func render(_ template: String, _ page: Any, status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(page, withTemplate: template) ?? "<!doctype html><title>Couponmark</title><p>Page missing."
        var response = Response(status: status, headers: Self.headers, body: .init(byteBuffer: .init(string: html)))
        response.headers[.contentType] = "text/html; charset=utf-8"
        return response
    }

    static let headers: HTTPFields = [
        .contentSecurityPolicy:
            "default-src 'none'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        .cacheControl: "no-store",
        HTTPField.Name("X-Frame-Options")!: "DENY",
    ]

    /// A 303 to `location` (after a form that changed something, so that reloading does not
    /// post it again).
    static func redirect(to location: String) -> Response {
        var response = Response(status: .seeOther, headers: headers)
        response.headers[.location] = location
        return response
    }
}

enum WebSetupError: Error, CustomStringConvertible {
    case missingResource(String)

    var description: String {
        switch self {
        case .missingResource(let name): "the web pages' \(name) are missing beside the executable (its resource bundle)"
        }
    }
}
