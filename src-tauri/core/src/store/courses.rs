//! SQL for courses, their items and their prices.
use crate::courses::{Course, CourseInput, CourseItem, CourseKind, CoursePrice};
use crate::courses::rhythm_label;
use crate::error::Result;
use crate::schedule::IntervalUnit;
use crate::store::products as psql;
use rusqlite::{params, Connection};

const COLS: &str = "c.id, c.code, c.name, c.kind, c.interval_unit, c.interval_count, c.day_of_month, c.weekday, c.min_deliveries,
    c.free_shipping, c.renewal_notice_days, c.bulletin_product_id, c.active, c.note,
    (SELECT count(*) FROM subscriptions s WHERE s.course_id = c.id AND s.status <> 'stopped')";

fn load(c: &Connection, where_: &str, arg: &dyn rusqlite::ToSql) -> Result<Vec<Course>> {
    let mut st = c.prepare_cached(&format!("SELECT {COLS} FROM courses c {where_} ORDER BY c.active DESC, c.code"))?;
    let rows = st.query_map([arg], |r| {
        let unit = IntervalUnit::parse(&r.get::<_, String>(4)?).unwrap_or(IntervalUnit::Month);
        let (count, day, weekday): (i64, Option<i64>, Option<i64>) = (r.get(5)?, r.get(6)?, r.get(7)?);
        Ok((
            Course {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                kind: CourseKind::parse(&r.get::<_, String>(3)?),
                interval_unit: unit,
                interval_count: count,
                interval_label: rhythm_label(unit, count, day, weekday),
                day_of_month: day,
                weekday,
                min_deliveries: r.get(8)?,
                free_shipping: r.get(9)?,
                renewal_notice_days: r.get(10)?,
                bulletin_product: None,
                active: r.get(12)?,
                note: r.get(13)?,
                items: Vec::new(),
                prices: Vec::new(),
                subscribers: r.get(14)?,
            },
            r.get::<_, Option<i64>>(11)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut course, bulletin) = row?;
        course.bulletin_product = match bulletin {
            Some(id) => psql::by_id(c, id)?,
            None => None,
        };
        let mut st = c.prepare_cached("SELECT product_id, quantity FROM course_items WHERE course_id = ?1 ORDER BY line_no")?;
        let items: Vec<(i64, i64)> = st.query_map([course.id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        for (pid, quantity) in items {
            if let Some(product) = psql::by_id(c, pid)? {
                course.items.push(CourseItem { product, quantity });
            }
        }
        let mut st = c.prepare_cached(
            "SELECT from_delivery, price, discount_percent FROM course_prices WHERE course_id = ?1 ORDER BY from_delivery",
        )?;
        course.prices = st
            .query_map([course.id], |r| Ok(CoursePrice { from_delivery: r.get(0)?, price: r.get(1)?, discount_percent: r.get(2)? }))?
            .collect::<rusqlite::Result<_>>()?;
        out.push(course);
    }
    Ok(out)
}

pub(crate) fn all(c: &Connection) -> Result<Vec<Course>> {
    load(c, "WHERE ?1 = ?1", &1)
}

pub(crate) fn by_code(c: &Connection, code: &str) -> Result<Option<Course>> {
    Ok(load(c, "WHERE c.code = ?1", &code)?.pop())
}

pub(crate) fn by_id(c: &Connection, id: i64) -> Result<Option<Course>> {
    Ok(load(c, "WHERE c.id = ?1", &id)?.pop())
}

pub(crate) fn insert(c: &Connection, i: &CourseInput, bulletin: Option<i64>, now: &str) -> Result<i64> {
    c.execute(
        "INSERT INTO courses (code, name, kind, interval_unit, interval_count, day_of_month, weekday, min_deliveries, free_shipping,
            renewal_notice_days, bulletin_product_id, active, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
        params![
            i.code, i.name, i.kind.as_str(), i.interval_unit.as_str(), i.interval_count, i.day_of_month, i.weekday, i.min_deliveries,
            i.free_shipping, i.renewal_notice_days, bulletin, i.active, i.note, now
        ],
    )?;
    Ok(c.last_insert_rowid())
}

pub(crate) fn update(c: &Connection, id: i64, i: &CourseInput, bulletin: Option<i64>, now: &str) -> Result<()> {
    c.execute(
        "UPDATE courses SET code = ?2, name = ?3, kind = ?4, interval_unit = ?5, interval_count = ?6, day_of_month = ?7, weekday = ?8,
            min_deliveries = ?9, free_shipping = ?10, renewal_notice_days = ?11, bulletin_product_id = ?12, active = ?13, note = ?14,
            updated_at = ?15
         WHERE id = ?1",
        params![
            id, i.code, i.name, i.kind.as_str(), i.interval_unit.as_str(), i.interval_count, i.day_of_month, i.weekday, i.min_deliveries,
            i.free_shipping, i.renewal_notice_days, bulletin, i.active, i.note, now
        ],
    )?;
    Ok(())
}

/// Items and prices are the course's own rows (not user records of their own): an edit replaces them.
pub(crate) fn replace_items(c: &Connection, id: i64, items: &[(i64, i64)], prices: &[CoursePrice]) -> Result<()> {
    c.execute("DELETE FROM course_items WHERE course_id = ?1", [id])?;
    c.execute("DELETE FROM course_prices WHERE course_id = ?1", [id])?;
    for (n, (pid, q)) in items.iter().enumerate() {
        c.execute(
            "INSERT INTO course_items (course_id, line_no, product_id, quantity) VALUES (?1, ?2, ?3, ?4)",
            params![id, n as i64 + 1, pid, q],
        )?;
    }
    for p in prices {
        c.execute(
            "INSERT INTO course_prices (course_id, from_delivery, price, discount_percent) VALUES (?1, ?2, ?3, ?4)",
            params![id, p.from_delivery, p.price, p.discount_percent],
        )?;
    }
    Ok(())
}
