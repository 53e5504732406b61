//! The SQL side of backups: SQLite's online backup API (a consistent copy while the app keeps
//! reading and writing — in WAL mode a reader never blocks the writer), the integrity checks,
//! reading a file's schema version, and restoring a file into the open connection.
use super::{checksum, Db, MIGRATIONS};
use crate::error::{CoreError, ErrorCode, Result};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::Path;

/// Opens a file for checking or copying, without migrating it (a backup must stay as it was
/// made, and a damaged live file must not be written to before it is looked at).
pub(crate) fn open_plain(path: &Path, read_only: bool) -> Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI
    };
    let c = Connection::open_with_flags(path, flags)
        .map_err(|e| CoreError::new(ErrorCode::Io, format!("{} を開けません: {e}", path.display())))?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(c)
}

/// Copies the database at `source` into a new file `dest` with the online backup API, from a
/// connection of its own, so the window's connection stays free. The copy is left in rollback
/// journal mode: a single file that opens read-only anywhere (a WAL copy would need its -shm).
pub(crate) fn copy_database(source: &Path, dest: &Path) -> Result<()> {
    let src = open_plain(source, false)?;
    let mut dst = Connection::open(dest)
        .map_err(|e| CoreError::new(ErrorCode::Io, format!("バックアップ先 {} に書き込めません: {e}", dest.display())))?;
    {
        let b = Backup::new(&src, &mut dst)?;
        // All pages in one step: a read transaction on the source for the duration, which WAL
        // lets writers ignore; stepping in pieces would restart whenever another connection writes.
        loop {
            match b.step(-1)? {
                StepResult::Done => break,
                // More, Busy, Locked (the enum is non-exhaustive): wait a moment and go on.
                _ => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        }
    }
    let _: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    drop(dst);
    Ok(())
}

/// `PRAGMA integrity_check` (or `quick_check`) of a connection; the problems, empty when sound.
pub(crate) fn integrity(c: &Connection, quick: bool) -> Result<Vec<String>> {
    let sql = if quick { "PRAGMA quick_check" } else { "PRAGMA integrity_check" };
    let mut st = c.prepare(sql)?;
    let rows: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}

/// `PRAGMA foreign_key_check`: each row pointing at a missing parent, as "table の行 N → parent".
pub(crate) fn foreign_keys(c: &Connection) -> Result<Vec<String>> {
    let mut st = c.prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check LIMIT 100")?;
    let rows = st.query_map([], |r| {
        let table: String = r.get(0)?;
        let rowid: Option<i64> = r.get(1)?;
        let parent: String = r.get(2)?;
        Ok(format!("{table} の行 {} が参照する {parent} がありません", rowid.map(|v| v.to_string()).unwrap_or_else(|| "?".into())))
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// What a file says about its schema: `Ok(None)` when it has no `schema_migrations` (not a
/// Teikibin database), else the applied versions with their checksums.
pub(crate) fn schema_of(c: &Connection) -> Result<Option<Vec<(u32, String)>>> {
    let has: Option<i64> = c
        .query_row("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'", [], |r| r.get(0))
        .optional()?;
    if has.is_none() {
        return Ok(None);
    }
    let mut st = c.prepare("SELECT version, checksum FROM schema_migrations ORDER BY version")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(Some(rows.collect::<std::result::Result<_, _>>()?))
}

/// Refuses a schema this build cannot run: newer than it knows, or a migration whose text differs.
pub(crate) fn check_schema(applied: &[(u32, String)], file_label: &str) -> Result<u32> {
    for (version, sum) in applied {
        let Some(m) = MIGRATIONS.get((*version as usize).wrapping_sub(1)) else {
            return Err(CoreError::new(
                ErrorCode::Incompatible,
                format!(
                    "{file_label} は新しい版のTeikibinで作られています（スキーマ {version}、この版は {}まで）。Teikibinを更新してから復元してください。",
                    MIGRATIONS.len()
                ),
            ));
        };
        if &checksum(m.sql) != sum {
            return Err(CoreError::new(
                ErrorCode::Incompatible,
                format!("{file_label} のスキーマ変更 {version}（{}）がこの版と一致しません。復元できません。", m.name),
            ));
        }
    }
    Ok(applied.last().map(|a| a.0).unwrap_or(0))
}

/// The shop settings JSON of a file, read without migrating it (to find the backup folder of a
/// damaged database). None when it cannot be read.
pub(crate) fn settings_json_of(c: &Connection) -> Option<String> {
    c.query_row("SELECT value FROM settings WHERE key = 'shop'", [], |r| r.get(0)).ok()
}

impl Db {
    /// Replaces the whole content of the open database with the file at `source` (a verified,
    /// decrypted copy) through the backup API, then brings its schema up to date. Other
    /// connections see the restored data at their next read.
    pub(crate) fn restore_from_file(&mut self, source: &Path) -> Result<()> {
        let src = open_plain(source, true)?;
        {
            let b = Backup::new(&src, &mut self.conn)?;
            let mut tries = 0;
            loop {
                match b.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    // Another connection (the CLI) is writing: wait for it, but not for ever.
                    _ => {
                        tries += 1;
                        if tries > 100 {
                            return Err(CoreError::new(
                                ErrorCode::Locked,
                                "データベースが他の処理で使用中のため復元できませんでした。しばらくしてからもう一度お試しください。",
                            ));
                        }
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                }
            }
        }
        // The copy came over in rollback-journal mode; the shop's file stays in WAL.
        self.configure()?;
        self.migrate(super::latest_version())?;
        // The search index follows this connection's writes entry by entry and other
        // connections' by data_version; a restore is neither, so forget it.
        self.search_reset();
        Ok(())
    }

    /// `foreign_key_check` on the open database (the CLI's `db check`).
    pub fn check_foreign_keys(&self) -> Result<Vec<String>> {
        foreign_keys(&self.conn)
    }
}
