import FullChainCore

/// A consumer's scan is a flat object of texts and numbers: it is read without `JSONDecoder`.
extension ScanInput: FlatJSONDecodable {
    init?(flat object: FlatJSONObject) {
        guard let code = object.string("code"), let latitude = object.double("latitude"), let longitude = object.double("longitude"),
            let coordinateSystem = object.string("coordinateSystem"), let deviceID = object.string("deviceID"),
            let openid = object.string("openid"), let phone = object.string("phone"), let scannedAt = object.int64("scannedAt")
        else { return nil }
        self.init(
            code: code, latitude: latitude, longitude: longitude, coordinateSystem: coordinateSystem, deviceID: deviceID,
            openid: openid, phone: phone, scannedAt: scannedAt)
    }
}
