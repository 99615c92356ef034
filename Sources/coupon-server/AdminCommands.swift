import ArgumentParser
import CommandLineEntry
import CouponKit
import CouponStore
import Foundation

struct MerchantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merchant", abstract: "Manage merchants (order-receiving terminals).",
        subcommands: [Add.self, RotateToken.self, RotateRobustKey.self, RetireRobustKeys.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a merchant's issuer public key and print its token (shown once).",
            discussion: "Works while the server runs on the same data (SQLite under --data, or PostgreSQL with --postgres).")

        @Option(help: "The merchant's name.") var name: String
        @Option(help: ArgumentHelp("The issuer public key (issuer.pub from `coupon keys init`).", valueName: "FILE"))
        var publicKey: String
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print {\"merchant_id\",\"token\"} as JSON.") var json = false

        func validate() throws {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--name is empty") }
        }

        func run() async throws {
            let key = try KeyFiles.readIssuerPublicKey(at: publicKey)
            let token = AccessToken.generate(.merchant)
            let merchant = try await store.withStore { opened in
                try await opened.repository.createMerchant(
                    name: name.trimmingCharacters(in: .whitespaces), issuer: key, tokenHash: token.hash, at: Date())
            }
            if json {
                try printJSON(["merchant_id": merchant.id, "token": token.value])
            } else {
                print("merchant_id: \(merchant.id)")
                print("issuer_id: \(merchant.issuerId)")
                print("token: \(token.value)")
                FileHandle.standardError.write(Data("The token is shown only once; keep it secret.\n".utf8))
            }
        }
    }
}

extension MerchantCommand {
    struct RotateToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-token",
            abstract: "Replace a merchant's token: print a new one (shown once); every old one stops working.",
            discussion: """
                Works while the server runs on the same data; the old token is refused at once.
                """)

        @Option(help: "The merchant's id (merchant_id from `merchant add`).") var merchantId: String
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print {\"merchant_id\",\"token\"} as JSON.") var json = false

        func run() async throws {
            let token = AccessToken.generate(.merchant)
            do {
                try await store.withStore { opened in
                    try await opened.repository.rotateMerchantToken(merchantId: merchantId, tokenHash: token.hash, at: Date())
                }
            } catch StoreError.merchantNotFound {
                throw CommandFailure("no merchant \(merchantId)", exitCode: .usageFailure)
            }
            if json {
                try printJSON(["merchant_id": merchantId, "token": token.value])
            } else {
                print("merchant_id: \(merchantId)")
                print("token: \(token.value)")
                FileHandle.standardError.write(Data("The token is shown only once; keep it secret.\n".utf8))
            }
        }
    }
}

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage reveal keys and the server's signing key.",
        subcommands: [Rotate.self, Retire.self, RotateServer.self])

    struct RotateServer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-server",
            abstract: "Start a new server signing key (what signs personal copies' bindings).",
            discussion: """
                The old key is retired: it signs nothing new, and the copies it signed still \
                verify (GET /v1/keys lists it as retired). A running server on the same data \
                signs with the new key within a second or two.
                """)

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let key = try await store.withStore { opened in
                _ = try await opened.repository.ensureServerKeys(at: Date())
                return try await opened.repository.rotateServerKey(at: Date())
            }
            print("server key \(key.keyId) started; earlier keys are retired and still verify what they signed")
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retire a reveal-key epoch: coupons sealed under it are refused (coupon_key_retired).",
            discussion: """
                The key stays in GET /v1/keys (marked retired) so members can still reveal old \
                coupons. The newest epoch cannot be retired: rotate first. A running server on \
                the same data refuses the epoch's coupons within a few seconds.
                """)

        @Option(help: "The epoch to retire.") var epoch: UInt32
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let retired: RetiredKey
            do {
                retired = try await store.withStore { opened in try await opened.repository.retireRevealKey(epoch: epoch, at: Date()) }
            } catch let error as StoreError {
                switch error {
                case .epochNotFound, .newestEpoch: throw CommandFailure(error.description, exitCode: .usageFailure)
                default: throw error
                }
            }
            print(
                retired.already
                    ? "reveal-key epoch \(epoch) was already retired at \(retired.retiredAt)"
                    : "reveal-key epoch \(epoch) retired; its coupons are refused from now on")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a new reveal-key epoch; older epochs still reveal.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let key = try await store.withStore { opened in
                try await opened.repository.ensureRevealKey()
                return try await opened.repository.rotateRevealKey()
            }
            print("reveal-key epoch \(key.epoch) started; new coupons should be sealed with it")
        }
    }
}

