//! SQL for data portability: every table as it is (the full export), one member's rows in
//! every table that names a member (開示請求), and the anonymising writes of an erasure
//! (削除請求). Table and column names come from `sqlite_master` and `pragma_table_info`, never
//! from a person, and are still quoted as identifiers; values are always bound.
use crate::error::Result;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection};

/// One cell as read, without copying blobs until asked.
pub(crate) enum Cell<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// `"name"` with inner quotes doubled: a safe SQL identifier for any table or column name.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Every table of the schema, by name (SQLite's own `sqlite_*` tables left out). Read from
/// `sqlite_master` so a table added by a future migration is exported without anyone listing it.
pub(crate) fn tables(c: &Connection) -> Result<Vec<String>> {
    let mut st = c.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The schema's own text (tables, indexes, triggers), so an export says what each column meant.
pub(crate) fn schema_sql(c: &Connection) -> Result<Vec<String>> {
    let mut st = c.prepare(
        "SELECT sql || ';' FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name",
    )?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A table's columns in order: (name, declared type).
pub(crate) fn columns(c: &Connection, table: &str) -> Result<Vec<(String, String)>> {
    let mut st = c.prepare("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid")?;
    let rows = st.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
pub(crate) fn count(c: &Connection, table: &str) -> Result<u64> {
    Ok(c.query_row(&format!("SELECT count(*) FROM {}", ident(table)), [], |r| r.get::<_, i64>(0))? as u64)
}

fn cell(v: ValueRef<'_>) -> Cell<'_> {
    match v {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(i) => Cell::Int(i),
        ValueRef::Real(f) => Cell::Real(f),
        // STRICT tables hold valid UTF-8 text; anything else is kept as bytes rather than mangled.
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => Cell::Text(s),
            Err(_) => Cell::Blob(t),
        },
        ValueRef::Blob(b) => Cell::Blob(b),
    }
}

/// Calls `f` with every row of `table` (all `cols`), one at a time: a table of 100,000 rows is
/// never held in memory. `filter` is an optional `WHERE` on bound parameters (`params`).
pub(crate) fn each_row(
    c: &Connection,
    table: &str,
    cols: &[String],
    filter: Option<(&str, &[&dyn rusqlite::ToSql])>,
    mut f: impl FnMut(&[Cell<'_>]) -> Result<()>,
) -> Result<()> {
    let list: Vec<String> = cols.iter().map(|c| ident(c)).collect();
    let (clause, p): (String, &[&dyn rusqlite::ToSql]) = match filter {
        Some((w, p)) => (format!(" WHERE {w}"), p),
        None => (String::new(), &[]),
    };
    let mut st = c.prepare(&format!("SELECT {} FROM {}{clause}", list.join(", "), ident(table)))?;
    let mut rows = st.query(p)?;
    let n = cols.len();
    while let Some(r) = rows.next()? {
        let mut cells = Vec::with_capacity(n);
        for i in 0..n {
            cells.push(cell(r.get_ref(i)?));
        }
        f(&cells)?;
    }
    Ok(())
}

/// The ids of one member's rows in the tables that hang off another table: order lines by
/// order, events by subscription, allocations by payment. (parent table, child table, the
/// child's column naming the parent.) Tables with a `member_id` column are found by name.
pub(crate) const CHILDREN: &[(&str, &str, &str)] = &[
    ("orders", "order_lines", "order_id"),
    ("subscriptions", "subscription_events", "subscription_id"),
    ("payments", "payment_allocations", "payment_id"),
    ("invoices", "invoice_orders", "invoice_id"),
    ("reminders", "reminder_invoices", "reminder_id"),
    ("debit_items", "debit_item_invoices", "item_id"),
];

/// (running subscriptions, orders still to ship) of a member: what an erasure must wait for.
pub(crate) fn erase_blockers(c: &Connection, member_id: i64) -> Result<(Vec<i64>, Vec<String>)> {
    let subs = {
        let mut st = c.prepare("SELECT id FROM subscriptions WHERE member_id = ?1 AND status IN ('active', 'paused') ORDER BY id")?;
        let rows = st.query_map([member_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<Vec<i64>>>()?
    };
    let orders = {
        let mut st = c.prepare("SELECT number FROM orders WHERE member_id = ?1 AND status IN ('received', 'ready') ORDER BY number")?;
        let rows = st.query_map([member_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<Vec<String>>>()?
    };
    Ok((subs, orders))
}

/// Whether the member's history already holds the erasure's mark.
pub(crate) fn erased_on(c: &Connection, member_id: i64, mark: &str) -> Result<Option<String>> {
    let mut st = c.prepare("SELECT substr(at, 1, 10) FROM member_history WHERE member_id = ?1 AND detail = ?2 ORDER BY id LIMIT 1")?;
    let mut rows = st.query(params![member_id, mark])?;
    Ok(match rows.next()? {
        Some(r) => Some(r.get(0)?),
        None => None,
    })
}

/// How many rows each anonymising step touched, for the report.
#[derive(Debug, Default)]
pub(crate) struct Anonymised {
    pub history: u64,
    pub contacts: u64,
    pub addresses: u64,
    pub shipments: u64,
    pub orders: u64,
    pub remitter_names: u64,
    pub debit_accounts: u64,
    pub import_changes: u64,
}

/// Blanks every copy of the member's personal data outside the `members` row (which the caller
/// writes through the register's own update): texts become `blank`, names `name`. Business
/// facts stay: dates, amounts, statuses, which order was in which parcel. Issued invoices are
/// not touched (the database refuses, and tax law wants them as issued). `before` is the
/// member row (JSON) that replaces the old values an import kept for its undo.
pub(crate) fn anonymise(c: &Connection, member_id: i64, name: &str, blank: &str, before: &str) -> Result<Anonymised> {
    let n = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<u64> { Ok(c.execute(sql, p)? as u64) };
    Ok(Anonymised {
        // Edits record old and new values; status reasons are what the member told us.
        history: n(
            "UPDATE member_history SET detail = CASE WHEN detail = '' THEN '' ELSE ?2 END,
                reason = CASE WHEN reason = '' THEN '' ELSE ?2 END WHERE member_id = ?1",
            &[&member_id, &blank],
        )?,
        contacts: n("UPDATE member_contacts SET body = ?2 WHERE member_id = ?1", &[&member_id, &blank])?,
        addresses: n(
            "UPDATE member_addresses SET label = '', name = ?2, kana = '', postal_code = '', prefecture = '', city = '',
                street = '', building = '', phone = '', archived = 1 WHERE member_id = ?1",
            &[&member_id, &name],
        )?,
        // A parcel copies who and where at the time it was made.
        shipments: n(
            "UPDATE shipments SET name = ?2, kana = '', company = '', department = '', postal_code = '', address = '',
                building = '', phone = '' WHERE member_id = ?1",
            &[&member_id, &name],
        )?,
        orders: n("UPDATE orders SET note = ?2 WHERE member_id = ?1 AND note <> ''", &[&member_id, &blank])?,
        // The bank's spelling of the name, and the key it is matched on: forgotten, so no
        // later deposit is booked to an erased member by name.
        remitter_names: n(
            "UPDATE remitter_names SET name_key = '#erased-' || rowid, remitter_name = '',
                forgotten_at = coalesce(forgotten_at, ?2) WHERE member_id = ?1",
            &[&member_id, &super::now_stamp()],
        )?,
        debit_accounts: n(
            "UPDATE debit_accounts SET holder = '', number = '',
                ended_at = coalesce(ended_at, ?2) WHERE member_id = ?1",
            &[&member_id, &super::now_stamp()],
        )?,
        // What an import replaced, kept so the import could be undone: the old values.
        import_changes: n(
            "UPDATE import_changes SET before = ?2 WHERE table_name = 'members' AND row_id = ?1",
            &[&member_id, &before],
        )?,
    })
}

/// The personal columns an erasure blanks, per table, and which of the table's audit rows are
/// the member's (`row_key` is the rowid, or the key columns joined by '/'): the audit log holds
/// copies of these values in its before/after JSON.
const PERSONAL: &[(&str, &[&str], &str)] = &[
    ("members", &["name", "kana", "company", "department", "postal_code", "prefecture", "city", "street", "building",
        "phone", "mobile", "fax", "email", "birthday", "gender", "notes"], "row_key = CAST(?1 AS TEXT)"),
    ("member_history", &["detail", "reason"], "row_key IN (SELECT CAST(id AS TEXT) FROM member_history WHERE member_id = ?1)"),
    ("member_contacts", &["body"], "row_key IN (SELECT CAST(id AS TEXT) FROM member_contacts WHERE member_id = ?1)"),
    ("member_addresses", &["label", "name", "kana", "postal_code", "prefecture", "city", "street", "building", "phone"],
        "row_key IN (SELECT CAST(id AS TEXT) FROM member_addresses WHERE member_id = ?1)"),
    ("shipments", &["name", "kana", "company", "department", "postal_code", "address", "building", "phone"],
        "row_key IN (SELECT CAST(id AS TEXT) FROM shipments WHERE member_id = ?1)"),
    ("orders", &["note"], "row_key IN (SELECT CAST(id AS TEXT) FROM orders WHERE member_id = ?1)"),
    // name_key/member_id, under the old key and the erased one.
    ("remitter_names", &["name_key", "remitter_name"], "row_key LIKE '%/' || ?1"),
    ("debit_accounts", &["holder", "number"], "row_key IN (SELECT CAST(id AS TEXT) FROM debit_accounts WHERE member_id = ?1)"),
    // batch/table/row.
    ("import_changes", &["before", "after"], "row_key LIKE '%/members/' || ?1"),
];

/// Blanks, in the audit log, the personal values of the member's rows (also those the erasure's
/// own updates just logged, so it runs last in the erasure's transaction). The log's one
/// permitted change: its trigger lets a row be redacted once, keeping when, who, which row and
/// what kind of write. Returns the rows redacted.
pub(crate) fn redact_audit(c: &Connection, member_id: i64, blank: &str, now: &str) -> Result<u64> {
    let mut total = 0;
    for (table, columns, rows) in PERSONAL {
        let paths: Vec<String> = columns.iter().map(|col| format!("'$.{col}', ?2")).collect();
        let paths = paths.join(", ");
        let sql = format!(
            "UPDATE audit_log SET before = CASE WHEN before IS NULL THEN NULL ELSE json_replace(before, {paths}) END,
                after = CASE WHEN after IS NULL THEN NULL ELSE json_replace(after, {paths}) END, redacted_at = ?3
             WHERE tbl = '{table}' AND redacted_at IS NULL AND {rows}"
        );
        total += c.execute(&sql, params![member_id, blank, now])? as u64;
    }
    Ok(total)
}

/// Issued invoices of a member (kept as issued, name included, after an erasure).
pub(crate) fn issued_invoice_count(c: &Connection, member_id: i64) -> Result<u64> {
    Ok(c.query_row("SELECT count(*) FROM invoices WHERE member_id = ?1 AND kind = 'issued'", [member_id], |r| r.get::<_, i64>(0))? as u64)
}
