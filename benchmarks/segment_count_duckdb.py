"""The DuckDB reference for benchmarks/segment-count.sh: the same three segment counts, as SQL over
the same profiles, stores and tag members (the CSV files `fullchain bench segment-count --csv`
wrote), in an in-memory DuckDB database. Prints one JSON line per segment: count, p50 and p95 (ms).

    python3 benchmarks/segment_count_duckdb.py DIRECTORY TAG1 TAG2 TAG3 [RUNS]
"""
import json
import os
import sys
import time

import duckdb


def main() -> None:
    directory, tags, runs = sys.argv[1], [int(t) for t in sys.argv[2:5]], int(sys.argv[5]) if len(sys.argv) > 5 else 30
    db = duckdb.connect()
    start = time.perf_counter()
    for table in ("profiles", "stores", "tag_members"):
        db.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv_auto(?)", [os.path.join(directory, table + ".csv")])
    load_seconds = time.perf_counter() - start
    tag = "EXISTS (SELECT 1 FROM tag_members m WHERE m.tag_id = {} AND m.profile_id = p.id)"
    segments = {
        "repeat_in_beijing": "SELECT count(*) FROM profiles p WHERE p.live = 1 AND " + tag.format(tags[0])
        + " AND p.store_id IN (SELECT id FROM stores WHERE CAST(region_code AS VARCHAR) LIKE '11%')",
        "spenders_or_loyal_not_dormant": "SELECT count(*) FROM profiles p WHERE p.live = 1 AND (" + tag.format(tags[1])
        + " OR p.stage = 'loyal') AND p.stage <> 'dormant'",
        "to_win_back": "SELECT count(*) FROM profiles p WHERE p.live = 1 AND (p.stage IN ('dormant', 'lost') OR " + tag.format(tags[2]) + ")",
    }
    print(json.dumps({"duckdb": duckdb.__version__, "load_seconds": round(load_seconds, 1)}))
    for name, sql in segments.items():
        times, count = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            count = db.execute(sql).fetchone()[0]
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(json.dumps({"segment": name, "reference": "duckdb", "count": count, "p50_ms": round(times[len(times) // 2], 2),
                          "p95_ms": round(times[min(len(times) - 1, len(times) * 95 // 100)], 2)}))


if __name__ == "__main__":
    main()
