import Foundation
import TestSupport
import Testing

/// `kill -9` of a real `coupon-server` in the middle of a load of orders, on each store,
/// then a restart on the same data: an order is acknowledged (201) only once its
/// transaction is durable, so no acknowledged order is lost, and a client that retries
/// what was not acknowledged with the same Idempotency-Key gets each settled exactly once
/// (replayed when it had committed before the crash, settled now when it had not).
///
/// What "durable" means here: SQLite's writer syncs the WAL on every commit
/// (synchronous=FULL). The tests' PostgreSQL cluster runs with `fsync=off` and
/// `synchronous_commit=off` for speed (`PostgresCluster`), which would lose the last
/// commits if PostgreSQL itself or the machine died; what dies here is the server
/// process, and a commit PostgreSQL has answered is in its WAL buffers in shared memory,
/// which outlive any client, so the test still proves that an order is acknowledged only
/// after COMMIT has returned. (A production cluster keeps PostgreSQL's defaults, where
/// COMMIT returns after the WAL is flushed.)
@Suite(.serialized, .timeLimit(.minutes(5))) struct CrashRecoveryTests {
    /// One order a client sends: who, which product, with which coupon (base64), which key.
    struct PlannedOrder: Sendable {
        let member: Int
        let product: String
        let coupon: String?
        let key: String
    }

    /// What the clients saw.
    actor Outcomes {
        /// Every order answered 201, with its order id, by key.
        private(set) var acknowledged: [String: (order: PlannedOrder, id: String)] = [:]
        /// The orders whose request failed without an answer (the crash).
        private(set) var unanswered: [PlannedOrder] = []
        /// Any other answer ("key: status code"), which none should get.
        private(set) var unexpected: [String] = []

        func answered(_ order: PlannedOrder, _ answer: ServerProcess.Response) {
            if let id = answer.orderId {
                acknowledged[order.key] = (order, id)
            } else {
                unexpected.append("\(order.key): \(answer.status) \(answer.problemCode ?? "")")
            }
        }

        func lost(_ order: PlannedOrder) { unanswered.append(order) }
    }

    static let clients = 16
    /// Acknowledged orders before the kill.
    static let acknowledgedBeforeCrash = 32

    @Test(arguments: DemoDeployment.Store.allCases)
    func killedMidLoadKeepsEveryAcknowledgedOrderAndSettlesRetriesOnce(_ store: DemoDeployment.Store) async throws {
        let deployment = try await DemoDeployment.seeded(on: store)
        defer { deployment.remove() }
        let server = try await deployment.serve()
        defer { server.terminate() }
        let products = try await deployment.products(on: server)
        let espresso = try #require(products["ESP-1KG"])
        let course = try #require(products["COURSE-BARISTA"])
        let mug = try #require(products["MUG-TRAVEL"])
        let unlimited = try await deployment.catalogCoupon(for: espresso, on: server)
        let generous = try await deployment.mintCoupon(
            for: course, serial: "CRASH-GENEROUS", maxUsesTotal: 100_000, maxUsesPerMember: 1_000, server: server)
        let members = try await deployment.join(Self.clients, on: [server])
        func send(_ order: PlannedOrder, to server: ServerProcess) async throws -> ServerProcess.Response {
            try await members[order.member].order(on: server, product: order.product, coupon: order.coupon, key: order.key)
        }
        /// A client's orders: without a coupon, with the unlimited coupon and with the
        /// limited one, in turn.
        @Sendable func plan(client: Int, number: Int) -> PlannedOrder {
            let (product, coupon) = [(mug, nil), (espresso, unlimited), (course, generous)][number % 3]
            return PlannedOrder(member: client, product: product, coupon: coupon, key: "crash-\(client)-\(number)")
        }

        // 16 clients, each ordering until its request fails.
        let outcomes = Outcomes()
        let load = Task {
            await withTaskGroup(of: Void.self) { group in
                for client in 0..<Self.clients {
                    group.addTask {
                        for number in 0... {
                            let order = plan(client: client, number: number)
                            do {
                                await outcomes.answered(order, try await send(order, to: server))
                            } catch {
                                await outcomes.lost(order)
                                return
                            }
                        }
                    }
                }
            }
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while await outcomes.acknowledged.count < Self.acknowledgedBeforeCrash, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        await server.kill()
        await load.value

        let acknowledged = await outcomes.acknowledged
        let unanswered = await outcomes.unanswered
        let unexpected = await outcomes.unexpected
        #expect(acknowledged.count >= Self.acknowledgedBeforeCrash)
        #expect(unexpected.isEmpty, "\(unexpected)")
        #expect(unanswered.count == Self.clients, "each client stops at its first failed request")

        let restarted = try await deployment.serve()
        defer { restarted.terminate() }

        // Every acknowledged order survived.
        for (index, member) in members.enumerated() {
            let history = Set(try await member.history(on: restarted).orders)
            let mine = acknowledged.values.filter { $0.order.member == index }.map(\.id)
            #expect(history.isSuperset(of: mine), "member \(index) lost an acknowledged order")
        }
        // A retry of an acknowledged order replays it; of an unanswered one settles it, or
        // replays it when it had committed before the crash.
        var settled = acknowledged
        for order in unanswered {
            let retried = try await send(order, to: restarted)
            #expect(retried.status == 201, "\(order.key): \(retried.status) \(retried.problemCode ?? "")")
            settled[order.key] = retried.orderId.map { (order, $0) }
            let again = try await send(order, to: restarted)
            #expect(again.isReplay && again.orderId == retried.orderId)
        }
        for (order, id) in acknowledged.values {
            let retried = try await send(order, to: restarted)
            #expect(retried.isReplay && retried.orderId == id, "\(order.key)")
        }
        // Exactly once: each member's history holds one order per key it sent, no more.
        for (index, member) in members.enumerated() {
            let history = try await member.history(on: restarted).orders
            let mine = settled.values.filter { $0.order.member == index }.map(\.id)
            #expect(history.count == mine.count && Set(history) == Set(mine), "member \(index)")
        }
        let audit = try await deployment.audit()
        #expect(audit["ledger_balanced"] as? Bool == true)
        #expect(audit["orders"] as? Int == settled.count)
        #expect((audit["problems"] as? [Any])?.isEmpty == true)
        #expect(await restarted.stop() == 0)
    }
}
