//! Members' register benchmark on 100,000 demo members (a real file in a temp folder):
//! demo generation, opening the file to the first page of the list (what the app does at
//! start), and search latency p50/p95/max for 1-, 2- and 3+-character queries.
//! Prints a Markdown report; targets: search p95 < 20 ms, demo shop of 100k members (with two
//! years of subscriptions and orders since the courses issue) < 30 s.
//! `BENCH_MEMBERS=N` changes the size.
use std::time::{Duration, Instant};
use teikibin_core::members::search::SearchQuery;
use teikibin_core::Db;

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let n: u32 = std::env::var("BENCH_MEMBERS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let mut report = format!("# Members benchmark ({n} demo members)\n\n| what | result | target |\n|---|---|---|\n");

    let mut db = Db::open(&path).unwrap();
    let t = Instant::now();
    db.generate_demo(n, 42).unwrap();
    let gen = t.elapsed();
    report += &format!("| demo shop generation (members, courses, subscriptions, orders) | {} ms | < 30000 ms |\n", ms(gen));
    drop(db);
    if std::env::var_os("BENCH_DEMO_ONLY").is_some() {
        println!("{report}");
        return;
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) + std::fs::metadata(path.with_extension("db-wal")).map(|m| m.len()).unwrap_or(0);
    report += &format!("| database size | {:.1} MB | |\n", size as f64 / 1e6);

    // What the app does at start: open, migrate check, first page of the list in kana order.
    let t = Instant::now();
    let mut db = Db::open(&path).unwrap();
    let first = db.search_members(&SearchQuery { limit: 100, ..Default::default() }).unwrap();
    let start = t.elapsed();
    assert_eq!(first.total, n);
    report += &format!("| open + first list page (core part of app start) | {} ms | < 1500 ms for the whole app |\n", ms(start));

    let groups: [(&str, &[&str]); 3] = [
        ("1 character", &["山", "ヤ", "ｻ", "花", "東", "3", "た", "子", "田", "佐"]),
        ("2 characters", &["山田", "ﾀﾅｶ", "花子", "さと", "03", "丸の", "大阪", "スズ", "一郎", "世田"]),
        ("3+ characters", &["ヤマダ", "ﾔﾏﾀﾞ ﾊﾅｺ", "佐藤 花子", "090-1234", "000123", "154-0015", "example.jp", "桜新町", "たなか", "髙橋"]),
    ];
    for (label, queries) in groups {
        let mut times = Vec::new();
        let mut hits = 0;
        for round in 0..20 {
            for q in queries {
                let t = Instant::now();
                let page = db.search_members(&SearchQuery { text: q.to_string(), limit: 100, ..Default::default() }).unwrap();
                let d = t.elapsed();
                if round > 0 {
                    times.push(d);
                }
                hits += page.total as usize;
            }
        }
        times.sort();
        report += &format!(
            "| search {label}: p50 / p95 / max | {} / {} / {} ms ({} hits avg) | p95 < 20 ms |\n",
            ms(pct(&times, 0.5)), ms(pct(&times, 0.95)), ms(*times.last().unwrap()), hits / (20 * queries.len())
        );
    }
    println!("{report}");
    if let Ok(out) = std::env::var("BENCH_REPORT") {
        std::fs::write(out, &report).unwrap();
    }
}
