//! What the window holds: the open database (with its single-instance lock), or why none is open.
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use teikibin_core::members::MemberStatus;
use teikibin_core::paths::{self, InstanceLock};
use teikibin_core::{CoreError, Db, ErrorCode, Result};
use ts_rs::TS;

/// Which file to open, and why.
#[derive(Debug, Clone)]
pub enum DbChoice {
    Given(PathBuf),
    Remembered(PathBuf),
    Default,
}

impl DbChoice {
    /// `--db PATH` on the command line, else `TEIKIBIN_DB`, else the file opened last, else the default.
    pub fn from_args(mut args: impl Iterator<Item = String>) -> DbChoice {
        while let Some(a) = args.next() {
            if a == "--db" {
                if let Some(p) = args.next() {
                    return DbChoice::Given(p.into());
                }
            } else if let Some(p) = a.strip_prefix("--db=") {
                return DbChoice::Given(p.into());
            }
        }
        if let Some(p) = paths::db_from_env() {
            return DbChoice::Given(p);
        }
        match remembered() {
            Some(p) => DbChoice::Remembered(p),
            None => DbChoice::Default,
        }
    }
}

#[derive(serde::Deserialize, Serialize, Default)]
struct AppConfig {
    database: Option<PathBuf>,
}

fn remembered() -> Option<PathBuf> {
    let text = std::fs::read_to_string(paths::app_config_path().ok()?).ok()?;
    serde_json::from_str::<AppConfig>(&text).ok()?.database
}

fn remember(path: &std::path::Path) {
    // Best effort: failing to remember only means the default opens next time.
    if let Ok(cfg) = paths::app_config_path() {
        if let Some(dir) = cfg.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let json = serde_json::to_string_pretty(&AppConfig { database: Some(path.to_path_buf()) }).unwrap_or_default();
        let _ = std::fs::write(cfg, json);
    }
}

pub struct Session {
    pub db: Db,
    _lock: InstanceLock,
    first_start: bool,
}

/// The state of the window's database, for the start screen.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppStatus {
    pub version: String,
    /// The database in use, or the one that could not be opened.
    pub db_path: String,
    pub open: bool,
    /// Why the database could not be opened.
    pub error: Option<CoreError>,
    /// A new, empty database: the first-start screen offers an empty start or demo data.
    pub first_start: bool,
    pub schema_version: u32,
    #[ts(type = "number")]
    pub active: u64,
    #[ts(type = "number")]
    pub suspended: u64,
    #[ts(type = "number")]
    pub withdrawn: u64,
    /// Addresses in the imported postal directory (0: none imported yet).
    pub postal_addresses: u32,
    /// The database failed its integrity check at start (`quick_check`): the window shows the
    /// damaged screen with `backups` (newest first) to restore from, instead of opening it.
    pub damaged: bool,
    pub backups: Vec<teikibin_core::backup::BackupInfo>,
    /// Why today's automatic backup failed, if it did (shown in 設定 → バックアップ).
    pub backup_warning: Option<String>,
}

pub struct AppState {
    session: Arc<Mutex<Option<Session>>>,
    last: Mutex<(PathBuf, Option<CoreError>)>,
    /// The running import's progress, read by the window's progress bar without waiting for the
    /// database (which the import holds).
    progress: Mutex<Option<teikibin_core::import::ImportProgress>>,
    /// The same for a running monthly run.
    pub month_progress: Mutex<Option<teikibin_core::month::MonthProgress>>,
    /// The same for a billing run or a batch of documents or labels.
    pub paper_progress: Mutex<Option<teikibin_core::invoices::PaperProgress>>,
    /// The PDF last shown in the preview, kept so "save" writes exactly what was seen.
    pub last_pdf: Mutex<Option<Vec<u8>>>,
    /// The damaged database found at start and its backups (see `AppStatus::damaged`).
    damaged: Mutex<Option<Vec<teikibin_core::backup::BackupInfo>>>,
    backup_warning: Arc<Mutex<Option<String>>>,
}

/// Why a database was not opened: damaged (its backups offered) or another reason.
enum OpenFailure {
    Damaged(CoreError, Vec<teikibin_core::backup::BackupInfo>),
    Other(CoreError),
}

impl From<CoreError> for OpenFailure {
    fn from(e: CoreError) -> Self {
        OpenFailure::Other(e)
    }
}

/// The damage `quick_check` finds in the file at `path`, with its backups to offer.
fn damage(path: &std::path::Path) -> Option<(CoreError, Vec<teikibin_core::backup::BackupInfo>)> {
    let problems = teikibin_core::backup::quick_check_file(path);
    if problems.is_empty() {
        return None;
    }
    let folder = teikibin_core::backup::settings_of_file(path).folder_for(path);
    let backups = teikibin_core::backup::list(&folder).unwrap_or_default();
    let e = CoreError::new(
        ErrorCode::Incompatible,
        format!("データベースが壊れています（整合性検査: {}）。下のバックアップから復元してください。", problems.first().cloned().unwrap_or_default()),
    );
    Some((e, backups))
}

fn open_session(path: &std::path::Path) -> std::result::Result<Session, OpenFailure> {
    let lock = InstanceLock::acquire(path)?;
    let existed = path.exists();
    // Checked before the usual open, which would migrate (write into) a damaged file.
    if existed {
        if let Some((e, backups)) = damage(path) {
            return Err(OpenFailure::Damaged(e, backups));
        }
    }
    let db = Db::open(path)?;
    let empty = db.member_counts()?.iter().all(|(_, n)| *n == 0);
    let first_start = (!existed || empty) && !db.shop_settings_saved()?;
    Ok(Session { db, _lock: lock, first_start })
}

impl AppState {
    pub fn start(choice: DbChoice) -> AppState {
        let path = match &choice {
            DbChoice::Given(p) | DbChoice::Remembered(p) => Ok(p.clone()),
            DbChoice::Default => paths::default_db_path(),
        };
        let state = AppState { session: Arc::new(Mutex::new(None)), last: Mutex::new((PathBuf::new(), None)), progress: Mutex::new(None), month_progress: Mutex::new(None), paper_progress: Mutex::new(None), last_pdf: Mutex::new(None), damaged: Mutex::new(None), backup_warning: Arc::new(Mutex::new(None)) };
        match path {
            Ok(p) => {
                let _ = state.open(&p, false);
            }
            Err(e) => *state.last.lock().unwrap() = (PathBuf::new(), Some(e)),
        }
        state
    }

    /// Opens (or creates) another database and makes it the one in use. The previous one stays
    /// open if the new one cannot be opened.
    pub fn open(&self, path: &std::path::Path, remember_it: bool) -> Result<()> {
        // Choosing the file that is already open changes nothing (and must not trip our own lock).
        let same = |a: &std::path::Path, b: &std::path::Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        };
        if let Some(s) = self.session.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            if same(s.db.path(), path) {
                return Ok(());
            }
        }
        match open_session(path) {
            Ok(s) => {
                self.daily_backup_in_background(&s.db);
                *self.damaged.lock().unwrap_or_else(|p| p.into_inner()) = None;
                *self.session.lock().unwrap_or_else(|p| p.into_inner()) = Some(s);
                self.warm_search_in_background();
                *self.last.lock().unwrap() = (path.to_path_buf(), None);
                if remember_it {
                    remember(path);
                }
                Ok(())
            }
            Err(failure) => {
                let (e, backups) = match failure {
                    OpenFailure::Damaged(e, b) => (e, Some(b)),
                    OpenFailure::Other(e) => (e, None),
                };
                // Never hold both locks at once (status() takes them one after the other).
                let none_open = self.session.lock().unwrap_or_else(|p| p.into_inner()).is_none();
                if none_open {
                    *self.last.lock().unwrap() = (path.to_path_buf(), Some(e.clone()));
                    *self.damaged.lock().unwrap_or_else(|p| p.into_inner()) = backups;
                }
                Err(e)
            }
        }
    }

    /// Today's automatic backup, on a thread and a connection of its own, so the window opens
    /// and works meanwhile (the online backup API copies while others read and write).
    fn daily_backup_in_background(&self, db: &Db) {
        let (Ok(Some(folder)), Ok(settings)) = (db.backup_folder(), db.backup_settings()) else { return };
        let source = db.path().to_path_buf();
        let warning = Arc::clone(&self.backup_warning);
        std::thread::spawn(move || {
            let result = teikibin_core::backup::daily_due(&folder).and_then(|due| {
                if due {
                    teikibin_core::backup::create(&source, &folder, &settings, teikibin_core::backup::BackupReason::Daily)?;
                }
                Ok(())
            });
            *warning.lock().unwrap_or_else(|p| p.into_inner()) = result.err().map(|e| format!("毎日の自動バックアップに失敗しました: {}", e.message));
        });
    }

    /// Restores `file` over the damaged database found at start (it is kept in the backup
    /// folder first), then opens the result.
    pub fn restore_damaged(&self, file: &std::path::Path) -> Result<()> {
        let path = self.last.lock().unwrap_or_else(|p| p.into_inner()).0.clone();
        if self.damaged.lock().unwrap_or_else(|p| p.into_inner()).is_none() {
            return Err(CoreError::new(ErrorCode::Validation, "壊れたデータベースはありません。復元は 設定 → バックアップ から行ってください。"));
        }
        // Nobody else may have the file open while it is replaced.
        let lock = InstanceLock::acquire(&path)?;
        teikibin_core::backup::restore_over(&path, file, None)?;
        drop(lock);
        self.open(&path, false)
    }

    /// Loads the search index on another thread while WebKit starts the window (≈0.3 s for
    /// 100,000 members); the first command simply waits for the lock if it comes earlier.
    fn warm_search_in_background(&self) {
        let session = Arc::clone(&self.session);
        std::thread::spawn(move || {
            if let Some(s) = session.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
                // A failure here only means the first search builds the index itself.
                let _ = s.db.warm_search();
            }
        });
    }

    /// Runs `f` on the open database.
    pub fn with_db<T>(&self, f: impl FnOnce(&mut Db) -> Result<T>) -> Result<T> {
        let mut guard = self.session.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut() {
            Some(s) => f(&mut s.db),
            None => Err(CoreError::new(ErrorCode::NotFound, "データベースが開かれていません")),
        }
    }

    pub fn set_progress(&self, p: Option<teikibin_core::import::ImportProgress>) {
        *self.progress.lock().unwrap_or_else(|p| p.into_inner()) = p;
    }

    pub fn progress(&self) -> Option<teikibin_core::import::ImportProgress> {
        *self.progress.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn finish_first_start(&self) {
        if let Some(s) = self.session.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
            s.first_start = false;
        }
    }

    pub fn status(&self) -> Result<AppStatus> {
        let last = self.last.lock().unwrap().clone();
        let guard = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let mut st = AppStatus {
            version: env!("CARGO_PKG_VERSION").into(),
            db_path: last.0.display().to_string(),
            open: false,
            error: last.1,
            first_start: false,
            schema_version: 0,
            active: 0,
            suspended: 0,
            withdrawn: 0,
            postal_addresses: 0,
            damaged: false,
            backups: Vec::new(),
            backup_warning: self.backup_warning.lock().unwrap_or_else(|p| p.into_inner()).clone(),
        };
        if let Some(b) = self.damaged.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            st.damaged = true;
            st.backups = b.clone();
        }
        if let Some(s) = guard.as_ref() {
            st.open = true;
            st.error = None;
            st.db_path = s.db.path().display().to_string();
            st.first_start = s.first_start;
            st.schema_version = s.db.schema_version()?;
            st.postal_addresses = s.db.postal_directory_size()?;
            for (status, n) in s.db.member_counts()? {
                match status {
                    MemberStatus::Active => st.active = n,
                    MemberStatus::Suspended => st.suspended = n,
                    MemberStatus::Withdrawn => st.withdrawn = n,
                }
            }
        }
        Ok(st)
    }
}
