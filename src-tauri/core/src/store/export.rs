//! SQL for exports: every member that is not merged away, streamed in code order with its tags,
//! so a file of 100,000 members never holds them all as `Member` values at once.
use crate::error::Result;
use crate::members::{Gender, Member, MemberKind, MemberStatus};
use chrono::NaiveDate;
use rusqlite::Connection;
use std::collections::HashMap;

fn date(v: Option<String>) -> Option<NaiveDate> {
    v.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

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
    let mut st = c.prepare(
        "SELECT id, code, kind, name, kana, company, department, postal_code, prefecture, city, street, building,
            phone, mobile, fax, email, birthday, gender, joined_on, valid_until, status, status_since, dm_opt_out,
            notes, created_at, updated_at
         FROM members WHERE merged_into IS NULL ORDER BY code",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let m = Member {
            code: r.get(1)?,
            kind: if r.get::<_, String>(2)? == "company" { MemberKind::Company } else { MemberKind::Person },
            name: r.get(3)?,
            kana: r.get(4)?,
            company: r.get(5)?,
            department: r.get(6)?,
            postal_code: r.get(7)?,
            prefecture: r.get(8)?,
            city: r.get(9)?,
            street: r.get(10)?,
            building: r.get(11)?,
            phone: r.get(12)?,
            mobile: r.get(13)?,
            fax: r.get(14)?,
            email: r.get(15)?,
            birthday: date(r.get(16)?),
            gender: r.get::<_, Option<String>>(17)?.as_deref().and_then(Gender::parse),
            joined_on: date(r.get(18)?).unwrap_or_default(),
            valid_until: date(r.get(19)?),
            status: MemberStatus::parse(&r.get::<_, String>(20)?).unwrap_or_default(),
            status_since: date(r.get(21)?),
            dm_opt_out: r.get(22)?,
            notes: r.get(23)?,
            tags: tags.remove(&id).unwrap_or_default(),
            merged_into: None,
            created_at: r.get(24)?,
            updated_at: r.get(25)?,
        };
        f(&m)?;
    }
    Ok(())
}
