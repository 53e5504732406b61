//! Where the shop's database lives, and the lock that keeps a second window off it.
use crate::error::{CoreError, ErrorCode, Result};
use std::fs::File;
use std::path::{Path, PathBuf};

fn dirs() -> Result<directories::ProjectDirs> {
    directories::ProjectDirs::from("jp", "Teikibin", "Teikibin")
        .ok_or_else(|| CoreError::new(ErrorCode::Io, "ユーザーのデータフォルダが見つかりません"))
}

/// The default database: `teikibin.db` in the per-user local data folder
/// (Linux `~/.local/share/teikibin`, Windows `%LOCALAPPDATA%\Teikibin\Teikibin\data`).
pub fn default_db_path() -> Result<PathBuf> {
    Ok(dirs()?.data_local_dir().join("teikibin.db"))
}

/// A database named by the `TEIKIBIN_DB` environment variable, if set (app and CLI alike).
pub fn db_from_env() -> Option<PathBuf> {
    std::env::var_os("TEIKIBIN_DB").filter(|p| !p.is_empty()).map(PathBuf::from)
}

/// The small per-user file that remembers which database the app opened last.
pub fn app_config_path() -> Result<PathBuf> {
    Ok(dirs()?.config_local_dir().join("teikibin.json"))
}

/// Held while a desktop window has a database open. A second window on the same file gets a
/// clear message instead of two editors racing on one register. The CLI does not take it:
/// short batch writes are safe under SQLite's own locking (WAL, busy timeout).
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    path: PathBuf,
}

impl InstanceLock {
    pub fn acquire(db_path: &Path) -> Result<InstanceLock> {
        let mut name = db_path.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = File::options().create(true).truncate(false).write(true).open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(InstanceLock { _file: file, path }),
            Err(std::fs::TryLockError::WouldBlock) => Err(CoreError::new(
                ErrorCode::Locked,
                format!(
                    "このデータベース（{}）は別のTeikibinの画面で開かれています。先に開いている画面を使うか、閉じてからもう一度開いてください。",
                    db_path.display()
                ),
            )),
            Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("shop.db");
        let first = InstanceLock::acquire(&db).unwrap();
        assert_eq!(InstanceLock::acquire(&db).unwrap_err().code, ErrorCode::Locked);
        drop(first);
        InstanceLock::acquire(&db).unwrap();
    }
}
