import Foundation
import TestSupport

/// The demo data (`coupon-server seed-demo`) on SQLite or on a fresh database of the
/// tests' PostgreSQL cluster, and what live tests do with it through the real binaries:
/// serve it (one instance or several), mint coupons with chosen limits as the demo
/// merchant, join members, order, read histories and audit the books.
///
/// Nothing here waits without bound: commands run with a deadline (300 s,
/// ``ServerProcess/admin(_:deadline:)`` and ``CLIRunner``'s default), a server start waits
/// 30 s for its port, a request 60 s, and every suite using it has a `.timeLimit`.
struct DemoDeployment: Sendable {
    enum Store: String, CaseIterable, Sendable, CustomStringConvertible {
        case sqlite, postgres
        var description: String { rawValue }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The temporary folder: `data/` (the SQLite database or, with PostgreSQL, the demo
    /// keys), the merchant's `coupon` profile and minted coupons. ``remove()`` deletes it.
    let directory: URL
    /// `--data DIR`, or `--postgres URL --data DIR`: the same store for every command.
    let storeArguments: [String]

    private var data: String { directory.appendingPathComponent("data").path }

    /// A new folder (and PostgreSQL database) with the demo seeded by the binary.
    static func seeded(on store: Store) async throws -> DemoDeployment {
        let directory = try TestFiles.temporaryDirectory()
        var arguments = ["--data", directory.appendingPathComponent("data").path]
        if store == .postgres {
            // Leases wait 60 s here, not the production 5 s: on two loaded cores opening a
            // connection to a fresh database has taken longer than that.
            arguments =
                ["--postgres", try await PostgresCluster.shared().createDatabase(), "--postgres-lease-timeout", "60"]
                + arguments
        }
        let deployment = DemoDeployment(directory: directory, storeArguments: arguments)
        try await deployment.admin(["seed-demo"])
        return deployment
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// `coupon-server serve` on this store (joins unlimited: tests join many members from
    /// one address, quickly).
    func serve(_ extra: [String] = []) async throws -> ServerProcess {
        try await ServerProcess.start(storeArguments + ["--join-limit", "0", "--join-limit-total", "0"] + extra)
    }

    /// A `coupon-server` admin command on this store; throws unless it exits 0.
    @discardableResult
    func admin(_ arguments: [String]) async throws -> ProcessRunner.Result {
        let result = try await LiveServer.admin(arguments + storeArguments)
        guard result.status == 0 else {
            throw Failure(description: "coupon-server \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return result
    }

    /// `coupon-server audit --json`: exit status 0 and the report, or a failure.
    func audit() async throws -> [String: Any] {
        let result = try await admin(["audit", "--json"])
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    /// The catalog's product ids by SKU.
    func products(on server: ServerProcess) async throws -> [String: String] {
        let listed = try await server.request("GET", "/v1/products")
        let products = listed.json["products"] as? [[String: Any]] ?? []
        return Dictionary(
            uniqueKeysWithValues: products.compactMap { product in
                (product["sku"] as? String).flatMap { sku in (product["id"] as? String).map { (sku, $0) } }
            })
    }

    /// The coupon the catalog hands out for `product`, base64 as an order carries it.
    func catalogCoupon(for product: String, on server: ServerProcess) async throws -> String {
        let fetched = try await server.request("GET", "/v1/products/\(product)/coupon")
        guard fetched.status == 200 else { throw Failure(description: "no coupon for \(product): \(fetched.status)") }
        return fetched.body.base64EncodedString()
    }

    /// A coupon for `product` minted now by the demo merchant with `coupon mint` (its
    /// issuer key from `seed-demo`, the reveal key fetched from `server` by `coupon
    /// merchant login`), base64 as an order carries it: a 10 % rate, valid for decades,
    /// at most `maxUsesTotal` uses (nil: unlimited) and `maxUsesPerMember` per member
    /// (0: unlimited). Orders need no upload: the server judges the coupon itself.
    func mintCoupon(
        for product: String, serial: String, maxUsesTotal: Int?, maxUsesPerMember: Int, server: ServerProcess
    ) async throws -> String {
        try await mintCoupons(
            for: product, serials: [serial], maxUsesTotal: maxUsesTotal, maxUsesPerMember: maxUsesPerMember,
            server: server)[0]
    }

    /// ``mintCoupon(for:serial:maxUsesTotal:maxUsesPerMember:server:)`` for several
    /// serials in one `coupon mint` run, in the order of `serials`.
    func mintCoupons(
        for product: String, serials: [String], maxUsesTotal: Int?, maxUsesPerMember: Int, server: ServerProcess
    ) async throws -> [String] {
        let home = ["COUPON_HOME": directory.appendingPathComponent("merchant").path]
        let token = try String(contentsOfFile: data + "/demo/merchant.token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let terms = directory.appendingPathComponent("\(serials[0])-\(serials.count).csv")
        let rows = serials.map { serial in
            "\(product),Test deal,rate,1000,,2020-01-01,2099-12-31,\(serial),\(maxUsesTotal.map(String.init) ?? ""),\(maxUsesPerMember)"
        }
        try (["product_id,title,kind,value,currency,valid_from,valid_until,serial,max_uses_total,max_uses_per_member"]
            + rows).joined(separator: "\n").write(to: terms, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("minted").path
        for arguments in [
            ["merchant", "login", "--token", token, "--server", server.url],
            ["mint", "--terms", terms.path, "--out", out, "--issuer-key", data + "/demo/issuer.key"],
        ] {
            let result = try await CLIRunner.run(arguments, environment: home)
            guard result.status == 0 else { throw Failure(description: "coupon \(arguments[0]): \(result.stderr)") }
        }
        return try serials.map { serial in
            try Data(contentsOf: URL(fileURLWithPath: out + "/\(serial).png")).base64EncodedString()
        }
    }

    /// `count` new members, joined on the servers in turn.
    func join(_ count: Int, on servers: [ServerProcess]) async throws -> [LiveMember] {
        var members: [LiveMember] = []
        for index in 0..<count {
            let body = #"{"kind":"individual","name":"Member \#(index)","email":"member\#(index)@example.org"}"#
            let joined = try await servers[index % servers.count].request("POST", "/v1/members", body: body)
            guard joined.status == 201, let token = joined.json["token"] as? String else {
                throw Failure(description: "join answered \(joined.status)")
            }
            members.append(LiveMember(token: token))
        }
        return members
    }
}

/// A member of a live deployment: its orders and its history, over HTTP.
struct LiveMember: Sendable {
    let token: String

    /// `POST /v1/orders` of one `product` with the base64 `coupon`, if any, under `key`.
    func order(on server: ServerProcess, product: String, coupon: String?, key: String) async throws
        -> ServerProcess.Response
    {
        var body: [String: Any] = ["product_id": product, "quantity": 1]
        if let coupon { body["coupon_png"] = coupon }
        return try await server.send(
            "POST", "/v1/orders", body: try JSONSerialization.data(withJSONObject: body),
            headers: ["Authorization": "Bearer \(token)", "Idempotency-Key": key])
    }

    /// The whole history, every page: order ids and refusal codes, oldest first.
    func history(on server: ServerProcess) async throws -> (orders: [String], refusals: [String]) {
        var (orders, refusals): ([String], [String]) = ([], [])
        var cursor: String?
        repeat {
            let page = try await server.request(
                "GET", "/v1/members/me/history?limit=500" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
            guard page.status == 200 else { throw DemoDeployment.Failure(description: "history answered \(page.status)") }
            let json = page.json
            orders += (json["orders"] as? [[String: Any]] ?? []).compactMap { $0["order_id"] as? String }
            refusals += (json["rejections"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            cursor = json["next_cursor"] as? String
        } while cursor != nil
        return (orders, refusals)
    }
}

extension ServerProcess.Response {
    /// A settled order's id (201), or nil.
    var orderId: String? { status == 201 ? json["order_id"] as? String : nil }
    /// A problem's `code`, or nil.
    var problemCode: String? { json["code"] as? String }
    /// `Idempotent-Replayed: true`: the stored answer to an earlier request.
    var isReplay: Bool { headers["idempotent-replayed"] == "true" }
}
