//! SQL for subscriptions and their lifecycle events.
use crate::error::Result;
use crate::orders::PaymentMethod;
use crate::schedule::IntervalUnit;
use crate::subscriptions::{EventKind, SubscriptionEvent, SubscriptionStatus};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

/// A subscription as stored, with the ids the domain needs.
#[derive(Debug, Clone)]
pub(crate) struct SubRow {
    pub id: i64,
    pub legacy_id: Option<String>,
    pub member_id: i64,
    pub member_code: String,
    pub member_name: String,
    pub member_kana: String,
    pub member_status: crate::members::MemberStatus,
    pub member_prefecture: String,
    pub member_dm_opt_out: bool,
    pub member_merged: bool,
    pub course_id: Option<i64>,
    pub course_name: String,
    pub product_id: Option<i64>,
    pub quantity: i64,
    pub unit: IntervalUnit,
    pub count: i64,
    pub anchor_day: Option<i64>,
    pub next_date: Option<NaiveDate>,
    pub price_override: Option<i64>,
    pub payment_method: PaymentMethod,
    pub status: SubscriptionStatus,
    pub status_since: Option<NaiveDate>,
    pub paused_until: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub deliveries: i64,
    pub course_start_count: i64,
    pub address_id: Option<i64>,
    pub time_slot: String,
    pub stop_reason: String,
}

fn date(v: Option<String>) -> Option<NaiveDate> {
    v.and_then(|s| s.parse().ok())
}

/// The columns `row` reads (30); queries add their own after them.
const COLS: &str = "s.id, s.legacy_id, s.member_id, m.code, m.name, s.course_id, s.course_name, s.product_id, s.quantity,
    s.interval_unit, s.interval_count, s.anchor_day, s.next_date, s.unit_price, s.payment_method, s.status, s.status_since,
    s.paused_until, s.valid_until, s.started_on, s.deliveries, s.course_start_count, s.address_id, s.time_slot, s.stop_reason,
    m.status, m.prefecture, m.dm_opt_out, m.merged_into IS NOT NULL, m.kana";

fn row(r: &Row) -> rusqlite::Result<SubRow> {
    Ok(SubRow {
        id: r.get(0)?,
        legacy_id: r.get(1)?,
        member_id: r.get(2)?,
        member_code: r.get(3)?,
        member_name: r.get(4)?,
        course_id: r.get(5)?,
        course_name: r.get(6)?,
        product_id: r.get(7)?,
        quantity: r.get(8)?,
        unit: IntervalUnit::parse(&r.get::<_, String>(9)?).unwrap_or(IntervalUnit::Month),
        count: r.get(10)?,
        anchor_day: r.get(11)?,
        next_date: date(r.get(12)?),
        price_override: r.get(13)?,
        payment_method: PaymentMethod::parse(&r.get::<_, String>(14)?).unwrap_or_default(),
        status: SubscriptionStatus::parse(&r.get::<_, String>(15)?),
        status_since: date(r.get(16)?),
        paused_until: date(r.get(17)?),
        valid_until: date(r.get(18)?),
        started_on: date(r.get(19)?),
        deliveries: r.get(20)?,
        course_start_count: r.get(21)?,
        address_id: r.get(22)?,
        time_slot: r.get(23)?,
        stop_reason: r.get(24)?,
        member_status: super::members::status_of(&r.get::<_, String>(25)?),
        member_prefecture: r.get(26)?,
        member_dm_opt_out: r.get(27)?,
        member_merged: r.get(28)?,
        member_kana: r.get(29)?,
    })
}

pub(crate) fn by_id(c: &Connection, id: i64) -> Result<Option<SubRow>> {
    let mut st = c.prepare_cached(&format!("SELECT {COLS} FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE s.id = ?1"))?;
    Ok(st.query_row([id], row).optional()?)
}

/// Subscriptions by member code, then id; filtered by member, status and course.
pub(crate) fn list(
    c: &Connection,
    member: Option<i64>,
    status: Option<SubscriptionStatus>,
    course: Option<i64>,
    limit: u32,
) -> Result<(Vec<SubRow>, u64)> {
    let filter = "(?1 IS NULL OR s.member_id = ?1) AND (?2 IS NULL OR s.status = ?2) AND (?3 IS NULL OR s.course_id = ?3)";
    let status = status.map(|s| s.as_str());
    let total: i64 = c.query_row(&format!("SELECT count(*) FROM subscriptions s WHERE {filter}"), params![member, status, course], |r| r.get(0))?;
    let mut st = c.prepare(&format!(
        "SELECT {COLS} FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE {filter} ORDER BY m.code, s.id LIMIT {limit}"
    ))?;
    let rows = st.query_map(params![member, status, course], row)?;
    Ok((rows.collect::<rusqlite::Result<_>>()?, total as u64))
}

/// What the monthly run works on: subscriptions active or paused with a delivery due by `end`.
pub(crate) fn due(c: &Connection, end: NaiveDate) -> Result<Vec<SubRow>> {
    let mut st = c.prepare(&format!(
        "SELECT {COLS} FROM subscriptions s JOIN members m ON m.id = s.member_id
         WHERE s.status IN ('active', 'paused') AND s.next_date <= ?1 ORDER BY s.id"
    ))?;
    let rows = st.query_map([end.to_string()], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Subscriptions (not stopped) on courses that carry a bulletin: who may be entitled to this
/// month's copy, with the bulletin's product.
pub(crate) fn with_bulletin(c: &Connection) -> Result<Vec<(SubRow, i64)>> {
    let mut st = c.prepare(&format!(
        "SELECT {COLS}, k.bulletin_product_id FROM subscriptions s JOIN members m ON m.id = s.member_id
            JOIN courses k ON k.id = s.course_id
         WHERE s.status IN ('active', 'paused') AND k.bulletin_product_id IS NOT NULL ORDER BY s.id"
    ))?;
    let rows = st.query_map([], |r| Ok((row(r)?, r.get(30)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Active subscriptions on membership courses, with the course id.
pub(crate) fn memberships(c: &Connection) -> Result<Vec<(SubRow, i64)>> {
    let mut st = c.prepare(&format!(
        "SELECT {COLS}, k.id FROM subscriptions s JOIN members m ON m.id = s.member_id JOIN courses k ON k.id = s.course_id
         WHERE s.status = 'active' AND k.kind = 'membership' ORDER BY s.valid_until, s.id"
    ))?;
    let rows = st.query_map([], |r| Ok((row(r)?, r.get(30)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) struct NewSub<'a> {
    pub member_id: i64,
    pub course_id: i64,
    pub course_name: &'a str,
    pub quantity: i64,
    pub unit: IntervalUnit,
    pub count: i64,
    pub anchor_day: Option<i64>,
    pub next_date: NaiveDate,
    pub price_override: Option<i64>,
    pub payment_method: PaymentMethod,
    pub started_on: NaiveDate,
    pub address_id: Option<i64>,
    pub time_slot: &'a str,
    pub channel: &'a str,
}

/// 申込経路 of the subscriptions that have one (schema 7 on).
pub(crate) fn channels(c: &Connection) -> Result<std::collections::HashMap<i64, String>> {
    let mut st = c.prepare_cached("SELECT id, channel FROM subscriptions WHERE channel <> ''")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn channel_of(c: &Connection, id: i64) -> Result<String> {
    Ok(c.prepare_cached("SELECT channel FROM subscriptions WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?.unwrap_or_default())
}

pub(crate) fn insert(c: &Connection, s: &NewSub, now: &str) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO subscriptions (member_id, course_id, course_name, quantity, interval_unit, interval_count, anchor_day, next_date,
            unit_price, payment_method, status, status_since, started_on, deliveries, address_id, time_slot, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'active', ?11, ?11, 0, ?12, ?13, ?14)",
    )?
    .execute(params![
        s.member_id, s.course_id, s.course_name, s.quantity, s.unit.as_str(), s.count, s.anchor_day, s.next_date.to_string(),
        s.price_override, s.payment_method.as_str(), s.started_on.to_string(), s.address_id, s.time_slot, now
    ])?;
    let id = c.last_insert_rowid();
    // 申込経路 came with schema 7; the demo still makes shops on older ones for the migration tests.
    if !s.channel.is_empty() {
        c.prepare_cached("UPDATE subscriptions SET channel = ?2 WHERE id = ?1")?.execute(params![id, s.channel])?;
    }
    Ok(id)
}

/// Writes back every changeable column of a subscription.
pub(crate) fn save(c: &Connection, s: &SubRow) -> Result<()> {
    c.prepare_cached(
        "UPDATE subscriptions SET course_id = ?2, course_name = ?3, product_id = ?4, quantity = ?5, interval_unit = ?6,
            interval_count = ?7, anchor_day = ?8, next_date = ?9, unit_price = ?10, payment_method = ?11, status = ?12,
            status_since = ?13, paused_until = ?14, valid_until = ?15, deliveries = ?16, course_start_count = ?17,
            address_id = ?18, time_slot = ?19, stop_reason = ?20
         WHERE id = ?1",
    )?
    .execute(params![
        s.id,
        s.course_id,
        s.course_name,
        s.product_id,
        s.quantity,
        s.unit.as_str(),
        s.count,
        s.anchor_day,
        s.next_date.map(|d| d.to_string()),
        s.price_override,
        s.payment_method.as_str(),
        s.status.as_str(),
        s.status_since.map(|d| d.to_string()),
        s.paused_until.map(|d| d.to_string()),
        s.valid_until.map(|d| d.to_string()),
        s.deliveries,
        s.course_start_count,
        s.address_id,
        s.time_slot,
        s.stop_reason
    ])?;
    Ok(())
}

pub(crate) struct NewEvent<'a> {
    pub subscription_id: i64,
    pub kind: EventKind,
    pub happened_on: NaiveDate,
    pub target_date: Option<NaiveDate>,
    pub from_course_id: Option<i64>,
    pub to_course_id: Option<i64>,
    pub reason: &'a str,
    pub detail: &'a str,
    pub staff: &'a str,
}

pub(crate) fn add_event(c: &Connection, e: &NewEvent, now: &str) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO subscription_events (subscription_id, kind, happened_on, target_date, from_course_id, to_course_id, reason, detail,
            staff, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        e.subscription_id,
        e.kind.as_str(),
        e.happened_on.to_string(),
        e.target_date.map(|d| d.to_string()),
        e.from_course_id,
        e.to_course_id,
        e.reason,
        e.detail,
        e.staff,
        now
    ])?;
    Ok(c.last_insert_rowid())
}

pub(crate) fn events(c: &Connection, subscription_id: i64) -> Result<Vec<SubscriptionEvent>> {
    let mut st = c.prepare_cached(
        "SELECT e.id, e.kind, e.happened_on, e.target_date, f.name, t.name, e.reason, e.detail, e.staff, e.cancelled_at IS NOT NULL,
            e.created_at
         FROM subscription_events e LEFT JOIN courses f ON f.id = e.from_course_id LEFT JOIN courses t ON t.id = e.to_course_id
         WHERE e.subscription_id = ?1 ORDER BY e.id DESC",
    )?;
    let rows = st.query_map([subscription_id], |r| {
        Ok(SubscriptionEvent {
            id: r.get(0)?,
            kind: EventKind::parse(&r.get::<_, String>(1)?),
            happened_on: date(r.get(2)?).unwrap_or_default(),
            target_date: date(r.get(3)?),
            from_course: r.get(4)?,
            to_course: r.get(5)?,
            reason: r.get(6)?,
            detail: r.get(7)?,
            staff: r.get(8)?,
            cancelled: r.get(9)?,
            created_at: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The delivery dates skipped (and not taken back) for a subscription from `from` on.
pub(crate) fn skips(c: &Connection, subscription_id: i64, from: NaiveDate) -> Result<Vec<(NaiveDate, String)>> {
    let mut st = c.prepare_cached(
        "SELECT target_date, reason FROM subscription_events
         WHERE subscription_id = ?1 AND kind = 'skip' AND cancelled_at IS NULL AND target_date >= ?2 ORDER BY target_date",
    )?;
    let rows = st.query_map(params![subscription_id, from.to_string()], |r| Ok((date(r.get(0)?).unwrap_or_default(), r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every skip not taken back up to `end`, for the monthly run: (subscription, date) → reason.
pub(crate) fn all_skips(c: &Connection, end: NaiveDate) -> Result<std::collections::HashMap<(i64, NaiveDate), String>> {
    let mut st = c.prepare(
        "SELECT subscription_id, target_date, reason FROM subscription_events
         WHERE kind = 'skip' AND cancelled_at IS NULL AND target_date <= ?1",
    )?;
    let rows = st.query_map([end.to_string()], |r| Ok(((r.get(0)?, date(r.get(1)?).unwrap_or_default()), r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A skip event of this subscription: (target date, cancelled).
pub(crate) fn skip_event(c: &Connection, subscription_id: i64, event_id: i64) -> Result<Option<(Option<NaiveDate>, bool)>> {
    Ok(c
        .query_row(
            "SELECT target_date, cancelled_at IS NOT NULL FROM subscription_events WHERE id = ?1 AND subscription_id = ?2 AND kind = 'skip'",
            params![event_id, subscription_id],
            |r| Ok((date(r.get(0)?), r.get(1)?)),
        )
        .optional()?)
}

pub(crate) fn cancel_event(c: &Connection, event_id: i64, now: &str) -> Result<()> {
    c.execute("UPDATE subscription_events SET cancelled_at = ?2 WHERE id = ?1", params![event_id, now])?;
    Ok(())
}

/// The order already made for a subscription's delivery date, if any.
pub(crate) fn order_for(c: &Connection, subscription_id: i64, date: NaiveDate) -> Result<Option<String>> {
    Ok(c
        .query_row(
            "SELECT number FROM orders WHERE subscription_id = ?1 AND scheduled_for = ?2",
            params![subscription_id, date.to_string()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Subscriptions of a member in the given statuses.
pub(crate) fn of_member(c: &Connection, member_id: i64, statuses: &[&str]) -> Result<Vec<SubRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM subscriptions s JOIN members m ON m.id = s.member_id WHERE s.member_id = ?1 ORDER BY s.id"
    ))?;
    let rows = st.query_map([member_id], row)?;
    let all: Vec<SubRow> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(all.into_iter().filter(|s| statuses.contains(&s.status.as_str())).collect())
}

/// The reason of the subscription's latest pause event.
pub(crate) fn last_pause_reason(c: &Connection, subscription_id: i64) -> Result<Option<String>> {
    Ok(c
        .query_row(
            "SELECT reason FROM subscription_events WHERE subscription_id = ?1 AND kind = 'pause' ORDER BY id DESC LIMIT 1",
            [subscription_id],
            |r| r.get(0),
        )
        .optional()?)
}
