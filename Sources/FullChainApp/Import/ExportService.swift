import Foundation
public import FullChainCore
import FullChainStorage
public import FullChainTabular

/// Writes stores, distributors, products or users within the caller's reach as the same
/// columns the import reads, so an export can be edited and imported elsewhere.
public struct ExportService: Sendable {
    let core: AppCore

    public init(core: AppCore) { self.core = core }

    public func table(_ kind: ImportKind, principal: Principal) async throws -> Table {
        let storage = core.storage
        let header = kind.columns.map(\.zh)
        var rows: [[String]] = []
        let lookups = try await Lookups.load(storage, scope: principal.scope, stores: kind == .users)
        let nodeCodes = Dictionary(lookups.nodes.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let distributorCodes = Dictionary(lookups.distributors.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        switch kind {
        case .stores:
            try await pages { query in
                try await storage.stores.list(query, filter: StoreFilter(), scope: principal.scope)
            } each: { (summary: StoreSummary) in
                let s = summary.store
                rows.append([
                    s.code, s.name, ImportKind.label(s.type.rawValue), s.address ?? "",
                    core.regions.fullName(of: s.regionCode).replacingOccurrences(of: " ", with: ""),
                    s.location.map { String($0.latitude) } ?? "", s.location.map { String($0.longitude) } ?? "",
                    s.distributorID.flatMap { distributorCodes[$0] } ?? "", s.salespersonNodeID.flatMap { nodeCodes[$0] } ?? "",
                    ImportKind.label(s.status.rawValue), s.phone ?? "",
                ])
            }
        case .distributors:
            try await pages { query in
                try await storage.distributors.list(query, status: nil, scope: principal.scope)
            } each: { (d: Distributor) in
                rows.append([
                    d.code, d.name, d.contactName ?? "", d.phone ?? "", d.address ?? "", nodeCodes[d.orgNodeID] ?? "",
                    d.territory.joined(separator: ";"), ImportKind.label(d.status.rawValue),
                ])
            }
        case .products:
            try await pages { query in
                try await storage.products.list(query, category: nil, tenantID: principal.tenantID)
            } each: { (p: Product) in
                rows.append([
                    p.sku, p.gtin.shortForm, p.name, p.category, Money.yuan(fromFen: p.priceFen), String(p.unitsPerCase), p.launchDate ?? "",
                    ImportKind.label(p.status.rawValue),
                ])
            }
        case .users:
            let storeCodes = Dictionary(lookups.stores.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            try await pages { query in
                try await storage.users.list(query, role: nil, scope: principal.scope)
            } each: { (u: User) in
                rows.append([
                    u.username, u.displayName, ImportKind.label(u.role.rawValue), u.orgNodeID.flatMap { nodeCodes[$0] } ?? "",
                    u.distributorID.flatMap { distributorCodes[$0] } ?? "", u.storeID.flatMap { storeCodes[$0] } ?? "", "", u.active ? "是" : "否",
                ])
            }
        }
        return Table(header: header, rows: rows)
    }

    /// A template: the header and one example row.
    public static func template(_ kind: ImportKind) -> Table {
        Table(header: kind.columns.map(\.zh), rows: [kind.columns.map(\.example)])
    }

    private func pages<Item: Sendable & Codable>(_ fetch: (ListQuery) async throws -> Page<Item>, each: (Item) -> Void) async throws {
        var offset = 0
        while true {
            let page = try await fetch(ListQuery(limit: 500, offset: offset))
            page.items.forEach(each)
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { break }
        }
    }

    /// Encodes a table as a download in the asked format.
    public static func file(_ table: Table, format: String, baseName: String) throws -> (bytes: [UInt8], contentType: String, fileName: String) {
        switch format {
        case "xlsx":
            return (
                try XLSX.write(table, sheetName: baseName), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "\(baseName).xlsx"
            )
        case "csv":
            return (CSV.encode(table, bom: true), "text/csv; charset=utf-8", "\(baseName).csv")
        default:
            throw AppError(.unsupported, code: "invalid_format", message: "format must be csv or xlsx")
        }
    }
}
