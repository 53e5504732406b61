//! Reports benchmark (集計): the busy demo shop — 100,000 members, three years of subscriptions
//! and one-off orders (about 20,000 subscriptions and a million order lines, from
//! `generate_demo_scaled` with `DemoScale::busy(3)`) — plus 40,000 invoices (three quarters
//! paid) and six months of direct-debit requests as plain inserts, so the money report has
//! something to count. Each report is drawn (`Db::report`, the window's call: computed and laid
//! out) with its default filter, a few times on a freshly opened database; the dashboard too; then
//! the largest asks (three years of sales, the CPM member list behind the biggest cell).
//! Prints a Markdown report; targets: every report < 300 ms, the dashboard < 500 ms.
//! The shop is built once and kept in the target folder (`BENCH_FRESH=1` builds it again);
//! `BENCH_MEMBERS`, `BENCH_RUNS`, `BENCH_REPORT=FILE` as in the other benchmarks.
use rusqlite::{params, Connection};
use std::path::{Path, PathBuf};
use std::time::Instant;
use teikibin_core::clock::pretend_today;
use teikibin_core::demo::DemoScale;
use teikibin_core::reports::{ReportFilter, ReportKind};
use teikibin_core::Db;

fn env(key: &str, default: u32) -> u32 {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Invoices for the members' bank-transfer orders of the last four months (three in four paid,
/// the rest open at every age), and debit requests for six months with their results.
fn add_money(path: &Path) {
    let mut c = Connection::open(path).unwrap();
    let tx = c.transaction().unwrap();
    let orders: Vec<(i64, String, i64)> = {
        let mut st = tx
            .prepare("SELECT member_id, ordered_on, total FROM orders WHERE status <> 'cancelled' AND payment_method = 'bank_transfer' AND ordered_on >= '2026-07-15' ORDER BY id LIMIT 40000")
            .unwrap();
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
        rows.map(|r| r.unwrap()).collect()
    };
    {
        let mut inv = tx
            .prepare("INSERT INTO invoices (number, member_id, issued_on, due_on, amount, kind, created_at) VALUES (?1, ?2, ?3, date(?3, '+14 days'), ?4, 'imported', ?3)")
            .unwrap();
        let mut pay = tx.prepare("INSERT INTO payments (member_id, paid_on, amount, method, created_at) VALUES (?1, date(?2, '+10 days'), ?3, 'bank_transfer', ?2)").unwrap();
        let mut alloc = tx.prepare("INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at) VALUES (?1, ?2, ?3, ?4)").unwrap();
        for (k, (member, day, total)) in orders.iter().enumerate() {
            inv.execute(params![format!("R{k:07}"), member, day, total]).unwrap();
            let id = tx.last_insert_rowid();
            if k % 4 != 0 {
                pay.execute(params![member, day, total]).unwrap();
                alloc.execute(params![tx.last_insert_rowid(), id, total, day]).unwrap();
            }
        }
        let accounts: Vec<(i64, i64)> = {
            let mut st = tx.prepare("SELECT id, member_id FROM debit_accounts LIMIT 3000").unwrap();
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            rows.map(|r| r.unwrap()).collect()
        };
        for (m, month) in ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"].iter().enumerate() {
            tx.execute(
                "INSERT INTO debit_requests (month, debit_on, file_sha256, records, total, created_at, result_at) VALUES (?1, ?1 || '-27', '', ?2, 0, ?1 || '-20', ?1 || '-30')",
                params![month, accounts.len() as i64],
            )
            .unwrap();
            let req = tx.last_insert_rowid();
            for (i, (account, member)) in accounts.iter().enumerate() {
                let result = if (i + m) % 31 == 0 { "1" } else { "0" };
                tx.execute(
                    "INSERT INTO debit_items (request_id, line, member_id, account_id, amount, customer_number, new_code, result) VALUES (?1, ?2, ?3, ?4, 4320, '1', '0', ?5)",
                    params![req, i as i64 + 2, member, account, result],
                )
                .unwrap();
            }
        }
    }
    tx.commit().unwrap();
}

fn shop(members: u32) -> (PathBuf, String) {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-reports-{members}.db"));
    let fresh = std::env::var("BENCH_FRESH").is_ok() || !path.exists();
    if fresh {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
        }
        let t = Instant::now();
        let mut db = Db::open(&path).unwrap();
        db.save_shop_settings(teikibin_core::demo::demo_shop_settings()).unwrap();
        let r = db.generate_demo_scaled(members, 42, DemoScale::busy(3)).unwrap();
        drop(db);
        add_money(&path);
        let c = Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;").unwrap();
        eprintln!("built the shop in {:.0} s ({} orders)", t.elapsed().as_secs_f64(), r.orders);
    }
    let c = Connection::open(&path).unwrap();
    let q = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let shape = format!(
        "{} members, {} subscriptions ({} running), {} orders with {} order lines from {} to {}, {} invoices, {} debit items; file {} MB",
        q("SELECT count(*) FROM members"),
        q("SELECT count(*) FROM subscriptions"),
        q("SELECT count(*) FROM subscriptions WHERE status = 'active'"),
        q("SELECT count(*) FROM orders"),
        q("SELECT count(*) FROM order_lines"),
        c.query_row("SELECT min(ordered_on) FROM orders", [], |r| r.get::<_, String>(0)).unwrap(),
        c.query_row("SELECT max(ordered_on) FROM orders", [], |r| r.get::<_, String>(0)).unwrap(),
        q("SELECT count(*) FROM invoices"),
        q("SELECT count(*) FROM debit_items"),
        size / 1_000_000
    );
    (path, shape)
}

fn main() {
    pretend_today(Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()));
    let members = env("BENCH_MEMBERS", 100_000);
    let runs = env("BENCH_RUNS", 5).max(1);
    let (path, shape) = shop(members);
    let db = Db::open(&path).unwrap();
    let mut rows = Vec::new();
    let mut worst: f64 = 0.0;
    let mut time = |label: String, target: f64, f: &mut dyn FnMut() -> usize| {
        let mut v = Vec::new();
        let mut size = 0;
        for _ in 0..runs {
            let t = Instant::now();
            size = f();
            v.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let max = v.iter().cloned().fold(0.0, f64::max);
        let m = median(v);
        rows.push(format!("| {label} | {m:.0} | {max:.0} | {size} | {} |", if target > 0.0 { format!("< {target:.0}") } else { String::new() }));
        m
    };
    for kind in ReportKind::ALL {
        let m = time(format!("{} (`{}`)", kind.title(), kind.key()), 300.0, &mut || {
            let v = db.report(kind, &ReportFilter::default()).unwrap();
            v.sections.iter().map(|s| s.table.rows.len()).sum()
        });
        worst = worst.max(m);
    }
    let dash = time("ダッシュボード（`dashboard`）".into(), 500.0, &mut || db.dashboard().unwrap().figures.len());
    let three = ReportFilter { from: Some("2023-12".into()), to: Some("2026-11".into()), course: None };
    time("売上 3年分（2023-12〜2026-11）".into(), 0.0, &mut || db.report(ReportKind::Sales, &three).unwrap().sections[0].table.rows.len());
    time("CSV: 売上（`report_csv`, CP932）".into(), 0.0, &mut || db.report_csv(ReportKind::Sales, &ReportFilter::default()).unwrap().bytes.len());
    time("PDF: 売上（`report_pdf`, A4横）".into(), 0.0, &mut || db.report_pdf(ReportKind::Sales, &ReportFilter::default()).unwrap().bytes.len());
    time("CPM 初回客・離脱の会員一覧（`report_members`）".into(), 0.0, &mut || db.report_members(ReportKind::Cpm, &ReportFilter::default(), "cpm:first:lapsed").unwrap().rows.len());
    let report = format!(
        "## Reports benchmark (release, median of {runs} runs, ms; rows = table rows drawn or bytes written)\n\nShop: {shape}.\n\n| report | median | max | rows | target |\n|---|---|---|---|---|\n{}\n\nSlowest report: {worst:.0} ms (target < 300); dashboard {dash:.0} ms (target < 500).\n",
        rows.join("\n")
    );
    println!("{report}");
    if let Ok(p) = std::env::var("BENCH_REPORT") {
        std::fs::write(p, &report).unwrap();
    }
}
