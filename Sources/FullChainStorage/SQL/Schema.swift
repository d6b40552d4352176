/// The schema as named migrations, written once for SQLite and PostgreSQL. The few words the
/// dialects spell differently are fragments (`int`, `real`, `sortedText`, `withoutRowID`); a
/// statement written differently, or a migration only one dialect needs, says so. A landed
/// migration is never edited (a test pins the text of each): add a new one at the end.
enum Schema {
    /// One named migration: its statements, run in order in one transaction.
    struct Migration: Sendable {
        let name: String
        let statements: [SQLStatement]
        /// The dialects it runs on (a change one dialect needed and the other did not).
        let dialects: Set<SQLDialect>

        init(_ name: String, only dialect: SQLDialect? = nil, _ statements: [SQLStatement]) {
            self.name = name
            self.statements = statements
            dialects = dialect.map { [$0] } ?? [.sqlite, .postgres]
        }
    }

    /// A 64-bit integer (SQLite's INTEGER is 64-bit; PostgreSQL's is 32-bit, written plainly where that suffices).
    static let int: SQLStatement = .dialect(sqlite: "INTEGER", postgres: "BIGINT")
    /// A double.
    static let real: SQLStatement = .dialect(sqlite: "REAL", postgres: "DOUBLE PRECISION")
    /// Text compared byte by byte (paths, codes and keys read by range or prefix): SQLite's
    /// default, PostgreSQL's "C" collation.
    static let sortedText: SQLStatement = .dialect(sqlite: "TEXT", postgres: #"TEXT COLLATE "C""#)
    /// A table clustered on its primary key (SQLite); PostgreSQL has no such option.
    static let withoutRowID: SQLStatement = .dialect(sqlite: " WITHOUT ROWID", postgres: "")
    /// Bytes.
    static let blob: SQLStatement = .dialect(sqlite: "BLOB", postgres: "BYTEA")

    /// The migrations a dialect runs, oldest first.
    static func migrations(for dialect: SQLDialect) -> [Migration] {
        migrations.filter { $0.dialects.contains(dialect) }
    }

    static let migrations: [Migration] = [
        Migration(
            "v1_master_data",
            [
                """
                CREATE TABLE id_sequences (
                    tenant_id \(int) NOT NULL,
                    name TEXT NOT NULL,
                    next_id \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, name)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE tenants (
                    id \(int) PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    time_zone TEXT NOT NULL,
                    created_at \(int) NOT NULL
                )
                """,
                """
                CREATE TABLE org_nodes (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    parent_id \(int),
                    level \(int) NOT NULL,
                    code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    path \(sortedText) NOT NULL,
                    created_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    UNIQUE (tenant_id, code),
                    FOREIGN KEY (tenant_id, parent_id) REFERENCES org_nodes(tenant_id, id)
                )
                """,
                "CREATE INDEX org_nodes_path ON org_nodes(tenant_id, path)",
                """
                CREATE TABLE distributors (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    contact_name TEXT,
                    phone TEXT,
                    address TEXT,
                    org_node_id \(int) NOT NULL,
                    org_path \(sortedText) NOT NULL,
                    status TEXT NOT NULL,
                    created_at \(int) NOT NULL,
                    updated_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    UNIQUE (tenant_id, code),
                    FOREIGN KEY (tenant_id, org_node_id) REFERENCES org_nodes(tenant_id, id)
                )
                """,
                "CREATE INDEX distributors_org_path ON distributors(tenant_id, org_path)",
                "CREATE INDEX distributors_name ON distributors(tenant_id, name)",
                """
                CREATE TABLE distributor_territories (
                    tenant_id \(int) NOT NULL,
                    distributor_id \(int) NOT NULL,
                    region_code TEXT NOT NULL,
                    PRIMARY KEY (tenant_id, distributor_id, region_code),
                    FOREIGN KEY (tenant_id, distributor_id) REFERENCES distributors(tenant_id, id)
                )\(withoutRowID)
                """,
                "CREATE INDEX distributor_territories_region ON distributor_territories(tenant_id, region_code)",
                """
                CREATE TABLE stores (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    store_type TEXT NOT NULL,
                    address TEXT,
                    region_code TEXT NOT NULL,
                    latitude \(real),
                    longitude \(real),
                    distributor_id \(int),
                    salesperson_node_id \(int),
                    org_path \(sortedText) NOT NULL,
                    status TEXT NOT NULL,
                    created_at \(int) NOT NULL,
                    updated_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    UNIQUE (tenant_id, code),
                    FOREIGN KEY (tenant_id, distributor_id) REFERENCES distributors(tenant_id, id),
                    FOREIGN KEY (tenant_id, salesperson_node_id) REFERENCES org_nodes(tenant_id, id)
                )
                """,
                "CREATE INDEX stores_org_path ON stores(tenant_id, org_path, id)",
                "CREATE INDEX stores_distributor ON stores(tenant_id, distributor_id, id)",
                "CREATE INDEX stores_distributor_path ON stores(tenant_id, distributor_id, org_path)",
                "CREATE INDEX stores_region ON stores(tenant_id, region_code)",
                """
                CREATE TABLE products (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    sku TEXT NOT NULL,
                    gtin TEXT NOT NULL,
                    name TEXT NOT NULL,
                    category TEXT NOT NULL,
                    price_fen \(int) NOT NULL,
                    units_per_case \(int) NOT NULL,
                    launch_date TEXT,
                    status TEXT NOT NULL,
                    created_at \(int) NOT NULL,
                    updated_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    UNIQUE (tenant_id, sku),
                    UNIQUE (tenant_id, gtin)
                )
                """,
                """
                CREATE TABLE users (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    username TEXT NOT NULL,
                    display_name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    org_node_id \(int),
                    org_path \(sortedText) NOT NULL,
                    distributor_id \(int),
                    store_id \(int),
                    password_hash TEXT,
                    active \(int) NOT NULL,
                    created_at \(int) NOT NULL,
                    updated_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    UNIQUE (tenant_id, username),
                    FOREIGN KEY (tenant_id, org_node_id) REFERENCES org_nodes(tenant_id, id),
                    FOREIGN KEY (tenant_id, distributor_id) REFERENCES distributors(tenant_id, id),
                    FOREIGN KEY (tenant_id, store_id) REFERENCES stores(tenant_id, id)
                )
                """,
                """
                CREATE TABLE auth_tokens (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    token_hash TEXT NOT NULL,
                    id \(int) NOT NULL,
                    user_id \(int) NOT NULL,
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL,
                    created_at \(int) NOT NULL,
                    expires_at \(int),
                    revoked_at \(int),
                    last_used_at \(int),
                    PRIMARY KEY (tenant_id, token_hash),
                    UNIQUE (tenant_id, id),
                    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
                )
                """,
                "CREATE INDEX auth_tokens_user ON auth_tokens(tenant_id, user_id)",
                """
                CREATE TABLE import_runs (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    kind TEXT NOT NULL,
                    file_name TEXT NOT NULL,
                    format TEXT NOT NULL,
                    user_id \(int) NOT NULL,
                    org_path \(sortedText) NOT NULL,
                    total_rows \(int) NOT NULL,
                    imported_rows \(int) NOT NULL,
                    error_count \(int) NOT NULL,
                    errors_json TEXT NOT NULL,
                    created_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id)
                )
                """,
            ]),
        // Store search reads an index of character pairs (see StoreSearch); list filters get indexes.
        Migration(
            "v2_store_search",
            [
                """
                CREATE TABLE store_search_grams (
                    tenant_id \(int) NOT NULL,
                    gram \(sortedText) NOT NULL,
                    store_id \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, gram, store_id)
                )\(withoutRowID)
                """,
                "CREATE INDEX store_search_grams_store ON store_search_grams(tenant_id, store_id)",
                "CREATE INDEX stores_type ON stores(tenant_id, store_type, id)",
                // A subtree's list filters and counts from its index alone.
                "DROP INDEX stores_org_path",
                "CREATE INDEX stores_org_path ON stores(tenant_id, org_path, id, store_type, status, region_code)",
                "DROP INDEX stores_region",
                "CREATE INDEX stores_region ON stores(tenant_id, region_code, id)",
                .dialect(
                    sqlite: """
                        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 128)
                        INSERT INTO store_search_grams (tenant_id, gram, store_id)
                        SELECT s.tenant_id, substr(lower(s.name), n.i, 2), s.id FROM stores s JOIN n ON n.i < length(s.name)
                        UNION
                        SELECT s.tenant_id, substr(lower(s.code), n.i, 2), s.id FROM stores s JOIN n ON n.i < length(s.code)
                        """,
                    postgres: """
                        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 128)
                        INSERT INTO store_search_grams (tenant_id, gram, store_id)
                        SELECT s.tenant_id, substr(translate(s.name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), n.i, 2), s.id
                        FROM stores s JOIN n ON n.i < length(s.name)
                        UNION
                        SELECT s.tenant_id, substr(translate(s.code, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), n.i, 2), s.id
                        FROM stores s JOIN n ON n.i < length(s.code)
                        """),
            ]),
        // One-item-one-code: tenant code keys (sealed under the master key) and code batches.
        Migration(
            "v3_codes",
            [
                """
                CREATE TABLE code_keys (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    key_id \(int) NOT NULL,
                    sealed_key TEXT NOT NULL,
                    created_at \(int) NOT NULL,
                    retired_at \(int),
                    PRIMARY KEY (tenant_id, key_id),
                    UNIQUE (key_id)
                )
                """,
                """
                CREATE TABLE code_batches (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    product_id \(int) NOT NULL,
                    lot TEXT NOT NULL,
                    quantity \(int) NOT NULL,
                    units_per_case \(int) NOT NULL,
                    key_id \(int) NOT NULL,
                    created_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    UNIQUE (tenant_id, product_id, lot),
                    FOREIGN KEY (tenant_id, product_id) REFERENCES products(tenant_id, id),
                    FOREIGN KEY (tenant_id, key_id) REFERENCES code_keys(tenant_id, key_id)
                )
                """,
            ]),
        // Activation and voiding of case ranges of a batch.
        Migration(
            "v4_code_activation",
            [
                """
                CREATE TABLE code_range_actions (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    batch_id \(int) NOT NULL,
                    id \(int) NOT NULL,
                    action TEXT NOT NULL,
                    first_case \(int) NOT NULL,
                    last_case \(int) NOT NULL,
                    created_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, batch_id, id),
                    FOREIGN KEY (tenant_id, batch_id) REFERENCES code_batches(tenant_id, id)
                )
                """
            ]),
        // Logistics: cases shipped by the brand to distributors and received by stores (the BC association).
        Migration(
            "v5_logistics",
            [
                """
                CREATE TABLE case_shipments (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    batch_id \(int) NOT NULL,
                    case_number \(int) NOT NULL,
                    distributor_id \(int) NOT NULL,
                    shipped_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, batch_id, case_number),
                    FOREIGN KEY (tenant_id, batch_id) REFERENCES code_batches(tenant_id, id),
                    FOREIGN KEY (tenant_id, distributor_id) REFERENCES distributors(tenant_id, id)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE case_receipts (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    batch_id \(int) NOT NULL,
                    case_number \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    distributor_id \(int) NOT NULL,
                    flag TEXT NOT NULL,
                    received_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, batch_id, case_number),
                    FOREIGN KEY (tenant_id, store_id) REFERENCES stores(tenant_id, id)
                )\(withoutRowID)
                """,
                "CREATE INDEX case_receipts_store ON case_receipts(tenant_id, store_id)",
            ]),
        // Consumer scans: a count per scanned unit (only scanned codes get a row) and every scan.
        Migration(
            "v6_scans",
            [
                """
                CREATE TABLE code_scan_counts (
                    tenant_id \(int) NOT NULL,
                    batch_id \(int) NOT NULL,
                    serial \(int) NOT NULL,
                    scans \(int) NOT NULL,
                    first_at \(int) NOT NULL,
                    first_latitude \(real),
                    first_longitude \(real),
                    PRIMARY KEY (tenant_id, batch_id, serial)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE scan_events (
                    tenant_id \(int) NOT NULL,
                    batch_id \(int) NOT NULL,
                    serial \(int) NOT NULL,
                    scan_number \(int) NOT NULL,
                    scanned_at \(int) NOT NULL,
                    latitude \(real),
                    longitude \(real),
                    device_id TEXT,
                    ip TEXT,
                    consumer TEXT,
                    store_id \(int),
                    status TEXT NOT NULL,
                    PRIMARY KEY (tenant_id, batch_id, serial, scan_number)
                )\(withoutRowID)
                """,
            ]),
        // Rollups kept at write time (pages never scan raw events) and the alert feed.
        Migration(
            "v7_scan_rollups_alerts",
            [
                """
                CREATE TABLE store_day_scans (
                    tenant_id \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    product_id \(int) NOT NULL,
                    day \(int) NOT NULL,
                    scans \(int) NOT NULL,
                    units_sold \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, store_id, product_id, day)
                )\(withoutRowID)
                """,
                "CREATE INDEX store_day_scans_day ON store_day_scans(tenant_id, day)",
                """
                CREATE TABLE region_day_scans (
                    tenant_id \(int) NOT NULL,
                    region_code TEXT NOT NULL,
                    day \(int) NOT NULL,
                    scans \(int) NOT NULL,
                    units_sold \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, region_code, day)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE diversion_evidence (
                    tenant_id \(int) NOT NULL,
                    batch_id \(int) NOT NULL,
                    case_number \(int) NOT NULL,
                    device_id TEXT NOT NULL,
                    scanned_at \(int) NOT NULL,
                    region_code TEXT NOT NULL,
                    latitude \(real) NOT NULL,
                    longitude \(real) NOT NULL,
                    PRIMARY KEY (tenant_id, batch_id, case_number, device_id)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE scan_alerts (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    kind TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    batch_id \(int),
                    case_number \(int),
                    serial \(int),
                    product_id \(int),
                    distributor_id \(int),
                    store_id \(int),
                    org_path \(sortedText),
                    region_code TEXT,
                    latitude \(real),
                    longitude \(real),
                    devices \(int) NOT NULL,
                    events \(int) NOT NULL,
                    first_at \(int) NOT NULL,
                    last_at \(int) NOT NULL,
                    detail TEXT NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    UNIQUE (tenant_id, kind, subject)
                )
                """,
                "CREATE INDEX scan_alerts_recent ON scan_alerts(tenant_id, last_at)",
                "CREATE INDEX scan_alerts_org ON scan_alerts(tenant_id, org_path, last_at)",
            ]),
        // Distributors' deliveries to stores, and re-packed units.
        Migration(
            "v8_transfers_repacks",
            [
                """
                CREATE TABLE case_transfers (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    batch_id \(int) NOT NULL,
                    case_number \(int) NOT NULL,
                    distributor_id \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    transferred_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, batch_id, case_number),
                    FOREIGN KEY (tenant_id, store_id) REFERENCES stores(tenant_id, id)
                )\(withoutRowID)
                """,
                "CREATE INDEX case_transfers_time ON case_transfers(tenant_id, transferred_at)",
                """
                CREATE TABLE unit_repacks (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    batch_id \(int) NOT NULL,
                    serial \(int) NOT NULL,
                    from_case \(int) NOT NULL,
                    to_case \(int) NOT NULL,
                    repacked_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, batch_id) REFERENCES code_batches(tenant_id, id)
                )
                """,
                "CREATE INDEX unit_repacks_unit ON unit_repacks(tenant_id, batch_id, serial, id)",
                "CREATE INDEX unit_repacks_time ON unit_repacks(tenant_id, repacked_at)",
            ]),
        // Idempotency keys of retried writes, with the first response (kept a day).
        Migration(
            "v9_idempotency_keys",
            [
                """
                CREATE TABLE idempotency_keys (
                    scope TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    request_hash TEXT NOT NULL,
                    state TEXT NOT NULL,
                    status \(int) NOT NULL,
                    content_type TEXT NOT NULL,
                    body TEXT NOT NULL,
                    created_at \(int) NOT NULL,
                    updated_at \(int) NOT NULL,
                    PRIMARY KEY (scope, idempotency_key)
                )\(withoutRowID)
                """,
                "CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at)",
            ]),
        // The double-entry ledger: accounts with their balances and floors, entries (one per key), postings.
        Migration(
            "v10_ledger",
            [
                """
                CREATE TABLE ledger_accounts (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    code \(sortedText) NOT NULL,
                    asset TEXT NOT NULL,
                    floor \(int),
                    balance \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, code, asset)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE ledger_entries (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    memo TEXT NOT NULL,
                    created_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    UNIQUE (tenant_id, idempotency_key)
                )
                """,
                """
                CREATE TABLE ledger_postings (
                    tenant_id \(int) NOT NULL,
                    entry_id \(int) NOT NULL,
                    account_code \(sortedText) NOT NULL,
                    asset TEXT NOT NULL,
                    amount \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, entry_id, account_code, asset),
                    FOREIGN KEY (tenant_id, entry_id) REFERENCES ledger_entries(tenant_id, id),
                    FOREIGN KEY (tenant_id, account_code, asset) REFERENCES ledger_accounts(tenant_id, code, asset)
                )\(withoutRowID)
                """,
                "CREATE INDEX ledger_postings_account ON ledger_postings(tenant_id, account_code, asset)",
            ]),
        // Scan campaigns: the checked definition as JSON, with the columns lists filter on.
        Migration(
            "v11_campaigns",
            [
                """
                CREATE TABLE campaigns (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    name TEXT NOT NULL,
                    starts_at \(int) NOT NULL,
                    ends_at \(int) NOT NULL,
                    definition TEXT NOT NULL,
                    created_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id)
                )
                """,
                "CREATE INDEX campaigns_window ON campaigns(tenant_id, ends_at, starts_at)",
            ]),
        // Campaign draws: one per code and campaign (a code never pays twice), win counts per
        // consumer or device and day, tier stock, and how many shards a campaign's budgets have.
        Migration(
            "v12_campaign_draws",
            [
                "ALTER TABLE campaigns ADD COLUMN budget_shards INTEGER NOT NULL DEFAULT 1",
                """
                CREATE TABLE campaign_draws (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    campaign_id \(int) NOT NULL,
                    batch_id \(int) NOT NULL,
                    serial \(int) NOT NULL,
                    drawn_at \(int) NOT NULL,
                    wallet TEXT NOT NULL,
                    device_id TEXT,
                    store_id \(int),
                    tier INTEGER,
                    outcome TEXT NOT NULL,
                    amount_fen \(int) NOT NULL DEFAULT 0,
                    points \(int) NOT NULL DEFAULT 0,
                    store_reward_fen \(int) NOT NULL DEFAULT 0,
                    PRIMARY KEY (tenant_id, campaign_id, batch_id, serial),
                    FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns(tenant_id, id)
                )\(withoutRowID)
                """,
                "CREATE INDEX campaign_draws_time ON campaign_draws(tenant_id, campaign_id, drawn_at)",
                """
                CREATE TABLE campaign_win_counts (
                    tenant_id \(int) NOT NULL,
                    campaign_id \(int) NOT NULL,
                    subject \(sortedText) NOT NULL,
                    day \(int) NOT NULL,
                    wins INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, campaign_id, subject, day)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE campaign_stock (
                    tenant_id \(int) NOT NULL,
                    campaign_id \(int) NOT NULL,
                    tier INTEGER NOT NULL,
                    remaining \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, campaign_id, tier)
                )\(withoutRowID)
                """,
            ]),
        // The payout outbox: one row per cash prize paid out through a provider, and the pace
        // each merchant account keeps (payouts per second, shared by every server).
        Migration(
            "v13_payouts",
            [
                """
                CREATE TABLE payouts (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    campaign_id \(int) NOT NULL,
                    wallet \(sortedText) NOT NULL,
                    recipient TEXT NOT NULL,
                    amount_fen \(int) NOT NULL,
                    status TEXT NOT NULL,
                    merchant \(sortedText),
                    bill_no TEXT,
                    send_day \(int),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    ask_first INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at \(int) NOT NULL,
                    lease_until \(int),
                    provider_ref TEXT,
                    last_error TEXT,
                    created_at \(int) NOT NULL,
                    updated_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    UNIQUE (bill_no)
                )\(withoutRowID)
                """,
                "CREATE INDEX payouts_due ON payouts(status, next_attempt_at)",
                "CREATE INDEX payouts_consumer_day ON payouts(tenant_id, wallet, send_day)",
                "CREATE INDEX payouts_merchant_day ON payouts(merchant, send_day)",
                """
                CREATE TABLE payout_pace (
                    merchant \(sortedText) NOT NULL,
                    second \(int) NOT NULL,
                    sent INTEGER NOT NULL,
                    PRIMARY KEY (merchant, second)
                )\(withoutRowID)
                """,
            ]),
        // Risk control: the brand's blacklist, and why a payout was held for review.
        Migration(
            "v14_risk",
            [
                """
                CREATE TABLE risk_blacklist (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    kind \(sortedText) NOT NULL,
                    value \(sortedText) NOT NULL,
                    note TEXT NOT NULL DEFAULT '',
                    created_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, kind, value)
                )\(withoutRowID)
                """,
                "ALTER TABLE payouts ADD COLUMN risk_score INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE payouts ADD COLUMN risk_reasons TEXT NOT NULL DEFAULT ''",
                "CREATE INDEX payouts_status ON payouts(tenant_id, status, id)",
            ]),
        // "再来一瓶" vouchers redeemed at stores, once each.
        Migration(
            "v15_vouchers",
            [
                """
                CREATE TABLE voucher_redemptions (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    campaign_id \(int) NOT NULL,
                    batch_id \(int) NOT NULL,
                    serial \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    amount_fen \(int) NOT NULL,
                    redeemed_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, campaign_id, batch_id, serial)
                )\(withoutRowID)
                """,
                "CREATE INDEX voucher_redemptions_store ON voucher_redemptions(tenant_id, store_id, redeemed_at)",
            ]),
        // Store intelligence and the sales force: store-day, receipt and store-consumer rollups kept at write time
        // (filled from what is already there), visits with stock counts and photos, store alerts as tasks,
        // store profiles, measured scan rates and each brand's rules.
        Migration(
            "v16_store_intelligence",
            [
                """
                CREATE TABLE store_days (
                    tenant_id \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    day \(int) NOT NULL,
                    scans \(int) NOT NULL,
                    units_sold \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, store_id, day)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE store_day_receipts (
                    tenant_id \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    product_id \(int) NOT NULL,
                    day \(int) NOT NULL,
                    cases \(int) NOT NULL,
                    units \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, store_id, product_id, day)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE store_consumers (
                    tenant_id \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    consumer TEXT NOT NULL,
                    purchases \(int) NOT NULL,
                    first_day \(int) NOT NULL,
                    last_day \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, store_id, consumer)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE store_rule_settings (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    rules TEXT NOT NULL,
                    updated_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id)
                )
                """,
                """
                CREATE TABLE store_visits (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    user_id \(int) NOT NULL,
                    org_path TEXT NOT NULL,
                    alert_id \(int),
                    checked_in_at \(int) NOT NULL,
                    day \(int) NOT NULL,
                    latitude \(real) NOT NULL,
                    longitude \(real) NOT NULL,
                    distance_m \(real) NOT NULL,
                    notes TEXT NOT NULL,
                    photos \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id)
                )
                """,
                """
                CREATE TABLE visit_stock_counts (
                    tenant_id \(int) NOT NULL,
                    visit_id \(int) NOT NULL,
                    product_id \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    day \(int) NOT NULL,
                    units \(int) NOT NULL,
                    facings \(int),
                    interval_sold \(int),
                    interval_scanned \(int),
                    province TEXT NOT NULL,
                    PRIMARY KEY (tenant_id, visit_id, product_id)
                )
                """,
                """
                CREATE TABLE store_stock_positions (
                    tenant_id \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    product_id \(int) NOT NULL,
                    counted_units \(int) NOT NULL,
                    counted_day \(int) NOT NULL,
                    counted_at \(int) NOT NULL,
                    scanned_through \(int) NOT NULL,
                    received_through \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, store_id, product_id)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE visit_photos (
                    tenant_id \(int) NOT NULL,
                    visit_id \(int) NOT NULL,
                    number \(int) NOT NULL,
                    content_type TEXT NOT NULL,
                    size \(int) NOT NULL,
                    data_base64 TEXT NOT NULL,
                    PRIMARY KEY (tenant_id, visit_id, number)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE store_alerts (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    kind TEXT NOT NULL,
                    product_id \(int) NOT NULL,
                    org_path TEXT NOT NULL,
                    salesperson_node_id \(int),
                    raised_day \(int) NOT NULL,
                    last_day \(int) NOT NULL,
                    due_day \(int) NOT NULL,
                    score \(real) NOT NULL,
                    baseline \(real) NOT NULL,
                    observed \(real) NOT NULL,
                    peer_median \(real),
                    reason TEXT NOT NULL,
                    status TEXT NOT NULL,
                    open_key TEXT,
                    created_at \(int) NOT NULL,
                    first_visit_at \(int),
                    resolved_at \(int),
                    resolved_by \(int),
                    resolution TEXT,
                    resolution_note TEXT,
                    outcome TEXT NOT NULL,
                    outcome_day \(int),
                    outcome_observed \(real),
                    PRIMARY KEY (tenant_id, id)
                )
                """,
                """
                CREATE TABLE store_profiles (
                    tenant_id \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    day \(int) NOT NULL,
                    salesperson_node_id \(int),
                    org_path TEXT NOT NULL,
                    tier TEXT NOT NULL,
                    tags TEXT NOT NULL,
                    strategies TEXT NOT NULL,
                    sales28 \(int) NOT NULL,
                    sales_prev28 \(int) NOT NULL,
                    sales90 \(int) NOT NULL,
                    new_product_share \(real) NOT NULL,
                    repeat_share \(real),
                    open_alerts \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, store_id)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE scan_rates (
                    tenant_id \(int) NOT NULL,
                    product_id \(int) NOT NULL,
                    province TEXT NOT NULL,
                    rate \(real) NOT NULL,
                    sample \(int) NOT NULL,
                    day \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, product_id, province)
                )\(withoutRowID)
                """,
                "CREATE UNIQUE INDEX store_alerts_open ON store_alerts(tenant_id, open_key)",
                "CREATE INDEX store_alerts_org ON store_alerts(tenant_id, org_path, raised_day)",
                "CREATE INDEX store_alerts_recent ON store_alerts(tenant_id, raised_day, id)",
                "CREATE INDEX store_alerts_store ON store_alerts(tenant_id, store_id, id)",
                "CREATE INDEX store_alerts_status ON store_alerts(tenant_id, status, outcome)",
                "CREATE INDEX store_visits_store ON store_visits(tenant_id, store_id, checked_in_at)",
                "CREATE INDEX store_visits_org ON store_visits(tenant_id, org_path, checked_in_at)",
                "CREATE INDEX visit_stock_counts_store ON visit_stock_counts(tenant_id, store_id, product_id, day)",
                "CREATE INDEX store_profiles_org ON store_profiles(tenant_id, org_path)",
                """
                INSERT INTO store_days (tenant_id, store_id, day, scans, units_sold) SELECT tenant_id, store_id, day, sum(scans), sum(units_sold) FROM store_day_scans GROUP BY tenant_id, store_id, day
                """,
                """
                INSERT INTO store_day_receipts (tenant_id, store_id, product_id, day, cases, units)
                SELECT r.tenant_id, r.store_id, b.product_id, (r.received_at + 28800000) / 86400000, count(*), sum(b.units_per_case)
                FROM case_receipts r JOIN code_batches b ON b.tenant_id = r.tenant_id AND b.id = r.batch_id
                GROUP BY r.tenant_id, r.store_id, b.product_id, (r.received_at + 28800000) / 86400000
                """,
                """
                INSERT INTO store_consumers (tenant_id, store_id, consumer, purchases, first_day, last_day)
                SELECT tenant_id, store_id, consumer, count(*), min((scanned_at + 28800000) / 86400000), max((scanned_at + 28800000) / 86400000)
                FROM scan_events WHERE store_id IS NOT NULL AND consumer IS NOT NULL AND scan_number = 1 AND status = 'active'
                GROUP BY tenant_id, store_id, consumer
                """,
            ]),
        // The abnormal-store feed of a manager's subtree: filtered and sorted from the index alone.
        Migration(
            "v17_store_alert_feed",
            [
                "CREATE INDEX store_alerts_feed ON store_alerts(tenant_id, org_path, raised_day, kind, status, outcome, id)",
                "DROP INDEX store_alerts_org",
            ]),
        // Scan events in the order they are written, found by time: each group commit appends to
        // the table's last pages instead of dirtying a page per scanned unit (the unit's count and
        // first scan live in code_scan_counts), and exports read a time range from the index.
        Migration(
            "v18_scan_events_in_time_order", only: .sqlite,
            [
                """
                CREATE TABLE scan_events_in_time_order (
                    id \(int) PRIMARY KEY,
                    tenant_id \(int) NOT NULL,
                    batch_id \(int) NOT NULL,
                    serial \(int) NOT NULL,
                    scan_number \(int) NOT NULL,
                    scanned_at \(int) NOT NULL,
                    latitude \(real),
                    longitude \(real),
                    device_id TEXT,
                    ip TEXT,
                    consumer TEXT,
                    store_id \(int),
                    status TEXT NOT NULL
                )
                """,
                """
                INSERT INTO scan_events_in_time_order (tenant_id, batch_id, serial, scan_number, scanned_at, latitude, longitude, device_id, ip, consumer, store_id, status)
                SELECT tenant_id, batch_id, serial, scan_number, scanned_at, latitude, longitude, device_id, ip, consumer, store_id, status
                FROM scan_events ORDER BY scanned_at, tenant_id, batch_id, serial, scan_number
                """,
                "DROP TABLE scan_events",
                "ALTER TABLE scan_events_in_time_order RENAME TO scan_events",
                "CREATE INDEX scan_events_time ON scan_events(tenant_id, scanned_at)",
            ]),
        // A public caller's oldest idempotency keys give way to its new ones: found by scope and age.
        Migration(
            "v19_idempotency_scope_age",
            [
                "CREATE INDEX idempotency_keys_scope_age ON idempotency_keys(scope, created_at)"
            ]),
        // Deployment-wide facts, such as the check value of the master key every node must hold.
        Migration(
            "v20_deployment_settings",
            [
                """
                CREATE TABLE deployment_settings (
                    name TEXT PRIMARY KEY,
                    value TEXT NOT NULL,
                    created_at \(int) NOT NULL
                )
                """
            ]),
        // Who holds a payout's lease: a worker records an answer only while the lease is still its own.
        Migration(
            "v21_payout_lease_owner",
            [
                "ALTER TABLE payouts ADD COLUMN lease_owner TEXT"
            ]),
        // A receipt recorded for a case outside its store's channel by someone other than the
        // store's staff holds that store's rewards until HQ reviews it.
        Migration(
            "v22_receipt_review",
            [
                "ALTER TABLE case_receipts ADD COLUMN review TEXT NOT NULL DEFAULT 'none'",
                "CREATE INDEX case_receipts_review ON case_receipts(tenant_id, review, received_at)",
            ]),
        // Scan rates per SKU, province and store type, with their standard error and where they came from.
        Migration(
            "v23_scan_rate_estimates",
            [
                """
                CREATE TABLE scan_rate_estimates (
                    tenant_id \(int) NOT NULL,
                    product_id \(int) NOT NULL,
                    province TEXT NOT NULL,
                    store_type TEXT NOT NULL,
                    rate \(real) NOT NULL,
                    standard_error \(real) NOT NULL,
                    source TEXT NOT NULL,
                    sample \(int) NOT NULL,
                    day \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, product_id, province, store_type)
                )\(withoutRowID)
                """
            ]),
        // Visit photos as bytes, not base64 text (SQLite decodes with the function `SQLiteSchema` adds).
        Migration(
            "v24_visit_photo_bytes",
            [
                "ALTER TABLE visit_photos ADD COLUMN data \(blob) NOT NULL DEFAULT " + .dialect(sqlite: "x''", postgres: "''::bytea"),
                "UPDATE visit_photos SET data = " + .dialect(sqlite: "fullchain_unbase64(data_base64)", postgres: "decode(data_base64, 'base64')"),
                "ALTER TABLE visit_photos DROP COLUMN data_base64",
            ]),
        // Each brand's WeChat official account for consumers' sign-in on the scan page (the secret sealed).
        Migration(
            "v25_consumer_wechat_apps",
            [
                """
                CREATE TABLE consumer_wechat_apps (
                    tenant_id \(int) PRIMARY KEY REFERENCES tenants(id),
                    app_id TEXT NOT NULL,
                    secret_sealed TEXT NOT NULL,
                    updated_at \(int) NOT NULL
                )
                """
            ]),
        // Consumers' phones (sealed, found by a keyed hash) and the SMS sign-in codes sent to them.
        Migration(
            "v26_consumer_phone_codes",
            [
                """
                CREATE TABLE consumer_phones (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    phone_hash TEXT NOT NULL,
                    phone_sealed TEXT NOT NULL,
                    last_sent_at \(int) NOT NULL,
                    created_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, phone_hash)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE consumer_phone_codes (
                    tenant_id \(int) NOT NULL,
                    id \(int) NOT NULL,
                    phone_hash TEXT NOT NULL,
                    address_hash TEXT,
                    device_hash TEXT,
                    code_hash TEXT NOT NULL,
                    sent_at \(int) NOT NULL,
                    expires_at \(int) NOT NULL,
                    attempts \(int) NOT NULL DEFAULT 0,
                    used_at \(int),
                    PRIMARY KEY (tenant_id, id)
                )
                """,
                "CREATE INDEX consumer_phone_codes_phone ON consumer_phone_codes(tenant_id, phone_hash, sent_at)",
                "CREATE INDEX consumer_phone_codes_address ON consumer_phone_codes(tenant_id, address_hash, sent_at)",
                "CREATE INDEX consumer_phone_codes_device ON consumer_phone_codes(tenant_id, device_hash, sent_at)",
            ]),
        // How far each brand's retention rules have gone: scans whose positions were coarsened, and
        // and the time through which scan events' clear-text consumers were replaced by pseudonyms.
        Migration(
            "v27_consumer_retention",
            [
                """
                CREATE TABLE consumer_retention (
                    tenant_id \(int) PRIMARY KEY REFERENCES tenants(id),
                    coarsened_until \(int) NOT NULL DEFAULT 0,
                    pseudonymized_through \(int) NOT NULL DEFAULT 0
                )
                """
            ]),
        // Consumers who deleted their account: the random name their history now carries, so
        // payouts still in flight then lose their recipient once they end.
        Migration(
            "v28_consumer_erasures",
            [
                """
                CREATE TABLE consumer_erasures (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    wallet TEXT NOT NULL,
                    erased_at \(int) NOT NULL,
                    recipients_cleared \(int) NOT NULL DEFAULT 0,
                    PRIMARY KEY (tenant_id, wallet)
                )
                """
            ]),
        // Each consent a consumer gave or withdrew: what, yes or no, under which privacy notice, when.
        Migration(
            "v29_consumer_consents",
            [
                """
                CREATE TABLE consumer_consents (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    wallet TEXT NOT NULL,
                    purpose TEXT NOT NULL,
                    granted \(int) NOT NULL,
                    notice_version TEXT NOT NULL,
                    at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, wallet, purpose, at)
                )\(withoutRowID)
                """
            ]),
        Migration(
            "v30_points_mall",
            [
                """
                CREATE TABLE mall_items (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    price_points \(int) NOT NULL,
                    face_value_fen \(int) NOT NULL,
                    stock \(int) NOT NULL,
                    stock_left \(int) NOT NULL CHECK (stock_left >= 0),
                    per_person_limit \(int) NOT NULL,
                    available_from \(int) NOT NULL,
                    available_until \(int) NOT NULL,
                    valid_days \(int) NOT NULL,
                    created_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id)
                )
                """,
                """
                CREATE TABLE mall_holdings (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    item_id \(int) NOT NULL,
                    wallet \(sortedText) NOT NULL,
                    taken \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, item_id, wallet)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE coupons (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    item_id \(int) NOT NULL,
                    code \(sortedText) NOT NULL,
                    wallet \(sortedText) NOT NULL,
                    price_points \(int) NOT NULL,
                    face_value_fen \(int) NOT NULL,
                    taken_at \(int) NOT NULL,
                    expires_at \(int) NOT NULL,
                    store_id \(int),
                    redeemed_at \(int),
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, item_id) REFERENCES mall_items(tenant_id, id)
                )
                """,
                "CREATE UNIQUE INDEX coupons_code ON coupons(tenant_id, code)",
                "CREATE INDEX coupons_wallet ON coupons(tenant_id, wallet, taken_at)",
                "CREATE INDEX coupons_store ON coupons(tenant_id, store_id, redeemed_at)",
            ]),
        // One profile per person: the identities it joins (as pseudonyms), merges with their
        // evidence (undone by moving the identities back), and figures rolled up from the scans.
        Migration(
            "v31_consumer_profiles",
            [
                """
                CREATE TABLE consumer_profiles (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    label TEXT NOT NULL,
                    verified \(int) NOT NULL DEFAULT 0,
                    stage TEXT NOT NULL DEFAULT 'new',
                    scans \(int) NOT NULL DEFAULT 0,
                    first_scan_at \(int),
                    last_scan_at \(int) NOT NULL DEFAULT 0,
                    store_id \(int),
                    merged_into \(int),
                    created_at \(int) NOT NULL,
                    updated_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id)
                )
                """,
                "CREATE INDEX consumer_profiles_recent ON consumer_profiles(tenant_id, last_scan_at, id)",
                "CREATE INDEX consumer_profiles_store ON consumer_profiles(tenant_id, store_id, last_scan_at, id)",
                "CREATE INDEX consumer_profiles_stage ON consumer_profiles(tenant_id, stage, last_scan_at, id)",
                """
                CREATE TABLE consumer_identities (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    pseudonym \(sortedText) NOT NULL,
                    kind TEXT NOT NULL,
                    profile_id \(int) NOT NULL,
                    first_seen \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, pseudonym)
                )\(withoutRowID)
                """,
                "CREATE INDEX consumer_identities_profile ON consumer_identities(tenant_id, profile_id)",
                """
                CREATE TABLE consumer_merges (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    kept_id \(int) NOT NULL,
                    merged_id \(int) NOT NULL,
                    evidence TEXT NOT NULL,
                    evidence_identity TEXT,
                    moved TEXT NOT NULL,
                    at \(int) NOT NULL,
                    undone_at \(int),
                    PRIMARY KEY (tenant_id, id)
                )
                """,
                "CREATE INDEX consumer_merges_kept ON consumer_merges(tenant_id, kept_id)",
                "CREATE INDEX consumer_merges_merged ON consumer_merges(tenant_id, merged_id)",
                """
                CREATE TABLE consumer_profile_rollup (
                    tenant_id \(int) PRIMARY KEY REFERENCES tenants(id),
                    scanned_through \(int) NOT NULL DEFAULT 0
                )
                """,
                "CREATE INDEX scan_events_consumer ON scan_events(tenant_id, consumer, scanned_at) WHERE consumer IS NOT NULL",
            ]),
        // Tags on consumer profiles: definitions (a rule, or none for a tag put on by hand), who
        // carries each since when, and when a profile's rule tags must be asked again as time passes.
        Migration(
            "v32_consumer_tags",
            [
                """
                CREATE TABLE consumer_tags (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    name TEXT NOT NULL,
                    description TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    rule TEXT,
                    members \(int) NOT NULL DEFAULT 0,
                    backfill_after \(int),
                    created_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id)
                )
                """,
                "CREATE UNIQUE INDEX consumer_tags_name ON consumer_tags(tenant_id, name)",
                """
                CREATE TABLE consumer_tag_members (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    tag_id \(int) NOT NULL,
                    profile_id \(int) NOT NULL,
                    since \(int) NOT NULL,
                    by_user TEXT,
                    PRIMARY KEY (tenant_id, tag_id, profile_id),
                    FOREIGN KEY (tenant_id, tag_id) REFERENCES consumer_tags(tenant_id, id)
                )\(withoutRowID)
                """,
                "CREATE INDEX consumer_tag_members_profile ON consumer_tag_members(tenant_id, profile_id, tag_id)",
                "ALTER TABLE consumer_profiles ADD COLUMN tags_recheck_at \(int)",
                "CREATE INDEX consumer_profiles_tags_recheck ON consumer_profiles(tenant_id, tags_recheck_at) WHERE tags_recheck_at IS NOT NULL",
            ]),
        // Segments: saved combinations of tags, attributes and events. The profiles changed since a
        // moment are read by when they changed, to keep the segment index current.
        Migration(
            "v33_segments",
            [
                """
                CREATE TABLE segments (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    name TEXT NOT NULL,
                    description TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    created_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, id)
                )
                """,
                "CREATE UNIQUE INDEX segments_name ON segments(tenant_id, name)",
                "CREATE INDEX consumer_profiles_updated ON consumer_profiles(tenant_id, updated_at)",
            ]),
        // The AARRR lifecycle: each brand's settings, each profile's stage and where it was
        // acquired, every move (one per stage reached), and the rollups its pages read: consumers
        // reaching each stage by the day they were acquired ("cohort") and by the day they moved
        // ("moved"), and weekly cohort retention (with the weeks already counted per profile).
        Migration(
            "v34_lifecycle",
            [
                """
                CREATE TABLE lifecycle_settings (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    settings TEXT NOT NULL,
                    updated_by TEXT NOT NULL,
                    updated_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id)
                )
                """,
                "ALTER TABLE consumer_profiles ADD COLUMN lifecycle_stage TEXT",
                "ALTER TABLE consumer_profiles ADD COLUMN acquired_at \(int)",
                "ALTER TABLE consumer_profiles ADD COLUMN acquired_store_id \(int)",
                """
                CREATE TABLE lifecycle_transitions (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    profile_id \(int) NOT NULL,
                    to_stage TEXT NOT NULL,
                    from_stage TEXT,
                    cause TEXT NOT NULL,
                    at \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, profile_id, to_stage)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE lifecycle_days (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    kind TEXT NOT NULL,
                    day \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    stage TEXT NOT NULL,
                    consumers \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, kind, day, store_id, stage)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE lifecycle_active_weeks (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    profile_id \(int) NOT NULL,
                    week_offset \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, profile_id, week_offset)
                )\(withoutRowID)
                """,
                """
                CREATE TABLE lifecycle_cohort_weeks (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    cohort_week \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    week_offset \(int) NOT NULL,
                    consumers \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, cohort_week, store_id, week_offset)
                )\(withoutRowID)
                """,
            ]),
        // Referrals: each consumer's invite code, and each newcomer who first scanned through one
        // (once per newcomer), counted, held as likely farming, or rejected on review.
        Migration(
            "v35_referrals",
            [
                """
                CREATE TABLE invite_codes (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    code \(sortedText) NOT NULL,
                    wallet \(sortedText) NOT NULL,
                    created_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, code)
                )\(withoutRowID)
                """,
                "CREATE UNIQUE INDEX invite_codes_wallet ON invite_codes(tenant_id, wallet)",
                // The link carries the code alone: unique across brands.
                "CREATE UNIQUE INDEX invite_codes_code ON invite_codes(code)",
                """
                CREATE TABLE referrals (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    referrer \(sortedText) NOT NULL,
                    referred \(sortedText) NOT NULL,
                    store_id \(int),
                    sku TEXT,
                    device_id TEXT,
                    ip TEXT,
                    at \(int) NOT NULL,
                    status TEXT NOT NULL,
                    reasons TEXT NOT NULL,
                    reviewed_by TEXT,
                    reviewed_at \(int),
                    PRIMARY KEY (tenant_id, id)
                )
                """,
                "CREATE UNIQUE INDEX referrals_referred ON referrals(tenant_id, referred)",
                "CREATE INDEX referrals_referrer ON referrals(tenant_id, referrer, at)",
                "CREATE INDEX referrals_status ON referrals(tenant_id, status, id)",
            ]),
        // Referral rewards: the points each counted newcomer earns the one who brought them (paid
        // from the ledger's referral budget).
        Migration(
            "v36_referral_programme",
            [
                """
                CREATE TABLE referral_programme (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    reward_points \(int) NOT NULL,
                    updated_by TEXT NOT NULL,
                    updated_at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id)
                )
                """
            ]),
        // Journeys: HQ's automated paths, each consumer's place on them, what each step did for
        // each consumer (once), and the contacts (sealed) of consumers who agreed to marketing.
        Migration(
            "v37_journeys",
            [
                """
                CREATE TABLE journeys (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    name TEXT NOT NULL,
                    definition TEXT NOT NULL,
                    status TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    created_at \(int) NOT NULL,
                    started_at \(int),
                    entered_through \(int) NOT NULL DEFAULT 0,
                    PRIMARY KEY (tenant_id, id)
                )
                """,
                "CREATE UNIQUE INDEX journeys_name ON journeys(tenant_id, name)",
                """
                CREATE TABLE journey_entries (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    journey_id \(int) NOT NULL,
                    profile_id \(int) NOT NULL,
                    held_out \(int) NOT NULL,
                    entered_at \(int) NOT NULL,
                    step \(int),
                    due_at \(int),
                    ended_at \(int),
                    PRIMARY KEY (tenant_id, journey_id, profile_id)
                )
                """,
                "CREATE INDEX journey_entries_due ON journey_entries(tenant_id, journey_id, due_at)",
                """
                CREATE TABLE journey_actions (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    journey_id \(int) NOT NULL,
                    profile_id \(int) NOT NULL,
                    step \(int) NOT NULL,
                    kind TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, journey_id, profile_id, step)
                )
                """,
                "CREATE INDEX journey_actions_messages ON journey_actions(tenant_id, profile_id, kind, at)",
                """
                CREATE TABLE consumer_contacts (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    wallet TEXT NOT NULL,
                    contact_sealed TEXT NOT NULL,
                    at \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, wallet)
                )
                """,
            ]),
        Migration(
            "v38_store_notices",
            [
                """
                CREATE TABLE store_notices (
                    tenant_id \(int) NOT NULL REFERENCES tenants(id),
                    id \(int) NOT NULL,
                    store_id \(int) NOT NULL,
                    journey_id \(int) NOT NULL,
                    profile_id \(int) NOT NULL,
                    step \(int) NOT NULL,
                    text TEXT NOT NULL,
                    created_at \(int) NOT NULL,
                    read_at \(int),
                    PRIMARY KEY (tenant_id, id)
                )
                """,
                "CREATE UNIQUE INDEX store_notices_once ON store_notices(tenant_id, journey_id, profile_id, step)",
                "CREATE INDEX store_notices_store ON store_notices(tenant_id, store_id, id)",
                "ALTER TABLE consumer_wechat_apps ADD COLUMN notice_template_id TEXT",
            ]),
        // A consumer's profile catches up within a second of a scan: its reads of the ledger
        // (rewards won) and the journeys' reads of stage moves find their rows by index.
        Migration(
            "v39_event_reads",
            [
                "DROP INDEX ledger_postings_account",
                "CREATE INDEX ledger_postings_account ON ledger_postings(tenant_id, account_code, asset, amount)",
                "CREATE INDEX lifecycle_transitions_stage ON lifecycle_transitions(tenant_id, to_stage, at)",
            ]),
        // The dashboard's rollup: each org node's figures per day, in all (`region_code` '') and
        // per city, rebuilt from the store rollups; and the indexes its rebuild (by day) and a
        // territory's store rows (by store, then day) read by.
        Migration(
            "v40_org_days",
            [
                """
                CREATE TABLE org_days (
                    tenant_id \(int) NOT NULL,
                    org_path \(sortedText) NOT NULL,
                    day \(int) NOT NULL,
                    region_code \(sortedText) NOT NULL,
                    scans \(int) NOT NULL,
                    units_sold \(int) NOT NULL,
                    sales_fen \(int) NOT NULL,
                    active_store_days \(int) NOT NULL,
                    new_customers \(int) NOT NULL,
                    reward_fen \(int) NOT NULL,
                    diversion_alerts \(int) NOT NULL,
                    counterfeit_alerts \(int) NOT NULL,
                    store_alerts \(int) NOT NULL,
                    PRIMARY KEY (tenant_id, org_path, region_code, day)
                )\(withoutRowID)
                """,
                "CREATE INDEX org_days_day ON org_days(tenant_id, day)",
                "CREATE INDEX store_days_day ON store_days(tenant_id, day)",
                "CREATE INDEX store_consumers_first_day ON store_consumers(tenant_id, first_day)",
                "CREATE INDEX campaign_draws_drawn ON campaign_draws(tenant_id, drawn_at)",
                "CREATE INDEX store_alerts_raised ON store_alerts(tenant_id, raised_day)",
                // A few stores' days (a salesperson's territory), read by store and then day.
                "CREATE INDEX store_day_scans_store_day ON store_day_scans(tenant_id, store_id, day)",
                "CREATE INDEX store_consumers_store_first_day ON store_consumers(tenant_id, store_id, first_day)",
                "CREATE INDEX campaign_draws_store_drawn ON campaign_draws(tenant_id, store_id, drawn_at)",
                "CREATE INDEX store_alerts_store_raised ON store_alerts(tenant_id, store_id, raised_day)",
            ]),
        // HQ pauses a campaign (no draws while paused) and resumes it; a campaign's payouts by status.
        Migration(
            "v41_campaign_pause",
            [
                "ALTER TABLE campaigns ADD COLUMN paused_at \(int)",
                "CREATE INDEX payouts_campaign_status ON payouts(tenant_id, campaign_id, status)",
            ]),
        // A store's phone, for the salesperson's call link.
        Migration("v42_store_phone", ["ALTER TABLE stores ADD COLUMN phone TEXT"]),
    ]
}

/// The schema's migrations as each dialect's text, for checks that pin landed migrations and
/// compare the dialects.
public enum SchemaSQL {
    /// The migrations a dialect runs, oldest first, each with its statements' text.
    public static func migrations(for dialect: SQLDialect) -> [(name: String, statements: [String])] {
        Schema.migrations(for: dialect).map { migration in (migration.name, migration.statements.map { $0.rendered(for: dialect).sql }) }
    }
}
