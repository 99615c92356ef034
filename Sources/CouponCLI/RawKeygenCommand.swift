import ArgumentParser

/// What tells the two raw layers' keygen commands apart: nothing but their name and wording,
/// since both write the same kind of ``RawKeyFile``.
protocol RawKeygenNaming {
    /// The subcommand's name under `coupon watermark`.
    static var commandName: String { get }
    /// What the help calls the key.
    static var keyName: String { get }
}

/// `coupon watermark keygen --out KEYFILE` (``FragileKeygen``) and `coupon watermark
/// robust-keygen --out KEYFILE` (``RobustKeygen``): a new ``RawKeyFile``.
struct RawKeygenCommand<Naming: RawKeygenNaming>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: Naming.commandName, abstract: "Write a new \(Naming.keyName): 32 random bytes, base64, mode 0600.")
    }

    @Option(help: "Where to write the key (refuses to overwrite).") var out: String

    func run() async throws {
        try RawKeyFile.create(at: out)
    }
}

/// The fragile (coupon watermark) layer's keygen.
enum FragileKeygen: RawKeygenNaming {
    static let commandName = "keygen"
    static let keyName = "watermark key"
}

/// The robust layer's keygen.
enum RobustKeygen: RawKeygenNaming {
    static let commandName = "robust-keygen"
    static let keyName = "robust-layer key"
}
