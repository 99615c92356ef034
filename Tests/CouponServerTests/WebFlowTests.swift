import CouponKit
import CouponMinting
import CouponServer
import CouponStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import ImageCore
import PNGCodec
import StoreTestSupport
import TestSupport
import Testing

/// The shopper's and the shop's flows through the pages, in process, with real coupons on
/// both stores: reveal (clean, tampered, forged, a JPEG copy), order with the product's
/// coupon, with an uploaded copy and with a tampered picture (refused and recorded), the
/// account's lists; the shop's upload verdicts, coupon list, revocation and chart. The
/// same flows run in a real browser in WebBrowserTests.
@Suite(.timeLimit(.minutes(5))) struct WebFlowTests {
    /// The coupon with a block of its artwork painted black.
    static func tampered(_ png: [UInt8]) throws -> [UInt8] {
        var edited = try PNGDecoder().decode(png).image
        for y in 100..<160 { for x in 200..<320 { edited.bytes[edited.offset(x: x, y: y)] = 0 } }
        return try PNGEncoder().encode(edited)
    }

    static func signIn(_ web: inout WebClient, token: String) async throws {
        let form = try await web.get("/signin")
        let signedIn = try await web.post("/signin", [("csrf_token", try #require(form.formValue("csrf_token"))), ("token", token)])
        #expect(signedIn.status == .seeOther)
    }

    @Test(arguments: StoreKind.allCases) func theShoppersFlows(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        try await server.test { client in
            let shop = try await CouponCopyTests.shop(server, client: client)
            var web = WebClient(client)
            // Not a member yet: the reveal page and the order form send the browser to join.
            #expect(try await web.get("/reveal").headers[.location] == "/join?next=/reveal")
            let product = try await web.get("/products/\(shop.product)")
            #expect(product.html.contains("id=\"coupon\"") && product.html.contains("id=\"download-coupon\""))
            #expect(product.text(ofId: "price") == "9.99 EUR")
            let anonymous = try await web.postMultipart(
                "/products/\(shop.product)/order", [("csrf_token", product.formValue("csrf_token") ?? ""), ("quantity", "1")])
            #expect(anonymous.headers[.location] == "/join?next=/products/\(shop.product)")
            try await Self.signIn(&web, token: shop.member.token)

            let csrf = try #require(try await web.get("/reveal").formValue("csrf_token"))
            let clean = try await web.postMultipart("/reveal", [("csrf_token", csrf)], files: [("coupon", shop.coupon.png)])
            #expect(clean.status == .ok)
            #expect(clean.text(ofId: "discount") == "15% OFF")
            #expect(clean.html.contains("id=\"revealed\"") && clean.html.contains("src=\"data:image/png;base64,"))
            #expect(clean.text(ofId: "coupon-layer")?.contains("fragile") == true)
            #expect(clean.text(ofId: "tampered") == nil)

            let edited = try await web.postMultipart(
                "/reveal", [("csrf_token", csrf)], files: [("coupon", try Self.tampered(shop.coupon.png))])
            #expect(edited.text(ofId: "tampered") != nil && edited.html.contains("tampered"))

            let copy = try PictureCopy.jpeg(quality: 80).apply(to: shop.coupon.png)
            let named = try await web.postMultipart("/reveal", [("csrf_token", csrf)], files: [("coupon", copy)])
            #expect(named.text(ofId: "discount") == "15% OFF")
            #expect(named.text(ofId: "coupon-layer")?.contains("robust") == true)

            // A coupon signed by an issuer key this server never registered (a forgery).
            let forger = TestMerchant(id: "mer_forger", token: "", issuer: IssuerKey())
            let now = Int64(Date().timeIntervalSince1970)
            let terms = CouponTerms(
                serial: "FORGED-1", productId: shop.product, title: "Free", discount: .rate(basisPoints: 10_000),
                validFrom: now - 60, validUntil: now + 3600, maxUsesPerMember: nil, issuerId: forger.issuer.publicKey.id)
            let minter = CouponMinter(issuer: forger.issuer, revealKey: try #require(try await server.store.keyRing().newestRevealKey))
            let forged = try minter.mint(terms).png
            let refused = try await web.postMultipart("/reveal", [("csrf_token", csrf)], files: [("coupon", forged)])
            #expect(refused.html.contains("id=\"reveal-refused\""))
            #expect(refused.text(ofId: "reason-code")?.hasPrefix("coupon_") == true)
            #expect(refused.text(ofId: "discount") == nil)

            // Orders: the product's own coupon, a JPEG copy, a tampered picture.
            let page = try await web.get("/products/\(shop.product)")
            let orderCSRF = try #require(page.formValue("csrf_token"))
            let own = try await web.postMultipart(
                "/products/\(shop.product)/order",
                [("csrf_token", orderCSRF), ("quantity", "2"), ("coupon_choice", "product"), ("idempotency_key", "web-1")])
            #expect(own.status == .created)
            #expect(own.text(ofId: "list-total") == "19.98 EUR")
            #expect(own.text(ofId: "discount") == "3.00 EUR")
            #expect(own.text(ofId: "coupon-serial") == shop.coupon.terms.serial)
            // The same form sent again (its idempotency key) places nothing twice.
            let again = try await web.postMultipart(
                "/products/\(shop.product)/order",
                [("csrf_token", orderCSRF), ("quantity", "2"), ("coupon_choice", "product"), ("idempotency_key", "web-1")])
            #expect(again.html.contains("already placed"))
            let viaCopy = try await web.postMultipart(
                "/products/\(shop.product)/order",
                [("csrf_token", orderCSRF), ("quantity", "1"), ("coupon_choice", "upload"), ("idempotency_key", "web-2")],
                files: [("coupon", copy)])
            #expect(viaCopy.text(ofId: "coupon-layer")?.contains("robust") == true)
            #expect(viaCopy.html.contains("id=\"total\"><strong>8.49 EUR</strong>"))
            let bad = try await web.postMultipart(
                "/products/\(shop.product)/order",
                [("csrf_token", orderCSRF), ("quantity", "1"), ("coupon_choice", "upload"), ("idempotency_key", "web-3")],
                files: [("coupon", try Self.tampered(shop.coupon.png))])
            #expect(bad.text(ofId: "reason-code") == "coupon_tampered")
            let missing = try await web.postMultipart(
                "/products/\(shop.product)/order", [("csrf_token", orderCSRF), ("quantity", "0"), ("coupon_choice", "upload")])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text(ofId: "error-quantity") != nil && missing.text(ofId: "error-coupon") != nil)

            let account = try await web.get("/account")
            #expect(account.html.components(separatedBy: "<tr><td><time").count - 1 == 3, "two orders and one refusal")
            #expect(account.html.contains("coupon_tampered"))
            let history = try await server.store.rejections(memberId: shop.member.id)
            #expect(history.map(\.code) == ["coupon_tampered"], "the form's own mistakes are not recorded")
        }
    }

    @Test(arguments: StoreKind.allCases) func theShopsFlows(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind, verifier: nil)
        try await server.test { client in
            let shop = try await CouponCopyTests.shop(server, client: client)
            var web = WebClient(client)
            let login = try await web.get("/merchant/login")
            _ = try await web.post(
                "/merchant/login", [("csrf_token", try #require(login.formValue("csrf_token"))), ("token", shop.merchant.token)])
            let dashboard = try await web.get("/merchant")
            let csrf = try #require(dashboard.formValue("csrf_token"))
            #expect(dashboard.html.contains("svg id=\"redemptions\""))

            let badPrice = try await web.post(
                "/merchant/products", [("csrf_token", csrf), ("sku", "S1"), ("name", "Scarf"), ("price", "abc"), ("currency", "EUR")])
            #expect(badPrice.status == .unprocessableContent)
            #expect(badPrice.text(ofId: "error-price") != nil)
            let added = try await web.post(
                "/merchant/products", [("csrf_token", csrf), ("sku", "S1"), ("name", "Scarf"), ("price", "12.50"), ("currency", "eur")])
            #expect(added.status == .seeOther)
            let withProduct = try await web.get(try #require(added.headers[.location]))
            #expect(withProduct.text(ofId: "notice") == "Added Scarf (12.50 EUR).")

            // A coupon minted for the product, then one signed by another issuer.
            let fresh = try await CouponCopyTests.mint(
                shop.merchant, store: server.store, product: shop.product, discount: .amount(Money(amount: 500, currency: Currency("EUR")!)))
            let accepted = try await web.postMultipart(
                "/merchant/coupons", [("csrf_token", csrf), ("product_id", shop.product), ("title", "Five off")],
                files: [("coupon", fresh.png)])
            #expect(accepted.status == .created)
            #expect(accepted.text(ofId: "verdict-discount") == "5.00 EUR OFF")
            let other = try await server.addMerchant(name: "Other")
            let foreign = try await CouponCopyTests.mint(
                other, store: server.store, product: shop.product, discount: .rate(basisPoints: 500), robust: false)
            let refused = try await web.postMultipart(
                "/merchant/coupons", [("csrf_token", csrf), ("product_id", shop.product)], files: [("coupon", foreign.png)])
            #expect(refused.html.contains("id=\"upload-verdict\""))
            #expect(refused.text(ofId: "reason-code")?.hasPrefix("coupon_") == true)

            // An order with the coupon, then the dashboard's uses, orders and chart.
            var member = WebClient(client)
            try await Self.signIn(&member, token: shop.member.token)
            let page = try await member.get("/products/\(shop.product)")
            _ = try await member.postMultipart(
                "/products/\(shop.product)/order",
                [("csrf_token", try #require(page.formValue("csrf_token"))), ("quantity", "1"), ("coupon_choice", "upload")],
                files: [("coupon", shop.coupon.png)])
            let after = try await web.get("/merchant")
            #expect(after.html.contains(shop.coupon.terms.serial))
            #expect(after.html.contains("data-value=\"1\""), "a bar for today's order")
            #expect(after.html.contains(shop.member.id))

            let confirm = try await web.get("/merchant/coupons/\(shop.coupon.terms.serial)/revoke")
            #expect(confirm.html.contains("id=\"confirm-revoke\""))
            let revoked = try await web.post(
                "/merchant/coupons/\(shop.coupon.terms.serial)/revoke", [("csrf_token", csrf)])
            #expect(revoked.status == .seeOther)
            let list = try await web.get(try #require(revoked.headers[.location]))
            #expect(list.html.contains("revoked"))
        }
    }
}
