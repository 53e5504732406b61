use super::*;
use crate::clock::pretend_today;
use crate::members::MemberInput;

fn info(created_at: &str, reason: BackupReason, verified: bool) -> BackupInfo {
    BackupInfo {
        path: String::new(),
        name: String::new(),
        created_at: created_at.into(),
        reason,
        reason_label: reason.label().into(),
        bytes: 1,
        verified,
        encrypted: false,
    }
}

fn shop(dir: &Path) -> Db {
    let mut db = Db::open(&dir.join("shop.db")).unwrap();
    let m = MemberInput { name: "山田 太郎".into(), kana: "ヤマダ タロウ".into(), phone: "03-1234-5678".into(), ..Default::default() };
    db.create_member(&m, "").unwrap();
    db
}

#[test]
fn names_carry_time_and_reason_and_nothing_else_is_ours() {
    let at = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap().and_hms_opt(9, 5, 7).unwrap();
    let n = file_name(at, 1, BackupReason::BeforeMonthRun, true, false);
    assert_eq!(n, "teikibin-backup_20261206-090507_before-month-run.db");
    assert_eq!(parse_name(&n), Some((at, BackupReason::BeforeMonthRun, true, false)));
    let n = file_name(at, 3, BackupReason::BeforeRestore, false, true);
    assert_eq!(n, "teikibin-backup_20261206-090507-3_before-restore_unverified.db.enc");
    assert_eq!(parse_name(&n), Some((at, BackupReason::BeforeRestore, false, true)));
    for other in [
        "teikibin.db",
        "teikibin-backup_20261206-090507_daily.db-wal",
        "teikibin-backup_20261206-090507_weekly.db",
        "teikibin-backup_2026-12-06_daily.db",
        "teikibin-backup_20261206-090507-_daily.db",
        "teikibin-backup_20261206-090507x_daily.db",
        "メモ.txt",
    ] {
        assert_eq!(parse_name(other), None, "{other}");
    }
}

#[test]
fn rotation_keeps_seven_days_four_weeks_twelve_months_and_the_last_safety_copies() {
    // One daily copy a day for 400 days, newest first, and 15 safety copies.
    let start = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    let mut list: Vec<BackupInfo> = (0..400)
        .map(|i| info(&format!("{} 09:00:00", start - chrono::Days::new(i)), BackupReason::Daily, true))
        .collect();
    for i in 0..15 {
        list.push(info(&format!("{} 10:00:00", start - chrono::Days::new(i)), BackupReason::BeforeImport, true));
    }
    list.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    let s = BackupSettings::default();
    let gone = rotation_victims(&list, &s);
    let kept: Vec<&BackupInfo> = list.iter().enumerate().filter(|(i, _)| !gone.contains(i)).map(|(_, b)| b).collect();
    let daily: Vec<&str> = kept.iter().filter(|b| b.reason == BackupReason::Daily).map(|b| &b.created_at[..10]).collect();
    // 7 days (Nov 30 – Dec 6); the newest of 4 ISO weeks (Dec 6 and Nov 29 are Sundays, so the
    // weeks add Nov 22 and Nov 15); the newest of 12 months (Dec 6 and the last day of Nov … Jan).
    assert_eq!(&daily[..7], ["2026-12-06", "2026-12-05", "2026-12-04", "2026-12-03", "2026-12-02", "2026-12-01", "2026-11-30"]);
    assert!(daily.contains(&"2026-11-29") && daily.contains(&"2026-11-22") && daily.contains(&"2026-11-15"));
    for m in ["2026-10-31", "2026-09-30", "2026-01-31"] {
        assert!(daily.contains(&m), "{m} in {daily:?}");
    }
    assert!(!daily.contains(&"2025-12-31"), "a 13th month is one too many");
    // Nov 30 is both one of the 7 days and the newest of November.
    assert_eq!(daily.len(), 7 + 3 + 10, "{daily:?}");
    assert_eq!(kept.iter().filter(|b| b.reason.is_safety()).count(), 10);
}

#[test]
fn rotation_never_removes_the_newest_verified_copy() {
    let list = vec![
        info("2026-12-06 10:00:00", BackupReason::BeforeRestore, false),
        info("2026-12-06 09:00:00", BackupReason::BeforeImport, true),
    ];
    let s = BackupSettings { keep_safety: 0, ..Default::default() };
    assert_eq!(rotation_victims(&list, &s), vec![0]);
}

#[test]
fn create_list_verify_restore_with_a_safety_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = shop(dir.path());
    pretend_today(NaiveDate::from_ymd_opt(2026, 12, 6));
    let made = db.backup_now(BackupReason::Manual).unwrap().unwrap();
    assert!(made.verified && !made.encrypted && made.bytes > 0);
    assert!(made.name.starts_with("teikibin-backup_20261206-"), "{}", made.name);
    assert_eq!(Path::new(&made.path).parent().unwrap(), dir.path().join("backups"));
    // Something of the shop's own in the folder is listed nowhere and never removed.
    std::fs::write(dir.path().join("backups/メモ.txt"), "USBメモリの中身").unwrap();
    assert_eq!(db.backup_list().unwrap(), vec![made.clone()]);
    assert!(db.backup_verify(Path::new(&made.path)).unwrap().ok);

    // A member added after the backup, then found in search, is gone after the restore.
    let m = MemberInput { name: "佐藤 花子".into(), kana: "サトウ ハナコ".into(), phone: "03-9999-0000".into(), ..Default::default() };
    db.create_member(&m, "").unwrap();
    let search = |db: &mut Db| {
        db.search_members(&crate::members::search::SearchQuery { text: "佐藤".into(), status: None, offset: 0, limit: 10 }).unwrap().total
    };
    assert_eq!(search(&mut db), 1);
    let r = db.backup_restore(Path::new(&made.path), None).unwrap();
    assert_eq!(search(&mut db), 0, "the search cache must not show the member the restore took away");
    let safety = r.safety.unwrap();
    assert_eq!(safety.reason, BackupReason::BeforeRestore);
    assert!(safety.verified);
    // The safety copy holds the state before the restore: restoring it brings 佐藤 back.
    db.backup_restore(Path::new(&safety.path), None).unwrap();
    assert_eq!(search(&mut db), 1);
    assert!(dir.path().join("backups/メモ.txt").exists());
    let journal: String = db.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(journal, "wal");
    pretend_today(None);
}

#[test]
fn the_daily_copy_is_made_once_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = shop(dir.path());
    pretend_today(NaiveDate::from_ymd_opt(2026, 12, 6));
    assert!(db.backup_daily().unwrap().is_some());
    assert!(db.backup_daily().unwrap().is_none());
    pretend_today(NaiveDate::from_ymd_opt(2026, 12, 7));
    assert!(db.backup_daily().unwrap().is_some());
    assert_eq!(db.backup_list().unwrap().len(), 2);
    pretend_today(None);
}

#[test]
fn in_memory_databases_are_not_backed_up() {
    let mut db = Db::open_in_memory().unwrap();
    assert_eq!(db.backup_now(BackupReason::Manual).unwrap(), None);
    assert!(db.backup_list().unwrap().is_empty());
    db.backup_before(BackupReason::BeforeImport, "データ取込").unwrap();
}

#[test]
fn encrypted_round_trip_and_a_wrong_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = shop(dir.path());
    let mut s = db.shop_settings().unwrap();
    s.backup = BackupSettings { encrypt: true, passphrase: "みかん箱の合言葉2026".into(), ..Default::default() };
    db.save_shop_settings(s).unwrap();
    let made = db.backup_now(BackupReason::Manual).unwrap().unwrap();
    assert!(made.encrypted && made.name.ends_with(".db.enc"));
    let bytes = std::fs::read(&made.path).unwrap();
    assert!(!bytes.windows("ヤマダ".len()).any(|w| w == "ヤマダ".as_bytes()), "no plain text on the stick");
    let path = Path::new(&made.path);
    assert!(verify(path, Some("みかん箱の合言葉2026")).unwrap().ok);
    let e = verify(path, Some("ちがう合言葉です")).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("backup.passphrase"));
    assert!(e.message.contains("パスフレーズが違います"), "{}", e.message);
    assert_eq!(verify(path, None).unwrap_err().field.as_deref(), Some("backup.passphrase"));
    let r = db.backup_restore(path, None).unwrap();
    assert_eq!(r.schema_from, crate::store::latest_version());
    // A flipped byte in the sealed part: refused as damaged, not as a wrong passphrase.
    let mut bad = bytes.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x40;
    let bad_path = dir.path().join("bad.db.enc");
    std::fs::write(&bad_path, bad).unwrap();
    let e = verify(&bad_path, Some("みかん箱の合言葉2026")).unwrap_err();
    assert!(e.message.contains("壊れています"), "{}", e.message);
    // Cut short: the last chunk is missing, which the last-chunk flag notices.
    std::fs::write(&bad_path, &bytes[..bytes.len() - 70_000]).unwrap();
    assert!(verify(&bad_path, Some("みかん箱の合言葉2026")).is_err());
}

#[test]
fn settings_refuse_encryption_without_a_passphrase() {
    let mut db = Db::open_in_memory().unwrap();
    let mut s = db.shop_settings().unwrap();
    s.backup.encrypt = true;
    let e = db.save_shop_settings(s).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("backup.passphrase"));
}

#[test]
fn old_settings_without_a_backup_part_still_load() {
    let s: crate::settings::ShopSettings = serde_json::from_str(r#"{"company_name":"健康の森"}"#).unwrap();
    assert_eq!(s.backup, BackupSettings::default());
}

#[test]
fn restoring_the_oldest_safety_copy_does_not_rotate_it_away_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = shop(dir.path());
    let mut s = db.shop_settings().unwrap();
    s.backup.keep_safety = 2;
    db.save_shop_settings(s).unwrap();
    db.backup_now(BackupReason::Manual).unwrap();
    let oldest = db.backup_now(BackupReason::BeforeImport).unwrap().unwrap();
    db.backup_now(BackupReason::BeforeMonthRun).unwrap();
    // A third safety copy (the one before the restore) would push `oldest` out of the two kept.
    db.backup_restore(Path::new(&oldest.path), None).unwrap();
    // All made within a second or so: compare as a set.
    let mut names: Vec<&str> = db.backup_list().unwrap().iter().map(|b| b.reason.slug()).collect();
    names.sort();
    assert_eq!(names, ["before-month-run", "before-restore", "manual"]);
}
