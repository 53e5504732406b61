//! SQL for reminders: overdue invoices with who owes them and what was sent before, and the
//! log of each reminder.
use crate::error::Result;
use crate::receivables::OpenInvoice;
use chrono::NaiveDate;
use rusqlite::{params, Connection};

pub(crate) struct OverdueRow {
    pub invoice: OpenInvoice,
    pub member: String,
    pub member_name: String,
    pub phone: String,
    pub reminders: u32,
    pub max_level: u8,
    pub last_reminder: Option<NaiveDate>,
}

/// Open invoices due before `due_before`, by member and oldest due first, leaving out those on a
/// debit request still waiting for its result.
pub(crate) fn overdue(c: &Connection, due_before: NaiveDate) -> Result<Vec<OverdueRow>> {
    let open = super::receivables::overdue_invoices(c, due_before)?;
    let mut member = c.prepare_cached("SELECT code, name, CASE WHEN phone <> '' THEN phone ELSE mobile END FROM members WHERE id = ?1")?;
    let mut sent = c.prepare_cached(
        "SELECT count(*), coalesce(max(r.level), 0), max(r.sent_on) FROM reminder_invoices ri JOIN reminders r ON r.id = ri.reminder_id WHERE ri.invoice_id = ?1",
    )?;
    let mut pending = c.prepare_cached("SELECT 1 FROM debit_item_invoices d JOIN debit_items i ON i.id = d.item_id WHERE d.invoice_id = ?1 AND i.result IS NULL")?;
    let mut out = Vec::with_capacity(open.len());
    let mut who: Option<(i64, (String, String, String))> = None;
    for inv in open {
        if pending.exists([inv.id])? {
            continue;
        }
        if who.as_ref().map(|w| w.0) != Some(inv.member_id) {
            who = Some((inv.member_id, member.query_row([inv.member_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?));
        }
        let (code, name, phone) = who.as_ref().map(|w| w.1.clone()).expect("set above");
        let (reminders, max_level, last): (i64, i64, Option<String>) = sent.query_row([inv.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        out.push(OverdueRow {
            invoice: inv,
            member: code,
            member_name: name,
            phone,
            reminders: reminders as u32,
            max_level: max_level as u8,
            last_reminder: last.and_then(|d| d.parse().ok()),
        });
    }
    Ok(out)
}

/// Records a reminder, the invoices it named and a line on the member's contact log.
#[allow(clippy::too_many_arguments)]
pub(crate) fn log_reminder(c: &Connection, member: &str, level: u8, on: NaiveDate, total: i64, invoices: &[(String, i64)], body: &str, staff: &str, now: &str) -> Result<()> {
    let member_id: i64 = c.query_row("SELECT id FROM members WHERE code = ?1", [member], |r| r.get(0))?;
    let contact = super::members::add_contact(c, member_id, on, "督促状", staff, body, now)?;
    c.prepare_cached("INSERT INTO reminders (member_id, level, sent_on, total, contact_id, staff, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?
        .execute(params![member_id, level, on.to_string(), total, contact, staff, now])?;
    let id = c.last_insert_rowid();
    let mut st = c.prepare_cached("INSERT INTO reminder_invoices (reminder_id, invoice_id, balance) SELECT ?1, id, ?3 FROM invoices WHERE number = ?2")?;
    for (number, balance) in invoices {
        st.execute(params![id, number, balance])?;
    }
    Ok(())
}
