import CouponKit
import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A submitted HTML form: its text fields and its files, read from a body no larger than
/// the API's own limit (`--max-body-bytes`; more is 413 `payload_too_large`, like the
/// API). `application/x-www-form-urlencoded` and `multipart/form-data` (file uploads) are
/// understood; anything else is 415.
struct WebForm: Sendable {
    var fields: [String: String] = [:]
    var files: [String: [UInt8]] = [:]

    subscript(_ name: String) -> String? { fields[name] }

    /// A field, trimmed; nil when absent or blank.
    func text(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// An uploaded file with at least one byte (a file input left empty sends none).
    func file(_ name: String) -> [UInt8]? {
        guard let bytes = files[name], !bytes.isEmpty else { return nil }
        return bytes
    }

    static func read(_ request: Request, maxBytes: Int) async throws -> WebForm {
        let contentType = request.headers[.contentType] ?? ""
        var body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw Problem(.payloadTooLarge, detail: "the form is over \(maxBytes) bytes")
        }
        let mediaType = contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        switch mediaType {
        case "application/x-www-form-urlencoded":
            return WebForm(fields: urlEncoded(body.readString(length: body.readableBytes) ?? ""))
        case "multipart/form-data":
            guard let boundary = MediaType(from: contentType)?.parameter?.value else {
                throw Problem(.invalidRequest, detail: "a multipart form needs its boundary")
            }
            return try multipart(body, boundary: boundary)
        default:
            throw Problem(.unsupportedMediaType, detail: "send the page's form (urlencoded or multipart)")
        }
    }

    /// `a=1&b=two+words`: later duplicates win; malformed percent escapes are kept as sent.
    static func urlEncoded(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// The parts of a `multipart/form-data` body: a part with a `filename` is a file,
    /// the others are text.
    static func multipart(_ body: ByteBuffer, boundary: String) throws -> WebForm {
        let parser = MultipartParser(boundary: boundary)
        var form = WebForm()
        var headers: [String: String] = [:]
        var current = ByteBuffer()
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { chunk in current.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let disposition = headers["content-disposition"] ?? ""
            if let name = Self.parameter("name", in: disposition) {
                if Self.parameter("filename", in: disposition) != nil {
                    form.files[name] = current.readBytes(length: current.readableBytes) ?? []
                } else {
                    form.fields[name] = current.readString(length: current.readableBytes) ?? ""
                }
            }
            headers = [:]
            current = ByteBuffer()
        }
        do {
            try parser.execute(body)
        } catch {
            throw Problem(.invalidRequest, detail: "the multipart form could not be read")
        }
        return form
    }

    /// `name="coupon"` in a `Content-Disposition` header (quoted or not).
    static func parameter(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
