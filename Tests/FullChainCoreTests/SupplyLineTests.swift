import FullChainCore
import Testing

@Suite("Supply lines")
struct SupplyLineTests {
    static func line(_ id: Int64, received: Int64, sold: Int64) -> SupplyLine {
        SupplyLine(storeID: id, storeCode: "S\(id)", storeName: "门店\(id)", received: received, sold: sold)
    }

    @Test func sellThroughIsSoldOverReceived() {
        #expect(Self.line(1, received: 48, sold: 12).sellThroughPercent == 25)
        #expect(Self.line(1, received: 0, sold: 12).sellThroughPercent == nil)
        #expect(Self.line(1, received: 24, sold: 30).sellThroughPercent == 125)
        #expect(Self.line(1, received: 24, sold: 30).buildUp == -6)
        #expect(Self.line(1, received: .max, sold: -1).buildUp == .max)
    }

    @Test func storesBuildingUpStockComeFirstAndTotalsSaturate() {
        let lines = [Self.line(1, received: 24, sold: 20), Self.line(2, received: 96, sold: 10), Self.line(3, received: 0, sold: 5)]
        #expect(SupplyLine.byBuildUp(lines).map(\.storeID) == [2, 1, 3])
        #expect(SupplyLine.totals(lines) == (120, 35))
        #expect(SupplyLine.totals([Self.line(1, received: .max, sold: 1), Self.line(2, received: 1, sold: 1)]) == (.max, 2))
    }
}
