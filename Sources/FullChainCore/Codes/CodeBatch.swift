/// A production run of one SKU whose units and cases get printed codes.
///
/// Only this metadata is stored: unit `n` of the batch has the C code with serial `n`, and sits
/// in case `n / unitsPerCase`, whose B code has that case number as its serial. A unit moved to
/// another case later is recorded as an explicit re-packing, not by changing this rule.
public struct CodeBatch: Sendable, Hashable, Codable {
    /// The batch number within the tenant, printed in every code (1…`ScanCode.maxBatch`).
    public var id: Int64
    public var productID: Int64
    /// The production lot as the factory names it (GS1 AI 10: at most 20 characters).
    public var lot: String
    /// How many units, 1…100,000,000.
    public var quantity: Int
    public var unitsPerCase: Int
    /// The tenant key the batch's codes are signed with.
    public var keyID: UInt32
    public var createdAt: Int64

    public init(id: Int64, productID: Int64, lot: String, quantity: Int, unitsPerCase: Int, keyID: UInt32, createdAt: Int64) {
        self.id = id
        self.productID = productID
        self.lot = lot
        self.quantity = quantity
        self.unitsPerCase = unitsPerCase
        self.keyID = keyID
        self.createdAt = createdAt
    }

    public static let maxQuantity = 100_000_000

    /// How many cases the units fill (the last may be partly full).
    public var caseCount: Int { (quantity + unitsPerCase - 1) / unitsPerCase }

    /// The case a unit was packed in.
    public func caseNumber(ofUnit serial: Int) -> Int { serial / unitsPerCase }

    /// The case a code names: a unit's case, or the case itself.
    public func caseNumber(of code: ScanCode) -> Int {
        code.kind == .unit ? caseNumber(ofUnit: Int(code.serial)) : Int(code.serial)
    }

    /// The units packed in a case.
    public func units(inCase number: Int) -> Range<Int> {
        let start = number * unitsPerCase
        return start..<min(start + unitsPerCase, quantity)
    }

    /// The C code of a unit.
    public func unitCode(_ serial: Int) -> ScanCode {
        ScanCode(kind: .unit, keyID: keyID, batch: UInt32(id), serial: UInt32(serial))
    }

    /// The B code of a case.
    public func caseCode(_ number: Int) -> ScanCode {
        ScanCode(kind: .case, keyID: keyID, batch: UInt32(id), serial: UInt32(number))
    }

    /// Whether a code names something in this batch.
    public func contains(_ code: ScanCode) -> Bool {
        guard code.batch == UInt32(id), code.keyID == keyID else { return false }
        switch code.kind {
        case .unit: return Int(code.serial) < quantity
        case .case: return Int(code.serial) < caseCount
        }
    }
}

/// What a batch is created from.
public struct CodeBatchInput: Sendable, Codable {
    public var productID: Int64?
    public var lot: String?
    public var quantity: Int?
    public var unitsPerCase: Int?

    public init(productID: Int64?, lot: String?, quantity: Int?, unitsPerCase: Int?) {
        self.productID = productID
        self.lot = lot
        self.quantity = quantity
        self.unitsPerCase = unitsPerCase
    }

    /// The checked fields; units per case defaults to the product's.
    public func validated(productUnitsPerCase: Int?) throws(ValidationError) -> (productID: Int64, lot: String, quantity: Int, unitsPerCase: Int) {
        var v = Validator()
        let productID = v.integer(productID, field: "productID", in: 1...Int64.max)
        // GS1 AI 10 (at most 20 characters) — letters, digits, '-', '_', '.' need no escaping in a URL.
        let lot = v.code(lot, field: "lot")
        if lot.count > 20 { v.add(FieldError(field: "lot", code: "too_long", message: "lot is longer than 20 characters")) }
        let quantity = Int(v.integer(quantity.map(Int64.init), field: "quantity", in: 1...Int64(CodeBatch.maxQuantity)))
        let perCase = Int(v.integer((unitsPerCase ?? productUnitsPerCase).map(Int64.init), field: "unitsPerCase", in: 1...10_000))
        try v.check()
        return (productID, lot, quantity, perCase)
    }
}
