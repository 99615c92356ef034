import ArgumentParser
import CouponAPI
import Foundation
import ImageFormats
import OpenAPIRuntime

/// `coupon merchant trace FILE [--json]`: whose personal copy a picture is.
struct MerchantTraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Ask the server whose personal copy of one of your coupons a picture is (a leaked coupon).",
        discussion: """
            The picture may be the copy as issued, one with part of it painted over, or a copy \
            of it: a JPEG, a WebP, resized, a screenshot. The server reads the copy's own \
            watermark first, then its robust layer under your robust keys. Exit codes: 0 \
            traced, 7 no personal copy of your coupons in the picture.
            """)

    @Argument(help: "The picture: PNG, JPEG or WebP.") var file: String
    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the server's JSON.") var json = false

    func run() async throws {
        let bytes = try Files.read(file)
        let body = HTTPBody(bytes)
        let request: Operations.TraceCopy.Input.Body =
            switch ImageFormat(sniffing: bytes) {
            case .jpeg: .jpeg(body)
            case .webp: .imageWebp(body)
            case .png, nil: .png(body)
            }
        let trace = try await server.client().call { try await $0.traceCopy(body: request).ok.body.json }
        try ClientWireFormat.show(trace, json: json) { trace in
            print("personal copy of \(trace.memberId)")
            print("coupon:    \(trace.couponId) (serial \(trace.serial)), product \(trace.productId)")
            print("copy:      \(trace.copyId), issued \(trace.issuedAt)")
            print(
                trace.layer == .fragile
                    ? "read from: the copy's own watermark\(trace.damaged ? " (its artwork was edited)" : " (untouched)")"
                    : "read from: its robust layer (a recompressed, resized or cropped copy)")
        }
    }
}
