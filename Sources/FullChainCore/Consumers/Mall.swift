/// What a points-mall item gives the consumer. A coupon, gift or voucher has its own code and QR,
/// which the consumer shows at a store; the store that redeems it is owed the item's face value.
/// Cash is paid to the consumer's WeChat balance like a red packet.
public enum MallItemKind: String, Sendable, Codable, CaseIterable {
    /// Money off at the store.
    case coupon
    /// A gift collected at the store.
    case gift
    /// "再来一瓶": a free unit at the store.
    case voucher
    /// A red packet of the face value, to the WeChat balance of a consumer WeChat confirmed.
    case cash
}

/// A points-mall item as HQ defines it.
public struct MallItemDraft: Sendable, Equatable, Codable {
    public var name: String
    public var kind: MallItemKind
    public var pricePoints: Int64
    /// What the brand pays the store that redeems one (fen).
    public var faceValueFen: Int64
    /// How many may be taken in all.
    public var stock: Int64
    /// How many one consumer may take.
    public var perPersonLimit: Int
    /// When the item can be taken (milliseconds).
    public var availableFrom: Int64
    public var availableUntil: Int64
    /// How long a coupon taken from it stays redeemable at stores.
    public var validDays: Int

    public init(
        name: String, kind: MallItemKind, pricePoints: Int64, faceValueFen: Int64, stock: Int64, perPersonLimit: Int, availableFrom: Int64,
        availableUntil: Int64, validDays: Int
    ) {
        self.name = name
        self.kind = kind
        self.pricePoints = pricePoints
        self.faceValueFen = faceValueFen
        self.stock = stock
        self.perPersonLimit = perPersonLimit
        self.availableFrom = availableFrom
        self.availableUntil = availableUntil
        self.validDays = validDays
    }

    /// Whether a consumer may take one at `now`.
    public func isAvailable(at now: Int64) -> Bool { availableFrom <= now && now < availableUntil }

    /// When a coupon taken at `now` stops being redeemable.
    public func couponExpiry(takenAt now: Int64) -> Int64 { now + Int64(validDays) * 86_400_000 }
}

/// A mall item as stored: its draft and how many are left.
public struct MallItem: Sendable, Equatable {
    public var id: Int64
    public var draft: MallItemDraft
    public var stockLeft: Int64
    public var createdAt: Int64

    public init(id: Int64, draft: MallItemDraft, stockLeft: Int64, createdAt: Int64) {
        self.id = id
        self.draft = draft
        self.stockLeft = stockLeft
        self.createdAt = createdAt
    }
}

/// What HQ sends to list an item in the mall.
public struct MallItemInput: Sendable, Codable {
    public var name: String?
    public var kind: String?
    public var pricePoints: Int64?
    public var faceValueFen: Int64?
    public var stock: Int64?
    public var perPersonLimit: Int64?
    public var availableFrom: Int64?
    public var availableUntil: Int64?
    public var validDays: Int64?

    public static let maxPricePoints: Int64 = 100_000_000
    public static let maxFaceValueFen: Int64 = 1_000_000
    public static let maxStock: Int64 = 10_000_000
    /// The latest moment accepted (2100-01-01).
    public static let maxMillis: Int64 = 4_102_444_800_000

    public init(
        name: String?, kind: String?, pricePoints: Int64?, faceValueFen: Int64?, stock: Int64?, perPersonLimit: Int64?, availableFrom: Int64?,
        availableUntil: Int64?, validDays: Int64?
    ) {
        self.name = name
        self.kind = kind
        self.pricePoints = pricePoints
        self.faceValueFen = faceValueFen
        self.stock = stock
        self.perPersonLimit = perPersonLimit
        self.availableFrom = availableFrom
        self.availableUntil = availableUntil
        self.validDays = validDays
    }

    /// A checked draft, or every rule the input broke.
    public func validated() throws(ValidationError) -> MallItemDraft {
        var v = Validator()
        let name = v.text(name, field: "name", maxLength: 60)
        let kind = self.kind.flatMap(MallItemKind.init(rawValue:))
        if kind == nil { v.add(FieldError(field: "kind", code: "invalid_choice", message: "kind is coupon, gift, voucher or cash")) }
        let price = v.integer(pricePoints, field: "pricePoints", in: 1...Self.maxPricePoints)
        // Cash is a red packet: within what WeChat Pay sends as one.
        let face = v.integer(
            kind == .cash ? faceValueFen : faceValueFen ?? 0, field: "faceValueFen",
            in: kind == .cash ? CampaignInput.cashRange : 0...Self.maxFaceValueFen)
        let stock = v.integer(stock, field: "stock", in: 1...Self.maxStock)
        let limit = v.integer(perPersonLimit ?? 1, field: "perPersonLimit", in: 1...1_000)
        let from = v.integer(availableFrom, field: "availableFrom", in: 0...Self.maxMillis)
        let until = v.integer(availableUntil, field: "availableUntil", in: 0...Self.maxMillis)
        if availableFrom != nil, availableUntil != nil, until <= from {
            v.add(FieldError(field: "availableUntil", code: "before_start", message: "availableUntil must be after availableFrom"))
        }
        let days = v.integer(validDays ?? 30, field: "validDays", in: 1...366)
        guard v.errors.isEmpty, let kind else { throw ValidationError(v.errors) }
        return MallItemDraft(
            name: name, kind: kind, pricePoints: price, faceValueFen: face, stock: stock, perPersonLimit: Int(limit), availableFrom: from,
            availableUntil: until, validDays: Int(days))
    }
}

/// A coupon a consumer took from the mall: its own code, whose wallet holds it, and where it was
/// redeemed.
public struct Coupon: Sendable, Equatable {
    public var id: Int64
    public var itemID: Int64
    public var itemName: String
    public var kind: MallItemKind
    public var code: String
    /// The consumer's wallet (a pseudonym).
    public var wallet: String
    public var pricePoints: Int64
    public var faceValueFen: Int64
    public var takenAt: Int64
    public var expiresAt: Int64
    public var storeID: Int64?
    public var redeemedAt: Int64?

    public init(
        id: Int64, itemID: Int64, itemName: String, kind: MallItemKind, code: String, wallet: String, pricePoints: Int64, faceValueFen: Int64,
        takenAt: Int64, expiresAt: Int64, storeID: Int64? = nil, redeemedAt: Int64? = nil
    ) {
        self.id = id
        self.itemID = itemID
        self.itemName = itemName
        self.kind = kind
        self.code = code
        self.wallet = wallet
        self.pricePoints = pricePoints
        self.faceValueFen = faceValueFen
        self.takenAt = takenAt
        self.expiresAt = expiresAt
        self.storeID = storeID
        self.redeemedAt = redeemedAt
    }

    public enum Status: String, Sendable, Codable {
        case valid, redeemed, expired
    }

    public func status(at now: Int64) -> Status {
        if redeemedAt != nil { return .redeemed }
        return now < expiresAt ? .valid : .expired
    }

    /// Taking it: the points leave the consumer's wallet for the mall, and its face value is set
    /// aside from the brand's funding until a store redeems it (cash goes to the consumer's
    /// wallet, whence its payout takes it).
    public func takenEntry(tenantID: Int64) throws(LedgerEntry.Problem) -> LedgerEntry {
        var postings = [LedgerPosting(.consumerWallet(wallet), .points, -pricePoints), LedgerPosting(.mallPoints, .points, pricePoints)]
        if faceValueFen > 0 {
            postings += [
                LedgerPosting(.brandFunding, .fen, -faceValueFen),
                LedgerPosting(kind == .cash ? .consumerWallet(wallet) : .couponsOutstanding, .fen, faceValueFen),
            ]
        }
        return try LedgerEntry(key: "mall:\(tenantID):\(id)", memo: "mall item \(itemID) taken, coupon \(id)", postings: postings)
    }

    /// The store redeemed it: its face value moves to the store's wallet, settled with its rewards.
    public func redeemedEntry(tenantID: Int64, storeID: Int64) throws(LedgerEntry.Problem) -> LedgerEntry {
        try .transfer(
            key: "coupon:\(tenantID):\(id)", memo: "coupon \(id) redeemed at store \(storeID)", faceValueFen, .fen, from: .couponsOutstanding,
            to: .storeWallet(storeID: storeID))
    }
}

/// A coupon's code: twelve Crockford base32 symbols (60 random bits), printed in groups of four.
public enum CouponCode {
    public static let length = 12

    /// A new random code.
    public static func make(using random: inout some RandomNumberGenerator) -> String {
        String(decoding: (0..<length).map { _ in CrockfordBase32.alphabet[Int.random(in: 0..<32, using: &random)] }, as: UTF8.self)
    }

    public static func make() -> String {
        var random = SystemRandomNumberGenerator()
        return make(using: &random)
    }

    /// The code a person typed or a scanner read (spaces, dashes, lower case and the link it
    /// sits in allowed), in canonical form; nil when it is not one.
    public static func parse(_ text: String) -> String? {
        var candidate = Substring(text)
        if let query = candidate.ranges(of: "code=").last {
            candidate = candidate[query.upperBound...].prefix { $0 != "&" && $0 != "#" }
        } else if let slash = candidate.lastIndex(of: "/") {
            candidate = candidate[candidate.index(after: slash)...]
        }
        guard candidate.utf8.count <= 40 else { return nil }
        var out: [UInt8] = []
        for byte in candidate.utf8 where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "-") {
            guard let value = CrockfordBase32.value(of: byte) else { return nil }
            out.append(CrockfordBase32.alphabet[Int(value)])
        }
        return out.count == length ? String(decoding: out, as: UTF8.self) : nil
    }

    /// `ABCD-EFGH-JKMN`, for people.
    public static func grouped(_ code: String) -> String {
        var groups: [Substring] = []
        var rest = Substring(code)
        while !rest.isEmpty {
            groups.append(rest.prefix(4))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: "-")
    }
}
