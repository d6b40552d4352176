import Foundation

/// One SKU counted on a visit: units on the shelf and in the back room, and the facings (陈列排面).
public struct VisitCount: Codable, Sendable, Equatable {
    public var productID: Int64
    public var units: Int
    public var facings: Int?

    public init(productID: Int64, units: Int, facings: Int?) {
        self.productID = productID
        self.units = units
        self.facings = facings
    }
}

/// A salesperson's visit to a store, checked in on site.
public struct StoreVisit: Codable, Sendable, Equatable {
    public var id: Int64
    public var storeID: Int64
    public var userID: Int64
    /// The task (store alert) the visit was made for, if any.
    public var alertID: Int64?
    public var checkedInAt: Int64
    public var day: Int64
    public var latitude: Double
    public var longitude: Double
    /// How far from the store's position the check-in was.
    public var distanceMeters: Double
    public var notes: String
    public var photos: Int
    public var counts: [VisitCount]

    public init(
        id: Int64, storeID: Int64, userID: Int64, alertID: Int64?, checkedInAt: Int64, day: Int64, latitude: Double, longitude: Double,
        distanceMeters: Double, notes: String, photos: Int, counts: [VisitCount]
    ) {
        self.id = id
        self.storeID = storeID
        self.userID = userID
        self.alertID = alertID
        self.checkedInAt = checkedInAt
        self.day = day
        self.latitude = latitude
        self.longitude = longitude
        self.distanceMeters = distanceMeters
        self.notes = notes
        self.photos = photos
        self.counts = counts
    }
}

/// A visit as the API receives it, before the store and products are looked up.
public struct VisitInput: Codable, Sendable {
    public struct Count: Codable, Sendable {
        public var productID: Int64?
        public var sku: String?
        public var units: Int?
        public var facings: Int?
    }

    public var storeID: Int64?
    public var alertID: Int64?
    public var latitude: Double?
    public var longitude: Double?
    /// wgs84 (default), gcj02 (WeChat, Amap) or bd09 (Baidu).
    public var coordinateSystem: String?
    public var notes: String?
    public var counts: [Count]?

    /// The check-in position in WGS-84, the notes and the counts with each SKU named by id
    /// (`productIDs` maps SKU codes to ids); every problem at once, by field.
    public func validated(
        productIDs: [String: Int64], knownProductIDs: Set<Int64>
    ) throws(ValidationError)
        -> (storeID: Int64, location: GeoPoint, notes: String, counts: [VisitCount])
    {
        var v = Validator()
        if storeID == nil { v.add(.required("storeID")) }
        var location: GeoPoint?
        if let latitude, let longitude {
            if let system = CoordinateSystem(rawValue: coordinateSystem ?? "wgs84") {
                location = GeoPoint(latitude: latitude, longitude: longitude)?.toWGS84(from: system)
                if location == nil {
                    v.add(FieldError(field: "latitude", code: "invalid_location", message: "latitude and longitude are not a position on Earth"))
                }
            } else {
                v.add(FieldError(field: "coordinateSystem", code: "invalid_value", message: "coordinateSystem must be wgs84, gcj02 or bd09"))
            }
        } else {
            v.add(FieldError(field: "latitude", code: "required", message: "a check-in needs latitude and longitude"))
        }
        let notes = v.optionalText(notes, field: "notes", maxLength: 1_000) ?? ""
        var counts: [VisitCount] = []
        let given = self.counts ?? []
        if given.count > 200 { v.add(FieldError(field: "counts", code: "too_many", message: "at most 200 counts in one visit")) }
        var seen: Set<Int64> = []
        for (index, count) in given.prefix(200).enumerated() {
            let field = "counts[\(index)]"
            var id = count.productID
            if id == nil, let sku = count.sku { id = productIDs[sku] }
            guard let productID = id, knownProductIDs.contains(productID) else {
                v.add(FieldError(field: "\(field).productID", code: "unknown_product", message: "\(field) names no product of this brand"))
                continue
            }
            if !seen.insert(productID).inserted {
                v.add(FieldError(field: "\(field).productID", code: "duplicate", message: "\(field) counts a product already counted"))
            }
            guard let units = count.units else {
                v.add(.required("\(field).units"))
                continue
            }
            if units < 0 || units > 1_000_000 {
                v.add(FieldError(field: "\(field).units", code: "out_of_range", message: "\(field).units must be 0 to 1000000"))
            }
            if let facings = count.facings, facings < 0 || facings > 1_000 {
                v.add(FieldError(field: "\(field).facings", code: "out_of_range", message: "\(field).facings must be 0 to 1000"))
            }
            counts.append(VisitCount(productID: productID, units: units, facings: count.facings))
        }
        guard v.errors.isEmpty, let storeID, let location else { throw ValidationError(v.errors) }
        return (storeID, location, notes, counts)
    }
}

/// An image a visit carries: only JPEG and PNG, recognised by their first bytes, up to a size.
public enum VisitPhoto {
    public enum Problem: Error, Equatable {
        case empty
        case tooLarge(limit: Int)
        /// The declared type is not JPEG or PNG, or the bytes are not what it says.
        case unsupportedType
    }

    /// The content type to store, or why the bytes are refused.
    public static func check(_ bytes: [UInt8], declaredType: String?, limit: Int) -> Result<String, Problem> {
        guard !bytes.isEmpty else { return .failure(.empty) }
        guard bytes.count <= limit else { return .failure(.tooLarge(limit: limit)) }
        let declared = (declaredType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let isJPEG = bytes.count > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF
        let isPNG = bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        switch declared {
        case "image/jpeg" where isJPEG: return .success("image/jpeg")
        case "image/png" where isPNG: return .success("image/png")
        default: return .failure(.unsupportedType)
        }
    }
}

/// A store alert and the task it became for the store's salesperson.
public struct StoreAlert: Codable, Sendable, Equatable {
    public var id: Int64
    public var storeID: Int64
    public var storeCode: String?
    public var storeName: String?
    public var kind: StoreAnomalyKind
    public var productID: Int64?
    public var salespersonNodeID: Int64?
    /// The business day the alert was raised, the last day the job still found it, and the task's due day.
    public var raisedDay: Int64
    public var lastDay: Int64
    public var dueDay: Int64
    public var score: Double
    public var baseline: Double
    public var observed: Double
    public var peerMedian: Double?
    public var reason: String
    public var status: TaskStatus
    public var createdAt: Int64
    public var firstVisitAt: Int64?
    public var resolvedAt: Int64?
    public var resolvedBy: Int64?
    public var resolution: ResolutionReason?
    public var resolutionNote: String?
    public var outcome: ConversionOutcome
    public var outcomeDay: Int64?
    /// What the store sold in the window when the outcome was judged (scanned units), for sales kinds.
    public var outcomeObserved: Double?

    public init(
        id: Int64, storeID: Int64, storeCode: String?, storeName: String?, kind: StoreAnomalyKind, productID: Int64?, salespersonNodeID: Int64?,
        raisedDay: Int64, lastDay: Int64, dueDay: Int64, score: Double, baseline: Double, observed: Double, peerMedian: Double?, reason: String,
        status: TaskStatus, createdAt: Int64, firstVisitAt: Int64?, resolvedAt: Int64?, resolvedBy: Int64?, resolution: ResolutionReason?,
        resolutionNote: String?, outcome: ConversionOutcome, outcomeDay: Int64?, outcomeObserved: Double?
    ) {
        self.id = id
        self.storeID = storeID
        self.storeCode = storeCode
        self.storeName = storeName
        self.kind = kind
        self.productID = productID
        self.salespersonNodeID = salespersonNodeID
        self.raisedDay = raisedDay
        self.lastDay = lastDay
        self.dueDay = dueDay
        self.score = score
        self.baseline = baseline
        self.observed = observed
        self.peerMedian = peerMedian
        self.reason = reason
        self.status = status
        self.createdAt = createdAt
        self.firstVisitAt = firstVisitAt
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
        self.resolution = resolution
        self.resolutionNote = resolutionNote
        self.outcome = outcome
        self.outcomeDay = outcomeDay
        self.outcomeObserved = outcomeObserved
    }
}
