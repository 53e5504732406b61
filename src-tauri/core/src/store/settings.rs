//! Settings are JSON documents under a key, so a new setting needs no migration.
use super::Db;
use crate::error::Result;
use rusqlite::{params, Connection};

impl Db {
    pub(crate) fn setting_json(&self, key: &str) -> Result<Option<String>> {
        get(&self.conn, key)
    }

    /// Through `write`, like every write: the role check and the audit's "who" apply.
    pub(crate) fn put_setting_json(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| put(tx, key, value))
    }
}

pub(crate) fn get(c: &Connection, key: &str) -> Result<Option<String>> {
    Db::optional(c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)))
}

/// Saves a setting inside a larger write (its transaction decides).
pub(crate) fn put(c: &Connection, key: &str, value: &str) -> Result<()> {
    c.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
