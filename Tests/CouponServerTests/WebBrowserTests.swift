import CouponKit
import CouponMinting
import Foundation
import ImageCore
import PNGCodec
import RobustMark
import StoreTestSupport
import TestSupport
import Testing

/// The HTML pages in a real browser: a real `coupon-server` (on SQLite; on PostgreSQL two
/// instances on one database) seeded with the demo, and `tools/browser/web_flows.py`
/// driving headless Chromium through every shopper and shop flow, with axe-core on every
/// page state at 375 and 1280 px. The script's screenshots and `results.json` stay in
/// `<build folder>/web-browser-tests/<store>/` (printed), for a person to look at.
///
/// Skipped when Chromium, chromedriver, Selenium or axe-selenium-python is missing
/// (`tools/setup` installs them), except under CI (`CI=true`), where that fails.
@Suite(
    .serialized, .timeLimit(.minutes(10)),
    .enabled(
        if: WebBrowser.missing.isEmpty || WebBrowser.isCI,
        "needs chromium, chromium-driver, python3-selenium and axe-selenium-python: run tools/setup"))
struct WebBrowserTests {
    /// How long the whole script may run (it bounds each of its own waits: 10 s per
    /// element, 20 s per page load).
    static let scriptDeadline: TimeInterval = 300

    @Test(arguments: StoreKind.allCases) func everyPageFlowPassesInHeadlessChromium(_ kind: StoreKind) async throws {
        let missing = WebBrowser.missing
        try #require(missing.isEmpty, "CI=true, but the browser tests cannot run without \(missing.joined(separator: ", ")) (tools/setup installs them)")

        let out = WebBrowser.outputRoot.appendingPathComponent(kind.rawValue)
        try? FileManager.default.removeItem(at: out)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        print("WebBrowserTests[\(kind.rawValue)]: screenshots and results.json in \(out.path)")
        let data = out.appendingPathComponent("data").path
        defer { try? FileManager.default.removeItem(atPath: data) }

        var storeArguments = ["--data", data]
        if kind == .postgres {
            storeArguments += ["--postgres", try await PostgresCluster.shared().createDatabase()]
        }
        let seed = try await ProcessRunner.run(ServerProcess.executable, ["seed-demo"] + storeArguments, deadline: 120)
        try #require(seed.status == 0, "seed-demo: \(seed.stderr)")

        var servers: [ServerProcess] = []
        defer { for server in servers { server.terminate() } }
        servers.append(try await ServerProcess.start(storeArguments))
        if kind == .postgres {
            servers.append(try await ServerProcess.start(storeArguments))
        }

        var config = try await WebFixtures.make(server: servers[0], data: data, out: out)
        if servers.count > 1 { config["base_url_2"] = servers[1].url }
        // The pages are the same HTML on either store: axe, the screenshots and the 375 px
        // checks run on SQLite; PostgreSQL runs every flow (across two instances).
        config["audit_pages"] = kind == .sqlite
        let configFile = out.appendingPathComponent("config.json")
        try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys]).write(to: configFile)

        let started = ContinuousClock.now
        let run = try await ProcessRunner.run(
            URL(fileURLWithPath: WebBrowser.python),
            [TestFiles.repositoryRoot.appendingPathComponent("tools/browser/web_flows.py").path, configFile.path],
            deadline: Self.scriptDeadline, in: TestFiles.repositoryRoot)
        let elapsed = ContinuousClock.now - started
        try? Data((run.stdout + "\n--- stderr ---\n" + run.stderr).utf8).write(to: out.appendingPathComponent("web_flows.log"))
        for (index, server) in servers.enumerated() {
            try? Data(server.log.utf8).write(to: out.appendingPathComponent("server-\(index + 1).log"))
        }
        let summary = run.stdout.split(separator: "\n").last.map(String.init) ?? "(no output)"
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("WebBrowserTests[\(kind.rawValue)]: \(summary) (\(String(format: "%.1f", seconds)) s in all)")

        #expect(!run.timedOut, "web_flows.py ran past its \(Int(Self.scriptDeadline)) s deadline")
        #expect(
            run.status == 0,
            """
            web_flows.py exited \(run.status) (\(kind.rawValue)); failed flows:
            \(WebBrowser.failures(in: out, stdout: run.stdout, stderr: run.stderr))
            output in \(out.path)
            """)
        for server in servers {
            #expect(await server.stop() == 0, "a server did not stop gracefully:\n\(server.log.suffix(2000))")
        }
    }
}

/// Where the browser and its Python are, and what is missing.
enum WebBrowser {
    static let environment = ProcessInfo.processInfo.environment

    static var isCI: Bool { environment["CI"] == "true" }

    /// tools/setup's virtual environment (tools/browser/venv-path says the same).
    static var venv: String {
        if let venv = environment["COUPONMARK_BROWSER_VENV"], !venv.isEmpty { return venv }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/root") + "/.cache"
        return cache + "/couponmark/browser-venv"
    }

    static var python: String { venv + "/bin/python3" }

    /// The output of every run: beside the test bundle, in the build folder.
    static var outputRoot: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("web-browser-tests")
    }

    /// What the script needs and this machine lacks (by file: no process is started).
    static var missing: [String] {
        let files = FileManager.default
        var missing: [String] = []
        if !["/usr/lib/chromium/chromium", "/usr/bin/chromium"].contains(where: files.isExecutableFile(atPath:)) {
            missing.append("chromium")
        }
        if onPath("chromedriver") == nil { missing.append("chromedriver (chromium-driver)") }
        if !files.fileExists(atPath: "/usr/lib/python3/dist-packages/selenium/__init__.py") {
            missing.append("selenium (python3-selenium)")
        }
        if !files.isExecutableFile(atPath: python) || sitePackages(containing: "axe_selenium_python") == nil {
            missing.append("axe-selenium-python (in \(venv))")
        }
        return missing
    }

    private static func onPath(_ name: String) -> String? {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map { "\($0)/\(name)" } + ["/usr/bin/\(name)"])
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func sitePackages(containing package: String) -> String? {
        let lib = venv + "/lib"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []
        return versions.map { "\(lib)/\($0)/site-packages/\(package)" }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The failed flows from results.json, or the script's own last words without one.
    static func failures(in out: URL, stdout: String, stderr: String) -> String {
        guard let data = try? Data(contentsOf: out.appendingPathComponent("results.json")),
            let results = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let flows = results["flows"] as? [[String: Any]]
        else {
            return "no results.json; stdout:\n\(stdout.suffix(3000))\nstderr:\n\(stderr.suffix(3000))"
        }
        var lines = flows.filter { $0["passed"] as? Bool != true }.map {
            "- \($0["name"] as? String ?? "?"): \($0["message"] as? String ?? "")"
        }
        if let error = results["error"] as? String { lines.append("- the browser: \(error)") }
        return lines.isEmpty ? "(none recorded; stdout:\n\(stdout.suffix(2000)))" : lines.joined(separator: "\n")
    }
}

/// The files and expectations web_flows.py takes, made from a freshly seeded demo through
/// the JSON API and the demo's issuer key: the espresso coupon (the demo's one without use
/// limits, so a member orders with it more than once), a copy of it painted over, a JPEG
/// copy, a new coupon of the demo merchant for the upload, and a forged one.
enum WebFixtures {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func make(server: ServerProcess, data: String, out: URL) async throws -> [String: Any] {
        let token = try String(contentsOfFile: data + "/demo/merchant.token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let catalogue = try await server.request("GET", "/v1/products")
        let products = catalogue.json["products"] as? [[String: Any]] ?? []
        guard let product = products.first(where: { $0["sku"] as? String == "ESP-1KG" }),
            let productId = product["id"] as? String, let name = product["name"] as? String,
            let priceObject = product["price"] as? [String: Any],
            let cents = (priceObject["amount"] as? NSNumber)?.int64Value,
            let currency = (priceObject["currency"] as? String).flatMap(Currency.init)
        else { throw Failure(description: "no ESP-1KG product in the demo: \(catalogue.status)") }
        let price = Money(amount: cents, currency: currency)

        let coupon = try await server.request("GET", "/v1/products/\(productId)/coupon")
        guard coupon.status == 200 else { throw Failure(description: "GET the espresso coupon: \(coupon.status)") }
        let clean = [UInt8](coupon.body)

        let keys = try await server.request("GET", "/v1/keys", token: token)
        guard keys.status == 200, let ring = try JSONDecoder().decode(KeysDocument.self, from: keys.body).keyRing,
            let revealKey = ring.newestRevealKey,
            let robustKey = (keys.json["robust_key"] as? String).flatMap({ RobustKey(base64: $0) })
        else { throw Failure(description: "GET /v1/keys as the demo merchant: \(keys.status)") }
        let revealer = CouponRevealer(keys: ring)
        let revealed = try revealer.reveal(png: clean)

        // The price panel painted over, as in the README's example: still revealed, tampered.
        var image = try PNGDecoder().decode(clean, as: .rgb8).image
        for y in 230..<290 { for x in 100..<220 { image[x: x, y: y] = [250, 250, 250] } }
        let tampered = try PNGEncoder().encode(image)
        guard try revealer.reveal(png: tampered).tampered else { throw Failure(description: "the painted copy is not tampered") }
        let jpeg = try PictureCopy.jpeg(quality: 85).apply(to: clean)

        let issuer = try KeyFiles.readIssuerKey(at: data + "/demo/issuer.key")
        let now = Int64(Date().timeIntervalSince1970)
        func terms(_ serial: String, _ issuerId: String) -> CouponTerms {
            CouponTerms(
                serial: serial, productId: productId, title: "Browser test deal", discount: .rate(basisPoints: 1000),
                validFrom: now - 86_400, validUntil: now + 30 * 86_400, maxUsesPerMember: nil, issuerId: issuerId)
        }
        var minter = CouponMinter(issuer: issuer, revealKey: revealKey)
        minter.robustKey = robustKey
        let upload = try minter.mint(terms("WEB-\(UUID().uuidString.prefix(8))", issuer.publicKey.id), productName: name)
        // Sealed with the server's reveal key (members hold it) but signed by nobody it knows.
        let stranger = IssuerKey()
        let forged = try CouponMinter(issuer: stranger, revealKey: revealKey)
            .mint(terms("FORGED-\(UUID().uuidString.prefix(8))", stranger.publicKey.id), productName: name)

        let quantity = 2
        let listTotal = try price.times(quantity)
        let discount = try revealed.terms.discount.apply(to: listTotal)
        let total = Money(amount: listTotal.amount - discount.amount, currency: listTotal.currency)

        let fixtures = out.appendingPathComponent("fixtures")
        try FileManager.default.createDirectory(at: fixtures, withIntermediateDirectories: true)
        var files: [String: String] = [:]
        for (key, name, bytes) in [
            ("clean_png", "clean.png", clean), ("tampered_png", "tampered.png", tampered),
            ("forged_png", "forged.png", forged.png), ("jpeg_copy", "copy.jpg", jpeg),
            ("good_upload_png", "upload.png", upload.png), ("refused_upload_png", "refused-upload.png", forged.png),
        ] {
            let file = fixtures.appendingPathComponent(name)
            try Data(bytes).write(to: file)
            files[key] = file.path
        }
        return [
            "base_url": server.url, "merchant_token": token, "product_id": productId, "out_dir": out.path,
            "files": files,
            "expect": [
                "product_name": name, "price": price.description,
                "discount_text": revealed.terms.discount.headline, "coupon_serial": revealed.terms.serial,
                "order_quantity": quantity, "list_total": listTotal.description,
                "order_discount": discount.description, "total": total.description,
                "upload_title": upload.terms.title, "upload_serial": upload.terms.serial,
                "upload_discount_text": upload.terms.discount.headline,
            ] as [String: Any],
        ]
    }
}
