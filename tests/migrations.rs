//! Every migration is tested on a real file built at the previous version, with data in it.
//! When you add migration N, add a `vN_from_previous` test here that fills a version N-1
//! database the way users had it and checks that migrating keeps every row.
use rusqlite::Connection;
use teikibin_core::store::latest_version;
use teikibin_core::Db;

#[test]
fn v1_from_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    // Version 0: a file that exists but has no schema (e.g. created by an interrupted first start).
    Connection::open(&path).unwrap().execute_batch("PRAGMA user_version = 0;").unwrap();
    let db = Db::open_at_version(&path, 1).unwrap();
    assert_eq!(db.schema_version().unwrap(), 1);
    assert!(db.check_integrity(false).unwrap().is_empty());
}

#[test]
fn every_version_opens_and_reopens_without_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    for v in 1..=latest_version() {
        let db = Db::open_at_version(&path, v).unwrap();
        assert_eq!(db.schema_version().unwrap(), v);
    }
    let mut db = Db::open(&path).unwrap();
    db.generate_demo(50, 7).unwrap();
    drop(db);
    let db = Db::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), latest_version());
    assert_eq!(db.member_counts().unwrap().iter().map(|(_, n)| n).sum::<u64>(), 50);
}

#[test]
fn v2_from_v1_keeps_members_and_adds_the_postal_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let mut db = Db::open_at_version(&path, 1).unwrap();
    db.generate_demo(30, 1).unwrap();
    drop(db);
    let db = Db::open_at_version(&path, 2).unwrap();
    assert_eq!(db.schema_version().unwrap(), 2);
    assert_eq!(db.member_counts().unwrap().iter().map(|(_, n)| n).sum::<u64>(), 30);
    assert_eq!(db.postal_directory_size().unwrap(), 0);
    assert!(db.check_integrity(false).unwrap().is_empty());
}

#[test]
fn v3_from_v2_keeps_members_and_adds_the_import_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let mut db = Db::open_at_version(&path, 2).unwrap();
    db.generate_demo(40, 3).unwrap();
    drop(db);
    // Read with plain SQL: today's code expects columns later versions added.
    let members = |path: &std::path::Path| -> Vec<(String, String, String, String)> {
        let c = Connection::open(path).unwrap();
        let mut st = c.prepare("SELECT code, name, kana, postal_code || prefecture || city || street || building FROM members ORDER BY id").unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(|r| r.unwrap()).collect()
    };
    let before = members(&path);
    assert_eq!(before.len(), 40);
    let db = Db::open_at_version(&path, 3).unwrap();
    assert_eq!(db.schema_version().unwrap(), 3);
    drop(db);
    assert_eq!(members(&path), before);
    let c = Connection::open(&path).unwrap();
    for table in ["import_batches", "invoices", "payments", "products", "orders"] {
        let n: i64 = c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0, "{table}");
    }
    drop(c);
    // On the migrated file (brought to today's version), an import is recorded as a batch.
    let mut db = Db::open(&path).unwrap();
    let source = teikibin_core::import::Source { file_name: "追加.csv".into(), bytes: "会員番号,氏名\r\nM-1,新井 一郎\r\n".as_bytes().to_vec() };
    let opts = teikibin_core::import::ImportOptions::default();
    let r = db.import(teikibin_core::import::ImportKind::Members, &source, &opts, false, &mut |_| {}).unwrap();
    assert_eq!((r.imported, r.errors.len()), (1, 0), "{r:?}");
    assert_eq!(db.import_batches().unwrap().len(), 1);
    assert_eq!(db.member_counts().unwrap().iter().map(|(_, n)| n).sum::<u64>(), 41);
    assert!(db.check_integrity(false).unwrap().is_empty());
}

#[test]
fn v4_from_v3_rebuilds_orders_with_their_lines_and_keeps_legacy_subscriptions_running() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let mut db = Db::open_at_version(&path, 3).unwrap();
    db.generate_demo(10, 5).unwrap();
    drop(db);
    // Rows as version 3 held them: imported products, a legacy subscription without a course and
    // orders in the old states, written with plain SQL at that schema.
    let c = Connection::open(&path).unwrap();
    c.execute_batch(
        "INSERT INTO products (code, name, product_group, unit_price, tax_rate, created_at, updated_at)
             VALUES ('AO', '青汁 30包', '健康食品', 3980, 8, '2026-01-01 00:00:00', '2026-01-01 00:00:00');
         INSERT INTO subscriptions (member_id, course_name, product_id, quantity, interval_unit, interval_count, anchor_day,
             next_date, payment_method, status, started_on, deliveries, created_at)
             VALUES (1, '青汁定期（旧）', 1, 2, 'month', 1, 31, '2026-11-30', 'bank_transfer', 'active', '2025-01-31', 10, '2026-01-01 00:00:00');
         INSERT INTO orders (number, member_id, ordered_on, channel, total_8, tax_8, total, status, created_at)
             VALUES ('A-1', 1, '2026-10-01', '電話', 3980, 294, 3980, 'delivered', '2026-10-01 00:00:00'),
                    ('A-2', 2, '2026-10-02', '電話', 3980, 294, 3980, 'open', '2026-10-02 00:00:00'),
                    ('A-3', 2, '2026-10-03', '電話', 3980, 294, 3980, 'cancelled', '2026-10-03 00:00:00');
         INSERT INTO order_lines (order_id, line_no, product_id, product_code, name, quantity, unit_price, amount, tax_rate)
             SELECT id, 1, 1, 'AO', '青汁 30包', 1, 3980, 3980, 8 FROM orders;",
    )
    .unwrap();
    drop(c);
    let mut db = Db::open_at_version(&path, 4).unwrap();
    assert_eq!(db.schema_version().unwrap(), 4);
    assert!(db.check_integrity(false).unwrap().is_empty());
    let fk: i64 = Connection::open(&path).unwrap().query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 0);
    use teikibin_core::orders::{OrderFilter, OrderStatus};
    let states: Vec<(String, OrderStatus, usize)> = {
        let page = db.orders(&OrderFilter::default()).unwrap();
        page.orders.iter().map(|o| (o.number.clone(), o.status, db.order(&o.number).unwrap().lines.len())).collect()
    };
    assert_eq!(
        states,
        [("A-3".into(), OrderStatus::Cancelled, 1), ("A-2".into(), OrderStatus::Received, 1), ("A-1".into(), OrderStatus::Shipped, 1)]
    );
    // Products keep their fields and get the new ones with defaults.
    let p = db.product("AO").unwrap();
    assert_eq!((p.unit_price, p.tax_rate, p.stock, p.shipped), (3980, 8, 0, true));
    // The legacy subscription runs in the monthly run: two of its product on the 30th, the 11th delivery.
    teikibin_core::clock::pretend_today(Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()));
    let r = db.month_run("2026-11", "", &mut |_| {}).unwrap();
    assert_eq!(r.orders_created, 1);
    assert_eq!((r.orders[0].delivery_no, r.orders[0].total, r.orders[0].date.to_string()), (11, 7960, "2026-11-30".to_string()));
    let s = db.subscriptions(&Default::default()).unwrap().subscriptions.remove(0);
    assert_eq!((s.next_date.map(|d| d.to_string()), s.deliveries), (Some("2026-12-31".into()), 11));
}

#[test]
fn v5_from_v4_keeps_imported_invoices_editable_and_guards_issued_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let mut db = Db::open_at_version(&path, 4).unwrap();
    db.generate_demo(20, 7).unwrap();
    drop(db);
    // An open invoice from the old system, as version 4 stored it.
    let c = Connection::open(&path).unwrap();
    c.execute_batch(
        "INSERT INTO invoices (number, member_id, issued_on, due_on, amount, created_at)
             VALUES ('OLD-1', 1, '2026-10-31', '2026-11-30', 5000, '2026-11-01 00:00:00');",
    )
    .unwrap();
    let orders_before: i64 = c.query_row("SELECT count(*) FROM orders", [], |r| r.get(0)).unwrap();
    drop(c);
    let mut db = Db::open_at_version(&path, 5).unwrap();
    assert_eq!(db.schema_version().unwrap(), 5);
    assert!(db.check_integrity(false).unwrap().is_empty());
    let c = Connection::open(&path).unwrap();
    let fk: i64 = c.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 0);
    let (kind, returned): (String, i64) =
        c.query_row("SELECT i.kind, m.mail_returned FROM invoices i JOIN members m ON m.id = i.member_id WHERE i.number = 'OLD-1'", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((kind.as_str(), returned), ("imported", 0));
    assert_eq!(c.query_row("SELECT count(*) FROM orders", [], |r| r.get::<_, i64>(0)).unwrap(), orders_before);
    // An imported invoice may still be voided by the payments work; an issued one only voided once.
    c.execute("UPDATE invoices SET voided_at = '2026-11-02 00:00:00', void_reason = '移行の誤り' WHERE number = 'OLD-1'", []).unwrap();
    let old = db.invoice("OLD-1").unwrap();
    assert!(!old.issued && old.voided_at.is_some());
    // The demo shop's orders can be shipped and invoiced on the migrated file.
    let mut s = db.shop_settings().unwrap();
    s.invoice_registration_number = "T1180301018771".into();
    s.company_name = "デモ通販".into();
    db.save_shop_settings(s).unwrap();
    let number = db.orders(&Default::default()).unwrap().orders.iter().find(|o| o.status != teikibin_core::orders::OrderStatus::Cancelled).unwrap().number.clone();
    let inv = db.issue_invoice(&teikibin_core::invoices::InvoiceRequest { order: number, ..Default::default() }).unwrap();
    assert!(c.execute("UPDATE invoices SET amount = amount + 1 WHERE number = ?1", [&inv.number]).is_err());
}

#[test]
fn v6_from_v5_keeps_payments_and_their_allocations_and_opens_the_money_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let mut db = Db::open_at_version(&path, 5).unwrap();
    db.generate_demo(20, 11).unwrap();
    drop(db);
    // An old-system invoice half paid, and an overpayment, as version 5 stored them.
    let c = Connection::open(&path).unwrap();
    c.execute_batch(
        "INSERT INTO invoices (number, member_id, issued_on, due_on, amount, created_at)
             VALUES ('OLD-1', 1, '2026-09-30', '2026-10-31', 6000, '2026-11-01 00:00:00');
         INSERT INTO payments (member_id, paid_on, amount, method, note, created_at)
             VALUES (1, '2026-10-10', 2500, 'bank_transfer', '', '2026-11-01 00:00:00'),
                    (1, '2026-10-20', 1000, 'cash', '', '2026-11-01 00:00:00');
         INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at)
             SELECT p.id, i.id, 2500, '2026-11-01 00:00:00' FROM payments p, invoices i WHERE p.amount = 2500 AND i.number = 'OLD-1';",
    )
    .unwrap();
    drop(c);
    let mut db = Db::open_at_version(&path, 6).unwrap();
    assert_eq!(db.schema_version().unwrap(), 6);
    assert!(db.check_integrity(false).unwrap().is_empty());
    let c = Connection::open(&path).unwrap();
    let fk: i64 = c.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 0);
    let member: String = c.query_row("SELECT code FROM members WHERE id = 1", [], |r| r.get(0)).unwrap();
    // The old payments count as before; the unallocated one is the member's credit.
    let acct = db.member_account(&member).unwrap();
    let old = acct.open_invoices.iter().find(|i| i.number == "OLD-1").unwrap();
    assert_eq!(old.balance, 3500);
    assert_eq!(acct.credit, 1000);
    assert!(acct.payments.iter().all(|p| p.fee == 0 && p.voided_at.is_none()));
    let acct = db.apply_credit(&member, "").unwrap();
    assert_eq!((acct.credit, acct.open_invoices.iter().find(|i| i.number == "OLD-1").unwrap().balance), (0, 2500));
    // The new tables take an import.
    let bytes = teikibin_core::zengin::testfiles::statement_03(
        &[teikibin_core::zengin::testfiles::StatementRow::new(1, "2026-11-20".parse().unwrap(), teikibin_core::zengin::statement::Direction::In, 2500, "ﾃｽﾄ")],
        teikibin_core::zengin::testfiles::Sep::CrLf,
    );
    let r = db.bank_import(&bytes, "a.txt", &Default::default()).unwrap();
    assert_eq!((r.deposits, r.import.is_some()), (1, true));
}

#[test]
fn v7_from_v6_adds_the_report_indexes_and_the_reports_read_the_old_orders() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    teikibin_core::clock::pretend_today(Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()));
    let mut db = Db::open_at_version(&path, 6).unwrap();
    db.save_shop_settings(teikibin_core::demo::demo_shop_settings()).unwrap();
    db.generate_demo(60, 3).unwrap();
    let sales = |db: &Db| db.report_json(teikibin_core::reports::ReportKind::Sales, &Default::default()).unwrap();
    drop(db);
    let c = Connection::open(&path).unwrap();
    let total: i64 = c
        .query_row("SELECT sum(total) FROM orders WHERE status <> 'cancelled' AND ordered_on BETWEEN '2025-12-01' AND '2026-11-30'", [], |r| r.get(0))
        .unwrap();
    drop(c);
    let db = Db::open_at_version(&path, 7).unwrap();
    assert_eq!(db.schema_version().unwrap(), 7);
    assert!(db.check_integrity(false).unwrap().is_empty());
    let c = Connection::open(&path).unwrap();
    let indexes: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('orders_sales', 'orders_purchases') ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(indexes, vec!["orders_purchases", "orders_sales"]);
    // Subscriptions taken before have no 申込経路.
    let channels: i64 = c.query_row("SELECT count(*) FROM subscriptions WHERE channel <> ''", [], |r| r.get(0)).unwrap();
    assert_eq!(channels, 0);
    // The demo's orders read through the new indexes add up to what the table holds.
    let r = sales(&db);
    let reported: i64 = r["total"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).sum();
    assert_eq!(reported, total);
}

#[test]
fn v8_from_v7_keeps_the_shop_and_audits_every_write_from_then_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    teikibin_core::clock::pretend_today(Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()));
    let mut db = Db::open_at_version(&path, 7).unwrap();
    db.save_shop_settings(teikibin_core::demo::demo_shop_settings()).unwrap();
    db.generate_demo(40, 5).unwrap();
    drop(db);
    let count = |c: &Connection, sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    let c = Connection::open(&path).unwrap();
    let before: Vec<i64> = ["members", "orders", "order_lines", "subscriptions", "settings"]
        .iter()
        .map(|t| count(&c, &format!("SELECT count(*) FROM {t}")))
        .collect();
    let first_code: String = c.query_row("SELECT code FROM members ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap();
    drop(c);

    let mut db = Db::open_at_version(&path, 8).unwrap();
    assert_eq!(db.schema_version().unwrap(), 8);
    assert!(db.check_integrity(false).unwrap().is_empty());
    let c = Connection::open(&path).unwrap();
    let after: Vec<i64> = ["members", "orders", "order_lines", "subscriptions", "settings"]
        .iter()
        .map(|t| count(&c, &format!("SELECT count(*) FROM {t}")))
        .collect();
    assert_eq!(before, after, "every row survives");
    // The migration logs nothing of what was there; no accounts yet, so the shop works as before.
    assert_eq!(count(&c, "SELECT count(*) FROM audit_log"), 0);
    assert!(!db.accounts_exist().unwrap());

    // The triggers fire afterwards, with the operation's staff name.
    db.set_mail_returned(&first_code, true, "佐藤").unwrap();
    let (staff, action, before, after): (String, String, String, String) = c
        .query_row(
            "SELECT staff, action, before, after FROM audit_log WHERE tbl = 'members' ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((staff.as_str(), action.as_str()), ("佐藤", "update"));
    assert!(after.contains(r#""mail_returned":1"#), "{after}");
    assert!(before.contains(r#""mail_returned":0"#) && !before.contains(r#""name""#), "only the changed columns: {before}");
    // And the log cannot be rewritten, even from a plain connection.
    assert!(c.execute("UPDATE audit_log SET staff = 'x'", []).is_err());
    assert!(c.execute("DELETE FROM audit_log", []).is_err());
    // A write from outside Teikibin is still logged, naming nobody.
    c.execute("UPDATE members SET notes = 'sqlite3から' WHERE code = ?1", [&first_code]).unwrap();
    let staff: String = c.query_row("SELECT staff FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    assert_eq!(staff, "");
}
