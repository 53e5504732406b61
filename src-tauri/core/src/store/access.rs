//! SQL of staff accounts, the per-transaction audit context and the audit log (migration 8).
//! The audit rows themselves are written by the triggers of every table, never from here.
use crate::access::{AuditEntry, AuditQuery, Role, StaffAccount};
use crate::error::{CoreError, ErrorCode, Result};
use rusqlite::{params, Connection, OptionalExtension};

pub(crate) fn accounts_exist(c: &Connection) -> Result<bool> {
    Ok(c.query_row("SELECT EXISTS (SELECT 1 FROM staff_accounts)", [], |r| r.get(0))?)
}

/// The account's role, or `None` when it does not exist or is disabled.
pub(crate) fn active_role(c: &Connection, name: &str) -> Result<Option<Role>> {
    let r: Option<String> = c
        .query_row("SELECT role FROM staff_accounts WHERE name = ?1 AND disabled_at IS NULL", [name], |r| r.get(0))
        .optional()?;
    r.map(|s| Role::parse(&s)).transpose()
}

/// The stored hash of an active account.
pub(crate) fn password_hash(c: &Connection, name: &str) -> Result<Option<(String, Role)>> {
    let r: Option<(String, String)> = c
        .query_row(
            "SELECT password_hash, role FROM staff_accounts WHERE name = ?1 AND disabled_at IS NULL",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    r.map(|(h, role)| Ok((h, Role::parse(&role)?))).transpose()
}

fn account(r: &rusqlite::Row) -> rusqlite::Result<(String, String, String, Option<String>)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

pub(crate) fn accounts(c: &Connection) -> Result<Vec<StaffAccount>> {
    let mut st = c.prepare("SELECT name, role, created_at, disabled_at FROM staff_accounts ORDER BY disabled_at IS NOT NULL, id")?;
    let rows = st.query_map([], account)?.collect::<std::result::Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(name, role, created_at, disabled_at)| Ok(StaffAccount { name, role: Role::parse(&role)?, created_at, disabled_at }))
        .collect()
}

pub(crate) fn account_by_name(c: &Connection, name: &str) -> Result<Option<StaffAccount>> {
    Ok(accounts(c)?.into_iter().find(|a| a.name == name))
}

pub(crate) fn insert_account(c: &Connection, name: &str, hash: &str, role: Role, now: &str) -> Result<()> {
    c.execute(
        "INSERT INTO staff_accounts (name, password_hash, role, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, hash, role.as_str(), now],
    )?;
    Ok(())
}

/// Active admins other than `name`: the last one may be neither disabled nor demoted.
pub(crate) fn other_active_admins(c: &Connection, name: &str) -> Result<i64> {
    Ok(c.query_row(
        "SELECT count(*) FROM staff_accounts WHERE role = 'admin' AND disabled_at IS NULL AND name <> ?1",
        [name],
        |r| r.get(0),
    )?)
}

pub(crate) fn set_role(c: &Connection, name: &str, role: Role) -> Result<()> {
    c.execute("UPDATE staff_accounts SET role = ?2 WHERE name = ?1", params![name, role.as_str()])?;
    Ok(())
}

pub(crate) fn disable(c: &Connection, name: &str, now: &str) -> Result<()> {
    c.execute("UPDATE staff_accounts SET disabled_at = ?2 WHERE name = ?1 AND disabled_at IS NULL", params![name, now])?;
    Ok(())
}

pub(crate) fn set_password(c: &Connection, name: &str, hash: &str) -> Result<()> {
    c.execute("UPDATE staff_accounts SET password_hash = ?2 WHERE name = ?1", params![name, hash])?;
    Ok(())
}

/// Sets who writes in this transaction (see migration 8 for why a table).
pub(crate) fn begin(c: &Connection, staff: &str, at: &str, quiet: bool) -> Result<()> {
    c.execute("UPDATE audit_context SET staff = ?1, at = ?2, quiet = ?3 WHERE id = 1", params![staff, at, quiet as i64])?;
    Ok(())
}

/// Clears the context before commit, so a later write from outside the core is not put on
/// this transaction's person.
pub(crate) fn end(c: &Connection) -> Result<()> {
    c.execute("UPDATE audit_context SET staff = '', at = NULL, quiet = 0 WHERE id = 1", [])?;
    Ok(())
}

/// Rows written so far on this connection; a bulk load's count is the difference.
pub(crate) fn total_changes(c: &Connection) -> Result<i64> {
    Ok(c.query_row("SELECT total_changes()", [], |r| r.get(0))?)
}

/// The one row a bulk load leaves instead of one per row.
pub(crate) fn bulk_row(c: &Connection, table: &str, summary: &serde_json::Value) -> Result<()> {
    c.execute(
        "INSERT INTO audit_log (at, staff, tbl, row_key, action, before, after)
         SELECT coalesce(at, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')), staff, ?1, NULL, 'bulk', NULL, ?2 FROM audit_context",
        params![table, summary.to_string()],
    )?;
    Ok(())
}

/// Tables that carry the audit triggers (one `audit_<table>_insert` each), for the filter.
pub(crate) fn audited_tables(c: &Connection) -> Result<Vec<String>> {
    let mut st = c.prepare(
        "SELECT tbl_name FROM sqlite_schema WHERE type = 'trigger' AND name = 'audit_' || tbl_name || '_insert' ORDER BY tbl_name",
    )?;
    let rows = st.query_map([], |r| r.get(0))?.collect::<std::result::Result<Vec<String>, _>>()?;
    Ok(rows)
}

#[cfg(test)]
/// Every table of the schema and whether it has its three audit triggers (for the test that
/// keeps a future table from going unaudited).
pub(crate) fn tables_and_triggers(c: &Connection) -> Result<Vec<(String, Vec<String>)>> {
    let mut st = c.prepare(
        "SELECT t.name, (SELECT group_concat(g.name, ' ') FROM sqlite_schema g WHERE g.type = 'trigger' AND g.tbl_name = t.name AND g.name LIKE 'audit\\_%' ESCAPE '\\')
         FROM sqlite_schema t WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY t.name",
    )?;
    let rows = st
        .query_map([], |r| {
            let t: String = r.get(0)?;
            let g: Option<String> = r.get(1)?;
            Ok((t, g.unwrap_or_default().split(' ').filter(|s| !s.is_empty()).map(String::from).collect()))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// One page of the log, newest first. `before_id` pages on (the id of the last row shown), so a
/// page costs the same however deep it is; `to_exclusive` is the day after the last day asked.
pub(crate) fn audit_page(c: &Connection, q: &AuditQuery, from: Option<&str>, to_exclusive: Option<&str>, limit: u32) -> Result<Vec<AuditEntry>> {
    let mut sql = String::from("SELECT id, at, staff, tbl, row_key, action, before, after FROM audit_log WHERE 1 = 1");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut add = |cond: &str, v: rusqlite::types::Value, sql: &mut String| {
        args.push(v);
        sql.push_str(&format!(" AND {cond} ?{}", args.len()));
    };
    if let Some(f) = from {
        add("at >=", f.to_string().into(), &mut sql);
    }
    if let Some(t) = to_exclusive {
        add("at <", t.to_string().into(), &mut sql);
    }
    if let Some(s) = q.staff.as_deref().filter(|s| !s.is_empty()) {
        add("staff =", s.to_string().into(), &mut sql);
    }
    if let Some(t) = q.table.as_deref().filter(|s| !s.is_empty()) {
        add("tbl =", t.to_string().into(), &mut sql);
    }
    if let Some(b) = q.before_id {
        add("id <", b.into(), &mut sql);
    }
    sql.push_str(&format!(" ORDER BY id DESC LIMIT {}", limit));
    let mut st = c.prepare(&sql)?;
    let rows = st
        .query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(id, at, staff, table, row_key, action, before, after)| crate::access::entry(id, at, staff, table, row_key, action, before, after))
        .collect()
}

pub(crate) fn forbidden(message: impl Into<String>) -> CoreError {
    CoreError::new(ErrorCode::Forbidden, message)
}
