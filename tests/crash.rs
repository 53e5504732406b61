//! Crash safety: the CLI is killed with SIGKILL at random moments during a members import, a
//! monthly run and a bank import, and every time the database must be sound (integrity and
//! foreign keys), open normally, and hold each batch whole or not at all; the same operation
//! run again afterwards must complete with the full result.
//!
//! A small shop is prepared once (demo members, open invoices, the files to import). Each
//! operation is first run to the end on a copy to measure how long it takes and what its full
//! result is; each trial then runs it on a fresh copy and kills it after a delay drawn from a
//! seeded generator over 0–120 % of that time, so kills land before, during and after the
//! commit. `TEIKIBIN_CRASH_TRIALS` (default 150, a third per operation) and
//! `TEIKIBIN_CRASH_SEED` change the run; the summary is printed (`--nocapture` shows it).
//!
//! Whether another part of the app (for instance a backup before imports) writes files beside
//! the database does not matter here: every trial has a directory of its own.
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use teikibin_core::clock::pretend_today;
use teikibin_core::zengin::statement::Direction;
use teikibin_core::zengin::testfiles::{statement_03, Sep, StatementRow};
use teikibin_core::zengin::zengin_kana;
use teikibin_core::Db;

const TODAY: &str = "2026-11-20";
const MONTH: &str = "2026-12";
const DEMO_MEMBERS: u32 = 300;
const IMPORT_ROWS: usize = 2000;
const IMPORT_PREFIX: &str = "K";

/// xorshift64*: a seeded, dependency-free generator, so a failing trial can be run again.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Import,
    Month,
    Bank,
}

impl Op {
    const ALL: [Op; 3] = [Op::Import, Op::Month, Op::Bank];
    fn name(self) -> &'static str {
        match self {
            Op::Import => "members import",
            Op::Month => "monthly run",
            Op::Bank => "bank import",
        }
    }
}

/// The shop every trial starts from, and the inputs of the operations.
struct Base {
    dir: tempfile::TempDir,
    db: PathBuf,
    members_csv: PathBuf,
    statement: PathBuf,
}

/// What the operations add, counted on a database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Counts {
    imported_members: i64,
    import_batches: i64,
    orders: i64,
    bulletin_slips: i64,
    month_runs: i64,
    bank_imports: i64,
    bank_lines: i64,
    payments: i64,
    allocations: i64,
}

fn counts(c: &Connection) -> Counts {
    let n = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    Counts {
        imported_members: c
            .query_row("SELECT count(*) FROM members WHERE code LIKE ?1", [format!("{IMPORT_PREFIX}%")], |r| r.get(0))
            .unwrap(),
        import_batches: n("SELECT count(*) FROM import_batches"),
        orders: n("SELECT count(*) FROM orders"),
        bulletin_slips: n("SELECT count(*) FROM bulletin_slips"),
        month_runs: n("SELECT count(*) FROM month_runs"),
        bank_imports: n("SELECT count(*) FROM bank_imports"),
        bank_lines: n("SELECT count(*) FROM bank_lines"),
        payments: n("SELECT count(*) FROM payments"),
        allocations: n("SELECT count(*) FROM payment_allocations"),
    }
}

fn cli(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_teikibin-cli"));
    c.arg("--db").arg(db).args(args).env_remove("TEIKIBIN_DB").env("TEIKIBIN_TODAY", TODAY);
    c.stdout(Stdio::null()).stderr(Stdio::piped()).stdin(Stdio::null());
    c
}

fn op_args(op: Op, base: &Base) -> Vec<String> {
    match op {
        Op::Import => vec!["import".into(), "members".into(), base.members_csv.display().to_string()],
        Op::Month => vec!["month".into(), "run".into(), MONTH.into()],
        Op::Bank => vec!["bank".into(), "import".into(), base.statement.display().to_string()],
    }
}

fn spawn(op: Op, base: &Base, db: &Path) -> Child {
    let args = op_args(op, base);
    let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    cli(db, &args).spawn().expect("spawn teikibin-cli")
}

/// Copies the base database (a closed database in WAL mode has no -wal file left, but copy it
/// when there is one) into a directory of its own.
fn fresh_copy(base: &Base, name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir_in(base.dir.path()).unwrap();
    let path = dir.path().join(name);
    std::fs::copy(&base.db, &path).unwrap();
    for ext in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{ext}", base.db.display()));
        if side.exists() {
            std::fs::copy(&side, PathBuf::from(format!("{}{ext}", path.display()))).unwrap();
        }
    }
    (dir, path)
}

fn prepare() -> Base {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("base.db");
    pretend_today(Some(TODAY.parse().unwrap()));
    let mut db = Db::open(&db_path).unwrap();
    db.save_shop_settings(teikibin_core::demo::demo_shop_settings()).unwrap();
    db.generate_demo(DEMO_MEMBERS, 2026).unwrap();
    drop(db);
    pretend_today(None);

    // Open invoices, as an old system's receivables would bring them, for the bank statement
    // to settle: one per member for the first 120 members (plain inserts, like the bank bench).
    let c = Connection::open(&db_path).unwrap();
    let members: Vec<(i64, String, String)> = {
        let mut st = c.prepare("SELECT id, code, kana FROM members WHERE kana <> '' ORDER BY id LIMIT 120").unwrap();
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
        rows.map(|r| r.unwrap()).collect()
    };
    let mut rows = Vec::new();
    for (k, (id, code, kana)) in members.iter().enumerate() {
        let amount = 3000 + 10 * k as i64;
        c.execute(
            "INSERT INTO invoices (number, member_id, issued_on, due_on, amount, created_at) VALUES (?1, ?2, '2026-10-31', '2026-11-30', ?3, '2026-10-31 10:00:00')",
            params![format!("C{k:06}"), id, amount],
        )
        .unwrap();
        // Two thirds pay to the yen under their kana, the rest give their member code too
        // or pay from a name nobody knows: automatic bookings and waiting lines both.
        let day = NaiveDate::from_ymd_opt(2026, 11, 18).unwrap();
        let remitter = match k % 6 {
            0..=3 => zengin_kana(kana),
            4 => format!("{code} {}", zengin_kana(kana)),
            _ => format!("ﾌﾒｲ ｲﾗｲﾆﾝ{k}"),
        };
        rows.push(StatementRow::new(k as u32 + 1, day, Direction::In, amount, &remitter));
    }
    drop(c);
    let statement = dir.path().join("statement.txt");
    std::fs::write(&statement, statement_03(&rows, Sep::CrLf)).unwrap();

    // Readings differ row by row (digits spelled in kana): rows that all read alike would make
    // every pair a 名寄せ candidate, and the import's duplicate report would dwarf its write.
    let kana = |i: usize| -> String { format!("{i:05}").chars().map(|d| "アイウエオカキクケコ".chars().nth(d as usize - '0' as usize).unwrap()).collect() };
    let mut csv = String::from("\u{feff}会員番号,氏名,フリガナ,郵便番号,都道府県,市区町村,番地,電話番号,メールアドレス\r\n");
    for i in 0..IMPORT_ROWS {
        csv += &format!(
            "{IMPORT_PREFIX}{i:05},取込 太郎{i},トリコミ {},1540015,東京都,世田谷区,桜新町{}-{},03-{:04}-{:04},t{i}@example.jp\r\n",
            kana(i),
            i % 9 + 1,
            i % 30 + 1,
            1000 + i % 9000,
            i
        );
    }
    let members_csv = dir.path().join("members.csv");
    std::fs::write(&members_csv, csv).unwrap();
    Base { dir, db: db_path, members_csv, statement }
}

/// The database must be sound and open normally, whatever happened to the process.
fn assert_sound(path: &Path, what: &str) -> Counts {
    let c = Connection::open(path).unwrap_or_else(|e| panic!("{what}: cannot open: {e}"));
    let integrity: Vec<String> = {
        let mut st = c.prepare("PRAGMA integrity_check").unwrap();
        let rows = st.query_map([], |r| r.get(0)).unwrap();
        rows.map(|r| r.unwrap()).collect()
    };
    assert_eq!(integrity, vec!["ok".to_string()], "{what}: integrity_check");
    let fk: i64 = c.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 0, "{what}: foreign_key_check");
    let n = counts(&c);
    drop(c);
    let db = Db::open(path).unwrap_or_else(|e| panic!("{what}: Db::open: {e:?}"));
    assert!(db.check_integrity(true).unwrap().is_empty(), "{what}: quick_check through the core");
    n
}

/// What one operation adds: the difference between the full result and the base.
fn delta(a: &Counts, b: &Counts) -> Counts {
    Counts {
        imported_members: b.imported_members - a.imported_members,
        import_batches: b.import_batches - a.import_batches,
        orders: b.orders - a.orders,
        bulletin_slips: b.bulletin_slips - a.bulletin_slips,
        month_runs: b.month_runs - a.month_runs,
        bank_imports: b.bank_imports - a.bank_imports,
        bank_lines: b.bank_lines - a.bank_lines,
        payments: b.payments - a.payments,
        allocations: b.allocations - a.allocations,
    }
}

/// Did the batch land: `Some(false)` nothing of it, `Some(true)` all of it, `None` a part.
fn landed(before: &Counts, full: &Counts, now: &Counts) -> Option<bool> {
    let d = delta(before, now);
    if d == Counts::default() {
        Some(false)
    } else if d == *full {
        Some(true)
    } else {
        None
    }
}

#[derive(Default)]
struct Tally {
    trials: u32,
    finished_before_kill: u32,
    killed_before_commit: u32,
    killed_after_commit: u32,
    max_delay: Duration,
}

#[test]
fn sigkill_during_imports_runs_and_bank_imports_leaves_every_batch_whole_or_absent() {
    let trials: u32 = std::env::var("TEIKIBIN_CRASH_TRIALS").ok().and_then(|v| v.parse().ok()).unwrap_or(150);
    let seed: u64 = std::env::var("TEIKIBIN_CRASH_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x7e1c_1b14_2026_1206);
    let started = Instant::now();
    let base = prepare();
    let base_counts = assert_sound(&base.db, "base");
    let prepared = started.elapsed();

    // The full result and the time of each operation, run to the end once.
    let mut full = Vec::new();
    for op in Op::ALL {
        // The quicker of two runs: the first start of a binary on a busy machine is slow, and a
        // span measured on it would put most kills after the commit.
        let mut took = Duration::MAX;
        let mut after = Counts::default();
        for _ in 0..2 {
            let (_d, path) = fresh_copy(&base, "measure.db");
            let t = Instant::now();
            let out = spawn(op, &base, &path).wait_with_output().unwrap();
            took = took.min(t.elapsed());
            assert!(out.status.success(), "{}: {}", op.name(), String::from_utf8_lossy(&out.stderr));
            after = assert_sound(&path, op.name());
        }
        let d = delta(&base_counts, &after);
        assert_ne!(d, Counts::default(), "{} adds something", op.name());
        match op {
            Op::Import => assert_eq!(d.imported_members, IMPORT_ROWS as i64),
            Op::Month => assert!(d.orders > 0 && d.month_runs == 1, "{d:?}"),
            Op::Bank => assert!(d.bank_lines > 0 && d.payments > 0 && d.bank_imports == 1, "{d:?}"),
        }
        full.push((op, took, d));
    }

    let mut rng = Rng(seed | 1);
    let mut tally: Vec<Tally> = Op::ALL.iter().map(|_| Tally::default()).collect();
    for trial in 0..trials {
        let k = trial as usize % Op::ALL.len();
        let (op, took, full_delta) = full[k];
        let (_d, path) = fresh_copy(&base, "trial.db");
        // 0–120 % of the measured time, in microseconds.
        let span = took.as_micros() as u64 * 12 / 10;
        let delay = Duration::from_micros(rng.below(span.max(1)));
        let what = format!("trial {trial} ({}, kill after {delay:?} of {took:?}, seed {seed})", op.name());
        let mut child = spawn(op, &base, &path);
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        // Child::kill sends SIGKILL on Unix: no destructor, no rollback, no checkpoint runs.
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = assert_sound(&path, &what);
        let whole = landed(&base_counts, &full_delta, &now)
            .unwrap_or_else(|| panic!("{what}: a part of the batch was written: {:?} of {:?}", delta(&base_counts, &now), full_delta));
        let t = &mut tally[k];
        t.trials += 1;
        t.max_delay = t.max_delay.max(delay);
        if finished {
            assert!(status.success(), "{what}: ended on its own with {status:?}");
            assert!(whole, "{what}: finished but the batch is missing");
            t.finished_before_kill += 1;
        } else if whole {
            t.killed_after_commit += 1;
        } else {
            t.killed_before_commit += 1;
        }

        // The same operation again completes and leaves the full result. An import already in
        // the database refuses the same file (exit 1, nothing written): that is the full result.
        let again = spawn(op, &base, &path).wait_with_output().unwrap();
        if !(op == Op::Import && whole) {
            assert!(again.status.success(), "{what}: run again: {}", String::from_utf8_lossy(&again.stderr));
        }
        let c = Connection::open(&path).unwrap();
        let mut again_delta = delta(&base_counts, &counts(&c));
        if op == Op::Month {
            // Every run is recorded, one that creates nothing too.
            assert!((1..=2).contains(&again_delta.month_runs), "{what}: {again_delta:?}");
            again_delta.month_runs = full_delta.month_runs;
        }
        assert_eq!(again_delta, full_delta, "{what}: run again gives the full result");
    }

    let total: u32 = tally.iter().map(|t| t.trials).sum();
    println!(
        "crash trials: {total} run, {total} survived (seed {seed}; shop prepared in {:.1} s; all trials in {:.1} s)",
        prepared.as_secs_f64(),
        started.elapsed().as_secs_f64() - prepared.as_secs_f64()
    );
    for ((op, took, d), t) in full.iter().zip(&tally) {
        println!(
            "  {:<15} {:>3} trials (run takes {:>4} ms; kills up to {:>4} ms): killed before commit {:>3}, after commit {:>3}, finished before the kill {:>3}; batch {:?}",
            op.name(),
            t.trials,
            took.as_millis(),
            t.max_delay.as_millis(),
            t.killed_before_commit,
            t.killed_after_commit,
            t.finished_before_kill,
            d
        );
    }
    assert_eq!(total, trials);
}
