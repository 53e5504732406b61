//! SQL for direct debit: accounts (ended, never deleted), monthly requests, their records and
//! the invoices each record debits, and the results.
use crate::debit::{DebitAccount, DebitItem, DebitPlan, DebitRequest, NextStep};
use super::receivables::PAID;
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

const ACCOUNT_COLS: &str = "m.code, a.bank_code, a.bank_name, a.branch_code, a.branch_name, a.kind, a.number, a.holder, a.mandate_on, a.customer_number, a.created_at, a.ended_at, a.staff";

fn account_row(r: &Row) -> rusqlite::Result<DebitAccount> {
    Ok(DebitAccount {
        member: r.get(0)?,
        bank_code: r.get(1)?,
        bank_name: r.get(2)?,
        branch_code: r.get(3)?,
        branch_name: r.get(4)?,
        kind: r.get(5)?,
        number: r.get(6)?,
        holder: r.get(7)?,
        mandate_on: r.get::<_, Option<String>>(8)?.and_then(|d| d.parse().ok()),
        customer_number: r.get(9)?,
        created_at: r.get(10)?,
        ended_at: r.get(11)?,
        staff: r.get(12)?,
    })
}

pub(crate) fn accounts(c: &Connection, member_id: i64) -> Result<Vec<DebitAccount>> {
    let mut st = c.prepare(&format!(
        "SELECT {ACCOUNT_COLS} FROM debit_accounts a JOIN members m ON m.id = a.member_id WHERE a.member_id = ?1 ORDER BY a.ended_at IS NOT NULL, a.id DESC"
    ))?;
    let rows = st.query_map([member_id], account_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The account each item debits (the one it was written with).
pub(crate) fn accounts_for(c: &Connection, items: &[DebitItem]) -> Result<Vec<DebitAccount>> {
    let mut st = c.prepare_cached(&format!("SELECT {ACCOUNT_COLS} FROM debit_accounts a JOIN members m ON m.id = a.member_id WHERE a.id = ?1"))?;
    items.iter().map(|i| Ok(st.query_row([i.account_id], account_row)?)).collect()
}

pub(crate) fn end_current(c: &Connection, member_id: i64, now: &str) -> Result<usize> {
    Ok(c.execute("UPDATE debit_accounts SET ended_at = ?2 WHERE member_id = ?1 AND ended_at IS NULL", params![member_id, now])?)
}

pub(crate) fn insert_account(c: &Connection, member_id: i64, a: &DebitAccount) -> Result<()> {
    c.execute(
        "INSERT INTO debit_accounts (member_id, bank_code, bank_name, branch_code, branch_name, kind, number, holder, mandate_on, customer_number, created_at, staff)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![member_id, a.bank_code, a.bank_name, a.branch_code, a.branch_name, a.kind, a.number, a.holder, a.mandate_on.map(|d| d.to_string()), a.customer_number, a.created_at, a.staff],
    )?;
    Ok(())
}

const REQUEST_COLS: &str = "r.id, r.month, r.debit_on, r.records, r.total, r.created_at, r.result_at,
    (SELECT count(*) FROM debit_items i WHERE i.request_id = r.id AND i.result = '0'),
    (SELECT coalesce(sum(amount), 0) FROM debit_items i WHERE i.request_id = r.id AND i.result = '0'),
    (SELECT count(*) FROM debit_items i WHERE i.request_id = r.id AND i.result <> '0'),
    (SELECT coalesce(sum(amount), 0) FROM debit_items i WHERE i.request_id = r.id AND i.result <> '0')";

fn request_row(r: &Row) -> rusqlite::Result<(i64, DebitRequest)> {
    Ok((
        r.get(0)?,
        DebitRequest {
            month: r.get(1)?,
            debit_on: r.get::<_, String>(2)?.parse().unwrap_or_default(),
            records: r.get::<_, i64>(3)? as u64,
            total: r.get(4)?,
            created_at: r.get(5)?,
            result_at: r.get(6)?,
            collected: r.get::<_, i64>(7)? as u64,
            collected_total: r.get(8)?,
            failed: r.get::<_, i64>(9)? as u64,
            failed_total: r.get(10)?,
        },
    ))
}

pub(crate) fn request(c: &Connection, month: &str) -> Result<Option<(i64, DebitRequest)>> {
    Ok(c.query_row(&format!("SELECT {REQUEST_COLS} FROM debit_requests r WHERE r.month = ?1"), [month], request_row).optional()?)
}

/// The request a result file answers: the one whose debit day is MMDD, waiting for its result first.
pub(crate) fn request_by_debit_day(c: &Connection, month: u32, day: u32) -> Result<Option<(i64, DebitRequest)>> {
    Ok(c.query_row(
        &format!("SELECT {REQUEST_COLS} FROM debit_requests r WHERE substr(r.debit_on, 6) = ?1 ORDER BY r.result_at IS NOT NULL, r.debit_on DESC LIMIT 1"),
        [format!("{month:02}-{day:02}")],
        request_row,
    )
    .optional()?)
}

pub(crate) fn requests(c: &Connection) -> Result<Vec<DebitRequest>> {
    let mut st = c.prepare(&format!("SELECT {REQUEST_COLS} FROM debit_requests r ORDER BY r.month DESC"))?;
    let rows = st.query_map([], |r| request_row(r).map(|x| x.1))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn result_hash(c: &Connection, id: i64) -> Result<Option<String>> {
    Ok(c.query_row("SELECT result_sha256 FROM debit_requests WHERE id = ?1", [id], |r| r.get(0))?)
}

fn bank_of(name: &str, branch: &str) -> String {
    format!("{name} {branch}").trim().to_string()
}

pub(crate) fn items(c: &Connection, request_id: i64) -> Result<Vec<DebitItem>> {
    let mut st = c.prepare(
        "SELECT i.id, i.line, m.code, m.name, a.holder, a.bank_name, a.branch_name, i.amount, i.new_code, i.result, i.next_step, i.account_id
         FROM debit_items i JOIN members m ON m.id = i.member_id JOIN debit_accounts a ON a.id = i.account_id
         WHERE i.request_id = ?1 ORDER BY i.line",
    )?;
    let mut parts = c.prepare_cached("SELECT v.id, v.number, d.amount FROM debit_item_invoices d JOIN invoices v ON v.id = d.invoice_id WHERE d.item_id = ?1 ORDER BY v.issued_on, v.id")?;
    let rows = st.query_map([request_id], |r| {
        let result: Option<String> = r.get(9)?;
        Ok((
            r.get::<_, i64>(0)?,
            DebitItem {
                line: r.get(1)?,
                member: r.get(2)?,
                member_name: r.get(3)?,
                holder: r.get(4)?,
                bank: bank_of(&r.get::<_, String>(5)?, &r.get::<_, String>(6)?),
                amount: r.get(7)?,
                invoices: Vec::new(),
                new_code: r.get(8)?,
                result_label: result.as_deref().map(crate::zengin::debit::result_label).unwrap_or("結果待ち").to_string(),
                result,
                next_step: NextStep::parse(&r.get::<_, String>(10)?),
                account_id: r.get(11)?,
                parts: Vec::new(),
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, mut item) = row?;
        let p = parts.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
        for x in p {
            let (inv, number, amount) = x?;
            item.invoices.push(number);
            item.parts.push((inv, amount));
        }
        out.push(item);
    }
    Ok(out)
}

/// What a request written for `debit_on` would hold: per member with a current account, the
/// open invoices issued by then that are paid by debit and not already on a request (unless
/// a failed debit was put onto the next one).
pub(crate) fn due_items(c: &Connection, debit_on: NaiveDate) -> Result<(Vec<DebitItem>, Vec<String>)> {
    let mut st = c.prepare(&format!(
        "SELECT a.id, m.id, m.code, m.name, a.holder, a.bank_name, a.branch_name, i.id, i.number, i.amount - {PAID} AS balance,
            EXISTS (SELECT 1 FROM debit_items di WHERE di.account_id = a.id AND di.result = '0'),
            EXISTS (SELECT 1 FROM debit_items di JOIN debit_accounts o ON o.id = di.account_id WHERE o.member_id = m.id AND o.id <> a.id AND di.result = '0')
         FROM debit_accounts a JOIN members m ON m.id = a.member_id JOIN invoices i ON i.member_id = m.id
         WHERE a.ended_at IS NULL AND i.voided_at IS NULL AND i.issued_on <= ?1
           AND (NOT EXISTS (SELECT 1 FROM invoice_orders io WHERE io.invoice_id = i.id)
                OR EXISTS (SELECT 1 FROM invoice_orders io JOIN orders o ON o.id = io.order_id WHERE io.invoice_id = i.id AND o.payment_method = 'direct_debit'))
           AND NOT EXISTS (SELECT 1 FROM debit_item_invoices d JOIN debit_items di ON di.id = d.item_id
                WHERE d.invoice_id = i.id AND (di.result IS NULL OR di.result = '0' OR di.next_step <> 'carry'))
         ORDER BY m.code, i.issued_on, i.id"
    ))?;
    type Row = (i64, i64, String, String, String, String, String, i64, String, i64, bool, bool);
    let rows = st.query_map([debit_on.to_string()], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?))
    })?;
    let mut items: Vec<DebitItem> = Vec::new();
    for row in rows {
        let (account, _member_id, code, name, holder, bank, branch, inv, number, balance, collected_here, collected_before): Row = row?;
        if balance <= 0 {
            continue;
        }
        if items.last().map(|i| i.member != code).unwrap_or(true) {
            items.push(DebitItem {
                line: items.len() as u32 + 2,
                member: code.clone(),
                member_name: name,
                holder,
                bank: bank_of(&bank, &branch),
                amount: 0,
                invoices: Vec::new(),
                new_code: if collected_here { "0" } else if collected_before { "2" } else { "1" }.into(),
                result: None,
                result_label: "未送信".into(),
                next_step: NextStep::Decide,
                account_id: account,
                parts: Vec::new(),
            });
        }
        let it = items.last_mut().expect("pushed");
        it.amount += balance;
        it.invoices.push(number);
        it.parts.push((inv, balance));
    }
    Ok((items, Vec::new()))
}

pub(crate) fn insert_request(c: &Connection, plan: &DebitPlan, hash: &str, staff: &str, now: &str) -> Result<()> {
    c.execute(
        "INSERT INTO debit_requests (month, debit_on, file_sha256, records, total, created_at, staff) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![plan.month, plan.debit_on.to_string(), hash, plan.items.len() as i64, plan.total, now, staff],
    )?;
    let request = c.last_insert_rowid();
    let mut item = c.prepare_cached(
        "INSERT INTO debit_items (request_id, line, member_id, account_id, amount, customer_number, new_code)
         SELECT ?1, ?2, a.member_id, a.id, ?4, a.customer_number, ?5 FROM debit_accounts a WHERE a.id = ?3",
    )?;
    let mut part = c.prepare_cached("INSERT INTO debit_item_invoices (item_id, invoice_id, amount) VALUES (?1, ?2, ?3)")?;
    for i in &plan.items {
        item.execute(params![request, i.line, i.account_id, i.amount, i.new_code])?;
        let id = c.last_insert_rowid();
        for (inv, amount) in &i.parts {
            part.execute(params![id, inv, amount])?;
        }
    }
    Ok(())
}

pub(crate) fn item_id(c: &Connection, request_id: i64, line: u32) -> Result<i64> {
    Ok(c.prepare_cached("SELECT id FROM debit_items WHERE request_id = ?1 AND line = ?2")?.query_row(params![request_id, line], |r| r.get(0))?)
}

/// How a collected debit settles its invoices: what each still owes, up to what was debited.
pub(crate) fn item_settlement(c: &Connection, item_id: i64) -> Result<Vec<(i64, i64)>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT d.invoice_id, min(d.amount, i.amount - {PAID})
         FROM debit_item_invoices d JOIN invoices i ON i.id = d.invoice_id WHERE d.item_id = ?1 AND i.voided_at IS NULL ORDER BY i.issued_on, i.id"
    ))?;
    let rows = st.query_map([item_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<(i64, i64)>>>()?.into_iter().filter(|p| p.1 > 0).collect())
}

pub(crate) fn set_result(c: &Connection, item_id: i64, result: &str, payment: Option<i64>, next_step: &str) -> Result<()> {
    c.prepare_cached("UPDATE debit_items SET result = ?2, payment_id = ?3, next_step = ?4 WHERE id = ?1")?.execute(params![item_id, result, payment, next_step])?;
    Ok(())
}

pub(crate) fn set_request_result(c: &Connection, id: i64, hash: &str, now: &str) -> Result<()> {
    c.execute("UPDATE debit_requests SET result_sha256 = ?2, result_at = ?3 WHERE id = ?1", params![id, hash, now])?;
    Ok(())
}

pub(crate) fn set_next_step(c: &Connection, request_id: i64, member_id: i64, step: &str) -> Result<usize> {
    Ok(c.execute(
        "UPDATE debit_items SET next_step = ?3 WHERE request_id = ?1 AND member_id = ?2 AND result IS NOT NULL AND result <> '0'",
        params![request_id, member_id, step],
    )?)
}

/// (id, code, kana, subscription start) of members paying a running subscription by debit
/// without a current debit account (the demo gives them one).
pub(crate) fn debit_payers_without_account(c: &Connection) -> Result<Vec<(i64, String, String, String)>> {
    let mut st = c.prepare(
        "SELECT m.id, m.code, m.kana, min(coalesce(s.started_on, '')) FROM subscriptions s JOIN members m ON m.id = s.member_id
         WHERE s.payment_method = 'direct_debit' AND s.status <> 'stopped' AND m.kana <> ''
           AND NOT EXISTS (SELECT 1 FROM debit_accounts a WHERE a.member_id = m.id AND a.ended_at IS NULL)
         GROUP BY m.id ORDER BY m.id",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
