import FullChainApp
import FullChainCore
import FullChainStorage
import FullChainTabular
import Hummingbird

/// Settlement statements (费用在线): what stores earned from campaigns and what the brand owes
/// them, per store and per distributor, within the caller's reach; JSON, CSV or XLSX.
enum SettlementsAPI {
    static let query: [APIEndpoint.QueryParameter] = [
        .init("from", "string", "first business day, YYYY-MM-DD (default: the first of this month)"),
        .init("to", "string", "last business day, YYYY-MM-DD (default: today)"),
        .init("format", "string", "json (default), csv or xlsx"),
    ]

    static func endpoints(_ services: AppServices) -> [APIEndpoint] {
        let storage = services.storage
        return [
            APIEndpoint(
                .get, "/api/v1/settlements/stores", id: "storeSettlements", tag: "settlements",
                summary: "Per store within my reach: rewarded scans and rewards earned in the period, and what the brand owes it now",
                response: "StoreSettlementList", query: query
            ) { request, context in
                let p = try context.requirePrincipal()
                let (from, to, format) = try period(request)
                let lines = try await storage.settlements.stores(from: from, to: to, scope: p.scope)
                guard format != "json" else { return try .json(lines) }
                let table = Table(
                    header: [
                        "store_code", "store_name", "distributor_id", "from", "to", "rewarded_scans", "rewards_yuan", "vouchers_redeemed",
                        "vouchers_yuan", "coupons_redeemed", "coupons_yuan", "due_yuan",
                    ],
                    rows: lines.map {
                        [
                            $0.storeCode, $0.storeName, $0.distributorID.map(String.init) ?? "", BusinessDay.date(ofDay: from),
                            BusinessDay.date(ofDay: to), String($0.rewardedScans), yuan($0.rewardsFen),
                            String($0.vouchersRedeemed), yuan($0.vouchersFen), String($0.couponsRedeemed), yuan($0.couponsFen), yuan($0.dueFen),
                        ]
                    })
                let file = try ExportService.file(
                    table, format: format, baseName: "store-settlements-\(BusinessDay.date(ofDay: from))-\(BusinessDay.date(ofDay: to))")
                return .download(file.bytes, contentType: file.contentType, fileName: file.fileName)
            }.producing(APIEndpoint.spreadsheetTypes),
            APIEndpoint(
                .get, "/api/v1/settlements/distributors", id: "distributorSettlements", tag: "settlements",
                summary: "The store lines within my reach summed per supplying distributor",
                response: "DistributorSettlementList", query: query
            ) { request, context in
                let p = try context.requirePrincipal()
                let (from, to, format) = try period(request)
                let lines = try await storage.settlements.distributors(from: from, to: to, scope: p.scope)
                guard format != "json" else { return try .json(lines) }
                let table = Table(
                    header: [
                        "distributor_code", "distributor_name", "from", "to", "stores", "rewarded_scans", "rewards_yuan", "vouchers_redeemed",
                        "vouchers_yuan", "coupons_redeemed", "coupons_yuan", "due_yuan",
                    ],
                    rows: lines.map {
                        [
                            $0.distributorCode, $0.distributorName, BusinessDay.date(ofDay: from), BusinessDay.date(ofDay: to),
                            String($0.stores), String($0.rewardedScans), yuan($0.rewardsFen),
                            String($0.vouchersRedeemed), yuan($0.vouchersFen), String($0.couponsRedeemed), yuan($0.couponsFen), yuan($0.dueFen),
                        ]
                    })
                let file = try ExportService.file(
                    table, format: format, baseName: "distributor-settlements-\(BusinessDay.date(ofDay: from))-\(BusinessDay.date(ofDay: to))")
                return .download(file.bytes, contentType: file.contentType, fileName: file.fileName)
            }.producing(APIEndpoint.spreadsheetTypes),
        ]
    }

    /// The checked period and format: valid dates, `from` not after `to`, at most 366 days.
    static func period(_ request: Request) throws(APIError) -> (from: Int64, to: Int64, format: String) {
        let query = request.uri.queryParameters
        let today = BusinessDay.day(ofMillis: currentMillis())
        func day(_ name: String, default value: Int64) throws(APIError) -> Int64 {
            guard let text = query.get(name) else { return value }
            guard let day = BusinessDay.day(ofDate: text) else {
                throw APIError(.badRequest, code: "invalid_query", message: "\(name) is a date, YYYY-MM-DD")
            }
            return day
        }
        let monthStart = BusinessDay.firstOfMonth(containing: today)
        let from = try day("from", default: monthStart)
        let to = try day("to", default: today)
        guard from <= to, to - from < 366 else {
            throw APIError(.badRequest, code: "invalid_query", message: "from must not be after to, and the period at most 366 days")
        }
        let format = query.get("format") ?? "json"
        guard ["json", "csv", "xlsx"].contains(format) else {
            throw APIError(.badRequest, code: "invalid_query", message: "format is json, csv or xlsx")
        }
        return (from, to, format)
    }

    /// Fen as yuan with two decimals, e.g. `12.30`.
    static func yuan(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}
