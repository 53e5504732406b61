//! Importing a shop's old data, on real SQLite files, from real CP932 (and UTF-8) files as Excel
//! and old packages write them: every rule of the import issue, and the CLI contract.
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use teikibin_core::import::{ImportKind, ImportOptions, ImportReport, Source};
use teikibin_core::invoices::{InvoiceSearch, InvoiceStatus};
use teikibin_core::members::MemberStatus;
use teikibin_core::{Db, ErrorCode};

fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable, "fixture text must be CP932");
    bytes.into_owned()
}

/// Lines joined with CRLF, as Excel saves them, encoded as CP932.
fn excel_csv(lines: &[&str]) -> Vec<u8> {
    cp932(&(lines.join("\r\n") + "\r\n"))
}

fn source(name: &str, bytes: Vec<u8>) -> Source {
    Source { file_name: name.into(), bytes }
}

fn import(db: &mut Db, kind: ImportKind, s: &Source, opts: &ImportOptions) -> ImportReport {
    db.import(kind, s, opts, false, &mut |_| {}).unwrap()
}

fn db() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("shop.db")).unwrap();
    (dir, db)
}

const MEMBERS: &[&str] = &[
    "顧客コード,お名前,ﾌﾘｶﾞﾅ,〒,住所1,住所2,TEL,携帯,E-mail,生年月日,登録日,状態,備考,対応履歴",
    "1001,山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,100-0005,東京都千代田区丸の内1-1-1,丸の内ビル3F,312345678,,taro@example.jp,S45.3.3,43556,,\"よく電話をくださる\r\n甘いもの好き\",\"2023/4/1 電話 配送日の変更\r\n午後指定\"",
    "1002,鈴木 花子,すずき はなこ,〒530-0001,大阪府大阪市北区梅田１－１,,06-1234-5678,090-1111-2222,,平成元年2月3日,2019年4月1日,休止,,",
    "",
    "1003,髙橋 ①子,ﾀｶﾊｼ ｲﾁｺ,0600001,北海道札幌市中央区北一条西2,,011-222-3333,,,R1.5.1,令和元年5月1日,退会,,",
];

#[test]
fn a_cp932_member_list_comes_in_with_every_value_repaired() {
    let (_d, mut db) = db();
    let r = import(&mut db, ImportKind::Members, &source("顧客.csv", excel_csv(MEMBERS)), &ImportOptions::default());
    assert_eq!((r.imported, r.updated, r.skipped), (3, 0, 0), "{:?}", r.errors);
    assert!(r.errors.is_empty());
    // The phone that Excel stripped of its 0 is repaired, with a warning on its row.
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert_eq!((r.warnings[0].line, r.warnings[0].field.as_str(), r.warnings[0].column.as_str()), (2, "phone", "TEL"));
    let taro = db.member("1001").unwrap();
    assert_eq!(taro.phone, "0312345678");
    assert_eq!(taro.kana, "ヤマダ タロウ");
    assert_eq!((taro.prefecture.as_str(), taro.city.as_str(), taro.street.as_str(), taro.building.as_str()), ("東京都", "千代田区", "丸の内1-1-1", "丸の内ビル3F"));
    assert_eq!(taro.birthday.unwrap().to_string(), "1970-03-03");
    assert_eq!(taro.joined_on.to_string(), "2019-04-01", "Excel serial 43556");
    assert_eq!(taro.notes, "よく電話をくださる\r\n甘いもの好き");
    let d = db.member_detail("1001").unwrap();
    assert_eq!(d.contacts.len(), 1);
    assert_eq!((d.contacts[0].channel.as_str(), d.contacts[0].body.as_str()), ("電話", "配送日の変更\n午後指定"));
    let hanako = db.member("1002").unwrap();
    assert_eq!(hanako.kana, "スズキ ハナコ");
    assert_eq!(hanako.postal_code, "530-0001");
    assert_eq!(hanako.status, MemberStatus::Suspended);
    assert_eq!(hanako.birthday.unwrap().to_string(), "1989-02-03");
    // Row 5 (after a blank line) keeps its Excel row number and its characters.
    let ichiko = db.member("1003").unwrap();
    assert_eq!(ichiko.name, "髙橋 ①子");
    assert_eq!(ichiko.status, MemberStatus::Withdrawn);
    assert_eq!(ichiko.joined_on.to_string(), "2019-05-01");
    assert_eq!(ichiko.postal_code, "060-0001");
    // The search finds imported members at once.
    let page = db
        .search_members(&teikibin_core::members::search::SearchQuery { text: "ﾀｶﾊｼ".into(), status: None, offset: 0, limit: 10 })
        .unwrap();
    assert_eq!(page.rows[0].code, "1003");
}

#[test]
fn one_bad_row_means_nothing_is_written_and_every_error_has_its_row() {
    let (_d, mut db) = db();
    let file = excel_csv(&[
        "会員番号,氏名,電話番号,生年月日,状態",
        "1,山田 太郎,03-1234-5678,1970/1/1,",
        "2,,abc,令和99年13月1日,謎",
        "\"3\",\"田中 \"\"一郎\"\"\",,,",
        "1,二重 太郎,,,",
        "4,列が多い,,,,,余分",
    ]);
    let r = import(&mut db, ImportKind::Members, &source("m.csv", file.clone()), &ImportOptions::default());
    assert!(r.refused());
    assert_eq!((r.imported, r.updated), (0, 0));
    let at = |line: u32, field: &str| r.errors.iter().any(|e| e.line == line && e.field == field);
    assert!(at(3, "name") && at(3, "phone") && at(3, "birthday") && at(3, "status"), "{:#?}", r.errors);
    assert!(r.errors.iter().find(|e| e.line == 3 && e.field == "birthday").unwrap().message.contains("13月"));
    assert!(at(5, "code"), "a code used twice is an error on the later row");
    assert!(r.errors.iter().any(|e| e.line == 6 && e.message.contains("列が見出しより多く")), "ragged rows are reported");
    assert!(r.errors.iter().all(|e| !e.message.is_empty()));
    assert_eq!(db.member_counts().unwrap().iter().map(|(_, n)| n).sum::<u64>(), 0, "nothing written");
    assert!(db.import_batches().unwrap().is_empty());

    // --skip-invalid: the good rows come in, the rest are reported and can be saved to fix in Excel.
    let opts = ImportOptions { skip_invalid: true, ..Default::default() };
    let r = import(&mut db, ImportKind::Members, &source("m.csv", file.clone()), &opts);
    assert_eq!((r.imported, r.skipped), (2, 3));
    assert_eq!(db.member("3").unwrap().name, "田中 \"一郎\"");
    let rejected = teikibin_core::import::rejected_rows_csv(&source("m.csv", file), &r.errors).unwrap();
    assert_eq!(rejected.rows, 3);
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&rejected.bytes);
    assert!(!bad, "the rejected rows come back in the file's own encoding (CP932)");
    assert!(text.starts_with("会員番号,氏名,電話番号,生年月日,状態,エラー内容\r\n"), "{text}");
    assert!(text.contains("4,列が多い,,,,,余分"), "a ragged row comes back whole: {text}");
    assert!(text.contains("3行目"), "{text}");
}

#[test]
fn headers_by_meaning_utf8_with_bom_and_blank_codes_numbered() {
    let (_d, mut db) = db();
    let text = "\u{feff}ｺｰﾄﾞ,お客様名,ふりがな,郵便番号,都道府県,市区町村,番地,電話,メールアドレス,誕生日,入会日,ステータス,メモ\n\
                ,佐藤 一郎,さとう いちろう,1540015,東京都,世田谷区,桜新町2-3-4,０９０－１２３４－５６７８,ICHIRO@Example.JP,2000-01-02,2024/4/1,有効,\n\
                A-7,株式会社 森,ﾓﾘ,1000005,東京都,千代田区,丸の内1,03-1111-2222,,,,,\n";
    let r = import(&mut db, ImportKind::Members, &source("u.csv", text.as_bytes().to_vec()), &ImportOptions::default());
    assert_eq!(r.imported, 2, "{:?}", r.errors);
    let p = db.preview_import(ImportKind::Members, &source("u.csv", text.as_bytes().to_vec()), &ImportOptions::default()).unwrap();
    assert_eq!(p.encoding, "UTF-8（BOM付き）");
    assert_eq!(p.mapping[0].as_deref(), Some("code"));
    assert_eq!(p.mapping[8].as_deref(), Some("email"));
    let first = db.member("000001").unwrap();
    assert_eq!(first.name, "佐藤 一郎");
    assert_eq!(first.mobile, "090-1234-5678", "a mobile number in the phone column is filed as the mobile");
    assert_eq!(first.email, "ICHIRO@Example.JP", "kept as written; matching ignores case");
    assert_eq!(db.member("A-7").unwrap().street, "丸の内1");
}

#[test]
fn existing_codes_are_errors_unless_updating_and_updates_can_be_undone() {
    let (_d, mut db) = db();
    let v1 = excel_csv(&["会員番号,氏名,電話", "1,山田 太郎,03-1234-5678", "2,鈴木 花子,"]);
    let first = import(&mut db, ImportKind::Members, &source("v1.csv", v1), &ImportOptions::default());
    let v2 = excel_csv(&["会員番号,氏名,電話", "1,山田 太郎,090-9999-8888", "3,田中 一郎,"]);
    let r = import(&mut db, ImportKind::Members, &source("v2.csv", v2.clone()), &ImportOptions::default());
    assert!(r.refused());
    assert!(r.errors[0].message.contains("すでに登録"), "{:?}", r.errors);
    let upd = ImportOptions { update_existing: true, staff: "佐藤".into(), ..Default::default() };
    let r = import(&mut db, ImportKind::Members, &source("v2.csv", v2), &upd);
    assert_eq!((r.imported, r.updated), (1, 1));
    assert_eq!(db.member("1").unwrap().mobile, "090-9999-8888");
    let h = db.member_detail("1").unwrap().history;
    assert!(h.iter().any(|e| e.detail.contains("取込 v2.csv") && e.detail.contains("090-9999-8888")), "{h:#?}");

    // Undo the update: member 1 gets its old phone back, member 3 is gone, the batch stays on record.
    let batch = r.batch.unwrap();
    let undone = db.undo_import(&batch, "佐藤").unwrap();
    assert!(undone.undone_at.is_some());
    let back = db.member("1").unwrap();
    assert_eq!((back.phone.as_str(), back.mobile.as_str()), ("03-1234-5678", ""));
    assert_eq!(db.member("3").unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(db.import_batches().unwrap().len(), 2);
    assert_eq!(db.undo_import(&batch, "").unwrap_err().code, ErrorCode::Conflict, "undone once only");

    // A batch whose members were edited since cannot be undone.
    db.update_member("2", &teikibin_core::members::MemberInput { name: "鈴木 はな".into(), joined_on: db.member("2").unwrap().joined_on.to_string(), ..Default::default() }, "").unwrap();
    let e = db.undo_import(first.batch.as_ref().unwrap(), "").unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("会員 2 の変更"), "{}", e.message);
}

#[test]
fn the_same_file_twice_needs_confirmation() {
    let (_d, mut db) = db();
    let f = source("m.csv", excel_csv(&["会員番号,氏名", "1,山田 太郎"]));
    import(&mut db, ImportKind::Members, &f, &ImportOptions::default());
    let p = db.preview_import(ImportKind::Members, &f, &ImportOptions::default()).unwrap();
    assert!(p.same_file.is_some());
    let e = db.import(ImportKind::Members, &f, &ImportOptions { update_existing: true, ..Default::default() }, false, &mut |_| {}).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("取り込み済み"));
    let r = import(&mut db, ImportKind::Members, &f, &ImportOptions { update_existing: true, allow_same_file: true, ..Default::default() });
    assert_eq!(r.updated, 1);
}

#[test]
fn a_mapping_the_user_corrected_is_remembered_and_missing_required_fields_refuse() {
    let (_d, mut db) = db();
    let f = source("odd.csv", excel_csv(&["番号,お客様のお名前,旧ランク", "1,山田 太郎,A"]));
    let p = db.preview_import(ImportKind::Members, &f, &ImportOptions::default()).unwrap();
    assert_eq!(p.missing, ["氏名"]);
    let e = db.import(ImportKind::Members, &f, &ImportOptions::default(), false, &mut |_| {}).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("mapping"));
    let mapping = Some(vec![Some("code".to_string()), Some("name".to_string()), None]);
    let r = import(&mut db, ImportKind::Members, &f, &ImportOptions { mapping, ..Default::default() });
    assert_eq!(r.imported, 1);
    // Next month's file from the same system is mapped the same way without asking.
    let g = source("odd2.csv", excel_csv(&["番号,お客様のお名前,旧ランク", "2,鈴木 花子,B"]));
    let p = db.preview_import(ImportKind::Members, &g, &ImportOptions::default()).unwrap();
    assert_eq!(p.mapping, [Some("code".to_string()), Some("name".to_string()), None]);
    assert!(p.missing.is_empty());
}

fn catalogue_and_members(db: &mut Db) {
    let m = excel_csv(&["会員番号,氏名", "1,山田 太郎", "2,鈴木 花子"]);
    assert_eq!(import(db, ImportKind::Members, &source("m.csv", m), &ImportOptions::default()).imported, 2);
    let p = excel_csv(&["商品コード,商品名,商品群,税込価格,税率,単位", "A01,青汁 30包,健康食品,\"¥3,980\",8%,箱", "B01,マグカップ,雑貨,1200,10,個", "C01,お試しセット,健康食品,980,軽減,"]);
    let r = import(db, ImportKind::Products, &source("p.csv", p), &ImportOptions::default());
    assert_eq!(r.imported, 3, "{:?}", r.errors);
}

#[test]
fn products_subscriptions_orders_payments_and_receivables() {
    let (_d, mut db) = db();
    catalogue_and_members(&mut db);
    let products = db.products().unwrap();
    assert_eq!((products[0].code.as_str(), products[0].unit_price, products[0].tax_rate), ("A01", 3980, 8));

    let s = excel_csv(&[
        "定期番号,会員番号,コース,商品コード,数量,周期,次回お届け日,価格,支払方法,状態,媒体",
        "S1,1,青汁定期,A01,2,毎月,2026/12/31,3580,口座振替,継続,新聞広告",
        "S2,2,,B01,,隔週,R8.12.5,,代引,休止,",
        "S3,9,,A01,1,ときどき,,,ポイント,,",
    ]);
    let r = import(&mut db, ImportKind::Subscriptions, &source("s.csv", s.clone()), &ImportOptions::default());
    assert!(r.refused());
    let fields: Vec<_> = r.errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(fields, [(4, "member"), (4, "interval"), (4, "next_date"), (4, "payment_method")], "{:#?}", r.errors);
    db.change_member_status("2", &teikibin_core::members::StatusChange { status: MemberStatus::Withdrawn, effective_on: "".into(), reason: "転居".into(), staff: "".into() }).unwrap();
    let r = import(&mut db, ImportKind::Subscriptions, &source("s.csv", s), &ImportOptions { skip_invalid: true, ..Default::default() });
    assert_eq!((r.imported, r.skipped), (2, 1));
    assert!(r.warnings.iter().any(|w| w.line == 3 && w.message.contains("退会済み")), "{:#?}", r.warnings);
    // 媒体 is read as the subscription's 申込経路.
    let subs = db.subscriptions(&Default::default()).unwrap().subscriptions;
    assert_eq!(subs.iter().find(|s| s.legacy_id.as_deref() == Some("S1")).unwrap().channel, "新聞広告");

    let o = excel_csv(&[
        "受注番号,受注日,会員番号,商品コード,商品名,数量,単価,金額,税率,送料",
        "O-1,2025/1/10,1,A01,,2,3980,,,500",
        "O-1,2025/1/10,1,B01,,1,1200,,,",
        "O-2,2025/2/10,2,,年会費,1,,5000,10,",
        "O-3,2025/3/10,2,A01,,1,3980,,,",
        "O-3,2025/3/11,2,ZZZ,謎の品,1,,abc,,",
    ]);
    let r = import(&mut db, ImportKind::Orders, &source("o.csv", o), &ImportOptions { skip_invalid: true, ..Default::default() });
    assert_eq!(r.imported, 2, "{:#?}", r.errors);
    // Both rows of O-3 are rejected: half an order is worse than none.
    assert!(r.errors.iter().any(|e| e.line == 5 && e.message.contains("この受注は取り込みません")), "{:#?}", r.errors);
    assert!(r.errors.iter().any(|e| e.line == 6 && e.field == "amount"));
    assert!(r.warnings.iter().any(|w| w.line == 6 && w.field == "product"));

    let inv = excel_csv(&[
        "会員番号,請求番号,請求日,支払期限,請求額,10%対象額,8%対象額,入金済額",
        "1,INV-001,2025/10/31,2025/11/30,9660,1700,7960,",
        "2,INV-002,2025/10/31,2025/11/30,5000,,,2000",
        "1,INV-003,2025/11/30,2025/11/01,100,,,",
        "2,INV-004,2025/11/30,2025/12/31,3000,2000,2000,",
    ]);
    let r = import(&mut db, ImportKind::Receivables, &source("r.csv", inv.clone()), &ImportOptions::default());
    assert!(r.refused());
    assert_eq!(r.errors.iter().map(|e| (e.line, e.field.as_str())).collect::<Vec<_>>(), [(4, "due_on"), (5, "amount_10")]);
    let r = import(&mut db, ImportKind::Receivables, &source("r.csv", inv), &ImportOptions { skip_invalid: true, ..Default::default() });
    assert_eq!(r.imported, 2);
    // Oldest first, as the old system numbered them (the search lists newest first).
    let by_number = |db: &Db| {
        let mut list = db.invoices(&Default::default()).unwrap().invoices;
        list.sort_by(|a, b| a.number.cmp(&b.number));
        list
    };
    let open = by_number(&db);
    assert_eq!(open.len(), 2);
    assert_eq!((open[0].number.as_str(), open[0].balance, open[0].status), ("INV-001", 9660, InvoiceStatus::Open));
    assert_eq!((open[1].paid, open[1].balance, open[1].status), (2000, 3000, InvoiceStatus::Partial));

    let pay = excel_csv(&[
        "会員番号,入金日,入金額,入金方法,請求番号,摘要",
        "1,2025/11/20,10000,銀行振込,INV-001,ﾔﾏﾀﾞ ﾀﾛｳ",
        "2,2025/11/21,1000,現金,INV-002,",
        "2,2025/11/22,500,現金,INV-999,",
        "1,2025/11/22,0,現金,,",
    ]);
    let r = import(&mut db, ImportKind::Payments, &source("pay.csv", pay), &ImportOptions { skip_invalid: true, ..Default::default() });
    assert_eq!(r.imported, 2, "{:#?}", r.errors);
    assert!(r.warnings.iter().any(|w| w.line == 2 && w.message.contains("前受金")), "overpayment is kept as credit: {:#?}", r.warnings);
    let list = by_number(&db);
    assert_eq!((list[0].paid, list[0].balance, list[0].status), (9660, 0, InvoiceStatus::Paid));
    assert_eq!((list[1].paid, list[1].balance), (3000, 2000));
    assert_eq!(db.invoices(&InvoiceSearch { status: Some(InvoiceStatus::Partial), ..Default::default() }).unwrap().invoices.len(), 1);

    // Products used by subscriptions cannot be taken back; payments can.
    let batches = db.import_batches().unwrap();
    let products_batch = batches.iter().find(|b| b.kind == ImportKind::Products).unwrap();
    assert!(db.undo_import(&products_batch.id, "").unwrap_err().message.contains("商品 A01 を使う定期購入"));
    let payments_batch = batches.iter().find(|b| b.kind == ImportKind::Payments).unwrap();
    db.undo_import(&payments_batch.id, "").unwrap();
    assert_eq!(by_number(&db)[0].balance, 9660);
}

#[test]
fn order_tax_is_rounded_once_per_rate() {
    let (_d, mut db) = db();
    catalogue_and_members(&mut db);
    // Three ¥333 lines at 10%, tax-included: per line floor would be 30 × 3 = 90; once: 999 × 10/110 = 90.8 → 90.
    // Three ¥105 lines at 8%: per line 7 × 3 = 21; once: 315 × 8/108 = 23.3 → 23.
    let o = excel_csv(&[
        "受注番号,受注日,会員番号,商品名,金額,税率",
        "T-1,2025/1/10,1,a,333,10", "T-1,2025/1/10,1,b,333,10", "T-1,2025/1/10,1,c,333,10",
        "T-1,2025/1/10,1,d,105,8", "T-1,2025/1/10,1,e,105,8", "T-1,2025/1/10,1,f,105,8",
    ]);
    assert_eq!(import(&mut db, ImportKind::Orders, &source("t.csv", o), &ImportOptions::default()).imported, 1);
    let path = db.path().to_path_buf();
    drop(db);
    let c = rusqlite::Connection::open(path).unwrap();
    let got: (i64, i64, i64, i64, i64) = c
        .query_row("SELECT total_10, tax_10, total_8, tax_8, total FROM orders WHERE number = 'T-1'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap();
    assert_eq!(got, (999, 90, 315, 23, 1314));
}

// ---- the CLI contract ----

fn cli(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_teikibin-cli")).arg("--db").arg(db).args(args).env_remove("TEIKIBIN_DB").output().expect("run teikibin-cli")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn cli_import_json_exit_codes_mapping_file_undo_and_invoices() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let bad = write(dir.path(), "顧客.csv", &excel_csv(&["顧客コード,お名前,TEL", "1001,山田 太郎,312345678", "1002,,03-1234-5678", "1001,二重,"]));
    let o = cli(&db, &["--json", "import", "members", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "errors: exit 1, nothing written");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    for key in ["imported", "updated", "skipped", "errors", "warnings", "duplicates", "batch"] {
        assert!(v.get(key).is_some(), "key {key} in {v}");
    }
    assert_eq!(v["imported"], 0);
    assert_eq!(v["batch"], Value::Null);
    assert_eq!(v["errors"][0]["line"], 3);
    assert_eq!(v["errors"][0]["field"], "name");
    assert_eq!(v["warnings"][0]["line"], 2);

    let o = cli(&db, &["--json", "import", "members", bad.to_str().unwrap(), "--dry-run", "--skip-invalid"]);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["imported"].as_u64(), v["batch"].clone()), (Some(1), Value::Null));

    let rejected = dir.path().join("rejected.csv");
    let o = cli(&db, &["--json", "import", "members", bad.to_str().unwrap(), "--skip-invalid", "--rejected", rejected.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["imported"].as_u64(), v["skipped"].as_u64()), (Some(1), Some(2)));
    let batch = v["batch"].as_str().unwrap().to_string();
    let bytes = std::fs::read(&rejected).unwrap();
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert_eq!(text.lines().count(), 3, "header + 2 rejected rows: {text}");

    // Same file again: refused with a clear message (exit 1) unless --force.
    let o = cli(&db, &["import", "members", bad.to_str().unwrap(), "--skip-invalid", "--update-existing"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("取り込み済み"));

    // A mapping file for headers nobody could guess.
    let odd = write(dir.path(), "odd.csv", &excel_csv(&["No,Customer,Tel", "2001,佐藤 一郎,090-1111-2222"]));
    let map = write(dir.path(), "map.json", r#"{"kind":"members","columns":{"No":"code","Customer":"name","Tel":"phone"}}"#.as_bytes());
    let o = cli(&db, &["--json", "import", "members", odd.to_str().unwrap(), "--mapping", map.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let shown: Value = serde_json::from_slice(&cli(&db, &["--json", "members", "show", "2001"]).stdout).unwrap();
    assert_eq!(shown["mobile"], "090-1111-2222");

    // Receivables in, listed as open invoices with the contract's keys.
    let r = write(dir.path(), "r.csv", &excel_csv(&["顧客番号,請求書番号,請求日,支払期日,請求金額", "1001,INV-1,2025/10/31,2025/11/30,\"3,980\""]));
    assert_eq!(cli(&db, &["import", "receivables", r.to_str().unwrap()]).status.code(), Some(0));
    let o = cli(&db, &["--json", "invoices", "list", "--status", "open"]);
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list[0]["number"], "INV-1");
    for key in ["number", "member", "issued_on", "due_on", "amount", "paid", "balance", "status"] {
        assert!(list[0].get(key).is_some(), "key {key} in {list}");
    }
    assert_eq!((list[0]["amount"].as_i64(), list[0]["balance"].as_i64(), list[0]["status"].as_str()), (Some(3980), Some(3980), Some("open")));

    // Undo of the members batch is refused: an invoice now depends on member 1001.
    let o = cli(&db, &["import", "undo", &batch]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("会員 1001 の請求"), "{}", String::from_utf8_lossy(&o.stderr));
    let o = cli(&db, &["--json", "import", "batches"]);
    assert_eq!(serde_json::from_slice::<Value>(&o.stdout).unwrap().as_array().unwrap().len(), 3);
}

#[test]
fn unknown_postal_codes_warn_and_likely_duplicates_are_reported() {
    let (dir, mut db) = db();
    let ken_all = dir.path().join("KEN_ALL.CSV");
    std::fs::write(
        &ken_all,
        cp932("13101,\"100  \",\"1000005\",\"ﾄｳｷｮｳﾄ\",\"ﾁﾖﾀﾞｸ\",\"ﾏﾙﾉｳﾁ\",\"東京都\",\"千代田区\",\"丸の内\",0,0,1,0,0,0\r\n"),
    )
    .unwrap();
    db.import_postal_codes(&ken_all).unwrap();
    let before = excel_csv(&["会員番号,氏名,フリガナ,電話番号", "1,山田 太郎,ヤマダ タロウ,03-1234-5678"]);
    import(&mut db, ImportKind::Members, &source("a.csv", before), &ImportOptions::default());
    let f = excel_csv(&[
        "会員番号,氏名,フリガナ,郵便番号,住所,電話番号",
        "2,山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,100-0005,東京都千代田区丸の内1-1,03-1234-5678",
        "3,佐藤 花子,ｻﾄｳ ﾊﾅｺ,999-9999,東京都千代田区丸の内1-2,",
    ]);
    let r = import(&mut db, ImportKind::Members, &source("b.csv", f), &ImportOptions::default());
    assert_eq!(r.imported, 2, "a well-formed unknown postal code is a warning, not an error: {:?}", r.errors);
    let w: Vec<_> = r.warnings.iter().map(|w| (w.line, w.field.as_str())).collect();
    assert_eq!(w, [(3, "postal_code")], "{:#?}", r.warnings);
    assert!(r.warnings[0].message.contains("999-9999"));
    assert_eq!(r.duplicates, [["1".to_string(), "2".to_string()]], "the same person under two codes is reported, not merged");
    assert!(db.member("2").unwrap().merged_into.is_none());
}
