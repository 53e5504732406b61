//! SQL for bank-statement imports: the files, their lines, the names learned from staff's
//! confirmations and the CSV column mappings remembered per bank.
use crate::bank::{matching::Candidate, BankImportInfo, BankLine, LineState};
use crate::error::Result;
use crate::zengin::bank_csv::CsvMapping;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::collections::{HashMap, HashSet};

const MAPPINGS: &str = "bank_csv_mappings";

/// CSV column mappings by the bank's header row.
pub(crate) fn csv_mappings(c: &Connection) -> Result<HashMap<String, CsvMapping>> {
    Ok(super::settings::get(c, MAPPINGS)?.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default())
}

pub(crate) fn remember_csv_mapping(c: &Connection, headers: &str, m: &CsvMapping) -> Result<()> {
    let mut all = csv_mappings(c)?;
    all.insert(headers.to_string(), m.clone());
    super::settings::put(c, MAPPINGS, &serde_json::to_string(&all).expect("mappings serialise"))
}

/// (id, code, name, kana) of every member a deposit may come from (merged records left out).
pub(crate) fn members_for_matching(c: &Connection) -> Result<Vec<(i64, String, String, String)>> {
    let mut st = c.prepare("SELECT id, code, name, kana FROM members WHERE merged_into IS NULL")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn learned_names(c: &Connection) -> Result<Vec<(String, i64)>> {
    let mut st = c.prepare("SELECT name_key, member_id FROM remitter_names WHERE forgotten_at IS NULL")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn learn_name(c: &Connection, remitter: &str, member_id: i64, staff: &str, now: &str) -> Result<()> {
    let key = crate::bank::matching::remitter_key(remitter);
    if key.is_empty() {
        return Ok(());
    }
    c.prepare_cached(
        "INSERT INTO remitter_names (name_key, member_id, remitter_name, learned_at, staff) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (name_key, member_id) DO UPDATE SET remitter_name = excluded.remitter_name, learned_at = excluded.learned_at,
            staff = excluded.staff, forgotten_at = NULL",
    )?
    .execute(params![key, member_id, remitter, now, staff])?;
    Ok(())
}

pub(crate) fn forget_name(c: &Connection, remitter: &str, member_id: i64, now: &str) -> Result<()> {
    c.execute(
        "UPDATE remitter_names SET forgotten_at = ?3 WHERE name_key = ?1 AND member_id = ?2 AND forgotten_at IS NULL",
        params![crate::bank::matching::remitter_key(remitter), member_id, now],
    )?;
    Ok(())
}

/// A member's remitter names (for the member page): (name as the bank wrote it, learned at), oldest first.
pub(crate) fn names_of(c: &Connection, member_id: i64) -> Result<Vec<(String, String)>> {
    let mut st = c.prepare("SELECT remitter_name, learned_at FROM remitter_names WHERE member_id = ?1 AND forgotten_at IS NULL ORDER BY learned_at")?;
    let rows = st.query_map([member_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn import_by_hash(c: &Connection, hash: &str) -> Result<Option<(i64, String)>> {
    Ok(c.query_row("SELECT id, imported_at FROM bank_imports WHERE file_sha256 = ?1 ORDER BY id LIMIT 1", [hash], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
}

/// The keys among `keys` that lines of earlier files already hold.
pub(crate) fn existing_keys(c: &Connection, keys: &[String]) -> Result<HashSet<String>> {
    let mut st = c.prepare_cached("SELECT 1 FROM bank_lines WHERE line_key = ?1 AND state <> 'duplicate' LIMIT 1")?;
    let mut out = HashSet::new();
    for k in keys {
        if st.exists([k])? {
            out.insert(k.clone());
        }
    }
    Ok(out)
}

pub(crate) struct ImportRow<'a> {
    pub file_name: &'a str,
    pub hash: &'a str,
    pub format: &'a str,
    pub account: &'a str,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub deposits: u64,
    pub ignored: u64,
    pub duplicates: u64,
    pub staff: &'a str,
}

pub(crate) fn insert_import(c: &Connection, r: &ImportRow, now: &str) -> Result<i64> {
    c.execute(
        "INSERT INTO bank_imports (file_name, file_sha256, format, account, period_from, period_to, deposits, ignored, duplicates, imported_at, staff)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![r.file_name, r.hash, r.format, r.account, r.from.map(|d| d.to_string()), r.to.map(|d| d.to_string()), r.deposits as i64, r.ignored as i64, r.duplicates as i64, now, r.staff],
    )?;
    Ok(c.last_insert_rowid())
}

pub(crate) fn insert_line(c: &Connection, import: i64, l: &BankLine, key: &str) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO bank_lines (import_id, line, direction, value_date, amount, remitter_code, remitter_name, memo, line_key, state, auto, reason, candidates)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        import,
        l.line,
        if l.deposit { "in" } else { "out" },
        l.value_date.to_string(),
        l.amount,
        l.remitter_code,
        l.remitter,
        l.memo,
        key,
        state_str(l.state),
        l.auto,
        l.reason,
        serde_json::to_string(&l.candidates).expect("candidates serialise"),
    ])?;
    Ok(c.last_insert_rowid())
}

fn state_str(s: LineState) -> String {
    serde_json::to_value(s).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

pub(crate) fn set_line_booked(c: &Connection, id: i64, payment: i64, auto: bool, reason: &str) -> Result<()> {
    c.prepare_cached("UPDATE bank_lines SET state = 'matched', payment_id = ?2, auto = ?3, reason = ?4 WHERE id = ?1")?.execute(params![id, payment, auto, reason])?;
    Ok(())
}

/// A payment from a bank line was voided: the deposit waits for staff again.
pub(crate) fn release_line_of(c: &Connection, payment: i64, reason: &str) -> Result<()> {
    c.execute(
        "UPDATE bank_lines SET state = 'unmatched', auto = 0, payment_id = NULL, reason = ?2 WHERE payment_id = ?1",
        params![payment, reason],
    )?;
    Ok(())
}

/// A cancel record (振込取消) for a transfer imported before: the line is cancelled and its
/// payment voided. Returns what was done, for the staff.
pub(crate) fn cancel_earlier(c: &Connection, key: &str, reason: &str, now: &str) -> Result<Option<String>> {
    let Some((id, import, line, amount, payment)): Option<(i64, i64, u32, i64, Option<i64>)> = c
        .query_row(
            "SELECT id, import_id, line, amount, payment_id FROM bank_lines WHERE line_key = ?1 AND state NOT IN ('duplicate', 'cancelled') ORDER BY id DESC LIMIT 1",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?
    else {
        return Ok(None);
    };
    if let Some(p) = payment {
        super::receivables::void_payment(c, p, "振込取消", "", now)?;
    }
    c.execute("UPDATE bank_lines SET state = 'cancelled', auto = 0, payment_id = NULL, reason = ?2 WHERE id = ?1", params![id, reason])?;
    Ok(Some(format!(
        "取込 {import} の {line}件目（{}）を振込取消により取り消しました{}",
        crate::tax::yen(amount),
        if payment.is_some() { "（消込も取り消しました）" } else { "" }
    )))
}

const LINE_COLS: &str = "l.id, l.import_id, l.line, l.value_date, l.amount, l.direction = 'in', l.remitter_name, l.remitter_code, l.memo, l.state, l.auto, l.reason, l.payment_id, l.candidates";

fn line_row(r: &Row) -> rusqlite::Result<(i64, BankLine)> {
    let candidates: Vec<Candidate> = serde_json::from_str(&r.get::<_, String>(13)?).unwrap_or_default();
    Ok((
        r.get(0)?,
        BankLine {
            import: r.get(1)?,
            line: r.get(2)?,
            value_date: r.get::<_, String>(3)?.parse().unwrap_or_default(),
            amount: r.get(4)?,
            deposit: r.get(5)?,
            remitter: r.get(6)?,
            remitter_code: r.get(7)?,
            memo: r.get(8)?,
            state: LineState::parse(&r.get::<_, String>(9)?),
            auto: r.get(10)?,
            reason: r.get(11)?,
            booked: None,
            payment: r.get(12)?,
            candidates,
        },
    ))
}

pub(crate) fn line(c: &Connection, import: i64, line: u32) -> Result<Option<(i64, BankLine)>> {
    Ok(c.prepare_cached(&format!("SELECT {LINE_COLS} FROM bank_lines l WHERE l.import_id = ?1 AND l.line = ?2"))?.query_row(params![import, line], line_row).optional()?)
}

pub(crate) fn lines(c: &Connection, import: i64) -> Result<Vec<BankLine>> {
    let mut st = c.prepare(&format!("SELECT {LINE_COLS} FROM bank_lines l WHERE l.import_id = ?1 ORDER BY l.line"))?;
    let rows = st.query_map([import], |r| line_row(r).map(|x| x.1))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn waiting(c: &Connection) -> Result<Vec<BankLine>> {
    let mut st = c.prepare(&format!("SELECT {LINE_COLS} FROM bank_lines l WHERE l.state IN ('suggested', 'unmatched') ORDER BY l.value_date, l.import_id, l.line"))?;
    let rows = st.query_map([], |r| line_row(r).map(|x| x.1))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn imports(c: &Connection) -> Result<Vec<BankImportInfo>> {
    let mut st = c.prepare(
        "SELECT b.id, b.file_name, b.format, b.account, b.period_from, b.period_to, b.imported_at, b.staff, b.deposits,
            (SELECT count(*) FROM bank_lines l WHERE l.import_id = b.id AND l.state = 'matched'),
            (SELECT count(*) FROM bank_lines l WHERE l.import_id = b.id AND l.state IN ('suggested', 'unmatched')),
            (SELECT coalesce(sum(amount), 0) FROM bank_lines l WHERE l.import_id = b.id AND l.direction = 'in' AND l.state NOT IN ('duplicate', 'cancelled'))
         FROM bank_imports b ORDER BY b.id DESC",
    )?;
    let date = |s: Option<String>| s.and_then(|d| d.parse().ok());
    let rows = st.query_map([], |r| {
        Ok(BankImportInfo {
            id: r.get(0)?,
            file_name: r.get(1)?,
            format: r.get(2)?,
            account: r.get(3)?,
            period_from: date(r.get(4)?),
            period_to: date(r.get(5)?),
            imported_at: r.get(6)?,
            staff: r.get(7)?,
            deposits: r.get::<_, i64>(8)? as u64,
            matched: r.get::<_, i64>(9)? as u64,
            waiting: r.get::<_, i64>(10)? as u64,
            amount: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
