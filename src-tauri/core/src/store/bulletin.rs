//! SQL for the bulletin mailing: the month's slips with the members' own addresses.
use crate::bulletin::{MailingExclusion, MailingRow};
use crate::error::Result;
use rusqlite::Connection;

/// The month's bulletin slips (not cancelled) split into addresses to mail, in postal-code
/// order, and members left out with the reason.
pub(crate) fn mailing(
    c: &Connection,
    month: &str,
) -> Result<(Vec<MailingRow>, Vec<MailingExclusion>)> {
    let mut st = c.prepare(
        "SELECT m.code, m.name, m.kana, m.company, m.department, m.kind, m.postal_code, m.prefecture, m.city, m.street, m.building,
            coalesce(nullif(m.phone, ''), m.mobile), coalesce(s.course_name, ''), m.mail_returned
         FROM bulletin_slips b JOIN members m ON m.id = b.member_id LEFT JOIN subscriptions s ON s.id = b.subscription_id
         WHERE b.month = ?1 AND b.cancelled_at IS NULL
         ORDER BY m.postal_code, m.code",
    )?;
    let mut rows = Vec::new();
    let mut excluded = Vec::new();
    let mut q = st.query([month])?;
    while let Some(r) = q.next()? {
        let (code, name, kind): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(5)?);
        let (postal, pref, city, street): (String, String, String, String) =
            (r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?);
        let returned: bool = r.get(13)?;
        let reason = if returned {
            Some("宛先不明で返送されています（住所を確かめて印を外してください）".to_string())
        } else if !crate::normalize::is_postal_code(&postal) {
            Some(if postal.is_empty() {
                "郵便番号がありません".to_string()
            } else {
                format!("郵便番号「{postal}」が正しくありません")
            })
        } else if pref.is_empty() || (city.is_empty() && street.is_empty()) {
            Some("住所が不完全です（都道府県・市区町村・番地）".to_string())
        } else {
            None
        };
        if let Some(reason) = reason {
            excluded.push(MailingExclusion {
                member: code,
                name,
                reason,
                returned,
            });
            continue;
        }
        let company: String = r.get(3)?;
        // A company member with no person named is addressed to the company (御中).
        let company_only = kind == "company" && (name.is_empty() || name == company);
        rows.push(MailingRow {
            member: code,
            honorific: if company_only {
                "御中".into()
            } else {
                "様".into()
            },
            name: if company_only { company.clone() } else { name },
            kana: r.get(2)?,
            company: if company_only { String::new() } else { company },
            department: r.get(4)?,
            postal_code: postal,
            address1: format!("{pref}{city}{street}"),
            prefecture: pref,
            address2: r.get(10)?,
            phone: r.get(11)?,
            course: r.get(12)?,
        });
    }
    Ok((rows, excluded))
}
