import Foundation

/// Where a PostgreSQL database is: `postgres://user[:password]@host[:port]/database[?sslmode=...]`
/// (`postgresql://` too). Parsed with `URLComponents`; user names and passwords may be
/// percent-encoded. `sslmode` is `disable`, `prefer` or `require`; without it a loopback
/// host (`127.0.0.1`, `::1`, `localhost`) is `disable` and any other `prefer`.
///
/// `description` never shows the password (`postgres://user:***@host:5432/db`), so a
/// URL can go into logs and error messages.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    /// Why a URL was refused. The message names the part that is wrong, never the password.
    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    public init(host: String, port: Int = 5432, username: String, password: String?, database: String, tls: TLSMode) {
        (self.host, self.port, self.username, self.password, self.database, self.tls) =
            (host, port, username, password, database, tls)
    }

    public init(_ text: String) throws(Invalid) {
        guard let components = URLComponents(string: text) else {
            throw Invalid(description: "not a URL (expected postgres://user@host:5432/database)")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw Invalid(description: "the URL must start with postgres:// or postgresql://")
        }
        guard let host = components.host, !host.isEmpty else { throw Invalid(description: "the URL names no host") }
        guard let user = components.user, !user.isEmpty else { throw Invalid(description: "the URL names no user") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw Invalid(description: "the port must be 1...65535") }
        var path = components.path
        if path.hasPrefix("/") { path.removeFirst() }
        guard !path.isEmpty, !path.contains("/") else { throw Invalid(description: "the URL names no database (…/database)") }
        var mode: TLSMode = ["127.0.0.1", "::1", "[::1]", "localhost"].contains(host.lowercased()) ? .disable : .prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let parsed = TLSMode(rawValue: value) else {
                    throw Invalid(description: "sslmode must be disable, prefer or require")
                }
                mode = parsed
            default:
                throw Invalid(description: "unknown URL parameter \(item.name) (only sslmode is understood)")
            }
        }
        self.init(
            host: host, port: port, username: user, password: components.password, database: path, tls: mode)
    }

    /// The URL with the password replaced by `***`.
    public var description: String {
        let secret = password == nil ? "" : ":***"
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "postgres://\(username)\(secret)@\(shownHost):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }
}
