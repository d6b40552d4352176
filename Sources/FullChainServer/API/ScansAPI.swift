import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// What a consumer sees after scanning the code in the cap.
struct ScanResult: Codable, Sendable {
    struct ProductInfo: Codable, Sendable {
        var sku: String
        var name: String
    }

    struct StoreInfo: Codable, Sendable {
        var id: Int64
        var name: String
    }

    var authentic: Bool
    /// Inactive or voided codes are recorded and flagged; they never count as sales.
    var status: CodeStatus
    var firstScan: Bool
    var scanCount: Int
    var firstScannedAt: Int64
    var firstLatitude: Double?
    var firstLongitude: Double?
    var product: ProductInfo?
    /// The store that sold the unit (BC association), when its case was received.
    var store: StoreInfo?
    /// Whether this scan counts as the store's sell-through.
    var countsAsSale: Bool
}

/// Consumer scans. Public: the code itself says which brand it belongs to.
enum ScansAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        let keys = services.codeKeys
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(.post, "/api/v1/scans", id: "scanCode", tag: "scans", summary: "A consumer scans a unit code: authenticity, how often and where it was first scanned, the selling store",
                        access: .anyone, request: "ScanInput", response: "ScanResult") { request, context in
                let input = try await request.decodeJSON(ScanInput.self, limit: limit)
                let (location, deviceID, consumer) = try input.validated()
                // Forged, mistyped and cut-short codes stop here, before any storage work.
                let notGenuine = APIError(.unprocessableContent, code: "invalid_code", message: "this is not a genuine product code")
                guard let text = input.code, let (code, tenantID) = try await keys.authenticate(text), code.kind == .unit else { throw notGenuine }
                guard let place = try await storage.place(of: code, tenantID: tenantID) else { throw notGenuine }
                let (batch, status, ref) = (place.batch, place.status, place.caseRef)
                let receipt = try await storage.logistics.receipts(of: [ref], tenantID: tenantID)[ref]
                let tally = try await storage.scans.record(
                    ScanRecord(batchID: batch.id, serial: Int(code.serial), scannedAt: currentMillis(), location: location, deviceID: deviceID,
                               ip: request.headers.first { $0.name.canonicalName == "x-forwarded-for" }?.value, consumer: consumer, storeID: receipt?.storeID, status: status),
                    tenantID: tenantID)
                let product = try await storage.products.get(id: batch.productID, tenantID: tenantID)
                let store = try await receipt.asyncMap { try await storage.stores.get(id: $0.storeID, scope: .wholeTenant(tenantID)) } ?? nil
                return try .json(ScanResult(
                    authentic: true, status: status, firstScan: tally.scanNumber == 1, scanCount: tally.scanNumber, firstScannedAt: tally.firstScannedAt,
                    firstLatitude: tally.firstLatitude, firstLongitude: tally.firstLongitude,
                    product: product.map { ScanResult.ProductInfo(sku: $0.sku, name: $0.name) },
                    store: store.map { ScanResult.StoreInfo(id: $0.store.id, name: $0.store.name) },
                    countsAsSale: status == .active && store != nil))
            },
        ]
    }
}
