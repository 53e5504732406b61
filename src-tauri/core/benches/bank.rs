//! Bank reconciliation benchmark (一括消込): the demo shop with 20,000 members gets 50,000 open
//! invoices (plain inserts, not timed), then a Zengin 03 statement of 5,000 deposits is read
//! and matched (a dry run: parse, load the book, match, nothing written), imported for real
//! (the same plus writing every line and the automatic payments), and every suggestion is
//! confirmed with its first candidate in one call (confirm-all). Medians of a few runs, each on
//! a fresh copy of the file. Deposits: 55% the member's kana and one invoice to the yen, 15% the
//! member code and the two oldest invoices together, 10% short by a transfer fee, 5% over, 5%
//! short, 10% from nobody on file.
//! Prints a Markdown report; targets: parse and match < 1 s, confirm-all < 1 s.
//! `BENCH_MEMBERS`, `BENCH_INVOICES`, `BENCH_DEPOSITS`, `BENCH_RUNS` change the sizes;
//! `BENCH_REPORT=FILE` also writes the report there.
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use std::path::Path;
use std::time::Instant;
use teikibin_core::bank::{BankImportOptions, DepositConfirmation};
use teikibin_core::clock::pretend_today;
use teikibin_core::zengin::statement::Direction;
use teikibin_core::zengin::testfiles::{statement_03, Sep, StatementRow};
use teikibin_core::zengin::zengin_kana;
use teikibin_core::Db;

fn env(key: &str, default: u32) -> u32 {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Small deterministic generator (no dependency).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Adds `n` open invoices spread over the members (oldest first per member), like an imported
/// ledger; returns (member id, code, kana, [(number, amount)]) for those who have some.
#[allow(clippy::type_complexity)]
fn add_invoices(path: &Path, n: u32, rng: &mut Rng) -> Vec<(i64, String, String, Vec<i64>)> {
    let mut c = Connection::open(path).unwrap();
    let members: Vec<(i64, String, String)> = {
        let mut st = c.prepare("SELECT id, code, kana FROM members WHERE merged_into IS NULL ORDER BY id").unwrap();
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
        rows.map(|r| r.unwrap()).collect()
    };
    let mut out: Vec<(i64, String, String, Vec<i64>)> = members.iter().map(|(id, code, kana)| (*id, code.clone(), kana.clone(), Vec::new())).collect();
    let tx = c.transaction().unwrap();
    {
        let mut st = tx
            .prepare("INSERT INTO invoices (number, member_id, issued_on, due_on, amount, created_at) VALUES (?1, ?2, ?3, ?4, ?5, '2026-11-01 00:00:00')")
            .unwrap();
        for k in 0..n {
            let m = rng.below(out.len() as u64) as usize;
            let amount = [3980, 4320, 5400, 2980, 11_880, 6480, 8640][rng.below(7) as usize] + 700 * rng.below(2) as i64;
            let issued = NaiveDate::from_ymd_opt(2026, 8, 1).unwrap() + chrono::Duration::days(k as i64 * 90 / n as i64);
            st.execute(params![format!("B{k:07}"), out[m].0, issued.to_string(), (issued + chrono::Duration::days(14)).to_string(), amount]).unwrap();
            out[m].3.push(amount);
        }
    }
    tx.commit().unwrap();
    out.retain(|m| !m.3.is_empty());
    out
}

fn statement(members: &[(i64, String, String, Vec<i64>)], n: u32, rng: &mut Rng) -> Vec<u8> {
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let rows: Vec<StatementRow> = (0..n)
        .map(|k| {
            let (_, code, kana, amounts) = &members[rng.below(members.len() as u64) as usize];
            let name = zengin_kana(kana);
            let (amount, remitter) = match rng.below(20) {
                0..=10 => (amounts[rng.below(amounts.len() as u64) as usize], name),
                11..=13 => (amounts.iter().take(2).sum(), format!("{code} {name}")),
                14 | 15 => (amounts[0] - 440, name),
                16 => (amounts.iter().sum::<i64>() + 1000, name),
                17 => ((amounts[0] / 2).max(1), name),
                _ => (1000 + rng.below(20_000) as i64, format!("ﾌﾒｲ ｲﾗｲﾆﾝ{}", k % 97)),
            };
            StatementRow::new(k + 1, day, Direction::In, amount, &remitter)
        })
        .collect();
    statement_03(&rows, Sep::CrLf)
}

fn main() {
    let members = env("BENCH_MEMBERS", 20_000);
    let invoices = env("BENCH_INVOICES", 50_000);
    let deposits = env("BENCH_DEPOSITS", 5_000);
    let runs = env("BENCH_RUNS", 3);
    pretend_today(Some(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()));
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.db");
    let t = Instant::now();
    let mut db = Db::open(&base).unwrap();
    db.generate_demo(members, 7).unwrap();
    drop(db);
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let owing = add_invoices(&base, invoices, &mut rng);
    let file = statement(&owing, deposits, &mut rng);
    let build = t.elapsed().as_secs_f64();

    let (mut dry, mut real, mut confirm) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for run in 0..runs {
        let path = dir.path().join(format!("run{run}.db"));
        std::fs::copy(&base, &path).unwrap();
        let mut db = Db::open(&path).unwrap();
        let t = Instant::now();
        let r = db.bank_import(&file, "bench.txt", &BankImportOptions { dry_run: true, ..Default::default() }).unwrap();
        dry.push(t.elapsed().as_secs_f64());
        assert_eq!(r.deposits, deposits as u64);
        let t = Instant::now();
        let r = db.bank_import(&file, "bench.txt", &BankImportOptions::default()).unwrap();
        real.push(t.elapsed().as_secs_f64());
        let import = r.import.unwrap();
        // Two deposits may suggest the same invoice; staff pick each invoice once, as here.
        let mut taken = std::collections::HashSet::new();
        let mut picks = Vec::new();
        for s in &r.suggested {
            if let Some(c) = s.candidates.iter().find(|c| c.invoices.iter().all(|i| !taken.contains(i))) {
                taken.extend(c.invoices.iter().cloned());
                picks.push(DepositConfirmation { import, line: s.line, member: c.member.clone(), invoices: c.invoices.clone(), staff: "bench".into() });
            }
        }
        let t = Instant::now();
        let done = db.bank_confirm(&picks).unwrap();
        confirm.push(t.elapsed().as_secs_f64());
        assert_eq!(done.len(), picks.len());
        last = Some((r.auto.len(), r.suggested.len(), r.unmatched.len(), picks.len()));
    }
    let (auto, suggested, unmatched, confirmed) = last.unwrap();
    let ms = |v: Vec<f64>| format!("{:.0}", median(v) * 1000.0);
    let report = format!(
        "## Bank reconciliation ({members} members, {invoices} open invoices, {deposits} deposits; median of {runs})\n\n\
         | step | ms | target |\n|---|---|---|\n\
         | read and match (dry run: parse, load invoices and members, match) | {} | < 1000 |\n\
         | import (the same, plus every line and {auto} automatic payments written) | {} | |\n\
         | confirm all {confirmed} suggestions in one call | {} | < 1000 |\n\n\
         Outcome: {auto} automatic, {suggested} suggested, {unmatched} unmatched. Setup (demo + invoices + file, not timed): {:.0} s; file {} KB.\n",
        ms(dry),
        ms(real),
        ms(confirm),
        build,
        file.len() / 1024
    );
    println!("{report}");
    if let Ok(p) = std::env::var("BENCH_REPORT") {
        std::fs::write(p, &report).unwrap();
    }
}
