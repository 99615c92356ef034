import CouponKit
import Testing

@Suite struct TermsFileTests {
    @Test func fragileOnlyIsAYesOrNoColumn() throws {
        let csv = """
            product_id,title,kind,value,currency,valid_from,valid_until,fragile_only
            p1,A,rate,100,,2026-12-01,2027-01-31,true
            p1,B,rate,100,,2026-12-01,2027-01-31,
            p1,C,rate,100,,2026-12-01,2027-01-31,0
            p1,D,rate,100,,2026-12-01,2027-01-31,maybe
            """
        let rows = try TermsFile.parse(csv)
        #expect(try rows[0].get().terms.fragileOnly)
        #expect(try !rows[1].get().terms.fragileOnly)
        #expect(try !rows[2].get().terms.fragileOnly)
        guard case .failure(let error) = rows[3] else {
            Issue.record("fragile_only = maybe should fail")
            return
        }
        #expect("\(error)".contains("fragile_only must be true or false"))
        let json = try TermsFile.parse(#"[{"product_id":"p","title":"J","kind":"rate","value":5,"valid_from":"2026-12-01","valid_until":"2026-12-02","fragile_only":true}]"#)
        #expect(try json[0].get().terms.fragileOnly)
    }

    @Test func csvWithGoodAndBadRows() throws {
        let csv = """
            product_id,title,kind,value,currency,valid_from,valid_until,serial,max_uses_total,max_uses_per_member
            p1,"Spring, 15% off",rate,1500,EUR,2026-12-01,2027-01-31,S-1,100,
            p2,Five off,amount,500,EUR,2026-12-01T09:00:00Z,2027-01-31T18:00:00Z,S-2,,0
            p3,Broken,rate,20000,EUR,2026-12-01,2027-01-31,S-3,,
            p4,No currency,amount,500,,2026-12-01,2027-01-31,,,
            p5,Backwards,rate,100,EUR,2027-12-01,2027-01-31,,,
            """
        let rows = try TermsFile.parse(csv)
        #expect(rows.count == 5)
        let first = try rows[0].get().terms
        #expect(first.title == "Spring, 15% off")
        #expect(first.discount == .rate(basisPoints: 1500))
        #expect(first.validFrom == 1_796_083_200)  // 2026-12-01T00:00:00Z (date -u -d 2026-12-01 +%s)
        #expect(first.validUntil == 1_801_439_999)  // 2027-01-31T23:59:59Z
        #expect(first.maxUsesTotal == 100 && first.maxUsesPerMember == 1)
        let second = try rows[1].get().terms
        #expect(second.discount == .amount(Money(amount: 500, currency: Currency("EUR")!)))
        #expect(second.validFrom == 1_796_115_600)
        #expect(second.maxUsesTotal == nil && second.maxUsesPerMember == nil)
        for (index, phrase) in [(2, "basis points"), (3, "currency"), (4, "before")] {
            guard case .failure(let error) = rows[index] else {
                Issue.record("row \(index + 1) should fail")
                continue
            }
            #expect(error.number == index + 1)
            #expect(error.description.contains(phrase), "\(error)")
        }
    }

    @Test func jsonArrayWithNumbersAndGeneratedSerials() throws {
        let json = """
            [{"product_id":"p1","title":"A","kind":"rate","value":1000,"currency":"EUR",
              "valid_from":"2026-12-01","valid_until":"2026-12-31"},
             {"product_id":"p1","title":"B","kind":"rate","value":1000,"currency":"EUR",
              "valid_from":"2026-12-01","valid_until":"2026-12-31"},
             "not an object"]
            """
        let rows = try TermsFile.parse(json)
        let a = try rows[0].get().terms
        let b = try rows[1].get().terms
        #expect(a.serial != b.serial)
        #expect(CouponTerms.isValidSerial(a.serial))
        guard case .failure(let error) = rows[2] else {
            Issue.record("a string is not a row")
            return
        }
        #expect(error.number == 3)
    }

    @Test func duplicateSerialsAndEmptyFiles() throws {
        let csv = "product_id,title,kind,value,currency,valid_from,valid_until,serial\n"
            + "p,T,rate,1,EUR,2026-01-01,2026-02-01,X\np,T,rate,1,EUR,2026-01-01,2026-02-01,X\n"
        let rows = try TermsFile.parse(csv)
        #expect((try? rows[0].get()) != nil)
        #expect((try? rows[1].get()) == nil)
        #expect(throws: TermsFile.FileError.self) { try TermsFile.parse("  \n") }
        #expect(throws: TermsFile.FileError.self) { try TermsFile.parse("[1, 2") }
    }
}
