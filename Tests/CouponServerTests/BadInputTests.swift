import CouponServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImageCore
import NIOCore
import PNGCodec
import Testing

/// Hostile input through the real verifier: each gets its problem+json 4xx at once, and
/// the server keeps serving.
@Suite struct BadInputTests {
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(crc32(body))
    }

    static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// A well-formed PNG header claiming 100000 x 100000 RGBA pixels (40 GB decoded).
    static var hugePNG: [UInt8] { claimingPNG(width: 100_000, height: 100_000) }

    /// A PNG whose header claims `width` x `height` RGBA pixels, with a token IDAT.
    static func claimingPNG(width: UInt32, height: UInt32) -> [UInt8] {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let ihdr = be32(width) + be32(height) + [8, 6, 0, 0, 0]
        let idat: [UInt8] = [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]
        return signature + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", [])
    }

    static var truncatedPNG: [UInt8] {
        var image = PixelBuffer(width: 64, height: 64, format: .rgba8, fill: 0)
        for index in 0..<(64 * 64 * 4) { image.bytes[index] = UInt8(truncatingIfNeeded: index &* 31) }
        let png = try! PNGEncoder().encode(image)
        return Array(png.prefix(png.count / 2))
    }

    static let cases: [(String, [UInt8], String)] = [
        ("not a PNG", Array("GIF89a this is not a png".utf8), "coupon_unreadable"),
        ("empty", [], "coupon_unreadable"),
        ("100000x100000 header", hugePNG, "coupon_too_large"),
        // 39.6 M pixels: under the old 40 M limit this decoded (hundreds of MB per order).
        ("6000x6600 header", claimingPNG(width: 6000, height: 6600), "coupon_too_large"),
        ("truncated", truncatedPNG, "coupon_unreadable"),
    ]

    @Test(arguments: 0..<cases.count) func orderWithBadCouponImage(_ index: Int) async throws {
        let (_, bytes, code) = Self.cases[index]
        let server = try TestServer(verifier: nil)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            let response = try await client.order(member, product: product, coupon: Data(bytes).base64EncodedString())
            // The code proves the header was judged before any pixel memory existed (a
            // decode of the claimed pixels would fail on its data, coupon_unreadable); no
            // wall-clock bound, which a loaded machine breaks.
            try expectProblem(response, .unprocessableContent, code)
            let upload = try await client.execute(
                uri: "/v1/merchant/products/\(product)/coupons", method: .post,
                headers: bearer(merchant.token) + [HTTPField(name: .contentType, value: "image/png")],
                body: ByteBuffer(bytes: bytes))
            try expectProblem(upload, .unprocessableContent, code)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test func bodiesOverTheLimitAreRefused() async throws {
        let server = try TestServer(verifier: nil, maxBodyBytes: 4096)
        let merchant = try await server.addMerchant()
        try await server.test { client in
            let product = try await client.createProduct(merchant)
            let member = try await client.join()
            let big = String(repeating: "A", count: 10_000)
            try expectProblem(
                try await client.order(member, product: product, coupon: big), .contentTooLarge, "payload_too_large")
            try expectProblem(
                try await client.execute(
                    uri: "/v1/members", method: .post, body: ByteBuffer(bytes: [UInt8](repeating: 0x20, count: 100_000))),
                .contentTooLarge, "payload_too_large")
            try expectProblem(
                try await client.execute(
                    uri: "/v1/merchant/products/\(product)/coupons", method: .post, headers: bearer(merchant.token),
                    body: ByteBuffer(bytes: [UInt8](repeating: 1, count: 5000))),
                .contentTooLarge, "payload_too_large")
            let rejections = try #require(try await client.history(member)["rejections"] as? [[String: Any]])
            #expect(rejections.map { $0["code"] as? String } == ["payload_too_large"])
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }
}
