//! SQL for the members' register. Functions take a `Connection` (a `Transaction` derefs to
//! one) so the domain decides where a transaction starts and ends.
use super::Db;
use crate::error::Result;
use crate::members::{
    AddressInput, CleanMember, ContactEntry, DeliveryAddress, Gender, HistoryEntry, HistoryKind, Member, MemberKind,
    MemberStatus,
};
use crate::settings::MemberCodeFormat;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

pub(crate) const MEMBER_COLS: &str = "m.id, m.code, m.kind, m.name, m.kana, m.company, m.department, m.postal_code, m.prefecture,
    m.city, m.street, m.building, m.phone, m.mobile, m.fax, m.email, m.birthday, m.gender, m.joined_on,
    m.valid_until, m.status, m.status_since, m.dm_opt_out, m.notes, (SELECT code FROM members t WHERE t.id = m.merged_into),
    m.created_at, m.updated_at, m.mail_returned";

fn date(v: Option<String>) -> Option<NaiveDate> {
    v.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

pub(crate) fn status_of(s: &str) -> MemberStatus {
    MemberStatus::parse(s).unwrap_or(MemberStatus::Active)
}

pub(crate) fn member_row(r: &Row) -> rusqlite::Result<(i64, Member)> {
    Ok((
        r.get(0)?,
        Member {
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
            status: status_of(&r.get::<_, String>(20)?),
            status_since: date(r.get(21)?),
            dm_opt_out: r.get(22)?,
            notes: r.get(23)?,
            tags: Vec::new(),
            merged_into: r.get(24)?,
            created_at: r.get(25)?,
            updated_at: r.get(26)?,
            mail_returned: r.get(27)?,
        },
    ))
}

fn tags(c: &Connection, id: i64) -> Result<Vec<String>> {
    let mut st = c.prepare_cached("SELECT tag FROM member_tags WHERE member_id = ?1 ORDER BY tag")?;
    let rows = st.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn by_code(c: &Connection, code: &str) -> Result<Option<(i64, Member)>> {
    let mut st = c.prepare_cached(&format!("SELECT {MEMBER_COLS} FROM members m WHERE m.code = ?1"))?;
    let found = st.query_row([code], member_row).optional()?;
    match found {
        Some((id, mut m)) => {
            m.tags = tags(c, id)?;
            Ok(Some((id, m)))
        }
        None => Ok(None),
    }
}

/// A member without tags: enough for list rows, and one query instead of two.
pub(crate) fn summary_by_id(c: &Connection, id: i64) -> Result<Option<crate::members::MemberSummary>> {
    let mut st = c.prepare_cached(&format!("SELECT {MEMBER_COLS} FROM members m WHERE m.id = ?1"))?;
    Ok(st.query_row([id], member_row).optional()?.map(|(_, m)| crate::members::MemberSummary::from(&m)))
}

fn set_tags(c: &Connection, id: i64, tags: &[String]) -> Result<()> {
    c.execute("DELETE FROM member_tags WHERE member_id = ?1", [id])?;
    insert_tags(c, id, tags)
}

fn insert_tags(c: &Connection, id: i64, tags: &[String]) -> Result<()> {
    let mut st = c.prepare_cached("INSERT OR IGNORE INTO member_tags (member_id, tag) VALUES (?1, ?2)")?;
    for t in tags {
        st.execute(params![id, t])?;
    }
    Ok(())
}

fn d(v: Option<NaiveDate>) -> Option<String> {
    v.map(|d| d.to_string())
}

pub(crate) fn insert(c: &Connection, m: &CleanMember, now: &str) -> Result<i64> {
    insert_with_status(c, m, MemberStatus::Active, None, now, None)
}

pub(crate) fn insert_with_status(
    c: &Connection,
    m: &CleanMember,
    status: MemberStatus,
    status_since: Option<NaiveDate>,
    now: &str,
    import_batch: Option<i64>,
) -> Result<i64> {
    // Without a batch the column is left out, so older schemas (in the migration tests) take it.
    let (col, val) = if import_batch.is_some() { (", import_batch", ", ?32") } else { ("", "") };
    let mut st = c.prepare_cached(&format!(
        "INSERT INTO members (code, kind, name, kana, company, department, postal_code, prefecture, city, street,
            building, phone, mobile, fax, email, birthday, gender, joined_on, valid_until, status, status_since,
            dm_opt_out, notes, created_at, updated_at, kana_key, name_key, phone_key, mobile_key, fax_key,
            email_key, search_text{col})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
            ?22, ?23, ?24, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31{val})"
    ))?;
    let p = params![
        m.code, m.kind.as_str(), m.name, m.kana, m.company, m.department, m.postal_code, m.prefecture, m.city,
        m.street, m.building, m.phone, m.mobile, m.fax, m.email, d(m.birthday), m.gender.map(|g| g.as_str()),
        m.joined_on.to_string(), d(m.valid_until), status.as_str(), d(status_since), m.dm_opt_out, m.notes, now,
        m.keys.kana, m.keys.name, m.keys.phone, m.keys.mobile, m.keys.fax, m.keys.email, m.keys.search_text,
        import_batch
    ];
    st.execute(&p[..if import_batch.is_some() { 32 } else { 31 }])?;
    let id = c.last_insert_rowid();
    insert_tags(c, id, &m.tags)?;
    Ok(id)
}

pub(crate) fn update(c: &Connection, id: i64, m: &CleanMember, now: &str) -> Result<()> {
    c.execute(
        "UPDATE members SET kind = ?2, name = ?3, kana = ?4, company = ?5, department = ?6, postal_code = ?7,
            prefecture = ?8, city = ?9, street = ?10, building = ?11, phone = ?12, mobile = ?13, fax = ?14,
            email = ?15, birthday = ?16, gender = ?17, joined_on = ?18, valid_until = ?19, dm_opt_out = ?20,
            notes = ?21, updated_at = ?22, kana_key = ?23, name_key = ?24, phone_key = ?25, mobile_key = ?26,
            fax_key = ?27, email_key = ?28, search_text = ?29
         WHERE id = ?1",
        params![
            id, m.kind.as_str(), m.name, m.kana, m.company, m.department, m.postal_code, m.prefecture, m.city,
            m.street, m.building, m.phone, m.mobile, m.fax, m.email, d(m.birthday), m.gender.map(|g| g.as_str()),
            m.joined_on.to_string(), d(m.valid_until), m.dm_opt_out, m.notes, now, m.keys.kana, m.keys.name,
            m.keys.phone, m.keys.mobile, m.keys.fax, m.keys.email, m.keys.search_text
        ],
    )?;
    set_tags(c, id, &m.tags)
}

pub(crate) fn set_status(c: &Connection, id: i64, s: MemberStatus, since: NaiveDate, now: &str) -> Result<()> {
    c.execute(
        "UPDATE members SET status = ?2, status_since = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, s.as_str(), since.to_string(), now],
    )?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn add_history(
    c: &Connection,
    id: i64,
    kind: HistoryKind,
    effective_on: Option<NaiveDate>,
    from: Option<MemberStatus>,
    to: Option<MemberStatus>,
    reason: &str,
    staff: &str,
    detail: &str,
) -> Result<()> {
    let mut st = c.prepare_cached(
        "INSERT INTO member_history (member_id, at, kind, effective_on, from_status, to_status, reason, staff, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    st.execute(params![
        id, super::now_stamp(), kind.as_str(), d(effective_on), from.map(|s| s.as_str()), to.map(|s| s.as_str()),
        reason, staff, detail
    ])?;
    Ok(())
}

/// Runs a bulk insert of members with the members' secondary indexes dropped and rebuilt after
/// it (a sorted build beats 100,000 random index inserts several times over). Inside the
/// caller's transaction, so a failure leaves the indexes as they were.
pub(crate) fn with_indexes_rebuilt<T>(c: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let indexes: Vec<(String, String)> = {
        let mut st = c.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members' AND sql IS NOT NULL")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (name, _) in &indexes {
        c.execute(&format!("DROP INDEX \"{name}\""), [])?;
    }
    let out = f()?;
    for (_, sql) in &indexes {
        c.execute(sql, [])?;
    }
    Ok(out)
}

/// Writes the 「登録」 history entry of every member added in this transaction from `first_code`
/// on (bulk inserts), dated on their joining day so it sorts before any later entry.
pub(crate) fn add_created_history_from(c: &Connection, first_code: &str, detail: &str) -> Result<()> {
    let first_id: i64 = c.query_row("SELECT id FROM members WHERE code = ?1", [first_code], |r| r.get(0))?;
    add_created_history_from_id(c, first_id, detail)
}

pub(crate) fn add_created_history_from_id(c: &Connection, first_id: i64, detail: &str) -> Result<()> {
    c.execute(
        "INSERT INTO member_history (member_id, at, kind, staff, detail)
         SELECT id, joined_on || ' 00:00:00', 'created', '', ?2 FROM members WHERE id >= ?1",
        params![first_id, detail],
    )?;
    Ok(())
}

pub(crate) fn history(c: &Connection, id: i64) -> Result<Vec<HistoryEntry>> {
    let mut st = c.prepare_cached(
        "SELECT at, kind, effective_on, from_status, to_status, reason, staff, detail
         FROM member_history WHERE member_id = ?1 ORDER BY at DESC, id DESC",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(HistoryEntry {
            at: r.get(0)?,
            kind: HistoryKind::parse(&r.get::<_, String>(1)?),
            effective_on: date(r.get(2)?),
            from_status: r.get::<_, Option<String>>(3)?.map(|s| status_of(&s)),
            to_status: r.get::<_, Option<String>>(4)?.map(|s| status_of(&s)),
            reason: r.get(5)?,
            staff: r.get(6)?,
            detail: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn add_contact(c: &Connection, id: i64, on: NaiveDate, channel: &str, staff: &str, body: &str, now: &str) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO member_contacts (member_id, contacted_on, channel, staff, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, on.to_string(), channel, staff, body, now])?;
    Ok(c.last_insert_rowid())
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn add_contact_from_import(
    c: &Connection, id: i64, on: NaiveDate, channel: &str, staff: &str, body: &str, now: &str, batch: i64,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO member_contacts (member_id, contacted_on, channel, staff, body, created_at, import_batch)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![id, on.to_string(), channel, staff, body, now, batch])?;
    Ok(())
}

pub(crate) fn contacts(c: &Connection, id: i64) -> Result<Vec<ContactEntry>> {
    let mut st = c.prepare_cached(
        "SELECT id, contacted_on, channel, staff, body, created_at FROM member_contacts
         WHERE member_id = ?1 ORDER BY contacted_on DESC, id DESC",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(ContactEntry {
            id: r.get(0)?,
            contacted_on: date(r.get(1)?).unwrap_or_default(),
            channel: r.get(2)?,
            staff: r.get(3)?,
            body: r.get(4)?,
            created_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const ADDRESS_COLS: &str = "id, label, name, kana, postal_code, prefecture, city, street, building, phone, archived";

fn address_row(r: &Row) -> rusqlite::Result<DeliveryAddress> {
    Ok(DeliveryAddress {
        id: r.get(0)?,
        label: r.get(1)?,
        name: r.get(2)?,
        kana: r.get(3)?,
        postal_code: r.get(4)?,
        prefecture: r.get(5)?,
        city: r.get(6)?,
        street: r.get(7)?,
        building: r.get(8)?,
        phone: r.get(9)?,
        archived: r.get(10)?,
    })
}

pub(crate) fn addresses(c: &Connection, id: i64) -> Result<Vec<DeliveryAddress>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {ADDRESS_COLS} FROM member_addresses WHERE member_id = ?1 ORDER BY archived, id"
    ))?;
    let rows = st.query_map([id], address_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn address(c: &Connection, address_id: i64) -> Result<Option<DeliveryAddress>> {
    let mut st = c.prepare_cached(&format!("SELECT {ADDRESS_COLS} FROM member_addresses WHERE id = ?1"))?;
    Ok(st.query_row([address_id], address_row).optional()?)
}

pub(crate) fn add_address(c: &Connection, id: i64, a: &AddressInput, now: &str) -> Result<i64> {
    c.execute(
        "INSERT INTO member_addresses (member_id, label, name, kana, postal_code, prefecture, city, street, building, phone, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![id, a.label, a.name, a.kana, a.postal_code, a.prefecture, a.city, a.street, a.building, a.phone, now],
    )?;
    Ok(c.last_insert_rowid())
}

pub(crate) fn update_address(c: &Connection, address_id: i64, a: &AddressInput) -> Result<()> {
    c.execute(
        "UPDATE member_addresses SET label = ?2, name = ?3, kana = ?4, postal_code = ?5, prefecture = ?6, city = ?7,
            street = ?8, building = ?9, phone = ?10 WHERE id = ?1",
        params![address_id, a.label, a.name, a.kana, a.postal_code, a.prefecture, a.city, a.street, a.building, a.phone],
    )?;
    Ok(())
}

pub(crate) fn archive_address(c: &Connection, address_id: i64, archived: bool) -> Result<()> {
    c.execute("UPDATE member_addresses SET archived = ?2 WHERE id = ?1", params![address_id, archived])?;
    Ok(())
}

pub(crate) fn counts(c: &Connection) -> Result<Vec<(MemberStatus, u64)>> {
    let mut st = c.prepare("SELECT status, count(*) FROM members WHERE merged_into IS NULL GROUP BY status")?;
    let found: Vec<(String, i64)> = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(MemberStatus::ALL
        .iter()
        .map(|s| (*s, found.iter().find(|(k, _)| k == s.as_str()).map(|(_, n)| *n as u64).unwrap_or(0)))
        .collect())
}

/// What the search cache keeps per member.
pub(crate) struct SearchRow {
    pub id: i64,
    pub code: String,
    pub status: MemberStatus,
    pub kana_key: String,
    pub search_text: String,
}

const SEARCH_COLS: &str = "id, code, status, kana_key, search_text";

fn search_row(r: &Row) -> rusqlite::Result<SearchRow> {
    Ok(SearchRow {
        id: r.get(0)?,
        code: r.get(1)?,
        status: status_of(&r.get::<_, String>(2)?),
        kana_key: r.get(3)?,
        search_text: r.get(4)?,
    })
}

/// Every member that is not merged away, for the in-memory search index.
pub(crate) fn search_rows(c: &Connection) -> Result<Vec<SearchRow>> {
    let mut st = c.prepare(&format!("SELECT {SEARCH_COLS} FROM members WHERE merged_into IS NULL"))?;
    let rows = st.query_map([], search_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn search_row_by_id(c: &Connection, id: i64) -> Result<Option<SearchRow>> {
    let mut st = c.prepare_cached(&format!("SELECT {SEARCH_COLS} FROM members WHERE id = ?1 AND merged_into IS NULL"))?;
    Ok(st.query_row([id], search_row).optional()?)
}

/// Pairs of member ids that share a key, with the reason; the lower id first.
pub(crate) fn duplicate_pairs(c: &Connection) -> Result<Vec<(i64, i64, &'static str)>> {
    let queries: [(&str, &str); 4] = [
        ("phone", "SELECT a.id, b.id FROM members a JOIN members b ON b.phone_key = a.phone_key AND b.id > a.id
            WHERE a.phone_key <> '' AND a.merged_into IS NULL AND b.merged_into IS NULL"),
        ("mobile", "SELECT a.id, b.id FROM members a JOIN members b ON b.mobile_key = a.mobile_key AND b.id > a.id
            WHERE a.mobile_key <> '' AND a.merged_into IS NULL AND b.merged_into IS NULL"),
        ("kana_postal", "SELECT a.id, b.id FROM members a JOIN members b
            ON b.postal_code = a.postal_code AND b.kana_key = a.kana_key AND b.id > a.id
            WHERE a.kana_key <> '' AND a.postal_code <> '' AND a.merged_into IS NULL AND b.merged_into IS NULL"),
        ("email", "SELECT a.id, b.id FROM members a JOIN members b ON b.email_key = a.email_key AND b.id > a.id
            WHERE a.email_key <> '' AND a.merged_into IS NULL AND b.merged_into IS NULL"),
    ];
    let mut out = Vec::new();
    for (reason, sql) in queries {
        let mut st = c.prepare(sql)?;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (a, b) = row?;
            out.push((a, b, reason));
        }
    }
    Ok(out)
}

/// Moves everything that belongs to `from` over to `to`; `from` stays on file, marked merged.
pub(crate) fn merge(c: &Connection, to: i64, from: i64, now: &str) -> Result<()> {
    c.execute("UPDATE member_history SET member_id = ?1 WHERE member_id = ?2", [to, from])?;
    c.execute("UPDATE member_contacts SET member_id = ?1 WHERE member_id = ?2", [to, from])?;
    c.execute("UPDATE member_addresses SET member_id = ?1 WHERE member_id = ?2", [to, from])?;
    c.execute(
        "INSERT OR IGNORE INTO member_tags (member_id, tag) SELECT ?1, tag FROM member_tags WHERE member_id = ?2",
        [to, from],
    )?;
    c.execute("UPDATE members SET merged_into = ?1, updated_at = ?3 WHERE id = ?2", params![to, from, now])?;
    Ok(())
}

impl Db {
    pub(crate) fn member_id(&self, code: &str) -> Result<Option<i64>> {
        Ok(self.conn.query_row("SELECT id FROM members WHERE code = ?1", [code], |r| r.get(0)).optional()?)
    }

    pub(crate) fn max_member_number(&self, fmt: &MemberCodeFormat) -> Result<u64> {
        let mut st = self.conn.prepare("SELECT code FROM members WHERE substr(code, 1, ?1) = ?2")?;
        let codes = st.query_map(params![fmt.prefix.len() as i64, fmt.prefix], |r| r.get::<_, String>(0))?;
        let mut max = 0;
        for code in codes {
            if let Some(n) = fmt.number_of(&code?) {
                max = max.max(n);
            }
        }
        Ok(max)
    }
}

pub(crate) fn set_mail_returned(c: &Connection, id: i64, returned: bool, now: &str) -> Result<()> {
    c.execute("UPDATE members SET mail_returned = ?2, updated_at = ?3 WHERE id = ?1", params![id, returned, now])?;
    Ok(())
}
