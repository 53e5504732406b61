//! Backup benchmark: a verified backup (online backup API, then `integrity_check` of the copy)
//! and a restore (check of the file, the safety backup of the current state, the copy into the
//! open database, migrations) of a shop of 100,000 members — plain and encrypted — plus a
//! `quick_check` as the app's start does it and a full `db check`.
//! The shop is the reports benchmark's busy demo shop when it was built already (copied, never
//! touched), else a 100,000-member demo shop built once into the target folder.
//! `BENCH_MEMBERS`, `BENCH_FRESH=1` as in the other benchmarks.
use std::path::{Path, PathBuf};
use std::time::Instant;
use teikibin_core::backup::{self, BackupReason};
use teikibin_core::clock::pretend_today;
use teikibin_core::Db;

fn env(key: &str, default: u32) -> u32 {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn remove_db(path: &Path) {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
}

fn shop(members: u32) -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = tmp.join(format!("bench-backup-{members}.db"));
    if std::env::var("BENCH_FRESH").is_err() && path.exists() {
        return path;
    }
    remove_db(&path);
    let reports = tmp.join(format!("bench-reports-{members}.db"));
    let t = Instant::now();
    if reports.exists() {
        // A consistent copy of the reports benchmark's shop, through the very code under test.
        backup::create_at(&reports, &path, &Default::default()).unwrap();
        eprintln!("copied the reports benchmark's shop in {:.1} s", t.elapsed().as_secs_f64());
    } else {
        let mut db = Db::open(&path).unwrap();
        db.save_shop_settings(teikibin_core::demo::demo_shop_settings()).unwrap();
        let r = db.generate_demo(members, 42).unwrap();
        eprintln!("built a demo shop of {} members in {:.0} s", r.members, t.elapsed().as_secs_f64());
    }
    path
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

fn main() {
    pretend_today(Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()));
    let members = env("BENCH_MEMBERS", 100_000);
    let path = shop(members);
    let folder = path.with_extension("backups");
    let _ = std::fs::remove_dir_all(&folder);
    let mut db = Db::open(&path).unwrap();
    let mut s = db.shop_settings().unwrap();
    s.backup.folder = folder.display().to_string();
    s.backup.encrypt = false;
    db.save_shop_settings(s.clone()).unwrap();
    let counted = db.member_counts().unwrap().iter().map(|(_, n)| n).sum::<u64>();
    let mut rows = Vec::new();
    let mut row = |label: &str, secs: f64, note: String| rows.push(format!("| {label} | {secs:.2} | {note} |"));

    let t = Instant::now();
    let problems = backup::quick_check_file(&path);
    row("quick_check at start", t.elapsed().as_secs_f64(), format!("{} problems", problems.len()));
    let t = Instant::now();
    let check = backup::check_database(&path);
    row("db check (integrity_check + foreign_key_check)", t.elapsed().as_secs_f64(), format!("ok: {}", check.ok));

    let t = Instant::now();
    let plain = db.backup_now(BackupReason::Manual).unwrap().unwrap();
    row("backup create (copy + integrity_check + rename)", t.elapsed().as_secs_f64(), format!("{:.0} MB", mb(plain.bytes)));
    let t = Instant::now();
    let v = db.backup_verify(Path::new(&plain.path)).unwrap();
    row("backup verify (integrity_check of the copy)", t.elapsed().as_secs_f64(), format!("ok: {}", v.ok));
    let t = Instant::now();
    let r = db.backup_restore(Path::new(&plain.path), None).unwrap();
    row(
        "backup restore (check + safety backup + copy in + migrate)",
        t.elapsed().as_secs_f64(),
        format!("safety copy {:.0} MB", mb(r.safety.map(|b| b.bytes).unwrap_or(0))),
    );

    s.backup.encrypt = true;
    s.backup.passphrase = "ベンチマーク用の合言葉".into();
    db.save_shop_settings(s).unwrap();
    let t = Instant::now();
    let enc = db.backup_now(BackupReason::Manual).unwrap().unwrap();
    row("encrypted backup create (+ encrypt + read back)", t.elapsed().as_secs_f64(), format!("{:.0} MB", mb(enc.bytes)));
    let t = Instant::now();
    let r = db.backup_restore(Path::new(&enc.path), None).unwrap();
    row("encrypted restore (decrypt + check + encrypted safety backup + copy in)", t.elapsed().as_secs_f64(), format!("schema {} → {}", r.schema_from, r.schema_to));
    let after = db.member_counts().unwrap().iter().map(|(_, n)| n).sum::<u64>();
    assert_eq!(after, counted, "the restore brought every member back");

    println!("## Backup and restore ({counted} members, database {:.0} MB)\n", mb(plain.bytes));
    println!("| step | seconds | |\n|---|---:|---|");
    for r in rows {
        println!("{r}");
    }
    drop(db);
    let _ = std::fs::remove_dir_all(&folder);
}
