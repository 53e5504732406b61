//! SQL for import batches: the record of each import, what it replaced, and taking it back.
use crate::error::Result;
use crate::import::{ImportBatch, ImportKind};
use crate::members::{CleanMember, HistoryKind, Member};
use crate::products::Product;
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::collections::HashMap;

pub(crate) struct NewBatch<'a> {
    pub kind: ImportKind,
    pub file_name: &'a str,
    pub file_hash: &'a str,
    pub encoding: &'a str,
    pub imported_at: &'a str,
    pub staff: &'a str,
    pub imported: u32,
    pub updated: u32,
    pub skipped: u32,
    pub warnings: u32,
}

pub(crate) fn insert_batch(c: &Connection, b: &NewBatch) -> Result<i64> {
    c.execute(
        "INSERT INTO import_batches (kind, file_name, file_hash, encoding, imported_at, staff, imported, updated, skipped, warnings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![b.kind.as_str(), b.file_name, b.file_hash, b.encoding, b.imported_at, b.staff, b.imported, b.updated, b.skipped, b.warnings],
    )?;
    Ok(c.last_insert_rowid())
}

const COLS: &str = "id, kind, file_name, file_hash, encoding, imported_at, staff, imported, updated, skipped, warnings, undone_at, undone_by";

fn batch_row(r: &Row) -> rusqlite::Result<ImportBatch> {
    Ok(ImportBatch {
        id: r.get::<_, i64>(0)?.to_string(),
        kind: ImportKind::parse(&r.get::<_, String>(1)?).unwrap_or(ImportKind::Members),
        file_name: r.get(2)?,
        file_hash: r.get(3)?,
        encoding: r.get(4)?,
        imported_at: r.get(5)?,
        staff: r.get(6)?,
        imported: r.get(7)?,
        updated: r.get(8)?,
        skipped: r.get(9)?,
        warnings: r.get(10)?,
        undone_at: r.get(11)?,
        undone_by: r.get(12)?,
    })
}

/// The latest batch (not undone) of a file with this hash.
pub(crate) fn batch_by_hash(c: &Connection, hash: &str) -> Result<Option<ImportBatch>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLS} FROM import_batches WHERE file_hash = ?1 AND undone_at IS NULL ORDER BY id DESC LIMIT 1"
    ))?;
    Ok(st.query_row([hash], batch_row).optional()?)
}

pub(crate) fn batch(c: &Connection, id: i64) -> Result<Option<ImportBatch>> {
    Ok(c.query_row(&format!("SELECT {COLS} FROM import_batches WHERE id = ?1"), [id], batch_row).optional()?)
}

pub(crate) fn batches(c: &Connection) -> Result<Vec<ImportBatch>> {
    let mut st = c.prepare(&format!("SELECT {COLS} FROM import_batches ORDER BY id DESC"))?;
    let rows = st.query_map([], batch_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every member code → id, merged records included (their codes are taken too).
pub(crate) fn member_ids(c: &Connection) -> Result<HashMap<String, i64>> {
    let mut st = c.prepare("SELECT code, id FROM members")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every member's status by id.
pub(crate) fn member_statuses(c: &Connection) -> Result<HashMap<i64, crate::members::MemberStatus>> {
    let mut st = c.prepare("SELECT id, status FROM members")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, super::members::status_of(&r.get::<_, String>(1)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Ids of the members a batch added or updated.
pub(crate) fn member_ids_of_batch(c: &Connection, batch: i64) -> Result<std::collections::HashSet<i64>> {
    let mut st = c.prepare(
        "SELECT id FROM members WHERE import_batch = ?1
         UNION SELECT row_id FROM import_changes WHERE batch_id = ?1 AND table_name = 'members'",
    )?;
    let rows = st.query_map([batch], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Likely duplicate pairs (as codes, once per pair) with at least one member of the batch.
pub(crate) fn duplicate_codes_of_batch(c: &Connection, batch: i64) -> Result<Vec<[String; 2]>> {
    let ids = member_ids_of_batch(c, batch)?;
    let mut pairs: Vec<(i64, i64)> = super::members::duplicate_pairs(c)?
        .into_iter()
        .filter(|(a, b, _)| ids.contains(a) || ids.contains(b))
        .map(|(a, b, _)| (a, b))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut st = c.prepare_cached("SELECT code FROM members WHERE id = ?1")?;
    let mut code = |id: i64| st.query_row([id], |r| r.get::<_, String>(0));
    let mut out = Vec::with_capacity(pairs.len());
    for (a, b) in pairs {
        out.push([code(a)?, code(b)?]);
    }
    Ok(out)
}

pub(crate) fn record_before(c: &Connection, batch: i64, table: &str, row_id: i64, before: &str) -> Result<()> {
    c.prepare_cached("INSERT INTO import_changes (batch_id, table_name, row_id, before) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![batch, table, row_id, before])?;
    Ok(())
}

fn strings(c: &Connection, sql: &str, batch: i64, extra: &str) -> Result<Vec<String>> {
    let mut st = c.prepare(sql)?;
    let rows = st.query_map(params![batch, extra], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What was entered after the batch and depends on its rows, in words; empty: it can be undone.
pub(crate) fn undo_blockers(c: &Connection, batch: i64, kind: ImportKind, imported_at: &str) -> Result<Vec<String>> {
    let q = |sql: &str| strings(c, sql, batch, imported_at);
    let mut out = Vec::new();
    match kind {
        ImportKind::Members => {
            // Every edit of a member leaves a history row, so "changed since" is a history row
            // after the import's own (time stamps are only to the second).
            out.extend(q("SELECT '会員 ' || m.code || ' の変更' FROM import_changes x JOIN members m ON m.id = x.row_id
                            WHERE x.batch_id = ?1 AND x.table_name = 'members' AND ?2 = ?2
                              AND EXISTS (SELECT 1 FROM member_history h WHERE h.member_id = m.id AND h.id > (
                                  SELECT max(i.id) FROM member_history i WHERE i.member_id = m.id
                                     AND i.detail LIKE '取込 %（バッチ ' || ?1 || '、%'))")?);
            out.extend(q("SELECT '会員 ' || m.code || ' の' || w FROM members m JOIN (
                              SELECT member_id, '定期購入' AS w FROM subscriptions UNION ALL SELECT member_id, '受注' FROM orders
                              UNION ALL SELECT member_id, '請求' FROM invoices UNION ALL SELECT member_id, '入金' FROM payments
                              UNION ALL SELECT member_id, 'お届け先' FROM member_addresses
                              UNION ALL SELECT member_id, '対応履歴' FROM member_contacts WHERE import_batch IS NOT ?1
                              UNION ALL SELECT member_id, '変更' FROM member_history WHERE kind <> 'created'
                              UNION ALL SELECT merged_into, '名寄せ' FROM members WHERE merged_into IS NOT NULL
                          ) d ON d.member_id = m.id WHERE m.import_batch = ?1 AND ?2 = ?2 GROUP BY m.code, w")?);
        }
        ImportKind::Products => {
            out.extend(q("SELECT '商品 ' || code || ' の変更' FROM products WHERE import_batch = ?1 AND updated_at <> ?2
                          UNION ALL SELECT '商品 ' || p.code || ' の変更' FROM import_changes x JOIN products p ON p.id = x.row_id
                            WHERE x.batch_id = ?1 AND x.table_name = 'products' AND p.updated_at <> ?2")?);
            out.extend(q("SELECT DISTINCT '商品 ' || p.code || ' を使う' || w FROM products p JOIN (
                              SELECT product_id, '定期購入' AS w FROM subscriptions UNION ALL SELECT product_id, '受注' FROM order_lines
                              UNION ALL SELECT product_id, '定期コース' FROM course_items
                              UNION ALL SELECT bulletin_product_id, '定期コース' FROM courses
                          ) d ON d.product_id = p.id WHERE p.import_batch = ?1 AND ?2 = ?2")?);
        }
        ImportKind::Receivables => {
            // Any payment ever put on them (undone ones are history and stay), debits and reminders.
            out.extend(q("SELECT DISTINCT '請求 ' || i.number || ' への入金' FROM invoices i
                            JOIN payment_allocations a ON a.invoice_id = i.id
                            JOIN payments p ON p.id = a.payment_id
                          WHERE i.import_batch = ?1 AND p.import_batch IS NOT ?1 AND ?2 = ?2
                          UNION ALL SELECT DISTINCT '請求 ' || i.number || ' の口座振替' FROM invoices i JOIN debit_item_invoices d ON d.invoice_id = i.id
                          WHERE i.import_batch = ?1 AND ?2 = ?2
                          UNION ALL SELECT DISTINCT '請求 ' || i.number || ' の督促' FROM invoices i JOIN reminder_invoices r ON r.invoice_id = i.id
                          WHERE i.import_batch = ?1 AND ?2 = ?2")?);
            out.extend(q("SELECT '請求 ' || number || ' の無効化' FROM invoices WHERE import_batch = ?1 AND voided_at IS NOT NULL AND ?2 = ?2")?);
        }
        ImportKind::Subscriptions => {
            out.extend(q("SELECT DISTINCT '定期購入 ' || s.id || ' の' || w FROM subscriptions s JOIN (
                              SELECT subscription_id, '変更・スキップ等' AS w FROM subscription_events
                              UNION ALL SELECT subscription_id, '受注' FROM orders WHERE subscription_id IS NOT NULL
                              UNION ALL SELECT subscription_id, '会報誌' FROM bulletin_slips WHERE subscription_id IS NOT NULL
                          ) d ON d.subscription_id = s.id WHERE s.import_batch = ?1 AND ?2 = ?2")?);
        }
        ImportKind::Orders => {
            out.extend(q("SELECT '受注 ' || number || ' の状態変更' FROM orders
                          WHERE import_batch = ?1 AND status_since IS NOT NULL AND ?2 = ?2")?);
        }
        ImportKind::Payments => {
            out.extend(q("SELECT '入金 ' || p.id || ' の' || CASE WHEN p.voided_at IS NOT NULL THEN '取消' ELSE '充当・消込の変更' END FROM payments p
                          WHERE p.import_batch = ?1 AND (p.voided_at IS NOT NULL
                            OR EXISTS (SELECT 1 FROM payment_allocations a WHERE a.payment_id = p.id AND (a.created_at > ?2 OR a.undone_at IS NOT NULL)))")?);
        }
    }
    Ok(out)
}

/// Removes what the batch added and puts back what it replaced; marks the batch undone.
pub(crate) fn undo(c: &Connection, batch: i64, kind: ImportKind, now: &str, staff: &str) -> Result<()> {
    let befores: Vec<(String, i64, String)> = {
        let mut st = c.prepare("SELECT table_name, row_id, before FROM import_changes WHERE batch_id = ?1")?;
        let rows = st.query_map([batch], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let bad_json = |e: serde_json::Error| crate::CoreError::new(crate::ErrorCode::Database, format!("取込前の記録を読めません: {e}"));
    match kind {
        ImportKind::Members => {
            c.execute("DELETE FROM member_contacts WHERE import_batch = ?1", [batch])?;
            for t in ["member_history", "member_tags"] {
                c.execute(&format!("DELETE FROM {t} WHERE member_id IN (SELECT id FROM members WHERE import_batch = ?1)"), [batch])?;
            }
            c.execute("DELETE FROM members WHERE import_batch = ?1", [batch])?;
            for (_, id, before) in befores.iter().filter(|b| b.0 == "members") {
                let old: Member = serde_json::from_str(before).map_err(bad_json)?;
                let (status, since, updated_at) = (old.status, old.status_since, old.updated_at.clone());
                super::members::update(c, *id, &CleanMember::from_stored(old), &updated_at)?;
                c.execute(
                    "UPDATE members SET status = ?2, status_since = ?3 WHERE id = ?1",
                    params![id, status.as_str(), since.map(|d| d.to_string())],
                )?;
                super::members::add_history(c, *id, HistoryKind::Updated, None, None, None, "", staff, &format!("取込の取り消し（バッチ {batch}）: 取込前の内容に戻しました"))?;
            }
        }
        ImportKind::Products => {
            c.execute("DELETE FROM products WHERE import_batch = ?1", [batch])?;
            for (_, _, before) in befores.iter().filter(|b| b.0 == "products") {
                let old: Product = serde_json::from_str(before).map_err(bad_json)?;
                super::products::restore(c, &old)?;
            }
        }
        ImportKind::Subscriptions => {
            c.execute("DELETE FROM subscriptions WHERE import_batch = ?1", [batch])?;
        }
        ImportKind::Orders => {
            c.execute("DELETE FROM order_lines WHERE order_id IN (SELECT id FROM orders WHERE import_batch = ?1)", [batch])?;
            c.execute("DELETE FROM orders WHERE import_batch = ?1", [batch])?;
        }
        ImportKind::Payments | ImportKind::Receivables => {
            c.execute("DELETE FROM payment_allocations WHERE payment_id IN (SELECT id FROM payments WHERE import_batch = ?1)", [batch])?;
            c.execute("DELETE FROM payments WHERE import_batch = ?1", [batch])?;
            c.execute("DELETE FROM invoices WHERE import_batch = ?1", [batch])?;
        }
    }
    c.execute("UPDATE import_batches SET undone_at = ?2, undone_by = ?3 WHERE id = ?1", params![batch, now, staff])?;
    Ok(())
}
