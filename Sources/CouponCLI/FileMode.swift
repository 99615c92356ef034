import ArgumentParser
import Foundation

/// The permission bits of a file the CLI writes, as `--mode` takes them: octal, such as
/// `600` (the default: owner only) or `0644` (everyone may read). Only the nine
/// permission bits: no set-user-id, set-group-id or sticky bit.
struct FileMode: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    let rawValue: mode_t

    /// Owner read and write: 0600.
    static let owner = FileMode(rawValue: 0o600)

    init(rawValue: mode_t) {
        self.rawValue = rawValue
    }

    init?(argument: String) {
        guard (1...4).contains(argument.count), argument.allSatisfy({ ("0"..."7").contains($0) }),
            let value = mode_t(argument, radix: 8), value <= 0o777
        else { return nil }
        rawValue = value
    }

    var description: String { "0" + String(rawValue, radix: 8) }
}
