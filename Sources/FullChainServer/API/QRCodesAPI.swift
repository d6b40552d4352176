import FullChainCore
import FullChainStorage
import HTTPTypes
import Hummingbird
import NIOCore

/// QR images of a batch's codes (HQ): one code, or a printable sheet of consecutive codes.
enum QRCodesAPI {
    /// The most codes a sheet holds.
    static let maxSheetCodes = 100

    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        return [
            APIEndpoint(
                .get, "/api/v1/code-batches/{id}/qr", id: "getCodeQR", tag: "codes",
                summary: "One code's QR symbol as SVG or PNG: a unit's holds its URL exactly as the print files write it, a case's its code",
                response: "binary",
                query: QRImageQuery.parameters(scale: "pixels a module, 1–40 (default 8)") + [
                    .init("serial", "integer", "the unit's serial (0 for the first unit) or, for kind=case, the case number; required")
                ]
            ) { request, context in
                let p = try context.require(.manageCodes)
                guard let batch = try await storage.codes.batch(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
                let query = try QRImageQuery(request, scales: 1...40, defaultScale: 8)
                guard let serial = try request.intQuery("serial") else { throw APIError.badRequest("invalid_query", "serial is required") }
                let printout = try await services.printout(of: batch, format: .txt, link: query.link, tenantID: p.tenantID)
                let serials = printout.serials(of: query.kind)
                guard serials.contains(Int(exactly: serial) ?? -1) else { throw QRImageQuery.outOfBatch(query.kind, serials) }
                let symbol = try QRImageQuery.symbol(printout.qrContent(query.kind, serial: Int(serial)), query.errorCorrection)
                let body = query.format == .svg ? Array(symbol.svg(scale: query.scale).utf8) : symbol.png(scale: query.scale)
                return query.response(body, fileName: "batch-\(batch.id)-\(query.kind.name)-\(serial)")
            }.producing(["image/svg+xml", "image/png"]),
            APIEndpoint(
                .get, "/api/v1/code-batches/{id}/qr-sheet", id: "getCodeQRSheet", tag: "codes",
                summary: "A printable page of consecutive codes' QR symbols in a grid, each with its code printed under it, as SVG or PNG",
                response: "binary",
                query: QRImageQuery.parameters(scale: "pixels a module, 1–10 (default 4)") + [
                    .init("from", "integer", "the first serial (unit serial or case number; default 0)"),
                    .init("count", "integer", "how many codes, 1–\(maxSheetCodes) (default 20); fewer when the batch ends first"),
                    .init("columns", "integer", "codes a row, 1–20 (default 5)"),
                ]
            ) { request, context in
                let p = try context.require(.manageCodes)
                guard let batch = try await storage.codes.batch(id: try context.id(), tenantID: p.tenantID) else { throw APIError.notFound }
                let query = try QRImageQuery(request, scales: 1...10, defaultScale: 4)
                let from = try request.intQuery("from") ?? 0
                let count = try request.intQuery("count") ?? 20
                let columns = try request.intQuery("columns") ?? 5
                guard (1...Int64(maxSheetCodes)).contains(count) else {
                    throw APIError.badRequest("invalid_query", "count must be 1…\(maxSheetCodes)")
                }
                guard (1...20).contains(columns) else { throw APIError.badRequest("invalid_query", "columns must be 1…20") }
                let printout = try await services.printout(of: batch, format: .txt, link: query.link, tenantID: p.tenantID)
                let serials = printout.serials(of: query.kind)
                guard serials.contains(Int(exactly: from) ?? -1) else { throw QRImageQuery.outOfBatch(query.kind, serials) }
                let page = Int(from)..<min(Int(from) + Int(count), serials.upperBound)
                var items: [QRSheet.Item] = []
                for serial in page {
                    items.append(
                        QRSheet.Item(
                            code: try QRImageQuery.symbol(printout.qrContent(query.kind, serial: serial), query.errorCorrection),
                            label: printout.codeText(query.kind, serial: serial)))
                }
                let sheet = QRSheet(items, columns: Int(columns))
                let body = query.format == .svg ? Array(sheet.svg(scale: query.scale).utf8) : sheet.png(scale: query.scale)
                return query.response(body, fileName: "batch-\(batch.id)-\(query.kind.name)-\(page.lowerBound)-\(page.upperBound - 1)")
            }.producing(["image/svg+xml", "image/png"]),
        ]
    }
}

/// The query both QR endpoints share: which codes, which image and how large.
struct QRImageQuery {
    enum Format: String {
        case svg, png
    }

    var kind: ScanCode.Kind
    var format: Format
    var link: CodePrintout.LinkStyle
    var errorCorrection: QRCode.ErrorCorrection
    var scale: Int

    static func parameters(scale: String) -> [APIEndpoint.QueryParameter] {
        [
            .init("kind", "string", "unit (default) or case"),
            .init("format", "string", "svg (default) or png (1-bit grayscale)"),
            .init("link", "string", "short (default) or gs1, as in the print files; unit codes only"),
            .init("ecc", "string", "error correction: low, medium (default), quartile or high"),
            .init("scale", "integer", scale),
        ]
    }

    init(_ request: Request, scales: ClosedRange<Int64>, defaultScale: Int64) throws(APIError) {
        let kinds: [String: ScanCode.Kind] = ["unit": .unit, "case": .case]
        guard let kind = kinds[request.query("kind") ?? "unit"] else { throw .badRequest("invalid_query", "kind is unit or case") }
        guard let format = Format(rawValue: request.query("format") ?? "svg") else { throw .badRequest("invalid_query", "format is svg or png") }
        guard let link = CodePrintout.LinkStyle(rawValue: request.query("link") ?? "short") else {
            throw .badRequest("invalid_query", "link is short or gs1")
        }
        guard kind == .unit || link == .short else {
            throw .badRequest("invalid_query", "link=gs1 is for unit codes; a case's symbol holds its code")
        }
        guard let errorCorrection = QRCode.ErrorCorrection(rawValue: request.query("ecc") ?? "medium") else {
            throw .badRequest("invalid_query", "ecc is low, medium, quartile or high")
        }
        let scale = try request.intQuery("scale") ?? defaultScale
        guard scales.contains(scale) else { throw .badRequest("invalid_query", "scale must be \(scales.lowerBound)…\(scales.upperBound)") }
        (self.kind, self.format, self.link, self.errorCorrection, self.scale) = (kind, format, link, errorCorrection, Int(scale))
    }

    /// The symbol for a code's content.
    static func symbol(_ content: String, _ errorCorrection: QRCode.ErrorCorrection) throws(APIError) -> QRCode {
        do {
            return try QRCode(content, errorCorrection: errorCorrection)
        } catch {
            throw APIError(.unprocessableContent, code: "qr_too_long", message: "the code's content does not fit a QR symbol")
        }
    }

    static func outOfBatch(_ kind: ScanCode.Kind, _ serials: Range<Int>) -> APIError {
        APIError(
            .unprocessableContent, code: "serial_out_of_range",
            message: "the batch's \(kind.name) serials are 0…\(serials.upperBound - 1)")
    }

    /// The image, shown in place (not cached: every code is a secret until printed).
    func response(_ body: [UInt8], fileName: String) -> Response {
        let type = format == .svg ? "image/svg+xml" : "image/png"
        return Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "private, no-store",
                .contentDisposition: "inline; filename=\"\(fileName).\(format.rawValue)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension ScanCode.Kind {
    /// `unit` or `case`, as the API names them.
    var name: String { self == .unit ? "unit" : "case" }
}
