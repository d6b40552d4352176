import FullChainCore

/// Search over store names and codes through an index of character pairs (bigrams), so a search
/// reads the stores that contain every pair of the query instead of every store of the tenant.
///
/// Chinese names are searched by two characters or more (朝阳, 便利), so pairs rather than the
/// trigrams most engines use. The pairs are made in SQL from the stored row — the same expression
/// fills the index at write time and in the migration — with ASCII letters lowered and text split
/// by Unicode scalar, which is what `grams(of:)` does with the query.
enum StoreSearch {
    /// The longest name or code the pair expression covers (names are at most 100 characters).
    static let maxTextLength = 128
    /// At most this many pairs of a query go to the index; the rest are checked by `LIKE`.
    static let maxQueryGrams = 6

    /// The distinct pairs of a search text, or nil when it is too short for the index.
    static func grams(of text: String) -> [String]? {
        let scalars = Array(text.unicodeScalars).map { scalar -> Unicode.Scalar in
            (scalar.value >= 65 && scalar.value <= 90) ? Unicode.Scalar(scalar.value + 32) ?? scalar : scalar
        }
        guard scalars.count >= 2 else { return nil }
        var seen = Set<String>()
        var grams: [String] = []
        for index in 0..<(scalars.count - 1) {
            var gram = ""
            gram.unicodeScalars.append(scalars[index])
            gram.unicodeScalars.append(scalars[index + 1])
            if seen.insert(gram).inserted { grams.append(gram) }
        }
        // Spread the pairs used over the whole text: first, last, then the middle.
        guard grams.count > maxQueryGrams else { return grams }
        let step = Double(grams.count - 1) / Double(maxQueryGrams - 1)
        return (0..<maxQueryGrams).map { grams[Int((Double($0) * step).rounded())] }
    }

    /// How many index entries a probe counts per pair before calling the pair common.
    static let probeCap = 20_000
    /// At most this many of the rarest pairs drive the lookup.
    static let drivingGrams = 3

    /// How a list reads the stores `s` matching a search text.
    struct Plan {
        /// The FROM clause: `stores s`, or the index joined to it.
        var source: SQLStatement
        /// Conditions on top of the list's own.
        var condition: SQLStatement
        /// The order that walks `source` without sorting.
        var order: SQLStatement?
    }

    /// The plan for a search text, or nil when nothing can match.
    ///
    /// A one-character text is a literal, case-insensitive substring match on name or code over
    /// the list's usual index. A longer one first probes how common each of its pairs is
    /// (counting at most `probeCap` entries each), then walks the rarest pair's entries in store
    /// id order, checks the next rarest by primary key, and leaves the substring match to decide.
    static func plan(_ search: String, tenantID: Int64, db: any SQLDatabase) async throws(StorageError) -> Plan? {
        let pattern = ScopeSQL.containsPattern(search)
        let literal: SQLStatement = "(s.name\(ScopeSQL.like)\(pattern) ESCAPE '\\' OR s.code\(ScopeSQL.like)\(pattern) ESCAPE '\\')"
        guard let grams = grams(of: search) else { return Plan(source: "stores s", condition: literal, order: nil) }
        let probes = grams.enumerated().map { (index, gram) -> SQLStatement in
            """
            SELECT \(Int64(index)) AS k, COUNT(*) AS n FROM (SELECT 1 AS one FROM store_search_grams
                WHERE tenant_id = \(tenantID) AND gram = \(gram) LIMIT \(Int64(probeCap))) AS p
            """
        }
        var counts: [(gram: String, count: Int64)] = []
        for row in try await db.read(SQLStatement.join(probes, separator: " UNION ALL ")) {
            let index = Int(try row.int("k"))
            guard grams.indices.contains(index) else { continue }
            counts.append((grams[index], try row.int("n")))
        }
        guard counts.count == grams.count, !counts.contains(where: { $0.count == 0 }) else { return nil }
        let rarest = counts.sorted { $0.count < $1.count }.prefix(drivingGrams).map(\.gram)
        let first: SQLStatement = "store_search_grams g0"
        let pairs: SQLStatement =
            switch rarest.count {
            case 1: first
            case 2: "\(first) JOIN store_search_grams g1 ON g1.tenant_id = g0.tenant_id AND g1.gram = \(rarest[1]) AND g1.store_id = g0.store_id"
            default:
                """
                \(first) JOIN store_search_grams g1 ON g1.tenant_id = g0.tenant_id AND g1.gram = \(rarest[1]) AND g1.store_id = g0.store_id
                JOIN store_search_grams g2 ON g2.tenant_id = g0.tenant_id AND g2.gram = \(rarest[2]) AND g2.store_id = g0.store_id
                """
            }
        let source: SQLStatement = "\(pairs) JOIN stores s ON s.tenant_id = g0.tenant_id AND s.id = g0.store_id"
        let driver: SQLStatement = "g0.tenant_id = \(tenantID) AND g0.gram = \(rarest[0])"
        // A two-character text is its own pair: the index alone decides.
        let condition = search.unicodeScalars.count == 2 ? driver : "\(driver) AND \(literal)"
        return Plan(source: source, condition: condition, order: "g0.store_id")
    }

    /// Replaces the index entries of the tenant's stores with ids in `ids` (inclusive).
    static func reindex(tenantID: Int64, ids: ClosedRange<Int64>) -> [SQLStep] {
        [
            SQLStep(
                "DELETE FROM store_search_grams WHERE tenant_id = \(tenantID) AND store_id >= \(ids.lowerBound) AND store_id <= \(ids.upperBound)"),
            SQLStep(
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(Int64(maxTextLength)))
                INSERT INTO store_search_grams (tenant_id, gram, store_id)
                SELECT s.tenant_id, substr(\(lowered("s.name")), n.i, 2), s.id FROM stores s JOIN n ON n.i < length(s.name)
                WHERE s.tenant_id = \(tenantID) AND s.id >= \(ids.lowerBound) AND s.id <= \(ids.upperBound)
                UNION
                SELECT s.tenant_id, substr(\(lowered("s.code")), n.i, 2), s.id FROM stores s JOIN n ON n.i < length(s.code)
                WHERE s.tenant_id = \(tenantID) AND s.id >= \(ids.lowerBound) AND s.id <= \(ids.upperBound)
                """),
        ]
    }

    /// A column with ASCII letters lowered and nothing else changed, on both backends.
    private static func lowered(_ column: StaticString) -> SQLStatement {
        let name = SQLStatement(stringLiteral: column)
        return .dialect(
            sqlite: "lower(\(name))",
            postgres: "translate(\(name), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
        )
    }
}
