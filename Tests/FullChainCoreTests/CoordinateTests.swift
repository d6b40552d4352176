import FullChainCore
import Testing

@Suite("China coordinate systems")
struct CoordinateTests {
    @Test
    func gcjAndBaiduPositionsComeBackToWGS84WithinAMetre() throws {
        var random = SeededRandom(seed: 3)
        for _ in 0..<500 {
            let wgs = try #require(GeoPoint(latitude: 18 + random.unit() * 34, longitude: 75 + random.unit() * 58))
            let gcj = wgs.toGCJ02()
            let bd = gcj.toBD09()
            #expect(wgs.distance(to: gcj.toWGS84(from: .gcj02)) < 1, "\(wgs)")
            #expect(wgs.distance(to: bd.toWGS84(from: .bd09)) < 1, "\(wgs)")
            #expect(gcj.toWGS84(from: .wgs84) == gcj)
        }
    }

    @Test
    func theShiftsHaveTheirKnownSize() throws {
        // Tiananmen: GCJ-02 moves a WGS-84 point a few hundred metres (north-east), BD-09 about a kilometre.
        let tiananmen = try #require(GeoPoint(latitude: 39.9075, longitude: 116.3972))
        let gcj = tiananmen.toGCJ02()
        #expect((300.0...800.0).contains(tiananmen.distance(to: gcj)))
        #expect(gcj.latitude > tiananmen.latitude && gcj.longitude > tiananmen.longitude)
        #expect((700.0...1_500.0).contains(tiananmen.distance(to: gcj.toBD09())))
        // Outside China nothing moves.
        let paris = try #require(GeoPoint(latitude: 48.8566, longitude: 2.3522))
        #expect(paris.toGCJ02() == paris)
        #expect(paris.toWGS84(from: .gcj02) == paris)
    }
}
