//! SQL for exports: every member that is not merged away, streamed in code order with its tags,
//! so a file of 100,000 members never holds them all as `Member` values at once.
use crate::error::Result;
use crate::members::Member;
use rusqlite::Connection;
use std::collections::HashMap;

/// Calls `f` with each member that is not merged away, by code.
pub(crate) fn each_member(c: &Connection, mut f: impl FnMut(&Member) -> Result<()>) -> Result<()> {
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    {
        let mut st = c.prepare(
            "SELECT t.member_id, t.tag FROM member_tags t JOIN members m ON m.id = t.member_id
             WHERE m.merged_into IS NULL ORDER BY t.member_id, t.tag",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            tags.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
    }
    let mut st = c.prepare(&format!(
        "SELECT {} FROM members m WHERE m.merged_into IS NULL ORDER BY m.code",
        super::members::MEMBER_COLS
    ))?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let (id, mut m) = super::members::member_row(r)?;
        m.tags = tags.remove(&id).unwrap_or_default();
        f(&m)?;
    }
    Ok(())
}
