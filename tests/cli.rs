//! The CLI contract, on real SQLite files: command names, JSON shapes and exit codes that
//! scripts (and later checks) rely on.
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn cli(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_teikibin-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TEIKIBIN_DB")
        .output()
        .expect("run teikibin-cli")
}

fn json(db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let o = cli(db, &all);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

#[test]
fn init_add_list_show_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let init = json(&db, &["init"]);
    assert_eq!(init["schema_version"], teikibin_core::store::latest_version());
    assert!(db.exists());

    let added = json(
        &db,
        &["members", "add", "--name", "山田 花子", "--kana", "ﾔﾏﾀﾞ ﾊﾅｺ", "--phone", "０３－１２３４－５６７８", "--postal-code", "1540015",
          "--prefecture", "東京都", "--city", "世田谷区", "--street", "桜新町2-3-4", "--joined-on", "2024/4/1"],
    );
    assert_eq!(added["code"], "000001");
    assert_eq!(added["kana"], "ヤマダ ハナコ");

    let list = json(&db, &["members", "list", "--search", "やまだ"]);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let keys: Vec<&str> = rows[0].as_object().unwrap().keys().map(|k| k.as_str()).collect();
    let mut expected = vec![
        "code", "name", "kana", "postal_code", "address1", "address2", "phone", "mobile", "email", "birthday",
        "joined_on", "valid_until", "status", "notes",
    ];
    expected.sort();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort();
    assert_eq!(keys_sorted, expected);
    assert_eq!(rows[0]["postal_code"], "154-0015");
    assert_eq!(rows[0]["address1"], "東京都世田谷区桜新町2-3-4");
    assert_eq!(rows[0]["joined_on"], "2024-04-01");
    assert_eq!(rows[0]["birthday"], Value::Null);
    assert_eq!(rows[0]["status"], "active");

    let o = cli(&db, &["members", "set-status", "000001", "--to", "suspended", "--reason", "入院のため", "--on", "2025-01-10"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("休止"));
    assert_eq!(json(&db, &["members", "list", "--status", "suspended"]).as_array().unwrap().len(), 1);
    assert_eq!(json(&db, &["members", "list", "--status", "active"]).as_array().unwrap().len(), 0);

    let show = json(&db, &["members", "show", "000001"]);
    assert_eq!(show["status"], "suspended");
    let history = show["history"].as_array().unwrap();
    assert_eq!(history[0]["reason"], "入院のため");
    assert_eq!(history[0]["to_status"], "suspended");
}

#[test]
fn refusals_exit_1_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let bad = cli(&db, &["members", "add", "--name", "山田", "--phone", "12-345"]);
    assert_eq!(bad.status.code(), Some(1));
    let msg = String::from_utf8_lossy(&bad.stderr);
    assert!(msg.contains("電話番号は0で始まる"), "{msg}");
    let missing = cli(&db, &["--json", "members", "show", "999"]);
    assert_eq!(missing.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&missing.stderr).unwrap();
    assert_eq!(err["error"]["code"], "not_found");
    assert_eq!(cli(&db, &["members", "frobnicate"]).status.code(), Some(2));
    assert_eq!(cli(&db, &["members", "list", "--status", "sleeping"]).status.code(), Some(2));
    // Nothing was written by the refused add.
    assert_eq!(json(&db, &["members", "list"]).as_array().unwrap().len(), 0);
}

#[test]
fn demo_members_and_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let r = json(&db, &["demo", "--members", "3000"]);
    assert_eq!(r["members"], 3000);
    let all = json(&db, &["members", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 3000);
    let dups = json(&db, &["members", "duplicates"]);
    let pairs = dups.as_array().unwrap();
    assert!(!pairs.is_empty());
    assert!(pairs.iter().all(|p| p.as_array().unwrap().len() == 2 && p[0].is_string()));
    let (a, b) = (pairs[0][0].as_str().unwrap(), pairs[0][1].as_str().unwrap());
    let merged = json(&db, &["members", "merge", a, b]);
    assert_eq!(merged["code"], a);
    assert_eq!(json(&db, &["members", "list"]).as_array().unwrap().len(), 2999);
    assert_eq!(json(&db, &["members", "show", b])["merged_into"], a);
}

#[test]
fn init_demo_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    json(&db, &["init", "--demo"]);
    json(&db, &["init", "--demo"]);
    assert_eq!(json(&db, &["members", "list"]).as_array().unwrap().len(), 1000);
    let check = cli(&db, &["check"]);
    assert!(check.status.success());
}

/// The courses/subscriptions/orders/monthly-run contract, on the demo shop (whose history runs
/// up to "today", here pretended to be 2026-11-23 through `TEIKIBIN_TODAY`).
#[test]
fn courses_subscriptions_orders_and_the_monthly_run() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let run = |args: &[&str]| -> Output {
        Command::new(env!("CARGO_BIN_EXE_teikibin-cli"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("TEIKIBIN_DB")
            .env("TEIKIBIN_TODAY", "2026-11-23")
            .output()
            .expect("run teikibin-cli")
    };
    let json = |args: &[&str]| -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let o = run(&all);
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).expect("JSON on stdout")
    };
    json(&["demo", "--members", "400"]);
    let courses = json(&["courses", "list"]);
    assert!(courses.as_array().unwrap().len() >= 4);
    assert!(courses.as_array().unwrap().iter().any(|c| c["kind"] == "membership" && c["bulletin_product"].is_object()));
    assert!(json(&["products", "list"]).as_array().unwrap().iter().any(|p| p["tax_rate"] == 8));

    let active = json(&["subscriptions", "list", "--status", "active"]);
    let active = active.as_array().unwrap();
    assert!(!active.is_empty());
    assert!(active.iter().all(|s| s["status"] == "active"));
    // Skip the next delivery of one due in December.
    let due = active.iter().find(|s| s["next_date"].as_str().is_some_and(|d| d.starts_with("2026-12"))).expect("one due in December");
    let id = due["id"].as_i64().unwrap().to_string();
    let skipped = json(&["subscriptions", "skip", &id, "--reason", "商品が余っている", "--staff", "佐藤"]);
    assert_eq!(skipped["events"][0]["kind"], "skip");
    assert_eq!(skipped["upcoming"][0]["skipped"], "商品が余っている");
    let member = due["member"].as_str().unwrap();
    let mine = json(&["subscriptions", "list", "--member", member]);
    assert!(mine.as_array().unwrap().iter().all(|s| s["member"] == member));

    // The preview writes nothing; the run creates; a second run creates nothing new.
    let preview = json(&["month", "run", "2026-12", "--dry-run"]);
    for key in ["month", "orders_created", "bulletin_slips", "skipped", "by_course", "stock_needed"] {
        assert!(preview.get(key).is_some(), "{key} in {preview}");
    }
    assert_eq!(preview["month"], "2026-12");
    assert!(preview["skipped"].as_array().unwrap().iter().any(|s| s["subscription"].as_i64() == Some(id.parse().unwrap())
        && s["member"] == member && s["reason"].as_str().unwrap().contains("スキップ")));
    let created = preview["orders_created"].as_u64().unwrap();
    assert!(created > 0);
    let by_course: u64 = preview["by_course"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(by_course, created);
    let before = json(&["orders", "list", "--month", "2026-12"]).as_array().unwrap().len();
    assert_eq!(before, 0);
    let done = json(&["month", "run", "2026-12", "--staff", "佐藤"]);
    assert_eq!((done["orders_created"].as_u64(), done["dry_run"].as_bool()), (Some(created), Some(false)));
    assert_eq!(done["bulletin_slips"], preview["bulletin_slips"]);
    let again = json(&["month", "run", "2026-12"]);
    assert_eq!((again["orders_created"].as_u64(), again["bulletin_slips"].as_u64()), (Some(0), Some(0)));
    let december = json(&["orders", "list", "--month", "2026-12"]);
    assert_eq!(december.as_array().unwrap().len() as u64, created);
    let first = december[0]["number"].as_str().unwrap();
    let order = json(&["orders", "show", first]);
    let t = &order["totals"];
    assert_eq!(t["total"].as_i64(), Some(t["total_10"].as_i64().unwrap() + t["total_8"].as_i64().unwrap()));

    // A bad month and a stop before the minimum are refused with exit 1 and a clear message.
    let bad = run(&["month", "run", "2026-13"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM"));
    let missing = run(&["subscriptions", "skip", "999999", "--reason", "x"]);
    assert_eq!(missing.status.code(), Some(1));
}
