//! SQL for shipments: the orders waiting for a parcel, parcels and their carrier batches.
use crate::error::Result;
use crate::orders::PaymentMethod;
use crate::shipping::{CoolClass, Shipment, ShipmentChange, ShipmentStatus, SlipType};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

/// An order that may go into a parcel, with where it goes (its delivery address, or the
/// member's own), what it holds and what is to be collected.
pub(crate) struct Waiting {
    pub order_id: i64,
    pub number: String,
    pub member_id: i64,
    pub member_code: String,
    pub address_id: Option<i64>,
    pub delivery_date: Option<NaiveDate>,
    pub time_slot: String,
    pub payment_method: Option<PaymentMethod>,
    pub total: i64,
    pub tax: i64,
    pub first_item: String,
    pub items: i64,
    pub name: String,
    pub kana: String,
    pub company: String,
    pub department: String,
    pub postal_code: String,
    pub address: String,
    pub building: String,
    pub phone: String,
}

/// Orders not cancelled, not shipped, holding something that ships, due by `due_by`, and not
/// already in a parcel that still stands. `numbers` narrows to those orders.
pub(crate) fn waiting(
    c: &Connection,
    due_by: NaiveDate,
    numbers: &[String],
) -> Result<Vec<Waiting>> {
    let only = !numbers.is_empty();
    let mut st = c.prepare(
        "SELECT o.id, o.number, o.member_id, m.code, o.address_id, coalesce(o.delivery_date, o.scheduled_for, o.ordered_on),
            o.delivery_date, o.time_slot, o.payment_method, o.total, o.tax_10 + o.tax_8,
            (SELECT l.name FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = o.id AND p.shipped = 1 ORDER BY l.line_no LIMIT 1),
            (SELECT count(*) FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = o.id AND p.shipped = 1),
            coalesce(a.name, m.name), coalesce(a.kana, m.kana), CASE WHEN a.id IS NULL THEN m.company ELSE '' END,
            CASE WHEN a.id IS NULL THEN m.department ELSE '' END, coalesce(a.postal_code, m.postal_code),
            coalesce(a.prefecture || a.city || a.street, m.prefecture || m.city || m.street), coalesce(a.building, m.building),
            coalesce(nullif(a.phone, ''), nullif(m.phone, ''), m.mobile)
         FROM orders o JOIN members m ON m.id = o.member_id LEFT JOIN member_addresses a ON a.id = o.address_id
         WHERE o.status IN ('received', 'ready')
           AND coalesce(o.delivery_date, o.scheduled_for, o.ordered_on) <= ?1
           AND NOT EXISTS (SELECT 1 FROM shipment_orders so JOIN shipments s ON s.id = so.shipment_id
                           WHERE so.order_id = o.id AND s.status <> 'cancelled')
         ORDER BY o.member_id, coalesce(o.address_id, 0), 6, o.id",
    )?;
    let rows = st.query_map([due_by.to_string()], |r| {
        Ok(Waiting {
            order_id: r.get(0)?,
            number: r.get(1)?,
            member_id: r.get(2)?,
            member_code: r.get(3)?,
            address_id: r.get(4)?,
            delivery_date: r.get::<_, Option<String>>(6)?.and_then(|d| d.parse().ok()),
            time_slot: r.get(7)?,
            payment_method: r
                .get::<_, Option<String>>(8)?
                .and_then(|m| PaymentMethod::parse(&m)),
            total: r.get(9)?,
            tax: r.get(10)?,
            first_item: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
            items: r.get(12)?,
            name: r.get(13)?,
            kana: r.get(14)?,
            company: r.get(15)?,
            department: r.get(16)?,
            postal_code: r.get(17)?,
            address: r.get(18)?,
            building: r.get(19)?,
            phone: r.get(20)?,
        })
    })?;
    let all: Vec<Waiting> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(all
        .into_iter()
        .filter(|w| w.items > 0 && (!only || numbers.contains(&w.number)))
        .collect())
}

/// `n` fresh shipment numbers (S0000001 …), counted in the settings inside the caller's transaction.
pub(crate) fn next_numbers(c: &Connection, n: usize) -> Result<Vec<String>> {
    let mut seq: u64 = super::settings::get(c, "shipment_seq")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let out = (0..n)
        .map(|_| {
            seq += 1;
            format!("S{seq:07}")
        })
        .collect();
    super::settings::put(c, "shipment_seq", &seq.to_string())?;
    Ok(out)
}

pub(crate) fn insert(c: &Connection, s: &Shipment, order_ids: &[i64], now: &str) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO shipments (number, member_id, address_id, carrier, slip_type, cool, ship_date, delivery_date, time_slot,
            description, parcels, collect_amount, collect_tax, name, kana, company, department, postal_code, address, building,
            phone, honorific, status, staff, created_at)
         VALUES (?1, (SELECT id FROM members WHERE code = ?2), ?3, 'yamato', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
            ?16, ?17, ?18, ?19, ?20, ?21, 'planned', ?22, ?23)",
    )?
    .execute(params![
        s.number,
        s.member,
        s.address_id,
        s.slip_type.as_str(),
        s.cool.as_str(),
        s.ship_date.to_string(),
        s.delivery_date.map(|d| d.to_string()),
        s.time_slot,
        s.description,
        s.parcels,
        s.collect_amount,
        s.collect_tax,
        s.name,
        s.kana,
        s.company,
        s.department,
        s.postal_code,
        s.address,
        s.building,
        s.phone,
        s.honorific,
        s.staff,
        now
    ])?;
    let id = c.last_insert_rowid();
    let mut link =
        c.prepare_cached("INSERT INTO shipment_orders (shipment_id, order_id) VALUES (?1, ?2)")?;
    let mut ready = c.prepare_cached("UPDATE orders SET status = 'ready', status_since = ?2 WHERE id = ?1 AND status = 'received'")?;
    // Checked again inside the transaction: another window or the CLI may have packed one of
    // these orders since the plan was read.
    let mut packed = c.prepare_cached(
        "SELECT o.number FROM shipment_orders so JOIN shipments s ON s.id = so.shipment_id JOIN orders o ON o.id = so.order_id
         WHERE so.order_id = ?1 AND s.status <> 'cancelled' AND s.id <> ?2",
    )?;
    for o in order_ids {
        if let Some(n) = packed.query_row([*o, id], |r| r.get::<_, String>(0)).optional()? {
            return Err(crate::CoreError::conflict("orders", format!("受注 {n} はすでに別の荷物に入っています（出荷一覧を読み直してください）")));
        }
        link.execute([id, *o])?;
        ready.execute(params![o, now])?;
    }
    Ok(id)
}

const COLS: &str = "s.id, s.number, m.code, m.name, s.address_id, s.slip_type, s.cool, s.ship_date, s.delivery_date, s.time_slot,
    s.description, s.parcels, s.collect_amount, s.collect_tax, s.name, s.kana, s.company, s.department, s.postal_code, s.address,
    s.building, s.phone, s.honorific, s.status, s.export_id, s.tracking_number, s.shipped_at, s.cancelled_at, s.cancel_reason,
    s.staff, s.created_at,
    (SELECT group_concat(o.number, ',') FROM shipment_orders so JOIN orders o ON o.id = so.order_id WHERE so.shipment_id = s.id)";

fn row(r: &Row) -> rusqlite::Result<Shipment> {
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(r.get::<_, Option<String>>(i)?.and_then(|d| d.parse().ok()))
    };
    Ok(Shipment {
        id: r.get(0)?,
        number: r.get(1)?,
        member: r.get(2)?,
        member_name: r.get(3)?,
        address_id: r.get(4)?,
        slip_type: SlipType::parse(&r.get::<_, String>(5)?).unwrap_or(SlipType::Hatsubarai),
        cool: CoolClass::parse(&r.get::<_, String>(6)?).unwrap_or(CoolClass::Normal),
        ship_date: date(7)?.unwrap_or_default(),
        delivery_date: date(8)?,
        time_slot: r.get(9)?,
        description: r.get(10)?,
        parcels: r.get(11)?,
        collect_amount: r.get(12)?,
        collect_tax: r.get(13)?,
        name: r.get(14)?,
        kana: r.get(15)?,
        company: r.get(16)?,
        department: r.get(17)?,
        postal_code: r.get(18)?,
        address: r.get(19)?,
        building: r.get(20)?,
        phone: r.get(21)?,
        honorific: r.get(22)?,
        status: ShipmentStatus::parse(&r.get::<_, String>(23)?).unwrap_or(ShipmentStatus::Planned),
        export_id: r.get(24)?,
        tracking_number: r.get(25)?,
        shipped_at: r.get(26)?,
        cancelled_at: r.get(27)?,
        cancel_reason: r.get(28)?,
        staff: r.get(29)?,
        created_at: r.get(30)?,
        orders: r
            .get::<_, Option<String>>(31)?
            .map(|s| s.split(',').map(String::from).collect())
            .unwrap_or_default(),
    })
}

pub(crate) fn by_number(c: &Connection, number: &str) -> Result<Option<Shipment>> {
    Ok(c
        .query_row(&format!("SELECT {COLS} FROM shipments s JOIN members m ON m.id = s.member_id WHERE s.number = ?1"), [number], row)
        .optional()?)
}

pub(crate) fn list(
    c: &Connection,
    ship_date: Option<NaiveDate>,
    status: Option<ShipmentStatus>,
    export_id: Option<i64>,
    numbers: &[String],
    limit: u32,
) -> Result<Vec<Shipment>> {
    let mut st = c.prepare(&format!(
        "SELECT {COLS} FROM shipments s JOIN members m ON m.id = s.member_id
         WHERE (?1 IS NULL OR s.ship_date = ?1) AND (?2 IS NULL OR s.status = ?2) AND (?3 IS NULL OR s.export_id = ?3)
         ORDER BY s.ship_date DESC, s.id LIMIT {limit}"
    ))?;
    let rows = st.query_map(
        params![
            ship_date.map(|d| d.to_string()),
            status.map(|s| s.as_str()),
            export_id
        ],
        row,
    )?;
    let all: Vec<Shipment> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(if numbers.is_empty() {
        all
    } else {
        all.into_iter()
            .filter(|s| numbers.contains(&s.number))
            .collect()
    })
}

pub(crate) fn cancel(c: &Connection, id: i64, reason: &str, staff: &str, now: &str) -> Result<()> {
    c.execute(
        "UPDATE shipments SET status = 'cancelled', cancelled_at = ?2, cancel_reason = ?3, staff = CASE WHEN ?4 <> '' THEN ?4 ELSE staff END
         WHERE id = ?1",
        params![id, now, reason, staff],
    )?;
    // The orders wait for a parcel again.
    c.execute(
        "UPDATE orders SET status = 'received', status_since = ?2
         WHERE +status = 'ready' AND id IN (SELECT order_id FROM shipment_orders WHERE shipment_id = ?1)",
        params![id, now],
    )?;
    Ok(())
}

pub(crate) fn new_export(
    c: &Connection,
    carrier: &str,
    rows: usize,
    replacements: &str,
    staff: &str,
    now: &str,
) -> Result<i64> {
    c.execute(
        "INSERT INTO shipment_exports (carrier, created_at, staff, rows, replacements) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![carrier, now, staff, rows as i64, replacements],
    )?;
    Ok(c.last_insert_rowid())
}

pub(crate) fn mark_exported(c: &Connection, shipment_id: i64, export_id: i64) -> Result<()> {
    c.prepare_cached("UPDATE shipments SET export_id = ?2, status = CASE WHEN status = 'planned' THEN 'exported' ELSE status END WHERE id = ?1")?
        .execute([shipment_id, export_id])?;
    Ok(())
}

/// Records the carrier's tracking number; the parcel and its orders count as shipped.
pub(crate) fn mark_shipped(c: &Connection, shipment_id: i64, tracking: Option<&str>, now: &str) -> Result<()> {
    c.prepare_cached(
        "UPDATE shipments SET tracking_number = coalesce(?2, tracking_number), status = 'shipped', shipped_at = coalesce(shipped_at, ?3)
         WHERE id = ?1",
    )?
    .execute(params![shipment_id, tracking, now])?;
    // What leaves the warehouse comes off the stock, once: only orders not yet shipped count.
    c.prepare_cached(
        "UPDATE products SET stock = stock - (
             SELECT sum(l.quantity) FROM order_lines l JOIN shipment_orders so ON so.order_id = l.order_id JOIN orders o ON o.id = l.order_id
             WHERE so.shipment_id = ?1 AND o.status IN ('received', 'ready') AND l.product_id = products.id)
         WHERE shipped = 1 AND id IN (
             SELECT l.product_id FROM order_lines l JOIN shipment_orders so ON so.order_id = l.order_id JOIN orders o ON o.id = l.order_id
             WHERE so.shipment_id = ?1 AND o.status IN ('received', 'ready'))",
    )?
    .execute([shipment_id])?;
    c.prepare_cached(
        "UPDATE orders SET status = 'shipped', status_since = ?2
         WHERE status IN ('received', 'ready') AND id IN (SELECT order_id FROM shipment_orders WHERE shipment_id = ?1)",
    )?
    .execute(params![shipment_id, now])?;
    Ok(())
}

/// The replacements confirmed for an export batch (JSON), for writing it again.
pub(crate) fn export_replacements(c: &Connection, export_id: i64) -> Result<Option<String>> {
    Ok(c.query_row(
        "SELECT replacements FROM shipment_exports WHERE id = ?1",
        [export_id],
        |r| r.get(0),
    )
    .optional()?)
}

pub(crate) fn change(c: &Connection, id: i64, ch: &ShipmentChange, staff: &str) -> Result<()> {
    c.execute(
        "UPDATE shipments SET slip_type = ?2, cool = ?3, ship_date = ?4, delivery_date = nullif(?5, ''), time_slot = ?6,
            description = ?7, parcels = ?8, staff = CASE WHEN ?9 <> '' THEN ?9 ELSE staff END,
            status = CASE WHEN status = 'exported' THEN 'planned' ELSE status END
         WHERE id = ?1",
        params![id, ch.slip_type.as_str(), ch.cool.as_str(), ch.ship_date, ch.delivery_date, ch.time_slot, ch.description, ch.parcels, staff],
    )?;
    Ok(())
}
