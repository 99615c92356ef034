import CouponKit
import Foundation

/// The operations whose body is JSON take it only as `application/json` (parameters such
/// as `; charset=utf-8` allowed): any other `Content-Type`, or none, is 415
/// `unsupported_media_type` (checked by `RequestIntake`, which also bounds the body).
///
/// Why: a web page on another site can make its visitors' browsers send a POST without
/// asking them, as long as it is a CORS "simple request": `text/plain`, a form encoding,
/// or no type at all. Such a request cannot carry `application/json` without a CORS
/// preflight, which this server never grants, so no page can make its visitors join,
/// order or add products.
enum JSONContentType {
    /// The operations of `openapi.yaml` whose request body is `application/json` (a test
    /// holds this list to the document).
    static let operations: Set<String> = ["joinMembership", "createOrder", "createProduct"]

    /// What a JSON route answers a body of another type.
    static var refusal: Problem {
        Problem(.unsupportedMediaType, detail: "send the body as Content-Type: application/json")
    }

    /// `application/json`, in any case, with or without parameters.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }
}
