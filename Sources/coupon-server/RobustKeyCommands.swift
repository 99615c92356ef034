import ArgumentParser
import CommandLineEntry
import CouponStore
import Foundation

/// The admin commands over a merchant's robust-layer keys (``MerchantRobustKey``). Keys
/// are never printed: the merchant fetches its current one with `coupon merchant login`
/// (`GET /v1/keys`), so it never passes through a terminal, a log or a shell history.
extension MerchantCommand {
    struct RotateRobustKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-robust-key",
            abstract: "Give a merchant a new current robust-layer key; copies minted under its older keys are still read.",
            discussion: """
                The merchant runs `coupon merchant login` again to mint with the new key. Older keys \
                stay readable until `merchant retire-robust-keys`; a merchant has at most \
                \(MerchantRobustKeys.readableLimit) readable keys (each one is a detection search on \
                every order with a copy), so rotating beyond that is refused: retire first. Works \
                while the server runs on the same data.
                """)

        @Option(help: "The merchant's id (merchant_id from `merchant add`).") var merchantId: String
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print {\"merchant_id\",\"generation\",\"readable_keys\"} as JSON (never the key).") var json = false

        func run() async throws {
            let (generation, readable) = try await robustKeyAdmin(merchantId: merchantId) {
                try await store.withStore { opened in
                    let key = try await opened.repository.rotateRobustKey(merchantId: merchantId, at: Date())
                    return (key.generation, try await opened.repository.robustKeys(merchantId: merchantId).filter(\.readable).count)
                }
            }
            if json {
                try printJSONDocument(Rotated(merchantId: merchantId, generation: generation, readableKeys: readable))
            } else {
                print("merchant \(merchantId): robust key generation \(generation) is now current (\(readable) readable)")
                FileHandle.standardError.write(
                    Data("The merchant should run `coupon merchant login` again so that `coupon mint` uses it.\n".utf8))
            }
        }
    }

    struct RetireRobustKeys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retire-robust-keys",
            abstract: "Stop reading copies under every robust key of a merchant but its current one.",
            discussion: """
                Copies (JPEG, WebP, resized, cropped) of coupons minted under a retired key are no \
                longer recognised; their original PNGs still are. On a database migrated from the \
                server's old shared key this also retires that key for the merchant, after which no \
                other merchant can forge copies of its old coupons. A running server on the same data \
                stops reading them at once.
                """)

        @Option(help: "The merchant's id (merchant_id from `merchant add`).") var merchantId: String
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print {\"merchant_id\",\"retired_generations\"} as JSON.") var json = false

        func run() async throws {
            let retired = try await robustKeyAdmin(merchantId: merchantId) {
                try await store.withStore { opened in
                    try await opened.repository.retireRobustKeys(merchantId: merchantId, at: Date())
                }
            }
            let generations = retired.map(\.generation)
            if json {
                try printJSONDocument(Retired(merchantId: merchantId, retiredGenerations: generations))
            } else if generations.isEmpty {
                print("merchant \(merchantId): no robust key to retire (only the current one is readable)")
            } else {
                print(
                    "merchant \(merchantId): robust key generation(s) \(generations.map(String.init).joined(separator: ", ")) "
                        + "retired; copies are read only under the current key from now on")
            }
        }
    }
}

/// `rotate-robust-key --json`.
private struct Rotated: Encodable {
    let merchantId: String
    let generation: Int
    let readableKeys: Int

    enum CodingKeys: String, CodingKey {
        case merchantId = "merchant_id", generation, readableKeys = "readable_keys"
    }
}

/// `retire-robust-keys --json`.
private struct Retired: Encodable {
    let merchantId: String
    let retiredGenerations: [Int]

    enum CodingKeys: String, CodingKey {
        case merchantId = "merchant_id", retiredGenerations = "retired_generations"
    }
}

/// One JSON document on stdout, as ``printJSON(_:)`` writes it.
private func printJSONDocument(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Runs an admin step over a merchant's robust keys, with the store's refusals as
/// usage failures (exit 1) and a clear message.
private func robustKeyAdmin<Value>(merchantId: String, _ body: () async throws -> Value) async throws -> Value {
    do {
        return try await body()
    } catch let error as StoreError {
        switch error {
        case .merchantNotFound: throw CommandFailure("no merchant \(merchantId)", exitCode: .usageFailure)
        case .tooManyRobustKeys: throw CommandFailure(error.description, exitCode: .usageFailure)
        default: throw error
        }
    }
}
