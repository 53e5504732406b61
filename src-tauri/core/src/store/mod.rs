//! The store: the only place that speaks SQL. Opens the SQLite file with the settings the
//! rest of the core relies on (WAL, foreign keys, busy timeout) and brings its schema up to
//! date with the embedded, numbered, append-only migrations.
pub(crate) mod backup;
pub(crate) mod access;
pub(crate) mod bank;
pub(crate) mod bulletin;
pub mod courses;
pub(crate) mod debit;
pub(crate) mod dunning;
pub mod members;
pub mod month;
pub(crate) mod export;
pub mod imports;
pub(crate) mod invoices;
pub mod ledgers;
pub mod orders;
pub(crate) mod portability;
pub mod postal;
pub mod products;
pub(crate) mod receivables;
pub(crate) mod reports;
pub mod settings;
pub(crate) mod shipments;
pub mod subscriptions;

use crate::error::{CoreError, ErrorCode, Result};
use rusqlite::{Connection, OptionalExtension, Transaction};
use std::path::{Path, PathBuf};

pub(crate) struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The newest schema version this build knows.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// An open shop database. Everything in the core works through this.
pub struct Db {
    pub(crate) conn: Connection,
    path: PathBuf,
    pub(crate) search: crate::members::search::SearchCache,
    /// The logged-in account, when staff accounts exist (`access.rs`).
    pub(crate) session: Option<crate::access::Session>,
    /// Who writes when no session names it (see `Db::set_staff`).
    pub(crate) staff: String,
    /// Schema 8 or later: the audit triggers and the accounts exist.
    pub(crate) audited: bool,
}

/// The schema version that brought staff accounts and the audit log.
const AUDIT_VERSION: u32 = 8;

fn checksum(sql: &str) -> String {
    // FNV-1a: enough to notice that a released migration was edited.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in sql.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

pub(crate) fn now_stamp() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

impl Db {
    /// Opens (creating if needed) the database at `path` and migrates it to the latest version.
    pub fn open(path: &Path) -> Result<Db> {
        Self::open_at_version(path, latest_version())
    }

    /// Opens and migrates only up to `target`; used by the migration tests to build a
    /// database as an older release left it.
    pub fn open_at_version(path: &Path, target: u32) -> Result<Db> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    CoreError::new(ErrorCode::Io, format!("フォルダ {} を作成できません: {e}", dir.display()))
                })?;
            }
        }
        let conn = Connection::open(path).map_err(|e| {
            CoreError::new(ErrorCode::Io, format!("データベース {} を開けません: {e}", path.display()))
        })?;
        let mut db = Db::new(conn, path.to_path_buf());
        db.configure()?;
        db.migrate(target)?;
        db.audited = db.schema_version()? >= AUDIT_VERSION;
        Ok(db)
    }

    /// An in-memory database, for unit tests.
    pub fn open_in_memory() -> Result<Db> {
        let conn = Connection::open_in_memory()?;
        let mut db = Db::new(conn, PathBuf::from(":memory:"));
        db.configure()?;
        db.migrate(latest_version())?;
        db.audited = true;
        Ok(db)
    }

    fn new(conn: Connection, path: PathBuf) -> Db {
        Db { conn, path, search: Default::default(), session: None, staff: String::new(), audited: false }
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        self.conn.set_prepared_statement_cache_capacity(64);
        // Reading the first page here turns "file is not a database" into a clear error early.
        let mode: String = self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if mode != "wal" && mode != "memory" {
            return Err(CoreError::new(ErrorCode::Database, format!("WALモードにできません（{mode}）")));
        }
        // A 64 MB page cache keeps the indexes of 100,000 members in memory during bulk writes;
        // reads of up to 1 GB go through a memory map, so the reports' scans of a million order
        // lines are not copied page by page out of the system's file cache.
        self.conn.execute_batch(
            "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 1073741824;",
        )?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version this file is at.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self.conn.query_row("SELECT coalesce(max(version), 0) FROM schema_migrations", [], |r| r.get(0))?)
    }

    fn migrate(&mut self, target: u32) -> Result<()> {
        self.conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL,
                checksum TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;",
        )?;
        let applied: Vec<(u32, String)> = {
            let mut st = self.conn.prepare("SELECT version, checksum FROM schema_migrations ORDER BY version")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        for (version, sum) in &applied {
            let Some(m) = MIGRATIONS.get(*version as usize - 1) else {
                return Err(CoreError::new(
                    ErrorCode::Incompatible,
                    format!(
                        "このデータベースは新しい版のTeikibinで更新されています（スキーマ {version}、この版は {}まで）。Teikibinを更新してください。",
                        latest_version()
                    ),
                ));
            };
            if &checksum(m.sql) != sum {
                return Err(CoreError::new(
                    ErrorCode::Incompatible,
                    format!("スキーマ変更 {version}（{}）の内容が記録と一致しません。", m.name),
                ));
            }
        }
        let from = applied.last().map(|a| a.0).unwrap_or(0);
        // SQLite's way to rebuild a table (to widen a CHECK): foreign keys off around the
        // transaction, then prove the result consistent before committing.
        self.conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        let result = (|| -> Result<()> {
            for m in MIGRATIONS.iter().filter(|m| m.version > from && m.version <= target) {
                let tx = self.conn.transaction()?;
                tx.execute_batch(m.sql)?;
                let broken: Option<String> = tx
                    .query_row("SELECT \"table\" || ' → ' || parent FROM pragma_foreign_key_check LIMIT 1", [], |r| r.get(0))
                    .optional()?;
                if let Some(b) = broken {
                    return Err(CoreError::new(
                        ErrorCode::Database,
                        format!("スキーマ変更 {}（{}）で参照の不整合が見つかりました（{b}）。変更は取り消しました。", m.version, m.name),
                    ));
                }
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![m.version, m.name, checksum(m.sql), now_stamp()],
                )?;
                tx.commit()?;
            }
            Ok(())
        })();
        self.conn.execute_batch("PRAGMA foreign_keys = ON")?;
        result
    }

    /// Runs `f` in one transaction: everything or nothing is written. Refused, before anything
    /// is written, when staff accounts exist and no session may write (`access.rs`).
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        self.write_with(None, None, f)
    }

    /// `write` for an operation that carries its staff name: the audit log names them, unless
    /// a logged-in session names someone (then the session is who did it).
    pub(crate) fn write_as<T>(&mut self, staff: impl AsRef<str>, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        self.write_with(Some(staff.as_ref()), None, f)
    }

    /// `write` for a bulk load of reference or made-up data (the postal directory, the demo
    /// shop): one audit row for the whole load (`table`, the rows written, `what`) instead of one
    /// per row, which would double the file for data nobody typed.
    pub(crate) fn write_bulk<T>(&mut self, table: &str, what: &str, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        self.write_with(None, Some((table, what)), f)
    }

    fn write_with<T>(&mut self, staff: Option<&str>, bulk: Option<(&str, &str)>, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if !self.audited {
            let out = f(&tx)?;
            tx.commit()?;
            return Ok(out);
        }
        // Checked inside the transaction, so an account disabled or demoted by another window
        // a moment ago counts now.
        let who = match &self.session {
            _ if !access::accounts_exist(&tx)? => None,
            None => return Err(access::forbidden("ログインしてください。スタッフアカウントがあるときは、ログインしないと変更できません")),
            Some(s) => match access::active_role(&tx, &s.name)? {
                None => return Err(access::forbidden(format!("アカウント「{}」は無効です", s.name))),
                Some(crate::access::Role::Readonly) => {
                    return Err(access::forbidden(format!("「{}」は閲覧のみのアカウントです。変更はできません", s.name)))
                }
                Some(_) => Some(s.name.clone()),
            },
        };
        let name = who.unwrap_or_else(|| {
            let own = crate::normalize::tidy(staff.unwrap_or(""));
            if own.is_empty() { self.staff.clone() } else { own }
        });
        access::begin(&tx, &name, &now_stamp(), bulk.is_some())?;
        let changes_before = if bulk.is_some() { access::total_changes(&tx)? } else { 0 };
        let out = f(&tx)?;
        if let Some((table, what)) = bulk {
            let rows = access::total_changes(&tx)? - changes_before;
            access::bulk_row(&tx, table, &serde_json::json!({ "内容": what, "行数": rows }))?;
        }
        access::end(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// `PRAGMA integrity_check` (full) or `quick_check`; returns the problems, empty when sound.
    pub fn check_integrity(&self, quick: bool) -> Result<Vec<String>> {
        let sql = if quick { "PRAGMA quick_check" } else { "PRAGMA integrity_check" };
        let mut st = self.conn.prepare(sql)?;
        let rows: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
        Ok(rows.into_iter().filter(|r| r != "ok").collect())
    }

    /// Changes each time another connection commits; lets caches notice outside writes.
    pub(crate) fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    pub(crate) fn optional<T>(r: rusqlite::Result<T>) -> Result<Option<T>> {
        Ok(r.optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1);
        }
    }

    #[test]
    fn opens_with_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("a/b/shop.db")).unwrap();
        let mode: String = db.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = db.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        assert_eq!(db.schema_version().unwrap(), latest_version());
        assert!(db.check_integrity(false).unwrap().is_empty());
    }

    #[test]
    fn refuses_a_newer_schema_and_an_edited_migration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.db");
        drop(Db::open(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        c.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x', 'now')", []).unwrap();
        drop(c);
        let e = Db::open(&path).err().unwrap();
        assert_eq!(e.code, ErrorCode::Incompatible);
        let c = Connection::open(&path).unwrap();
        c.execute("DELETE FROM schema_migrations WHERE version = 999", []).unwrap();
        c.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1", []).unwrap();
        drop(c);
        assert_eq!(Db::open(&path).err().unwrap().code, ErrorCode::Incompatible);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "これはデータベースではありません。".repeat(200)).unwrap();
        let e = Db::open(&path).err().unwrap();
        assert_eq!(e.code, ErrorCode::Incompatible, "{e:?}");
    }
}
