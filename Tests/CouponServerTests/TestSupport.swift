import CouponKit
import CouponReader
import CouponPostgres
import CouponServer
import CouponSQLite
import CouponStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ImageCore
import PNGCodec
import StoreTestSupport
import Testing
import TestSupport
import ImageFormats
import RobustMark

/// A test's stand-in for the fragile layer: it opens fake coupons (`FAKECOUPON` and the
/// JSON of ``FakeCoupon``) and no real one; any other picture has no fragile layer it
/// opens, and goes to the real robust layer (``CouponReader``), as a copy would.
protocol FragileLayerStandIn: CouponVerifier {
    func verifyFake(_ bytes: [UInt8], keys: KeyRing) throws(CouponFailure) -> VerifiedCoupon
}

extension FragileLayerStandIn {
    func read(_ bytes: [UInt8], keys: KeyRing, robustKeys: [RobustKey]?) throws(CouponFailure) -> PictureReading {
        if bytes.starts(with: FakeVerifier.magic) { return .original(try verifyFake(bytes, keys: keys)) }
        let failure = CouponFailure.unreadable("not a fake coupon")
        guard let decoded = try? ImageDecoder().decode(bytes) else { throw failure }
        let unmarked = UnmarkedPicture(format: decoded.format, image: decoded.image, fragileFailure: failure)
        guard let robustKeys else { return .unmarked(unmarked) }
        return .copy(try robust(unmarked, keys: robustKeys))
    }

    func robust(_ unmarked: UnmarkedPicture, keys: [RobustKey]) throws(CouponFailure) -> RobustMatch {
        try CouponReader().robust(unmarked, keys: keys)
    }

    func readOriginal(
        _ png: [UInt8], keys: KeyRing, robustKeys: [RobustKey]
    ) throws(CouponFailure) -> (coupon: VerifiedCoupon, robust: RobustMatch?) {
        (try verifyFake(png, keys: keys), nil)
    }
}

/// Stands in for the watermark pipeline in rule tests: a "coupon" is `FAKECOUPON`
/// followed by the JSON of ``FakeCoupon``. It checks the key ring like the real one
/// (unknown epoch, unknown issuer), so ring assembly is tested too.
struct FakeVerifier: FragileLayerStandIn {
    static let magic = Array("FAKECOUPON".utf8)

    func verifyFake(_ png: [UInt8], keys: KeyRing) throws(CouponFailure) -> VerifiedCoupon {
        guard png.starts(with: Self.magic),
            let fake = try? JSONDecoder().decode(FakeCoupon.self, from: Data(png.dropFirst(Self.magic.count)))
        else { throw .unreadable("not a fake coupon") }
        switch fake.failure {
        case "unreadable": throw .unreadable("no watermark")
        case "bad_seal": throw .badSeal
        default: break
        }
        guard keys.revealKey(epoch: fake.epoch) != nil else { throw .unknownEpoch(fake.epoch) }
        guard keys.issuer(id: fake.issuerId) != nil else { throw .badSignature("unknown issuer") }
        return VerifiedCoupon(terms: fake.terms, epoch: fake.epoch, tampered: fake.tampered)
    }
}

struct FakeCoupon: Codable {
    var serial = "S-\(UUID().uuidString.prefix(8))"
    var productId: String
    var rateBasisPoints: Int? = 1500
    var amount: Int64? = nil
    var currency = "EUR"
    var validFrom = Int64(Date().timeIntervalSince1970) - 3600
    var validUntil = Int64(Date().timeIntervalSince1970) + 3600
    var maxUsesTotal: Int? = nil
    var maxUsesPerMember: Int? = nil
    var issuerId: String
    var epoch: UInt32 = 1
    var tampered = false
    var failure: String? = nil
    var title = "Test coupon"

    var terms: CouponTerms {
        let discount: Discount =
            if let amount { .amount(Money(amount: amount, currency: Currency(currency)!)) } else {
                .rate(basisPoints: rateBasisPoints ?? 0)
            }
        return CouponTerms(
            serial: serial, productId: productId, title: title, discount: discount, validFrom: validFrom,
            validUntil: validUntil, maxUsesTotal: maxUsesTotal, maxUsesPerMember: maxUsesPerMember, issuerId: issuerId)
    }

    var bytes: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // the same coupon must give the same bytes
        return FakeVerifier.magic + Array(try! encoder.encode(self))
    }
    var base64: String { Data(bytes).base64EncodedString() }
}

/// A merchant registered the way `coupon-server merchant add` does it.
struct TestMerchant {
    let id: String
    let token: String
    let issuer: IssuerKey
}

struct TestMember {
    let id: String
    let token: String
}

/// One server on a temporary data directory (SQLite) or a fresh PostgreSQL database,
/// tested through the router in process.
struct TestServer {
    let directory: String
    let kind: StoreKind
    /// The store the server runs on; tests read and write it directly too.
    let store: any CouponRepository
    var configuration: ServerConfiguration

    /// The store when it is SQLite (tests of SQLite itself).
    var sqlite: SQLiteStore? { store as? SQLiteStore }

    /// On SQLite.
    init(
        verifier: (any CouponVerifier)? = FakeVerifier(), maxBodyBytes: Int = ServerConfiguration.defaultMaxBodyBytes,
        maxDrainBytes: Int = ServerConfiguration.defaultMaxDrainBytes,
        maxCouponPixels: Int = ServerConfiguration.defaultMaxCouponPixels,
        verifyQueue: Int = ServerConfiguration.defaultVerifyQueue, joinLimit: Int = 0
    ) throws {
        let directory = makeTemporaryDirectory()
        self.init(
            kind: .sqlite, directory: directory, store: try SQLiteStore(dataDirectory: directory), verifier: verifier,
            maxBodyBytes: maxBodyBytes, maxDrainBytes: maxDrainBytes, maxCouponPixels: maxCouponPixels,
            verifyQueue: verifyQueue, joinLimit: joinLimit)
    }

    /// On the store of `kind`.
    init(
        _ kind: StoreKind, verifier: (any CouponVerifier)? = FakeVerifier(),
        maxBodyBytes: Int = ServerConfiguration.defaultMaxBodyBytes, joinLimit: Int = 0
    ) async throws {
        switch kind {
        case .sqlite:
            try self.init(verifier: verifier, maxBodyBytes: maxBodyBytes, joinLimit: joinLimit)
        case .postgres:
            self.init(
                kind: .postgres, directory: makeTemporaryDirectory(), store: try await makePostgresStore(),
                verifier: verifier, maxBodyBytes: maxBodyBytes, maxDrainBytes: ServerConfiguration.defaultMaxDrainBytes,
                maxCouponPixels: ServerConfiguration.defaultMaxCouponPixels,
                verifyQueue: ServerConfiguration.defaultVerifyQueue, joinLimit: joinLimit)
        }
    }

    /// On a store the test opened itself (an older database it migrated), with the real
    /// verifier by default.
    init(_ kind: StoreKind, store: any CouponRepository, directory: String, verifier: (any CouponVerifier)? = nil) {
        self.init(
            kind: kind, directory: directory, store: store, verifier: verifier,
            maxBodyBytes: ServerConfiguration.defaultMaxBodyBytes, maxDrainBytes: ServerConfiguration.defaultMaxDrainBytes,
            maxCouponPixels: ServerConfiguration.defaultMaxCouponPixels, verifyQueue: ServerConfiguration.defaultVerifyQueue,
            joinLimit: 0)
    }

    private init(
        kind: StoreKind, directory: String, store: any CouponRepository, verifier: (any CouponVerifier)?,
        maxBodyBytes: Int, maxDrainBytes: Int, maxCouponPixels: Int, verifyQueue: Int, joinLimit: Int
    ) {
        self.kind = kind
        self.directory = directory
        self.store = store
        var configuration = ServerConfiguration(
            dataDirectory: directory, maxBodyBytes: maxBodyBytes, decodeLimits: DecodeLimits(maxPixels: maxCouponPixels),
            verifyQueue: verifyQueue, verifier: verifier, logLevel: .warning)
        configuration.maxDrainBytes = maxDrainBytes
        // `/healthz` gives the database 2 s in production; a test machine running a build
        // beside the suite took longer for SQLite's `SELECT 1`. The timeout itself has its
        // own test (HealthTests.stalledDatabaseTimesOut, 300 ms against a held lock).
        configuration.healthTimeout = .seconds(60)
        // Tests join freely (in process every request comes from one address); the limit
        // has its own tests.
        configuration.joinLimit = joinLimit
        configuration.joinLimitTotal = 0
        self.configuration = configuration
    }

    /// Runs `body` against the server in process (`.router`), or on a real socket
    /// (`.live`); then deletes the data directory and closes a PostgreSQL store's pool.
    func test<Value: Sendable>(
        _ mode: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result: Result<Value, any Error>
        do {
            let app = try buildApplication(configuration, repository: store)
            result = .success(try await app.test(mode) { client in try await body(JSONByDefault(client)) })
        } catch {
            result = .failure(error)
        }
        if let postgres = store as? PostgresStore { await postgres.shutdown() }
        return try result.get()
    }

    func addMerchant(name: String = "Shop") async throws -> TestMerchant {
        let issuer = IssuerKey()
        let token = AccessToken.generate(.merchant)
        let merchant = try await store.createMerchant(name: name, issuer: issuer.publicKey, tokenHash: token.hash, at: Date())
        return TestMerchant(id: merchant.id, token: token.value, issuer: issuer)
    }
}

extension TestServer {
    /// The same server with its clock stopped at this moment: per-minute limits then count
    /// every request of the test in one minute, however slowly a loaded machine runs it
    /// (a join limit tested across a minute's end admitted the request it refuses).
    func withFrozenClock() -> TestServer {
        var frozen = self
        let now = Date()
        frozen.configuration.clock = { now }
        return frozen
    }
}

func bearer(_ token: String) -> HTTPFields {
    [.authorization: "Bearer \(token)"]
}

func jsonBody(_ object: Any) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}

func jsonBody(_ text: String) -> ByteBuffer {
    ByteBuffer(string: text)
}

/// The response body as a JSON object.
func json(_ response: TestResponse) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
    return try #require(object as? [String: Any])
}

/// Checks a problem+json response: status, code, and the RFC 9457 members.
func expectProblem(
    _ response: TestResponse, _ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(response.status == status, "status", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
    let body = try json(response)
    #expect(body["code"] as? String == code, "code was \(body["code"] ?? "nil")", sourceLocation: sourceLocation)
    #expect(body["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
    #expect(body["type"] as? String == "https://couponmark.example/problems/\(code)", sourceLocation: sourceLocation)
    #expect(Set(body.keys) == ["type", "title", "status", "detail", "code"], sourceLocation: sourceLocation)
}

/// A test client that sends a JSON body as a real client would: with `Content-Type:
/// application/json` unless the test names a type itself (a wrong one on purpose).
/// Other bodies (pictures) go as the test wrote them. The server takes JSON bodies only as `application/json` (``JSONContentType``).
struct JSONByDefault: TestClientProtocol {
    let client: any TestClientProtocol

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    var port: Int? { client.port }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws
        -> TestResponse
    {
        var headers = headers
        if let body, headers[.contentType] == nil, let first = body.readableBytesView.first,
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        {
            headers[.contentType] = "application/json"
        }
        return try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }
}

extension TestClientProtocol {
    func join(_ email: String = "m\(UUID().uuidString.prefix(8))@example.org") async throws -> TestMember {
        let response = try await execute(
            uri: "/v1/members", method: .post,
            body: jsonBody(["kind": "individual", "name": "Test Member", "email": email]))
        #expect(response.status == .created)
        let body = try json(response)
        return TestMember(id: try #require(body["member_id"] as? String), token: try #require(body["token"] as? String))
    }

    func createProduct(_ merchant: TestMerchant, price: Int64 = 999, currency: String = "EUR") async throws -> String {
        let response = try await execute(
            uri: "/v1/merchant/products", method: .post, headers: bearer(merchant.token),
            body: jsonBody(["sku": "SKU-\(price)", "name": "Thing", "description": "A thing",
                "price": ["amount": price, "currency": currency]] as [String: Any]))
        #expect(response.status == .created)
        return try #require(try json(response)["id"] as? String)
    }

    func order(
        _ member: TestMember, product: String, quantity: Int = 1, coupon: String? = nil,
        key: String? = UUID().uuidString
    ) async throws -> TestResponse {
        var body: [String: Any] = ["product_id": product, "quantity": quantity]
        if let coupon { body["coupon_png"] = coupon }
        var headers = bearer(member.token)
        if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
        return try await execute(uri: "/v1/orders", method: .post, headers: headers, body: jsonBody(body))
    }

    func history(_ member: TestMember) async throws -> [String: Any] {
        try json(try await execute(uri: "/v1/members/me/history", method: .get, headers: bearer(member.token)))
    }
}

/// `{"amount","currency"}` -> amount.
func amount(_ value: Any?) -> Int64? {
    ((value as? [String: Any])?["amount"] as? NSNumber)?.int64Value
}
