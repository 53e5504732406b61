//! SQL for issued invoices: numbering, the orders on them, the kept document and PDF, voiding,
//! and the search. The migration's triggers keep issued invoices from being altered or removed.
use crate::error::Result;
use crate::invoices::{InvoicePage, InvoiceStatus, InvoiceSummary};
use crate::pdf::document::Document;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use sha2::Digest;

/// The next invoice number (I0000001 …), counted in the settings inside the caller's
/// transaction; numbers the old system's invoices use are passed over.
pub(crate) fn next_number(c: &Connection) -> Result<String> {
    let mut seq: u64 = super::settings::get(c, "invoice_seq")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut taken = c.prepare_cached("SELECT 1 FROM invoices WHERE number = ?1")?;
    let number = loop {
        seq += 1;
        let n = format!("I{seq:07}");
        if !taken.exists([&n])? {
            break n;
        }
    };
    super::settings::put(c, "invoice_seq", &seq.to_string())?;
    Ok(number)
}

/// The invoice (not voided) an order is on, if any.
pub(crate) fn live_invoice_of(c: &Connection, order_id: i64) -> Result<Option<String>> {
    Ok(c
        .query_row(
            "SELECT i.number FROM invoice_orders io JOIN invoices i ON i.id = io.invoice_id WHERE io.order_id = ?1 AND i.voided_at IS NULL",
            [order_id],
            |r| r.get(0),
        )
        .optional()?)
}

const UNINVOICED: &str = "o.status NOT IN ('cancelled') AND o.ordered_on BETWEEN ?1 AND ?2
    AND NOT EXISTS (SELECT 1 FROM invoice_orders io JOIN invoices i ON i.id = io.invoice_id WHERE io.order_id = o.id AND i.voided_at IS NULL)
    AND coalesce(o.payment_method, '') NOT IN ('cod', 'card', 'cash')";

/// A member's orders of the period on no standing invoice, oldest first.
pub(crate) fn uninvoiced_orders(
    c: &Connection,
    member_id: i64,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Vec<String>> {
    let mut st = c.prepare_cached(&format!("SELECT o.number FROM orders o WHERE {UNINVOICED} AND o.member_id = ?3 ORDER BY o.ordered_on, o.id"))?;
    let rows = st.query_map(params![from.to_string(), to.to_string(), member_id], |r| {
        r.get(0)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Members with orders of the period to bill, by code.
pub(crate) fn members_to_bill(
    c: &Connection,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Vec<String>> {
    let mut st = c.prepare(&format!(
        "SELECT m.code FROM members m WHERE EXISTS (SELECT 1 FROM orders o WHERE o.member_id = m.id AND {UNINVOICED}) ORDER BY m.code"
    ))?;
    let rows = st.query_map(params![from.to_string(), to.to_string()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn insert(
    c: &Connection,
    doc: &Document,
    order_ids: &[i64],
    period: Option<(NaiveDate, NaiveDate)>,
    replaces: Option<&str>,
    pdf: &[u8],
    staff: &str,
    now: &str,
) -> Result<i64> {
    let at = |rate: i64| doc.rate_totals.iter().find(|r| r.rate == rate);
    let json = serde_json::to_string(doc).expect("documents serialise");
    let hash: String = sha2::Sha256::digest(pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    c.execute(
        "INSERT INTO invoices (number, member_id, issued_on, due_on, amount, amount_10, amount_8, tax_10, tax_8, created_at,
            kind, period_from, period_to, recipient, replaces_id, document, pdf, pdf_sha256, staff)
         VALUES (?1, (SELECT id FROM members WHERE code = ?2), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'issued', ?11, ?12, ?13,
            (SELECT id FROM invoices WHERE number = ?14), ?15, ?16, ?17, ?18)",
        params![
            doc.number,
            doc.recipient.member_code,
            doc.issued_on.to_string(),
            doc.due_on.unwrap_or(doc.issued_on).to_string(),
            doc.total,
            at(10).map(|r| r.amount),
            at(8).map(|r| r.amount),
            at(10).map(|r| r.tax),
            at(8).map(|r| r.tax),
            now,
            period.map(|p| p.0.to_string()),
            period.map(|p| p.1.to_string()),
            [doc.recipient.company.as_str(), doc.recipient.name.as_str()].iter().filter(|s| !s.is_empty()).cloned().collect::<Vec<_>>().join(" "),
            replaces,
            json,
            pdf,
            hash,
            staff
        ],
    )?;
    let id = c.last_insert_rowid();
    let mut link =
        c.prepare_cached("INSERT INTO invoice_orders (invoice_id, order_id) VALUES (?1, ?2)")?;
    let mut invoiced = c.prepare_cached("UPDATE orders SET status = 'invoiced', status_since = ?2 WHERE id = ?1 AND status = 'shipped'")?;
    for o in order_ids {
        link.execute([id, *o])?;
        invoiced.execute(params![o, now])?;
    }
    Ok(id)
}

/// Marks an invoice void; its orders that it had moved to 請求済 go back to 出荷済.
pub(crate) fn void(c: &Connection, number: &str, reason: &str, now: &str) -> Result<()> {
    c.execute(
        "UPDATE invoices SET voided_at = ?2, void_reason = ?3 WHERE number = ?1",
        params![number, now, reason],
    )?;
    c.execute(
        "UPDATE orders SET status = 'shipped', status_since = ?2
         WHERE +status = 'invoiced' AND id IN (SELECT io.order_id FROM invoice_orders io JOIN invoices i ON i.id = io.invoice_id WHERE i.number = ?1)",
        params![number, now],
    )?;
    Ok(())
}

const COLS: &str = "i.number, m.code, m.name, i.kind = 'issued', i.issued_on, i.due_on, i.period_from, i.period_to, i.amount,
    coalesce((SELECT sum(a.amount) FROM payment_allocations a WHERE a.invoice_id = i.id AND a.undone_at IS NULL), 0),
    i.voided_at, i.void_reason, (SELECT p.number FROM invoices p WHERE p.id = i.replaces_id),
    (SELECT n.number FROM invoices n WHERE n.replaces_id = i.id),
    (SELECT group_concat(o.number, ',') FROM invoice_orders io JOIN orders o ON o.id = io.order_id WHERE io.invoice_id = i.id)";

fn row(r: &Row) -> rusqlite::Result<InvoiceSummary> {
    let date = |s: Option<String>| s.and_then(|d| d.parse().ok());
    let (amount, paid): (i64, i64) = (r.get(8)?, r.get(9)?);
    let voided_at: Option<String> = r.get(10)?;
    let status = if voided_at.is_some() {
        InvoiceStatus::Void
    } else if paid >= amount {
        InvoiceStatus::Paid
    } else if paid > 0 {
        InvoiceStatus::Partial
    } else {
        InvoiceStatus::Open
    };
    Ok(InvoiceSummary {
        number: r.get(0)?,
        member: r.get(1)?,
        member_name: r.get(2)?,
        issued: r.get(3)?,
        issued_on: date(r.get(4)?).unwrap_or_default(),
        due_on: date(r.get(5)?).unwrap_or_default(),
        period_from: date(r.get(6)?),
        period_to: date(r.get(7)?),
        amount,
        paid,
        balance: if voided_at.is_some() {
            0
        } else {
            amount - paid
        },
        status,
        voided_at,
        void_reason: r.get(11)?,
        replaces: r.get(12)?,
        replaced_by: r.get(13)?,
        orders: r
            .get::<_, Option<String>>(14)?
            .map(|s| s.split(',').map(String::from).collect())
            .unwrap_or_default(),
    })
}

pub(crate) fn summary(c: &Connection, number: &str) -> Result<Option<InvoiceSummary>> {
    Ok(c.query_row(&format!("SELECT {COLS} FROM invoices i JOIN members m ON m.id = i.member_id WHERE i.number = ?1"), [number], row).optional()?)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn search(
    c: &Connection,
    number: Option<&str>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    min: Option<i64>,
    max: Option<i64>,
    member: Option<i64>,
    status: Option<InvoiceStatus>,
    limit: u32,
) -> Result<InvoicePage> {
    let filter = "(?1 IS NULL OR i.issued_on >= ?1) AND (?2 IS NULL OR i.issued_on <= ?2) AND (?3 IS NULL OR i.amount >= ?3)
        AND (?4 IS NULL OR i.amount <= ?4) AND (?5 IS NULL OR i.member_id = ?5) AND (?6 IS NULL OR i.number = ?6)";
    let args = params![
        from.map(|d| d.to_string()),
        to.map(|d| d.to_string()),
        min,
        max,
        member,
        number
    ];
    let mut st = c.prepare(&format!(
        "SELECT {COLS} FROM invoices i JOIN members m ON m.id = i.member_id WHERE {filter} ORDER BY i.issued_on DESC, i.number DESC"
    ))?;
    let all = st.query_map(args, row)?;
    let mut invoices = Vec::new();
    let (mut total, mut amount) = (0u64, 0i64);
    for inv in all {
        let inv = inv?;
        if status.is_some_and(|s| s != inv.status) {
            continue;
        }
        total += 1;
        amount += inv.amount;
        if invoices.len() < limit as usize {
            invoices.push(inv);
        }
    }
    Ok(InvoicePage {
        invoices,
        total,
        amount,
    })
}

pub(crate) fn pdf(c: &Connection, number: &str) -> Result<Option<Vec<u8>>> {
    Ok(c.query_row(
        "SELECT pdf FROM invoices WHERE number = ?1",
        [number],
        |r| r.get(0),
    )
    .optional()?
    .flatten())
}

pub(crate) fn document(c: &Connection, number: &str) -> Result<Option<String>> {
    Ok(c.query_row(
        "SELECT document FROM invoices WHERE number = ?1",
        [number],
        |r| r.get(0),
    )
    .optional()?
    .flatten())
}
