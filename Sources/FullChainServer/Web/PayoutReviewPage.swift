import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /campaigns/review`: the red packets held because the scan that won them looked risky,
/// with the score and reasons, and the receipts whose store's rewards wait for review; HQ
/// approves or rejects each (through the review APIs).
enum PayoutReviewPage {
    static let shown = 200

    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        router.get("/campaigns/review") { request, context in
            let page = try WebPage(request, context)
            let p = try context.require(.manageCampaigns)
            let held = try await services.storage.payouts.list(tenantID: p.tenantID, status: .held, limit: shown)
            let total = try await services.storage.payouts.summary(tenantID: p.tenantID)[.held]?.count ?? 0
            let receipts = try await services.storage.logistics.heldReceipts(ListQuery(limit: shown), scope: p.scope)
            return render(page, held: held, total: total, receipts: receipts)
        }
    }

    /// Each risk reason in words.
    static func reason(_ code: String, t: L10n) -> String {
        switch code {
        case "blacklisted_device": t(.riskDeviceBlacklisted)
        case "blacklisted_ip": t(.riskIPBlacklisted)
        case "blacklisted_openid": t(.riskOpenIDBlacklisted)
        case "blacklisted_phone": t(.riskPhoneBlacklisted)
        case "device_velocity": t(.riskDeviceVelocity)
        case "shared_device": t(.riskSharedDevice)
        case "shared_ip": t(.riskSharedIP)
        case "harvested_codes": t(.riskHarvestedCodes)
        case "impossible_travel": t(.riskImpossibleTravel)
        default: code
        }
    }

    static func render(_ page: WebPage, held: [Payout], total: Int, receipts: Page<HeldReceipt>) -> Response {
        let t = page.t
        return Layout.render(page, title: t(.reviewQueue), section: .campaigns) { out in
            out += #"<div class="crumbs"><a href="/campaigns">"#
            out += t(.navCampaigns)
            out += "</a> / "
            out += t(.reviewQueue)
            out += "</div>"
            Layout.pageHeader(&out, title: t(.reviewQueue), lead: t.total(total) + " · " + t(.reviewLead))
            out += #"<section class="card flush">"#
            queueTable(
                &out, id: "review-queue", approved: t(.reviewApproved), rejected: t(.reviewRejected), t: t,
                columns: [t(.time), t(.navCampaigns), t(.wallet), t(.amount), t(.riskScore), t(.riskReasons)])
            if held.isEmpty { Layout.emptyRow(&out, columns: 7, text: t(.reviewEmpty)) }
            for payout in held {
                out += #"<tr data-payout="\#(payout.id)"><td>"#
                out += t.dateTime(payout.createdAt)
                out += #"</td><td><a href="/campaigns/\#(payout.campaignID)">#\#(payout.campaignID)</a></td><td><code>"#
                out.appendEscaped(String(payout.wallet.suffix(12)))
                out += "</code></td><td>"
                out += Format.yuan(fen: payout.amountFen)
                out += #"</td><td><span class="badge bad">"#
                out += String(payout.riskScore)
                out += "</span></td><td>"
                out.appendEscaped(payout.riskReasons.map { reason($0, t: t) }.joined(separator: "、"))
                out += #"</td><td class="links"><button class="small" data-decision="approve">"#
                out += t(.approve)
                out += #"</button> <button class="small secondary" data-decision="reject">"#
                out += t(.reject)
                out += "</button></td></tr>"
            }
            out += "</tbody></table></div></section>"
            heldReceipts(&out, receipts, t: t)
            out += WebAssets.payoutReview.scriptTag
        }
    }

    /// Opens a review queue's table: the outcomes its script shows, and its column heads (the last one holds the buttons).
    static func queueTable(_ out: inout HTMLWriter, id: String, approved: String, rejected: String, t: L10n, columns: [String]) {
        out += #"<div class="table-wrap"><table id="\#(id)" data-approved=""#
        out.appendEscaped(approved)
        out += #"" data-rejected=""#
        out.appendEscaped(rejected)
        out += #"" data-failed=""#
        out.appendEscaped(t(.saveFailed))
        out += #""><thead><tr><th>"#
        out.appendJoined(columns + [""], separator: "</th><th>")
        out += "</th></tr></thead><tbody>"
    }

    /// The receipts whose store's rewards wait for review, each with approve and reject buttons.
    static func heldReceipts(_ out: inout HTMLWriter, _ receipts: Page<HeldReceipt>, t: L10n) {
        out += #"<section class="card flush spaced"><div class="card-head"><h2>"#
        out += t(.heldReceipts)
        out += #"</h2><p class="muted">"#
        out += t.total(receipts.total)
        out += " · "
        out.appendEscaped(t(.heldReceiptsLead))
        out += "</p></div>"
        queueTable(
            &out, id: "receipt-queue", approved: t(.receiptApproved), rejected: t(.receiptRejected), t: t,
            columns: [t(.time), t(.storeDetail), t(.receivedCase), t(.distributor), t(.riskReasons), t(.heldRewards)])
        if receipts.items.isEmpty { Layout.emptyRow(&out, columns: 7, text: t(.heldReceiptsEmpty)) }
        for receipt in receipts.items {
            out += #"<tr data-batch="\#(receipt.batchID)" data-case="\#(receipt.caseNumber)"><td>"#
            out += t.dateTime(receipt.receivedAt)
            out += #"</td><td><a href="/stores/\#(receipt.storeID)">"#
            out.appendEscaped(receipt.storeName)
            out +=
                #"</a></td><td><code>\#(receipt.batchID) / \#(receipt.caseNumber)</code></td><td><a href="/distributors/\#(receipt.distributorID)">#\#(receipt.distributorID)</a></td><td>"#
            out += t(receipt.flag == .otherStore ? .flagOtherStore : .flagOtherDistributor)
            out += "</td><td>"
            out += Format.yuan(fen: receipt.heldFen)
            out += #"</td><td class="links"><button class="small" data-decision="approve">"#
            out += t(.approve)
            out += #"</button> <button class="small secondary" data-decision="reject">"#
            out += t(.reject)
            out += "</button></td></tr>"
        }
        out += "</tbody></table></div></section>"
    }
}
