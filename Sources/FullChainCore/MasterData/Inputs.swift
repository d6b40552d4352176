/// What a client sends to create or replace a store (JSON body or one import row).
public struct StoreInput: Codable, Sendable, Equatable {
    public var code: String?
    public var name: String?
    public var type: String?
    public var address: String?
    /// A region code or name (`110105`, `北京市朝阳区`).
    public var region: String?
    public var latitude: Double?
    public var longitude: Double?
    public var distributorID: Int64?
    public var salespersonNodeID: Int64?
    public var status: String?
    /// The store's phone (optional).
    public var phone: String?

    public init(
        code: String? = nil, name: String? = nil, type: String? = nil, address: String? = nil, region: String? = nil, latitude: Double? = nil,
        longitude: Double? = nil, distributorID: Int64? = nil, salespersonNodeID: Int64? = nil, status: String? = nil, phone: String? = nil
    ) {
        self.phone = phone
        self.code = code
        self.name = name
        self.type = type
        self.address = address
        self.region = region
        self.latitude = latitude
        self.longitude = longitude
        self.distributorID = distributorID
        self.salespersonNodeID = salespersonNodeID
        self.status = status
    }

    /// Checks every field that needs no database, resolving the region by code or name.
    public func validated(regions: RegionCatalog) throws(ValidationError) -> StoreDraft {
        var v = Validator()
        let code = v.code(code, field: "code")
        let name = v.text(name, field: "name", maxLength: 100)
        let type = v.enumeration(type, field: "type", default: StoreType.other)
        let address = v.optionalText(address, field: "address", maxLength: 300)
        let region = v.region(region, field: "region", regions: regions)
        let location = v.location(latitude: latitude, longitude: longitude)
        let status = v.enumeration(status, field: "status", default: MasterDataStatus.active)
        let phone = v.phone(phone, field: "phone")
        try v.check()
        return StoreDraft(
            code: code, name: name, type: type, address: address, regionCode: region?.code ?? "", location: location,
            distributorID: distributorID, salespersonNodeID: salespersonNodeID, status: status, phone: phone)
    }
}

/// What a client sends to create or replace a distributor.
public struct DistributorInput: Codable, Sendable, Equatable {
    public var code: String?
    public var name: String?
    public var contactName: String?
    public var phone: String?
    public var address: String?
    public var orgNodeID: Int64?
    /// Region codes or names.
    public var territory: [String]?
    public var status: String?

    public init(
        code: String? = nil, name: String? = nil, contactName: String? = nil, phone: String? = nil, address: String? = nil, orgNodeID: Int64? = nil,
        territory: [String]? = nil, status: String? = nil
    ) {
        self.code = code
        self.name = name
        self.contactName = contactName
        self.phone = phone
        self.address = address
        self.orgNodeID = orgNodeID
        self.territory = territory
        self.status = status
    }

    public func validated(regions: RegionCatalog) throws(ValidationError) -> DistributorDraft {
        var v = Validator()
        let code = v.code(code, field: "code")
        let name = v.text(name, field: "name", maxLength: 100)
        let contact = v.optionalText(contactName, field: "contactName", maxLength: 50)
        let phone = v.phone(phone, field: "phone")
        let address = v.optionalText(address, field: "address", maxLength: 300)
        if orgNodeID == nil { v.add(.required("orgNodeID")) }
        var codes: [String] = []
        let entries = territory ?? []
        if entries.isEmpty { v.add(FieldError(field: "territory", code: "required", message: "territory needs at least one region")) }
        if entries.count > 500 { v.add(FieldError(field: "territory", code: "too_many", message: "territory holds at most 500 regions")) }
        for entry in entries.prefix(500) {
            if let region = v.region(entry, field: "territory", regions: regions), !codes.contains(region.code) {
                codes.append(region.code)
            }
        }
        let status = v.enumeration(status, field: "status", default: MasterDataStatus.active)
        try v.check()
        return DistributorDraft(
            code: code, name: name, contactName: contact, phone: phone, address: address,
            orgNodeID: orgNodeID ?? 0, territory: codes.sorted(), status: status)
    }
}

/// What a client sends to create or replace a product.
public struct ProductInput: Codable, Sendable, Equatable {
    public var sku: String?
    public var gtin: String?
    public var name: String?
    public var category: String?
    public var priceFen: Int64?
    public var unitsPerCase: Int64?
    public var launchDate: String?
    public var status: String?

    public init(
        sku: String? = nil, gtin: String? = nil, name: String? = nil, category: String? = nil, priceFen: Int64? = nil, unitsPerCase: Int64? = nil,
        launchDate: String? = nil, status: String? = nil
    ) {
        self.sku = sku
        self.gtin = gtin
        self.name = name
        self.category = category
        self.priceFen = priceFen
        self.unitsPerCase = unitsPerCase
        self.launchDate = launchDate
        self.status = status
    }

    public func validated() throws(ValidationError) -> ProductDraft {
        var v = Validator()
        let sku = v.code(sku, field: "sku")
        let gtinText = v.text(gtin, field: "gtin", maxLength: 14)
        let gtin = GTIN(gtinText)
        if gtin == nil && !gtinText.isEmpty {
            v.add(FieldError(field: "gtin", code: "invalid_gtin", message: "gtin must be 8, 12, 13 or 14 digits with a valid check digit"))
        }
        let name = v.text(name, field: "name", maxLength: 100)
        let category = v.text(category, field: "category", maxLength: 50)
        let price = v.integer(priceFen, field: "priceFen", in: 0...100_000_000)
        let units = v.integer(unitsPerCase, field: "unitsPerCase", in: 1...10_000)
        let launch = v.date(launchDate, field: "launchDate")
        let status = v.enumeration(status, field: "status", default: MasterDataStatus.active)
        try v.check()
        guard let gtin else { throw ValidationError([FieldError(field: "gtin", code: "invalid_gtin", message: "gtin is invalid")]) }
        return ProductDraft(
            sku: sku, gtin: gtin, name: name, category: category, priceFen: price, unitsPerCase: units, launchDate: launch, status: status)
    }
}

/// What a client sends to create or replace a user.
public struct UserInput: Codable, Sendable, Equatable {
    public var username: String?
    public var displayName: String?
    public var role: String?
    public var orgNodeID: Int64?
    public var distributorID: Int64?
    public var storeID: Int64?
    public var active: Bool?
    /// A new password; at least 8 characters. Optional on update.
    public var password: String?

    public init(
        username: String? = nil, displayName: String? = nil, role: String? = nil, orgNodeID: Int64? = nil, distributorID: Int64? = nil,
        storeID: Int64? = nil, active: Bool? = nil, password: String? = nil
    ) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.orgNodeID = orgNodeID
        self.distributorID = distributorID
        self.storeID = storeID
        self.active = active
        self.password = password
    }

    public func validated(passwordRequired: Bool) throws(ValidationError) -> (draft: UserDraft, password: String?) {
        var errors: [FieldError] = []
        var draft: UserDraft?
        do {
            draft = try UserDraft.validated(
                username: username, displayName: displayName, role: role, orgNodeID: orgNodeID,
                distributorID: distributorID, storeID: storeID, active: active)
        } catch {
            errors = error.errors
        }
        if let password {
            if password.count < 8 || password.count > 128 {
                errors.append(FieldError(field: "password", code: "weak_password", message: "password must be 8 to 128 characters"))
            }
        } else if passwordRequired {
            errors.append(.required("password"))
        }
        guard errors.isEmpty, let draft else { throw ValidationError(errors) }
        return (draft, password)
    }
}

/// What a client sends to create an org node or rename one.
public struct OrgNodeInput: Codable, Sendable, Equatable {
    public var parentID: Int64?
    public var code: String?
    public var name: String?

    public init(parentID: Int64? = nil, code: String? = nil, name: String? = nil) {
        self.parentID = parentID
        self.code = code
        self.name = name
    }

    public func validated() throws(ValidationError) -> (code: String, name: String) {
        var v = Validator()
        let code = v.code(code, field: "code")
        let name = v.text(name, field: "name", maxLength: 100)
        try v.check()
        return (code, name)
    }
}

extension Validator {
    /// A value of a string enum, or the default when absent.
    public mutating func enumeration<E: RawRepresentable & CaseIterable>(_ value: String?, field: String, default fallback: E) -> E
    where E.RawValue == String {
        let trimmed = (value ?? "").trimmingWhitespace()
        guard !trimmed.isEmpty else { return fallback }
        if let parsed = E(rawValue: trimmed) { return parsed }
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        add(FieldError(field: field, code: "invalid_value", message: "\(field) must be one of \(allowed)"))
        return fallback
    }

    /// A region by code or name.
    public mutating func region(_ value: String?, field: String, regions: RegionCatalog) -> Region? {
        let trimmed = (value ?? "").trimmingWhitespace()
        guard !trimmed.isEmpty else {
            add(.required(field))
            return nil
        }
        do {
            return try regions.resolve(trimmed)
        } catch {
            switch error {
            case .unknown:
                add(FieldError(field: field, code: "unknown_region", message: "no region is called or coded '\(trimmed)'"))
            case .ambiguous(_, let candidates):
                add(
                    FieldError(
                        field: field, code: "ambiguous_region",
                        message: "'\(trimmed)' could be \(candidates.prefix(5).joined(separator: "; ")); give the code or the province and city"))
            }
            return nil
        }
    }

    /// Both coordinates or neither, within WGS-84 ranges.
    public mutating func location(latitude: Double?, longitude: Double?) -> GeoPoint? {
        switch (latitude, longitude) {
        case (nil, nil):
            return nil
        case (let lat?, let lon?):
            if let point = GeoPoint(latitude: lat, longitude: lon) { return point }
            add(FieldError(field: "latitude", code: "invalid_location", message: "latitude must be -90...90 and longitude -180...180"))
            return nil
        default:
            add(
                FieldError(
                    field: latitude == nil ? "latitude" : "longitude", code: "required", message: "give both latitude and longitude, or neither"))
            return nil
        }
    }

    /// An optional phone number: digits, spaces, `+` and `-`, 5 to 20 characters.
    public mutating func phone(_ value: String?, field: String) -> String? {
        guard let text = optionalText(value, field: field, maxLength: 20) else { return nil }
        let allowed = text.unicodeScalars.allSatisfy { ($0.value >= 0x30 && $0.value <= 0x39) || $0 == "+" || $0 == "-" || $0 == " " }
        if !allowed || text.count < 5 {
            add(FieldError(field: field, code: "invalid_phone", message: "\(field) must be a phone number"))
        }
        return text
    }

    /// An optional calendar date `YYYY-MM-DD` between 1900 and 2200.
    public mutating func date(_ value: String?, field: String) -> String? {
        let trimmed = (value ?? "").trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        if CalendarDate(trimmed, years: 1900...2200) != nil {
            return trimmed
        }
        add(FieldError(field: field, code: "invalid_date", message: "\(field) must be a date like 2026-03-01"))
        return nil
    }
}
