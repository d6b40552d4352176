/// What a prize tier gives a winning consumer.
public enum PrizeKind: String, Sendable, Codable, CaseIterable {
    /// Cash in fen, paid out as a red packet (红包).
    case cash
    /// Loyalty points.
    case points
    /// "再来一瓶": a voucher for a free unit, redeemed at a store, which the brand reimburses.
    case freeItem = "free_item"
    /// A coupon code.
    case coupon
}

/// One prize of a campaign's draw.
public struct PrizeTier: Sendable, Codable, Hashable {
    public var name: String
    public var kind: PrizeKind
    /// Fen for cash; the reimbursement per voucher for a free item.
    public var amountFen: Int64
    public var points: Int64
    public var couponCode: String?
    /// The chance of winning this tier on one scan, in parts per million.
    public var ppm: Int
    /// How many of this prize there are; nil when only the budget limits it.
    public var stock: Int64?

    public init(name: String, kind: PrizeKind, amountFen: Int64 = 0, points: Int64 = 0, couponCode: String? = nil, ppm: Int, stock: Int64? = nil) {
        self.name = name
        self.kind = kind
        self.amountFen = amountFen
        self.points = points
        self.couponCode = couponCode
        self.ppm = ppm
        self.stock = stock
    }
}

/// How often one consumer or device may win.
public struct CampaignLimits: Sendable, Codable, Hashable {
    public var perConsumerPerDay: Int
    public var perDevicePerDay: Int

    public init(perConsumerPerDay: Int = 3, perDevicePerDay: Int = 5) {
        self.perConsumerPerDay = perConsumerPerDay
        self.perDevicePerDay = perDevicePerDay
    }
}

/// A scan campaign (扫码营销) as checked: which products and regions, when, the prizes and the money.
public struct CampaignDraft: Sendable, Codable, Hashable {
    public var name: String
    public var productIDs: [Int64]
    /// Province, city or county codes the scan must fall in; empty: everywhere.
    public var regionCodes: [String]
    public var startsAt: Int64
    public var endsAt: Int64
    public var tiers: [PrizeTier]
    /// What consumers' cash prizes and vouchers may cost in all.
    public var budgetFen: Int64
    /// What the selling store earns per consumer scan of a unit it received (BC double reward).
    public var storeRewardFen: Int64
    /// What store rewards may cost in all.
    public var storeBudgetFen: Int64
    public var limits: CampaignLimits
    /// Circles around stores the scan must fall in (a geo-fenced campaign); nil or empty: anywhere.
    public var geofences: [GeoFence]?
    /// The segment whose members alone draw (a targeted campaign, 千人千面); nil: every consumer.
    public var audienceSegmentID: Int64?

    public init(
        name: String, productIDs: [Int64], regionCodes: [String], startsAt: Int64, endsAt: Int64, tiers: [PrizeTier], budgetFen: Int64,
        storeRewardFen: Int64, storeBudgetFen: Int64, limits: CampaignLimits, geofences: [GeoFence]? = nil, audienceSegmentID: Int64? = nil
    ) {
        self.audienceSegmentID = audienceSegmentID
        self.name = name
        self.productIDs = productIDs
        self.regionCodes = regionCodes
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.tiers = tiers
        self.budgetFen = budgetFen
        self.storeRewardFen = storeRewardFen
        self.storeBudgetFen = storeBudgetFen
        self.limits = limits
        self.geofences = geofences
    }

    /// Whether the campaign runs at this time.
    public func isRunning(at millis: Int64) -> Bool { millis >= startsAt && millis < endsAt }
}

/// A stored campaign.
public struct Campaign: Sendable, Codable, Hashable {
    public var id: Int64
    public var draft: CampaignDraft
    public var createdAt: Int64
    /// How many ledger accounts each of its budgets is split into.
    public var budgetShards: Int
    /// When HQ paused it (no draws until it is resumed); nil while it runs.
    public var pausedAt: Int64?

    public init(id: Int64, draft: CampaignDraft, createdAt: Int64, budgetShards: Int = 1, pausedAt: Int64? = nil) {
        self.id = id
        self.draft = draft
        self.createdAt = createdAt
        self.budgetShards = max(1, budgetShards)
        self.pausedAt = pausedAt
    }

    /// Pausing stops a campaign's draws until HQ resumes it; an ended campaign can do neither.
    public enum PauseChange: Sendable {
        case pause, resume
    }

    /// Why `change` cannot be made at `now` (an error code), or nil when it can.
    public func refusal(of change: PauseChange, now: Int64) -> String? {
        if draft.endsAt <= now { return "campaign_ended" }
        switch change {
        case .pause: return pausedAt == nil ? nil : "already_paused"
        case .resume: return pausedAt == nil ? "not_paused" : nil
        }
    }

    /// The ledger account holding one shard of the consumers' budget, or of the stores' budget.
    public func budgetAccount(forStore: Bool, shard: Int) -> LedgerAccount {
        forStore ? .storeRewardBudget(campaignID: id, shard: shard) : .campaignBudget(campaignID: id, shard: shard)
    }

    /// Every shard of the consumers' budget, or of the stores' budget.
    public func budgetAccounts(forStore: Bool) -> [LedgerAccount] {
        (0..<budgetShards).map { budgetAccount(forStore: forStore, shard: $0) }
    }

    /// Splits an amount over `shards` accounts as evenly as fen allow (the first shards take the remainder).
    public static func split(_ amount: Int64, shards: Int) -> [Int64] {
        let n = Int64(max(1, shards))
        return (0..<n).map { amount / n + ($0 < amount % n ? 1 : 0) }
    }
}

/// A prize tier as a client sends it.
public struct PrizeTierInput: Sendable, Codable {
    public var name: String?
    public var kind: String?
    public var amountFen: Int64?
    public var points: Int64?
    public var couponCode: String?
    /// 0 < probability ≤ 1, in steps of one millionth.
    public var probability: Double?
    /// The most prizes one tier may hold.
    public static let maxStock: Int64 = 1_000_000_000
    public var stock: Int64?

    public init(
        name: String? = nil, kind: String? = nil, amountFen: Int64? = nil, points: Int64? = nil, couponCode: String? = nil,
        probability: Double? = nil, stock: Int64? = nil
    ) {
        self.name = name
        self.kind = kind
        self.amountFen = amountFen
        self.points = points
        self.couponCode = couponCode
        self.probability = probability
        self.stock = stock
    }
}

/// A campaign as a client sends it.
/// A circle around a store: scans within `radiusMeters` of it take part in a geo-fenced campaign.
public struct GeoFence: Sendable, Codable, Hashable {
    public var storeID: Int64
    public var latitude: Double
    public var longitude: Double
    public var radiusMeters: Int

    public init(storeID: Int64, latitude: Double, longitude: Double, radiusMeters: Int) {
        self.storeID = storeID
        self.latitude = latitude
        self.longitude = longitude
        self.radiusMeters = radiusMeters
    }

    public func contains(_ point: GeoPoint) -> Bool {
        guard let centre = GeoPoint(latitude: latitude, longitude: longitude) else { return false }
        return centre.distance(to: point) <= Double(radiusMeters)
    }
}

public struct CampaignInput: Sendable, Codable {
    public var name: String?
    public var productIDs: [Int64]?
    public var regionCodes: [String]?
    public var startsAt: Int64?
    public var endsAt: Int64?
    public var tiers: [PrizeTierInput]?
    public var budgetFen: Int64?
    public var storeRewardFen: Int64?
    public var storeBudgetFen: Int64?
    public var perConsumerPerDay: Int?
    public var perDevicePerDay: Int?
    /// Stores to fence the campaign around, and the radius (metres) of each circle.
    public var storeIDs: [Int64]?
    public var radiusMeters: Int?
    /// The segment whose members alone draw; none: every consumer.
    public var segmentID: Int64?

    public init(
        name: String? = nil, productIDs: [Int64]? = nil, regionCodes: [String]? = nil, startsAt: Int64? = nil, endsAt: Int64? = nil,
        tiers: [PrizeTierInput]? = nil, budgetFen: Int64? = nil, storeRewardFen: Int64? = nil, storeBudgetFen: Int64? = nil,
        perConsumerPerDay: Int? = nil, perDevicePerDay: Int? = nil, storeIDs: [Int64]? = nil, radiusMeters: Int? = nil, segmentID: Int64? = nil
    ) {
        self.segmentID = segmentID
        self.name = name
        self.productIDs = productIDs
        self.regionCodes = regionCodes
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.tiers = tiers
        self.budgetFen = budgetFen
        self.storeRewardFen = storeRewardFen
        self.storeBudgetFen = storeBudgetFen
        self.perConsumerPerDay = perConsumerPerDay
        self.perDevicePerDay = perDevicePerDay
        self.storeIDs = storeIDs
        self.radiusMeters = radiusMeters
    }

    /// WeChat Pay's red packets carry ¥1.00 … ¥200.00 each.
    public static let cashRange: ClosedRange<Int64> = 100...20_000
    public static let maxBudgetFen: Int64 = 10_000_000_000
    public static let maxTiers = 20
    public static let maxDuration: Int64 = 366 * 86_400_000
    /// A geo-fence's radius: a street corner to a district.
    public static let radiusRange: ClosedRange<Int64> = 100...50_000
    public static let maxFencedStores = 500

    /// The checked campaign: every problem reported at once, nothing half-accepted.
    /// `isRegion` says whether a code names a province, city or county; `stores` holds the
    /// fenced stores that exist within reach, with their positions (nil: the store has none).
    public func validated(stores: [Int64: GeoPoint?] = [:], isRegion: (String) -> Bool) throws(ValidationError) -> CampaignDraft {
        var v = Validator()
        let name = v.text(name, field: "name", maxLength: 100)
        let products = Array(Set(productIDs ?? [])).sorted()
        if products.isEmpty { v.add(FieldError(field: "productIDs", code: "required", message: "name at least one product")) }
        if products.count > 500 { v.add(FieldError(field: "productIDs", code: "too_many", message: "at most 500 products")) }
        let regions = Array(Set(regionCodes ?? [])).sorted()
        for (index, code) in regions.enumerated() where !isRegion(code) {
            v.add(FieldError(field: "regionCodes[\(index)]", code: "invalid_region", message: "\(code) is not a province, city or county code"))
        }
        if let segment = segmentID, segment <= 0 {
            v.add(FieldError(field: "segmentID", code: "invalid_reference", message: "no segment \(segment)"))
        }
        var fences: [GeoFence] = []
        let fenced = storeIDs ?? []
        if fenced.count > Self.maxFencedStores {
            v.add(FieldError(field: "storeIDs", code: "too_many", message: "at most \(Self.maxFencedStores) stores"))
        } else if !fenced.isEmpty || radiusMeters != nil {
            let radius = Int(v.integer(radiusMeters.map(Int64.init), field: "radiusMeters", in: Self.radiusRange))
            if fenced.isEmpty { v.add(FieldError(field: "storeIDs", code: "required", message: "a radius needs the stores it is drawn around")) }
            for (index, id) in Array(Set(fenced)).sorted().enumerated() {
                switch stores[id] {
                case nil: v.add(FieldError(field: "storeIDs[\(index)]", code: "invalid_reference", message: "no store \(id) within your reach"))
                case .some(nil):
                    v.add(
                        FieldError(field: "storeIDs[\(index)]", code: "no_location", message: "store \(id) has no position to draw a circle around"))
                case .some(.some(let point)):
                    fences.append(GeoFence(storeID: id, latitude: point.latitude, longitude: point.longitude, radiusMeters: radius))
                }
            }
        }
        let start = v.integer(startsAt, field: "startsAt", in: 0...Int64(4_102_444_800_000))
        let end = v.integer(endsAt, field: "endsAt", in: 0...Int64(4_102_444_800_000))
        if startsAt != nil, endsAt != nil {
            if end <= start {
                v.add(FieldError(field: "endsAt", code: "before_start", message: "endsAt must be after startsAt"))
            } else if end - start > Self.maxDuration {
                v.add(FieldError(field: "endsAt", code: "too_long", message: "a campaign runs at most 366 days"))
            }
        }
        let budget = v.integer(budgetFen, field: "budgetFen", in: 0...Self.maxBudgetFen)
        let storeReward = v.integer(storeRewardFen ?? 0, field: "storeRewardFen", in: 0...Self.cashRange.upperBound)
        let storeBudget = v.integer(storeBudgetFen ?? 0, field: "storeBudgetFen", in: 0...Self.maxBudgetFen)
        if (storeRewardFen ?? 0) > 0 && (storeBudgetFen ?? 0) == 0 {
            v.add(FieldError(field: "storeBudgetFen", code: "required", message: "a store reward needs a store budget"))
        }
        let perConsumer = Int(v.integer(Int64(perConsumerPerDay ?? 3), field: "perConsumerPerDay", in: 1...1_000))
        let perDevice = Int(v.integer(Int64(perDevicePerDay ?? 5), field: "perDevicePerDay", in: 1...1_000))

        var tiers: [PrizeTier] = []
        let inputs = self.tiers ?? []
        if inputs.isEmpty { v.add(FieldError(field: "tiers", code: "required", message: "a campaign needs at least one prize tier")) }
        if inputs.count > Self.maxTiers { v.add(FieldError(field: "tiers", code: "too_many", message: "at most \(Self.maxTiers) prize tiers")) }
        var totalPPM = 0
        for (index, input) in inputs.prefix(Self.maxTiers).enumerated() {
            let field = "tiers[\(index)]"
            let tierName = v.text(input.name, field: "\(field).name", maxLength: 40)
            guard let kind = input.kind.flatMap(PrizeKind.init(rawValue:)) else {
                v.add(FieldError(field: "\(field).kind", code: "invalid_choice", message: "kind is cash, points, free_item or coupon"))
                continue
            }
            var ppm = 0
            if let p = input.probability, p.isFinite, p > 0, p <= 1 {
                ppm = Int((p * 1_000_000).rounded())
                if ppm < 1 {
                    v.add(FieldError(field: "\(field).probability", code: "out_of_range", message: "probability is at least one in a million"))
                }
            } else {
                v.add(FieldError(field: "\(field).probability", code: "out_of_range", message: "probability must be above 0 and at most 1"))
            }
            totalPPM += ppm
            var tier = PrizeTier(name: tierName, kind: kind, ppm: ppm, stock: input.stock)
            if let stock = input.stock, !(0...PrizeTierInput.maxStock).contains(stock) {
                v.add(FieldError(field: "\(field).stock", code: "out_of_range", message: "stock must be 0 to \(PrizeTierInput.maxStock)"))
            }
            switch kind {
            case .cash:
                tier.amountFen = v.integer(input.amountFen, field: "\(field).amountFen", in: Self.cashRange)
            case .freeItem:
                tier.amountFen = v.integer(input.amountFen, field: "\(field).amountFen", in: 1...Self.cashRange.upperBound)
            case .points:
                tier.points = v.integer(input.points, field: "\(field).points", in: 1...1_000_000)
            case .coupon:
                tier.couponCode = v.code(input.couponCode, field: "\(field).couponCode")
            }
            tiers.append(tier)
        }
        if totalPPM > 1_000_000 {
            v.add(FieldError(field: "tiers", code: "probabilities_over_one", message: "the tiers' probabilities add up to more than 1"))
        }
        if tiers.contains(where: { $0.kind == .cash || $0.kind == .freeItem }) && (budgetFen ?? 0) == 0 {
            v.add(FieldError(field: "budgetFen", code: "required", message: "cash prizes and vouchers need a budget"))
        }
        try v.check()
        return CampaignDraft(
            name: name, productIDs: products, regionCodes: regions, startsAt: start, endsAt: end, tiers: tiers, budgetFen: budget,
            storeRewardFen: storeReward, storeBudgetFen: storeBudget,
            limits: CampaignLimits(perConsumerPerDay: perConsumer, perDevicePerDay: perDevice), geofences: fences.isEmpty ? nil : fences,
            audienceSegmentID: segmentID)
    }
}
