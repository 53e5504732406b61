//! SQL for the reports: wide, read-only scans shaped for aggregation in Rust. Each returns the
//! few columns a report needs, so a pass over 100,000 members or a million order lines stays in
//! the tens of milliseconds.
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::{params, Connection};

/// `YYYY-MM-DD…` read by hand: chrono's general parser costs more than the rest of a report
/// when it runs a million times.
pub(crate) fn ymd(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32))
    };
    NaiveDate::from_ymd_opt(n(0..4)? as i32, n(5..7)?, n(8..10)?)
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(ymd)
}

/// A date column read without allocating.
fn date_at(r: &rusqlite::Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    Ok(match r.get_ref(i)? {
        rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(ymd),
        _ => None,
    })
}

pub(crate) fn course_name(c: &Connection, id: i64) -> Result<Option<String>> {
    let mut st = c.prepare_cached("SELECT name FROM courses WHERE id = ?1")?;
    let mut rows = st.query([id])?;
    Ok(match rows.next()? {
        Some(r) => Some(r.get(0)?),
        None => None,
    })
}

/// A subscription as the retention, cohort and 3S reports see it.
#[derive(Debug, Clone)]
pub(crate) struct SubFact {
    pub id: i64,
    pub course_id: Option<i64>,
    pub course_name: String,
    /// 申込経路, empty when not known.
    pub channel: String,
    pub membership: bool,
    pub started_on: Option<NaiveDate>,
    /// Stopped (its day may be unknown for subscriptions brought from the old system).
    pub stopped: bool,
    pub stopped_on: Option<NaiveDate>,
    pub deliveries: i64,
}

/// Every subscription of a member not merged away.
pub(crate) fn subscriptions(c: &Connection) -> Result<Vec<SubFact>> {
    let mut st = c.prepare(
        "SELECT s.id, s.course_id, CASE WHEN co.name IS NOT NULL THEN co.name ELSE s.course_name END,
                coalesce(co.kind = 'membership', 0), s.started_on, s.status, s.status_since, s.deliveries, s.created_at, s.channel
         FROM subscriptions s JOIN members m ON m.id = s.member_id LEFT JOIN courses co ON co.id = s.course_id
         WHERE m.merged_into IS NULL",
    )?;
    let rows = st.query_map([], |r| {
        let status: String = r.get(5)?;
        let since = date(r.get(6)?);
        Ok(SubFact {
            id: r.get(0)?,
            course_id: r.get(1)?,
            course_name: r.get(2)?,
            channel: r.get(9)?,
            membership: r.get::<_, i64>(3)? == 1,
            // An imported subscription may not know its start: its creation stands in.
            started_on: date(r.get(4)?).or(date(r.get(8)?)),
            stopped: status == "stopped",
            stopped_on: if status == "stopped" { since } else { None },
            deliveries: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A member's joining and status as the members report replays them.
pub(crate) struct MemberFact {
    pub id: i64,
    pub joined_on: Option<NaiveDate>,
    pub status: String,
    pub status_since: Option<NaiveDate>,
}

pub(crate) fn members(c: &Connection) -> Result<Vec<MemberFact>> {
    let mut st = c.prepare("SELECT id, joined_on, status, status_since FROM members WHERE merged_into IS NULL")?;
    let rows = st.query_map([], |r| Ok(MemberFact { id: r.get(0)?, joined_on: date(r.get(1)?), status: r.get(2)?, status_since: date(r.get(3)?) }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A status change: member, effective day, from, to, reason.
pub(crate) type StatusChange = (i64, NaiveDate, String, String, String);

pub(crate) fn status_changes(c: &Connection) -> Result<Vec<StatusChange>> {
    let mut st = c.prepare(
        "SELECT h.member_id, coalesce(h.effective_on, substr(h.at, 1, 10)), coalesce(h.from_status, ''), coalesce(h.to_status, ''), h.reason
         FROM member_history h JOIN members m ON m.id = h.member_id
         WHERE h.kind = 'status_changed' AND m.merged_into IS NULL ORDER BY h.member_id, 2, h.id",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, date(r.get(1)?), r.get(2)?, r.get(3)?, r.get(4)?)))?;
    let mut out = Vec::new();
    for r in rows {
        let (m, d, from, to, reason): (i64, Option<NaiveDate>, String, String, String) = r?;
        if let Some(d) = d {
            out.push((m, d, from, to, reason));
        }
    }
    Ok(out)
}

/// Membership subscriptions' end of term (valid until), for the renewals due.
pub(crate) fn membership_terms(c: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<(i64, NaiveDate)>> {
    let mut st = c.prepare(
        "SELECT s.member_id, s.valid_until FROM subscriptions s JOIN courses co ON co.id = s.course_id
         WHERE co.kind = 'membership' AND s.status <> 'stopped' AND s.valid_until BETWEEN ?1 AND ?2",
    )?;
    let rows = st.query_map(params![from.to_string(), to.to_string()], |r| Ok((r.get(0)?, date(r.get(1)?))))?;
    let mut out = Vec::new();
    for r in rows {
        if let (m, Some(d)) = r? {
            out.push((m, d));
        }
    }
    Ok(out)
}

/// A lifecycle event of a subscription.
pub(crate) struct EventFact {
    pub subscription_id: i64,
    pub kind: String,
    pub on: NaiveDate,
    pub from_course: Option<i64>,
    pub to_course: Option<i64>,
    pub reason: String,
}

/// Skips (not taken back), switches, stops and pauses that happened from `from` to `to`.
pub(crate) fn events(c: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<EventFact>> {
    let mut st = c.prepare(
        "SELECT subscription_id, kind, happened_on, from_course_id, to_course_id, reason FROM subscription_events
         WHERE kind IN ('skip', 'switch', 'stop', 'pause') AND cancelled_at IS NULL AND happened_on BETWEEN ?1 AND ?2",
    )?;
    let rows = st.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok((r.get(0)?, r.get(1)?, date(r.get(2)?), r.get(3)?, r.get(4)?, r.get(5)?))
    })?;
    let mut out = Vec::new();
    for r in rows {
        let (subscription_id, kind, on, from_course, to_course, reason) = r?;
        if let Some(on) = on {
            out.push(EventFact { subscription_id, kind, on, from_course, to_course, reason });
        }
    }
    Ok(out)
}

pub(crate) fn course_names(c: &Connection) -> Result<std::collections::HashMap<i64, String>> {
    let mut st = c.prepare("SELECT id, name FROM courses")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An order as the sales report adds it up (not cancelled, in the period).
pub(crate) struct OrderFact {
    pub id: i64,
    pub ordered_on: NaiveDate,
    pub kind: crate::orders::OrderKind,
    pub payment_method: Option<crate::orders::PaymentMethod>,
    pub total_10: i64,
    pub tax_10: i64,
    pub total_8: i64,
    pub tax_8: i64,
    pub fees: i64,
    pub total: i64,
}

/// Orders not cancelled from `from` to `to`; with `course`, only those of subscriptions on it.
pub(crate) fn orders(c: &Connection, from: NaiveDate, to: NaiveDate, course: Option<i64>) -> Result<Vec<OrderFact>> {
    let mut st = c.prepare(
        "SELECT o.id, o.ordered_on, o.kind, coalesce(o.payment_method, ''), o.total_10, o.tax_10, o.total_8, o.tax_8,
                o.shipping_fee + o.cod_fee, o.total
         FROM orders o INDEXED BY orders_sales
         WHERE o.ordered_on BETWEEN ?1 AND ?2 AND o.status <> 'cancelled'
           AND (?3 IS NULL OR o.subscription_id IN (SELECT id FROM subscriptions WHERE course_id = ?3))",
    )?;
    let rows = st.query_map(params![from.to_string(), to.to_string(), course], |r| {
        Ok(OrderFact {
            id: r.get(0)?,
            ordered_on: date_at(r, 1)?.unwrap_or(NaiveDate::MIN),
            kind: crate::orders::OrderKind::parse(r.get_ref(2)?.as_str()?),
            payment_method: crate::orders::PaymentMethod::parse(r.get_ref(3)?.as_str()?),
            total_10: r.get(4)?,
            tax_10: r.get(5)?,
            total_8: r.get(6)?,
            tax_8: r.get(7)?,
            fees: r.get(8)?,
            total: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The lines of the orders with ids from `first` to `last`: (order id, product id, quantity,
/// amount). Read in key order, which is the file's order, and matched to the orders in Rust:
/// a join per order would seek a million times.
pub(crate) fn each_line(c: &Connection, first: i64, last: i64, mut f: impl FnMut(i64, Option<i64>, i64, i64)) -> Result<()> {
    let mut st = c.prepare("SELECT order_id, product_id, quantity, amount FROM order_lines WHERE order_id BETWEEN ?1 AND ?2")?;
    let mut rows = st.query(params![first, last])?;
    while let Some(r) = rows.next()? {
        f(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
    }
    Ok(())
}

/// A product as the reports name it.
pub(crate) struct ProductFact {
    pub code: String,
    pub name: String,
    pub group: String,
}

pub(crate) fn products(c: &Connection) -> Result<std::collections::HashMap<i64, ProductFact>> {
    let mut st = c.prepare("SELECT id, code, name, product_group FROM products")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, ProductFact { code: r.get(1)?, name: r.get(2)?, group: r.get(3)? })))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every order not cancelled up to `until`, by member: (member id, day, total). The customer
/// reports fold them per member.
pub(crate) fn each_purchase(c: &Connection, until: NaiveDate, mut f: impl FnMut(i64, NaiveDate, i64)) -> Result<()> {
    let mut st = c.prepare("SELECT member_id, ordered_on, total FROM orders INDEXED BY orders_purchases WHERE status <> 'cancelled' AND ordered_on <= ?1")?;
    let mut rows = st.query([until.to_string()])?;
    while let Some(r) = rows.next()? {
        if let Some(d) = date_at(r, 1)? {
            f(r.get(0)?, d, r.get(2)?);
        }
    }
    Ok(())
}

/// What a member list shows of a member.
pub(crate) struct MemberCard {
    pub code: String,
    pub name: String,
    pub kana: String,
    pub prefecture: String,
    pub phone: String,
    pub status: String,
    pub dm_opt_out: bool,
    pub postal_code: String,
    pub address: String,
    pub company: String,
}

pub(crate) fn member_cards(c: &Connection) -> Result<std::collections::HashMap<i64, MemberCard>> {
    let mut st = c.prepare(
        "SELECT id, code, name, kana, prefecture, CASE WHEN phone <> '' THEN phone ELSE mobile END, status, dm_opt_out, 0,
                postal_code, prefecture || city || street || CASE WHEN building <> '' THEN ' ' || building ELSE '' END, company
         FROM members",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get(0)?,
            MemberCard {
                code: r.get(1)?,
                name: r.get(2)?,
                kana: r.get(3)?,
                prefecture: r.get(4)?,
                phone: r.get(5)?,
                status: r.get(6)?,
                dm_opt_out: r.get::<_, i64>(7)? == 1,
                postal_code: r.get(9)?,
                address: r.get(10)?,
                company: r.get(11)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Members merged away (their orders moved to the member they were merged into), and the count
/// of the others.
pub(crate) fn merged_members(c: &Connection) -> Result<(std::collections::HashSet<i64>, u64)> {
    let mut st = c.prepare("SELECT id FROM members WHERE merged_into IS NOT NULL")?;
    let rows = st.query_map([], |r| r.get(0))?;
    let merged: std::collections::HashSet<i64> = rows.collect::<rusqlite::Result<_>>()?;
    let all: i64 = c.query_row("SELECT count(*) FROM members", [], |r| r.get(0))?;
    Ok((merged.clone(), all as u64 - merged.len() as u64))
}

/// Members with a subscription on `course` (the course filter of member-based reports).
pub(crate) fn members_on_course(c: &Connection, course: i64) -> Result<std::collections::HashSet<i64>> {
    let mut st = c.prepare("SELECT DISTINCT member_id FROM subscriptions WHERE course_id = ?1")?;
    let rows = st.query_map([course], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Debit requests per month: (month, debit day, records, amount, collected records, collected
/// amount, failed records, failed amount, waiting records).
pub(crate) type DebitMonth = (String, String, i64, i64, i64, i64, i64, i64, i64);

pub(crate) fn debit_months(c: &Connection, from: &str, to: &str) -> Result<Vec<DebitMonth>> {
    let mut st = c.prepare(
        "SELECT r.month, r.debit_on, count(i.id), coalesce(sum(i.amount), 0),
                coalesce(sum(i.result = '0'), 0), coalesce(sum(CASE WHEN i.result = '0' THEN i.amount END), 0),
                coalesce(sum(i.result IS NOT NULL AND i.result <> '0'), 0), coalesce(sum(CASE WHEN i.result <> '0' THEN i.amount END), 0),
                coalesce(sum(i.result IS NULL), 0)
         FROM debit_requests r LEFT JOIN debit_items i ON i.request_id = r.id
         WHERE r.month BETWEEN ?1 AND ?2 GROUP BY r.id ORDER BY r.month",
    )?;
    let rows = st.query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Money in of a month and method: (YYYY-MM, method, payments, amount, fees).
pub(crate) type CashIn = (String, String, i64, i64, i64);

/// Money in per month and method. Voided payments are left out.
pub(crate) fn cash_in(c: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<CashIn>> {
    let mut st = c.prepare(
        "SELECT substr(paid_on, 1, 7), method, count(*), sum(amount), sum(fee) FROM payments
         WHERE voided_at IS NULL AND paid_on BETWEEN ?1 AND ?2 GROUP BY 1, 2",
    )?;
    let rows = st.query_map(params![from.to_string(), to.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
