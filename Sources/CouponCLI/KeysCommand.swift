import ArgumentParser
import CouponKit
import Foundation

/// `coupon keys …`: the issuer's and the watermark's key material.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create issuer and reveal keys.",
        subcommands: [KeysInitCommand.self]
    )
}

/// `coupon keys init --out DIR`.
struct KeysInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a new Ed25519 issuer key pair and a reveal key (epoch 1).",
        discussion: """
            Writes DIR/issuer.key (private, mode 0600), DIR/issuer.pub and DIR/reveal.key \
            (mode 0600). Refuses to overwrite any of them. Give issuer.pub to the marketing \
            server (coupon-server merchant add --public-key); keep issuer.key to yourself.
            """
    )

    @Option(help: "Directory for the key files (created if missing).")
    var out: String

    func run() async throws {
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("cannot create \(out): \(Files.reason(error))", exitCode: ExitStatus.usage)
        }
        let paths = ["issuer.key", "issuer.pub", "reveal.key"].map {
            URL(fileURLWithPath: out, isDirectory: true).appendingPathComponent($0).path
        }
        if let existing = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw CommandFailure("\(existing) already exists; not overwriting keys", exitCode: ExitStatus.usage)
        }
        let issuer = IssuerKey()
        let reveal = RevealKey(epoch: 1)
        try KeyFiles.write(issuer.base64 + "\n", to: paths[0], mode: 0o600, overwrite: false)
        try KeyFiles.write(issuer.publicKey.base64 + "\n", to: paths[1], mode: 0o644, overwrite: false)
        try KeyFiles.write(KeyFiles.revealKeyJSON(reveal), to: paths[2], mode: 0o600, overwrite: false)
        print("issuer \(issuer.publicKey.id)")
        print("wrote \(paths.joined(separator: ", "))")
    }
}
