//! Zengin files built byte by byte, for the tests here, integration tests and benchmarks. Built
//! independently of the readers and the debit writer, so each checks the other. Values that do
//! not fit their columns panic: a broken fixture should fail loudly, not produce a subtly
//! different file.
use super::debit::{DebitHeader, DebitRecord};
use super::era_yymmdd;
use super::statement::Direction;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sep {
    CrLf,
    Lf,
    /// A plain stream of fixed-length records.
    None,
}

/// A record of `len` spaces.
pub fn record(len: usize) -> Vec<u8> {
    vec![b' '; len]
}

/// Writes `s` (Shift_JIS, so half-width kana take one byte) at 1-based column `col`.
pub fn put(rec: &mut [u8], col: usize, s: &str) {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(s);
    assert!(!unmappable, "not Shift_JIS: {s}");
    let end = col - 1 + bytes.len();
    assert!(end <= rec.len(), "「{s}」 at column {col} overflows a {}-byte record", rec.len());
    rec[col - 1..end].copy_from_slice(&bytes);
}

/// Writes `v` zero-padded to `width` digits at column `col`.
pub fn num(rec: &mut [u8], col: usize, width: usize, v: i64) {
    let s = format!("{v:0width$}");
    assert_eq!(s.len(), width, "{v} does not fit {width} digits");
    put(rec, col, &s);
}

/// Writes `d` as 令和 YYMMDD at column `col`.
pub fn date(rec: &mut [u8], col: usize, d: NaiveDate) {
    put(rec, col, &era_yymmdd(d).expect("a date in 令和"));
}

/// The records one after another, each followed by `sep`.
pub fn join(records: &[Vec<u8>], sep: Sep) -> Vec<u8> {
    let sep: &[u8] = match sep {
        Sep::CrLf => b"\r\n",
        Sep::Lf => b"\n",
        Sep::None => b"",
    };
    records.iter().flat_map(|r| r.iter().chain(sep)).copied().collect()
}

/// One data record of a 振込入金通知 (01).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferRow {
    pub inquiry_no: u32,
    pub date: NaiveDate,
    pub amount: i64,
    /// Up to 10 digits, or "" for none (spaces).
    pub remitter_code: String,
    pub remitter_name: String,
    pub cancel: bool,
}

impl TransferRow {
    pub fn new(inquiry_no: u32, date: NaiveDate, amount: i64, remitter_name: &str) -> Self {
        TransferRow { inquiry_no, date, amount, remitter_code: String::new(), remitter_name: remitter_name.into(), cancel: false }
    }
}

/// One data record of an 入出金取引明細 (03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRow {
    pub inquiry_no: u32,
    pub date: NaiveDate,
    pub direction: Direction,
    /// 取引区分; `new` gives "11" (振込).
    pub kind: String,
    pub amount: i64,
    pub remitter_code: String,
    pub remitter_name: String,
    pub memo: String,
}

impl StatementRow {
    pub fn new(inquiry_no: u32, date: NaiveDate, direction: Direction, amount: i64, remitter_name: &str) -> Self {
        StatementRow { inquiry_no, date, direction, kind: "11".into(), amount, remitter_code: String::new(), remitter_name: remitter_name.into(), memo: String::new() }
    }
}

fn fallback_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).expect("date")
}

/// The inquiry header shared by 01 and 03: kind, dates from the rows, the shop's bank and branch.
fn inquiry_header(kind: &str, dates: impl Iterator<Item = NaiveDate> + Clone) -> Vec<u8> {
    let mut h = record(200);
    put(&mut h, 1, &format!("1{kind}0"));
    let last = dates.clone().max().unwrap_or_else(fallback_day);
    date(&mut h, 5, last);
    date(&mut h, 11, dates.min().unwrap_or_else(fallback_day));
    date(&mut h, 17, last);
    put(&mut h, 23, "0005");
    put(&mut h, 27, "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ");
    put(&mut h, 42, "001");
    put(&mut h, 45, "ﾎﾝﾃﾝ");
    h
}

fn remitter_code(rec: &mut [u8], col: usize, code: &str) {
    if !code.is_empty() {
        num(rec, col, 10, code.parse().expect("remitter code digits"));
    }
}

/// A 振込入金通知 for account 1234567 (0005 ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ, 001 ﾎﾝﾃﾝ, ｶ)ﾃｲｷﾋﾞﾝ): header, data,
/// trailer, end. Format B puts the amount in the 12-digit field at 129-140.
pub fn transfers_01_records(rows: &[TransferRow], format_b: bool) -> Vec<Vec<u8>> {
    let mut h = inquiry_header("01", rows.iter().map(|r| r.date));
    put(&mut h, 60, "1");
    put(&mut h, 61, "1234567");
    put(&mut h, 68, "ｶ)ﾃｲｷﾋﾞﾝ");
    let mut out = vec![h];
    for r in rows {
        let mut d = record(200);
        put(&mut d, 1, "2");
        num(&mut d, 2, 6, r.inquiry_no.into());
        date(&mut d, 8, r.date);
        date(&mut d, 14, r.date);
        num(&mut d, 20, 10, if format_b { 0 } else { r.amount });
        num(&mut d, 30, 10, 0);
        remitter_code(&mut d, 40, &r.remitter_code);
        put(&mut d, 50, &r.remitter_name);
        put(&mut d, 98, "ﾐｽﾞﾎ");
        put(&mut d, 113, "ｼﾌﾞﾔ");
        put(&mut d, 128, if r.cancel { "1" } else { "0" });
        if format_b {
            num(&mut d, 129, 12, r.amount);
            num(&mut d, 141, 12, 0);
        }
        out.push(d);
    }
    let mut t = record(200);
    put(&mut t, 1, "8");
    let cancelled = rows.iter().filter(|r| r.cancel);
    num(&mut t, 2, 6, rows.len() as i64);
    num(&mut t, 8, 12, rows.iter().map(|r| r.amount).sum());
    num(&mut t, 20, 6, cancelled.clone().count() as i64);
    num(&mut t, 26, 12, cancelled.map(|r| r.amount).sum());
    out.push(t);
    let mut e = record(200);
    put(&mut e, 1, "9");
    out.push(e);
    out
}

pub fn transfers_01(rows: &[TransferRow], format_b: bool, sep: Sep) -> Vec<u8> {
    join(&transfers_01_records(rows, format_b), sep)
}

/// An 入出金取引明細 with one header/data/trailer group per account (ordinary accounts
/// 0001234567, 0001234568 …), then the end record.
pub fn statement_03_records(accounts: &[&[StatementRow]]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (i, rows) in accounts.iter().enumerate() {
        let mut h = inquiry_header("03", rows.iter().map(|r| r.date));
        put(&mut h, 60, "000");
        put(&mut h, 63, "1");
        num(&mut h, 64, 10, 1_234_567 + i as i64);
        put(&mut h, 74, "ｶ)ﾃｲｷﾋﾞﾝ");
        num(&mut h, 116, 14, 1_000_000);
        out.push(h);
        let sum = |dir: Direction| rows.iter().filter(move |r| r.direction == dir).map(|r| r.amount);
        for r in rows.iter() {
            let mut d = record(200);
            put(&mut d, 1, "2");
            num(&mut d, 2, 8, r.inquiry_no.into());
            date(&mut d, 10, r.date);
            date(&mut d, 16, r.date);
            put(&mut d, 22, if r.direction == Direction::In { "1" } else { "2" });
            put(&mut d, 23, &r.kind);
            num(&mut d, 25, 12, r.amount);
            num(&mut d, 37, 12, 0);
            remitter_code(&mut d, 72, &r.remitter_code);
            put(&mut d, 82, &r.remitter_name);
            if r.direction == Direction::In {
                put(&mut d, 130, "ﾐｽﾞﾎ");
                put(&mut d, 145, "ｼﾌﾞﾔ");
            }
            put(&mut d, 160, &r.memo);
            out.push(d);
        }
        let mut t = record(200);
        put(&mut t, 1, "8");
        num(&mut t, 2, 6, sum(Direction::In).count() as i64);
        num(&mut t, 8, 13, sum(Direction::In).sum());
        num(&mut t, 21, 6, sum(Direction::Out).count() as i64);
        num(&mut t, 27, 13, sum(Direction::Out).sum());
        put(&mut t, 40, "+");
        num(&mut t, 41, 14, 1_000_000 + sum(Direction::In).sum::<i64>() - sum(Direction::Out).sum::<i64>());
        num(&mut t, 55, 7, rows.len() as i64);
        out.push(t);
    }
    let mut e = record(200);
    put(&mut e, 1, "9");
    num(&mut e, 2, 10, out.len() as i64 + 1);
    num(&mut e, 12, 5, accounts.len() as i64);
    out.push(e);
    out
}

pub fn statement_03(rows: &[StatementRow], sep: Sep) -> Vec<u8> {
    join(&statement_03_records(&[rows]), sep)
}

/// The shop's collection contract used in tests: debit on 11/27 into 0005/001 ordinary 1234567.
pub fn debit_header() -> DebitHeader {
    DebitHeader {
        collector_code: "1234567890".into(),
        collector_name: "ｶ)ﾃｲｷﾋﾞﾝ".into(),
        debit_month: 11,
        debit_day: 27,
        bank_code: "0005".into(),
        bank_name: "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ".into(),
        branch_code: "001".into(),
        branch_name: "ﾎﾝﾃﾝ".into(),
        account_kind: "1".into(),
        account_number: "1234567".into(),
    }
}

/// One payer's record of a 91 file (ﾔﾏﾀﾞ ﾊﾅｺ at 0001/100 ordinary 0012345), with the customer
/// number zero-filled to its 20 digits.
pub fn debit_record(line: u32, amount: i64, customer: &str, result: &str) -> DebitRecord {
    DebitRecord {
        line,
        bank_code: "0001".into(),
        bank_name: "ﾐｽﾞﾎ".into(),
        branch_code: "100".into(),
        branch_name: "ﾎﾝﾃﾝ".into(),
        account_kind: "1".into(),
        account_number: "0012345".into(),
        holder: "ﾔﾏﾀﾞ ﾊﾅｺ".into(),
        amount,
        new_code: "1".into(),
        customer_number: format!("{customer:0>20}"),
        result: result.into(),
    }
}

/// A 91 file with the records' own result codes. `result`: the trailer carries collected and
/// failed counts as a bank's result file does; otherwise zeros, as in a request.
pub fn debit_records(header: &DebitHeader, records: &[DebitRecord], result: bool) -> Vec<Vec<u8>> {
    let mut h = record(120);
    put(&mut h, 1, "1910");
    put(&mut h, 5, &header.collector_code);
    put(&mut h, 15, &header.collector_name);
    num(&mut h, 55, 2, header.debit_month.into());
    num(&mut h, 57, 2, header.debit_day.into());
    put(&mut h, 59, &header.bank_code);
    put(&mut h, 63, &header.bank_name);
    put(&mut h, 78, &header.branch_code);
    put(&mut h, 81, &header.branch_name);
    put(&mut h, 96, &header.account_kind);
    put(&mut h, 97, &header.account_number);
    let mut out = vec![h];
    for r in records {
        let mut d = record(120);
        put(&mut d, 1, "2");
        put(&mut d, 2, &r.bank_code);
        put(&mut d, 6, &r.bank_name);
        put(&mut d, 21, &r.branch_code);
        put(&mut d, 24, &r.branch_name);
        put(&mut d, 43, &r.account_kind);
        put(&mut d, 44, &r.account_number);
        put(&mut d, 51, &r.holder);
        num(&mut d, 81, 10, r.amount);
        put(&mut d, 91, &r.new_code);
        put(&mut d, 92, &r.customer_number);
        put(&mut d, 112, &r.result);
        out.push(d);
    }
    let mut t = record(120);
    put(&mut t, 1, "8");
    let collected = records.iter().filter(|r| r.result == "0");
    let failed = records.iter().filter(|r| r.result != "0");
    let figure = |n: i64| if result { n } else { 0 };
    num(&mut t, 2, 6, records.len() as i64);
    num(&mut t, 8, 12, records.iter().map(|r| r.amount).sum());
    num(&mut t, 20, 6, figure(collected.clone().count() as i64));
    num(&mut t, 26, 12, figure(collected.map(|r| r.amount).sum()));
    num(&mut t, 38, 6, figure(failed.clone().count() as i64));
    num(&mut t, 44, 12, figure(failed.map(|r| r.amount).sum()));
    out.push(t);
    let mut e = record(120);
    put(&mut e, 1, "9");
    out.push(e);
    out
}

pub fn debit_file(header: &DebitHeader, records: &[DebitRecord], result: bool, sep: Sep) -> Vec<u8> {
    join(&debit_records(header, records, result), sep)
}
