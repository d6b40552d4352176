import FullChainCore

/// What can be imported and exported as a spreadsheet.
public enum ImportKind: String, Sendable, CaseIterable, Codable {
    case stores, distributors, products, users
}

/// One spreadsheet column: its key and the headers it is recognised by (key, Chinese, English).
public struct ImportColumn: Sendable {
    public var key: String
    public var zh: String
    public var en: String
    public var required: Bool
    public var example: String

    func matches(_ header: String) -> Bool {
        let h = header.trimmingWhitespace().lowercased()
        return h == key || h == zh.lowercased() || h == en.lowercased()
    }
}

extension ImportKind {
    /// The columns of this kind's template, in order.
    public var columns: [ImportColumn] {
        switch self {
        case .stores:
            [
                ImportColumn(key: "code", zh: "门店编码", en: "Store code", required: true, example: "S90001"),
                ImportColumn(key: "name", zh: "门店名称", en: "Store name", required: true, example: "朝阳门便利店"),
                ImportColumn(key: "type", zh: "门店类型", en: "Type", required: false, example: "便利店"),
                ImportColumn(key: "address", zh: "地址", en: "Address", required: false, example: "朝阳区朝阳门外大街18号"),
                ImportColumn(key: "region", zh: "区域", en: "Region", required: true, example: "北京市朝阳区"),
                ImportColumn(key: "latitude", zh: "纬度", en: "Latitude", required: false, example: "39.9219"),
                ImportColumn(key: "longitude", zh: "经度", en: "Longitude", required: false, example: "116.4432"),
                ImportColumn(key: "distributor_code", zh: "经销商编码", en: "Distributor code", required: false, example: "D001"),
                ImportColumn(key: "salesperson_code", zh: "业代编码", en: "Salesperson node code", required: false, example: "R01-A01-C01-S1"),
                ImportColumn(key: "status", zh: "状态", en: "Status", required: false, example: "启用"),
                ImportColumn(key: "phone", zh: "电话", en: "Phone", required: false, example: "010-65001234"),
            ]
        case .distributors:
            [
                ImportColumn(key: "code", zh: "经销商编码", en: "Distributor code", required: true, example: "D901"),
                ImportColumn(key: "name", zh: "经销商名称", en: "Distributor name", required: true, example: "北京京华商贸有限公司"),
                ImportColumn(key: "contact_name", zh: "联系人", en: "Contact", required: false, example: "王建国"),
                ImportColumn(key: "phone", zh: "电话", en: "Phone", required: false, example: "13800138000"),
                ImportColumn(key: "address", zh: "地址", en: "Address", required: false, example: "北京市朝阳区建国路88号"),
                ImportColumn(key: "org_code", zh: "管理组织编码", en: "Managing org code", required: true, example: "R01-A01-C01"),
                ImportColumn(key: "territory", zh: "经营区域", en: "Territory", required: true, example: "北京市朝阳区;北京市东城区"),
                ImportColumn(key: "status", zh: "状态", en: "Status", required: false, example: "启用"),
            ]
        case .products:
            [
                ImportColumn(key: "sku", zh: "SKU编码", en: "SKU", required: true, example: "TEA-500"),
                ImportColumn(key: "gtin", zh: "商品条码", en: "GTIN", required: true, example: "6901234567892"),
                ImportColumn(key: "name", zh: "产品名称", en: "Product name", required: true, example: "清爽绿茶 500ml"),
                ImportColumn(key: "category", zh: "品类", en: "Category", required: true, example: "茶饮料"),
                ImportColumn(key: "price", zh: "零售价(元)", en: "Price (yuan)", required: true, example: "3.50"),
                ImportColumn(key: "units_per_case", zh: "箱规", en: "Units per case", required: true, example: "24"),
                ImportColumn(key: "launch_date", zh: "上市日期", en: "Launch date", required: false, example: "2026-03-01"),
                ImportColumn(key: "status", zh: "状态", en: "Status", required: false, example: "启用"),
            ]
        case .users:
            [
                ImportColumn(key: "username", zh: "用户名", en: "Username", required: true, example: "sp-zhang"),
                ImportColumn(key: "display_name", zh: "姓名", en: "Name", required: true, example: "张伟"),
                ImportColumn(key: "role", zh: "角色", en: "Role", required: true, example: "业代"),
                ImportColumn(key: "org_code", zh: "组织编码", en: "Org code", required: false, example: "R01-A01-C01-S1"),
                ImportColumn(key: "distributor_code", zh: "经销商编码", en: "Distributor code", required: false, example: ""),
                ImportColumn(key: "store_code", zh: "门店编码", en: "Store code", required: false, example: ""),
                ImportColumn(key: "password", zh: "初始密码", en: "Initial password", required: false, example: "change-me-2026"),
                ImportColumn(key: "active", zh: "启用", en: "Active", required: false, example: "是"),
            ]
        }
    }

    /// Chinese labels accepted for enum values, mapped to their API values.
    static let valueAliases: [String: String] = [
        "商超": "supermarket", "超市": "supermarket", "便利店": "convenience", "食杂店": "grocery", "夫妻店": "grocery",
        "餐饮": "restaurant", "烟酒店": "liquorShop", "批发部": "wholesale", "其他": "other",
        "启用": "active", "停用": "inactive", "有效": "active", "无效": "inactive",
        "总部管理员": "admin", "管理员": "admin", "经理": "manager", "业代": "salesperson", "业务员": "salesperson", "经销商": "distributor", "门店": "store",
    ]

    /// The Chinese label of an enum value, for exports.
    public static func label(_ value: String) -> String {
        let preferred = [
            "supermarket": "商超", "convenience": "便利店", "grocery": "食杂店", "restaurant": "餐饮", "liquorShop": "烟酒店",
            "wholesale": "批发部", "other": "其他", "active": "启用", "inactive": "停用", "admin": "总部管理员", "manager": "经理",
            "salesperson": "业代", "distributor": "经销商", "store": "门店",
        ]
        return preferred[value] ?? value
    }
}
