//! SQL for products.
use crate::error::Result;
use crate::products::{Product, ProductInput};
use rusqlite::{params, Connection, OptionalExtension, Row};

const COLS: &str =
    "id, code, name, product_group, unit_price, tax_rate, unit, active, stock, size_class, weight_g, shipped, created_at, updated_at";

fn row(r: &Row) -> rusqlite::Result<Product> {
    Ok(Product {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        group: r.get(3)?,
        unit_price: r.get(4)?,
        tax_rate: r.get(5)?,
        unit: r.get(6)?,
        active: r.get(7)?,
        stock: r.get(8)?,
        size_class: r.get(9)?,
        weight_g: r.get(10)?,
        shipped: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
    })
}

pub(crate) fn by_code(c: &Connection, code: &str) -> Result<Option<Product>> {
    let mut st = c.prepare_cached(&format!("SELECT {COLS} FROM products WHERE code = ?1"))?;
    Ok(st.query_row([code], row).optional()?)
}

pub(crate) fn by_id(c: &Connection, id: i64) -> Result<Option<Product>> {
    let mut st = c.prepare_cached(&format!("SELECT {COLS} FROM products WHERE id = ?1"))?;
    Ok(st.query_row([id], row).optional()?)
}

pub(crate) fn all(c: &Connection) -> Result<Vec<Product>> {
    let mut st = c.prepare(&format!("SELECT {COLS} FROM products ORDER BY code"))?;
    let rows = st.query_map([], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn insert(c: &Connection, p: &ProductInput, now: &str, batch: Option<i64>) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO products (code, name, product_group, unit_price, tax_rate, unit, active, stock, size_class, weight_g, shipped,
            created_at, updated_at, import_batch)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)",
    )?
    .execute(params![
        p.code, p.name, p.group, p.unit_price, p.tax_rate, p.unit, p.active, p.stock, p.size_class, p.weight_g, p.shipped, now, batch
    ])?;
    Ok(c.last_insert_rowid())
}

pub(crate) fn update(c: &Connection, id: i64, p: &ProductInput, now: &str) -> Result<()> {
    c.prepare_cached(
        "UPDATE products SET code = ?2, name = ?3, product_group = ?4, unit_price = ?5, tax_rate = ?6, unit = ?7, active = ?8,
            stock = ?9, size_class = ?10, weight_g = ?11, shipped = ?12, updated_at = ?13 WHERE id = ?1",
    )?
    .execute(params![
        id, p.code, p.name, p.group, p.unit_price, p.tax_rate, p.unit, p.active, p.stock, p.size_class, p.weight_g, p.shipped, now
    ])?;
    Ok(())
}

/// Puts a product back as it was before an import updated it.
pub(crate) fn restore(c: &Connection, p: &Product) -> Result<()> {
    c.execute(
        "UPDATE products SET name = ?2, product_group = ?3, unit_price = ?4, tax_rate = ?5, unit = ?6, active = ?7,
            stock = ?8, size_class = ?9, weight_g = ?10, shipped = ?11, updated_at = ?12 WHERE id = ?1",
        params![p.id, p.name, p.group, p.unit_price, p.tax_rate, p.unit, p.active, p.stock, p.size_class, p.weight_g, p.shipped, p.updated_at],
    )?;
    Ok(())
}
