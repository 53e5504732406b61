//! Data portability on a real demo shop: the full export (every table of the schema, row counts,
//! invoice PDFs as files, the Japanese README), a member's own data (開示請求) and erasure on
//! request (削除請求), through the core and the CLI contract.
use rusqlite::Connection;
use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};
use teikibin_core::clock::pretend_today;
use teikibin_core::members::search::SearchQuery;
use teikibin_core::{Db, ErrorCode};

const TODAY: &str = "2026-11-20";

fn cli(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_teikibin-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TEIKIBIN_DB")
        .env("TEIKIBIN_TODAY", TODAY)
        .output()
        .expect("run teikibin-cli")
}

fn json(db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let o = cli(db, &all);
    assert!(o.status.success(), "{args:?}: {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

/// A demo shop of 200 members with October's invoices issued (so there are PDFs to export).
fn shop(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("shop.db");
    pretend_today(Some(TODAY.parse().unwrap()));
    let mut db = Db::open(&path).unwrap();
    db.save_shop_settings(teikibin_core::demo::demo_shop_settings()).unwrap();
    db.generate_demo(200, 11).unwrap();
    let billed = db.issue_period_invoices("2026-10", "佐藤", &mut |_| {}).unwrap();
    assert!(!billed.issued.is_empty(), "the demo shop bills someone in October");
    path
}

fn query_i64(c: &Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn the_full_export_holds_every_table_with_its_rows_and_the_invoice_pdfs() {
    let dir = tempfile::tempdir().unwrap();
    let db = shop(dir.path());
    let target = dir.path().join("全データ.zip");
    let r = json(&db, &["export", "all", "-o", target.to_str().unwrap()]);
    println!("full export of the demo shop: {} ms, {} rows, {} files, {} bytes", r["millis"], r["rows"], r["files"], r["bytes"]);

    let c = Connection::open(&db).unwrap();
    let tables: Vec<String> = {
        let mut st = c.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name").unwrap();
        let rows = st.query_map([], |r| r.get(0)).unwrap();
        rows.map(|r| r.unwrap()).collect()
    };
    let listed: Vec<String> = r["tables"].as_array().unwrap().iter().map(|t| t["table"].as_str().unwrap().to_string()).collect();
    assert_eq!(listed, tables, "every table of the schema, none more");

    let mut z = zip::ZipArchive::new(std::fs::File::open(&target).unwrap()).unwrap();
    for t in r["tables"].as_array().unwrap() {
        let name = t["table"].as_str().unwrap();
        let rows = query_i64(&c, &format!("SELECT count(*) FROM \"{name}\""));
        assert_eq!(t["rows"].as_i64().unwrap(), rows, "{name}");
        let mut text = String::new();
        z.by_name(t["file"].as_str().unwrap()).unwrap().read_to_string(&mut text).unwrap();
        let body = text.strip_prefix('\u{feff}').expect("UTF-8 with BOM");
        let mut rd = csv::Reader::from_reader(body.as_bytes());
        let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
        let cols: Vec<String> = {
            let mut st = c.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid").unwrap();
            let rows = st.query_map([name], |r| r.get(0)).unwrap();
            // Staff password hashes are the one column left out of the zip.
            rows.map(|r| r.unwrap()).filter(|col: &String| !(name == "staff_accounts" && col == "password_hash")).collect()
        };
        assert_eq!(header, cols, "{name}: header row of column names");
        assert_eq!(rd.records().count() as i64, rows, "{name}: rows in the CSV");
    }

    // Issued invoices' PDFs are files of their own, named in the CSV, byte for byte.
    let pdfs = query_i64(&c, "SELECT count(*) FROM invoices WHERE pdf IS NOT NULL");
    assert!(pdfs > 0);
    let inv = r["tables"].as_array().unwrap().iter().find(|t| t["table"] == "invoices").unwrap();
    assert_eq!(inv["files"].as_i64().unwrap(), pdfs);
    let (number, pdf): (String, Vec<u8>) =
        c.query_row("SELECT number, pdf FROM invoices WHERE pdf IS NOT NULL ORDER BY id LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    let mut bytes = Vec::new();
    z.by_name(&format!("invoices/{number}.pdf")).unwrap().read_to_end(&mut bytes).unwrap();
    assert_eq!(bytes, pdf);

    let mut readme = String::new();
    z.by_name("README.txt").unwrap().read_to_string(&mut readme).unwrap();
    let members = query_i64(&c, "SELECT count(*) FROM members");
    assert!(readme.contains("作成日時") && readme.contains(&format!("スキーマのバージョン: {}", r["schema_version"])), "{readme}");
    assert!(readme.contains(&format!("tables/members.csv\t{members}件")), "{readme}");
    let manifest: Value = {
        let mut s = String::new();
        z.by_name("manifest.json").unwrap().read_to_string(&mut s).unwrap();
        serde_json::from_str(&s).unwrap()
    };
    assert_eq!(manifest["schema_version"], r["schema_version"]);
}

/// A member who may be erased (nothing running, nothing to ship, nothing unpaid), and one with
/// a running subscription.
fn candidates(c: &Connection) -> (String, String) {
    let free: String = c
        .query_row(
            "SELECT m.code FROM members m WHERE m.merged_into IS NULL
               AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.member_id = m.id AND s.status IN ('active', 'paused'))
               AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.member_id = m.id AND o.status IN ('received', 'ready'))
               AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.member_id = m.id AND i.voided_at IS NULL)
               AND EXISTS (SELECT 1 FROM orders o WHERE o.member_id = m.id)
             ORDER BY m.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let running: String = c
        .query_row(
            "SELECT m.code FROM members m JOIN subscriptions s ON s.member_id = m.id AND s.status = 'active' ORDER BY m.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    (free, running)
}

#[test]
fn a_member_gets_their_data_and_is_anonymised_on_request_with_invoices_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path());
    let c = Connection::open(&path).unwrap();
    let (code, running) = candidates(&c);
    let mut db = Db::open(&path).unwrap();
    db.add_contact(&code, &teikibin_core::members::ContactInput {
        contacted_on: String::new(),
        channel: "電話".into(),
        body: "膝の手術をしたと話していた".into(),
        staff: "佐藤".into(),
    })
    .unwrap();
    let before = db.member(&code).unwrap();

    // 開示請求 through the CLI: every table about the member, the order lines with the orders.
    let out = dir.path().join("member.json");
    let r = json(&path, &["members", "export-data", &code, "-o", out.to_str().unwrap()]);
    assert_eq!(r["member"], code.as_str());
    let data: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(data["tables"]["members"][0]["name"], before.name.as_str());
    assert!(data["tables"]["members"][0].get("search_text").is_none(), "derived keys left out");
    for t in ["orders", "order_lines", "member_history", "member_contacts"] {
        assert!(data["tables"][t].as_array().is_some_and(|a| !a.is_empty()), "{t} in the member's data");
    }
    let subs = c.query_row("SELECT count(*) FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE m.code = ?1", [&code], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(data["tables"]["subscriptions"].as_array().map_or(0, |a| a.len() as i64), subs);
    let orders = data["tables"]["orders"].as_array().unwrap().len() as i64;
    assert_eq!(orders, c.query_row("SELECT count(*) FROM orders o JOIN members m ON m.id = o.member_id WHERE m.code = ?1", [&code], |r| r.get::<_, i64>(0)).unwrap());

    // Refusals: no reason; a running subscription (say what to do first).
    assert_eq!(db.erase_member(&code, " ", "佐藤").unwrap_err().field.as_deref(), Some("reason"));
    let e = db.erase_member(&running, "ご本人の依頼", "佐藤").unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("定期契約") && e.message.contains("解約"), "{}", e.message);

    // Search warmed before, so the cache must follow the erasure.
    let old_name = before.name.clone();
    let found = |db: &mut Db, q: &str| db.search_members(&SearchQuery { text: q.into(), status: None, offset: 0, limit: 0 }).unwrap().rows;
    assert!(found(&mut db, &old_name).iter().any(|m| m.code == code));
    let money_before: (i64, i64, i64) = c
        .query_row(
            "SELECT (SELECT count(*) FROM orders), (SELECT sum(total) FROM orders), (SELECT count(*) FROM invoices)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();

    let o = cli(&path, &["--json", "members", "erase", &code, "--reason", "ご本人から電話で削除の依頼", "--staff", "佐藤"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let er: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(er["name"], format!("削除済み会員 {code}"));

    // The CLI wrote; this connection's search notices another process wrote and reloads.
    assert!(found(&mut db, &old_name).iter().all(|m| m.code != code), "the old name is not found");
    if !before.phone.is_empty() {
        assert!(found(&mut db, &before.phone).iter().all(|m| m.code != code), "nor the old phone");
    }
    let d = db.member_detail(&code).unwrap();
    let m = &d.member;
    assert_eq!(m.name, format!("削除済み会員 {code}"));
    assert!(m.kana.is_empty() && m.phone.is_empty() && m.email.is_empty() && m.street.is_empty() && m.notes.is_empty());
    assert_eq!((m.birthday, m.status), (None, teikibin_core::members::MemberStatus::Withdrawn));
    assert!(d.contacts.iter().all(|c| !c.body.contains("膝")), "contact texts blanked");
    let last = d.history.iter().find(|h| h.reason.starts_with("削除請求")).expect("the erasure is recorded");
    assert_eq!((last.reason.as_str(), last.staff.as_str()), ("削除請求: ご本人から電話で削除の依頼", "佐藤"));
    let leftovers: i64 = c
        .query_row(
            "SELECT count(*) FROM shipments s JOIN members m ON m.id = s.member_id WHERE m.code = ?1 AND (s.name = ?2 OR s.phone <> '' OR s.address <> '')",
            rusqlite::params![code, old_name],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(leftovers, 0, "parcel copies blanked");
    // The audit log held copies (the contact added above, the erasure's own updates): redacted
    // in place, the rows themselves kept. Issued invoices keep their recipient, so their rows may too.
    let leaks: i64 = c
        .query_row(
            "SELECT count(*) FROM audit_log WHERE tbl <> 'invoices'
               AND (instr(coalesce(before, '') || coalesce(after, ''), ?1) > 0 OR instr(coalesce(before, '') || coalesce(after, ''), '膝') > 0)",
            [&old_name],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(leaks, 0, "no personal value left in the audit log");
    let redacted: i64 = c.query_row("SELECT count(*) FROM audit_log WHERE redacted_at IS NOT NULL", [], |r| r.get(0)).unwrap();
    assert!(redacted >= 2, "the contact's insert and the member's update at least: {redacted}");
    assert!(c.execute("UPDATE audit_log SET before = NULL WHERE redacted_at IS NOT NULL", []).is_err(), "redacted once, then fixed again");
    let money_after: (i64, i64, i64) = c
        .query_row(
            "SELECT (SELECT count(*) FROM orders), (SELECT sum(total) FROM orders), (SELECT count(*) FROM invoices)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(money_before, money_after, "orders and invoices stay, amounts unchanged");
    let e = db.erase_member(&code, "もう一度", "").unwrap_err();
    assert!(e.message.contains("すでに匿名化"), "{}", e.message);
    assert!(db.check_integrity(false).unwrap().is_empty());
}

#[test]
fn a_member_with_unpaid_invoices_is_not_erased_until_they_are_settled() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path());
    let c = Connection::open(&path).unwrap();
    // A member billed in October whose subscriptions are stopped, so only the money blocks.
    let code: Option<String> = c
        .query_row(
            "SELECT m.code FROM members m JOIN invoices i ON i.member_id = m.id AND i.voided_at IS NULL
             WHERE NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.member_id = m.id AND s.status IN ('active', 'paused'))
               AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.member_id = m.id AND o.status IN ('received', 'ready'))
             ORDER BY m.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .ok();
    let Some(code) = code else { return };
    let o = cli(&path, &["members", "erase", &code, "--reason", "ご本人の依頼"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("未払いの請求") && err.contains("消し込む"), "{err}");
}
