import FullChainCore
import FullChainStorage
import Hummingbird

/// `GET /campaigns/new`: the campaign editor, which posts to the campaigns API and shows every
/// field error it names (HQ only).
enum CampaignEditorPage {
    static func register(on router: RouterGroup<AppRequestContext>, services: AppServices) {
        let storage = services.storage
        router.get("/campaigns/new") { request, context in
            let page = try WebPage(request, context)
            let p = try context.require(.manageCampaigns)
            let products = try await storage.products.list(ListQuery(limit: 500), category: nil, tenantID: p.tenantID).items
            let segments = try await storage.segments.list(tenantID: p.tenantID)
            return render(page, products: products, segments: segments, regions: services.regions)
        }
    }

    /// The API's field names, and the page's names for them (field errors name what the page shows).
    static let fieldLabels: [(field: String, label: L10n.Key)] = [
        ("name", .campaignName), ("startsAt", .startsAt), ("endsAt", .endsAt), ("productIDs", .campaignProducts),
        ("regionCodes", .campaignRegions), ("storeIDs", .fenceStores), ("radiusMeters", .fenceRadius), ("tiers", .prizeTiers),
        ("budgetFen", .consumerBudget), ("storeRewardFen", .storeRewardPerScan), ("storeBudgetFen", .storeBudget),
        ("perConsumerPerDay", .perConsumerPerDay), ("perDevicePerDay", .perDevicePerDay), ("segmentID", .campaignAudience),
    ]

    static func render(_ page: WebPage, products: [Product], segments: [Segment], regions: RegionCatalog = .shared) -> Response {
        let t = page.t
        return Layout.render(page, title: t(.newCampaign), section: .campaigns) { out in
            out += #"<div class="crumbs"><a href="/campaigns">"#
            out += t(.navCampaigns)
            out += "</a> / "
            out += t(.newCampaign)
            out += "</div>"
            Layout.pageHeader(&out, title: t(.newCampaign), lead: t(.campaignsLead))
            // The API checks every field and names each problem: the browser's own checks would hide them.
            out += #"<form id="campaign-form" class="card editor" novalidate data-saving=""#
            out.appendEscaped(t(.saving))
            out += #"" data-failed=""#
            out.appendEscaped(t(.saveFailed))
            out += #"" data-fix=""#
            out.appendEscaped(t(.fixFields))
            out += #"""#
            for (field, label) in fieldLabels {
                out += #" data-field-\#(field.lowercased())=""#
                out.appendEscaped(t(label))
                out += #"""#
            }
            out += #"><div class="grid two"><div>"#
            field(&out, t(.campaignName), #"<input type="text" name="name" maxlength="100" required>"#)
            field(&out, t(.startsAt), #"<input type="datetime-local" name="startsAt" required>"#)
            field(&out, t(.endsAt), #"<input type="datetime-local" name="endsAt" required>"#)
            // Regions by name: a province or city typed and picked from the list becomes a chip.
            var picker = HTMLWriter()
            picker += #"<input type="text" id="region-picker" list="region-names" autocomplete="off" placeholder=""#
            picker.appendEscaped(t(.campaignRegionsPick))
            picker += #""><div id="region-chips" class="chips" data-remove=""#
            picker.appendEscaped(t(.removeRegion))
            picker += #""></div><small class="muted">"#
            picker += t(.campaignRegionsHint)
            picker += #"</small><datalist id="region-names">"#
            for province in regions.children(of: nil) {
                regionOption(&picker, province, regions: regions)
                for city in regions.children(of: province.code) { regionOption(&picker, city, regions: regions) }
            }
            picker += "</datalist>"
            field(&out, t(.campaignRegions), picker.markup)
            field(&out, t(.fenceStores), #"<input type="text" name="storeIDs" placeholder="12, 57"><small class="muted">\#(t(.fenceHint))</small>"#)
            field(&out, t(.fenceRadius), #"<input type="number" name="radiusMeters" min="100" max="50000" step="100" placeholder="2000">"#)
            var audience = HTMLWriter()
            audience += #"<select name="segmentID"><option value="">"#
            audience += t(.audienceEveryone)
            audience += "</option>"
            for segment in segments { Layout.option(&audience, value: String(segment.id), label: segment.name, selected: nil) }
            audience += #"</select><small class="muted">"#
            audience += t(.audienceHint)
            audience += "</small>"
            field(&out, t(.campaignAudience), audience.markup)
            out += #"</div><div>"#
            field(&out, t(.consumerBudget), #"<input type="number" name="budget" min="0" step="0.01" value="1000">"#)
            field(&out, t(.storeRewardPerScan), #"<input type="number" name="storeReward" min="0" step="0.01" value="0.20">"#)
            field(&out, t(.storeBudget), #"<input type="number" name="storeBudget" min="0" step="0.01" value="200">"#)
            field(&out, t(.perConsumerPerDay), #"<input type="number" name="perConsumerPerDay" min="1" step="1" value="3">"#)
            field(&out, t(.perDevicePerDay), #"<input type="number" name="perDevicePerDay" min="1" step="1" value="5">"#)
            out += #"</div></div><fieldset><legend>"#
            out += t(.campaignProducts)
            out += "</legend>"
            for product in products {
                out += #"<label class="check"><input type="checkbox" name="product" value="\#(product.id)"> "#
                out.appendEscaped(product.name)
                out += #" <code class="muted">"#
                out.appendEscaped(product.sku)
                out += "</code></label>"
            }
            out += #"</fieldset><fieldset><legend>"#
            out += t(.prizeTiers)
            out += #"</legend><div class="table-wrap"><table><thead><tr><th>"#
            out.appendJoined(
                [t(.tierName), t(.prizeKind), t(.amountYuan), t(.pointsLabel), t(.couponCode), t(.probabilityPercent), t(.stock)],
                separator: "</th><th>")
            out += "</th></tr></thead><tbody>"
            let examples: [(String, PrizeKind, String, String, String)] = [
                ("¥1.88 红包", .cash, "1.88", "", "10"), ("10 积分", .points, "", "10", "30"), ("", .cash, "", "", ""),
            ]
            for (index, example) in examples.enumerated() {
                out += #"<tr class="tier" data-index="\#(index)"><td><input type="text" name="tierName" maxlength="50" value=""#
                out.appendEscaped(example.0)
                out += #""></td><td><select name="tierKind">"#
                for kind in PrizeKind.allCases {
                    Layout.option(&out, value: kind.rawValue, label: CampaignsPage.label(kind.rawValue, t: t), selected: example.1.rawValue)
                }
                out += #"</select></td><td><input type="number" name="tierAmount" min="0" step="0.01" value="\#(example.2)"></td>"#
                out += #"<td><input type="number" name="tierPoints" min="0" step="1" value="\#(example.3)"></td>"#
                out += #"<td><input type="text" name="tierCoupon" maxlength="40"></td>"#
                out += #"<td><input type="number" name="tierProbability" min="0" max="100" step="0.0001" value="\#(example.4)"></td>"#
                out += #"<td><input type="number" name="tierStock" min="0" step="1" placeholder=""#
                out += t(.unlimited)
                out += #""></td></tr>"#
            }
            out += #"</tbody></table></div><button type="button" class="secondary small" id="add-tier">"#
            out += t(.addTier)
            out += #"</button></fieldset><button type="submit">"#
            out += t(.createCampaign)
            out += #"</button><div id="campaign-status" role="status" aria-live="polite"></div></form>"#
            out += WebAssets.campaignEditor.scriptTag
        }
    }

    /// A region in the picker's list: its full name, its code in `data-code`.
    static func regionOption(_ out: inout HTMLWriter, _ region: Region, regions: RegionCatalog) {
        out += #"<option value=""#
        out.appendEscaped(Format.regionName(region.code, in: regions))
        out += #"" data-code=""#
        out.appendEscaped(region.code)
        out += #""></option>"#
    }

    static func field(_ out: inout HTMLWriter, _ label: String, _ control: Markup) {
        out += #"<div class="form-row"><label>"#
        out += label
        out += control
        out += "</label></div>"
    }
}
