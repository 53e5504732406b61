//! Import benchmark: a customer list of 100,000 members in Shift_JIS (CP932) with 15 columns, as
//! an old system or Excel leaves it, made from demo members through the members' export.
//! Measures the preview, the import into an empty database and the peak memory of each (every
//! phase runs in a child process — this binary again — so each VmHWM is its own), splits the
//! import into its phases by its progress reports, and compares with the `sqlite3` shell's
//! `.import` of the same rows converted to UTF-8 (the floor: parse CSV and insert text).
//! Prints a Markdown report; targets: preview < 2 s, import < 4 s, memory < 300 MB.
//! `BENCH_MEMBERS=N` changes the size; `BENCH_REPORT=FILE` also writes the report there;
//! `BENCH_KEEP_FILE=FILE` keeps the CSV, to profile one phase alone:
//! `BENCH_IMPORT_PHASE=import BENCH_IMPORT_FILE=FILE BENCH_IMPORT_DB=new.db perf record -g <bench binary>`.
use std::path::Path;
use std::process::Command;
use std::time::Instant;
use teikibin_core::export::{CsvEncoding, MemberExportOptions};
use teikibin_core::import::{self, ImportKind, ImportOptions, ImportProgress, Source};
use teikibin_core::Db;

/// The columns of the file: what a typical legacy customer list holds.
const COLUMNS: [&str; 15] = [
    "code", "name", "kana", "postal_code", "prefecture", "city", "street", "building", "phone", "mobile", "email",
    "birthday", "gender", "joined_on", "status",
];

/// A memory figure of this process from /proc/self/status ("VmHWM": peak, "VmRSS": now), in MB.
fn mem_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn peak_mb() -> f64 {
    mem_mb("VmHWM")
}

fn ms(secs: f64) -> String {
    format!("{:.0}", secs * 1000.0)
}

/// Runs `phase` in a child process and returns its `key=value` lines.
fn child(phase: &str, file: &Path, db: &Path) -> Vec<(String, String)> {
    let out = Command::new(std::env::current_exe().unwrap())
        .env("BENCH_IMPORT_PHASE", phase)
        .env("BENCH_IMPORT_FILE", file)
        .env("BENCH_IMPORT_DB", db)
        .output()
        .expect("run the benchmark's child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "phase {phase} failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout.lines().filter_map(|l| l.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn get(kv: &[(String, String)], key: &str) -> f64 {
    kv.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.parse().ok()).unwrap_or(f64::NAN)
}

/// The child's side: one phase, its time, its peak memory.
fn run_phase(phase: &str) {
    let file = std::path::PathBuf::from(std::env::var_os("BENCH_IMPORT_FILE").unwrap());
    let db_path = std::path::PathBuf::from(std::env::var_os("BENCH_IMPORT_DB").unwrap());
    let mut db = Db::open(&db_path).unwrap();
    let source = Source::read(&file).unwrap();
    println!("base_mb={:.1}", peak_mb());
    let opts = ImportOptions { staff: "ベンチ".into(), ..Default::default() };
    match phase {
        "preview" => {
            let t = Instant::now();
            let p = db.preview_import(ImportKind::Members, &source, &opts).unwrap();
            println!("secs={}", t.elapsed().as_secs_f64());
            println!("peak_mb={:.1}", peak_mb());
            println!("rows={}\nnew={}\nrejected={}\nwarnings={}", p.rows, p.new, p.rejected, p.warnings.len());
            assert!(p.missing.is_empty() && p.rejected == 0, "{:?} {:?}", p.missing, p.errors.first());
            // The first two steps alone (after the peak was read): bytes → text → cells.
            let t = Instant::now();
            let (text, _) = teikibin_core::textfile::decode(&source.bytes, &source.file_name).unwrap();
            println!("decode_secs={}", t.elapsed().as_secs_f64());
            let t = Instant::now();
            let table = import::table::read(&text, &source.file_name).unwrap();
            println!("table_secs={}", t.elapsed().as_secs_f64());
            assert_eq!(table.rows.len() as u32, p.rows);
        }
        "import" => {
            // (phase, done, seconds, resident MB) at each progress report.
            let mut marks: Vec<(&'static str, u32, f64, f64)> = Vec::new();
            let t = Instant::now();
            let r = db
                .import(ImportKind::Members, &source, &opts, false, &mut |p: ImportProgress| {
                    marks.push((p.phase, p.done, t.elapsed().as_secs_f64(), mem_mb("VmRSS")));
                })
                .unwrap();
            let total = t.elapsed().as_secs_f64();
            println!("secs={total}");
            println!("peak_mb={:.1}", peak_mb());
            assert!(r.errors.is_empty(), "{:?}", r.errors.first());
            println!("imported={}\nduplicates={}", r.imported, r.duplicates.len());
            // The progress reports split the run: read + map (until the first "check"), check
            // every row, write (first to last "write"), then what follows the commit.
            let at = |phase: &str, last: bool| {
                let mut it = marks.iter().filter(|m| m.0 == phase);
                if last { it.next_back() } else { it.next() }.map(|m| (m.2, m.3)).unwrap_or((f64::NAN, f64::NAN))
            };
            let ((check0, rss_read), (check1, rss_checked)) = (at("check", false), at("check", true));
            let ((write0, _), (write1, rss_written)) = (at("write", false), at("write", true));
            println!("read_secs={check0}\ncheck_secs={}\nwrite_prep_secs={}", check1 - check0, write0 - check1);
            println!("write_secs={}\nafter_secs={}", write1 - write0, total - write1);
            println!("rss_read_mb={rss_read}\nrss_checked_mb={rss_checked}\nrss_written_mb={rss_written}\nrss_end_mb={}", mem_mb("VmRSS"));
        }
        other => panic!("unknown phase {other}"),
    }
}

fn main() {
    if let Ok(phase) = std::env::var("BENCH_IMPORT_PHASE") {
        run_phase(&phase);
        return;
    }
    let n: u32 = std::env::var("BENCH_MEMBERS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let mut report = format!("# Import benchmark ({n} members, CP932, {} columns)\n\n", COLUMNS.len());

    // The file: demo members through the export.
    let mut demo = Db::open(&dir.path().join("demo.db")).unwrap();
    demo.generate_demo(n, 42).unwrap();
    let t = Instant::now();
    let opts = MemberExportOptions { encoding: CsvEncoding::Cp932, columns: COLUMNS.iter().map(|c| c.to_string()).collect() };
    let export = demo.export_members(&opts).unwrap();
    let export_secs = t.elapsed().as_secs_f64();
    assert_eq!(export.encoding, CsvEncoding::Cp932, "{:?}", export.unencodable.first());
    drop(demo);
    let file = dir.path().join("会員一覧.csv");
    std::fs::write(&file, &export.bytes).unwrap();
    if let Some(keep) = std::env::var_os("BENCH_KEEP_FILE") {
        std::fs::write(keep, &export.bytes).unwrap();
    }
    report += &format!(
        "File: {} rows, {:.1} MB; written by the members' export in {} ms.\n\n| what | result | target |\n|---|---|---|\n",
        export.rows,
        export.bytes.len() as f64 / 1e6,
        ms(export_secs)
    );

    let p = child("preview", &file, &dir.path().join("preview.db"));
    report += &format!("| preview (read, map, check every row) | {} ms | < 2000 ms |\n", ms(get(&p, "secs")));
    report += &format!("| preview peak memory (VmHWM) | {:.0} MB (at start {:.0} MB) | < 300 MB |\n", get(&p, "peak_mb"), get(&p, "base_mb"));
    report += &format!("|   of which: CP932 → text | {} ms | |\n", ms(get(&p, "decode_secs")));
    report += &format!("|   of which: text → cells (`table::read`) | {} ms | |\n", ms(get(&p, "table_secs")));

    let i = child("import", &file, &dir.path().join("import.db"));
    report += &format!("| import into an empty database | {} ms | < 4000 ms |\n", ms(get(&i, "secs")));
    report += &format!("| import peak memory (VmHWM) | {:.0} MB (at start {:.0} MB) | < 300 MB |\n", get(&i, "peak_mb"), get(&i, "base_mb"));
    for (label, key) in [
        ("read + map (until the first progress report)", "read_secs"),
        ("check every row", "check_secs"),
        ("between check and write (same-file check, batch row)", "write_prep_secs"),
        ("write (one transaction, up to and with the commit)", "write_secs"),
        ("after the commit (search reset, 名寄せ candidates for the report)", "after_secs"),
    ] {
        report += &format!("|   {label} | {} ms | |\n", ms(get(&i, key)));
    }
    report += &format!(
        "|   resident memory after read / after check / after write / at the end | {:.0} / {:.0} / {:.0} / {:.0} MB | |\n",
        get(&i, "rss_read_mb"),
        get(&i, "rss_checked_mb"),
        get(&i, "rss_written_mb"),
        get(&i, "rss_end_mb")
    );
    assert_eq!(get(&i, "imported") as u32, export.rows);

    // The floor: the sqlite3 shell parsing the same rows (as UTF-8) into one table of text.
    match Command::new("sqlite3").arg("--version").output() {
        Ok(v) if v.status.success() => {
            let (text, _) = teikibin_core::textfile::decode(&export.bytes, "x.csv").unwrap();
            let utf8 = dir.path().join("members-utf8.csv");
            std::fs::write(&utf8, text.as_bytes()).unwrap();
            let db = dir.path().join("sqlite3.db");
            let t = Instant::now();
            let out = Command::new("sqlite3")
                .arg(&db)
                .arg(format!(".import --csv {} members", utf8.display()))
                // The shell's own peak memory, read by a command it runs itself.
                .arg(".system grep VmHWM /proc/$PPID/status")
                .output()
                .unwrap();
            let secs = t.elapsed().as_secs_f64();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let hwm = String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
                .map(|kb| kb / 1024.0)
                .unwrap_or(f64::NAN);
            let rows = Command::new("sqlite3").arg(&db).arg("SELECT count(*) FROM members").output().unwrap();
            let rows = String::from_utf8_lossy(&rows.stdout).trim().to_string();
            report += &format!(
                "| `sqlite3` shell `.import` of the same rows (UTF-8), {} | {} ms, {:.0} MB peak ({rows} rows) | |\n",
                String::from_utf8_lossy(&v.stdout).split_whitespace().next().unwrap_or("?"),
                ms(secs),
                hwm
            );
            report += &format!("| import / `sqlite3 .import` | {:.1}× | |\n", get(&i, "secs") / secs);
        }
        _ => report += "| `sqlite3` shell `.import` | skipped: no `sqlite3` on PATH (apt-get install sqlite3) | |\n",
    }
    println!("{report}");
    if let Ok(out) = std::env::var("BENCH_REPORT") {
        std::fs::write(out, &report).unwrap();
    }
}
