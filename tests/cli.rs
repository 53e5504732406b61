//! The CLI contract, on real SQLite files: command names, JSON shapes and exit codes that
//! scripts (and later checks) rely on.
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn cli(db: &Path, args: &[&str]) -> Output {
    cli_on(db, None, args)
}

/// The CLI on `db`, pretending `today` when given (`TEIKIBIN_TODAY`).
fn cli_on(db: &Path, today: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_teikibin-cli"));
    c.arg("--db").arg(db).args(args).env_remove("TEIKIBIN_DB");
    if let Some(d) = today {
        c.env("TEIKIBIN_TODAY", d);
    }
    c.output().expect("run teikibin-cli")
}

fn json(db: &Path, args: &[&str]) -> Value {
    json_on(db, None, args)
}

fn json_on(db: &Path, today: Option<&str>, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let o = cli_on(db, today, &all);
    assert!(o.status.success(), "{args:?}: {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
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
    let run = |args: &[&str]| cli_on(&db, Some("2026-11-23"), args);
    let json = |args: &[&str]| json_on(&db, Some("2026-11-23"), args);
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

/// The shipping and paper commands of the CLI contract, on a demo shop: parcels into a B2 file
/// (CP932, confirmed replacements), tracking numbers back, labels, invoices issued, searched,
/// printed and corrected, and the bulletin mailing.
#[test]
fn ship_invoice_and_bulletin_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let run = |args: &[&str]| cli_on(&db, Some("2026-11-23"), args);
    let json = |args: &[&str]| json_on(&db, Some("2026-11-23"), args);
    let file = |name: &str| dir.path().join(name).to_string_lossy().to_string();
    assert!(run(&["init", "--demo"]).status.success());
    // A member written 髙 with a delivery today: made here, because which demo members have a
    // parcel on a given day changes whenever the demo's habits do.
    let takahashi = json(&["members", "add", "--name", "髙橋 一郎", "--kana", "タカハシ イチロウ", "--phone", "03-1234-5678",
        "--postal-code", "1540015", "--prefecture", "東京都", "--city", "世田谷区", "--street", "桜新町2-3-4"]);
    let code = takahashi["code"].as_str().unwrap();
    json(&["subscriptions", "new", "--member", code, "--course", "AOJIRU", "--first", "2026-11-23"]);
    assert_eq!(json(&["month", "run", "2026-11"])["orders"].as_array().map(Vec::len), Some(1));

    // B2: without a confirmed replacement for 髙 nothing is written.
    let o = run(&["ship", "export-b2", "--date", "2026-11-23", "-o", &file("b2.csv")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("「髙」"), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(!dir.path().join("b2.csv").exists());
    let f = json(&["ship", "export-b2", "--date", "2026-11-23", "--replace", "髙=高", "-o", &file("b2.csv")]);
    let rows = f["rows"].as_u64().unwrap();
    assert!(rows > 10, "{f}");
    let bytes = std::fs::read(dir.path().join("b2.csv")).unwrap();
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad && text.contains("\r\n") && !text.contains('髙'));
    let first: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(first.len(), 95);
    assert_eq!((first[0], first[4]), ("S0000001", "2026/11/23"));
    assert!(first[10].len() == 8 && first[10].as_bytes()[3] == b'-', "postal code NNN-NNNN: {}", first[10]);
    assert_eq!((first[39], first[41]), ("012345678901", "01"));

    // Tracking numbers back from B2's issued-slip file, by お客様管理番号.
    let issued = "お客様管理番号,送り状種類,クール区分,伝票番号\r\nS0000001,0,0,4000-1111-2222\r\nS0000002,0,0,400011112223\r\n";
    std::fs::write(dir.path().join("issued.csv"), encoding_rs::SHIFT_JIS.encode(issued).0).unwrap();
    let t = json(&["ship", "import-tracking", &file("issued.csv")]);
    assert_eq!(t["attached"], serde_json::json!(["S0000001", "S0000002"]));
    let list = json(&["ship", "list", "--date", "2026-11-23"]);
    let s1 = list.as_array().unwrap().iter().find(|s| s["number"] == "S0000001").unwrap();
    assert_eq!((s1["status"].as_str(), s1["tracking_number"].as_str()), (Some("shipped"), Some("400011112222")));

    // Labels and delivery slips for the day's parcels.
    let l = json(&["ship", "labels", "--date", "2026-11-23", "--sheet", "12", "--start", "5", "-o", &file("labels.pdf")]);
    assert_eq!(l["labels"].as_u64(), Some(rows));
    assert!(std::fs::read(dir.path().join("labels.pdf")).unwrap().starts_with(b"%PDF"));
    json(&["ship", "slips", "--date", "2026-11-23", "-o", &file("slips.pdf")]);

    // Invoices: by order, by member and month, searched, printed, corrected.
    let inv = json(&["invoice", "issue", "--order", s1["orders"][0].as_str().unwrap()]);
    assert_eq!(inv["number"], "I0000001");
    let member = inv["member"].as_str().unwrap().to_string();
    json(&["invoice", "pdf", "I0000001", "-o", &file("I0000001.pdf")]);
    if let Ok(out) = Command::new("pdftotext").args(["-layout", &file("I0000001.pdf"), "-"]).output() {
        let text = String::from_utf8_lossy(&out.stdout);
        for item in ["適格請求書", "デモ通販（サンプル）", "T8000000000001", "I0000001", "合計"] {
            assert!(text.contains(item), "{item} in\n{text}");
        }
    }
    let all = json(&["invoice", "issue", "--all", "--period", "2026-10"]);
    assert!(!all["issued"].as_array().unwrap().is_empty());
    let found = json(&["invoices", "search", "--from", "2026-11-01", "--to", "2026-11-30", "--min", "1", "--member", &member]);
    assert!(found.as_array().unwrap().iter().all(|i| i["member"] == member.as_str()));
    assert!(found.as_array().unwrap().iter().any(|i| i["number"] == "I0000001"));
    let p = json(&["invoices", "print", "--from", "2026-11-01", "-o", &file("all.pdf")]);
    assert!(p["documents"].as_u64().unwrap() >= 2);
    let re = json(&["invoice", "reissue", "I0000001", "--reason", "宛名の誤り"]);
    assert_eq!(re["replaces"], "I0000001");
    let void = json(&["invoices", "search", "--status", "void"]);
    assert_eq!(void.as_array().unwrap()[0]["number"], "I0000001");

    // The bulletin mailing after the month's run.
    json(&["month", "run", "2026-12"]);
    let m = json(&["bulletin", "list", "2026-12"]);
    let mailed = m["rows"].as_array().unwrap().len();
    assert!(mailed > 0);
    let codes: Vec<&str> = m["rows"].as_array().unwrap().iter().map(|r| r["postal_code"].as_str().unwrap()).collect();
    assert!(codes.windows(2).all(|w| w[0] <= w[1]), "sorted by postal code");
    let e = json(&["bulletin", "export", "2026-12", "--accept-suggestions", "-o", &file("mail.csv")]);
    assert_eq!(e["rows"].as_u64(), Some(mailed as u64));
    let mail_bytes = std::fs::read(dir.path().join("mail.csv")).unwrap();
    let (mail, _, bad) = encoding_rs::SHIFT_JIS.decode(&mail_bytes);
    assert!(!bad && mail.starts_with("郵便番号,住所1,住所2,会社名,氏名,敬称,会員番号\r\n"));
    let l = json(&["bulletin", "labels", "2026-12", "-o", &file("bulletin.pdf")]);
    assert_eq!(l["labels"].as_u64(), Some(mailed as u64));
    // A returned letter takes the member off the next list.
    let code = m["rows"][0]["member"].as_str().unwrap();
    json(&["members", "mail-returned", code]);
    let m2 = json(&["bulletin", "list", "2026-12"]);
    assert_eq!(m2["rows"].as_array().unwrap().len(), mailed - 1);
    assert!(m2["excluded"].as_array().unwrap().iter().any(|x| x["member"] == code));
}

#[test]
fn bank_payments_debit_and_dunning_commands() {
    use teikibin_core::zengin::statement::Direction;
    use teikibin_core::zengin::testfiles::{statement_03, Sep, StatementRow};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let json = |args: &[&str]| json_on(&db, Some("2026-11-23"), args);
    let file = |name: &str| dir.path().join(name).to_string_lossy().to_string();
    assert!(cli(&db, &["init", "--demo"]).status.success());
    json(&["invoice", "issue", "--all", "--period", "2026-10"]);

    // Two members with exactly one open invoice each, paid by transfer.
    let open = json(&["invoices", "list", "--status", "open"]);
    let open = open.as_array().unwrap();
    let single: Vec<&Value> = open.iter().filter(|i| open.iter().filter(|j| j["member"] == i["member"]).count() == 1).collect();
    let (a, b) = (single[0], single[1]);
    let kana = |code: &str| {
        let m = json(&["members", "show", code]);
        teikibin_core::zengin::zengin_kana(m["kana"].as_str().unwrap())
    };
    let day = "2026-11-25".parse().unwrap();
    let code_a = a["member"].as_str().unwrap();
    let rows = [
        StatementRow::new(1, day, Direction::In, a["balance"].as_i64().unwrap(), &format!("{} {}", code_a, kana(code_a))),
        StatementRow::new(2, day, Direction::Out, 880, "ﾃｽｳﾘﾖｳ"),
        StatementRow::new(3, day, Direction::In, b["balance"].as_i64().unwrap() - 440, &kana(b["member"].as_str().unwrap())),
        StatementRow::new(4, day, Direction::In, 12_345, "ﾀﾞﾚﾃﾞﾓﾅｲ ｼﾞﾛｳ"),
    ];
    std::fs::write(file("nov.txt"), statement_03(&rows, Sep::CrLf)).unwrap();
    let dry = json(&["bank", "import", &file("nov.txt"), "--dry-run"]);
    assert_eq!(dry["import"], Value::Null);
    let r = json(&["bank", "import", &file("nov.txt")]);
    assert_eq!((r["deposits"].as_u64(), r["ignored"].as_u64(), r["duplicate"].as_bool()), (Some(3), Some(1), Some(false)), "{r}");
    assert_eq!(r["auto"][0]["line"], 2);
    assert_eq!(r["auto"][0]["member"], a["member"]);
    assert_eq!(r["auto"][0]["invoices"], serde_json::json!([a["number"]]));
    assert!(r["auto"][0]["reason"].as_str().unwrap().contains("会員番号"), "{r}");
    let s = &r["suggested"][0];
    assert_eq!((s["line"].as_u64(), s["candidates"][0]["member"].clone()), (Some(4), b["member"].clone()), "{r}");
    assert_eq!(r["unmatched"][0], serde_json::json!({"line": 5, "amount": 12345, "remitter": "ﾀﾞﾚﾃﾞﾓﾅｲ ｼﾞﾛｳ"}));
    let again = json(&["bank", "import", &file("nov.txt")]);
    assert_eq!((again["duplicate"].as_bool(), again["auto"].as_array().unwrap().len()), (Some(true), 0));

    let import = r["import"].as_i64().unwrap().to_string();
    let done = json(&["bank", "confirm", &import, "4", "--member", b["member"].as_str().unwrap(), "--invoices", b["number"].as_str().unwrap()]);
    assert_eq!((done["state"].as_str(), done["booked"]["fee"].as_i64()), (Some("matched"), Some(440)));
    let paid = json(&["invoices", "search", "--member", b["member"].as_str().unwrap()]);
    assert_eq!(paid.as_array().unwrap().iter().find(|i| i["number"] == b["number"]).unwrap()["status"], "paid");
    let pays = json(&["payments", "list"]);
    assert_eq!(pays["total"].as_u64(), Some(2));
    let o = cli_on(&db, Some("2026-11-23"), &["bank", "confirm", &import, "4", "--member", b["member"].as_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "a matched line cannot be booked twice");
    json(&["bank", "report", &import, "-o", &file("report.csv")]);

    // Direct debit: the demo's debit payers, the month's request, a result with one failure.
    let req = json(&["debit", "export", "2026-11", "-o", &file("debit.txt")]);
    let items = req["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{req}");
    let bytes = std::fs::read(file("debit.txt")).unwrap();
    let parsed = teikibin_core::zengin::debit::parse_debit_file(&bytes, "debit.txt").unwrap();
    assert_eq!((parsed.records.len(), parsed.header.debit_day), (items.len(), 27));
    let mut records = parsed.records.clone();
    records[0].result = "1".into();
    std::fs::write(file("result.txt"), teikibin_core::zengin::testfiles::debit_file(&parsed.header, &records, true, Sep::CrLf)).unwrap();
    let res = json(&["debit", "import-result", &file("result.txt"), "--failed", "carry"]);
    assert_eq!((res["collected"].as_u64(), res["failed"][0]["result_label"].as_str()), (Some(items.len() as u64 - 1), Some("資金不足")));
    assert_eq!(json(&["debit", "list", "2026-12"])["items"][0]["member"], items[0]["member"], "carried to December");

    // A month later, the rest is overdue: letters are made and logged.
    let late = |args: &[&str]| json_on(&db, Some("2026-12-28"), args);
    let list = late(&["dunning", "list", "--days", "1"]);
    assert!(!list["members"].as_array().unwrap().is_empty());
    let first = list["members"][0]["member"].as_str().unwrap().to_string();
    let run = late(&["dunning", "letters", "--members", &first, "-o", &file("letters.pdf")]);
    assert_eq!(run["letters"], 1);
    assert!(std::fs::read(file("letters.pdf")).unwrap().starts_with(b"%PDF"));
    let again = late(&["dunning", "list", "--days", "1"]);
    let m = again["members"].as_array().unwrap().iter().find(|m| m["member"] == first.as_str()).unwrap();
    assert_eq!(m["next_level"], 2);
}

#[test]
fn report_commands_print_tables_json_csv_pdf_and_member_lists() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let today = Some("2026-11-23");
    let json = |args: &[&str]| json_on(&db, today, args);
    let file = |name: &str| dir.path().join(name).to_string_lossy().to_string();
    assert!(cli(&db, &["init", "--demo"]).status.success());
    for kind in ["members", "retention", "cohorts", "3s", "sales", "forecast", "rfm", "cpm", "receivables"] {
        let o = cli_on(&db, today, &["report", kind]);
        assert!(o.status.success(), "{kind}: {}", String::from_utf8_lossy(&o.stderr));
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(text.contains("■ "), "{kind}: {text}");
        let csv = file(&format!("{kind}.csv"));
        let w = json(&["report", kind, "--csv", &csv]);
        assert_eq!(w["encoding"], "cp932", "{kind}");
        let bytes = std::fs::read(&csv).unwrap();
        assert!(encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(&bytes).is_some(), "{kind}");
    }
    // --json: the typed result; sales by month with every table adding up.
    let s = json(&["report", "sales", "--from", "2026-01", "--to", "2026-06"]);
    assert_eq!(s["months"].as_array().unwrap().len(), 6);
    let total: i64 = s["total"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).sum();
    let tracks: i64 = s["tracks"].as_array().unwrap().iter().flat_map(|t| t[1].as_array().unwrap().iter().map(|v| v.as_i64().unwrap())).sum();
    assert_eq!(total, tracks);
    assert!(total > 0);
    let f = json(&["report", "forecast"]);
    assert_eq!(f["months"][0]["certain"], true);
    assert_eq!(f["months"].as_array().unwrap().len(), 12);
    let r = json(&["report", "retention", "--course", "1"]);
    assert!(r["steps"][0]["reached"].as_u64().unwrap() > 0);
    // A subscription taken today by referral shows up under its 申込経路.
    let member = json(&["members", "list"]).as_array().unwrap().iter().find(|m| m["status"] == "active").unwrap()["code"].as_str().unwrap().to_string();
    let course = json(&["courses", "list"]).as_array().unwrap().iter().find(|c| c["kind"] == "regular" && c["active"] == true).unwrap()["code"].as_str().unwrap().to_string();
    let s = json(&["subscriptions", "new", "--member", &member, "--course", &course, "--channel", "知人の紹介"]);
    assert_eq!(s["subscription"]["channel"], "知人の紹介");
    let r = json(&["report", "retention"]);
    assert!(r["by_channel"].as_array().unwrap().iter().any(|g| g["name"] == "知人の紹介" && g["subscriptions"] == 1), "{}", r["by_channel"]);
    // The members behind a CPM cell, and their mailing CSV.
    let c = json(&["report", "cpm"]);
    let steady = c["cpm"].as_array().unwrap().iter().find(|r| r[0] == "steady" && r[1] == true).unwrap()[2].as_u64().unwrap();
    let l = json(&["report", "cpm", "--list", "cpm:steady:active"]);
    assert_eq!(l["count"].as_u64().unwrap(), steady);
    let m = json(&["report", "cpm", "--list", "cpm:steady:active", "--csv", &file("mail.csv")]);
    assert_eq!(m["written"].as_u64().unwrap() + m["left_out"].as_u64().unwrap(), steady);
    let pdf = file("cpm.pdf");
    json(&["report", "cpm", "--pdf", &pdf]);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    // Refusals name the field.
    for (args, field) in [(vec!["report", "sales", "--from", "2026/01"], "開始月"), (vec!["report", "nope"], "集計の種類"), (vec!["report", "cpm", "--list", "x:y"], "一覧の指定")] {
        let o = cli_on(&db, today, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains(field), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
}
