/// A consumer's scan of a unit code, as the phone sends it.
public struct ScanInput: Sendable, Codable {
    public var code: String?
    public var latitude: Double?
    public var longitude: Double?
    /// wgs84 (default), gcj02 (WeChat, AMap, Tencent Maps) or bd09 (Baidu).
    public var coordinateSystem: String?
    public var deviceID: String?
    /// The consumer, when known: a WeChat openid or a phone number.
    public var openid: String?
    public var phone: String?
    /// When the phone scanned (milliseconds), for scans queued offline; the server's time otherwise.
    public var scannedAt: Int64?

    /// How far back a queued scan may be, and how far ahead a phone's clock may run.
    public static let maximumAge: Int64 = 7 * 86_400_000
    public static let maximumClockSkew: Int64 = 5 * 60_000

    public init(
        code: String?, latitude: Double? = nil, longitude: Double? = nil, coordinateSystem: String? = nil,
        deviceID: String? = nil, openid: String? = nil, phone: String? = nil, scannedAt: Int64? = nil
    ) {
        self.code = code
        self.latitude = latitude
        self.longitude = longitude
        self.coordinateSystem = coordinateSystem
        self.deviceID = deviceID
        self.openid = openid
        self.phone = phone
        self.scannedAt = scannedAt
    }

    /// The checked fields: when (the server's `now` unless a plausible queued time was sent), a
    /// WGS-84 position (converted) or none, and who scanned.
    public func validated(now: Int64) throws(ValidationError) -> (at: Int64, location: GeoPoint?, deviceID: String?, consumer: String?) {
        var v = Validator()
        if let scannedAt, scannedAt < now - Self.maximumAge || scannedAt > now + Self.maximumClockSkew {
            v.add(FieldError(field: "scannedAt", code: "out_of_range", message: "scannedAt must lie within the last 7 days and not in the future"))
        }
        var location: GeoPoint?
        let system = CoordinateSystem(rawValue: coordinateSystem ?? "wgs84")
        if system == nil { v.add(FieldError(field: "coordinateSystem", code: "invalid", message: "coordinateSystem is wgs84, gcj02 or bd09")) }
        switch (latitude, longitude) {
        case (nil, nil): break
        case (let lat?, let lon?):
            if let point = GeoPoint(latitude: lat, longitude: lon) {
                location = point.toWGS84(from: system ?? .wgs84)
            } else {
                v.add(FieldError(field: "latitude", code: "out_of_range", message: "latitude must be -90…90 and longitude -180…180"))
            }
        default: v.add(FieldError(field: "longitude", code: "required", message: "send latitude and longitude together"))
        }
        let device = v.optionalText(deviceID, field: "deviceID", maxLength: 128)
        let openid = v.optionalText(self.openid, field: "openid", maxLength: 128)
        let phone = v.optionalText(self.phone, field: "phone", maxLength: 20)
        if let phone, !phone.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "+" }) {
            v.add(FieldError(field: "phone", code: "invalid", message: "phone holds digits only"))
        }
        try v.check()
        return (min(scannedAt ?? now, now), location, device, openid.map { "openid:\($0)" } ?? phone.map { "phone:\($0)" })
    }
}

/// What recording a scan tells: this scan's number for the code and the code's first scan.
public struct ScanTally: Sendable, Equatable, Codable {
    public var scanNumber: Int
    public var firstScannedAt: Int64
    public var firstLatitude: Double?
    public var firstLongitude: Double?

    public init(scanNumber: Int, firstScannedAt: Int64, firstLatitude: Double?, firstLongitude: Double?) {
        self.scanNumber = scanNumber
        self.firstScannedAt = firstScannedAt
        self.firstLatitude = firstLatitude
        self.firstLongitude = firstLongitude
    }
}
