//! Monthly-run benchmark (月次処理): the demo shop (100,000 members with two years of history),
//! topped up to 10,000 active subscriptions due in the benchmark month and 4,500 bulletin members,
//! is built once in a temp folder (not timed). Then the preview and the committed run, each the
//! median of a few runs on a fresh copy of the file (so every commit starts from the same state),
//! the run split into planning and writing by its progress reports; and as the floor, the same
//! rows the run wrote (orders, order lines, subscription updates, events, bulletin slips, renewed
//! memberships, the run record) inserted with plain prepared statements in one transaction.
//! "Today" is pretended (2026-11-18) so the benchmark month, 2026-12, is next month.
//! Prints a Markdown report; targets: preview < 1 s, run < 1 s.
//! `BENCH_MEMBERS`, `BENCH_SUBSCRIPTIONS`, `BENCH_BULLETIN` change the sizes, `BENCH_RUNS` the
//! runs per measure (default 5); `BENCH_REPORT=FILE` also writes the report there.
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;
use teikibin_core::clock::pretend_today;
use teikibin_core::month::{MonthPhase, MonthProgress, MonthRunReport};
use teikibin_core::Db;

const MONTH: &str = "2026-12";

fn env(key: &str, default: u32) -> u32 {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn ms(secs: f64) -> String {
    format!("{:.0}", secs * 1000.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn spread(v: &[f64]) -> String {
    let (lo, hi) = v.iter().fold((f64::MAX, 0f64), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
    format!("{}–{}", ms(lo), ms(hi))
}

/// Subscriptions with an order in the month, and bulletin copies.
fn due(r: &MonthRunReport) -> (usize, u64) {
    (r.orders.iter().map(|o| o.subscription).collect::<HashSet<_>>().len(), r.bulletin_slips)
}

/// The shop: the demo, then new demo members on the membership course (a fee due in the month and
/// a bulletin copy) and on the 青汁 course until the targets are met.
fn build(path: &Path, members: u32, subs: usize, bulletin: u64) -> String {
    let mut db = Db::open(path).unwrap();
    let t = Instant::now();
    let demo = db.generate_demo(members, 42).unwrap();
    let demo_secs = t.elapsed().as_secs_f64();
    let (from_demo_subs, from_demo_slips) = due(&db.month_preview(MONTH).unwrap());
    let (mut n_subs, mut n_slips) = (from_demo_subs, from_demo_slips);
    let t = Instant::now();
    let mut added = 0;
    // A few of the newcomers do not want mail (DM不要): top up again until the count is met.
    for round in 0..10 {
        let (course, missing) = if n_slips < bulletin {
            ("NENKAI", (bulletin - n_slips) as u32)
        } else if n_subs < subs {
            ("AOJIRU", (subs - n_subs) as u32)
        } else {
            break;
        };
        added += db.add_demo_subscribers(course, missing, MONTH, 100 + round).unwrap().subscriptions;
        (n_subs, n_slips) = due(&db.month_preview(MONTH).unwrap());
    }
    let top_up_secs = t.elapsed().as_secs_f64();
    assert!(n_subs >= subs && n_slips >= bulletin, "{n_subs} {n_slips}");
    drop(db);
    assert!(!path.with_extension("db-wal").exists(), "the WAL is checkpointed on close");
    format!(
        "Shop: demo of {} members ({} subscriptions, {} orders) in {} ms; {from_demo_subs} subscriptions due and \
         {from_demo_slips} bulletin copies from the demo, topped up with {added} new members and subscriptions \
         (`add_demo_subscribers`) in {} ms → **{n_subs} subscriptions due in {MONTH}, {n_slips} bulletin members**; \
         file {:.0} MB.\n\n",
        demo.members,
        demo.subscriptions,
        demo.orders,
        ms(demo_secs),
        ms(top_up_secs),
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
    )
}

/// A fresh copy of the shop.
fn fresh(base: &Path, dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    for ext in ["db-wal", "db-shm"] {
        let _ = std::fs::remove_file(p.with_extension(ext));
    }
    std::fs::copy(base, &p).unwrap();
    p
}

/// The connection settings `Db::open` uses, for the floor.
fn plain(path: &Path) -> Connection {
    let c = Connection::open(path).unwrap();
    c.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).unwrap();
    c.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;")
        .unwrap();
    c
}

/// Rows of a query with their column names.
struct Rows {
    table: &'static str,
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

fn rows(c: &Connection, table: &'static str, sql: &str) -> Rows {
    let mut st = c.prepare(sql).unwrap();
    let columns: Vec<String> = st.column_names().map(String::from).collect();
    let n = columns.len();
    let rows = st
        .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<Value>>>())
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap();
    Rows { table, columns, rows }
}

/// What the committed run wrote, read back from its file (the base attached for comparison).
fn written(run_file: &Path, base: &Path) -> (Vec<Rows>, Vec<Rows>) {
    let c = Connection::open(run_file).unwrap();
    c.execute("ATTACH DATABASE ?1 AS base", [base.to_str().unwrap()]).unwrap();
    let run: i64 = c.query_row("SELECT max(id) FROM month_runs", [], |r| r.get(0)).unwrap();
    let inserts = vec![
        rows(&c, "month_runs", &format!("SELECT * FROM month_runs WHERE id = {run}")),
        rows(&c, "orders", &format!("SELECT * FROM orders WHERE month_run_id = {run} ORDER BY id")),
        rows(
            &c,
            "order_lines",
            &format!("SELECT l.* FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.month_run_id = {run} ORDER BY l.order_id, l.line_no"),
        ),
        rows(&c, "subscription_events", "SELECT * FROM subscription_events WHERE id > (SELECT coalesce(max(id), 0) FROM base.subscription_events)"),
        rows(&c, "bulletin_slips", &format!("SELECT * FROM bulletin_slips WHERE month_run_id = {run} ORDER BY id")),
    ];
    // Updates: the id first, then the columns that changed.
    let updates = vec![
        rows(
            &c,
            "subscriptions",
            "SELECT n.id, n.next_date, n.deliveries, n.status, n.status_since, n.paused_until, n.valid_until
             FROM subscriptions n JOIN base.subscriptions o ON o.id = n.id
             WHERE n.next_date IS NOT o.next_date OR n.deliveries <> o.deliveries OR n.status <> o.status
                OR n.valid_until IS NOT o.valid_until ORDER BY n.id",
        ),
        rows(
            &c,
            "members",
            "SELECT n.id, n.valid_until FROM members n JOIN base.members o ON o.id = n.id WHERE n.valid_until IS NOT o.valid_until ORDER BY n.id",
        ),
        rows(&c, "settings", "SELECT n.key, n.value FROM settings n JOIN base.settings o ON o.key = n.key WHERE n.value <> o.value"),
    ];
    (inserts, updates)
}

/// The floor: the same rows with plain prepared statements in one transaction.
fn floor(path: &Path, inserts: &[Rows], updates: &[Rows]) -> f64 {
    let mut c = plain(path);
    let t = Instant::now();
    let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
    for r in inserts {
        let marks: Vec<String> = (1..=r.columns.len()).map(|i| format!("?{i}")).collect();
        let mut st = tx.prepare(&format!("INSERT INTO {} ({}) VALUES ({})", r.table, r.columns.join(", "), marks.join(", "))).unwrap();
        for row in &r.rows {
            st.execute(params_from_iter(row.iter())).unwrap();
        }
    }
    for r in updates {
        let key = &r.columns[0];
        let sets: Vec<String> = r.columns.iter().enumerate().skip(1).map(|(i, c)| format!("{c} = ?{}", i + 1)).collect();
        let mut st = tx.prepare(&format!("UPDATE {} SET {} WHERE {key} = ?1", r.table, sets.join(", "))).unwrap();
        for row in &r.rows {
            assert_eq!(st.execute(params_from_iter(row.iter())).unwrap(), 1);
        }
    }
    tx.commit().unwrap();
    t.elapsed().as_secs_f64()
}

fn main() {
    let members = env("BENCH_MEMBERS", 100_000);
    let subs = env("BENCH_SUBSCRIPTIONS", 10_000) as usize;
    let bulletin = env("BENCH_BULLETIN", 4_500) as u64;
    let runs = env("BENCH_RUNS", 5).max(1) as usize;
    pretend_today(Some(NaiveDate::from_ymd_opt(2026, 11, 18).unwrap()));
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.db");
    let mut report = format!("# Monthly-run benchmark ({MONTH}, median of {runs} runs on fresh copies)\n\n");
    report += &build(&base, members, subs, bulletin);
    report += "| what | result | target |\n|---|---|---|\n";

    let mut preview_secs = Vec::new();
    let mut preview = None;
    for _ in 0..runs {
        let db = Db::open(&fresh(&base, dir.path(), "preview.db")).unwrap();
        let t = Instant::now();
        let r = db.month_preview(MONTH).unwrap();
        preview_secs.push(t.elapsed().as_secs_f64());
        preview = Some(r);
    }
    let preview = preview.unwrap();
    report += &format!(
        "| preview: {} orders, {} bulletin copies, {} skipped | {} ms ({}) | < 1000 ms |\n",
        preview.orders_created,
        preview.bulletin_slips,
        preview.skipped.len(),
        ms(median(preview_secs.clone())),
        spread(&preview_secs)
    );

    // The run's progress reports split it: (phase, done, total, seconds) at each.
    const SEGMENTS: [&str; 6] = [
        "read settings, products, courses, due subscriptions, skips, earlier orders",
        "price the deliveries (loop over the due subscriptions)",
        "bulletin slips, renewal notices, stock (and the loop's last < 500 subscriptions)",
        "run record, order numbers",
        "insert orders and lines (and, after the last report, subscriptions, events, slips)",
        "commit",
    ];
    let mut run_secs = Vec::new();
    let mut segments: Vec<Vec<f64>> = vec![Vec::new(); SEGMENTS.len()];
    let mut run_file = PathBuf::new();
    for _ in 0..runs {
        run_file = fresh(&base, dir.path(), "run.db");
        let mut db = Db::open(&run_file).unwrap();
        let t = Instant::now();
        let mut marks: Vec<(MonthPhase, u64, u64, f64)> = Vec::new();
        let mut progress = |p: MonthProgress| marks.push((p.phase, p.done, p.total, t.elapsed().as_secs_f64()));
        let r = db.month_run(MONTH, "ベンチ", &mut progress).unwrap();
        let total = t.elapsed().as_secs_f64();
        assert_eq!((r.orders_created, r.bulletin_slips), (preview.orders_created, preview.bulletin_slips));
        let at = |phase: MonthPhase, pick: fn(&(MonthPhase, u64, u64, f64)) -> bool, last: bool| {
            let mut it = marks.iter().filter(|m| m.0 == phase && pick(m));
            if last { it.next_back() } else { it.next() }.map(|m| m.3).unwrap_or(f64::NAN)
        };
        let p0 = at(MonthPhase::Planning, |_| true, false);
        let p_loop = at(MonthPhase::Planning, |m| m.1 < m.2, true);
        let p_end = at(MonthPhase::Planning, |m| m.1 == m.2, true);
        let w0 = at(MonthPhase::Writing, |_| true, false);
        let w_end = at(MonthPhase::Writing, |m| m.1 == m.2, true);
        for (i, d) in [p0, p_loop - p0, p_end - p_loop, w0 - p_end, w_end - w0, total - w_end].into_iter().enumerate() {
            segments[i].push(d);
        }
        run_secs.push(total);
    }
    let run = median(run_secs.clone());
    report += &format!("| run (one transaction, committed) | {} ms ({}) | < 1000 ms |\n", ms(run), spread(&run_secs));
    let medians: Vec<f64> = segments.into_iter().map(median).collect();
    for (label, secs) in SEGMENTS.iter().zip(&medians) {
        report += &format!("|   {label} | {} ms | |\n", ms(*secs));
    }
    let writing = medians[4] + medians[5];

    let (inserts, updates) = written(&run_file, &base);
    let counts: Vec<String> = inserts
        .iter()
        .map(|r| format!("{} {}", r.table, r.rows.len()))
        .chain(updates.iter().map(|r| format!("{} {} updated", r.table, r.rows.len())))
        .collect();
    let total_rows: usize = inserts.iter().chain(updates.iter()).map(|r| r.rows.len()).sum();
    report += &format!("| rows written by the run | {total_rows}: {} | |\n", counts.join(", "));
    let mut floor_secs = Vec::new();
    for _ in 0..runs {
        floor_secs.push(floor(&fresh(&base, dir.path(), "floor.db"), &inserts, &updates));
    }
    let fl = median(floor_secs.clone());
    report += &format!("| floor: the same rows, plain prepared statements, one transaction | {} ms ({}) | |\n", ms(fl), spread(&floor_secs));
    report += &format!("| run / floor | {:.1}× | |\n", run / fl);
    report += &format!("| writing part of the run (inserts and commit) / floor | {:.1}× | |\n", writing / fl);
    println!("{report}");
    if let Ok(out) = std::env::var("BENCH_REPORT") {
        std::fs::write(out, &report).unwrap();
    }
}
