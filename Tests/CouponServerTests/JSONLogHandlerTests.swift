import CouponServer
import Foundation
import Logging
import Synchronization
import Testing

/// `serve --log-format json`'s handler: one parseable JSON object per entry, on one line.
@Suite struct JSONLogHandlerTests {
    /// The lines a handler wrote.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    func logger(_ lines: Lines) -> Logger {
        var logger = Logger(label: "coupon-server") { JSONLogHandler(label: $0, write: lines.append) }
        logger.logLevel = .debug
        return logger
    }

    func object(_ line: String) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(parsed as? [String: Any])
    }

    @Test func oneObjectPerLineWithFieldsAndMetadata() throws {
        let lines = Lines()
        var logger = logger(lines)
        logger[metadataKey: "hb.request.id"] = "req-1"
        logger.info("Request", metadata: ["hb.request.method": "GET", "count": .stringConvertible(3)])
        logger.debug("second")
        logger.trace("not logged")
        #expect(lines.all.count == 2)
        for line in lines.all {
            #expect(line.hasSuffix("}\n"))
            #expect(line.dropLast().firstIndex(of: "\n") == nil)
        }
        let first = try object(lines.all[0])
        #expect(first["level"] as? String == "info")
        #expect(first["label"] as? String == "coupon-server")
        #expect(first["message"] as? String == "Request")
        #expect(first["hb.request.id"] as? String == "req-1")
        #expect(first["hb.request.method"] as? String == "GET")
        #expect(first["count"] as? String == "3")
        let timestamp = try #require(first["timestamp"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(timestamp)")
        #expect(try object(lines.all[1])["hb.request.id"] as? String == "req-1")
    }

    /// Quotes, backslashes, newlines and other control characters in messages, keys and
    /// values are escaped: the line stays one line and parses back to the same text.
    @Test func escapesEverythingThatCouldBreakTheLine() throws {
        let lines = Lines()
        let nasty = "a \"quoted\" \\ back\nslash\r\t\u{01}\u{1F}\u{7F} é 🎟"
        logger(lines).error(
            "\(nasty)", metadata: ["key\n\"x\"": .string(nasty), "list": .array([.string(nasty), "b"]),
                "nested": .dictionary(["inner": .string("v"), "deeper": .dictionary(["leaf": "w"])])])
        let line = try #require(lines.all.first)
        #expect(line.dropLast().firstIndex(of: "\n") == nil)
        #expect(line.unicodeScalars.dropLast().allSatisfy { $0.value >= 0x20 && $0.value != 0x7F })
        let object = try object(line)
        #expect(object["message"] as? String == nasty)
        #expect(object["key\n\"x\""] as? String == nasty)
        #expect(object["list"] as? [String] == [nasty, "b"])
        #expect(object["nested.inner"] as? String == "v")
        #expect(object["nested.deeper.leaf"] as? String == "w")
    }

    /// Metadata named like a fixed field cannot replace it.
    @Test func metadataCannotOverwriteTheFixedFields() throws {
        let lines = Lines()
        logger(lines).warning("real", metadata: ["message": "fake", "level": "critical"])
        let object = try object(try #require(lines.all.first))
        #expect(object["message"] as? String == "real")
        #expect(object["level"] as? String == "warning")
        #expect(object["metadata.message"] as? String == "fake")
        #expect(object["metadata.level"] as? String == "critical")
    }
}
