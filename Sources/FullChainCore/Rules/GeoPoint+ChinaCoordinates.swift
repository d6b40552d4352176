import Foundation

/// The coordinate systems phones and map SDKs in China report positions in. Scans store WGS-84;
/// positions from other systems are converted on the way in.
public enum CoordinateSystem: String, Sendable, Codable, CaseIterable {
    /// GPS, and what FullChain stores.
    case wgs84
    /// GCJ-02 ("Mars coordinates"): WeChat's `wx.getLocation(type: 'gcj02')`, AMap, Tencent Maps.
    case gcj02
    /// BD-09: Baidu Maps, GCJ-02 shifted once more.
    case bd09
}

extension GeoPoint {
    /// This point, read in `system`, as WGS-84. Outside China GCJ-02 equals WGS-84.
    public func toWGS84(from system: CoordinateSystem) -> GeoPoint {
        switch system {
        case .wgs84: self
        case .gcj02: Self.gcjToWGS(self)
        case .bd09: Self.gcjToWGS(Self.bdToGCJ(self))
        }
    }

    /// WGS-84 → GCJ-02, the published forward transform.
    public func toGCJ02() -> GeoPoint {
        guard Self.isInChina(self) else { return self }
        let (dLat, dLon) = Self.gcjOffset(latitude: latitude, longitude: longitude)
        return GeoPoint(latitude: latitude + dLat, longitude: longitude + dLon) ?? self
    }

    /// GCJ-02 → BD-09.
    public func toBD09() -> GeoPoint {
        let x = longitude, y = latitude
        let z = (x * x + y * y).squareRoot() + 0.00002 * sin(y * Self.xPi)
        let theta = atan2(y, x) + 0.000003 * cos(x * Self.xPi)
        return GeoPoint(latitude: z * sin(theta) + 0.006, longitude: z * cos(theta) + 0.0065) ?? self
    }

    private static let xPi = Double.pi * 3000 / 180
    private static let axis = 6_378_245.0
    private static let eccentricity = 0.006_693_421_622_965_943_23

    static func isInChina(_ point: GeoPoint) -> Bool {
        (72.004...137.8347).contains(point.longitude) && (0.8293...55.8271).contains(point.latitude)
    }

    /// GCJ-02 → WGS-84 by inverting the forward transform (a few fixed-point steps, well under a metre).
    static func gcjToWGS(_ gcj: GeoPoint) -> GeoPoint {
        guard isInChina(gcj) else { return gcj }
        var latitude = gcj.latitude, longitude = gcj.longitude
        for _ in 0..<6 {
            let (dLat, dLon) = gcjOffset(latitude: latitude, longitude: longitude)
            latitude = gcj.latitude - dLat
            longitude = gcj.longitude - dLon
        }
        return GeoPoint(latitude: latitude, longitude: longitude) ?? gcj
    }

    static func bdToGCJ(_ bd: GeoPoint) -> GeoPoint {
        let x = bd.longitude - 0.0065, y = bd.latitude - 0.006
        let z = (x * x + y * y).squareRoot() - 0.00002 * sin(y * xPi)
        let theta = atan2(y, x) - 0.000003 * cos(x * xPi)
        return GeoPoint(latitude: z * sin(theta), longitude: z * cos(theta)) ?? bd
    }

    /// The GCJ-02 shift at a WGS-84 position, in degrees.
    static func gcjOffset(latitude: Double, longitude: Double) -> (Double, Double) {
        let x = longitude - 105, y = latitude - 35
        var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        dLat += (20 * sin(6 * x * .pi) + 20 * sin(2 * x * .pi)) * 2 / 3
        dLat += (20 * sin(y * .pi) + 40 * sin(y / 3 * .pi)) * 2 / 3
        dLat += (160 * sin(y / 12 * .pi) + 320 * sin(y * .pi / 30)) * 2 / 3
        var dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        dLon += (20 * sin(6 * x * .pi) + 20 * sin(2 * x * .pi)) * 2 / 3
        dLon += (20 * sin(x * .pi) + 40 * sin(x / 3 * .pi)) * 2 / 3
        dLon += (150 * sin(x / 12 * .pi) + 300 * sin(x / 30 * .pi)) * 2 / 3
        let radLat = latitude / 180 * .pi
        let magic = 1 - eccentricity * sin(radLat) * sin(radLat)
        let sqrtMagic = magic.squareRoot()
        dLat = (dLat * 180) / ((axis * (1 - eccentricity)) / (magic * sqrtMagic) * .pi)
        dLon = (dLon * 180) / (axis / sqrtMagic * cos(radLat) * .pi)
        return (dLat, dLon)
    }
}
