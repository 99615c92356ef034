import ArgumentParser
import Foundation

/// `--server URL`, shared by every command that talks to the marketing server.
/// Default: the saved profile's server, else http://127.0.0.1:8080.
struct ServerOptions: ParsableArguments {
    @Option(help: "The marketing server (default: the saved profile's, else http://127.0.0.1:8080).")
    var server: String?

    func validate() throws {
        if let server {
            guard let url = URL(string: server), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil
            else { throw ValidationError("--server must be an http(s) URL, not \(server)") }
        }
    }

    func client(profile: Profile = Profile(), authenticated: Bool = true) throws(CommandFailure) -> APIClient {
        let saved = try profile.savedSession()
        let base = server ?? saved?.server ?? "http://127.0.0.1:8080"
        guard let url = URL(string: base.hasSuffix("/") ? base : base + "/") else {
            throw CommandFailure("bad server URL \(base)", exitCode: ExitStatus.usage)
        }
        return APIClient(baseURL: url, token: authenticated ? saved?.token : nil)
    }
}
