/// The four levels of a brand's sales organisation.
public enum OrgLevel: Int, Codable, Sendable, CaseIterable, Comparable {
    /// 大区
    case region = 1
    /// 地区
    case area = 2
    /// 城市
    case city = 3
    /// 业代: one salesperson's territory; stores hang here.
    case salesperson = 4

    public static func < (lhs: OrgLevel, rhs: OrgLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The level a child of this level has, if any.
    public var childLevel: OrgLevel? { OrgLevel(rawValue: rawValue + 1) }
}

/// One node of the sales org tree.
public struct OrgNode: Codable, Sendable, Equatable {
    public var id: Int64
    public var parentID: Int64?
    public var level: OrgLevel
    public var code: String
    public var name: String
    /// Materialised path of ids from the root, e.g. `/1/5/17/`; a subtree is a path prefix.
    public var path: String
    public var createdAt: Int64

    public init(id: Int64, parentID: Int64?, level: OrgLevel, code: String, name: String, path: String, createdAt: Int64) {
        self.id = id
        self.parentID = parentID
        self.level = level
        self.code = code
        self.name = name
        self.path = path
        self.createdAt = createdAt
    }

    /// The path of a child with the given id.
    public func childPath(id: Int64) -> String { path + "\(id)/" }

    /// Path of a root node with the given id.
    public static func rootPath(id: Int64) -> String { "/\(id)/" }
}
