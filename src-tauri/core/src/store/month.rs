//! SQL for the monthly run: the run record, bulletin slips, and what earlier runs made.
use crate::error::Result;
use crate::month::MonthRunReport;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use std::collections::HashSet;

/// (subscription, delivery date) of every order made for a subscription from `from` to `end`.
pub(crate) fn orders_made(c: &Connection, from: NaiveDate, end: NaiveDate) -> Result<HashSet<(i64, NaiveDate)>> {
    let mut st = c.prepare_cached(
        "SELECT subscription_id, scheduled_for FROM orders
         WHERE subscription_id IS NOT NULL AND scheduled_for BETWEEN ?1 AND ?2",
    )?;
    let rows = st.query_map(params![from.to_string(), end.to_string()], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?.parse::<NaiveDate>().unwrap_or_default()))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When the month was run before.
pub(crate) fn runs_of(c: &Connection, month: &str) -> Result<Vec<String>> {
    let mut st = c.prepare_cached("SELECT ran_at || CASE WHEN staff <> '' THEN '（' || staff || '）' ELSE '' END FROM month_runs WHERE month = ?1 ORDER BY id")?;
    let rows = st.query_map([month], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Members who already have the month's bulletin slip.
pub(crate) fn slips_of(c: &Connection, month: &str) -> Result<HashSet<i64>> {
    let mut st = c.prepare_cached("SELECT member_id FROM bulletin_slips WHERE month = ?1")?;
    let rows = st.query_map([month], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn insert_run(c: &Connection, r: &MonthRunReport, staff: &str, now: &str) -> Result<i64> {
    c.execute(
        "INSERT INTO month_runs (month, ran_at, staff, orders_created, bulletin_slips, skipped) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![r.month, now, staff, r.orders_created as i64, r.bulletin_slips as i64, r.skipped.len() as i64],
    )?;
    Ok(c.last_insert_rowid())
}

pub(crate) fn insert_slip(c: &Connection, month: &str, member: i64, sub: Option<i64>, product: i64, run: i64, now: &str) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO bulletin_slips (month, member_id, subscription_id, product_id, month_run_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![month, member, sub, product, run, now])?;
    Ok(())
}

/// A renewed membership moves the member's 有効期限 forward (never back).
pub(crate) fn extend_membership(c: &Connection, member: i64, until: NaiveDate) -> Result<()> {
    c.prepare_cached("UPDATE members SET valid_until = ?2 WHERE id = ?1 AND (valid_until IS NULL OR valid_until < ?2)")?
        .execute(params![member, until.to_string()])?;
    Ok(())
}
