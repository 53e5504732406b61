//! Backups, restores and integrity checks on real files: the core API (create, list, verify,
//! restore with its safety copy, rotation on pretended dates, the copies before an import and a
//! monthly run, encryption) and the CLI contract (`backup create|list|verify|restore`,
//! `db check` on a deliberately damaged copy).
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use teikibin_core::backup::{self, BackupReason, BackupSettings};
use teikibin_core::clock::pretend_today;
use teikibin_core::import::{ImportKind, ImportOptions, Source};
use teikibin_core::members::MemberInput;
use teikibin_core::Db;

fn cli(db: &Path, today: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_teikibin-cli"));
    c.arg("--db").arg(db).args(args).env_remove("TEIKIBIN_DB").env_remove("TEIKIBIN_BACKUP_PASSPHRASE");
    if let Some(d) = today {
        c.env("TEIKIBIN_TODAY", d);
    }
    c.output().expect("run teikibin-cli")
}

fn json(db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let o = cli(db, None, &all);
    assert!(o.status.success(), "{args:?}: {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

fn add(db: &mut Db, name: &str, kana: &str, phone: &str) {
    let m = MemberInput { name: name.into(), kana: kana.into(), phone: phone.into(), ..Default::default() };
    db.create_member(&m, "").unwrap();
}

fn shop(dir: &Path) -> (PathBuf, Db) {
    let path = dir.join("shop.db");
    let mut db = Db::open(&path).unwrap();
    add(&mut db, "山田 太郎", "ヤマダ タロウ", "03-1234-5678");
    (path, db)
}

fn members(db: &mut Db) -> u32 {
    db.search_members(&teikibin_core::members::search::SearchQuery { text: String::new(), status: None, offset: 0, limit: 1 }).unwrap().total
}

/// Overwrites bytes in the middle of the file (the middle third of its pages, each but its
/// first and last bytes), where the members' tables and indexes are.
fn damage(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let page = 4096;
    let pages = bytes.len() / page;
    for p in pages / 3..pages * 2 / 3 {
        for b in &mut bytes[p * page + 8..(p + 1) * page - 8] {
            *b = 0xA5;
        }
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn rotation_on_pretended_dates_keeps_what_it_promises_and_nothing_foreign_goes() {
    let dir = tempfile::tempdir().unwrap();
    let (path, db) = shop(dir.path());
    let folder = dir.path().join("usb");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("家計簿.xlsx"), "not ours").unwrap();
    std::fs::write(folder.join("teikibin-backup_notes.txt"), "not ours either").unwrap();
    let s = BackupSettings { folder: folder.display().to_string(), keep_daily: 3, keep_weekly: 2, keep_monthly: 2, keep_safety: 2, ..Default::default() };
    drop(db);
    // 40 days of daily copies and a safety copy every day.
    let start = chrono::NaiveDate::from_ymd_opt(2026, 10, 28).unwrap();
    for i in 0..40u64 {
        pretend_today(Some(start + chrono::Days::new(i)));
        backup::create(&path, &folder, &s, BackupReason::Daily).unwrap();
        backup::create(&path, &folder, &s, BackupReason::BeforeImport).unwrap();
    }
    pretend_today(None);
    let list = backup::list(&folder).unwrap();
    let days: Vec<(&str, BackupReason)> = list.iter().map(|b| (&b.created_at[..10], b.reason)).collect();
    let daily: Vec<&str> = days.iter().filter(|d| d.1 == BackupReason::Daily).map(|d| d.0).collect();
    // Dec 6 is the last day (a Sunday): 3 days, the newest of November (Nov 30) and of the
    // ISO week before (Sunday Nov 29).
    assert_eq!(daily, ["2026-12-06", "2026-12-05", "2026-12-04", "2026-11-30", "2026-11-29"]);
    let safety: Vec<&str> = days.iter().filter(|d| d.1 == BackupReason::BeforeImport).map(|d| d.0).collect();
    assert_eq!(safety, ["2026-12-06", "2026-12-05"]);
    assert!(folder.join("家計簿.xlsx").exists() && folder.join("teikibin-backup_notes.txt").exists());
    assert!(list.iter().all(|b| b.verified && b.bytes > 0));
}

#[test]
fn an_import_and_a_monthly_run_leave_a_copy_of_the_state_before_them_but_a_dry_run_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut db) = shop(dir.path());
    let csv = "会員番号,氏名,フリガナ,電話番号\r\n100,佐藤 花子,サトウ ハナコ,03-2222-3333\r\n".as_bytes().to_vec();
    let file = dir.path().join("members.csv");
    std::fs::write(&file, csv).unwrap();
    let source = Source::read(&file).unwrap();
    let opts = ImportOptions::default();
    db.import(ImportKind::Members, &source, &opts, true, &mut |_| {}).unwrap();
    assert!(db.backup_list().unwrap().is_empty(), "a dry run writes nothing and needs no copy");
    let r = db.import(ImportKind::Members, &source, &opts, false, &mut |_| {}).unwrap();
    assert_eq!(r.imported, 1, "{r:?}");
    let list = db.backup_list().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].reason, BackupReason::BeforeImport);
    // The copy holds the shop as it was before the import: one member.
    let copy = Db::open(&dir.path().join("copy.db")).unwrap();
    drop(copy);
    std::fs::copy(&list[0].path, dir.path().join("copy.db")).unwrap();
    let mut copy = Db::open(&dir.path().join("copy.db")).unwrap();
    assert_eq!(members(&mut copy), 1);
    assert_eq!(members(&mut db), 2);

    db.month_preview("2026-12").unwrap();
    assert_eq!(db.backup_list().unwrap().len(), 1, "a preview needs no copy");
    db.month_run("2026-12", "", &mut |_| {}).unwrap();
    // Both copies may carry the same second: look for the reason, not the position.
    let reasons: Vec<BackupReason> = db.backup_list().unwrap().iter().map(|b| b.reason).collect();
    assert_eq!(reasons.len(), 2);
    assert!(reasons.contains(&BackupReason::BeforeMonthRun), "{reasons:?}");
}

#[test]
fn a_backup_that_cannot_be_made_stops_the_import_unless_the_shop_said_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut db) = shop(dir.path());
    // A "folder" that is a file: like a USB stick that is not there (a path that cannot be made).
    let blocker = dir.path().join("stick");
    std::fs::write(&blocker, "").unwrap();
    let mut s = db.shop_settings().unwrap();
    s.backup.folder = blocker.join("backups").display().to_string();
    db.save_shop_settings(s.clone()).unwrap();
    let file = dir.path().join("members.csv");
    std::fs::write(&file, "会員番号,氏名,フリガナ\r\n100,佐藤 花子,サトウ ハナコ\r\n").unwrap();
    let source = Source::read(&file).unwrap();
    let e = db.import(ImportKind::Members, &source, &ImportOptions::default(), false, &mut |_| {}).unwrap_err();
    assert!(e.message.contains("データ取込を中止しました"), "{}", e.message);
    assert_eq!(members(&mut db), 1, "nothing imported");
    s.backup.required = false;
    db.save_shop_settings(s).unwrap();
    db.import(ImportKind::Members, &source, &ImportOptions::default(), false, &mut |_| {}).unwrap();
    assert_eq!(members(&mut db), 2);
}

#[test]
fn restore_refuses_a_damaged_copy_and_one_from_a_newer_teikibin() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut db) = shop(dir.path());
    for i in 0..300 {
        add(&mut db, &format!("会員 {i}"), "カイイン", &format!("03-5555-{i:04}"));
    }
    let good = db.backup_now(BackupReason::Manual).unwrap().unwrap();
    let bad = dir.path().join("bad.db");
    std::fs::copy(&good.path, &bad).unwrap();
    damage(&bad);
    let check = db.backup_verify(&bad).unwrap();
    assert!(!check.ok && !check.problems.is_empty());
    let e = db.backup_restore(&bad, None).unwrap_err();
    assert!(e.message.contains("壊れているため復元できません"), "{}", e.message);

    let newer = dir.path().join("newer.db");
    std::fs::copy(&good.path, &newer).unwrap();
    let c = rusqlite::Connection::open(&newer).unwrap();
    c.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x', 'now')", []).unwrap();
    drop(c);
    let e = db.backup_restore(&newer, None).unwrap_err();
    assert!(e.message.contains("新しい版のTeikibin"), "{}", e.message);
    assert_eq!(members(&mut db), 301, "nothing changed");
    assert_eq!(db.backup_list().unwrap().len(), 1, "no safety copy for a refused restore");
}

#[test]
fn restoring_an_older_schema_migrates_it() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    drop(Db::open_at_version(&old, 3).unwrap());
    let (_, mut db) = shop(dir.path());
    let r = db.backup_restore(&old, None).unwrap();
    assert_eq!((r.schema_from, r.schema_to), (3, teikibin_core::store::latest_version()));
    assert_eq!(members(&mut db), 0);
    assert!(db.check_integrity(false).unwrap().is_empty());
}

#[test]
fn cli_backup_create_list_verify_restore_and_db_check_on_a_damaged_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut db) = shop(dir.path());
    for i in 0..400 {
        add(&mut db, &format!("会員 {i}"), "カイイン", &format!("03-6666-{i:04}"));
    }
    drop(db);

    let ok = json(&path, &["db", "check"]);
    assert_eq!(ok["ok"], true);
    assert_eq!(ok["integrity"], serde_json::json!([]));

    let made = json(&path, &["backup", "create"]);
    assert_eq!(made["reason"], "manual");
    assert_eq!(made["verified"], true);
    let file = made["path"].as_str().unwrap().to_string();
    let mut expected = vec!["path", "name", "created_at", "reason", "reason_label", "bytes", "verified", "encrypted"];
    expected.sort();
    let mut keys: Vec<&str> = made.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    keys.sort();
    assert_eq!(keys, expected);

    let out = dir.path().join("手元/shop-copy.db");
    let o = json(&path, &["backup", "create", "-o", out.to_str().unwrap()]);
    assert_eq!(o["path"], out.display().to_string());
    assert!(out.exists());

    let list = json(&path, &["backup", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "a copy written elsewhere with -o is not in the folder");
    assert_eq!(list[0]["path"], file.as_str());
    let text = cli(&path, None, &["backup", "list"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("手動"));

    let v = json(&path, &["backup", "verify", &file]);
    assert_eq!(v["ok"], true);
    assert_eq!(v["schema_version"], teikibin_core::store::latest_version());

    // Damaged: `db check` exits 1 naming the problem; `backup verify` of a damaged copy too.
    let broken = dir.path().join("broken.db");
    std::fs::copy(&path, &broken).unwrap();
    damage(&broken);
    let o = cli(&broken, None, &["db", "check"]);
    assert_eq!(o.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("データベースが壊れています"), "{stdout}");
    let o = cli(&broken, None, &["--json", "db", "check"]);
    assert_eq!(o.status.code(), Some(1));
    let j: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["ok"], false);
    assert!(!j["integrity"].as_array().unwrap().is_empty());
    let o = cli(&path, None, &["backup", "verify", broken.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(cli(&path, None, &["backup", "verify", dir.path().join("nothing.db").to_str().unwrap()]).status.code(), Some(1));
    assert_eq!(cli(&path, None, &["backup", "bogus"]).status.code(), Some(2));

    // Restore over the damaged database: it is kept (unverified) in its own backup folder first.
    let r = json(&broken, &["backup", "restore", &file]);
    let safety = &r["safety"];
    assert_eq!(safety["reason"], "before_restore");
    assert_eq!(safety["verified"], false);
    assert!(Path::new(safety["path"].as_str().unwrap()).exists());
    assert_eq!(json(&broken, &["db", "check"])["ok"], true);
    assert_eq!(json(&broken, &["members", "list"]).as_array().unwrap().len(), 401);

    // Restore into the sound database: a verified safety copy, the data back as it was.
    json(&path, &["members", "add", "--name", "後藤 一郎", "--kana", "ゴトウ イチロウ"]);
    let r = json(&path, &["backup", "restore", &file]);
    assert_eq!(r["safety"]["verified"], true);
    assert_eq!(json(&path, &["members", "list"]).as_array().unwrap().len(), 401);
    // broken.db lives beside shop.db, so both use the one `backups` folder: the manual copy, the
    // damaged state kept before its restore, and the verified copy before this restore.
    let reasons: Vec<(String, bool)> = json(&path, &["backup", "list"]).as_array().unwrap().iter().map(|b| (b["reason"].as_str().unwrap().to_string(), b["verified"].as_bool().unwrap())).collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons.contains(&("before_restore".into(), false)) && reasons.contains(&("before_restore".into(), true)) && reasons.contains(&("manual".into(), true)));
}

#[test]
fn cli_encrypted_backup_needs_the_right_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut db) = shop(dir.path());
    let mut s = db.shop_settings().unwrap();
    s.backup.encrypt = true;
    s.backup.passphrase = "みかん箱の合言葉2026".into();
    db.save_shop_settings(s).unwrap();
    drop(db);
    let made = json(&path, &["backup", "create"]);
    assert_eq!(made["encrypted"], true);
    let file = made["path"].as_str().unwrap().to_string();
    assert!(file.ends_with(".db.enc"));
    // The shop's own passphrase (from its settings) is used by default.
    assert_eq!(json(&path, &["backup", "verify", &file])["ok"], true);
    let o = cli(&path, None, &["backup", "verify", &file, "--passphrase", "まちがい"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("パスフレーズが違います"), "{}", String::from_utf8_lossy(&o.stderr));
    // Another PC (no settings): the passphrase must be given.
    let other = dir.path().join("other.db");
    let o = cli(&other, None, &["backup", "verify", &file]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&other, &["backup", "verify", &file, "--passphrase", "みかん箱の合言葉2026"])["ok"], true);
    let r = json(&other, &["backup", "restore", &file, "--passphrase", "みかん箱の合言葉2026"]);
    assert!(r["restored"].as_str().unwrap().ends_with(".db.enc"));
    assert_eq!(json(&other, &["members", "list"]).as_array().unwrap().len(), 1);
}
