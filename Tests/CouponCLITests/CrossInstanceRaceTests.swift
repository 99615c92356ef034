import Foundation
import TestSupport
import Testing

/// Two real `coupon-server` processes on one PostgreSQL database, the requests of each
/// race sent all at once and split over both: the limits and idempotency keys are decided
/// by the database (counter rows, `ON CONFLICT` claims), never by one instance's memory.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CrossInstanceRaceTests {
    /// `body` with two instances on a freshly seeded PostgreSQL database, both stopped
    /// afterwards.
    private static func withTwoInstances(
        _ body: (DemoDeployment, [ServerProcess]) async throws -> Void
    ) async throws {
        let deployment = try await DemoDeployment.seeded(on: .postgres)
        defer { deployment.remove() }
        async let first = deployment.serve()
        async let second = deployment.serve()
        let servers = try await [first, second]
        do {
            try await body(deployment, servers)
        } catch {
            for server in servers { server.terminate() }
            throw error
        }
        for server in servers { #expect(await server.stop() == 0) }
    }

    /// `count` requests sent at once; their answers in the order they came.
    private static func atOnce(
        _ count: Int, _ send: @escaping @Sendable (Int) async throws -> ServerProcess.Response
    ) async throws -> [ServerProcess.Response] {
        try await withThrowingTaskGroup(of: ServerProcess.Response.self) { group in
            for index in 0..<count { group.addTask { try await send(index) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// 40 members, one order each with one coupon of `max_uses_total` 1, half on each
    /// instance: one settles, 39 are `coupon_exhausted` (422) for its total limit.
    @Test func fortyMembersRacingForASingleUseCouponSettleOnce() async throws {
        try await Self.withTwoInstances { deployment, servers in
            let product = try #require(try await deployment.products(on: servers[0])["ESP-1KG"])
            let coupon = try await deployment.mintCoupon(
                for: product, serial: "RACE-ONCE", maxUsesTotal: 1, maxUsesPerMember: 1, server: servers[0])
            let members = try await deployment.join(40, on: servers)

            let answers = try await Self.atOnce(members.count) { index in
                try await members[index].order(on: servers[index % 2], product: product, coupon: coupon, key: "race-\(index)")
        }
        #expect(answers.filter { $0.status == 201 }.count == 1)
        let refused = answers.filter { $0.status != 201 }
        #expect(refused.count == 39)
        #expect(refused.allSatisfy { $0.status == 422 && $0.problemCode == "coupon_exhausted" })
        #expect(refused.allSatisfy { ($0.json["detail"] as? String)?.contains("total redemption limit") == true })

        let audit = try await deployment.audit()
        #expect(audit["ledger_balanced"] as? Bool == true)
        #expect(audit["orders"] as? Int == 1)
        }
    }

    /// 25 rounds of the race above, a new single-use coupon each round: every round
    /// settles once, and afterwards each instance still answers `/healthz` and a plain
    /// order, with no pooled connection left leased (`/metrics`). Before the store leased
    /// every statement through `withConnection`, refused settlements leaked their
    /// connections and an instance wedged within a few rounds.
    @Test func twentyFiveRacesLeaveNoConnectionLeased() async throws {
        try await Self.withTwoInstances { deployment, servers in
            let product = try #require(try await deployment.products(on: servers[0])["ESP-1KG"])
            let rounds = 25
            let coupons = try await deployment.mintCoupons(
                for: product, serials: (1...rounds).map { "RACE-ROUND-\($0)" }, maxUsesTotal: 1, maxUsesPerMember: 1,
                server: servers[0])
            let members = try await deployment.join(40, on: servers)
            for (round, coupon) in coupons.enumerated() {
                let answers = try await Self.atOnce(members.count) { index in
                    try await members[index].order(
                        on: servers[(index + round) % 2], product: product, coupon: coupon, key: "round-\(round)-\(index)")
                }
                let statuses = answers.map(\.status)
                try #require(statuses.filter { $0 == 201 }.count == 1, "round \(round + 1): \(statuses)")
                try #require(
                    answers.filter { $0.status != 201 }.allSatisfy { $0.problemCode == "coupon_exhausted" },
                    "round \(round + 1): \(answers.compactMap(\.problemCode))")
            }
            for (index, server) in servers.enumerated() {
                #expect(try await server.request("GET", "/healthz").status == 200, "instance \(index + 1)")
                let plain = try await members[index].order(on: server, product: product, coupon: nil, key: "plain")
                #expect(plain.status == 201, "instance \(index + 1)")
                let metrics = String(decoding: try await server.request("GET", "/metrics").body, as: UTF8.self)
                let leased = metrics.split(separator: "\n").first { $0.hasPrefix("couponmark_database_connections_leased ") }
                    .flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
                #expect(leased == 0, "instance \(index + 1): \(metrics)")
            }
            #expect(try await deployment.audit()["orders"] as? Int == rounds + 2)
        }
    }

    /// One member sends 20 orders at once (each its own key) with a coupon of one use per
    /// member, over both instances: one settles, 19 are refused for the member's limit and
    /// recorded in its history.
    @Test func oneMembersTwentyOrdersOfAOnePerMemberCouponSettleOnce() async throws {
        try await Self.withTwoInstances { deployment, servers in
            let product = try #require(try await deployment.products(on: servers[0])["MUG-TRAVEL"])
            let coupon = try await deployment.mintCoupon(
                for: product, serial: "RACE-PER-MEMBER", maxUsesTotal: nil, maxUsesPerMember: 1, server: servers[0])
            let member = try #require(try await deployment.join(1, on: servers).first)

            let answers = try await Self.atOnce(20) { index in
                try await member.order(on: servers[index % 2], product: product, coupon: coupon, key: "mine-\(index)")
        }
        let settled = answers.compactMap(\.orderId)
        #expect(settled.count == 1)
        let refused = answers.filter { $0.status != 201 }
        #expect(refused.count == 19)
        #expect(refused.allSatisfy { $0.status == 422 && $0.problemCode == "coupon_exhausted" })
        #expect(refused.allSatisfy { ($0.json["detail"] as? String)?.contains("for this member") == true })

        let history = try await member.history(on: servers[1])
        #expect(history.orders == settled)
        #expect(history.refusals == Array(repeating: "coupon_exhausted", count: 19))
        }
    }

    /// One Idempotency-Key sent 12 times at once with the same order, over both instances:
    /// one order exists; every answer is 201 with its id, all but one replays.
    @Test func oneIdempotencyKeyTwelveTimesAtOnceIsOneOrder() async throws {
        try await Self.withTwoInstances { deployment, servers in
            let product = try #require(try await deployment.products(on: servers[0])["ESP-1KG"])
            let coupon = try await deployment.catalogCoupon(for: product, on: servers[0])
            let member = try #require(try await deployment.join(1, on: servers).first)

            let answers = try await Self.atOnce(12) { index in
                try await member.order(on: servers[index % 2], product: product, coupon: coupon, key: "same-key")
        }
        #expect(answers.allSatisfy { $0.status == 201 }, "\(answers.map(\.status))")
        let ids = Set(answers.compactMap(\.orderId))
        #expect(ids.count == 1)
        #expect(answers.filter { !$0.isReplay }.count == 1)
        #expect(try await member.history(on: servers[0]).orders == Array(ids))
        let audit = try await deployment.audit()
        #expect(audit["orders"] as? Int == 1)
        }
    }
}
