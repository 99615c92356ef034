import ArgumentParser
import CommandLineEntry
import CouponStore
import Foundation

/// `coupon-server audit [--data DIR | --postgres URL] [--json]`: proves the books
/// (``SQLiteStore/audit()``, or the PostgreSQL store's).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check that the ledger balances and every order matches its ledger entries.",
        discussion: """
            Checks that every ledger transaction sums to zero, that every order's ledger \
            entries are its two legs (member:<id> pays -total, merchant:<id> receives +total, \
            in the order's currency), and that 0 <= discount <= list total and \
            total = list total - discount for every order. Only reads; works while the \
            server runs on the same data.

            --json prints one object: \
            {"ledger_balanced":bool,"orders":N,"ledger_entries":N,"problems":[...]}, each \
            problem {"kind","transaction_id","order_id","detail"}: kind is one of \
            transaction_unbalanced, transaction_without_order, ledger_mismatch, \
            discount_out_of_range, total_mismatch; order_id is null for a transaction \
            problem; detail says what is wrong, with amounts in minor units.

            Exit status: 0 when the ledger balances and there are no problems, 1 otherwise \
            (and for usage errors), 2 when the database cannot be opened or read.
            """)

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print the audit as one JSON object (described above).") var json = false

    func run() async throws {
        let audit: LedgerAudit = try await store.withStore { opened in
            do {
                return try await opened.audit()
            } catch {
                throw ContextualFailure("cannot audit \(opened.name)", error, exitCode: .serverFailure)
            }
        }
        print(json ? try Self.json(audit) : Self.summary(audit))
        if !audit.isClean { throw ExitCode.failure }
    }

    /// The keys in the documented order: `ledger_balanced`, `orders`, `ledger_entries`, `problems`.
    static func json(_ audit: LedgerAudit) throws -> String {
        let problems = try audit.problems.map { problem in
            let orderId = try problem.orderId.map(quoted) ?? "null"
            return "{\"kind\":\(try quoted(problem.kind.rawValue)),\"transaction_id\":\(try quoted(problem.transactionId)),"
                + "\"order_id\":\(orderId),\"detail\":\(try quoted(problem.detail))}"
        }
        return "{\"ledger_balanced\":\(audit.ledgerBalanced),\"orders\":\(audit.orders),"
            + "\"ledger_entries\":\(audit.ledgerEntries),\"problems\":[\(problems.joined(separator: ","))]}"
    }

    static func summary(_ audit: LedgerAudit) -> String {
        var lines = [
            "orders: \(audit.orders)", "ledger entries: \(audit.ledgerEntries)",
            "ledger: \(audit.ledgerBalanced ? "balanced" : "NOT balanced")",
        ]
        for problem in audit.problems {
            let subject = problem.orderId.map { "order \($0)" } ?? "transaction \(problem.transactionId)"
            lines.append("problem: \(problem.kind.rawValue): \(subject): \(problem.detail)")
        }
        lines.append(audit.isClean ? "the books prove themselves" : "\(audit.problems.count) problem(s)")
        return lines.joined(separator: "\n")
    }

    /// A JSON string literal.
    private static func quoted(_ text: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return String(decoding: try encoder.encode(text), as: UTF8.self)
    }
}
