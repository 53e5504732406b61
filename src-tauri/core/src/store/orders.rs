//! SQL for orders and their lines: entry, the monthly run's bulk insert, lists and status.
use crate::error::Result;
use crate::orders::{
    Order, OrderKind, OrderLine, OrderPage, OrderStatus, OrderSummary, OrderTotals, PaymentMethod,
};
use crate::products::Product;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::collections::HashMap;

pub(crate) struct NewOrder {
    pub member_id: i64,
    pub ordered_on: NaiveDate,
    pub channel: String,
    pub kind: OrderKind,
    pub subscription_id: Option<i64>,
    pub delivery_no: Option<i64>,
    pub scheduled_for: Option<NaiveDate>,
    pub month_run_id: Option<i64>,
    pub address_id: Option<i64>,
    pub delivery_date: Option<NaiveDate>,
    pub time_slot: String,
    pub payment_method: Option<PaymentMethod>,
    pub lines: Vec<OrderLine>,
    pub totals: OrderTotals,
    pub note: String,
    pub staff: String,
}

fn date(v: Option<String>) -> Option<NaiveDate> {
    v.and_then(|s| s.parse().ok())
}

/// `n` fresh order numbers (J0000001 …), counted in the settings table inside the caller's
/// transaction; numbers an import already used are passed over.
pub(crate) fn next_numbers(c: &Connection, n: usize) -> Result<Vec<String>> {
    let mut seq: u64 = c
        .query_row("SELECT value FROM settings WHERE key = 'order_seq'", [], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut out = Vec::with_capacity(n);
    let mut taken = c.prepare_cached("SELECT 1 FROM orders WHERE number = ?1")?;
    while out.len() < n {
        seq += 1;
        let number = format!("J{seq:07}");
        if !taken.exists([&number])? {
            out.push(number);
        }
    }
    super::settings::put(c, "order_seq", &seq.to_string())?;
    Ok(out)
}

pub(crate) fn insert(c: &Connection, number: &str, o: &NewOrder, now: &str) -> Result<i64> {
    let t = &o.totals;
    c.prepare_cached(
        "INSERT INTO orders (number, member_id, ordered_on, channel, kind, subscription_id, delivery_no, scheduled_for, month_run_id,
            address_id, delivery_date, time_slot, payment_method, total_10, total_8, tax_10, tax_8, shipping_fee, cod_fee, total,
            status, note, staff, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, 'received', ?21, ?22, ?23)",
    )?
    .execute(params![
        number,
        o.member_id,
        o.ordered_on.to_string(),
        o.channel,
        o.kind.as_str(),
        o.subscription_id,
        o.delivery_no,
        o.scheduled_for.map(|d| d.to_string()),
        o.month_run_id,
        o.address_id,
        o.delivery_date.map(|d| d.to_string()),
        o.time_slot,
        o.payment_method.map(|m| m.as_str()),
        t.total_10,
        t.total_8,
        t.tax_10,
        t.tax_8,
        t.shipping_fee,
        t.cod_fee,
        t.total,
        o.note,
        o.staff,
        now
    ])?;
    let id = c.last_insert_rowid();
    let mut st = c.prepare_cached(
        "INSERT INTO order_lines (order_id, line_no, product_id, product_code, name, quantity, unit_price, amount, tax_rate)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (i, l) in o.lines.iter().enumerate() {
        st.execute(params![id, i as i64 + 1, l.product_id, l.product_code, l.name, l.quantity, l.unit_price, l.amount, l.tax_rate])?;
    }
    Ok(id)
}

pub(crate) fn lines(c: &Connection, order_id: i64) -> Result<Vec<OrderLine>> {
    let mut st = c.prepare_cached(
        "SELECT product_id, product_code, name, quantity, unit_price, amount, tax_rate FROM order_lines WHERE order_id = ?1 ORDER BY line_no",
    )?;
    let rows = st.query_map([order_id], |r| {
        Ok(OrderLine {
            product_id: r.get(0)?,
            product_code: r.get(1)?,
            name: r.get(2)?,
            quantity: r.get(3)?,
            unit_price: r.get(4)?,
            amount: r.get(5)?,
            tax_rate: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn by_number(c: &Connection, number: &str) -> Result<Option<Order>> {
    let mut st = c.prepare_cached(
        "SELECT o.id, o.number, m.code, m.name, o.kind, o.channel, o.subscription_id, o.delivery_no, o.scheduled_for, o.ordered_on,
            o.address_id, coalesce(a.name || '様 ' || a.prefecture || a.city || a.street || ' ' || a.building,
                                   m.name || '様 ' || m.prefecture || m.city || m.street || ' ' || m.building),
            o.delivery_date, o.time_slot, o.payment_method, o.total_10, o.tax_10, o.total_8, o.tax_8, o.shipping_fee, o.cod_fee, o.total,
            o.status, o.status_since, o.cancel_reason, o.note, o.staff, o.created_at
         FROM orders o JOIN members m ON m.id = o.member_id LEFT JOIN member_addresses a ON a.id = o.address_id
         WHERE o.number = ?1",
    )?;
    let order = st
        .query_row([number], |r| {
            Ok(Order {
                id: r.get(0)?,
                number: r.get(1)?,
                member: r.get(2)?,
                member_name: r.get(3)?,
                kind: OrderKind::parse(&r.get::<_, String>(4)?),
                channel: r.get(5)?,
                subscription_id: r.get(6)?,
                delivery_no: r.get(7)?,
                scheduled_for: date(r.get(8)?),
                ordered_on: date(r.get(9)?).unwrap_or_default(),
                address_id: r.get(10)?,
                ship_to: r.get::<_, String>(11)?.trim().to_string(),
                delivery_date: date(r.get(12)?),
                time_slot: r.get(13)?,
                payment_method: r.get::<_, Option<String>>(14)?.and_then(|m| PaymentMethod::parse(&m)),
                lines: Vec::new(),
                totals: OrderTotals {
                    goods: 0,
                    total_10: r.get(15)?,
                    tax_10: r.get(16)?,
                    total_8: r.get(17)?,
                    tax_8: r.get(18)?,
                    shipping_fee: r.get(19)?,
                    cod_fee: r.get(20)?,
                    total: r.get(21)?,
                },
                status: OrderStatus::parse(&r.get::<_, String>(22)?).unwrap_or(OrderStatus::Received),
                status_since: r.get(23)?,
                cancel_reason: r.get(24)?,
                note: r.get(25)?,
                staff: r.get(26)?,
                created_at: r.get(27)?,
            })
        })
        .optional()?;
    let Some(mut order) = order else { return Ok(None) };
    order.lines = lines(c, order.id)?;
    order.totals.goods = order.lines.iter().map(|l| l.amount).sum();
    Ok(Some(order))
}

fn summary_row(r: &Row) -> rusqlite::Result<OrderSummary> {
    let first: Option<String> = r.get(9)?;
    let count: i64 = r.get(10)?;
    let items = match (first, count) {
        (None, _) => String::new(),
        (Some(f), 1) => f,
        (Some(f), n) => format!("{f} ほか{}点", n - 1),
    };
    Ok(OrderSummary {
        id: r.get(0)?,
        number: r.get(1)?,
        member: r.get(2)?,
        member_name: r.get(3)?,
        kind: OrderKind::parse(&r.get::<_, String>(4)?),
        course: r.get(5)?,
        ordered_on: date(r.get(6)?).unwrap_or_default(),
        delivery_date: date(r.get(7)?),
        time_slot: r.get(8)?,
        payment_method: r.get::<_, Option<String>>(11)?.and_then(|m| PaymentMethod::parse(&m)),
        items,
        total: r.get(12)?,
        status: OrderStatus::parse(&r.get::<_, String>(13)?).unwrap_or(OrderStatus::Received),
        bundle: None,
    })
}

pub(crate) fn list(
    c: &Connection,
    month: Option<(NaiveDate, NaiveDate)>,
    member: Option<i64>,
    status: Option<OrderStatus>,
    kind: Option<OrderKind>,
    limit: u32,
) -> Result<OrderPage> {
    let filter = "(?1 IS NULL OR o.ordered_on BETWEEN ?1 AND ?2) AND (?3 IS NULL OR o.member_id = ?3)
        AND (?4 IS NULL OR o.status = ?4) AND (?5 IS NULL OR o.kind = ?5)";
    let (from, to) = (month.map(|m| m.0.to_string()), month.map(|m| m.1.to_string()));
    let (status, kind) = (status.map(|s| s.as_str()), kind.map(|k| k.as_str()));
    let args = params![from, to, member, status, kind];
    let total: i64 = c.query_row(&format!("SELECT count(*) FROM orders o WHERE {filter}"), args, |r| r.get(0))?;
    let mut st = c.prepare(&format!(
        "SELECT o.id, o.number, m.code, m.name, o.kind, coalesce(s.course_name, ''), o.ordered_on, o.delivery_date, o.time_slot,
            (SELECT l.name || ' ×' || l.quantity FROM order_lines l WHERE l.order_id = o.id AND l.line_no = 1),
            (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id), o.payment_method, o.total, o.status
         FROM orders o JOIN members m ON m.id = o.member_id LEFT JOIN subscriptions s ON s.id = o.subscription_id
         WHERE {filter} ORDER BY o.ordered_on DESC, o.id DESC LIMIT {limit}"
    ))?;
    let mut orders: Vec<OrderSummary> = st.query_map(args, summary_row)?.collect::<rusqlite::Result<_>>()?;
    let bundles = bundles(c)?;
    for o in &mut orders {
        o.bundle = bundles.get(&o.id).cloned();
    }
    Ok(OrderPage { orders, total: total as u64 })
}

/// 同梱 groups among orders not yet shipped: same member, same delivery address, due within
/// seven days of each other. Maps each grouped order's id to the number of its group's first order.
pub(crate) fn bundles(c: &Connection) -> Result<HashMap<i64, String>> {
    let mut st = c.prepare_cached(
        "SELECT id, number, member_id, coalesce(address_id, 0), coalesce(delivery_date, scheduled_for, ordered_on) AS due
         FROM orders WHERE status IN ('received', 'ready') ORDER BY member_id, 4, due, id",
    )?;
    let rows: Vec<(i64, String, i64, i64, String)> =
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut out = HashMap::new();
    let mut i = 0;
    while i < rows.len() {
        let mut j = i + 1;
        let start: Option<NaiveDate> = rows[i].4.parse().ok();
        while j < rows.len() && rows[j].2 == rows[i].2 && rows[j].3 == rows[i].3 {
            let due: Option<NaiveDate> = rows[j].4.parse().ok();
            match (start, due) {
                (Some(a), Some(b)) if (b - a).num_days() <= 7 => j += 1,
                _ => break,
            }
        }
        if j - i > 1 {
            for r in &rows[i..j] {
                out.insert(r.0, rows[i].1.clone());
            }
        }
        i = j;
    }
    Ok(out)
}

pub(crate) fn set_status(c: &Connection, id: i64, status: OrderStatus, reason: &str, staff: &str, now: &str) -> Result<()> {
    c.execute(
        "UPDATE orders SET status = ?2, status_since = ?3,
            cancel_reason = CASE WHEN ?2 = 'cancelled' THEN ?4 ELSE cancel_reason END,
            staff = CASE WHEN ?5 <> '' THEN ?5 ELSE staff END
         WHERE id = ?1",
        params![id, status.as_str(), now, reason, staff],
    )?;
    Ok(())
}

/// A product by its exact name, when exactly one has it (staff type names on the phone).
pub(crate) fn product_by_name(c: &Connection, name: &str) -> Result<Option<Product>> {
    let ids: Vec<i64> = {
        let mut st = c.prepare_cached("SELECT id FROM products WHERE name = ?1 LIMIT 2")?;
        let rows = st.query_map([name], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if ids.len() != 1 {
        return Ok(None);
    }
    super::products::by_id(c, ids[0])
}

pub(crate) fn address_owner(c: &Connection, address_id: i64) -> Result<Option<i64>> {
    Ok(c.query_row("SELECT member_id FROM member_addresses WHERE id = ?1", [address_id], |r| r.get(0)).optional()?)
}

/// Demo history: orders from `first_id` on, still 受付 and due before `before`, move to `status`
/// (since the morning after they were due). One statement for the whole history.
pub(crate) fn age_demo_orders(c: &Connection, first_id: i64, before: NaiveDate, status: OrderStatus) -> Result<usize> {
    Ok(c.execute(
        "UPDATE orders SET status = ?3, status_since = date(coalesce(delivery_date, ordered_on), '+1 day') || ' 10:00:00'
         WHERE id >= ?1 AND status = 'received' AND coalesce(delivery_date, ordered_on) < ?2",
        params![first_id, before.to_string(), status.as_str()],
    )?)
}
