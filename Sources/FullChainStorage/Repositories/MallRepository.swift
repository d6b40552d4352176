public import FullChainCore

/// How taking a mall item went.
public enum MallTakeOutcome: Sendable, Equatable {
    case taken(Coupon)
    /// None left.
    case outOfStock
    /// The consumer took as many as the item allows one person.
    case limitReached
    /// The wallet holds fewer points than the price.
    case notEnoughPoints
    /// Not listed now (before its start or after its end), or no such item.
    case unavailable
    /// Cash goes only to a consumer WeChat confirmed.
    case needsWeChat
}

/// How a store's redemption of a coupon went.
public enum CouponRedeemOutcome: Sendable, Equatable {
    case redeemed(Coupon)
    /// Redeemed before (where and when the coupon says).
    case alreadyRedeemed(Coupon)
    case expired(Coupon)
}

/// One change of a consumer's points, for their history.
public struct PointsMovement: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// Won by a scan's draw.
        case won
        /// Won on a device or phone before sign-in, claimed since.
        case claimed
        /// Spent in the mall.
        case spent
        case other
    }
    public var at: Int64
    public var amount: Int64
    public var reason: Reason

    /// The reason a ledger entry's key tells.
    static func reason(ofKey key: String) -> Reason {
        if key.hasPrefix("draw:") { return .won }
        if key.hasPrefix("claim:") { return .claimed }
        if key.hasPrefix("mall:") { return .spent }
        return .other
    }
}

/// The points mall: items HQ lists, coupons consumers take with their points, and their
/// redemption at stores; each step books the ledger in the same transaction.
public protocol MallRepository: Sendable {
    func create(_ draft: MallItemDraft, at now: Int64, tenantID: Int64) async throws(StorageError) -> MallItem
    /// The brand's items, newest first (at most `limit`).
    func items(limit: Int, tenantID: Int64) async throws(StorageError) -> [MallItem]
    func item(id: Int64, tenantID: Int64) async throws(StorageError) -> MallItem?
    /// Takes one of the item for the wallet: stock, the per-person limit and the points are all
    /// checked by the writes themselves, so concurrent takers (on any number of servers) cannot
    /// take more than there is. `code` is the new coupon's code; cash is queued as a payout to
    /// `recipient` (the sealed openid), and is refused without one.
    func take(
        itemID: Int64, wallet: String, code: String, recipient: String?, at now: Int64, tenantID: Int64
    ) async throws(StorageError)
        -> MallTakeOutcome
    /// The wallet's coupons, newest first.
    func coupons(wallet: String, limit: Int, tenantID: Int64) async throws(StorageError) -> [Coupon]
    func coupon(code: String, tenantID: Int64) async throws(StorageError) -> Coupon?
    /// The wallet's newest `limit` points movements.
    func pointsHistory(wallet: String, limit: Int, tenantID: Int64) async throws(StorageError) -> [PointsMovement]
    /// Redeems the coupon at the store, once whichever store asks first; its face value goes to the store's wallet.
    func redeem(code: String, storeID: Int64, at now: Int64, tenantID: Int64) async throws(StorageError) -> CouponRedeemOutcome?
}

struct SQLMallRepository: MallRepository {
    let db: any SQLDatabase

    private static let itemColumns: SQLStatement =
        "id, name, kind, price_points, face_value_fen, stock, stock_left, per_person_limit, available_from, available_until, valid_days, created_at"

    private static func item(_ row: SQLRow) throws(StorageError) -> MallItem {
        guard let kind = MallItemKind(rawValue: try row.string("kind")) else { throw .corruptRow("mall item kind") }
        let draft = MallItemDraft(
            name: try row.string("name"), kind: kind, pricePoints: try row.int("price_points"), faceValueFen: try row.int("face_value_fen"),
            stock: try row.int("stock"), perPersonLimit: Int(try row.int("per_person_limit")), availableFrom: try row.int("available_from"),
            availableUntil: try row.int("available_until"), validDays: Int(try row.int("valid_days")))
        return MallItem(id: try row.int("id"), draft: draft, stockLeft: try row.int("stock_left"), createdAt: try row.int("created_at"))
    }

    private static let couponColumns: SQLStatement = """
        c.id, c.item_id, i.name, i.kind, c.code, c.wallet, c.price_points, c.face_value_fen, c.taken_at, c.expires_at, c.store_id, c.redeemed_at
        """

    private static func coupon(_ row: SQLRow) throws(StorageError) -> Coupon {
        guard let kind = MallItemKind(rawValue: try row.string("kind")) else { throw .corruptRow("mall item kind") }
        return Coupon(
            id: try row.int("id"), itemID: try row.int("item_id"), itemName: try row.string("name"), kind: kind, code: try row.string("code"),
            wallet: try row.string("wallet"), pricePoints: try row.int("price_points"), faceValueFen: try row.int("face_value_fen"),
            takenAt: try row.int("taken_at"), expiresAt: try row.int("expires_at"), storeID: row.optionalInt("store_id"),
            redeemedAt: row.optionalInt("redeemed_at"))
    }

    func create(_ draft: MallItemDraft, at now: Int64, tenantID: Int64) async throws(StorageError) -> MallItem {
        let id = try await db.allocateIDs("mall_items", tenantID: tenantID)
        let d = draft
        try await db.execute(
            """
            INSERT INTO mall_items (tenant_id, id, name, kind, price_points, face_value_fen, stock, stock_left, per_person_limit,
                available_from, available_until, valid_days, created_at)
            VALUES (\(tenantID), \(id), \(d.name), \(d.kind.rawValue), \(d.pricePoints), \(d.faceValueFen), \(d.stock), \(d.stock),
                \(Int64(d.perPersonLimit)), \(d.availableFrom), \(d.availableUntil), \(Int64(d.validDays)), \(now))
            """)
        return MallItem(id: id, draft: draft, stockLeft: draft.stock, createdAt: now)
    }

    func items(limit: Int, tenantID: Int64) async throws(StorageError) -> [MallItem] {
        var items: [MallItem] = []
        for row in try await db.read(
            """
            SELECT \(Self.itemColumns) FROM mall_items WHERE tenant_id = \(tenantID) ORDER BY id DESC LIMIT \(Int64(max(1, min(limit, 500))))
            """)
        {
            items.append(try Self.item(row))
        }
        return items
    }

    func item(id: Int64, tenantID: Int64) async throws(StorageError) -> MallItem? {
        try await db.read("SELECT \(Self.itemColumns) FROM mall_items WHERE tenant_id = \(tenantID) AND id = \(id)").first.map {
            (row: SQLRow) throws(StorageError) in try Self.item(row)
        }
    }

    func take(
        itemID: Int64, wallet: String, code: String, recipient: String?, at now: Int64, tenantID: Int64
    ) async throws(StorageError)
        -> MallTakeOutcome
    {
        guard let item = try await item(id: itemID, tenantID: tenantID), item.draft.isAvailable(at: now) else { return .unavailable }
        let d = item.draft
        let cash = d.kind == .cash
        if cash && recipient == nil { return .needsWeChat }
        let id = try await db.allocateIDs("coupons", tenantID: tenantID)
        // Cash is paid, not shown at a store: its coupon is spent the moment it is taken.
        let coupon = Coupon(
            id: id, itemID: item.id, itemName: d.name, kind: d.kind, code: code, wallet: wallet, pricePoints: d.pricePoints,
            faceValueFen: d.faceValueFen, takenAt: now, expiresAt: d.couponExpiry(takenAt: now), redeemedAt: cash ? now : nil)
        let entry: LedgerEntry
        do {
            entry = try coupon.takenEntry(tenantID: tenantID)
        } catch {
            throw .corruptRow("mall item \(item.id): \(error)")
        }
        let entryID = try await db.allocateIDs("ledger_entries", tenantID: tenantID)
        var steps = [
            // The item's row is taken first: concurrent takers of one item queue on it.
            SQLStep(
                """
                UPDATE mall_items SET stock_left = stock_left - 1
                WHERE tenant_id = \(tenantID) AND id = \(item.id) AND stock_left > 0 AND available_from <= \(now) AND available_until > \(now)
                RETURNING stock_left
                """, requireRow: .exhausted(Self.stockGone)),
            SQLStep(
                """
                INSERT INTO mall_holdings (tenant_id, item_id, wallet, taken) VALUES (\(tenantID), \(item.id), \(wallet), 1)
                ON CONFLICT (tenant_id, item_id, wallet) DO UPDATE SET taken = mall_holdings.taken + 1
                WHERE mall_holdings.taken < \(Int64(d.perPersonLimit))
                RETURNING taken
                """, requireRow: .exhausted(Self.limitReached)),
            SQLStep(
                """
                INSERT INTO coupons (tenant_id, id, item_id, code, wallet, price_points, face_value_fen, taken_at, expires_at, redeemed_at)
                VALUES (\(tenantID), \(id), \(item.id), \(code), \(wallet), \(d.pricePoints), \(d.faceValueFen), \(now), \(coupon.expiresAt),
                    \(coupon.redeemedAt))
                """),
            LedgerSteps.entry(entry, id: entryID, tenantID: tenantID, at: now),
        ]
        steps += LedgerSteps.postings(of: entry.postings, entryID: entryID, tenantID: tenantID)
        if cash, let recipient {
            // Campaign 0: the mall's, whose rejected payouts go back to the brand's funding.
            steps.append(
                SQLStep(
                    """
                    INSERT INTO payouts (tenant_id, id, campaign_id, wallet, recipient, amount_fen, status, next_attempt_at, created_at, updated_at)
                    VALUES (\(tenantID), \(entryID), 0, \(wallet), \(recipient), \(d.faceValueFen), \(PayoutStatus.queued.rawValue), \(now), \(now), \(now))
                    """))
        }
        do {
            _ = try await db.transaction(steps)
        } catch .exhausted(let what) where what == Self.stockGone {
            return .outOfStock
        } catch .exhausted(let what) where what == Self.limitReached {
            return .limitReached
        } catch .floorReached(let account) where account == LedgerAccount.consumerWallet(wallet).code {
            return .notEnoughPoints
        }
        return .taken(coupon)
    }

    private static let stockGone = "mall_items.stock_left"
    private static let limitReached = "mall_holdings.taken"

    func coupons(wallet: String, limit: Int, tenantID: Int64) async throws(StorageError) -> [Coupon] {
        var coupons: [Coupon] = []
        for row in try await db.read(
            """
            SELECT \(Self.couponColumns) FROM coupons c JOIN mall_items i ON i.tenant_id = c.tenant_id AND i.id = c.item_id
            WHERE c.tenant_id = \(tenantID) AND c.wallet = \(wallet) ORDER BY c.taken_at DESC, c.id DESC LIMIT \(Int64(max(1, min(limit, 500))))
            """)
        {
            coupons.append(try Self.coupon(row))
        }
        return coupons
    }

    func coupon(code: String, tenantID: Int64) async throws(StorageError) -> Coupon? {
        try await db.read(
            """
            SELECT \(Self.couponColumns) FROM coupons c JOIN mall_items i ON i.tenant_id = c.tenant_id AND i.id = c.item_id
            WHERE c.tenant_id = \(tenantID) AND c.code = \(code)
            """
        ).first.map { (row: SQLRow) throws(StorageError) in try Self.coupon(row) }
    }

    func redeem(code: String, storeID: Int64, at now: Int64, tenantID: Int64) async throws(StorageError) -> CouponRedeemOutcome? {
        guard let coupon = try await coupon(code: code, tenantID: tenantID) else { return nil }
        guard coupon.redeemedAt == nil else { return .alreadyRedeemed(coupon) }
        guard coupon.status(at: now) == .valid else { return .expired(coupon) }
        let entryID = try await db.allocateIDs("ledger_entries", tenantID: tenantID)
        let entry: LedgerEntry? =
            if coupon.faceValueFen > 0 {
                try Self.ledgerEntry { () throws(LedgerEntry.Problem) in try coupon.redeemedEntry(tenantID: tenantID, storeID: storeID) }
            } else { nil }
        let done = try await db.transaction(named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
            switch done.phase {
            case 0:
                // Two stores at once: the first update wins, the other finds the coupon redeemed.
                return [
                    SQLStep(
                        """
                        UPDATE coupons SET store_id = \(storeID), redeemed_at = \(now)
                        WHERE tenant_id = \(tenantID) AND id = \(coupon.id) AND redeemed_at IS NULL AND expires_at > \(now)
                        RETURNING id
                        """, name: "redeemed")
                ]
            case 1 where !done["redeemed"].isEmpty:
                guard let entry else { return [] }
                return [LedgerSteps.entry(entry, id: entryID, tenantID: tenantID, at: now)]
                    + LedgerSteps.postings(of: entry.postings, entryID: entryID, tenantID: tenantID)
            default:
                return []
            }
        })
        if !done["redeemed"].isEmpty {
            var redeemed = coupon
            redeemed.storeID = storeID
            redeemed.redeemedAt = now
            return .redeemed(redeemed)
        }
        guard let after = try await self.coupon(code: code, tenantID: tenantID) else { return nil }
        return after.redeemedAt != nil ? .alreadyRedeemed(after) : .expired(after)
    }

    func pointsHistory(wallet: String, limit: Int, tenantID: Int64) async throws(StorageError) -> [PointsMovement] {
        var lines: [PointsMovement] = []
        for row in try await db.read(
            """
            SELECT e.idempotency_key, e.created_at, p.amount FROM ledger_postings p
            JOIN ledger_entries e ON e.tenant_id = p.tenant_id AND e.id = p.entry_id
            WHERE p.tenant_id = \(tenantID) AND p.account_code = \(LedgerAccount.consumerWallet(wallet).code) AND p.asset = 'points'
            ORDER BY e.created_at DESC, e.id DESC LIMIT \(Int64(max(1, min(limit, 500))))
            """)
        {
            lines.append(
                PointsMovement(
                    at: try row.int("created_at"), amount: try row.int("amount"),
                    reason: PointsMovement.reason(ofKey: try row.string("idempotency_key"))))
        }
        return lines
    }

    private static func ledgerEntry(_ make: () throws(LedgerEntry.Problem) -> LedgerEntry) throws(StorageError) -> LedgerEntry {
        do {
            return try make()
        } catch {
            throw .corruptRow("coupon entry: \(error)")
        }
    }
}
