//! SQL for receivables: payments, their allocations to invoices, what stays open, and the
//! orders that follow an invoice's state. Paid and balance are always derived from the
//! allocations that are not undone; nothing here deletes a row.
use crate::error::Result;
use crate::orders::PaymentMethod;
use crate::receivables::{Allocation, OpenInvoice, Payment, PaymentFilter};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

pub(crate) struct PaymentRow<'a> {
    pub member_id: i64,
    pub paid_on: NaiveDate,
    pub amount: i64,
    /// Transfer fee the shop bore: settles invoices like money.
    pub fee: i64,
    pub method: &'a str,
    pub note: &'a str,
    pub staff: &'a str,
    pub import_batch: Option<i64>,
    pub bank_line: Option<i64>,
}

/// Inserts a payment and its allocations (invoice id, amount); the invoices' orders follow.
pub(crate) fn insert_payment(c: &Connection, p: &PaymentRow, allocations: &[(i64, i64)], now: &str) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO payments (member_id, paid_on, amount, fee, method, note, staff, created_at, import_batch, bank_line_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![p.member_id, p.paid_on.to_string(), p.amount, p.fee, p.method, p.note, p.staff, now, p.import_batch, p.bank_line])?;
    let id = c.last_insert_rowid();
    allocate(c, id, allocations, p.staff, now)?;
    Ok(id)
}

pub(crate) fn allocate(c: &Connection, payment_id: i64, allocations: &[(i64, i64)], staff: &str, now: &str) -> Result<()> {
    let mut st = c.prepare_cached("INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at, staff) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (invoice, amount) in allocations.iter().filter(|a| a.1 > 0) {
        st.execute(params![payment_id, invoice, amount, now, staff])?;
    }
    sync_orders(c, &allocations.iter().map(|a| a.0).collect::<Vec<_>>(), now)
}

/// Orders on a fully paid invoice become 入金済; back to 請求済 when it no longer is. (`+status`
/// keeps SQLite from walking the status index over every paid order instead of the few on the
/// invoice.)
pub(crate) fn sync_orders(c: &Connection, invoices: &[i64], now: &str) -> Result<()> {
    let mut balance = c.prepare_cached(&format!("SELECT i.amount - {PAID} FROM invoices i WHERE i.id = ?1"))?;
    let mut paid = c.prepare_cached(
        "UPDATE orders SET status = 'paid', status_since = ?2 WHERE +status = 'invoiced' AND id IN (SELECT order_id FROM invoice_orders WHERE invoice_id = ?1)",
    )?;
    let mut unpaid = c.prepare_cached(
        "UPDATE orders SET status = 'invoiced', status_since = ?2 WHERE +status = 'paid' AND id IN (SELECT order_id FROM invoice_orders WHERE invoice_id = ?1)",
    )?;
    for id in invoices {
        if balance.query_row([id], |r| r.get::<_, i64>(0))? <= 0 {
            paid.execute(params![id, now])?;
        } else {
            unpaid.execute(params![id, now])?;
        }
    }
    Ok(())
}

/// What invoice `i` has been paid: its allocations not undone (the one definition of "paid").
pub(crate) const PAID: &str = "coalesce((SELECT sum(a.amount) FROM payment_allocations a WHERE a.invoice_id = i.id AND a.undone_at IS NULL), 0)";

fn open_row(r: &Row) -> rusqlite::Result<OpenInvoice> {
    let date = |s: String| s.parse().unwrap_or_default();
    Ok(OpenInvoice {
        id: r.get(0)?,
        number: r.get(1)?,
        member_id: r.get(2)?,
        issued_on: date(r.get(3)?),
        due_on: date(r.get(4)?),
        amount: r.get(5)?,
        balance: r.get(6)?,
    })
}

const OPEN: &str = "SELECT * FROM (SELECT i.id, i.number, i.member_id, i.issued_on, i.due_on, i.amount, i.amount - {PAID} AS balance
    FROM invoices i WHERE i.voided_at IS NULL {AND}) WHERE balance > 0";

fn open_sql(and: &str) -> String {
    OPEN.replace("{PAID}", PAID).replace("{AND}", and)
}

/// A member's open invoices, oldest first (the order payments settle them in).
pub(crate) fn open_invoices_of(c: &Connection, member_id: i64) -> Result<Vec<OpenInvoice>> {
    let mut st = c.prepare_cached(&format!("{} ORDER BY issued_on, id", open_sql("AND i.member_id = ?1")))?;
    let rows = st.query_map([member_id], open_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every open invoice, by member and oldest first.
pub(crate) fn all_open_invoices(c: &Connection) -> Result<Vec<OpenInvoice>> {
    let mut st = c.prepare(&format!("{} ORDER BY member_id, issued_on, id", open_sql("")))?;
    let rows = st.query_map([], open_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Open invoices due before `due_before`, oldest due first.
pub(crate) fn overdue_invoices(c: &Connection, due_before: NaiveDate) -> Result<Vec<OpenInvoice>> {
    let mut st = c.prepare(&format!("{} ORDER BY member_id, due_on, id", open_sql("AND i.due_on < ?1")))?;
    let rows = st.query_map([due_before.to_string()], open_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Invoice ids by number, only the given member's (others are refused by the caller).
pub(crate) fn invoice_ids(c: &Connection, member_id: i64, numbers: &[String]) -> Result<Vec<(String, Option<i64>)>> {
    let mut st = c.prepare_cached("SELECT id FROM invoices WHERE number = ?1 AND member_id = ?2")?;
    numbers.iter().map(|n| Ok((n.clone(), st.query_row(params![n, member_id], |r| r.get(0)).optional()?))).collect()
}

/// What a member's payments hold that no invoice took: (payment id, paid on, left), oldest first.
pub(crate) fn credits(c: &Connection, member_id: i64) -> Result<Vec<(i64, i64)>> {
    let mut st = c.prepare_cached(
        "SELECT id, left FROM (SELECT p.id, p.paid_on, p.amount + p.fee - coalesce((SELECT sum(a.amount) FROM payment_allocations a
            WHERE a.payment_id = p.id AND a.undone_at IS NULL), 0) AS left
         FROM payments p WHERE p.member_id = ?1 AND p.voided_at IS NULL) WHERE left > 0 ORDER BY paid_on, id",
    )?;
    let rows = st.query_map([member_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const PAYMENT_COLS: &str = "p.id, m.code, m.name, p.paid_on, p.amount, p.fee, p.method, p.note, p.staff, p.created_at, p.voided_at, p.void_reason,
    coalesce((SELECT '取込 ' || bi.id || '（' || bi.file_name || '）の ' || bl.line || '件目' FROM bank_lines bl JOIN bank_imports bi ON bi.id = bl.import_id WHERE bl.id = p.bank_line_id),
        (SELECT '口座振替 ' || r.month FROM debit_items di JOIN debit_requests r ON r.id = di.request_id WHERE di.payment_id = p.id),
        (SELECT '移行データ（取込バッチ ' || p.import_batch || '）' WHERE p.import_batch IS NOT NULL))";

fn payment_row(r: &Row) -> rusqlite::Result<Payment> {
    Ok(Payment {
        id: r.get(0)?,
        member: r.get(1)?,
        member_name: r.get(2)?,
        paid_on: r.get::<_, String>(3)?.parse().unwrap_or_default(),
        amount: r.get(4)?,
        fee: r.get(5)?,
        method: PaymentMethod::parse(&r.get::<_, String>(6)?).unwrap_or(PaymentMethod::Other),
        note: r.get(7)?,
        staff: r.get(8)?,
        created_at: r.get(9)?,
        voided_at: r.get(10)?,
        void_reason: r.get(11)?,
        source: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
        allocations: Vec::new(),
        credit: 0,
    })
}

fn with_allocations(c: &Connection, mut p: Payment) -> Result<Payment> {
    let mut st = c.prepare_cached(
        "SELECT a.id, i.number, a.amount, a.created_at, a.undone_at, a.undo_reason, a.staff FROM payment_allocations a
         JOIN invoices i ON i.id = a.invoice_id WHERE a.payment_id = ?1 ORDER BY a.id",
    )?;
    let rows = st.query_map([p.id], |r| {
        Ok(Allocation { id: r.get(0)?, invoice: r.get(1)?, amount: r.get(2)?, at: r.get(3)?, undone_at: r.get(4)?, undo_reason: r.get(5)?, staff: r.get(6)? })
    })?;
    p.allocations = rows.collect::<rusqlite::Result<_>>()?;
    let live: i64 = p.allocations.iter().filter(|a| a.undone_at.is_none()).map(|a| a.amount).sum();
    p.credit = if p.voided_at.is_some() { 0 } else { p.amount + p.fee - live };
    Ok(p)
}

pub(crate) fn payment(c: &Connection, id: i64) -> Result<Option<Payment>> {
    let p = c
        .query_row(&format!("SELECT {PAYMENT_COLS} FROM payments p JOIN members m ON m.id = p.member_id WHERE p.id = ?1"), [id], payment_row)
        .optional()?;
    p.map(|p| with_allocations(c, p)).transpose()
}

pub(crate) fn payments(c: &Connection, f: &PaymentFilter, member_id: Option<i64>) -> Result<(Vec<Payment>, u64, i64)> {
    let mut st = c.prepare(&format!(
        "SELECT {PAYMENT_COLS} FROM payments p JOIN members m ON m.id = p.member_id
         WHERE (?1 IS NULL OR p.member_id = ?1) AND (?2 IS NULL OR p.paid_on >= ?2) AND (?3 IS NULL OR p.paid_on <= ?3)
           AND (?4 IS NULL OR p.method = ?4) AND (?5 OR p.voided_at IS NULL)
         ORDER BY p.paid_on DESC, p.id DESC"
    ))?;
    let rows = st.query_map(
        params![member_id, f.from.map(|d| d.to_string()), f.to.map(|d| d.to_string()), f.method.map(|m| m.as_str()), f.include_void],
        payment_row,
    )?;
    let (mut out, mut total, mut sum) = (Vec::new(), 0u64, 0i64);
    let limit = f.limit.unwrap_or(1000) as usize;
    for p in rows {
        let p = p?;
        total += 1;
        if p.voided_at.is_none() {
            sum += p.amount;
        }
        if out.len() < limit {
            out.push(p);
        }
    }
    let out = out.into_iter().map(|p| with_allocations(c, p)).collect::<Result<_>>()?;
    Ok((out, total, sum))
}

/// Voids a payment: its allocations are undone (kept, with the reason) and it stops counting.
pub(crate) fn void_payment(c: &Connection, id: i64, reason: &str, staff: &str, now: &str) -> Result<()> {
    let invoices: Vec<i64> = {
        let mut st = c.prepare_cached("SELECT invoice_id FROM payment_allocations WHERE payment_id = ?1 AND undone_at IS NULL")?;
        let rows = st.query_map([id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    c.execute(
        "UPDATE payment_allocations SET undone_at = ?2, undo_reason = ?3, staff = CASE WHEN ?4 = '' THEN staff ELSE ?4 END WHERE payment_id = ?1 AND undone_at IS NULL",
        params![id, now, reason, staff],
    )?;
    c.execute("UPDATE payments SET voided_at = ?2, void_reason = ?3 WHERE id = ?1 AND voided_at IS NULL", params![id, now, reason])?;
    sync_orders(c, &invoices, now)
}

/// Undoes one allocation: the money goes back to the payment (the member's credit).
pub(crate) fn undo_allocation(c: &Connection, id: i64, reason: &str, staff: &str, now: &str) -> Result<Option<i64>> {
    let Some((invoice, payment)): Option<(i64, i64)> = c
        .query_row("SELECT invoice_id, payment_id FROM payment_allocations WHERE id = ?1 AND undone_at IS NULL", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
    else {
        return Ok(None);
    };
    c.execute("UPDATE payment_allocations SET undone_at = ?2, undo_reason = ?3, staff = ?4 WHERE id = ?1", params![id, now, reason, staff])?;
    sync_orders(c, &[invoice], now)?;
    Ok(Some(payment))
}

/// (count of open invoices, their balance, credit) of one member.
pub(crate) fn member_totals(c: &Connection, member_id: i64) -> Result<(u64, i64, i64)> {
    let (n, balance) = super::ledgers::member_balance(c, member_id)?;
    let credit = credits(c, member_id)?.iter().map(|c| c.1).sum();
    Ok((n, balance, credit))
}

pub(crate) fn member_id(c: &Connection, code: &str) -> Result<Option<(i64, String)>> {
    Ok(c.prepare_cached("SELECT id, name FROM members WHERE code = ?1")?.query_row([code], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
}
