//! SQL for the postal directory.
use crate::error::Result;
use crate::postal::PostalAddress;
use rusqlite::{params, Connection};

pub(crate) fn replace_all(c: &Connection, list: &[PostalAddress]) -> Result<()> {
    // Reference data from Japan Post, not something the shop typed: replaced whole.
    c.execute("DELETE FROM postal_codes", [])?;
    let mut st = c.prepare_cached(
        "INSERT OR IGNORE INTO postal_codes (postal_code, prefecture, city, town) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for a in list {
        st.execute(params![a.postal_code, a.prefecture, a.city, a.town])?;
    }
    Ok(())
}

pub(crate) fn lookup(c: &Connection, code: &str) -> Result<Vec<PostalAddress>> {
    let mut st = c.prepare_cached(
        "SELECT postal_code, prefecture, city, town FROM postal_codes WHERE postal_code = ?1 ORDER BY town",
    )?;
    let rows = st.query_map([code], |r| {
        Ok(PostalAddress { postal_code: r.get(0)?, prefecture: r.get(1)?, city: r.get(2)?, town: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn count(c: &Connection) -> Result<u32> {
    Ok(c.query_row("SELECT count(*) FROM postal_codes", [], |r| r.get(0))?)
}

/// Every postal code the directory knows, for checking a whole import at once.
pub(crate) fn all_codes(c: &Connection) -> Result<std::collections::HashSet<String>> {
    let mut st = c.prepare("SELECT DISTINCT postal_code FROM postal_codes")?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
