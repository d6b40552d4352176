import Foundation
public import FullChainCore
import FullChainStorage
import FullChainTabular

/// One row's problem in an import.
public struct RowError: Codable, Sendable, Equatable {
    /// Spreadsheet row number (the header is row 1).
    public var row: Int
    public var column: String
    public var code: String
    public var message: String
}

/// What an import did, row by row.
public struct ImportReport: Codable, Sendable, Equatable {
    public var runID: Int64?
    public var kind: ImportKind
    public var fileName: String
    public var format: String
    public var encoding: String?
    public var totalRows: Int
    public var importedRows: Int
    public var errorCount: Int
    /// The first 1,000 row errors.
    public var errors: [RowError]
}

/// Reads a spreadsheet of stores, distributors, products or users, checks every row, and writes
/// the good rows in one transaction: all rows, or none unless the caller asks to keep the good ones.
public struct ImportService: Sendable {
    let core: AppCore

    public init(core: AppCore) { self.core = core }
    static let maxReportedErrors = 1_000

    /// A file-level problem (not a row's): unreadable file, missing columns.
    static func fileError(_ code: String, _ message: String) -> AppError {
        AppError(.unreadable, code: code, message: message)
    }

    /// Parses a CSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX file.
    static func readTable(_ bytes: [UInt8], format: String?) throws(AppError) -> (Table, format: String, encoding: String?) {
        let isZip = bytes.starts(with: [0x50, 0x4B])
        let chosen = format ?? (isZip ? "xlsx" : "csv")
        do {
            switch chosen {
            case "xlsx":
                return (try XLSX.read(bytes), "xlsx", nil)
            case "csv":
                let (table, encoding) = try CSV.decode(bytes)
                return (table, "csv", encoding.rawValue)
            default:
                throw AppError(.unsupported, code: "invalid_format", message: "format must be csv or xlsx")
            }
        } catch let error as TabularError {
            throw fileError(error.code, error.message)
        } catch let error as AppError {
            throw error
        } catch {
            throw fileError("unreadable_file", "the file could not be read")
        }
    }

    public func run(
        kind: ImportKind, bytes: [UInt8], fileName: String, format: String?, keepGood: Bool, principal: Principal
    ) async throws -> ImportReport {
        let (table, format, encoding) = try Self.readTable(bytes, format: format)
        let columns = try Self.map(header: table.header, kind: kind)
        var rows = ParsedRows()
        switch kind {
        case .stores: try await parseStores(table, columns, principal, into: &rows)
        case .distributors: try await parseDistributors(table, columns, principal, into: &rows)
        case .products: parseProducts(table, columns, into: &rows)
        case .users: try await parseUsers(table, columns, principal, into: &rows)
        }
        let errorCount = rows.errors.count
        var imported = 0
        if errorCount == 0 || keepGood {
            imported = try await write(rows, kind: kind, principal: principal)
        }
        var report = ImportReport(
            runID: nil, kind: kind, fileName: fileName, format: format, encoding: encoding, totalRows: table.rows.count,
            importedRows: imported, errorCount: errorCount, errors: Array(rows.errors.prefix(Self.maxReportedErrors)))
        let errorsJSON = String(decoding: (try? JSONEncoder.api.encode(report.errors)) ?? Data("[]".utf8), as: UTF8.self)
        let orgPath: String = if case .orgSubtree(let path) = principal.scope.reach { path } else { "" }
        let run = try await core.storage.imports.record(
            ImportRun(
                id: 0, kind: kind.rawValue, fileName: fileName, format: format, userID: principal.userID, totalRows: table.rows.count,
                importedRows: imported, errorCount: errorCount, errorsJSON: errorsJSON, createdAt: currentMillis()),
            orgPath: orgPath, tenantID: principal.tenantID)
        report.runID = run.id
        return report
    }

    /// The good rows of a file, and every row's problems.
    struct ParsedRows {
        var stores: [StoreDraft] = []
        var distributors: [DistributorDraft] = []
        var products: [ProductDraft] = []
        var users: [(UserDraft, String?)] = []
        var errors: [RowError] = []
    }

    /// Column index by key; 422 when a required column is missing.
    static func map(header: [String], kind: ImportKind) throws(AppError) -> [String: Int] {
        var indexes: [String: Int] = [:]
        for (index, title) in header.enumerated() {
            if let column = kind.columns.first(where: { $0.matches(title) }), indexes[column.key] == nil {
                indexes[column.key] = index
            }
        }
        let missing = kind.columns.filter { $0.required && indexes[$0.key] == nil }
        guard missing.isEmpty else {
            throw fileError("missing_columns", "the file lacks required columns: " + missing.map { "\($0.zh) (\($0.key))" }.joined(separator: ", "))
        }
        return indexes
    }

    /// A row's cell by column key, trimmed; nil when empty or absent.
    static func cell(_ row: [String], _ columns: [String: Int], _ key: String) -> String? {
        guard let index = columns[key], index < row.count else { return nil }
        let value = row[index].trimmingWhitespace()
        return value.isEmpty ? nil : value
    }

    static func enumValue(_ text: String?) -> String? {
        text.map { ImportKind.valueAliases[$0] ?? $0 }
    }

    private func rowErrors(_ error: ValidationError, row: Int, kind: ImportKind) -> [RowError] {
        error.errors.map { RowError(row: row, column: Self.columnName(for: $0.field, kind: kind), code: $0.code, message: $0.message) }
    }

    /// Maps an input field name back to the spreadsheet column it came from.
    static func columnName(for field: String, kind: ImportKind) -> String {
        let aliases = [
            "distributorID": "distributor_code", "salespersonNodeID": "salesperson_code", "orgNodeID": "org_code", "storeID": "store_code",
            "displayName": "display_name", "unitsPerCase": "units_per_case", "priceFen": "price", "launchDate": "launch_date",
            "contactName": "contact_name",
        ]
        let key = aliases[field] ?? field
        return kind.columns.first { $0.key == key }?.zh ?? key
    }

    // MARK: Stores

    private func parseStores(_ table: Table, _ columns: [String: Int], _ principal: Principal, into rows: inout ParsedRows) async throws {
        let lookups = try await Lookups.load(core.storage, scope: principal.scope, stores: false)
        let existing = try await core.storage.stores.existingCodes(
            table.rows.compactMap { Self.cell($0, columns, "code") }, tenantID: principal.tenantID)
        var seen = Set<String>()
        for (index, row) in table.rows.enumerated() {
            let number = table.rowNumbers[index]
            var errors: [RowError] = []
            let code = Self.cell(row, columns, "code")
            if let code {
                if existing.contains(code) {
                    errors.append(RowError(row: number, column: "门店编码", code: "duplicate_code", message: "store code \(code) already exists"))
                }
                if !seen.insert(code).inserted {
                    errors.append(
                        RowError(row: number, column: "门店编码", code: "duplicate_code", message: "store code \(code) appears twice in the file"))
                }
            }
            var distributorID: Int64?
            if let text = Self.cell(row, columns, "distributor_code") {
                distributorID = lookups.distributors[text]
                if distributorID == nil {
                    errors.append(
                        RowError(row: number, column: "经销商编码", code: "unknown_distributor", message: "no distributor \(text) within your reach"))
                }
            }
            var nodeID: Int64?
            if let text = Self.cell(row, columns, "salesperson_code") {
                nodeID = lookups.salespersonNodes[text]
                if nodeID == nil {
                    errors.append(RowError(row: number, column: "业代编码", code: "unknown_salesperson", message: "no 业代 node \(text) within your reach"))
                }
            }
            let latitude = try Self.number(row, columns, "latitude", row: number, errors: &errors)
            let longitude = try Self.number(row, columns, "longitude", row: number, errors: &errors)
            let input = StoreInput(
                code: code, name: Self.cell(row, columns, "name"), type: Self.enumValue(Self.cell(row, columns, "type")),
                address: Self.cell(row, columns, "address"), region: Self.cell(row, columns, "region"),
                latitude: latitude, longitude: longitude, distributorID: distributorID, salespersonNodeID: nodeID,
                status: Self.enumValue(Self.cell(row, columns, "status")), phone: Self.cell(row, columns, "phone"))
            do {
                let draft = try input.validated(regions: core.regions)
                if errors.isEmpty {
                    if principal.scope.reach != .wholeTenant && nodeID == nil && distributorID == nil {
                        errors.append(RowError(row: number, column: "业代编码", code: "required", message: "give a 业代 node within your reach"))
                    } else {
                        rows.stores.append(draft)
                    }
                }
            } catch {
                errors += rowErrors(error, row: number, kind: .stores)
            }
            rows.errors += errors
        }
    }

    static func number(_ row: [String], _ columns: [String: Int], _ key: String, row number: Int, errors: inout [RowError]) throws -> Double? {
        guard let text = cell(row, columns, key) else { return nil }
        guard let value = Double(text), value.isFinite else {
            errors.append(
                RowError(
                    row: number, column: ImportKind.stores.columns.first { $0.key == key }?.zh ?? key, code: "invalid_number",
                    message: "\(text) is not a number"))
            return nil
        }
        return value
    }

    // MARK: Distributors

    private func parseDistributors(_ table: Table, _ columns: [String: Int], _ principal: Principal, into rows: inout ParsedRows) async throws {
        let lookups = try await Lookups.load(core.storage, scope: principal.scope, stores: false)
        var seen = Set<String>()
        for (index, row) in table.rows.enumerated() {
            let number = table.rowNumbers[index]
            var errors: [RowError] = []
            let code = Self.cell(row, columns, "code")
            if let code, !seen.insert(code).inserted {
                errors.append(
                    RowError(row: number, column: "经销商编码", code: "duplicate_code", message: "distributor code \(code) appears twice in the file"))
            }
            if let code, lookups.distributors[code] != nil {
                errors.append(RowError(row: number, column: "经销商编码", code: "duplicate_code", message: "distributor code \(code) already exists"))
            }
            var nodeID: Int64?
            if let text = Self.cell(row, columns, "org_code") {
                nodeID = lookups.nodes[text]
                if nodeID == nil {
                    errors.append(RowError(row: number, column: "管理组织编码", code: "unknown_org_node", message: "no org node \(text) within your reach"))
                }
            }
            let territory = Self.cell(row, columns, "territory")?
                .split(whereSeparator: { ";；、|".contains($0) }).map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
            let input = DistributorInput(
                code: code, name: Self.cell(row, columns, "name"), contactName: Self.cell(row, columns, "contact_name"),
                phone: Self.cell(row, columns, "phone"), address: Self.cell(row, columns, "address"),
                orgNodeID: nodeID ?? (errors.isEmpty ? nil : 0), territory: territory,
                status: Self.enumValue(Self.cell(row, columns, "status")))
            do {
                let draft = try input.validated(regions: core.regions)
                if errors.isEmpty { rows.distributors.append(draft) }
            } catch {
                errors += rowErrors(error, row: number, kind: .distributors)
            }
            rows.errors += errors
        }
    }

    // MARK: Products

    private func parseProducts(_ table: Table, _ columns: [String: Int], into rows: inout ParsedRows) {
        var skus = Set<String>()
        var gtins = Set<String>()
        for (index, row) in table.rows.enumerated() {
            let number = table.rowNumbers[index]
            var errors: [RowError] = []
            var priceFen: Int64?
            if let text = Self.cell(row, columns, "price") {
                priceFen = Money.fen(fromYuan: text)
                if priceFen == nil {
                    errors.append(RowError(row: number, column: "零售价(元)", code: "invalid_price", message: "\(text) is not a price in yuan like 3.50"))
                }
            }
            var units: Int64?
            if let text = Self.cell(row, columns, "units_per_case") {
                units = Int64(text)
                if units == nil {
                    errors.append(RowError(row: number, column: "箱规", code: "invalid_number", message: "\(text) is not a whole number"))
                }
            }
            let input = ProductInput(
                sku: Self.cell(row, columns, "sku"), gtin: Self.cell(row, columns, "gtin"), name: Self.cell(row, columns, "name"),
                category: Self.cell(row, columns, "category"), priceFen: priceFen, unitsPerCase: units,
                launchDate: Self.cell(row, columns, "launch_date"), status: Self.enumValue(Self.cell(row, columns, "status")))
            do {
                let draft = try input.validated()
                if !skus.insert(draft.sku).inserted {
                    errors.append(
                        RowError(row: number, column: "SKU编码", code: "duplicate_code", message: "SKU \(draft.sku) appears twice in the file"))
                }
                if !gtins.insert(draft.gtin.digits).inserted {
                    errors.append(
                        RowError(
                            row: number, column: "商品条码", code: "duplicate_gtin", message: "GTIN \(draft.gtin.shortForm) appears twice in the file"))
                }
                if errors.isEmpty { rows.products.append(draft) }
            } catch {
                errors += rowErrors(error, row: number, kind: .products)
            }
            rows.errors += errors
        }
    }

    // MARK: Users

    private func parseUsers(_ table: Table, _ columns: [String: Int], _ principal: Principal, into rows: inout ParsedRows) async throws {
        let lookups = try await Lookups.load(core.storage, scope: principal.scope, stores: true)
        var seen = Set<String>()
        for (index, row) in table.rows.enumerated() {
            let number = table.rowNumbers[index]
            var errors: [RowError] = []
            func reference(_ key: String, _ map: [String: Int64], _ code: String) -> Int64? {
                guard let text = Self.cell(row, columns, key) else { return nil }
                if let id = map[text] { return id }
                errors.append(
                    RowError(row: number, column: Self.columnName(for: key, kind: .users), code: code, message: "\(text) is not within your reach"))
                return nil
            }
            let nodeID = reference("org_code", lookups.nodes, "unknown_org_node")
            let distributorID = reference("distributor_code", lookups.distributors, "unknown_distributor")
            let storeID = reference("store_code", lookups.stores, "unknown_store")
            let activeText = Self.cell(row, columns, "active")
            let active = activeText.map { !["否", "no", "false", "0", "停用"].contains($0.lowercased()) }
            let input = UserInput(
                username: Self.cell(row, columns, "username"), displayName: Self.cell(row, columns, "display_name"),
                role: Self.enumValue(Self.cell(row, columns, "role")), orgNodeID: nodeID, distributorID: distributorID,
                storeID: storeID, active: active, password: Self.cell(row, columns, "password"))
            do {
                let (draft, password) = try input.validated(passwordRequired: false)
                if !seen.insert(draft.username).inserted {
                    errors.append(
                        RowError(row: number, column: "用户名", code: "duplicate_code", message: "username \(draft.username) appears twice in the file"))
                }
                if errors.isEmpty { rows.users.append((draft, password)) }
            } catch {
                if errors.isEmpty { errors += rowErrors(error, row: number, kind: .users) }
            }
            rows.errors += errors
        }
    }

    // MARK: Writing

    /// An import this large changes the table enough to refresh the planner's statistics.
    static let bulkRows = 5_000

    private func write(_ rows: ParsedRows, kind: ImportKind, principal: Principal) async throws -> Int {
        let storage = core.storage
        do {
            switch kind {
            case .stores:
                let written = try await storage.stores.createMany(rows.stores, scope: principal.scope)
                if written >= Self.bulkRows { try await storage.refreshStatistics() }
                return written
            case .distributors: return try await storage.distributors.createMany(rows.distributors, scope: principal.scope)
            case .products:
                guard Permission.manageProducts.isGranted(to: principal.role) else {
                    throw AppError(.notAllowed, code: "forbidden", message: "your role may not do this")
                }
                return try await storage.products.createMany(rows.products, tenantID: principal.tenantID)
            case .users:
                let hashes = try await Self.hashPasswords(rows.users.map(\.1), with: core.passwords)
                let users = zip(rows.users, hashes).map { (draft: $0.0.0, passwordHash: $0.1) }
                return try await storage.users.createMany(users, scope: principal.scope)
            }
        } catch StorageError.duplicate(let what) {
            throw AppError(.conflict, code: "duplicate", message: "the file clashes with existing data (\(what)); nothing was imported")
        }
    }
}

extension ImportService {
    /// Hashes the file's passwords in parallel on the hasher's thread pool (its cap applies), in row order.
    static func hashPasswords(_ passwords: [String?], with hasher: any PasswordHashing) async throws -> [String?] {
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var hashes = [String?](repeating: nil, count: passwords.count)
            var next = passwords.startIndex
            var running = 0
            // A few hashes in flight at a time: the hasher's cap decides how many run, this only keeps the group small.
            while next < passwords.endIndex || running > 0 {
                while running < 8, next < passwords.endIndex {
                    let index = next
                    next += 1
                    guard let password = passwords[index] else { continue }
                    group.addTask { (index, try await hasher.computeHash(password)) }
                    running += 1
                }
                guard let (index, hash) = try await group.next() else { break }
                hashes[index] = hash
                running -= 1
            }
            return hashes
        }
    }
}

/// Codes → ids of what rows may link to, within the caller's scope.
struct Lookups {
    var nodes: [String: Int64] = [:]
    var salespersonNodes: [String: Int64] = [:]
    var distributors: [String: Int64] = [:]
    var stores: [String: Int64] = [:]

    static func load(_ storage: AppStorage, scope: AccessScope, stores includeStores: Bool) async throws -> Lookups {
        var lookups = Lookups()
        for node in try await storage.org.list(scope: scope, level: nil) {
            lookups.nodes[node.code] = node.id
            if node.level == .salesperson { lookups.salespersonNodes[node.code] = node.id }
        }
        var offset = 0
        while true {
            let page = try await storage.distributors.list(ListQuery(limit: 500, offset: offset), status: nil, scope: scope)
            for distributor in page.items { lookups.distributors[distributor.code] = distributor.id }
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { break }
        }
        if includeStores {
            offset = 0
            while true {
                let page = try await storage.stores.list(ListQuery(limit: 500, offset: offset), filter: StoreFilter(), scope: scope)
                for summary in page.items { lookups.stores[summary.store.code] = summary.store.id }
                offset += page.items.count
                if page.items.isEmpty || offset >= page.total { break }
            }
        }
        return lookups
    }
}

/// Yuan ↔ fen without floating point.
enum Money {
    /// "3.5", "3.50", "¥12", "1,299.00" → fen; nil for anything else or more than 2 decimals.
    static func fen(fromYuan text: String) -> Int64? {
        var cleaned = text.trimmingWhitespace().replacingOccurrences(of: ",", with: "")
        if cleaned.hasPrefix("¥") || cleaned.hasPrefix("￥") { cleaned.removeFirst() }
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0, whole < 10_000_000 else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), digits.allSatisfy(\.isASCII), let value = Int64(digits) else { return nil }
            fraction = digits.count == 1 ? value * 10 : value
        }
        return whole * 100 + fraction
    }

    static func yuan(fromFen fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let absolute = abs(fen)
        let cents = absolute % 100
        return "\(sign)\(absolute / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}

/// Imports outside HTTP (the command line), acting as the tenant's first HQ admin.
public struct Importer: Sendable {
    let core: AppCore

    public init(core: AppCore) { self.core = core }

    public func importAsAdmin(kind: ImportKind, tenantCode: String, bytes: [UInt8], fileName: String, keepGood: Bool) async throws -> ImportReport {
        guard let tenant = try await core.storage.tenants.find(code: tenantCode) else {
            throw AppError(.notFound, code: "unknown_tenant", message: "no brand \(tenantCode)")
        }
        let scope = AccessScope.wholeTenant(tenant.id)
        guard let admin = try await core.storage.users.list(ListQuery(limit: 1), role: .admin, scope: scope).items.first,
            let principal = try await core.storage.users.principal(tenantID: tenant.id, userID: admin.id)
        else {
            throw AppError(.notFound, code: "no_admin", message: "brand \(tenantCode) has no active HQ admin")
        }
        return try await ImportService(core: core).run(
            kind: kind, bytes: bytes, fileName: fileName, format: nil, keepGood: keepGood, principal: principal)
    }
}
