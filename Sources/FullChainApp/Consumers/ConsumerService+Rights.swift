public import Foundation
import FullChainCore
public import FullChainStorage

/// A consumer's download of their data (PIPL): who they are to the brand, what they hold, what
/// was paid, every ledger line of their wallet, their scans and the stores they bought from.
struct ConsumerDataExport: Encodable {
    struct Identity: Encodable {
        var kind: String
        var value: String
        var appID: String?
        var unionid: String?
    }
    struct Consent: Encodable {
        var purpose: String
        var granted: Bool
        var noticeVersion: String
        var at: String
    }
    struct Payout: Encodable {
        var id: Int64
        var campaign: String
        var amountFen: Int64
        var status: String
        var createdAt: String
    }
    struct LedgerLine: Encodable {
        var at: String
        var memo: String
        var asset: String
        var amount: Int64
    }
    struct Scan: Encodable {
        var scannedAt: String
        var product: String?
        var store: String?
        var latitude: Double?
        var longitude: Double?
    }
    struct Store: Encodable {
        var store: String
        var purchases: Int64
        var firstDay: String
        var lastDay: String
    }
    struct Coupon: Encodable {
        var item: String
        var kind: String
        var code: String
        var pricePoints: Int64
        var takenAt: String
        var expiresAt: String
        var redeemedAt: String?
    }
    var exportedAt: String
    var identity: Identity
    var cashFen: Int64
    var points: Int64
    var consents: [Consent]
    var payouts: [Payout]
    var ledger: [LedgerLine]
    var scans: [Scan]
    var stores: [Store]
    var coupons: [Coupon]
}

extension ConsumerService {
    /// The signed-in consumer's data as JSON, for them to download.
    public func exportData(of session: ConsumerSession, now: Int64) async throws -> Data {
        let wallet = pseudonyms.of(session.subject, tenantID: session.tenantID)
        let held = try await storage.consumers.export(wallet: wallet, tenantID: session.tenantID)
        let parts = session.subject.split(separator: ":", maxSplits: 1).map(String.init)
        let iso = { (millis: Int64) in Date(timeIntervalSince1970: Double(millis) / 1_000).ISO8601Format() }
        let export = ConsumerDataExport(
            exportedAt: iso(now),
            identity: .init(kind: parts.first ?? "", value: parts.last ?? "", appID: session.appID, unionid: session.unionid),
            cashFen: held.wallet.cashFen, points: held.wallet.points,
            consents: held.consents.map { .init(purpose: $0.purpose.rawValue, granted: $0.granted, noticeVersion: $0.noticeVersion, at: iso($0.at)) },
            payouts: held.wallet.payouts.map {
                .init(id: $0.id, campaign: $0.campaign, amountFen: $0.amountFen, status: $0.status.rawValue, createdAt: iso($0.createdAt))
            },
            ledger: held.ledger.map { .init(at: iso($0.at), memo: $0.memo, asset: $0.asset, amount: $0.amount) },
            scans: held.scans.map {
                .init(scannedAt: iso($0.scannedAt), product: $0.product, store: $0.store, latitude: $0.latitude, longitude: $0.longitude)
            },
            stores: held.stores.map {
                .init(
                    store: $0.store, purchases: $0.purchases, firstDay: BusinessDay.date(ofDay: $0.firstDay),
                    lastDay: BusinessDay.date(ofDay: $0.lastDay))
            },
            coupons: held.coupons.map {
                .init(
                    item: $0.itemName, kind: $0.kind.rawValue, code: $0.code, pricePoints: $0.pricePoints, takenAt: iso($0.takenAt),
                    expiresAt: iso($0.expiresAt), redeemedAt: $0.redeemedAt.map(iso))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(export)
    }

    /// Deletes the signed-in consumer's account: payouts not yet with the provider are cancelled
    /// (their money back in the campaign's budget), those in flight end as the provider says and
    /// then lose their recipient; the wallet, its ledger lines, draws, scans and store purchases
    /// keep their figures under a random name; the phone and its codes are deleted.
    public func erase(_ session: ConsumerSession, now: Int64) async throws -> ErasureReport {
        let tenantID = session.tenantID
        let wallet = pseudonyms.of(session.subject, tenantID: tenantID)
        return try await storage.consumers.erase(
            wallet: wallet, into: "erased-" + RandomToken.alphanumeric(24), phoneHash: session.subject.hasPrefix("phone:") ? wallet : nil,
            at: now, tenantID: tenantID)
    }
}
