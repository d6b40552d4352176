import FullChainApp
import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird

/// Spreadsheet import, export and templates.
enum ImportAPI {
    static func kind(_ context: AppRequestContext) throws(APIError) -> ImportKind {
        guard let text = context.parameters.get("kind"), let kind = ImportKind(rawValue: text) else { throw APIError.notFound }
        return kind
    }

    /// The permission a kind's import needs.
    static func permission(for kind: ImportKind) -> Permission {
        switch kind {
        case .stores: .createStores
        case .distributors: .manageDistributors
        case .products: .manageProducts
        case .users: .manageUsers
        }
    }

    static func format(_ request: Request) throws(APIError) -> String {
        let format = request.query("format") ?? "csv"
        guard format == "csv" || format == "xlsx" else { throw .badRequest("invalid_format", "format must be csv or xlsx") }
        return format
    }

    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let importer = ImportService(core: services.core)
        let exporter = ExportService(core: services.core)
        let kindDoc = "stores, distributors, products or users"
        return [
            APIEndpoint(
                .post, "/api/v1/imports/{kind}", id: "importFile", tag: "imports",
                summary: "Import a CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX file of \(kindDoc); all rows or none unless keepGood=true",
                request: "binary", response: "ImportReport",
                query: [
                    .init("format", "string", "csv or xlsx (detected when absent)"),
                    .init("keepGood", "boolean", "import the good rows even when some rows are bad"),
                    .init("fileName", "string", "the uploaded file's name, for the history"),
                ]
            ) { request, context in
                let kind = try kind(context)
                let principal = try context.require(permission(for: kind))
                let bytes = try await request.bytes(limit: services.configuration.maxImportBytes)
                guard !bytes.isEmpty else { throw APIError.badRequest("empty_file", "the body is empty; send the file") }
                let format = request.query("format")
                if let format, format != "csv" && format != "xlsx" { throw APIError.badRequest("invalid_format", "format must be csv or xlsx") }
                let keepGood = ["true", "1", "yes"].contains(request.query("keepGood") ?? "")
                let fileName = String((request.query("fileName") ?? "\(kind.rawValue).\(format ?? "csv")").prefix(200))
                let report = try await importer.run(
                    kind: kind, bytes: bytes, fileName: fileName, format: format, keepGood: keepGood, principal: principal)
                if report.errorCount > 0 && !keepGood {
                    throw APIError(
                        .unprocessableContent, code: "import_rejected",
                        message: "\(report.errorCount) row(s) have errors; nothing was imported", details: .importReport(report))
                }
                return try .json(report)
            },
            APIEndpoint(
                .get, "/api/v1/import-runs", id: "listImports", tag: "imports", summary: "Past imports within my reach", response: "ImportRunPage",
                query: pagingQuery
            ) { request, context in
                let p = try context.requirePrincipal()
                return try .json(try await services.storage.imports.list(try ListQuery(request), scope: p.scope))
            },
            APIEndpoint(
                .get, "/api/v1/import-runs/{id}", id: "getImport", tag: "imports", summary: "One past import with its row errors",
                response: "ImportRun"
            ) { _, context in
                let p = try context.requirePrincipal()
                guard let run = try await services.storage.imports.get(id: try context.id(), scope: p.scope) else { throw APIError.notFound }
                return try .json(run)
            },
            APIEndpoint(
                .get, "/api/v1/templates/{kind}", id: "importTemplate", tag: "imports", summary: "A template for importing \(kindDoc)",
                response: "binary", query: [.init("format", "string", "csv or xlsx")]
            ) { request, context in
                _ = try context.requirePrincipal()
                let kind = try kind(context)
                let file = try ExportService.file(ExportService.template(kind), format: try format(request), baseName: "\(kind.rawValue)-template")
                return .download(file.bytes, contentType: file.contentType, fileName: file.fileName)
            }.producing(APIEndpoint.spreadsheetTypes),
            APIEndpoint(
                .get, "/api/v1/exports/{kind}", id: "exportFile", tag: "imports",
                summary: "Export \(kindDoc) within my reach in the import's columns",
                response: "binary", query: [.init("format", "string", "csv (UTF-8 with BOM) or xlsx")]
            ) { request, context in
                let p = try context.requirePrincipal()
                let kind = try kind(context)
                let format = try format(request)
                let file = try ExportService.file(try await exporter.table(kind, principal: p), format: format, baseName: kind.rawValue)
                return .download(file.bytes, contentType: file.contentType, fileName: file.fileName)
            }.producing(APIEndpoint.spreadsheetTypes),
        ]
    }
}
