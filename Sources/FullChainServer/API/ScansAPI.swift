import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import Logging

/// A store near the consumer, as the scan page lists it.
struct NearbyStore: Codable, Sendable {
    var id: Int64
    var name: String
    var address: String?
    var latitude: Double?
    var longitude: Double?
    /// Metres from the consumer.
    var distance: Int?
}

/// Consumer scans. Public: the code itself says which brand it belongs to.
enum ScansAPI {
    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let scanning = services.scanning
        let limit = services.configuration.maxJSONBytes
        return [
            APIEndpoint(
                .post, "/api/v1/scans", id: "scanCode", tag: "scans",
                summary: "A consumer scans a unit code: authenticity, how often and where it was first scanned, the selling store",
                access: .anyone, request: "ScanInput", response: "ScanResult"
            ) { request, context in
                let input = try await request.decodeJSON(ScanInput.self, limit: limit)
                let now = currentMillis()
                let (at, location, deviceID, asserted) = try input.validated(now: now)
                // The client address's allowance was checked before the body was read (PublicLimitsMiddleware).
                try services.limits.admitScan(device: deviceID)
                // Who signed in on the brand's pages; an identity in the body is believed for nothing that pays.
                let signedIn = try ConsumerPages.session(of: request, services: services, now: now, changesState: true)
                let ip = services.clientAddress(request, context)?.description
                do {
                    let result = try await scanning.scan(
                        code: input.code ?? "", at: at, receivedAt: now, location: location, deviceID: deviceID, ip: ip, signedIn: signedIn,
                        asserted: asserted)
                    // A newcomer who came through an invite link: their first genuine scan credits the inviter.
                    // (The scan stands whatever happens to the referral.)
                    if let signedIn, let code = request.cookie(named: ConsumerPages.referralCookie) {
                        do {
                            _ = try await services.consumers.attributeReferral(
                                code: code, session: signedIn, scan: result, deviceID: deviceID, ip: ip, at: now)
                        } catch {
                            context.logger.warning("referral not recorded", metadata: ["error": "\(error)"])
                        }
                    }
                    return result.jsonResponse()
                } catch ScanService.Refusal.notGenuine {
                    throw APIError(.unprocessableContent, code: "invalid_code", message: "this is not a genuine product code")
                }
            },
            APIEndpoint(
                .get, "/api/v1/scans/nearby-stores", id: "nearbyStores", tag: "scans",
                summary: "The brand's active stores nearest to where a code was scanned",
                access: .anyone, response: "NearbyStoreList",
                query: [
                    .init("code", "string", "the scanned code"), .init("latitude", "number", "latitude"), .init("longitude", "number", "longitude"),
                    .init("coordinateSystem", "string", "wgs84 (default), gcj02 or bd09"),
                ]
            ) { request, _ in
                let query = request.uri.queryParameters
                let input = ScanInput(
                    code: query.get("code"), latitude: query.get("latitude").flatMap(Double.init),
                    longitude: query.get("longitude").flatMap(Double.init), coordinateSystem: query.get("coordinateSystem"))
                guard input.latitude != nil, input.longitude != nil else {
                    throw APIError(
                        .unprocessableContent, code: "validation_failed", message: "send latitude and longitude",
                        details: .fields([FieldError(field: "latitude", code: "required", message: "send latitude and longitude as numbers")]))
                }
                guard let point = try input.validated(now: currentMillis()).location else { throw APIError.notFound }
                let stores = try await scanning.nearbyStores(code: input.code ?? "", around: point)
                return try .json(
                    stores.map { store in
                        NearbyStore(
                            id: store.id, name: store.name, address: store.address, latitude: store.location?.latitude,
                            longitude: store.location?.longitude, distance: store.location.map { Int($0.distance(to: point)) })
                    })
            },
        ]
    }
}
