import FullChainCore

extension SQLJourneyRepository {
    func stores(of profileIDs: [Int64], tenantID: Int64) async throws(StorageError) -> [Int64: JourneyStore] {
        var found: [Int64: JourneyStore] = [:]
        for start in stride(from: 0, to: profileIDs.count, by: 1_000) {
            let ids = SQLStatement.join(profileIDs[start..<min(start + 1_000, profileIDs.count)].map { "\($0)" }, separator: ", ")
            for row in try await db.read(
                """
                SELECT p.id, s.id AS store_id, s.org_path, s.salesperson_node_id FROM consumer_profiles p
                JOIN stores s ON s.tenant_id = p.tenant_id AND s.id = p.store_id
                WHERE p.tenant_id = \(tenantID) AND p.id IN (\(ids))
                """)
            {
                found[try row.int("id")] = JourneyStore(
                    storeID: try row.int("store_id"), orgPath: try row.string("org_path"), salespersonNodeID: row.optionalInt("salesperson_node_id"))
            }
        }
        return found
    }

    func grant(
        _ grant: JourneyGrant, to entry: JourneyEntry, step: Int, next: Int?, dueAt: Int64, at now: Int64, tenantID: Int64
    ) async throws(StorageError) -> JourneyOutcome? {
        let sequence =
            switch grant {
            case .coupon: "coupons"
            case .task: "store_alerts"
            case .notice: "store_notices"
            }
        let id = try await db.allocateIDs(sequence, tenantID: tenantID)
        let writes = Self.writes(of: grant, id: id, entry: entry, step: step, at: now, tenantID: tenantID)
        let action = SQLStep(
            """
            INSERT INTO journey_actions (tenant_id, journey_id, profile_id, step, kind, outcome, at)
            VALUES (\(tenantID), \(entry.journeyID), \(entry.profileID), \(step), \(grant.kind.rawValue), \(JourneyOutcome.done.rawValue), \(now))
            ON CONFLICT (tenant_id, journey_id, profile_id, step) DO NOTHING
            """)
        let move = Self.moveStep(entry, from: step, to: next, dueAt: dueAt, at: now, tenantID: tenantID)
        do {
            // Only the runner that moved the entry writes: the move comes first.
            let done = try await db.transaction(
                named: { (done: SQLResults) throws(StorageError) -> [SQLStep] in
                    switch done.phase {
                    case 0: return [move]
                    case 1 where !done["moved"].isEmpty: return writes + [action]
                    default: return []
                    }
                })
            return done["moved"].isEmpty ? nil : .done
        } catch .exhausted(let what) where what == Self.couponStockGone {
            let moved = try await self.move(entry, from: step, to: next, dueAt: dueAt, recording: (.coupon, .outOfStock), at: now, tenantID: tenantID)
            return moved ? .outOfStock : nil
        }
    }

    static let couponStockGone = "journey coupon stock"

    /// The rows a grant writes.
    private static func writes(of grant: JourneyGrant, id: Int64, entry: JourneyEntry, step: Int, at now: Int64, tenantID: Int64) -> [SQLStep] {
        switch grant {
        case .coupon(let itemID, let code, let wallet, let faceValue, let expiresAt):
            // The item's stock pays for it; a free coupon books nothing until a store redeems it.
            return [
                SQLStep(
                    """
                    UPDATE mall_items SET stock_left = stock_left - 1
                    WHERE tenant_id = \(tenantID) AND id = \(itemID) AND stock_left > 0 AND available_from <= \(now) AND available_until > \(now)
                    RETURNING stock_left
                    """, requireRow: .exhausted(couponStockGone)),
                SQLStep(
                    """
                    INSERT INTO coupons (tenant_id, id, item_id, code, wallet, price_points, face_value_fen, taken_at, expires_at)
                    VALUES (\(tenantID), \(id), \(itemID), \(code), \(wallet), 0, \(faceValue), \(now), \(expiresAt))
                    """),
            ]
        case .task(let store, let text, let dueDays):
            let day = BusinessDay.day(ofMillis: now)
            let openKey = "journey:\(entry.journeyID):\(entry.profileID):\(step)"
            return [
                SQLStep(
                    """
                    INSERT INTO store_alerts (tenant_id, id, store_id, kind, product_id, org_path, salesperson_node_id, raised_day, last_day, due_day,
                                              score, baseline, observed, peer_median, reason, status, open_key, created_at, outcome)
                    VALUES (\(tenantID), \(id), \(store.storeID), \(StoreAnomalyKind.followUp.rawValue), 0, \(store.orgPath), \(store.salespersonNodeID),
                            \(day), \(day), \(day + dueDays), 0, 0, 0, NULL, \(text), 'open', \(openKey), \(now), 'pending')
                    """)
            ]
        case .notice(let store, let text):
            return [
                SQLStep(
                    """
                    INSERT INTO store_notices (tenant_id, id, store_id, journey_id, profile_id, step, text, created_at)
                    VALUES (\(tenantID), \(id), \(store.storeID), \(entry.journeyID), \(entry.profileID), \(step), \(text), \(now))
                    """)
            ]
        }
    }
}
