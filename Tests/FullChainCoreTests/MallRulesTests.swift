import FullChainCore
import Testing

/// The points mall's pure rules: what an item may be, coupon codes as people and scanners send
/// them, and the ledger entries of taking and redeeming a coupon.
@Suite("Mall rules")
struct MallRulesTests {
    static func input(
        name: String? = "满20减5元券", kind: String? = "coupon", price: Int64? = 150, face: Int64? = 500, stock: Int64? = 10, limit: Int64? = 2,
        from: Int64? = 1_000, until: Int64? = 2_000, days: Int64? = 7
    ) -> MallItemInput {
        MallItemInput(
            name: name, kind: kind, pricePoints: price, faceValueFen: face, stock: stock, perPersonLimit: limit, availableFrom: from,
            availableUntil: until, validDays: days)
    }

    @Test func soundItemsPassAndEveryBrokenRuleIsNamed() throws {
        let draft = try Self.input().validated()
        #expect(draft.kind == .coupon && draft.pricePoints == 150 && draft.perPersonLimit == 2 && draft.validDays == 7)
        #expect(draft.isAvailable(at: 1_000) && draft.isAvailable(at: 1_999) && !draft.isAvailable(at: 2_000) && !draft.isAvailable(at: 999))
        #expect(draft.couponExpiry(takenAt: 0) == 7 * 86_400_000)
        // Defaults: no face value, one each, 30 days.
        let plain = try Self.input(face: nil, limit: nil, days: nil).validated()
        #expect(plain.faceValueFen == 0 && plain.perPersonLimit == 1 && plain.validDays == 30)

        let broken: [(MallItemInput, String)] = [
            (Self.input(name: " "), "name"), (Self.input(kind: "points"), "kind"), (Self.input(price: 0), "pricePoints"),
            (Self.input(price: Int64.max), "pricePoints"), (Self.input(face: -1), "faceValueFen"), (Self.input(stock: 0), "stock"),
            (Self.input(stock: Int64.max), "stock"), (Self.input(limit: 0), "perPersonLimit"), (Self.input(until: 1_000), "availableUntil"),
            (Self.input(from: -5), "availableFrom"), (Self.input(days: 0), "validDays"), (Self.input(days: 10_000), "validDays"),
        ]
        for (input, field) in broken {
            #expect(throws: ValidationError.self) { try input.validated() }
            do {
                _ = try input.validated()
            } catch {
                #expect(error.errors.contains { $0.field == field }, "\(field): \(error.errors)")
            }
        }
    }

    @Test func couponCodesSurviveBeingTypedScannedOrReadAloud() {
        var random = SeededRandom(seed: 7)
        let code = CouponCode.make(using: &random)
        #expect(code.count == 12 && code.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
        #expect(CouponCode.make(using: &random) != code)
        #expect(CouponCode.grouped("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN")
        // Dashes, spaces, lower case, I/L/O for 1/1/0, and the link its QR holds.
        #expect(CouponCode.parse("abcd-efgh-jkmn") == "ABCDEFGHJKMN")
        #expect(CouponCode.parse("ABCD EFGH JKMN") == "ABCDEFGHJKMN")
        #expect(CouponCode.parse("OIL0-0000-0000") == "0110-0000-0000".replacing("-", with: ""))
        #expect(CouponCode.parse("https://fc.example.cn/coupons/redeem?code=ABCDEFGHJKMN") == "ABCDEFGHJKMN")
        #expect(CouponCode.parse("https://fc.example.cn/coupons/redeem?code=abcd-efgh-jkmn&x=1") == "ABCDEFGHJKMN")
        #expect(CouponCode.parse("https://fc.example.cn/coupons/ABCDEFGHJKMN") == "ABCDEFGHJKMN")
        for bad in ["", "ABCDEFGHJKM", "ABCDEFGHJKMNP", "ABCDEFGHJKMU", "<script>", String(repeating: "A", count: 10_000)] {
            #expect(CouponCode.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func takingAndRedeemingBookBalancedEntries() throws {
        let coupon = Coupon(
            id: 9, itemID: 3, itemName: "券", kind: .coupon, code: "ABCDEFGHJKMN", wallet: "w1", pricePoints: 150, faceValueFen: 500, takenAt: 0,
            expiresAt: 10)
        let taken = try coupon.takenEntry(tenantID: 1)
        #expect(taken.key == "mall:1:9")
        #expect(
            Set(taken.postings.map { "\($0.account.code)/\($0.asset.rawValue)/\($0.amount)" }) == [
                "consumer:w1/points/-150", "mall:points/points/150", "brand:funding/fen/-500", "mall:coupons/fen/500",
            ])
        let redeemed = try coupon.redeemedEntry(tenantID: 1, storeID: 4)
        #expect(redeemed.key == "coupon:1:9" && redeemed.postings.contains { $0.account == .storeWallet(storeID: 4) && $0.amount == 500 })
        // A gift without face value moves only points.
        var gift = coupon
        gift.faceValueFen = 0
        #expect(try gift.takenEntry(tenantID: 1).postings.count == 2)
        // Cash goes to the consumer's own wallet, whence its payout takes it.
        var cash = coupon
        cash.kind = .cash
        #expect(try cash.takenEntry(tenantID: 1).postings.contains { $0.account == .consumerWallet("w1") && $0.asset == .fen && $0.amount == 500 })
        #expect(throws: ValidationError.self) { try Self.input(kind: "cash", face: 50).validated() }
        #expect(try Self.input(kind: "cash", face: 188).validated().kind == .cash)
        #expect(coupon.status(at: 9) == .valid && coupon.status(at: 10) == .expired)
        var used = coupon
        used.redeemedAt = 5
        #expect(used.status(at: 100) == .redeemed)
    }
}
