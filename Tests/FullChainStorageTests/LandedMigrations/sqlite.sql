-- v1_master_data
CREATE TABLE id_sequences ( tenant_id INTEGER NOT NULL, name TEXT NOT NULL, next_id INTEGER NOT NULL, PRIMARY KEY (tenant_id, name) ) WITHOUT ROWID;
CREATE TABLE tenants ( id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, time_zone TEXT NOT NULL, created_at INTEGER NOT NULL );
CREATE TABLE org_nodes ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, parent_id INTEGER, level INTEGER NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code), FOREIGN KEY (tenant_id, parent_id) REFERENCES org_nodes(tenant_id, id) );
CREATE INDEX org_nodes_path ON org_nodes(tenant_id, path);
CREATE TABLE distributors ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, contact_name TEXT, phone TEXT, address TEXT, org_node_id INTEGER NOT NULL, org_path TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code), FOREIGN KEY (tenant_id, org_node_id) REFERENCES org_nodes(tenant_id, id) );
CREATE INDEX distributors_org_path ON distributors(tenant_id, org_path);
CREATE INDEX distributors_name ON distributors(tenant_id, name);
CREATE TABLE distributor_territories ( tenant_id INTEGER NOT NULL, distributor_id INTEGER NOT NULL, region_code TEXT NOT NULL, PRIMARY KEY (tenant_id, distributor_id, region_code), FOREIGN KEY (tenant_id, distributor_id) REFERENCES distributors(tenant_id, id) ) WITHOUT ROWID;
CREATE INDEX distributor_territories_region ON distributor_territories(tenant_id, region_code);
CREATE TABLE stores ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, store_type TEXT NOT NULL, address TEXT, region_code TEXT NOT NULL, latitude REAL, longitude REAL, distributor_id INTEGER, salesperson_node_id INTEGER, org_path TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code), FOREIGN KEY (tenant_id, distributor_id) REFERENCES distributors(tenant_id, id), FOREIGN KEY (tenant_id, salesperson_node_id) REFERENCES org_nodes(tenant_id, id) );
CREATE INDEX stores_org_path ON stores(tenant_id, org_path, id);
CREATE INDEX stores_distributor ON stores(tenant_id, distributor_id, id);
CREATE INDEX stores_distributor_path ON stores(tenant_id, distributor_id, org_path);
CREATE INDEX stores_region ON stores(tenant_id, region_code);
CREATE TABLE products ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, sku TEXT NOT NULL, gtin TEXT NOT NULL, name TEXT NOT NULL, category TEXT NOT NULL, price_fen INTEGER NOT NULL, units_per_case INTEGER NOT NULL, launch_date TEXT, status TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, sku), UNIQUE (tenant_id, gtin) );
CREATE TABLE users ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, username TEXT NOT NULL, display_name TEXT NOT NULL, role TEXT NOT NULL, org_node_id INTEGER, org_path TEXT NOT NULL, distributor_id INTEGER, store_id INTEGER, password_hash TEXT, active INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, username), FOREIGN KEY (tenant_id, org_node_id) REFERENCES org_nodes(tenant_id, id), FOREIGN KEY (tenant_id, distributor_id) REFERENCES distributors(tenant_id, id), FOREIGN KEY (tenant_id, store_id) REFERENCES stores(tenant_id, id) );
CREATE TABLE auth_tokens ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), token_hash TEXT NOT NULL, id INTEGER NOT NULL, user_id INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER, last_used_at INTEGER, PRIMARY KEY (tenant_id, token_hash), UNIQUE (tenant_id, id), FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) );
CREATE INDEX auth_tokens_user ON auth_tokens(tenant_id, user_id);
CREATE TABLE import_runs ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, kind TEXT NOT NULL, file_name TEXT NOT NULL, format TEXT NOT NULL, user_id INTEGER NOT NULL, org_path TEXT NOT NULL, total_rows INTEGER NOT NULL, imported_rows INTEGER NOT NULL, error_count INTEGER NOT NULL, errors_json TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id) );
-- v2_store_search
CREATE TABLE store_search_grams ( tenant_id INTEGER NOT NULL, gram TEXT NOT NULL, store_id INTEGER NOT NULL, PRIMARY KEY (tenant_id, gram, store_id) ) WITHOUT ROWID;
CREATE INDEX store_search_grams_store ON store_search_grams(tenant_id, store_id);
CREATE INDEX stores_type ON stores(tenant_id, store_type, id);
DROP INDEX stores_org_path;
CREATE INDEX stores_org_path ON stores(tenant_id, org_path, id, store_type, status, region_code);
DROP INDEX stores_region;
CREATE INDEX stores_region ON stores(tenant_id, region_code, id);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 128) INSERT INTO store_search_grams (tenant_id, gram, store_id) SELECT s.tenant_id, substr(lower(s.name), n.i, 2), s.id FROM stores s JOIN n ON n.i < length(s.name) UNION SELECT s.tenant_id, substr(lower(s.code), n.i, 2), s.id FROM stores s JOIN n ON n.i < length(s.code);
-- v3_codes
CREATE TABLE code_keys ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), key_id INTEGER NOT NULL, sealed_key TEXT NOT NULL, created_at INTEGER NOT NULL, retired_at INTEGER, PRIMARY KEY (tenant_id, key_id), UNIQUE (key_id) );
CREATE TABLE code_batches ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, product_id INTEGER NOT NULL, lot TEXT NOT NULL, quantity INTEGER NOT NULL, units_per_case INTEGER NOT NULL, key_id INTEGER NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, product_id, lot), FOREIGN KEY (tenant_id, product_id) REFERENCES products(tenant_id, id), FOREIGN KEY (tenant_id, key_id) REFERENCES code_keys(tenant_id, key_id) );
-- v4_code_activation
CREATE TABLE code_range_actions ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), batch_id INTEGER NOT NULL, id INTEGER NOT NULL, action TEXT NOT NULL, first_case INTEGER NOT NULL, last_case INTEGER NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, batch_id, id), FOREIGN KEY (tenant_id, batch_id) REFERENCES code_batches(tenant_id, id) );
-- v5_logistics
CREATE TABLE case_shipments ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), batch_id INTEGER NOT NULL, case_number INTEGER NOT NULL, distributor_id INTEGER NOT NULL, shipped_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, batch_id, case_number), FOREIGN KEY (tenant_id, batch_id) REFERENCES code_batches(tenant_id, id), FOREIGN KEY (tenant_id, distributor_id) REFERENCES distributors(tenant_id, id) ) WITHOUT ROWID;
CREATE TABLE case_receipts ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), batch_id INTEGER NOT NULL, case_number INTEGER NOT NULL, store_id INTEGER NOT NULL, distributor_id INTEGER NOT NULL, flag TEXT NOT NULL, received_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, batch_id, case_number), FOREIGN KEY (tenant_id, store_id) REFERENCES stores(tenant_id, id) ) WITHOUT ROWID;
CREATE INDEX case_receipts_store ON case_receipts(tenant_id, store_id);
-- v6_scans
CREATE TABLE code_scan_counts ( tenant_id INTEGER NOT NULL, batch_id INTEGER NOT NULL, serial INTEGER NOT NULL, scans INTEGER NOT NULL, first_at INTEGER NOT NULL, first_latitude REAL, first_longitude REAL, PRIMARY KEY (tenant_id, batch_id, serial) ) WITHOUT ROWID;
CREATE TABLE scan_events ( tenant_id INTEGER NOT NULL, batch_id INTEGER NOT NULL, serial INTEGER NOT NULL, scan_number INTEGER NOT NULL, scanned_at INTEGER NOT NULL, latitude REAL, longitude REAL, device_id TEXT, ip TEXT, consumer TEXT, store_id INTEGER, status TEXT NOT NULL, PRIMARY KEY (tenant_id, batch_id, serial, scan_number) ) WITHOUT ROWID;
-- v7_scan_rollups_alerts
CREATE TABLE store_day_scans ( tenant_id INTEGER NOT NULL, store_id INTEGER NOT NULL, product_id INTEGER NOT NULL, day INTEGER NOT NULL, scans INTEGER NOT NULL, units_sold INTEGER NOT NULL, PRIMARY KEY (tenant_id, store_id, product_id, day) ) WITHOUT ROWID;
CREATE INDEX store_day_scans_day ON store_day_scans(tenant_id, day);
CREATE TABLE region_day_scans ( tenant_id INTEGER NOT NULL, region_code TEXT NOT NULL, day INTEGER NOT NULL, scans INTEGER NOT NULL, units_sold INTEGER NOT NULL, PRIMARY KEY (tenant_id, region_code, day) ) WITHOUT ROWID;
CREATE TABLE diversion_evidence ( tenant_id INTEGER NOT NULL, batch_id INTEGER NOT NULL, case_number INTEGER NOT NULL, device_id TEXT NOT NULL, scanned_at INTEGER NOT NULL, region_code TEXT NOT NULL, latitude REAL NOT NULL, longitude REAL NOT NULL, PRIMARY KEY (tenant_id, batch_id, case_number, device_id) ) WITHOUT ROWID;
CREATE TABLE scan_alerts ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, subject TEXT NOT NULL, batch_id INTEGER, case_number INTEGER, serial INTEGER, product_id INTEGER, distributor_id INTEGER, store_id INTEGER, org_path TEXT, region_code TEXT, latitude REAL, longitude REAL, devices INTEGER NOT NULL, events INTEGER NOT NULL, first_at INTEGER NOT NULL, last_at INTEGER NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, kind, subject) );
CREATE INDEX scan_alerts_recent ON scan_alerts(tenant_id, last_at);
CREATE INDEX scan_alerts_org ON scan_alerts(tenant_id, org_path, last_at);
-- v8_transfers_repacks
CREATE TABLE case_transfers ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), batch_id INTEGER NOT NULL, case_number INTEGER NOT NULL, distributor_id INTEGER NOT NULL, store_id INTEGER NOT NULL, transferred_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, batch_id, case_number), FOREIGN KEY (tenant_id, store_id) REFERENCES stores(tenant_id, id) ) WITHOUT ROWID;
CREATE INDEX case_transfers_time ON case_transfers(tenant_id, transferred_at);
CREATE TABLE unit_repacks ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, batch_id INTEGER NOT NULL, serial INTEGER NOT NULL, from_case INTEGER NOT NULL, to_case INTEGER NOT NULL, repacked_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, batch_id) REFERENCES code_batches(tenant_id, id) );
CREATE INDEX unit_repacks_unit ON unit_repacks(tenant_id, batch_id, serial, id);
CREATE INDEX unit_repacks_time ON unit_repacks(tenant_id, repacked_at);
-- v9_idempotency_keys
CREATE TABLE idempotency_keys ( scope TEXT NOT NULL, idempotency_key TEXT NOT NULL, request_hash TEXT NOT NULL, state TEXT NOT NULL, status INTEGER NOT NULL, content_type TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (scope, idempotency_key) ) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
-- v10_ledger
CREATE TABLE ledger_accounts ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), code TEXT NOT NULL, asset TEXT NOT NULL, floor INTEGER, balance INTEGER NOT NULL, PRIMARY KEY (tenant_id, code, asset) ) WITHOUT ROWID;
CREATE TABLE ledger_entries ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, idempotency_key TEXT NOT NULL, memo TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, idempotency_key) );
CREATE TABLE ledger_postings ( tenant_id INTEGER NOT NULL, entry_id INTEGER NOT NULL, account_code TEXT NOT NULL, asset TEXT NOT NULL, amount INTEGER NOT NULL, PRIMARY KEY (tenant_id, entry_id, account_code, asset), FOREIGN KEY (tenant_id, entry_id) REFERENCES ledger_entries(tenant_id, id), FOREIGN KEY (tenant_id, account_code, asset) REFERENCES ledger_accounts(tenant_id, code, asset) ) WITHOUT ROWID;
CREATE INDEX ledger_postings_account ON ledger_postings(tenant_id, account_code, asset);
-- v11_campaigns
CREATE TABLE campaigns ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, name TEXT NOT NULL, starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, definition TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id) );
CREATE INDEX campaigns_window ON campaigns(tenant_id, ends_at, starts_at);
-- v12_campaign_draws
ALTER TABLE campaigns ADD COLUMN budget_shards INTEGER NOT NULL DEFAULT 1;
CREATE TABLE campaign_draws ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), campaign_id INTEGER NOT NULL, batch_id INTEGER NOT NULL, serial INTEGER NOT NULL, drawn_at INTEGER NOT NULL, wallet TEXT NOT NULL, device_id TEXT, store_id INTEGER, tier INTEGER, outcome TEXT NOT NULL, amount_fen INTEGER NOT NULL DEFAULT 0, points INTEGER NOT NULL DEFAULT 0, store_reward_fen INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, campaign_id, batch_id, serial), FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns(tenant_id, id) ) WITHOUT ROWID;
CREATE INDEX campaign_draws_time ON campaign_draws(tenant_id, campaign_id, drawn_at);
CREATE TABLE campaign_win_counts ( tenant_id INTEGER NOT NULL, campaign_id INTEGER NOT NULL, subject TEXT NOT NULL, day INTEGER NOT NULL, wins INTEGER NOT NULL, PRIMARY KEY (tenant_id, campaign_id, subject, day) ) WITHOUT ROWID;
CREATE TABLE campaign_stock ( tenant_id INTEGER NOT NULL, campaign_id INTEGER NOT NULL, tier INTEGER NOT NULL, remaining INTEGER NOT NULL, PRIMARY KEY (tenant_id, campaign_id, tier) ) WITHOUT ROWID;
-- v13_payouts
CREATE TABLE payouts ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, campaign_id INTEGER NOT NULL, wallet TEXT NOT NULL, recipient TEXT NOT NULL, amount_fen INTEGER NOT NULL, status TEXT NOT NULL, merchant TEXT, bill_no TEXT, send_day INTEGER, attempts INTEGER NOT NULL DEFAULT 0, ask_first INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, lease_until INTEGER, provider_ref TEXT, last_error TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (bill_no) ) WITHOUT ROWID;
CREATE INDEX payouts_due ON payouts(status, next_attempt_at);
CREATE INDEX payouts_consumer_day ON payouts(tenant_id, wallet, send_day);
CREATE INDEX payouts_merchant_day ON payouts(merchant, send_day);
CREATE TABLE payout_pace ( merchant TEXT NOT NULL, second INTEGER NOT NULL, sent INTEGER NOT NULL, PRIMARY KEY (merchant, second) ) WITHOUT ROWID;
-- v14_risk
CREATE TABLE risk_blacklist ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), kind TEXT NOT NULL, value TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, kind, value) ) WITHOUT ROWID;
ALTER TABLE payouts ADD COLUMN risk_score INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN risk_reasons TEXT NOT NULL DEFAULT '';
CREATE INDEX payouts_status ON payouts(tenant_id, status, id);
-- v15_vouchers
CREATE TABLE voucher_redemptions ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), campaign_id INTEGER NOT NULL, batch_id INTEGER NOT NULL, serial INTEGER NOT NULL, store_id INTEGER NOT NULL, amount_fen INTEGER NOT NULL, redeemed_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, campaign_id, batch_id, serial) ) WITHOUT ROWID;
CREATE INDEX voucher_redemptions_store ON voucher_redemptions(tenant_id, store_id, redeemed_at);
-- v16_store_intelligence
CREATE TABLE store_days ( tenant_id INTEGER NOT NULL, store_id INTEGER NOT NULL, day INTEGER NOT NULL, scans INTEGER NOT NULL, units_sold INTEGER NOT NULL, PRIMARY KEY (tenant_id, store_id, day) ) WITHOUT ROWID;
CREATE TABLE store_day_receipts ( tenant_id INTEGER NOT NULL, store_id INTEGER NOT NULL, product_id INTEGER NOT NULL, day INTEGER NOT NULL, cases INTEGER NOT NULL, units INTEGER NOT NULL, PRIMARY KEY (tenant_id, store_id, product_id, day) ) WITHOUT ROWID;
CREATE TABLE store_consumers ( tenant_id INTEGER NOT NULL, store_id INTEGER NOT NULL, consumer TEXT NOT NULL, purchases INTEGER NOT NULL, first_day INTEGER NOT NULL, last_day INTEGER NOT NULL, PRIMARY KEY (tenant_id, store_id, consumer) ) WITHOUT ROWID;
CREATE TABLE store_rule_settings ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), rules TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (tenant_id) );
CREATE TABLE store_visits ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, store_id INTEGER NOT NULL, user_id INTEGER NOT NULL, org_path TEXT NOT NULL, alert_id INTEGER, checked_in_at INTEGER NOT NULL, day INTEGER NOT NULL, latitude REAL NOT NULL, longitude REAL NOT NULL, distance_m REAL NOT NULL, notes TEXT NOT NULL, photos INTEGER NOT NULL, PRIMARY KEY (tenant_id, id) );
CREATE TABLE visit_stock_counts ( tenant_id INTEGER NOT NULL, visit_id INTEGER NOT NULL, product_id INTEGER NOT NULL, store_id INTEGER NOT NULL, day INTEGER NOT NULL, units INTEGER NOT NULL, facings INTEGER, interval_sold INTEGER, interval_scanned INTEGER, province TEXT NOT NULL, PRIMARY KEY (tenant_id, visit_id, product_id) );
CREATE TABLE store_stock_positions ( tenant_id INTEGER NOT NULL, store_id INTEGER NOT NULL, product_id INTEGER NOT NULL, counted_units INTEGER NOT NULL, counted_day INTEGER NOT NULL, counted_at INTEGER NOT NULL, scanned_through INTEGER NOT NULL, received_through INTEGER NOT NULL, PRIMARY KEY (tenant_id, store_id, product_id) ) WITHOUT ROWID;
CREATE TABLE visit_photos ( tenant_id INTEGER NOT NULL, visit_id INTEGER NOT NULL, number INTEGER NOT NULL, content_type TEXT NOT NULL, size INTEGER NOT NULL, data_base64 TEXT NOT NULL, PRIMARY KEY (tenant_id, visit_id, number) ) WITHOUT ROWID;
CREATE TABLE store_alerts ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, store_id INTEGER NOT NULL, kind TEXT NOT NULL, product_id INTEGER NOT NULL, org_path TEXT NOT NULL, salesperson_node_id INTEGER, raised_day INTEGER NOT NULL, last_day INTEGER NOT NULL, due_day INTEGER NOT NULL, score REAL NOT NULL, baseline REAL NOT NULL, observed REAL NOT NULL, peer_median REAL, reason TEXT NOT NULL, status TEXT NOT NULL, open_key TEXT, created_at INTEGER NOT NULL, first_visit_at INTEGER, resolved_at INTEGER, resolved_by INTEGER, resolution TEXT, resolution_note TEXT, outcome TEXT NOT NULL, outcome_day INTEGER, outcome_observed REAL, PRIMARY KEY (tenant_id, id) );
CREATE TABLE store_profiles ( tenant_id INTEGER NOT NULL, store_id INTEGER NOT NULL, day INTEGER NOT NULL, salesperson_node_id INTEGER, org_path TEXT NOT NULL, tier TEXT NOT NULL, tags TEXT NOT NULL, strategies TEXT NOT NULL, sales28 INTEGER NOT NULL, sales_prev28 INTEGER NOT NULL, sales90 INTEGER NOT NULL, new_product_share REAL NOT NULL, repeat_share REAL, open_alerts INTEGER NOT NULL, PRIMARY KEY (tenant_id, store_id) ) WITHOUT ROWID;
CREATE TABLE scan_rates ( tenant_id INTEGER NOT NULL, product_id INTEGER NOT NULL, province TEXT NOT NULL, rate REAL NOT NULL, sample INTEGER NOT NULL, day INTEGER NOT NULL, PRIMARY KEY (tenant_id, product_id, province) ) WITHOUT ROWID;
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
-- v18_scan_events_in_time_order
CREATE TABLE scan_events_in_time_order ( id INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL, batch_id INTEGER NOT NULL, serial INTEGER NOT NULL, scan_number INTEGER NOT NULL, scanned_at INTEGER NOT NULL, latitude REAL, longitude REAL, device_id TEXT, ip TEXT, consumer TEXT, store_id INTEGER, status TEXT NOT NULL );
INSERT INTO scan_events_in_time_order (tenant_id, batch_id, serial, scan_number, scanned_at, latitude, longitude, device_id, ip, consumer, store_id, status) SELECT tenant_id, batch_id, serial, scan_number, scanned_at, latitude, longitude, device_id, ip, consumer, store_id, status FROM scan_events ORDER BY scanned_at, tenant_id, batch_id, serial, scan_number;
DROP TABLE scan_events;
ALTER TABLE scan_events_in_time_order RENAME TO scan_events;
CREATE INDEX scan_events_time ON scan_events(tenant_id, scanned_at);
-- v19_idempotency_scope_age
CREATE INDEX idempotency_keys_scope_age ON idempotency_keys(scope, created_at);
-- v20_deployment_settings
CREATE TABLE deployment_settings ( name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at INTEGER NOT NULL );
-- v21_payout_lease_owner
ALTER TABLE payouts ADD COLUMN lease_owner TEXT;
-- v22_receipt_review
ALTER TABLE case_receipts ADD COLUMN review TEXT NOT NULL DEFAULT 'none';
CREATE INDEX case_receipts_review ON case_receipts(tenant_id, review, received_at);
-- v23_scan_rate_estimates
CREATE TABLE scan_rate_estimates ( tenant_id INTEGER NOT NULL, product_id INTEGER NOT NULL, province TEXT NOT NULL, store_type TEXT NOT NULL, rate REAL NOT NULL, standard_error REAL NOT NULL, source TEXT NOT NULL, sample INTEGER NOT NULL, day INTEGER NOT NULL, PRIMARY KEY (tenant_id, product_id, province, store_type) ) WITHOUT ROWID;
-- v24_visit_photo_bytes
ALTER TABLE visit_photos ADD COLUMN data BLOB NOT NULL DEFAULT x'';
UPDATE visit_photos SET data = fullchain_unbase64(data_base64);
ALTER TABLE visit_photos DROP COLUMN data_base64;
-- v25_consumer_wechat_apps
CREATE TABLE consumer_wechat_apps ( tenant_id INTEGER PRIMARY KEY REFERENCES tenants(id), app_id TEXT NOT NULL, secret_sealed TEXT NOT NULL, updated_at INTEGER NOT NULL );
-- v26_consumer_phone_codes
CREATE TABLE consumer_phones ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), phone_hash TEXT NOT NULL, phone_sealed TEXT NOT NULL, last_sent_at INTEGER NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, phone_hash) ) WITHOUT ROWID;
CREATE TABLE consumer_phone_codes ( tenant_id INTEGER NOT NULL, id INTEGER NOT NULL, phone_hash TEXT NOT NULL, address_hash TEXT, device_hash TEXT, code_hash TEXT NOT NULL, sent_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, used_at INTEGER, PRIMARY KEY (tenant_id, id) );
CREATE INDEX consumer_phone_codes_phone ON consumer_phone_codes(tenant_id, phone_hash, sent_at);
CREATE INDEX consumer_phone_codes_address ON consumer_phone_codes(tenant_id, address_hash, sent_at);
CREATE INDEX consumer_phone_codes_device ON consumer_phone_codes(tenant_id, device_hash, sent_at);
-- v27_consumer_retention
CREATE TABLE consumer_retention ( tenant_id INTEGER PRIMARY KEY REFERENCES tenants(id), coarsened_until INTEGER NOT NULL DEFAULT 0, pseudonymized_through INTEGER NOT NULL DEFAULT 0 );
-- v28_consumer_erasures
CREATE TABLE consumer_erasures ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), wallet TEXT NOT NULL, erased_at INTEGER NOT NULL, recipients_cleared INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, wallet) );
-- v29_consumer_consents
CREATE TABLE consumer_consents ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), wallet TEXT NOT NULL, purpose TEXT NOT NULL, granted INTEGER NOT NULL, notice_version TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (tenant_id, wallet, purpose, at) ) WITHOUT ROWID;
-- v30_points_mall
CREATE TABLE mall_items ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, price_points INTEGER NOT NULL, face_value_fen INTEGER NOT NULL, stock INTEGER NOT NULL, stock_left INTEGER NOT NULL CHECK (stock_left >= 0), per_person_limit INTEGER NOT NULL, available_from INTEGER NOT NULL, available_until INTEGER NOT NULL, valid_days INTEGER NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id) );
CREATE TABLE mall_holdings ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), item_id INTEGER NOT NULL, wallet TEXT NOT NULL, taken INTEGER NOT NULL, PRIMARY KEY (tenant_id, item_id, wallet) ) WITHOUT ROWID;
CREATE TABLE coupons ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, item_id INTEGER NOT NULL, code TEXT NOT NULL, wallet TEXT NOT NULL, price_points INTEGER NOT NULL, face_value_fen INTEGER NOT NULL, taken_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, store_id INTEGER, redeemed_at INTEGER, PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, item_id) REFERENCES mall_items(tenant_id, id) );
CREATE UNIQUE INDEX coupons_code ON coupons(tenant_id, code);
CREATE INDEX coupons_wallet ON coupons(tenant_id, wallet, taken_at);
CREATE INDEX coupons_store ON coupons(tenant_id, store_id, redeemed_at);
-- v31_consumer_profiles
CREATE TABLE consumer_profiles ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, label TEXT NOT NULL, verified INTEGER NOT NULL DEFAULT 0, stage TEXT NOT NULL DEFAULT 'new', scans INTEGER NOT NULL DEFAULT 0, first_scan_at INTEGER, last_scan_at INTEGER NOT NULL DEFAULT 0, store_id INTEGER, merged_into INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id) );
CREATE INDEX consumer_profiles_recent ON consumer_profiles(tenant_id, last_scan_at, id);
CREATE INDEX consumer_profiles_store ON consumer_profiles(tenant_id, store_id, last_scan_at, id);
CREATE INDEX consumer_profiles_stage ON consumer_profiles(tenant_id, stage, last_scan_at, id);
CREATE TABLE consumer_identities ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), pseudonym TEXT NOT NULL, kind TEXT NOT NULL, profile_id INTEGER NOT NULL, first_seen INTEGER NOT NULL, PRIMARY KEY (tenant_id, pseudonym) ) WITHOUT ROWID;
CREATE INDEX consumer_identities_profile ON consumer_identities(tenant_id, profile_id);
CREATE TABLE consumer_merges ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, kept_id INTEGER NOT NULL, merged_id INTEGER NOT NULL, evidence TEXT NOT NULL, evidence_identity TEXT, moved TEXT NOT NULL, at INTEGER NOT NULL, undone_at INTEGER, PRIMARY KEY (tenant_id, id) );
CREATE INDEX consumer_merges_kept ON consumer_merges(tenant_id, kept_id);
CREATE INDEX consumer_merges_merged ON consumer_merges(tenant_id, merged_id);
CREATE TABLE consumer_profile_rollup ( tenant_id INTEGER PRIMARY KEY REFERENCES tenants(id), scanned_through INTEGER NOT NULL DEFAULT 0 );
CREATE INDEX scan_events_consumer ON scan_events(tenant_id, consumer, scanned_at) WHERE consumer IS NOT NULL;
-- v32_consumer_tags
CREATE TABLE consumer_tags ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, owner TEXT NOT NULL, rule TEXT, members INTEGER NOT NULL DEFAULT 0, backfill_after INTEGER, created_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id) );
CREATE UNIQUE INDEX consumer_tags_name ON consumer_tags(tenant_id, name);
CREATE TABLE consumer_tag_members ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), tag_id INTEGER NOT NULL, profile_id INTEGER NOT NULL, since INTEGER NOT NULL, by_user TEXT, PRIMARY KEY (tenant_id, tag_id, profile_id), FOREIGN KEY (tenant_id, tag_id) REFERENCES consumer_tags(tenant_id, id) ) WITHOUT ROWID;
CREATE INDEX consumer_tag_members_profile ON consumer_tag_members(tenant_id, profile_id, tag_id);
ALTER TABLE consumer_profiles ADD COLUMN tags_recheck_at INTEGER;
CREATE INDEX consumer_profiles_tags_recheck ON consumer_profiles(tenant_id, tags_recheck_at) WHERE tags_recheck_at IS NOT NULL;
-- v33_segments
CREATE TABLE segments ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, owner TEXT NOT NULL, rule TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id) );
CREATE UNIQUE INDEX segments_name ON segments(tenant_id, name);
CREATE INDEX consumer_profiles_updated ON consumer_profiles(tenant_id, updated_at);
-- v34_lifecycle
CREATE TABLE lifecycle_settings ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), settings TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (tenant_id) );
ALTER TABLE consumer_profiles ADD COLUMN lifecycle_stage TEXT;
ALTER TABLE consumer_profiles ADD COLUMN acquired_at INTEGER;
ALTER TABLE consumer_profiles ADD COLUMN acquired_store_id INTEGER;
CREATE TABLE lifecycle_transitions ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), profile_id INTEGER NOT NULL, to_stage TEXT NOT NULL, from_stage TEXT, cause TEXT NOT NULL, at INTEGER NOT NULL, store_id INTEGER NOT NULL, PRIMARY KEY (tenant_id, profile_id, to_stage) ) WITHOUT ROWID;
CREATE TABLE lifecycle_days ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), kind TEXT NOT NULL, day INTEGER NOT NULL, store_id INTEGER NOT NULL, stage TEXT NOT NULL, consumers INTEGER NOT NULL, PRIMARY KEY (tenant_id, kind, day, store_id, stage) ) WITHOUT ROWID;
CREATE TABLE lifecycle_active_weeks ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), profile_id INTEGER NOT NULL, week_offset INTEGER NOT NULL, PRIMARY KEY (tenant_id, profile_id, week_offset) ) WITHOUT ROWID;
CREATE TABLE lifecycle_cohort_weeks ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), cohort_week INTEGER NOT NULL, store_id INTEGER NOT NULL, week_offset INTEGER NOT NULL, consumers INTEGER NOT NULL, PRIMARY KEY (tenant_id, cohort_week, store_id, week_offset) ) WITHOUT ROWID;
-- v35_referrals
CREATE TABLE invite_codes ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), code TEXT NOT NULL, wallet TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, code) ) WITHOUT ROWID;
CREATE UNIQUE INDEX invite_codes_wallet ON invite_codes(tenant_id, wallet);
CREATE UNIQUE INDEX invite_codes_code ON invite_codes(code);
CREATE TABLE referrals ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, referrer TEXT NOT NULL, referred TEXT NOT NULL, store_id INTEGER, sku TEXT, device_id TEXT, ip TEXT, at INTEGER NOT NULL, status TEXT NOT NULL, reasons TEXT NOT NULL, reviewed_by TEXT, reviewed_at INTEGER, PRIMARY KEY (tenant_id, id) );
CREATE UNIQUE INDEX referrals_referred ON referrals(tenant_id, referred);
CREATE INDEX referrals_referrer ON referrals(tenant_id, referrer, at);
CREATE INDEX referrals_status ON referrals(tenant_id, status, id);
-- v36_referral_programme
CREATE TABLE referral_programme ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), reward_points INTEGER NOT NULL, updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (tenant_id) );
-- v37_journeys
CREATE TABLE journeys ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL, status TEXT NOT NULL, owner TEXT NOT NULL, created_at INTEGER NOT NULL, started_at INTEGER, entered_through INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, id) );
CREATE UNIQUE INDEX journeys_name ON journeys(tenant_id, name);
CREATE TABLE journey_entries ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), journey_id INTEGER NOT NULL, profile_id INTEGER NOT NULL, held_out INTEGER NOT NULL, entered_at INTEGER NOT NULL, step INTEGER, due_at INTEGER, ended_at INTEGER, PRIMARY KEY (tenant_id, journey_id, profile_id) );
CREATE INDEX journey_entries_due ON journey_entries(tenant_id, journey_id, due_at);
CREATE TABLE journey_actions ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), journey_id INTEGER NOT NULL, profile_id INTEGER NOT NULL, step INTEGER NOT NULL, kind TEXT NOT NULL, outcome TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (tenant_id, journey_id, profile_id, step) );
CREATE INDEX journey_actions_messages ON journey_actions(tenant_id, profile_id, kind, at);
CREATE TABLE consumer_contacts ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), wallet TEXT NOT NULL, contact_sealed TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (tenant_id, wallet) );
-- v38_store_notices
CREATE TABLE store_notices ( tenant_id INTEGER NOT NULL REFERENCES tenants(id), id INTEGER NOT NULL, store_id INTEGER NOT NULL, journey_id INTEGER NOT NULL, profile_id INTEGER NOT NULL, step INTEGER NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL, read_at INTEGER, PRIMARY KEY (tenant_id, id) );
CREATE UNIQUE INDEX store_notices_once ON store_notices(tenant_id, journey_id, profile_id, step);
CREATE INDEX store_notices_store ON store_notices(tenant_id, store_id, id);
ALTER TABLE consumer_wechat_apps ADD COLUMN notice_template_id TEXT;
-- v39_event_reads
DROP INDEX ledger_postings_account;
CREATE INDEX ledger_postings_account ON ledger_postings(tenant_id, account_code, asset, amount);
CREATE INDEX lifecycle_transitions_stage ON lifecycle_transitions(tenant_id, to_stage, at);
-- v40_org_days
CREATE TABLE org_days ( tenant_id INTEGER NOT NULL, org_path TEXT NOT NULL, day INTEGER NOT NULL, region_code TEXT NOT NULL, scans INTEGER NOT NULL, units_sold INTEGER NOT NULL, sales_fen INTEGER NOT NULL, active_store_days INTEGER NOT NULL, new_customers INTEGER NOT NULL, reward_fen INTEGER NOT NULL, diversion_alerts INTEGER NOT NULL, counterfeit_alerts INTEGER NOT NULL, store_alerts INTEGER NOT NULL, PRIMARY KEY (tenant_id, org_path, region_code, day) ) WITHOUT ROWID;
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
ALTER TABLE campaigns ADD COLUMN paused_at INTEGER;
CREATE INDEX payouts_campaign_status ON payouts(tenant_id, campaign_id, status);
-- v42_store_phone
ALTER TABLE stores ADD COLUMN phone TEXT;
