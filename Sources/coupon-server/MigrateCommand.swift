import ArgumentParser
import CommandLineEntry
import CouponPostgres
import Foundation

/// `coupon-server migrate [--data DIR | --postgres URL]`: brings the schema up to date
/// and says so. `serve` and every admin command migrate when they open the store too;
/// this runs the migrations alone (before starting instances, in a deploy step).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the database migrations (every command applies them too) and exit.",
        discussion: """
            PostgreSQL migrations run in one transaction under an advisory lock, so several \
            instances (or this command) may start at the same moment; a database newer than \
            this build is refused.
            """)

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await store.withStore { opened in
            switch opened {
            case .sqlite:
                print("the SQLite database under \(store.dataDirectory) is up to date")
            case .postgres:
                print("\(opened.name) is at schema version \(PostgresStore.schemaVersion)")
            }
        }
    }
}
