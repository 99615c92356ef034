import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /healthz` and `GET /openapi.yaml` (the hand-written contract, served as is).
struct SystemController {
    let openAPI: [UInt8]

    init() throws {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        openAPI = Array(try Data(contentsOf: url))
    }

    /// The OpenAPI document's bytes (also for tests).
    static func openAPIDocument() throws -> String {
        String(decoding: try SystemController().openAPI, as: UTF8.self)
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let document = openAPI
        return RouteCollection(context: AppRequestContext.self)
            .get("/healthz") { _, _ in try Response.json(["status": "ok"]) }
            .get("/openapi.yaml") { _, _ in
                var headers = HTTPFields()
                headers[.contentType] = "application/yaml"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document)))
            }
    }
}
