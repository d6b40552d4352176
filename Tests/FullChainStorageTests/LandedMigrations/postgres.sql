-- v1_master_data
CREATE TABLE id_sequences ( tenant_id BIGINT NOT NULL, name TEXT NOT NULL, next_id BIGINT NOT NULL, PRIMARY KEY (tenant_id, name) );
CREATE TABLE tenants ( id BIGINT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, time_zone TEXT NOT NULL, created_at BIGINT NOT NULL );
CREATE TABLE org_nodes ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, parent_id BIGINT, level BIGINT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, path TEXT COLLATE "C" NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code), FOREIGN KEY (tenant_id, parent_id) REFERENCES org_nodes(tenant_id, id) );
CREATE INDEX org_nodes_path ON org_nodes(tenant_id, path);
CREATE TABLE distributors ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, contact_name TEXT, phone TEXT, address TEXT, org_node_id BIGINT NOT NULL, org_path TEXT COLLATE "C" NOT NULL, status TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code), FOREIGN KEY (tenant_id, org_node_id) REFERENCES org_nodes(tenant_id, id) );
CREATE INDEX distributors_org_path ON distributors(tenant_id, org_path);
CREATE INDEX distributors_name ON distributors(tenant_id, name);
CREATE TABLE distributor_territories ( tenant_id BIGINT NOT NULL, distributor_id BIGINT NOT NULL, region_code TEXT NOT NULL, PRIMARY KEY (tenant_id, distributor_id, region_code), FOREIGN KEY (tenant_id, distributor_id) REFERENCES distributors(tenant_id, id) );
CREATE INDEX distributor_territories_region ON distributor_territories(tenant_id, region_code);
CREATE TABLE stores ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, store_type TEXT NOT NULL, address TEXT, region_code TEXT NOT NULL, latitude DOUBLE PRECISION, longitude DOUBLE PRECISION, distributor_id BIGINT, salesperson_node_id BIGINT, org_path TEXT COLLATE "C" NOT NULL, status TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code), FOREIGN KEY (tenant_id, distributor_id) REFERENCES distributors(tenant_id, id), FOREIGN KEY (tenant_id, salesperson_node_id) REFERENCES org_nodes(tenant_id, id) );
CREATE INDEX stores_org_path ON stores(tenant_id, org_path, id);
CREATE INDEX stores_distributor ON stores(tenant_id, distributor_id, id);
CREATE INDEX stores_distributor_path ON stores(tenant_id, distributor_id, org_path);
CREATE INDEX stores_region ON stores(tenant_id, region_code);
CREATE TABLE products ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, sku TEXT NOT NULL, gtin TEXT NOT NULL, name TEXT NOT NULL, category TEXT NOT NULL, price_fen BIGINT NOT NULL, units_per_case BIGINT NOT NULL, launch_date TEXT, status TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, sku), UNIQUE (tenant_id, gtin) );
CREATE TABLE users ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, username TEXT NOT NULL, display_name TEXT NOT NULL, role TEXT NOT NULL, org_node_id BIGINT, org_path TEXT COLLATE "C" NOT NULL, distributor_id BIGINT, store_id BIGINT, password_hash TEXT, active BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, username), FOREIGN KEY (tenant_id, org_node_id) REFERENCES org_nodes(tenant_id, id), FOREIGN KEY (tenant_id, distributor_id) REFERENCES distributors(tenant_id, id), FOREIGN KEY (tenant_id, store_id) REFERENCES stores(tenant_id, id) );
CREATE TABLE auth_tokens ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), token_hash TEXT NOT NULL, id BIGINT NOT NULL, user_id BIGINT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT, revoked_at BIGINT, last_used_at BIGINT, PRIMARY KEY (tenant_id, token_hash), UNIQUE (tenant_id, id), FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) );
CREATE INDEX auth_tokens_user ON auth_tokens(tenant_id, user_id);
CREATE TABLE import_runs ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, kind TEXT NOT NULL, file_name TEXT NOT NULL, format TEXT NOT NULL, user_id BIGINT NOT NULL, org_path TEXT COLLATE "C" NOT NULL, total_rows BIGINT NOT NULL, imported_rows BIGINT NOT NULL, error_count BIGINT NOT NULL, errors_json TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id) );
-- v2_store_search
CREATE TABLE store_search_grams ( tenant_id BIGINT NOT NULL, gram TEXT COLLATE "C" NOT NULL, store_id BIGINT NOT NULL, PRIMARY KEY (tenant_id, gram, store_id) );
CREATE INDEX store_search_grams_store ON store_search_grams(tenant_id, store_id);
CREATE INDEX stores_type ON stores(tenant_id, store_type, id);
DROP INDEX stores_org_path;
CREATE INDEX stores_org_path ON stores(tenant_id, org_path, id, store_type, status, region_code);
DROP INDEX stores_region;
CREATE INDEX stores_region ON stores(tenant_id, region_code, id);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 128) INSERT INTO store_search_grams (tenant_id, gram, store_id) SELECT s.tenant_id, substr(translate(s.name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), n.i, 2), s.id FROM stores s JOIN n ON n.i < length(s.name) UNION SELECT s.tenant_id, substr(translate(s.code, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), n.i, 2), s.id FROM stores s JOIN n ON n.i < length(s.code);
-- v3_codes
CREATE TABLE code_keys ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), key_id BIGINT NOT NULL, sealed_key TEXT NOT NULL, created_at BIGINT NOT NULL, retired_at BIGINT, PRIMARY KEY (tenant_id, key_id), UNIQUE (key_id) );
CREATE TABLE code_batches ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, product_id BIGINT NOT NULL, lot TEXT NOT NULL, quantity BIGINT NOT NULL, units_per_case BIGINT NOT NULL, key_id BIGINT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, product_id, lot), FOREIGN KEY (tenant_id, product_id) REFERENCES products(tenant_id, id), FOREIGN KEY (tenant_id, key_id) REFERENCES code_keys(tenant_id, key_id) );
-- v4_code_activation
CREATE TABLE code_range_actions ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), batch_id BIGINT NOT NULL, id BIGINT NOT NULL, action TEXT NOT NULL, first_case BIGINT NOT NULL, last_case BIGINT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, batch_id, id), FOREIGN KEY (tenant_id, batch_id) REFERENCES code_batches(tenant_id, id) );
-- v5_logistics
CREATE TABLE case_shipments ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), batch_id BIGINT NOT NULL, case_number BIGINT NOT NULL, distributor_id BIGINT NOT NULL, shipped_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, batch_id, case_number), FOREIGN KEY (tenant_id, batch_id) REFERENCES code_batches(tenant_id, id), FOREIGN KEY (tenant_id, distributor_id) REFERENCES distributors(tenant_id, id) );
CREATE TABLE case_receipts ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), batch_id BIGINT NOT NULL, case_number BIGINT NOT NULL, store_id BIGINT NOT NULL, distributor_id BIGINT NOT NULL, flag TEXT NOT NULL, received_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, batch_id, case_number), FOREIGN KEY (tenant_id, store_id) REFERENCES stores(tenant_id, id) );
CREATE INDEX case_receipts_store ON case_receipts(tenant_id, store_id);
-- v6_scans
CREATE TABLE code_scan_counts ( tenant_id BIGINT NOT NULL, batch_id BIGINT NOT NULL, serial BIGINT NOT NULL, scans BIGINT NOT NULL, first_at BIGINT NOT NULL, first_latitude DOUBLE PRECISION, first_longitude DOUBLE PRECISION, PRIMARY KEY (tenant_id, batch_id, serial) );
CREATE TABLE scan_events ( tenant_id BIGINT NOT NULL, batch_id BIGINT NOT NULL, serial BIGINT NOT NULL, scan_number BIGINT NOT NULL, scanned_at BIGINT NOT NULL, latitude DOUBLE PRECISION, longitude DOUBLE PRECISION, device_id TEXT, ip TEXT, consumer TEXT, store_id BIGINT, status TEXT NOT NULL, PRIMARY KEY (tenant_id, batch_id, serial, scan_number) );
-- v7_scan_rollups_alerts
CREATE TABLE store_day_scans ( tenant_id BIGINT NOT NULL, store_id BIGINT NOT NULL, product_id BIGINT NOT NULL, day BIGINT NOT NULL, scans BIGINT NOT NULL, units_sold BIGINT NOT NULL, PRIMARY KEY (tenant_id, store_id, product_id, day) );
CREATE INDEX store_day_scans_day ON store_day_scans(tenant_id, day);
CREATE TABLE region_day_scans ( tenant_id BIGINT NOT NULL, region_code TEXT NOT NULL, day BIGINT NOT NULL, scans BIGINT NOT NULL, units_sold BIGINT NOT NULL, PRIMARY KEY (tenant_id, region_code, day) );
CREATE TABLE diversion_evidence ( tenant_id BIGINT NOT NULL, batch_id BIGINT NOT NULL, case_number BIGINT NOT NULL, device_id TEXT NOT NULL, scanned_at BIGINT NOT NULL, region_code TEXT NOT NULL, latitude DOUBLE PRECISION NOT NULL, longitude DOUBLE PRECISION NOT NULL, PRIMARY KEY (tenant_id, batch_id, case_number, device_id) );
CREATE TABLE scan_alerts ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, subject TEXT NOT NULL, batch_id BIGINT, case_number BIGINT, serial BIGINT, product_id BIGINT, distributor_id BIGINT, store_id BIGINT, org_path TEXT COLLATE "C", region_code TEXT, latitude DOUBLE PRECISION, longitude DOUBLE PRECISION, devices BIGINT NOT NULL, events BIGINT NOT NULL, first_at BIGINT NOT NULL, last_at BIGINT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, kind, subject) );
CREATE INDEX scan_alerts_recent ON scan_alerts(tenant_id, last_at);
CREATE INDEX scan_alerts_org ON scan_alerts(tenant_id, org_path, last_at);
-- v8_transfers_repacks
CREATE TABLE case_transfers ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), batch_id BIGINT NOT NULL, case_number BIGINT NOT NULL, distributor_id BIGINT NOT NULL, store_id BIGINT NOT NULL, transferred_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, batch_id, case_number), FOREIGN KEY (tenant_id, store_id) REFERENCES stores(tenant_id, id) );
CREATE INDEX case_transfers_time ON case_transfers(tenant_id, transferred_at);
CREATE TABLE unit_repacks ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, batch_id BIGINT NOT NULL, serial BIGINT NOT NULL, from_case BIGINT NOT NULL, to_case BIGINT NOT NULL, repacked_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, batch_id) REFERENCES code_batches(tenant_id, id) );
CREATE INDEX unit_repacks_unit ON unit_repacks(tenant_id, batch_id, serial, id);
CREATE INDEX unit_repacks_time ON unit_repacks(tenant_id, repacked_at);
-- v9_idempotency_keys
CREATE TABLE idempotency_keys ( scope TEXT NOT NULL, idempotency_key TEXT NOT NULL, request_hash TEXT NOT NULL, state TEXT NOT NULL, status BIGINT NOT NULL, content_type TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (scope, idempotency_key) );
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
-- v10_ledger
CREATE TABLE ledger_accounts ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), code TEXT COLLATE "C" NOT NULL, asset TEXT NOT NULL, floor BIGINT, balance BIGINT NOT NULL, PRIMARY KEY (tenant_id, code, asset) );
CREATE TABLE ledger_entries ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, idempotency_key TEXT NOT NULL, memo TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, idempotency_key) );
CREATE TABLE ledger_postings ( tenant_id BIGINT NOT NULL, entry_id BIGINT NOT NULL, account_code TEXT COLLATE "C" NOT NULL, asset TEXT NOT NULL, amount BIGINT NOT NULL, PRIMARY KEY (tenant_id, entry_id, account_code, asset), FOREIGN KEY (tenant_id, entry_id) REFERENCES ledger_entries(tenant_id, id), FOREIGN KEY (tenant_id, account_code, asset) REFERENCES ledger_accounts(tenant_id, code, asset) );
CREATE INDEX ledger_postings_account ON ledger_postings(tenant_id, account_code, asset);
-- v11_campaigns
CREATE TABLE campaigns ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, name TEXT NOT NULL, starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL, definition TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id) );
CREATE INDEX campaigns_window ON campaigns(tenant_id, ends_at, starts_at);
-- v12_campaign_draws
ALTER TABLE campaigns ADD COLUMN budget_shards INTEGER NOT NULL DEFAULT 1;
CREATE TABLE campaign_draws ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), campaign_id BIGINT NOT NULL, batch_id BIGINT NOT NULL, serial BIGINT NOT NULL, drawn_at BIGINT NOT NULL, wallet TEXT NOT NULL, device_id TEXT, store_id BIGINT, tier INTEGER, outcome TEXT NOT NULL, amount_fen BIGINT NOT NULL DEFAULT 0, points BIGINT NOT NULL DEFAULT 0, store_reward_fen BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, campaign_id, batch_id, serial), FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns(tenant_id, id) );
CREATE INDEX campaign_draws_time ON campaign_draws(tenant_id, campaign_id, drawn_at);
CREATE TABLE campaign_win_counts ( tenant_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, subject TEXT COLLATE "C" NOT NULL, day BIGINT NOT NULL, wins INTEGER NOT NULL, PRIMARY KEY (tenant_id, campaign_id, subject, day) );
CREATE TABLE campaign_stock ( tenant_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, tier INTEGER NOT NULL, remaining BIGINT NOT NULL, PRIMARY KEY (tenant_id, campaign_id, tier) );
-- v13_payouts
CREATE TABLE payouts ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, wallet TEXT COLLATE "C" NOT NULL, recipient TEXT NOT NULL, amount_fen BIGINT NOT NULL, status TEXT NOT NULL, merchant TEXT COLLATE "C", bill_no TEXT, send_day BIGINT, attempts INTEGER NOT NULL DEFAULT 0, ask_first INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, lease_until BIGINT, provider_ref TEXT, last_error TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (bill_no) );
CREATE INDEX payouts_due ON payouts(status, next_attempt_at);
CREATE INDEX payouts_consumer_day ON payouts(tenant_id, wallet, send_day);
CREATE INDEX payouts_merchant_day ON payouts(merchant, send_day);
CREATE TABLE payout_pace ( merchant TEXT COLLATE "C" NOT NULL, second BIGINT NOT NULL, sent INTEGER NOT NULL, PRIMARY KEY (merchant, second) );
-- v14_risk
CREATE TABLE risk_blacklist ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), kind TEXT COLLATE "C" NOT NULL, value TEXT COLLATE "C" NOT NULL, note TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, kind, value) );
ALTER TABLE payouts ADD COLUMN risk_score INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN risk_reasons TEXT NOT NULL DEFAULT '';
CREATE INDEX payouts_status ON payouts(tenant_id, status, id);
-- v15_vouchers
CREATE TABLE voucher_redemptions ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), campaign_id BIGINT NOT NULL, batch_id BIGINT NOT NULL, serial BIGINT NOT NULL, store_id BIGINT NOT NULL, amount_fen BIGINT NOT NULL, redeemed_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, campaign_id, batch_id, serial) );
CREATE INDEX voucher_redemptions_store ON voucher_redemptions(tenant_id, store_id, redeemed_at);
-- v16_store_intelligence
CREATE TABLE store_days ( tenant_id BIGINT NOT NULL, store_id BIGINT NOT NULL, day BIGINT NOT NULL, scans BIGINT NOT NULL, units_sold BIGINT NOT NULL, PRIMARY KEY (tenant_id, store_id, day) );
CREATE TABLE store_day_receipts ( tenant_id BIGINT NOT NULL, store_id BIGINT NOT NULL, product_id BIGINT NOT NULL, day BIGINT NOT NULL, cases BIGINT NOT NULL, units BIGINT NOT NULL, PRIMARY KEY (tenant_id, store_id, product_id, day) );
CREATE TABLE store_consumers ( tenant_id BIGINT NOT NULL, store_id BIGINT NOT NULL, consumer TEXT NOT NULL, purchases BIGINT NOT NULL, first_day BIGINT NOT NULL, last_day BIGINT NOT NULL, PRIMARY KEY (tenant_id, store_id, consumer) );
CREATE TABLE store_rule_settings ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), rules TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id) );
CREATE TABLE store_visits ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, store_id BIGINT NOT NULL, user_id BIGINT NOT NULL, org_path TEXT NOT NULL, alert_id BIGINT, checked_in_at BIGINT NOT NULL, day BIGINT NOT NULL, latitude DOUBLE PRECISION NOT NULL, longitude DOUBLE PRECISION NOT NULL, distance_m DOUBLE PRECISION NOT NULL, notes TEXT NOT NULL, photos BIGINT NOT NULL, PRIMARY KEY (tenant_id, id) );
CREATE TABLE visit_stock_counts ( tenant_id BIGINT NOT NULL, visit_id BIGINT NOT NULL, product_id BIGINT NOT NULL, store_id BIGINT NOT NULL, day BIGINT NOT NULL, units BIGINT NOT NULL, facings BIGINT, interval_sold BIGINT, interval_scanned BIGINT, province TEXT NOT NULL, PRIMARY KEY (tenant_id, visit_id, product_id) );
CREATE TABLE store_stock_positions ( tenant_id BIGINT NOT NULL, store_id BIGINT NOT NULL, product_id BIGINT NOT NULL, counted_units BIGINT NOT NULL, counted_day BIGINT NOT NULL, counted_at BIGINT NOT NULL, scanned_through BIGINT NOT NULL, received_through BIGINT NOT NULL, PRIMARY KEY (tenant_id, store_id, product_id) );
CREATE TABLE visit_photos ( tenant_id BIGINT NOT NULL, visit_id BIGINT NOT NULL, number BIGINT NOT NULL, content_type TEXT NOT NULL, size BIGINT NOT NULL, data_base64 TEXT NOT NULL, PRIMARY KEY (tenant_id, visit_id, number) );
CREATE TABLE store_alerts ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, store_id BIGINT NOT NULL, kind TEXT NOT NULL, product_id BIGINT NOT NULL, org_path TEXT NOT NULL, salesperson_node_id BIGINT, raised_day BIGINT NOT NULL, last_day BIGINT NOT NULL, due_day BIGINT NOT NULL, score DOUBLE PRECISION NOT NULL, baseline DOUBLE PRECISION NOT NULL, observed DOUBLE PRECISION NOT NULL, peer_median DOUBLE PRECISION, reason TEXT NOT NULL, status TEXT NOT NULL, open_key TEXT, created_at BIGINT NOT NULL, first_visit_at BIGINT, resolved_at BIGINT, resolved_by BIGINT, resolution TEXT, resolution_note TEXT, outcome TEXT NOT NULL, outcome_day BIGINT, outcome_observed DOUBLE PRECISION, PRIMARY KEY (tenant_id, id) );
CREATE TABLE store_profiles ( tenant_id BIGINT NOT NULL, store_id BIGINT NOT NULL, day BIGINT NOT NULL, salesperson_node_id BIGINT, org_path TEXT NOT NULL, tier TEXT NOT NULL, tags TEXT NOT NULL, strategies TEXT NOT NULL, sales28 BIGINT NOT NULL, sales_prev28 BIGINT NOT NULL, sales90 BIGINT NOT NULL, new_product_share DOUBLE PRECISION NOT NULL, repeat_share DOUBLE PRECISION, open_alerts BIGINT NOT NULL, PRIMARY KEY (tenant_id, store_id) );
CREATE TABLE scan_rates ( tenant_id BIGINT NOT NULL, product_id BIGINT NOT NULL, province TEXT NOT NULL, rate DOUBLE PRECISION NOT NULL, sample BIGINT NOT NULL, day BIGINT NOT NULL, PRIMARY KEY (tenant_id, product_id, province) );
CREATE UNIQUE INDEX store_alerts_open ON store_alerts(tenant_id, open_key);
CREATE INDEX store_alerts_org ON store_alerts(tenant_id, org_path, raised_day);
CREATE INDEX store_alerts_recent ON store_alerts(tenant_id, raised_day, id);
CREATE INDEX store_alerts_store ON store_alerts(tenant_id, store_id, id);
CREATE INDEX store_alerts_status ON store_alerts(tenant_id, status, outcome);
CREATE INDEX store_visits_store ON store_visits(tenant_id, store_id, checked_in_at);
CREATE INDEX store_visits_org ON store_visits(tenant_id, org_path, checked_in_at);
CREATE INDEX visit_stock_counts_store ON visit_stock_counts(tenant_id, store_id, product_id, day);
CREATE INDEX store_profiles_org ON store_profiles(tenant_id, org_path);
INSERT INTO store_days (tenant_id, store_id, day, scans, units_sold) SELECT tenant_id, store_id, day, sum(scans), sum(units_sold) FROM store_day_scans GROUP BY tenant_id, store_id, day;
INSERT INTO store_day_receipts (tenant_id, store_id, product_id, day, cases, units) SELECT r.tenant_id, r.store_id, b.product_id, (r.received_at + 28800000) / 86400000, count(*), sum(b.units_per_case) FROM case_receipts r JOIN code_batches b ON b.tenant_id = r.tenant_id AND b.id = r.batch_id GROUP BY r.tenant_id, r.store_id, b.product_id, (r.received_at + 28800000) / 86400000;
INSERT INTO store_consumers (tenant_id, store_id, consumer, purchases, first_day, last_day) SELECT tenant_id, store_id, consumer, count(*), min((scanned_at + 28800000) / 86400000), max((scanned_at + 28800000) / 86400000) FROM scan_events WHERE store_id IS NOT NULL AND consumer IS NOT NULL AND scan_number = 1 AND status = 'active' GROUP BY tenant_id, store_id, consumer;
-- v17_store_alert_feed
CREATE INDEX store_alerts_feed ON store_alerts(tenant_id, org_path, raised_day, kind, status, outcome, id);
DROP INDEX store_alerts_org;
-- v19_idempotency_scope_age
CREATE INDEX idempotency_keys_scope_age ON idempotency_keys(scope, created_at);
-- v20_deployment_settings
CREATE TABLE deployment_settings ( name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at BIGINT NOT NULL );
-- v21_payout_lease_owner
ALTER TABLE payouts ADD COLUMN lease_owner TEXT;
-- v22_receipt_review
ALTER TABLE case_receipts ADD COLUMN review TEXT NOT NULL DEFAULT 'none';
CREATE INDEX case_receipts_review ON case_receipts(tenant_id, review, received_at);
-- v23_scan_rate_estimates
CREATE TABLE scan_rate_estimates ( tenant_id BIGINT NOT NULL, product_id BIGINT NOT NULL, province TEXT NOT NULL, store_type TEXT NOT NULL, rate DOUBLE PRECISION NOT NULL, standard_error DOUBLE PRECISION NOT NULL, source TEXT NOT NULL, sample BIGINT NOT NULL, day BIGINT NOT NULL, PRIMARY KEY (tenant_id, product_id, province, store_type) );
-- v24_visit_photo_bytes
ALTER TABLE visit_photos ADD COLUMN data BYTEA NOT NULL DEFAULT ''::bytea;
UPDATE visit_photos SET data = decode(data_base64, 'base64');
ALTER TABLE visit_photos DROP COLUMN data_base64;
-- v25_consumer_wechat_apps
CREATE TABLE consumer_wechat_apps ( tenant_id BIGINT PRIMARY KEY REFERENCES tenants(id), app_id TEXT NOT NULL, secret_sealed TEXT NOT NULL, updated_at BIGINT NOT NULL );
-- v26_consumer_phone_codes
CREATE TABLE consumer_phones ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), phone_hash TEXT NOT NULL, phone_sealed TEXT NOT NULL, last_sent_at BIGINT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, phone_hash) );
CREATE TABLE consumer_phone_codes ( tenant_id BIGINT NOT NULL, id BIGINT NOT NULL, phone_hash TEXT NOT NULL, address_hash TEXT, device_hash TEXT, code_hash TEXT NOT NULL, sent_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, attempts BIGINT NOT NULL DEFAULT 0, used_at BIGINT, PRIMARY KEY (tenant_id, id) );
CREATE INDEX consumer_phone_codes_phone ON consumer_phone_codes(tenant_id, phone_hash, sent_at);
CREATE INDEX consumer_phone_codes_address ON consumer_phone_codes(tenant_id, address_hash, sent_at);
CREATE INDEX consumer_phone_codes_device ON consumer_phone_codes(tenant_id, device_hash, sent_at);
-- v27_consumer_retention
CREATE TABLE consumer_retention ( tenant_id BIGINT PRIMARY KEY REFERENCES tenants(id), coarsened_until BIGINT NOT NULL DEFAULT 0, pseudonymized_through BIGINT NOT NULL DEFAULT 0 );
-- v28_consumer_erasures
CREATE TABLE consumer_erasures ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), wallet TEXT NOT NULL, erased_at BIGINT NOT NULL, recipients_cleared BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, wallet) );
-- v29_consumer_consents
CREATE TABLE consumer_consents ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), wallet TEXT NOT NULL, purpose TEXT NOT NULL, granted BIGINT NOT NULL, notice_version TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (tenant_id, wallet, purpose, at) );
-- v30_points_mall
CREATE TABLE mall_items ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, price_points BIGINT NOT NULL, face_value_fen BIGINT NOT NULL, stock BIGINT NOT NULL, stock_left BIGINT NOT NULL CHECK (stock_left >= 0), per_person_limit BIGINT NOT NULL, available_from BIGINT NOT NULL, available_until BIGINT NOT NULL, valid_days BIGINT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id) );
CREATE TABLE mall_holdings ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), item_id BIGINT NOT NULL, wallet TEXT COLLATE "C" NOT NULL, taken BIGINT NOT NULL, PRIMARY KEY (tenant_id, item_id, wallet) );
CREATE TABLE coupons ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, item_id BIGINT NOT NULL, code TEXT COLLATE "C" NOT NULL, wallet TEXT COLLATE "C" NOT NULL, price_points BIGINT NOT NULL, face_value_fen BIGINT NOT NULL, taken_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, store_id BIGINT, redeemed_at BIGINT, PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, item_id) REFERENCES mall_items(tenant_id, id) );
CREATE UNIQUE INDEX coupons_code ON coupons(tenant_id, code);
CREATE INDEX coupons_wallet ON coupons(tenant_id, wallet, taken_at);
CREATE INDEX coupons_store ON coupons(tenant_id, store_id, redeemed_at);
-- v31_consumer_profiles
CREATE TABLE consumer_profiles ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, label TEXT NOT NULL, verified BIGINT NOT NULL DEFAULT 0, stage TEXT NOT NULL DEFAULT 'new', scans BIGINT NOT NULL DEFAULT 0, first_scan_at BIGINT, last_scan_at BIGINT NOT NULL DEFAULT 0, store_id BIGINT, merged_into BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id) );
CREATE INDEX consumer_profiles_recent ON consumer_profiles(tenant_id, last_scan_at, id);
CREATE INDEX consumer_profiles_store ON consumer_profiles(tenant_id, store_id, last_scan_at, id);
CREATE INDEX consumer_profiles_stage ON consumer_profiles(tenant_id, stage, last_scan_at, id);
CREATE TABLE consumer_identities ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), pseudonym TEXT COLLATE "C" NOT NULL, kind TEXT NOT NULL, profile_id BIGINT NOT NULL, first_seen BIGINT NOT NULL, PRIMARY KEY (tenant_id, pseudonym) );
CREATE INDEX consumer_identities_profile ON consumer_identities(tenant_id, profile_id);
CREATE TABLE consumer_merges ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, kept_id BIGINT NOT NULL, merged_id BIGINT NOT NULL, evidence TEXT NOT NULL, evidence_identity TEXT, moved TEXT NOT NULL, at BIGINT NOT NULL, undone_at BIGINT, PRIMARY KEY (tenant_id, id) );
CREATE INDEX consumer_merges_kept ON consumer_merges(tenant_id, kept_id);
CREATE INDEX consumer_merges_merged ON consumer_merges(tenant_id, merged_id);
CREATE TABLE consumer_profile_rollup ( tenant_id BIGINT PRIMARY KEY REFERENCES tenants(id), scanned_through BIGINT NOT NULL DEFAULT 0 );
CREATE INDEX scan_events_consumer ON scan_events(tenant_id, consumer, scanned_at) WHERE consumer IS NOT NULL;
-- v32_consumer_tags
CREATE TABLE consumer_tags ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, owner TEXT NOT NULL, rule TEXT, members BIGINT NOT NULL DEFAULT 0, backfill_after BIGINT, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id) );
CREATE UNIQUE INDEX consumer_tags_name ON consumer_tags(tenant_id, name);
CREATE TABLE consumer_tag_members ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), tag_id BIGINT NOT NULL, profile_id BIGINT NOT NULL, since BIGINT NOT NULL, by_user TEXT, PRIMARY KEY (tenant_id, tag_id, profile_id), FOREIGN KEY (tenant_id, tag_id) REFERENCES consumer_tags(tenant_id, id) );
CREATE INDEX consumer_tag_members_profile ON consumer_tag_members(tenant_id, profile_id, tag_id);
ALTER TABLE consumer_profiles ADD COLUMN tags_recheck_at BIGINT;
CREATE INDEX consumer_profiles_tags_recheck ON consumer_profiles(tenant_id, tags_recheck_at) WHERE tags_recheck_at IS NOT NULL;
-- v33_segments
CREATE TABLE segments ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, owner TEXT NOT NULL, rule TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id) );
CREATE UNIQUE INDEX segments_name ON segments(tenant_id, name);
CREATE INDEX consumer_profiles_updated ON consumer_profiles(tenant_id, updated_at);
-- v34_lifecycle
CREATE TABLE lifecycle_settings ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), settings TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id) );
ALTER TABLE consumer_profiles ADD COLUMN lifecycle_stage TEXT;
ALTER TABLE consumer_profiles ADD COLUMN acquired_at BIGINT;
ALTER TABLE consumer_profiles ADD COLUMN acquired_store_id BIGINT;
CREATE TABLE lifecycle_transitions ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), profile_id BIGINT NOT NULL, to_stage TEXT NOT NULL, from_stage TEXT, cause TEXT NOT NULL, at BIGINT NOT NULL, store_id BIGINT NOT NULL, PRIMARY KEY (tenant_id, profile_id, to_stage) );
CREATE TABLE lifecycle_days ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), kind TEXT NOT NULL, day BIGINT NOT NULL, store_id BIGINT NOT NULL, stage TEXT NOT NULL, consumers BIGINT NOT NULL, PRIMARY KEY (tenant_id, kind, day, store_id, stage) );
CREATE TABLE lifecycle_active_weeks ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), profile_id BIGINT NOT NULL, week_offset BIGINT NOT NULL, PRIMARY KEY (tenant_id, profile_id, week_offset) );
CREATE TABLE lifecycle_cohort_weeks ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), cohort_week BIGINT NOT NULL, store_id BIGINT NOT NULL, week_offset BIGINT NOT NULL, consumers BIGINT NOT NULL, PRIMARY KEY (tenant_id, cohort_week, store_id, week_offset) );
-- v35_referrals
CREATE TABLE invite_codes ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), code TEXT COLLATE "C" NOT NULL, wallet TEXT COLLATE "C" NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, code) );
CREATE UNIQUE INDEX invite_codes_wallet ON invite_codes(tenant_id, wallet);
CREATE UNIQUE INDEX invite_codes_code ON invite_codes(code);
CREATE TABLE referrals ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, referrer TEXT COLLATE "C" NOT NULL, referred TEXT COLLATE "C" NOT NULL, store_id BIGINT, sku TEXT, device_id TEXT, ip TEXT, at BIGINT NOT NULL, status TEXT NOT NULL, reasons TEXT NOT NULL, reviewed_by TEXT, reviewed_at BIGINT, PRIMARY KEY (tenant_id, id) );
CREATE UNIQUE INDEX referrals_referred ON referrals(tenant_id, referred);
CREATE INDEX referrals_referrer ON referrals(tenant_id, referrer, at);
CREATE INDEX referrals_status ON referrals(tenant_id, status, id);
-- v36_referral_programme
CREATE TABLE referral_programme ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), reward_points BIGINT NOT NULL, updated_by TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id) );
-- v37_journeys
CREATE TABLE journeys ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL, status TEXT NOT NULL, owner TEXT NOT NULL, created_at BIGINT NOT NULL, started_at BIGINT, entered_through BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, id) );
CREATE UNIQUE INDEX journeys_name ON journeys(tenant_id, name);
CREATE TABLE journey_entries ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), journey_id BIGINT NOT NULL, profile_id BIGINT NOT NULL, held_out BIGINT NOT NULL, entered_at BIGINT NOT NULL, step BIGINT, due_at BIGINT, ended_at BIGINT, PRIMARY KEY (tenant_id, journey_id, profile_id) );
CREATE INDEX journey_entries_due ON journey_entries(tenant_id, journey_id, due_at);
CREATE TABLE journey_actions ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), journey_id BIGINT NOT NULL, profile_id BIGINT NOT NULL, step BIGINT NOT NULL, kind TEXT NOT NULL, outcome TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (tenant_id, journey_id, profile_id, step) );
CREATE INDEX journey_actions_messages ON journey_actions(tenant_id, profile_id, kind, at);
CREATE TABLE consumer_contacts ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), wallet TEXT NOT NULL, contact_sealed TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (tenant_id, wallet) );
-- v38_store_notices
CREATE TABLE store_notices ( tenant_id BIGINT NOT NULL REFERENCES tenants(id), id BIGINT NOT NULL, store_id BIGINT NOT NULL, journey_id BIGINT NOT NULL, profile_id BIGINT NOT NULL, step BIGINT NOT NULL, text TEXT NOT NULL, created_at BIGINT NOT NULL, read_at BIGINT, PRIMARY KEY (tenant_id, id) );
CREATE UNIQUE INDEX store_notices_once ON store_notices(tenant_id, journey_id, profile_id, step);
CREATE INDEX store_notices_store ON store_notices(tenant_id, store_id, id);
ALTER TABLE consumer_wechat_apps ADD COLUMN notice_template_id TEXT;
-- v39_event_reads
DROP INDEX ledger_postings_account;
CREATE INDEX ledger_postings_account ON ledger_postings(tenant_id, account_code, asset, amount);
CREATE INDEX lifecycle_transitions_stage ON lifecycle_transitions(tenant_id, to_stage, at);
-- v40_org_days
CREATE TABLE org_days ( tenant_id BIGINT NOT NULL, org_path TEXT COLLATE "C" NOT NULL, day BIGINT NOT NULL, region_code TEXT COLLATE "C" NOT NULL, scans BIGINT NOT NULL, units_sold BIGINT NOT NULL, sales_fen BIGINT NOT NULL, active_store_days BIGINT NOT NULL, new_customers BIGINT NOT NULL, reward_fen BIGINT NOT NULL, diversion_alerts BIGINT NOT NULL, counterfeit_alerts BIGINT NOT NULL, store_alerts BIGINT NOT NULL, PRIMARY KEY (tenant_id, org_path, region_code, day) );
CREATE INDEX org_days_day ON org_days(tenant_id, day);
CREATE INDEX store_days_day ON store_days(tenant_id, day);
CREATE INDEX store_consumers_first_day ON store_consumers(tenant_id, first_day);
CREATE INDEX campaign_draws_drawn ON campaign_draws(tenant_id, drawn_at);
CREATE INDEX store_alerts_raised ON store_alerts(tenant_id, raised_day);
CREATE INDEX store_day_scans_store_day ON store_day_scans(tenant_id, store_id, day);
CREATE INDEX store_consumers_store_first_day ON store_consumers(tenant_id, store_id, first_day);
CREATE INDEX campaign_draws_store_drawn ON campaign_draws(tenant_id, store_id, drawn_at);
CREATE INDEX store_alerts_store_raised ON store_alerts(tenant_id, store_id, raised_day);
-- v41_campaign_pause
ALTER TABLE campaigns ADD COLUMN paused_at BIGINT;
CREATE INDEX payouts_campaign_status ON payouts(tenant_id, campaign_id, status);
-- v42_store_phone
ALTER TABLE stores ADD COLUMN phone TEXT;
