//! Bank-statement reconciliation (一括消込): a Zengin 入出金取引明細 (03), 振込入金通知 (01) or a
//! bank's CSV statement is read, every deposit is matched to a member and open invoices
//! ([`matching`]), the sure ones are booked at once, and the rest wait in one screen for staff
//! to confirm or assign. A file or a line seen before is recognised and never booked twice;
//! withdrawals are listed and left alone. Confirming teaches the remitter name.
pub mod matching;

use crate::error::{CoreError, ErrorCode, Result};
use crate::normalize;
use crate::receivables::settle;
use crate::settings::ShopSettings;
use crate::store::{bank as sql, now_stamp, receivables as rsql, Db};
use crate::zengin::bank_csv::{self, CsvMapping};
use crate::zengin::statement::{self, Direction, StatementEntry, StatementFile, StatementKind};
use chrono::NaiveDate;
use matching::{Book, Candidate, Found, Outcome};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::collections::HashMap;
use ts_rs::TS;

/// Where a statement line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LineState {
    /// Booked as a payment (by the rules or by staff).
    Matched,
    /// Waiting for staff to pick one of the candidates.
    Suggested,
    /// Nobody found: staff assign it by searching a member.
    Unmatched,
    /// Money out: listed, never booked.
    Withdrawal,
    /// The same line came in an earlier file.
    Duplicate,
    /// Cancelled by the bank (振込取消), or the cancel record itself.
    Cancelled,
}

impl LineState {
    fn as_str(self) -> &'static str {
        match self {
            LineState::Matched => "matched",
            LineState::Suggested => "suggested",
            LineState::Unmatched => "unmatched",
            LineState::Withdrawal => "withdrawal",
            LineState::Duplicate => "duplicate",
            LineState::Cancelled => "cancelled",
        }
    }
    /// As staff say it (the screen, the CLI and the report CSV).
    pub fn label(self) -> &'static str {
        match self {
            LineState::Matched => "消込済",
            LineState::Suggested => "要確認",
            LineState::Unmatched => "未照合",
            LineState::Withdrawal => "出金",
            LineState::Duplicate => "取込済",
            LineState::Cancelled => "取消",
        }
    }
    pub(crate) fn parse(s: &str) -> LineState {
        [LineState::Matched, LineState::Suggested, LineState::Unmatched, LineState::Withdrawal, LineState::Duplicate, LineState::Cancelled]
            .into_iter()
            .find(|x| x.as_str() == s)
            .unwrap_or(LineState::Unmatched)
    }
}

/// One line of a statement and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankLine {
    #[ts(type = "number | null")]
    pub import: Option<i64>,
    /// Record position in the file (header = 1); for CSV the line number.
    pub line: u32,
    pub value_date: NaiveDate,
    #[ts(type = "number")]
    pub amount: i64,
    pub deposit: bool,
    pub remitter: String,
    pub remitter_code: String,
    pub memo: String,
    pub state: LineState,
    /// Booked by the rules, not by a person (can be undone).
    pub auto: bool,
    pub reason: String,
    /// What was booked (for a matched line).
    pub booked: Option<Candidate>,
    #[ts(type = "number | null")]
    pub payment: Option<i64>,
    /// Suggestions, best first (for a suggested line).
    pub candidates: Vec<Candidate>,
}

/// One imported statement file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankImportInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub file_name: String,
    pub format: String,
    pub account: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub imported_at: String,
    pub staff: String,
    #[ts(type = "number")]
    pub deposits: u64,
    #[ts(type = "number")]
    pub matched: u64,
    #[ts(type = "number")]
    pub waiting: u64,
    #[ts(type = "number")]
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct BankImportOptions {
    /// Match and report, write nothing.
    pub dry_run: bool,
    /// For a CSV statement whose columns are not recognised; remembered for that bank's header.
    pub mapping: Option<CsvMapping>,
    pub staff: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AutoMatch {
    pub line: u32,
    #[ts(type = "number")]
    pub amount: i64,
    pub member: String,
    pub invoices: Vec<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SuggestedMatch {
    pub line: u32,
    #[ts(type = "number")]
    pub amount: i64,
    pub remitter: String,
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UnmatchedDeposit {
    pub line: u32,
    #[ts(type = "number")]
    pub amount: i64,
    pub remitter: String,
}

/// What an import found; also the CLI's `bank import --json` shape (keep the keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankImportReport {
    /// The import's number (for `bank confirm`); none on a dry run or a repeated file.
    #[ts(type = "number | null")]
    pub import: Option<i64>,
    pub file: String,
    pub format: String,
    pub account: String,
    pub dry_run: bool,
    /// The whole file was imported before (nothing was booked again).
    pub duplicate: bool,
    /// New deposits in the file.
    #[ts(type = "number")]
    pub deposits: u64,
    /// Withdrawals (listed, not booked).
    #[ts(type = "number")]
    pub ignored: u64,
    /// Deposits seen in an earlier file (not booked again).
    #[ts(type = "number")]
    pub repeated: u64,
    #[ts(type = "number")]
    pub cancelled: u64,
    pub auto: Vec<AutoMatch>,
    pub suggested: Vec<SuggestedMatch>,
    pub unmatched: Vec<UnmatchedDeposit>,
    /// Every line, as the screen shows it.
    pub lines: Vec<BankLine>,
    /// Warnings for staff (a cancel record whose transfer was not found …).
    pub notes: Vec<String>,
}

/// Staff's decision for one deposit: whose it is and, if they say so, which invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct DepositConfirmation {
    #[ts(type = "number")]
    pub import: i64,
    pub line: u32,
    pub member: String,
    /// Empty: the member's open invoices, oldest first.
    pub invoices: Vec<String>,
    pub staff: String,
}

fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The same transaction in another file has the same key: account, day, direction, amount,
/// remitter, and which of identical lines in the file it is.
fn line_keys(file: &StatementFile) -> Vec<String> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    file.entries
        .iter()
        .map(|e| {
            let account = file.accounts.get(e.account).map(|a| format!("{}-{}-{}", a.bank_code, a.branch_code, a.account_number.trim_start_matches('0'))).unwrap_or_default();
            let dir = if e.direction == Direction::In { "in" } else { "out" };
            let base = format!("{account}|{}|{dir}|{}|{}{}", e.value_date, e.amount, matching::remitter_key(&e.remitter_name), if e.cancel { "|cancel" } else { "" });
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            format!("{base}#{n}")
        })
        .collect()
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "1" => "普通",
        "2" => "当座",
        "4" => "貯蓄",
        _ => "",
    }
}

fn format_name(kind: StatementKind) -> &'static str {
    match kind {
        StatementKind::Transfers => "zengin01",
        StatementKind::Statement => "zengin03",
        StatementKind::Csv => "csv",
    }
}

/// A booked candidate as the line shows it.
fn booked_from(p: &crate::receivables::Payment) -> Candidate {
    let live: Vec<_> = p.allocations.iter().filter(|a| a.undone_at.is_none()).collect();
    Candidate {
        member_id: 0,
        member: p.member.clone(),
        member_name: p.member_name.clone(),
        invoices: live.iter().map(|a| a.invoice.clone()).collect(),
        invoice_ids: Vec::new(),
        amounts: live.iter().map(|a| a.amount).collect(),
        fee: p.fee,
        credit: p.credit,
        found: Found::Staff,
        fit: matching::Fit::Exact,
        reason: String::new(),
    }
}

/// Whether a file is meant as Zengin fixed-length records rather than a CSV: EBCDIC's `1`, or a
/// first record of at least 120 bytes without a comma that starts with a record kind. A broken
/// Zengin file (data before the header, a wrong type code) then gets the Zengin reader's
/// message, with record and byte columns, instead of "no CSV header found".
fn looks_zengin(bytes: &[u8]) -> bool {
    if bytes.first() == Some(&0xF1) {
        return true;
    }
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    first.len() >= 120 && matches!(first[0], b'1' | b'2' | b'8' | b'9') && !first[..120].iter().any(|&b| matches!(b, b',' | b'\t'))
}

impl Db {
    fn read_statement(&self, bytes: &[u8], file: &str, mapping: Option<&CsvMapping>) -> Result<(StatementFile, Option<(String, CsvMapping)>)> {
        if looks_zengin(bytes) {
            return Ok((statement::parse_zengin_statement(bytes, file)?, None));
        }
        let saved = sql::csv_mappings(&self.conn)?;
        let remembered = |headers: &[String]| saved.get(&headers.join(",")).cloned();
        // A mapping given now wins; else the one remembered for this bank's header; else detect.
        let first_try = match mapping {
            Some(m) => bank_csv::parse_bank_csv(bytes, file, Some(m)),
            None => bank_csv::parse_bank_csv(bytes, file, None),
        };
        let csv = match first_try {
            Ok(c) if mapping.is_none() => match remembered(&c.headers) {
                Some(m) if m != c.mapping => bank_csv::parse_bank_csv(bytes, file, Some(&m))?,
                _ => c,
            },
            Ok(c) => c,
            Err(e) if mapping.is_none() => {
                let retry = saved.values().find_map(|m| bank_csv::parse_bank_csv(bytes, file, Some(m)).ok());
                retry.ok_or(e)?
            }
            Err(e) => return Err(e),
        };
        let key = csv.headers.join(",");
        Ok((csv.file, Some((key, csv.mapping))))
    }

    /// Imports a bank statement: every new deposit is matched; sure matches are booked, the
    /// rest wait for staff. All in one transaction; a dry run writes nothing.
    pub fn bank_import(&mut self, bytes: &[u8], file_name: &str, opts: &BankImportOptions) -> Result<BankImportReport> {
        let (file, csv_mapping) = self.read_statement(bytes, file_name, opts.mapping.as_ref())?;
        let hash = sha256(bytes);
        let account = file
            .accounts
            .first()
            .map(|a| normalize::tidy(&format!("{} {} {} {}", a.bank_name, a.branch_name, kind_label(&a.account_kind), a.account_number)))
            .unwrap_or_default();
        let mut report = BankImportReport {
            import: None,
            file: file_name.to_string(),
            format: format_name(file.kind).into(),
            account: account.clone(),
            dry_run: opts.dry_run,
            duplicate: false,
            deposits: 0,
            ignored: 0,
            repeated: 0,
            cancelled: 0,
            auto: Vec::new(),
            suggested: Vec::new(),
            unmatched: Vec::new(),
            lines: Vec::new(),
            notes: Vec::new(),
        };
        let settings = self.shop_settings()?;
        let keys = line_keys(&file);
        let lines = if opts.dry_run {
            let (lines, cancel_earlier) = match_statement(&self.conn, &settings, &hash, &file, &keys, &mut report)?;
            for (_, line) in &cancel_earlier {
                report.notes.push(format!("{line}件目の取消レコード: 以前に取り込んだ振込を取り消します（試行のため未実行）"));
            }
            lines
        } else {
            // Matched and written in one transaction, so a payment booked meanwhile by another
            // window or the CLI (or the same file imported there) is seen.
            let staff = normalize::tidy(&opts.staff);
            let format = format_name(file.kind);
            self.backup_before(crate::backup::BackupReason::BeforeBankImport, "入金明細の取込")?;
            self.write_as(&opts.staff, |tx| {
                let (mut lines, cancel_earlier) = match_statement(tx, &settings, &hash, &file, &keys, &mut report)?;
                if report.duplicate {
                    return Ok(lines);
                }
                let now = now_stamp();
                let id = sql::insert_import(tx, &sql::ImportRow { file_name, hash: &hash, format, account: &account, from: file.period_from, to: file.period_to, deposits: report.deposits, ignored: report.ignored, duplicates: report.repeated, staff: &staff }, &now)?;
                for (l, key) in lines.iter_mut().zip(&keys) {
                    l.import = Some(id);
                    let line_id = sql::insert_line(tx, id, l, key)?;
                    if let (LineState::Matched, Some(c)) = (l.state, &l.booked) {
                        l.payment = Some(book_payment(tx, line_id, l, c, &staff, &now)?);
                    }
                }
                for (key, line) in &cancel_earlier {
                    match sql::cancel_earlier(tx, key, &format!("取込 {id} の {line}件目の取消レコードで取り消されました"), &now)? {
                        Some(note) => report.notes.push(note),
                        None => report.notes.push(format!("{line}件目の取消レコード: 取り消す振込が見つかりません。銀行に確認してください。")),
                    }
                }
                if let Some((headers, mapping)) = &csv_mapping {
                    sql::remember_csv_mapping(tx, headers, mapping)?;
                }
                report.import = Some(id);
                Ok(lines)
            })?
        };
        if report.duplicate {
            return Ok(report);
        }
        for l in &lines {
            match l.state {
                LineState::Matched => {
                    let c = l.booked.as_ref().expect("a matched line has its booking");
                    report.auto.push(AutoMatch { line: l.line, amount: l.amount, member: c.member.clone(), invoices: c.invoices.clone(), reason: c.reason.clone() });
                }
                LineState::Suggested => report.suggested.push(SuggestedMatch { line: l.line, amount: l.amount, remitter: l.remitter.clone(), candidates: l.candidates.clone() }),
                LineState::Unmatched => report.unmatched.push(UnmatchedDeposit { line: l.line, amount: l.amount, remitter: l.remitter.clone() }),
                _ => {}
            }
        }
        report.lines = lines;
        Ok(report)
    }

    pub fn bank_imports(&self) -> Result<Vec<BankImportInfo>> {
        sql::imports(&self.conn)
    }

    /// The lines of one import as they stand now (bookings undone or confirmed since included).
    pub fn bank_lines(&self, import: i64) -> Result<Vec<BankLine>> {
        let mut lines = sql::lines(&self.conn, import)?;
        if lines.is_empty() && !sql::imports(&self.conn)?.iter().any(|i| i.id == import) {
            return Err(CoreError::not_found(format!("取込番号 {import} の入金明細はありません")));
        }
        for l in &mut lines {
            if let Some(p) = l.payment {
                l.booked = Some(booked_from(&self.payment(p)?));
            }
        }
        Ok(lines)
    }

    /// Deposits still waiting for staff, over every import, oldest first.
    pub fn bank_waiting(&self) -> Result<Vec<BankLine>> {
        sql::waiting(&self.conn)
    }

    /// Books deposits as staff decided, all in one transaction; each remitter name is learned
    /// for its member.
    pub fn bank_confirm(&mut self, list: &[DepositConfirmation]) -> Result<Vec<BankLine>> {
        let fees = self.shop_settings()?.money.transfer_fees;
        let mut members = Vec::with_capacity(list.len());
        for c in list {
            members.push(self.member_ref(&c.member)?);
        }
        let done = self.write_as(list.first().map(|c| c.staff.clone()).unwrap_or_default(), |tx| {
            let now = now_stamp();
            let mut done = Vec::with_capacity(list.len());
            for (c, (member_id, code, name)) in list.iter().zip(&members) {
                let (line_id, mut l) = sql::line(tx, c.import, c.line)?
                    .ok_or_else(|| CoreError::not_found(format!("取込 {} の {}件目の明細が見つかりません", c.import, c.line)))?;
                if !matches!(l.state, LineState::Suggested | LineState::Unmatched) || !l.deposit {
                    let why = match l.state {
                        LineState::Matched => "すでに消し込まれています（先に取り消してください）",
                        LineState::Withdrawal => "出金のため消し込めません",
                        LineState::Duplicate => "以前のファイルで取り込んだ入金です",
                        _ => "取り消された振込です",
                    };
                    return Err(CoreError::new(ErrorCode::Conflict, format!("取込 {} の {}件目: {why}", c.import, c.line)));
                }
                // In a batch, an earlier deposit may have settled the invoices this one names.
                let open = Self::invoices_to_settle(tx, *member_id, code, &c.invoices).map_err(|mut e| {
                    e.message = format!("取込 {} の {}件目: {}", c.import, c.line, e.message);
                    e
                })?;
                let s = settle(&open.iter().map(|o| o.balance).collect::<Vec<_>>(), l.amount, &fees);
                let staff = normalize::tidy(&c.staff);
                let chosen = l.candidates.iter().find(|k| &k.member == code && (c.invoices.is_empty() || k.invoices == c.invoices));
                let booked = Candidate {
                    member_id: *member_id,
                    member: code.clone(),
                    member_name: name.clone(),
                    invoices: s.parts.iter().map(|(i, _)| open[*i].number.clone()).collect(),
                    invoice_ids: s.parts.iter().map(|(i, _)| open[*i].id).collect(),
                    amounts: s.parts.iter().map(|p| p.1).collect(),
                    fee: s.fee,
                    credit: s.credit,
                    found: Found::Staff,
                    fit: chosen.map(|k| k.fit).unwrap_or(matching::Fit::Exact),
                    reason: format!("担当者が確認しました{}", if staff.is_empty() { String::new() } else { format!("（{staff}）") }),
                };
                l.payment = Some(book_payment(tx, line_id, &l, &booked, &staff, &now)?);
                sql::learn_name(tx, &l.remitter, *member_id, &staff, &now)?;
                l.state = LineState::Matched;
                l.auto = false;
                l.reason = booked.reason.clone();
                l.booked = Some(booked);
                done.push(l);
            }
            Ok(done)
        })?;
        Ok(done)
    }

    /// Takes a booking back: the payment is voided (kept), the deposit waits again, and a
    /// remitter name learned from it is forgotten.
    pub fn bank_undo(&mut self, import: i64, line: u32, reason: &str, staff: &str) -> Result<BankLine> {
        let (_, l) = sql::line(&self.conn, import, line)?.ok_or_else(|| CoreError::not_found(format!("取込 {import} の {line}件目の明細が見つかりません")))?;
        let Some(payment) = l.payment.filter(|_| l.state == LineState::Matched) else {
            return Err(CoreError::new(ErrorCode::Conflict, format!("取込 {import} の {line}件目は消し込まれていません")));
        };
        let reason = match normalize::tidy(reason) {
            r if r.is_empty() => "消込の取り消し".to_string(),
            r => r,
        };
        let staff = normalize::tidy(staff);
        let member = self.payment(payment)?.member;
        let (member_id, _, _) = self.member_ref(&member)?;
        self.write_as(&staff, |tx| {
            let now = now_stamp();
            rsql::void_payment(tx, payment, &reason, &staff, &now)?;
            sql::release_line_of(tx, payment, &format!("消込を取り消しました: {reason}"))?;
            if !l.auto {
                sql::forget_name(tx, &l.remitter, member_id, &now)?;
            }
            Ok(())
        })?;
        Ok(self.bank_lines(import)?.into_iter().find(|x| x.line == line).expect("the line is there"))
    }

    /// The report CSV of one import (UTF-8 with BOM so Excel opens it): every line, its state,
    /// the member and invoices booked, and why.
    pub fn bank_report_csv(&self, import: i64) -> Result<Vec<u8>> {
        let lines = self.bank_lines(import)?;
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(b"\xEF\xBB\xBF".to_vec());
        let io = |e: csv::Error| CoreError::new(ErrorCode::Io, format!("消込結果を書けません: {e}"));
        w.write_record(["行", "勘定日", "入出金", "金額", "振込依頼人", "状態", "自動", "会員番号", "会員名", "請求書", "手数料", "前受金", "理由"]).map_err(io)?;
        for l in &lines {
            let b = l.booked.as_ref();
            let state = l.state.label();
            w.write_record([
                l.line.to_string(),
                l.value_date.to_string(),
                (if l.deposit { "入金" } else { "出金" }).to_string(),
                l.amount.to_string(),
                l.remitter.clone(),
                state.to_string(),
                (if l.auto { "自動" } else { "" }).to_string(),
                b.map(|b| b.member.clone()).unwrap_or_default(),
                b.map(|b| b.member_name.clone()).unwrap_or_default(),
                b.map(|b| b.invoices.join(" ")).unwrap_or_default(),
                b.map(|b| b.fee.to_string()).unwrap_or_default(),
                b.map(|b| b.credit.to_string()).unwrap_or_default(),
                l.reason.clone(),
            ])
            .map_err(io)?;
        }
        w.into_inner().map_err(|e| CoreError::new(ErrorCode::Io, format!("消込結果を書けません: {e}")))
    }
}

/// A cancel record whose transfer came in an earlier file: (that transfer's line key, the cancel's line).
type CancelLater = (String, u32);

/// Everything the rules decide about a statement, on `c` (the import's transaction, or the open
/// connection for a dry run): the lines and the cancel records whose transfer came in an earlier
/// file. A file imported before only marks `report.duplicate`.
fn match_statement(c: &rusqlite::Connection, settings: &ShopSettings, hash: &str, file: &StatementFile, keys: &[String], report: &mut BankImportReport) -> Result<(Vec<BankLine>, Vec<CancelLater>)> {
    if let Some((id, at)) = sql::import_by_hash(c, hash)? {
        report.duplicate = true;
        report.deposits = file.entries.iter().filter(|e| e.direction == Direction::In && !e.cancel).count() as u64;
        report.notes.push(format!("このファイルは {at} に取り込み済みです（取込番号 {id}）。何も消し込んでいません。"));
        return Ok((Vec::new(), Vec::new()));
    }
    let mut book = matching_book(c, settings)?;
    let mut lines: Vec<BankLine> = file.entries.iter().map(line_of).collect();
    // Cancel records (振込取消) take back the transfer they repeat: in this file, or booked before.
    let mut cancel_earlier: Vec<CancelLater> = Vec::new();
    let mut seen_before = sql::existing_keys(c, keys)?;
    let mut to_match = Vec::new();
    for (i, (e, key)) in file.entries.iter().zip(keys).enumerate() {
        if e.direction == Direction::Out {
            lines[i].state = LineState::Withdrawal;
            report.ignored += 1;
        } else if seen_before.remove(key) {
            lines[i].state = LineState::Duplicate;
            lines[i].reason = "以前のファイルで取り込んだ入金です（二重には消し込みません）".into();
            report.repeated += 1;
        } else if e.cancel {
            lines[i].state = LineState::Cancelled;
            report.cancelled += 1;
            let original = key.replace("|cancel", "");
            match (0..i).find(|&j| keys[j] == original && lines[j].state != LineState::Cancelled) {
                Some(j) => {
                    to_match.retain(|&k| k != j);
                    report.deposits -= 1;
                    lines[j].state = LineState::Cancelled;
                    lines[j].reason = format!("{}件目の取消レコードで取り消されました", e.line);
                    lines[i].reason = format!("{}件目の振込を取り消すレコードです", lines[j].line);
                }
                None => {
                    cancel_earlier.push((original, e.line));
                    lines[i].reason = "取り消す振込を以前の取込から探します".into();
                }
            }
        } else {
            report.deposits += 1;
            to_match.push(i);
        }
    }
    // The sure ones first, in file order, so that what is left for staff to decide is
    // suggested against the invoices still open after them.
    let mut waiting = Vec::new();
    for i in to_match {
        let e = &file.entries[i];
        match book.decide(&e.remitter_name, &e.remitter_code, e.amount) {
            Outcome::Auto(c) => book_auto(&mut book, &mut lines[i], c),
            _ => waiting.push(i),
        }
    }
    for i in waiting {
        let (e, l) = (&file.entries[i], &mut lines[i]);
        match book.decide(&e.remitter_name, &e.remitter_code, e.amount) {
            Outcome::Auto(c) => book_auto(&mut book, l, c),
            Outcome::Suggested(c, note) => {
                l.state = LineState::Suggested;
                l.reason = note;
                l.candidates = c;
            }
            Outcome::Unmatched => {
                l.state = LineState::Unmatched;
                l.reason = "振込依頼人に当てはまる会員が見つかりません".into();
            }
        }
    }
    Ok((lines, cancel_earlier))
}

fn matching_book(c: &rusqlite::Connection, s: &ShopSettings) -> Result<Book> {
    let fmt = s.member_code.clone();
    Ok(Book::new(
        sql::members_for_matching(c)?,
        rsql::all_open_invoices(c)?,
        sql::learned_names(c)?,
        s.money.transfer_fees.clone(),
        s.money.auto_apply_fee,
        move |code| fmt.number_of(code),
    ))
}

fn book_auto(book: &mut Book, l: &mut BankLine, c: Candidate) {
    book.apply(&c);
    l.state = LineState::Matched;
    l.auto = true;
    l.reason = c.reason.clone();
    l.booked = Some(c);
}

fn line_of(e: &StatementEntry) -> BankLine {
    BankLine {
        import: None,
        line: e.line,
        value_date: e.value_date,
        amount: e.amount,
        deposit: e.direction == Direction::In,
        remitter: e.remitter_name.clone(),
        remitter_code: e.remitter_code.clone(),
        memo: e.memo.clone(),
        state: LineState::Unmatched,
        auto: false,
        reason: String::new(),
        booked: None,
        payment: None,
        candidates: Vec::new(),
    }
}

/// Books a deposit for `c`: one payment, its allocations, and the line pointing at it.
fn book_payment(tx: &rusqlite::Transaction, line_id: i64, l: &BankLine, c: &Candidate, staff: &str, now: &str) -> Result<i64> {
    let parts: Vec<(i64, i64)> = c.invoice_ids.iter().copied().zip(c.amounts.iter().copied()).collect();
    let note = format!("振込 {}", l.remitter);
    let row = rsql::PaymentRow { member_id: c.member_id, paid_on: l.value_date, amount: l.amount, fee: c.fee, method: "bank_transfer", note: &note, staff, import_batch: None, bank_line: Some(line_id) };
    let id = rsql::insert_payment(tx, &row, &parts, now)?;
    sql::set_line_booked(tx, line_id, id, l.auto, &c.reason)?;
    Ok(id)
}

#[cfg(test)]
mod tests;
