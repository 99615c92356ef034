import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A browser for the page tests, in process: it keeps the cookies the server sets (by
/// name; paths are not modelled, every cookie goes with every request, which is what an
/// attacker's client would do anyway), sends forms urlencoded or multipart, and finds
/// form tokens in the pages.
struct WebClient {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    @discardableResult
    mutating func get(_ path: String) async throws -> TestResponse {
        try await send(path, method: .get, headers: [:], body: nil)
    }

    /// An urlencoded form POST.
    @discardableResult
    mutating func post(_ path: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let body = fields.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        return try await send(
            path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    /// A multipart form POST; `files` are sent with a filename, as a browser sends a file input.
    @discardableResult
    mutating func postMultipart(_ path: String, _ fields: [(String, String)], files: [(String, [UInt8])] = []) async throws
        -> TestResponse
    {
        let boundary = "----couponmark\(UUID().uuidString.prefix(8))"
        var body = ByteBuffer()
        for (name, value) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for (name, bytes) in files {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"picture\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return try await send(
            path, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
    }

    mutating func send(_ path: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws
        -> TestResponse
    {
        var headers = headers
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
            if header.contains("Expires=Thu, 01 Jan 1970") || header.lowercased().contains("max-age=0") {
                cookies[name] = nil
            } else if let expires = Self.expiry(header), expires < Date() {
                cookies[name] = nil
            } else {
                cookies[name] = String(pair[1])
            }
        }
        return response
    }

    /// The `Set-Cookie` header the last response set for `name`, among `response`'s.
    static func setCookie(_ name: String, in response: TestResponse) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix("\(name)=") }
    }

    static func expiry(_ header: String) -> Date? {
        guard let range = header.range(of: "Expires=") else { return nil }
        let text = header[range.upperBound...].split(separator: ";")[0]
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: String(text))
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

extension TestResponse {
    var html: String { String(buffer: body) }

    /// The `value` of the first hidden input named `name`.
    func formValue(_ name: String) -> String? {
        let text = html
        guard let range = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }

    /// The text inside the element with `id` (up to its first `<`).
    func text(ofId id: String) -> String? {
        let text = html
        guard let start = text.range(of: "id=\"\(id)\"") else { return nil }
        guard let close = text[start.upperBound...].firstIndex(of: ">") else { return nil }
        return String(text[text.index(after: close)...].prefix { $0 != "<" })
    }
}
