import ArgumentParser
import Foundation
import FullChainApp
import FullChainCore
import FullChainServer
import FullChainStorage

/// Segment counts over a loaded database (`bench load-consumers` first): puts three tags on
/// a third, a seventh and a fifth of the profiles, builds the segment index, counts three segments
/// for HQ and for one region's manager, and writes the same profiles, stores and tag members as
/// CSV for the DuckDB reference (`benchmarks/segment_count_duckdb.py`).
struct SegmentCountBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "segment-count", abstract: "Segment counts from the segment index.")

    @OptionGroup var target: BenchDatabase

    @Option(help: "Counts of each segment measured.")
    var runs = 30

    @Option(help: "Where to write the CSV files for the reference (none when omitted).")
    var csv: String?

    /// The three segments, with the tags they use.
    static func rules(tags: [Int64]) -> [(name: String, rule: SegmentRule)] {
        [
            ("repeat_in_beijing", SegmentRule(match: .all, terms: [SegmentTerm(.tag(tags[0])), SegmentTerm(.region("110000000000"))])),
            (
                "spenders_or_loyal_not_dormant",
                SegmentRule(
                    match: .all,
                    terms: [
                        SegmentTerm(.group(SegmentRule(match: .any, terms: [SegmentTerm(.tag(tags[1])), SegmentTerm(.stage(.loyal))]))),
                        SegmentTerm(.stage(.dormant), negate: true),
                    ])
            ),
            (
                "to_win_back",
                SegmentRule(match: .any, terms: [SegmentTerm(.stage(.dormant)), SegmentTerm(.stage(.lost)), SegmentTerm(.tag(tags[2]))])
            ),
        ]
    }

    func run() async throws {
        try await target.run { services, tenant in
            let storage = services.storage
            let hq = AccessScope.wholeTenant(tenant.id)
            // Three tags, on every third, seventh and fifth profile.
            var tags: [Int64] = []
            let started = ContinuousClock.now
            for (name, modulus) in [("bench-复购", 3), ("bench-兑换", 7), ("bench-沉睡", 5)] {
                let existing = try await storage.tags.list(tenantID: tenant.id).first { $0.name == name }
                let tag: ConsumerTag
                if let existing {
                    tag = existing
                } else {
                    tag = try await storage.tags.create(TagDraft(name: name, description: "", rule: nil), owner: "bench", at: 0, tenantID: tenant.id)
                }
                tags.append(tag.id)
                try await storage.database.execute(
                    """
                    INSERT INTO consumer_tag_members (tenant_id, tag_id, profile_id, since)
                    SELECT tenant_id, \(tag.id), id, 0 FROM consumer_profiles WHERE tenant_id = \(tenant.id) AND id % \(Int64(modulus)) = 0
                    ON CONFLICT DO NOTHING
                    """)
            }
            let tagSeconds = (ContinuousClock.now - started).seconds
            let region = try await storage.org.list(scope: hq, level: .region).first
            let manager = region.map { AccessScope(tenantID: tenant.id, reach: .orgSubtree(path: $0.path)) }
            let rules = Self.rules(tags: tags)

            let buildStart = ContinuousClock.now
            _ = try await services.segments.members(of: rules[0].rule, scope: hq, now: currentMillis())
            let buildSeconds = (ContinuousClock.now - buildStart).seconds
            var lines: [String] = []
            for (scopeName, scope) in [("hq", hq)] + (manager.map { [("manager", $0)] } ?? []) {
                for (name, rule) in rules {
                    var times: [Double] = []
                    var count = 0
                    for _ in 0..<max(1, runs) {
                        let start = ContinuousClock.now
                        count = try await services.segments.members(of: rule, scope: scope, now: currentMillis()).count
                        times.append((ContinuousClock.now - start).seconds * 1_000)
                    }
                    times.sort()
                    lines.append(
                        String(
                            format: #"{"segment":"%@","scope":"%@","count":%d,"p50_ms":%.2f,"p95_ms":%.2f,"max_ms":%.2f}"#, name, scopeName, count,
                            times[times.count / 2], times[min(times.count - 1, times.count * 95 / 100)], times[times.count - 1]))
                }
            }
            print(
                String(
                    format: #"{"tags_seconds":%.1f,"index_build_seconds":%.1f,"tags":[%@]}"#, tagSeconds, buildSeconds,
                    tags.map(String.init).joined(separator: ",")))
            for line in lines { print(line) }
            if let csv { try await write(csv, storage: storage, tenantID: tenant.id, tags: tags) }
        }
    }

    /// The profiles, stores and tag members as CSV, for the reference.
    private func write(_ directory: String, storage: AppStorage, tenantID: Int64, tags: [Int64]) async throws {
        let folder = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var profiles = "id,stage,store_id,live\n"
        var after: Int64 = 0
        while true {
            let page = try await storage.segments.profiles(after: after, limit: 100_000, tenantID: tenantID)
            for entry in page { profiles += "\(entry.id),\(entry.stage.rawValue),\(entry.storeID.map(String.init) ?? ""),\(entry.live ? 1 : 0)\n" }
            guard let last = page.last, page.count == 100_000 else { break }
            after = last.id
        }
        try profiles.write(to: folder.appendingPathComponent("profiles.csv"), atomically: false, encoding: .utf8)
        var stores = "id,region_code\n"
        for (id, code) in try await storage.segments.storeRegions(tenantID: tenantID) { stores += "\(id),\(code)\n" }
        try stores.write(to: folder.appendingPathComponent("stores.csv"), atomically: false, encoding: .utf8)
        var members = "tag_id,profile_id\n"
        for tag in tags {
            var after: Int64 = 0
            while true {
                let page = try await storage.segments.members(ofTag: tag, after: after, limit: 100_000, tenantID: tenantID)
                for id in page { members += "\(tag),\(id)\n" }
                guard let last = page.last, page.count == 100_000 else { break }
                after = last
            }
        }
        try members.write(to: folder.appendingPathComponent("tag_members.csv"), atomically: false, encoding: .utf8)
    }
}
