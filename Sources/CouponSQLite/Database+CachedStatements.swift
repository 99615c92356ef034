import CouponStore
import GRDB

// The request path runs the same few statements for every order. GRDB's `sql:` methods
// compile each one anew, and compiling runs GRDB's statement authorizer and region
// bookkeeping: under order load that was most of the database threads' CPU. These
// variants go through the connection's statement cache (compiled once per connection,
// then rebound). Only for statements that are read to the end before the next use of
// the same SQL on the same connection, which every caller here does.

extension Database {
    func executeCached(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension Row {
    static func fetchOne(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments())
        throws -> Row?
    {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchAll(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments())
        throws -> [Row]
    {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension DatabaseValueConvertible where Self: StatementColumnConvertible {
    static func fetchOne(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments())
        throws -> Self?
    {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}
