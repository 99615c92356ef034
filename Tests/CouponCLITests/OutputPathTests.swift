import Foundation
import TestSupport
import Testing

/// Every command that writes a file, given the path as a user types it: one letter
/// (swift-corelibs-foundation's `NSString` path methods trapped on those: an illegal
/// instruction), relative, absolute, and with a trailing slash (a directory's spelling,
/// which a file command refuses with a message). What they write for the user alone
/// (coupons, revealed coupons, keys, payloads) is 0600 unless `--mode` says otherwise.
@Suite struct OutputPathTests {
    enum Shape: String, CaseIterable, CustomStringConvertible {
        case oneLetter, relative, absolute, trailingSlash
        var description: String { rawValue }

        /// The path as typed, run from `directory` (which holds a folder `sub`).
        func path(_ name: String, in directory: URL) -> String {
            switch self {
            case .oneLetter: name
            case .relative: "sub/" + name
            case .absolute: directory.appendingPathComponent(name).path
            case .trailingSlash: name + "/"
            }
        }
    }

    /// A working folder with keys, a coupon and a picture to work on.
    struct Workshop {
        let directory: URL
        let keys: String
        let coupon: String
        let picture: String

        static func make() async throws -> Workshop {
            let directory = try TestFiles.temporaryDirectory()
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
            let keys = directory.appendingPathComponent("keys").path
            #expect(try await CLIRunner.run(["keys", "init", "--out", keys]).status == 0)
            let terms = directory.appendingPathComponent("terms.csv")
            try """
                product_id,title,kind,value,currency,valid_from,valid_until,serial
                prod_a,Deal,rate,1500,,2026-01-01,2099-01-01,PATH-1
                """.write(to: terms, atomically: true, encoding: .utf8)
            let minted = directory.appendingPathComponent("minted").path
            let mint = try await CLIRunner.run([
                "mint", "--terms", terms.path, "--out", minted, "--issuer-key", keys + "/issuer.key", "--reveal-key",
                keys + "/reveal.key",
            ])
            #expect(mint.status == 0, "\(mint.stderr)")
            return Workshop(
                directory: directory, keys: keys, coupon: minted + "/PATH-1.png",
                picture: CLIRunner.fixture("art/sample-art.png"))
        }

        func run(_ arguments: [String]) async throws -> CLIRunner.Result {
            try await CLIRunner.run(arguments, in: directory)
        }

        /// Where `path` (as typed in ``directory``) lands.
        func resolved(_ path: String) -> String {
            path.hasPrefix("/") ? path : directory.appendingPathComponent(path).path
        }

        func mode(_ path: String) throws -> Int? {
            try FileManager.default.attributesOfItem(atPath: resolved(path))[.posixPermissions] as? Int
        }
    }

    /// The file-writing commands, each with the output path in its place.
    static func commands(_ shop: Workshop, out: String) -> [(String, [String])] {
        let watermarkKey = shop.directory.appendingPathComponent("wm.key").path
        let robustKey = shop.directory.appendingPathComponent("robust.key").path
        let payload = shop.directory.appendingPathComponent("payload.bin").path
        let marked = shop.directory.appendingPathComponent("marked.png").path
        return [
            ("watermark keygen", ["watermark", "keygen", "--out", out]),
            ("watermark robust-keygen", ["watermark", "robust-keygen", "--out", out]),
            ("reveal --out", ["reveal", shop.coupon, "--reveal-key", shop.keys + "/reveal.key", "--issuer-pub", shop.keys + "/issuer.pub", "--out", out]),
            ("watermark embed", ["watermark", "embed", "--key", watermarkKey, "--payload", payload, shop.picture, out]),
            ("watermark extract --out", ["watermark", "extract", "--key", watermarkKey, marked, "--out", out]),
            ("watermark robust-embed", ["watermark", "robust-embed", "--key", robustKey, "--id", "0123456789abcdef", shop.picture, out]),
        ]
    }

    @Test(arguments: Shape.allCases) func fileCommandsTakeEveryPathShape(_ shape: Shape) async throws {
        let shop = try await Workshop.make()
        defer { try? FileManager.default.removeItem(at: shop.directory) }
        let watermarkKey = shop.directory.appendingPathComponent("wm.key").path
        await #expect(try shop.run(["watermark", "keygen", "--out", watermarkKey]).status == 0)
        await #expect(try shop.run(["watermark", "robust-keygen", "--out", shop.directory.appendingPathComponent("robust.key").path]).status == 0)
        try Data("hidden".utf8).write(to: shop.directory.appendingPathComponent("payload.bin"))
        let payload = shop.directory.appendingPathComponent("payload.bin").path
        let marked = shop.directory.appendingPathComponent("marked.png").path
        await #expect(try shop.run(["watermark", "embed", "--key", watermarkKey, "--payload", payload, shop.picture, marked]).status == 0)

        for index in Self.commands(shop, out: "").indices {
            let out = shape.path("o\(index)", in: shop.directory)
            let (name, arguments) = Self.commands(shop, out: out)[index]
            let result = try await shop.run(arguments)
            if shape == .trailingSlash {
                #expect(result.status == 1, "\(name) \(out): \(result.status) \(result.stderr)")
                #expect(!result.stderr.isEmpty, "\(name): a message")
                #expect(!FileManager.default.fileExists(atPath: shop.resolved(String(out.dropLast()))), "\(name) wrote nothing")
            } else {
                #expect(result.status == 0, "\(name) \(out): \(result.stderr)")
                #expect(try shop.mode(out) == 0o600, "\(name) \(out)")
            }
        }
    }

    /// Folder outputs (`keys init`, `mint`) take every shape, a trailing slash included.
    @Test(arguments: Shape.allCases) func folderCommandsTakeEveryPathShape(_ shape: Shape) async throws {
        let shop = try await Workshop.make()
        defer { try? FileManager.default.removeItem(at: shop.directory) }
        let keys = shape.path("k", in: shop.directory)
        let made = try await shop.run(["keys", "init", "--out", keys])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try shop.mode(keys + (keys.hasSuffix("/") ? "" : "/") + "issuer.key") == 0o600)
        let terms = shop.directory.appendingPathComponent("terms.csv").path
        let out = shape.path("m", in: shop.directory)
        let minted = try await shop.run([
            "mint", "--terms", terms, "--out", out, "--issuer-key", shop.keys + "/issuer.key", "--reveal-key",
            shop.keys + "/reveal.key",
        ])
        #expect(minted.status == 0, "\(minted.stderr)")
        #expect(try shop.mode(out + (out.hasSuffix("/") ? "" : "/") + "PATH-1.png") == 0o600, "a coupon is a bearer instrument")
    }

    @Test func modeSharesWhatTheUserChooses() async throws {
        let shop = try await Workshop.make()
        defer { try? FileManager.default.removeItem(at: shop.directory) }
        let terms = shop.directory.appendingPathComponent("terms.csv").path
        let shared = try await shop.run([
            "mint", "--terms", terms, "--out", "public", "--issuer-key", shop.keys + "/issuer.key", "--reveal-key",
            shop.keys + "/reveal.key", "--mode", "644",
        ])
        #expect(shared.status == 0, "\(shared.stderr)")
        #expect(try shop.mode("public/PATH-1.png") == 0o644)
        let revealed = try await shop.run([
            "reveal", shop.coupon, "--reveal-key", shop.keys + "/reveal.key", "--issuer-pub", shop.keys + "/issuer.pub",
            "--out", "r.png", "--mode", "0640",
        ])
        #expect(revealed.status == 0, "\(revealed.stderr)")
        #expect(try shop.mode("r.png") == 0o640)
        for bad in ["999", "rw-r--r--", "4755", ""] {
            let refused = try await shop.run([
                "mint", "--terms", terms, "--out", "x", "--issuer-key", shop.keys + "/issuer.key", "--reveal-key",
                shop.keys + "/reveal.key", "--mode", bad,
            ])
            #expect(refused.status != 0 && refused.status < 128, "\(bad): \(refused.status)")
            #expect(!FileManager.default.fileExists(atPath: shop.resolved("x/PATH-1.png")), "\(bad): nothing minted")
        }
    }
}
