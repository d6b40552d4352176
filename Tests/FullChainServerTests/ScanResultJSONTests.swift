import Foundation
import FullChainCore
import NIOCore
import Testing

@testable import FullChainApp
@testable import FullChainServer

/// The hand-written scan answer is the JSON `JSONEncoder` would write, escapes included.
@Suite("Scan answer JSON")
struct ScanResultJSONTests {
    @Test func matchesTheEncoderForAwkwardTexts() throws {
        let result = ScanResult(
            authentic: true, status: .voided, firstScan: false, scanCount: 7, firstScannedAt: 1_795_363_200_123,
            firstPlace: "北京市 \"朝阳\"\n区", product: .init(sku: "TEA\\500", name: "绿茶\u{1}\t500ml"),
            store: .init(id: 42, name: "店<script>", address: "路\"1号\"\\"), countsAsSale: false, code: "ABC",
            prize: PrizeInfo(
                campaignID: 3, campaign: "开盖\"有奖\"", outcome: .won, tier: "券\n", kind: .coupon, amountFen: 0, points: 0, couponCode: "C\\1"))
        let written = try #require(try JSONSerialization.jsonObject(with: Data(result.jsonBuffer().readableBytesView)) as? NSDictionary)
        let expected = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? NSDictionary)
        #expect(written == expected)
        #expect((written["firstPlace"] as? String) == "北京市 \"朝阳\"\n区")

        let empty = ScanResult(
            authentic: true, status: .active, firstScan: true, scanCount: 1, firstScannedAt: 5,
            firstPlace: nil, product: nil, store: nil, countsAsSale: true, code: "X")
        let emptyWritten = try #require(try JSONSerialization.jsonObject(with: Data(empty.jsonBuffer().readableBytesView)) as? [String: Any])
        #expect(
            emptyWritten["product"] is NSNull && emptyWritten["prize"] is NSNull && emptyWritten["firstPlace"] is NSNull
                && emptyWritten["scanCount"] as? Int == 1)
    }
}
