//! SQL for subscriptions, orders, invoices and payments: what the import writes and what the
//! invoice list reads. The courses/orders and payments issues build on these tables.
use crate::error::Result;
use crate::tax::AtRate;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

pub(crate) struct NewSubscription {
    pub legacy_id: Option<String>,
    pub member_id: i64,
    pub course_name: String,
    pub product_id: Option<i64>,
    pub quantity: i64,
    pub interval_unit: &'static str,
    pub interval_count: i64,
    pub anchor_day: Option<i64>,
    pub next_date: Option<NaiveDate>,
    pub unit_price: Option<i64>,
    pub payment_method: &'static str,
    pub status: &'static str,
    pub started_on: Option<NaiveDate>,
    pub deliveries: i64,
    pub channel: String,
}

pub(crate) struct NewOrderLine {
    pub product_id: Option<i64>,
    pub product_code: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub amount: i64,
    pub tax_rate: i64,
}

pub(crate) struct NewOrder {
    pub number: String,
    pub member_id: i64,
    pub ordered_on: String,
    pub channel: String,
    pub status: &'static str,
    pub shipping_fee: i64,
    pub lines: Vec<NewOrderLine>,
    /// [10%, 8%]
    pub totals: [AtRate; 2],
    pub total: i64,
}

pub(crate) struct NewPayment {
    pub member_id: i64,
    pub paid_on: NaiveDate,
    pub amount: i64,
    pub method: &'static str,
    pub note: String,
    /// (invoice id, amount) to allocate.
    pub allocation: Option<(i64, i64)>,
}

pub(crate) struct NewInvoice {
    pub number: String,
    pub member_id: i64,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub amount: i64,
    /// [10%, 8%] when the file gave the amounts per rate.
    pub per_rate: Option<[AtRate; 2]>,
    /// Paid before the migration: booked as one payment allocated to the invoice.
    pub paid: i64,
}

fn d(v: Option<NaiveDate>) -> Option<String> {
    v.map(|d| d.to_string())
}

pub(crate) fn subscription_legacy_exists(c: &Connection, legacy_id: &str) -> Result<bool> {
    Ok(c.query_row("SELECT 1 FROM subscriptions WHERE legacy_id = ?1", [legacy_id], |_| Ok(())).optional()?.is_some())
}

pub(crate) fn order_exists(c: &Connection, number: &str) -> Result<bool> {
    Ok(c.query_row("SELECT 1 FROM orders WHERE number = ?1", [number], |_| Ok(())).optional()?.is_some())
}

/// (id, member id, balance) of the invoice with this number.
pub(crate) fn invoice_balance(c: &Connection, number: &str) -> Result<Option<(i64, i64, i64)>> {
    Ok(c
        .query_row(
            "SELECT i.id, i.member_id, i.amount - coalesce((SELECT sum(a.amount) FROM payment_allocations a
                WHERE a.invoice_id = i.id AND a.undone_at IS NULL), 0)
             FROM invoices i WHERE i.number = ?1",
            [number],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

pub(crate) fn insert_subscription(c: &Connection, s: &NewSubscription, now: &str, batch: i64) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO subscriptions (legacy_id, member_id, course_name, product_id, quantity, interval_unit, interval_count,
            anchor_day, next_date, unit_price, payment_method, status, started_on, deliveries, created_at, import_batch, channel)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        s.legacy_id, s.member_id, s.course_name, s.product_id, s.quantity, s.interval_unit, s.interval_count, s.anchor_day,
        d(s.next_date), s.unit_price, s.payment_method, s.status, d(s.started_on), s.deliveries, now, batch, s.channel
    ])?;
    Ok(())
}

pub(crate) fn insert_order(c: &Connection, o: &NewOrder, now: &str, batch: i64) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO orders (number, member_id, ordered_on, channel, total_10, total_8, tax_10, tax_8, shipping_fee, total,
            status, created_at, import_batch)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        o.number, o.member_id, o.ordered_on, o.channel, o.totals[0].total, o.totals[1].total, o.totals[0].tax, o.totals[1].tax,
        o.shipping_fee, o.total, o.status, now, batch
    ])?;
    let id = c.last_insert_rowid();
    let mut st = c.prepare_cached(
        "INSERT INTO order_lines (order_id, line_no, product_id, product_code, name, quantity, unit_price, amount, tax_rate)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (i, l) in o.lines.iter().enumerate() {
        st.execute(params![id, i as i64 + 1, l.product_id, l.product_code, l.name, l.quantity, l.unit_price, l.amount, l.tax_rate])?;
    }
    Ok(())
}

pub(crate) fn insert_payment(c: &Connection, p: &NewPayment, now: &str, batch: i64) -> Result<i64> {
    let row = super::receivables::PaymentRow {
        member_id: p.member_id,
        paid_on: p.paid_on,
        amount: p.amount,
        fee: 0,
        method: p.method,
        note: &p.note,
        staff: "",
        import_batch: Some(batch),
        bank_line: None,
    };
    super::receivables::insert_payment(c, &row, &p.allocation.into_iter().collect::<Vec<_>>(), now)
}

pub(crate) fn insert_invoice(c: &Connection, i: &NewInvoice, now: &str, batch: i64) -> Result<()> {
    let r = i.per_rate;
    c.prepare_cached(
        "INSERT INTO invoices (number, member_id, issued_on, due_on, amount, amount_10, amount_8, tax_10, tax_8, created_at, import_batch)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        i.number, i.member_id, i.issued_on.to_string(), i.due_on.to_string(), i.amount, r.map(|r| r[0].total),
        r.map(|r| r[1].total), r.map(|r| r[0].tax), r.map(|r| r[1].tax), now, batch
    ])?;
    let id = c.last_insert_rowid();
    if i.paid > 0 {
        let p = NewPayment {
            member_id: i.member_id,
            paid_on: i.issued_on,
            amount: i.paid,
            method: "other",
            note: format!("移行前の入金（請求 {}）", i.number),
            allocation: Some((id, i.paid)),
        };
        insert_payment(c, &p, now, batch)?;
    }
    Ok(())
}

/// A member's unpaid invoices (not void, balance left) and the sum left to pay.
pub(crate) fn member_balance(c: &Connection, member_id: i64) -> Result<(u64, i64)> {
    let open = super::receivables::open_invoices_of(c, member_id)?;
    Ok((open.len() as u64, open.iter().map(|o| o.balance).sum()))
}
