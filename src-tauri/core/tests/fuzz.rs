//! Property-test fuzzing of every reader of a file a shop brings in (`teikibin_core::fuzzing`
//! says what must hold: no panic, a result or a Japanese `CoreError`). Per target:
//! - the committed seed corpus `tests/fuzz-corpus/<target>/` (also cargo-fuzz's seeds) replayed;
//! - structure-aware mutations of valid files (flip/insert/delete bytes, truncate, splice and
//!   swap records, change a record's length, re-encode as UTF-8/UTF-16/EUC-JP);
//! - arbitrary bytes, and CSV-ish text built from tokens the readers care about.
//!
//! Each input must also finish within a bounded time and without a huge allocation (a counting
//! allocator watches this thread's live heap). The runs use a fixed RNG seed and a fixed number
//! of cases, so `cargo test` is deterministic and quick; `FUZZ_CASES=N` runs N cases per kind.
//! `cargo test -p teikibin-core --test fuzz -- --ignored write_fuzz_corpus` rewrites the corpus's
//! generated seeds (files added by hand, such as crash reproducers, stay).
use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use teikibin_core::fuzzing::{run, Target};
use teikibin_core::zengin::testfiles::{self as tf, Sep, StatementRow, TransferRow};
use teikibin_core::zengin::Direction;

// --- the live heap of this thread -------------------------------------------------------------

struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    // try_with: allocations during thread teardown must not panic.
    let _ = LIVE.try_with(|l| {
        let v = l.get() + delta;
        l.set(v);
        let _ = PEAK.try_with(|p| p.set(p.get().max(v)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            count(l.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(l) };
        if !p.is_null() {
            count(l.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        count(-(l.size() as isize));
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            count(new as isize - l.size() as isize);
        }
        q
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs one input with the time and memory bounds: a reader may use memory in proportion to its
/// input (decoded text, rows, cells), never megabytes for a few bytes.
fn bounded(target: Target, bytes: &[u8]) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let t = Instant::now();
    run(target, bytes);
    let took = t.elapsed();
    let peak = (PEAK.with(Cell::get) - base) as usize;
    let limit = (16 << 20) + bytes.len() * 64;
    assert!(peak <= limit, "{}: {} bytes of input held {peak} bytes of heap at once (limit {limit})", target.name(), bytes.len());
    // Generous for an unoptimised build on a busy 2-core machine; a hang takes far longer.
    let budget = Duration::from_secs(3) + Duration::from_micros(bytes.len() as u64);
    assert!(took <= budget, "{}: {} bytes took {took:?}", target.name(), bytes.len());
}

// --- seeds ------------------------------------------------------------------------------------

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cp932(s: &str) -> Vec<u8> {
    let (b, _, bad) = encoding_rs::SHIFT_JIS.encode(s);
    assert!(!bad, "{s}");
    b.into_owned()
}


/// Valid files of each target (CP932 where real files are CP932), the starting points of the
/// mutations and the generated part of the corpus.
fn seeds(target: Target) -> Vec<(String, Vec<u8>)> {
    match target {
        Target::ImportCsv => vec![
            ("members.csv".into(), cp932("顧客コード,お名前,ﾌﾘｶﾞﾅ,〒,住所1,TEL,生年月日,登録日,状態,備考\r\n1001,山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,100-0005,東京都千代田区丸の内1-1-1,312345678,S45.3.3,43556,,\"二行の\r\nメモ\"\r\n\r\n1002,髙橋 ①子,たかはし いちこ,0600001,北海道札幌市中央区北一条西2,011-222-3333,令和元年5月1日,2019/4/1,休止,\r\n")),
            ("products.csv".into(), cp932("商品コード,商品名,商品群,税込価格,税率,単位\r\nA01,青汁 30包,健康食品,\"¥3,980\",8%,箱\r\nB01,マグカップ,雑貨,1200,10,個\r\n")),
            ("subscriptions.csv".into(), cp932("定期番号,会員番号,コース,商品コード,数量,周期,次回お届け日,価格,支払方法,状態\r\nS1,1001,青汁定期,A01,2,毎月,2026/12/31,3580,口座振替,継続\r\nS2,1002,,B01,,隔週,R8.12.5,,代引,休止\r\n")),
            ("orders.csv".into(), cp932("受注番号,受注日,会員番号,商品コード,商品名,数量,単価,金額,税率,送料\r\nO-1,2025/1/10,1001,A01,,2,3980,,,500\r\nO-2,2025/2/10,1002,,年会費,1,,5000,10,\r\n")),
            ("payments.csv".into(), "\u{FEFF}会員番号,入金日,入金額,入金方法,請求番号,摘要\r\n1001,2025/11/20,10000,銀行振込,INV-001,ﾔﾏﾀﾞ ﾀﾛｳ\r\n".as_bytes().to_vec()),
            ("receivables.csv".into(), cp932("会員番号,請求番号,請求日,支払期限,請求額,10%対象額,8%対象額,入金済額\r\n1001,INV-001,2025/10/31,2025/11/30,9660,1700,7960,\r\n")),
        ],
        Target::ZenginStatement => {
            let rows = [
                StatementRow { remitter_code: "0000012345".into(), memo: "ﾌﾘｺﾐ".into(), ..StatementRow::new(1, d(2026, 11, 23), Direction::In, 12_800, "ﾔﾏﾀﾞ ﾊﾅｺ") },
                StatementRow { kind: "14".into(), ..StatementRow::new(2, d(2026, 11, 24), Direction::Out, 3_300, "ｶ)ｱﾌﾟﾗｽ") },
            ];
            let transfers = [TransferRow::new(1, d(2026, 11, 23), 12_800, "ﾔﾏﾀﾞ ﾊﾅｺ"), TransferRow { cancel: true, ..TransferRow::new(2, d(2026, 11, 24), 12_800, "ﾔﾏﾀﾞ ﾊﾅｺ") }];
            vec![
                ("statement03-crlf.txt".into(), tf::statement_03(&rows, Sep::CrLf)),
                ("statement03-stream.txt".into(), tf::statement_03(&rows, Sep::None)),
                ("statement03-two-accounts.txt".into(), tf::join(&tf::statement_03_records(&[&rows[..1], &rows[1..]]), Sep::Lf)),
                ("transfers01-a.txt".into(), tf::transfers_01(&transfers, false, Sep::CrLf)),
                ("transfers01-b.txt".into(), tf::transfers_01(&transfers, true, Sep::None)),
            ]
        }
        Target::ZenginDebit => {
            let h = tf::debit_header();
            let recs = [tf::debit_record(2, 4_980, "1", "0"), tf::debit_record(3, 12_800, "2", "1")];
            vec![
                ("debit91-request.txt".into(), tf::debit_file(&h, &[tf::debit_record(2, 4_980, "1", "0")], false, Sep::CrLf)),
                ("debit91-result.txt".into(), tf::debit_file(&h, &recs, true, Sep::CrLf)),
                ("debit91-result-stream.txt".into(), tf::debit_file(&h, &recs, true, Sep::None)),
            ]
        }
        Target::BankCsv => vec![
            ("bank-cp932.csv".into(), cp932("普通預金 入出金明細\r\n日付,摘要,お引出金額,お預入金額,残高\r\n2026/11/23,振込 ﾔﾏﾀﾞ ﾊﾅｺ,,\"12,800\",1012800\r\n2026/11/24,ｺｳｻﾞﾌﾘｶｴ,3300,,1009500\r\n")),
            ("bank-utf8.csv".into(), "お取引日,お取引内容,出金金額,入金金額,差引残高\n令和8年11月23日,ﾌﾘｺﾐ ｻﾄｳ ｼﾞﾛｳ,,４９８０円,5000\n".as_bytes().to_vec()),
        ],
        Target::B2Tracking => vec![
            ("b2-issued.csv".into(), cp932("お客様管理番号,送り状種類,クール区分,伝票番号,出荷予定日\r\nS0000001,0,0,4000-1111-2222,2026/12/01\r\nS0000002,2,1,400011112223,2026/12/01\r\n")),
            ("b2-no-header.csv".into(), cp932("S0000001,0,0,400011112222\r\n\"S0000002\",0,,\"4000 1111 2223\"\r\n")),
        ],
    }
}

fn corpus_dir(target: Target) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fuzz-corpus").join(target.name())
}

fn corpus(target: Target) -> Vec<(String, Vec<u8>)> {
    let dir = corpus_dir(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

// --- mutations --------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Op {
    /// Flip one bit.
    Flip(usize, u8),
    /// Set a byte to one of the bytes the readers treat specially.
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Truncate(usize),
    /// Copy a stretch (a record, half a record) to another place.
    Splice(usize, usize, usize),
    /// Swap two lines (records), or repeat or drop one.
    SwapLines(usize, usize),
    RepeatLine(usize),
    DropLine(usize),
    /// Read as CP932 (or UTF-8) and write in another encoding.
    Reencode(u8),
}

const SPECIAL: &[u8] = b"0129 8\r\n\",\x00\x1A\x81\xFF\xF1\xB1\xA4-";

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(i, b)| Op::Flip(i, b)),
        (any::<usize>(), prop::sample::select(SPECIAL)).prop_map(|(i, b)| Op::Set(i, b)),
        (any::<usize>(), prop::collection::vec(prop::sample::select(SPECIAL), 1..6)).prop_map(|(i, v)| Op::Insert(i, v)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Op::Delete(i, n)),
        any::<usize>().prop_map(Op::Truncate),
        (any::<usize>(), 1usize..300, any::<usize>()).prop_map(|(a, n, b)| Op::Splice(a, n, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::SwapLines(a, b)),
        any::<usize>().prop_map(Op::RepeatLine),
        any::<usize>().prop_map(Op::DropLine),
        (0u8..5).prop_map(Op::Reencode),
    ]
}

fn lines(b: &[u8]) -> Vec<Vec<u8>> {
    b.split_inclusive(|&c| c == b'\n').map(<[u8]>::to_vec).collect()
}

fn apply(mut b: Vec<u8>, op: &Op) -> Vec<u8> {
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
    match op {
        Op::Flip(i, bit) if !b.is_empty() => {
            let i = at(*i, b.len());
            b[i] ^= 1 << bit;
        }
        Op::Set(i, v) if !b.is_empty() => {
            let i = at(*i, b.len());
            b[i] = *v;
        }
        Op::Insert(i, v) => {
            let i = at(*i, b.len() + 1);
            b.splice(i..i, v.iter().copied());
        }
        Op::Delete(i, n) if !b.is_empty() => {
            let i = at(*i, b.len());
            b.drain(i..(i + n).min(b.len()));
        }
        Op::Truncate(n) => b.truncate(at(*n, b.len() + 1)),
        Op::Splice(from, n, to) if !b.is_empty() => {
            let from = at(*from, b.len());
            let piece = b[from..(from + n).min(b.len())].to_vec();
            let to = at(*to, b.len() + 1);
            b.splice(to..to, piece);
        }
        Op::SwapLines(x, y) => {
            let mut l = lines(&b);
            if !l.is_empty() {
                let (x, y) = (at(*x, l.len()), at(*y, l.len()));
                l.swap(x, y);
            }
            b = l.concat();
        }
        Op::RepeatLine(x) => {
            let mut l = lines(&b);
            if !l.is_empty() {
                let x = at(*x, l.len());
                l.insert(x, l[x].clone());
            }
            b = l.concat();
        }
        Op::DropLine(x) => {
            let mut l = lines(&b);
            if !l.is_empty() {
                l.remove(at(*x, l.len()));
            }
            b = l.concat();
        }
        Op::Reencode(to) => {
            let text = match std::str::from_utf8(&b) {
                Ok(s) => s.to_string(),
                Err(_) => encoding_rs::SHIFT_JIS.decode(&b).0.into_owned(),
            };
            b = match to {
                0 => text.into_bytes(),
                1 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
                2 => [vec![0xFF, 0xFE], text.encode_utf16().flat_map(u16::to_le_bytes).collect()].concat(),
                3 => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
                _ => encoding_rs::EUC_JP.encode(&text).0.into_owned(),
            };
        }
        _ => {}
    }
    b
}

// --- runs -------------------------------------------------------------------------------------

fn cases(default: u32) -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn runner(cases: u32) -> TestRunner {
    let config = Config { cases, failure_persistence: None, max_shrink_iters: 2_000, ..Config::default() };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

fn check_one(target: Target, bytes: &[u8]) -> Result<(), TestCaseError> {
    match std::panic::catch_unwind(|| bounded(target, bytes)) {
        Ok(()) => Ok(()),
        Err(p) => {
            let why = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
            Err(TestCaseError::fail(format!("{}: {why}", target.name())))
        }
    }
}

/// Tokens the CSV readers care about, to build text arbitrary bytes would rarely reach.
const TOKENS: &[&str] = &[
    ",", ",", ",", "\"", "\"\"", "\r\n", "\n", "\r", " ", "　", "会員番号", "氏名", "フリガナ", "商品コード", "税込価格", "日付", "摘要",
    "入金", "出金", "お客様管理番号", "伝票番号", "令和99年13月1日", "令和2147483647年1月1日", "R8.12.5", "H31/4/1", "2026-02-30", "43556", "令和元年5月1日",
    "¥1,980", "１２３", "-5", "△100", "9999999999999", "8%", "軽減", "毎月", "45日", "口座振替", "ﾔﾏﾀﾞ ﾊﾅｺ", "髙橋", "\u{FEFF}", "400011112222",
    "S0000001", "0312345678", "〒100-0005",
];

fn csv_text() -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec(prop::sample::select(TOKENS), 0..80), any::<bool>()).prop_map(|(t, sjis)| {
        let s = t.concat();
        if sjis { encoding_rs::SHIFT_JIS.encode(&s).0.into_owned() } else { s.into_bytes() }
    })
}

fn fuzz(target: Target, mutations: u32, arbitrary: u32) {
    let seeds: Vec<Vec<u8>> = seeds(target).into_iter().chain(corpus(target)).map(|(_, b)| b).collect();
    let n = seeds.len();
    let mutated = (0..n, prop::collection::vec(op(), 1..8)).prop_map(move |(i, ops)| ops.iter().fold(seeds[i].clone(), apply));
    runner(cases(mutations)).run(&mutated, |b| check_one(target, &b)).unwrap();
    let csv_like = matches!(target, Target::ImportCsv | Target::BankCsv | Target::B2Tracking);
    let raw = prop_oneof![prop::collection::vec(any::<u8>(), 0..600), csv_text()];
    let raw = if csv_like { raw.boxed() } else { prop::collection::vec(any::<u8>(), 0..600).boxed() };
    runner(cases(arbitrary)).run(&raw, |b| check_one(target, &b)).unwrap();
}

#[test]
fn fuzz_import_csv() {
    fuzz(Target::ImportCsv, 250, 150);
}

#[test]
fn fuzz_zengin_statement() {
    fuzz(Target::ZenginStatement, 1_500, 500);
}

#[test]
fn fuzz_zengin_debit() {
    fuzz(Target::ZenginDebit, 1_500, 500);
}

#[test]
fn fuzz_bank_csv() {
    fuzz(Target::BankCsv, 800, 400);
}

#[test]
fn fuzz_b2_tracking() {
    fuzz(Target::B2Tracking, 800, 400);
}

/// Every file of the committed corpus (seeds, and each crash cargo-fuzz or this test found,
/// kept after its fix) goes through its reader again.
#[test]
fn fuzz_corpus_replays() {
    for target in Target::ALL {
        let files = corpus(target);
        assert!(!files.is_empty(), "{}: the corpus is empty", target.name());
        for (name, bytes) in files {
            if let Err(e) = check_one(target, &bytes) {
                panic!("{}/{name}: {e}", target.name());
            }
        }
    }
}

/// Writes the generated seeds into the corpus (run by hand after changing `seeds`).
#[test]
#[ignore]
fn write_fuzz_corpus() {
    for target in Target::ALL {
        let dir = corpus_dir(target);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in seeds(target) {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
}
