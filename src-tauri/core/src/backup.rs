//! バックアップ・復元: copies of the shop's database in a folder the shop chooses (a USB stick or
//! a NAS share), made while the app keeps working (SQLite's online backup API, see
//! `store/backup.rs`), each one checked with `PRAGMA integrity_check` before it gets its final
//! name, so a file with our name is a verified copy. Names carry the date-time and the reason;
//! rotation keeps 7 daily, 4 weekly and 12 monthly copies plus the last safety copies, never the
//! newest verified one, and never touches a file whose name is not ours.
//!
//! Optional encryption with a passphrase (Argon2id + ChaCha20-Poly1305 from RustCrypto, see
//! `crypt.rs`), so a copy on a lost USB stick or a shared NAS is unreadable. The passphrase is
//! kept in the shop's settings on the PC: the threat is the copy that leaves the office, not the
//! office PC.
use crate::clock;
use crate::error::{CoreError, ErrorCode, Result};
use crate::store::backup as sql;
use crate::store::Db;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

mod crypt;
#[cfg(test)]
mod tests;

/// Every backup file of ours starts with this; nothing else in the folder is ever touched.
pub const FILE_PREFIX: &str = "teikibin-backup_";

/// Why a backup was made (part of its file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BackupReason {
    /// Once a day, at the first start of the day.
    Daily,
    /// 今すぐバックアップ, or `teikibin-cli backup create`.
    Manual,
    BeforeImport,
    BeforeMonthRun,
    BeforeBankImport,
    BeforeRestore,
}

impl BackupReason {
    const ALL: [BackupReason; 6] = [
        BackupReason::Daily,
        BackupReason::Manual,
        BackupReason::BeforeImport,
        BackupReason::BeforeMonthRun,
        BackupReason::BeforeBankImport,
        BackupReason::BeforeRestore,
    ];

    /// The reason as it appears in the file name.
    pub fn slug(self) -> &'static str {
        match self {
            BackupReason::Daily => "daily",
            BackupReason::Manual => "manual",
            BackupReason::BeforeImport => "before-import",
            BackupReason::BeforeMonthRun => "before-month-run",
            BackupReason::BeforeBankImport => "before-bank-import",
            BackupReason::BeforeRestore => "before-restore",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BackupReason::Daily => "毎日",
            BackupReason::Manual => "手動",
            BackupReason::BeforeImport => "データ取込の前",
            BackupReason::BeforeMonthRun => "月次処理の前",
            BackupReason::BeforeBankImport => "入金明細取込の前",
            BackupReason::BeforeRestore => "復元の前",
        }
    }

    /// Safety copies (made before an operation) rotate by count; daily and manual ones by date.
    pub fn is_safety(self) -> bool {
        !matches!(self, BackupReason::Daily | BackupReason::Manual)
    }
}

/// Where backups go and how many are kept. Part of the shop settings (`ShopSettings.backup`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct BackupSettings {
    /// The backup folder; empty: a `backups` folder beside the database file.
    pub folder: String,
    /// Encrypt backups with `passphrase` (Argon2id + ChaCha20-Poly1305).
    pub encrypt: bool,
    /// Kept in the settings on this PC; protects the copies that leave it (USB stick, NAS).
    pub passphrase: String,
    pub keep_daily: u32,
    pub keep_weekly: u32,
    pub keep_monthly: u32,
    /// How many of the safety copies (before an import, monthly run, bank import or restore).
    pub keep_safety: u32,
    /// When the safety copy before an import, monthly run or bank import fails, the operation
    /// stops (default). Off: it goes on without one.
    pub required: bool,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings {
            folder: String::new(),
            encrypt: false,
            passphrase: String::new(),
            keep_daily: 7,
            keep_weekly: 4,
            keep_monthly: 12,
            keep_safety: 10,
            required: true,
        }
    }
}

impl BackupSettings {
    /// The folder for the database at `db_path`.
    pub fn folder_for(&self, db_path: &Path) -> PathBuf {
        let f = self.folder.trim();
        if !f.is_empty() {
            return PathBuf::from(f);
        }
        db_path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("backups")
    }

    /// The checks `ShopSettings::validated` runs on this part.
    pub(crate) fn check(&mut self, p: &mut crate::error::Problems) {
        self.folder = self.folder.trim().to_string();
        if self.encrypt && self.passphrase.chars().count() < 8 {
            p.add("backup.passphrase", "暗号化するときは、8文字以上のパスフレーズを入れてください");
        }
        if self.keep_daily == 0 && self.keep_weekly == 0 && self.keep_monthly == 0 {
            p.add("backup.keep_daily", "毎日・毎週・毎月のどれかは1つ以上残すようにしてください");
        }
        if [self.keep_daily, self.keep_weekly, self.keep_monthly, self.keep_safety].iter().any(|n| *n > 1000) {
            p.add("backup.keep_daily", "残す数は1000までで指定してください");
        }
    }

    fn passphrase(&self) -> Option<&str> {
        (!self.passphrase.is_empty()).then_some(self.passphrase.as_str())
    }
}

/// One backup file in the folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    /// Full path (what `backup_restore` takes).
    pub path: String,
    pub name: String,
    /// When it was made, `YYYY-MM-DD HH:MM:SS`.
    pub created_at: String,
    pub reason: BackupReason,
    pub reason_label: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Passed `integrity_check` when made. The one kind that has not: the copy of a damaged
    /// database kept before a restore.
    pub verified: bool,
    pub encrypted: bool,
}

/// What checking a backup file found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackupCheck {
    pub path: String,
    pub ok: bool,
    pub encrypted: bool,
    /// The schema version inside (0 when unreadable).
    pub schema_version: u32,
    #[ts(type = "number")]
    pub bytes: u64,
    /// What `integrity_check` (and the schema check) reported; empty when sound.
    pub problems: Vec<String>,
}

/// The backup section of 設定: where backups go and what is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackupOverview {
    /// The folder in use (the setting, or the default beside the database).
    pub folder: String,
    /// The default folder (shown when the setting is empty).
    pub default_folder: String,
    pub backups: Vec<BackupInfo>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RestoreReport {
    /// The file restored.
    pub restored: String,
    /// The copy of the state before the restore (None for an in-memory database).
    pub safety: Option<BackupInfo>,
    /// The schema of the backup, and the schema after migrating it.
    pub schema_from: u32,
    pub schema_to: u32,
}

/// What `db check` found: full `integrity_check` and `foreign_key_check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DbCheck {
    pub path: String,
    pub ok: bool,
    pub integrity: Vec<String>,
    pub foreign_keys: Vec<String>,
    /// One sentence for people: what is wrong and what to do.
    pub message: String,
}

fn now() -> NaiveDateTime {
    // The date from `clock` (tests and support can pretend a day), the time from the wall clock.
    clock::today().and_time(chrono::Local::now().time())
}

fn file_name(at: NaiveDateTime, seq: u32, reason: BackupReason, verified: bool, encrypted: bool) -> String {
    let seq = if seq > 1 { format!("-{seq}") } else { String::new() };
    let flag = if verified { "" } else { "_unverified" };
    let ext = if encrypted { ".db.enc" } else { ".db" };
    format!("{FILE_PREFIX}{}{seq}_{}{flag}{ext}", at.format("%Y%m%d-%H%M%S"), reason.slug())
}

/// Reads one of our names: (made at, reason, verified, encrypted). Anything else is not ours.
pub fn parse_name(name: &str) -> Option<(NaiveDateTime, BackupReason, bool, bool)> {
    let rest = name.strip_prefix(FILE_PREFIX)?;
    let (rest, encrypted) = match rest.strip_suffix(".db.enc") {
        Some(r) => (r, true),
        None => (rest.strip_suffix(".db")?, false),
    };
    let (rest, verified) = match rest.strip_suffix("_unverified") {
        Some(r) => (r, false),
        None => (rest, true),
    };
    let (stamp, slug) = rest.split_once('_')?;
    let reason = BackupReason::ALL.into_iter().find(|r| r.slug() == slug)?;
    let (stamp, seq) = match stamp.get(15..) {
        Some("") | None => (stamp, None),
        Some(s) => (&stamp[..15], Some(s.strip_prefix('-')?)),
    };
    if seq.is_some_and(|s| s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let at = NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?;
    Some((at, reason, verified, encrypted))
}

fn io(what: String) -> impl FnOnce(std::io::Error) -> CoreError {
    move |e| CoreError::new(ErrorCode::Io, format!("{what}: {e}"))
}

fn info_of(path: &Path) -> Option<BackupInfo> {
    let name = path.file_name()?.to_str()?.to_string();
    let (at, reason, verified, encrypted) = parse_name(&name)?;
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    Some(BackupInfo {
        path: path.display().to_string(),
        name,
        created_at: at.format("%Y-%m-%d %H:%M:%S").to_string(),
        reason,
        reason_label: reason.label().into(),
        bytes: meta.len(),
        verified,
        encrypted,
    })
}

/// The backups in `folder`, newest first (an absent folder has none).
pub fn list(folder: &Path) -> Result<Vec<BackupInfo>> {
    let entries = match std::fs::read_dir(folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(format!("バックアップ先フォルダ {} を読めません", folder.display()))(e)),
    };
    let mut out: Vec<BackupInfo> = entries.filter_map(|e| e.ok()).filter_map(|e| info_of(&e.path())).collect();
    // Newest first by (time, sequence number): the names alone would put "-10" before "-2".
    out.sort_by_key(|b| std::cmp::Reverse((b.created_at.clone(), seq_of(&b.name))));
    Ok(out)
}

fn seq_of(name: &str) -> u32 {
    name.strip_prefix(FILE_PREFIX)
        .and_then(|r| r.get(15..))
        .and_then(|r| r.strip_prefix('-'))
        .and_then(|r| r.split('_').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// A temporary file beside `near` that is removed when dropped (the plain copy before
/// encryption, a decrypted copy being checked).
struct TempFile(PathBuf);

impl TempFile {
    fn beside(near: &Path, tag: &str) -> TempFile {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = near.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        TempFile(dir.join(format!(".teikibin-{tag}-{}-{n}.tmp", std::process::id())))
    }
    fn in_temp_dir(tag: &str) -> TempFile {
        TempFile::beside(&std::env::temp_dir().join("x"), tag)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

/// Checks a plain (decrypted) SQLite file: integrity, a Teikibin schema this build can run.
fn check_plain(plain: &Path) -> Result<(Vec<String>, u32)> {
    check_plain_as(plain, false)
}

/// `quick`: SQLite's quick_check (pages and records, not index contents; a fifth of the time).
fn check_plain_as(plain: &Path, quick: bool) -> Result<(Vec<String>, u32)> {
    let c = sql::open_plain(plain, true)?;
    let mut problems = match sql::integrity(&c, quick) {
        Ok(p) => p,
        Err(e) => vec![e.message],
    };
    let mut version = 0;
    match sql::schema_of(&c) {
        Ok(Some(applied)) => match sql::check_schema(&applied, "このバックアップ") {
            Ok(v) => version = v,
            Err(e) => {
                version = applied.last().map(|a| a.0).unwrap_or(0);
                problems.push(e.message)
            }
        },
        Ok(None) => problems.push("Teikibinのデータベースではありません".into()),
        Err(e) => problems.push(e.message),
    }
    Ok((problems, version))
}

/// Makes a verified backup of the database at `source` in `folder`, then rotates the folder.
/// Works from a connection of its own, so the app (or another thread) keeps using the database.
pub fn create(source: &Path, folder: &Path, settings: &BackupSettings, reason: BackupReason) -> Result<BackupInfo> {
    let info = create_unrotated(source, folder, settings, reason)?;
    // A failed rotation leaves more copies than wanted, never fewer: not worth failing the backup.
    let _ = rotate(folder, settings);
    Ok(info)
}

/// `create` without the rotation: before a restore, rotating could remove the very copy about to
/// be restored (the oldest safety copy); the restore rotates when it is done.
fn create_unrotated(source: &Path, folder: &Path, settings: &BackupSettings, reason: BackupReason) -> Result<BackupInfo> {
    std::fs::create_dir_all(folder).map_err(io(format!(
        "バックアップ先フォルダ {} を作れません（USBメモリやNASがつながっているか確認してください）",
        folder.display()
    )))?;
    let at = now();
    // Copies made within one second, whatever their reason, are numbered in the order they were
    // made: the list (and so the rotation, which keeps the newest safety copies) can tell which
    // is newer.
    let stamp = at.format("%Y%m%d-%H%M%S").to_string();
    let same_second = list(folder)?.iter().filter(|b| b.name.strip_prefix(FILE_PREFIX).is_some_and(|r| r.starts_with(&stamp))).map(|b| seq_of(&b.name)).max();
    let mut seq = same_second.map_or(1, |s| s + 1);
    let final_path = loop {
        let p = folder.join(file_name(at, seq, reason, true, settings.encrypt));
        if !p.exists() {
            break p;
        }
        seq += 1;
    };
    // The copies made before an import, a monthly run or a bank import are checked with
    // quick_check: they stand in front of work the staff is waiting for, and one is checked in
    // full anyway before it is ever restored. Every other copy gets the full integrity_check.
    let quick = matches!(reason, BackupReason::BeforeImport | BackupReason::BeforeMonthRun | BackupReason::BeforeBankImport);
    write_verified(source, &final_path, settings, quick)
}

/// Writes a verified copy of `source` to `target` (any name: `backup create -o FILE`).
pub fn create_at(source: &Path, target: &Path, settings: &BackupSettings) -> Result<BackupInfo> {
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(format!("フォルダ {} を作れません", dir.display())))?;
    }
    let mut info = write_verified(source, target, settings, false)?;
    if parse_name(&info.name).is_none() {
        info.created_at = now().format("%Y-%m-%d %H:%M:%S").to_string();
    }
    Ok(info)
}

fn write_verified(source: &Path, target: &Path, settings: &BackupSettings, quick: bool) -> Result<BackupInfo> {
    let part = TempFile::beside(target, "backup-part");
    if settings.encrypt {
        let pass = settings.passphrase().ok_or_else(|| {
            CoreError::field("backup.passphrase", "バックアップを暗号化する設定ですが、パスフレーズがありません。設定で入れてください")
        })?;
        // The plain copy stays beside the database, on the office PC; only the encrypted file
        // goes to the stick or the share.
        let plain = TempFile::beside(source, "backup-plain");
        sql::copy_database(source, &plain.0)?;
        verify_fresh(&plain.0, quick)?;
        crypt::encrypt(&plain.0, &part.0, pass)?;
        // Read back what landed on the stick: it must decrypt to the very bytes checked.
        if !crypt::same_content(&part.0, &plain.0, pass)? {
            return Err(CoreError::new(ErrorCode::Io, "暗号化したバックアップを読み返すと内容が一致しません。バックアップ先を確認してください"));
        }
    } else {
        sql::copy_database(source, &part.0)?;
        verify_fresh(&part.0, quick)?;
    }
    std::fs::rename(&part.0, target).map_err(io(format!("バックアップ {} を保存できません", target.display())))?;
    let meta = std::fs::metadata(target)?;
    let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let (created_at, reason) = match parse_name(&name) {
        Some((at, r, _, _)) => (at.format("%Y-%m-%d %H:%M:%S").to_string(), r),
        None => (String::new(), BackupReason::Manual),
    };
    Ok(BackupInfo {
        path: target.display().to_string(),
        name,
        created_at,
        reason,
        reason_label: reason.label().into(),
        bytes: meta.len(),
        verified: true,
        encrypted: settings.encrypt,
    })
}

fn verify_fresh(plain: &Path, quick: bool) -> Result<()> {
    let (problems, _) = check_plain_as(plain, quick)?;
    if !problems.is_empty() {
        return Err(CoreError::new(
            ErrorCode::Database,
            format!("バックアップの検査で問題が見つかったため、保存しませんでした（元のデータベースが壊れている可能性があります。「db check」で確認してください）: {}", problems.join(" / ")),
        ));
    }
    Ok(())
}

/// Decrypts `file` when it is encrypted; the plain file to read (the temp file, if any, goes
/// when the guard drops).
fn plain_of(file: &Path, passphrase: Option<&str>) -> Result<(PathBuf, Option<TempFile>, bool)> {
    if !file.is_file() {
        return Err(CoreError::not_found(format!("バックアップ {} が見つかりません", file.display())));
    }
    if !crypt::is_encrypted(file)? {
        return Ok((file.to_path_buf(), None, false));
    }
    let pass = passphrase.ok_or_else(|| {
        CoreError::field("backup.passphrase", "このバックアップは暗号化されています。設定にパスフレーズを入れてください（CLIでは --passphrase）")
    })?;
    let tmp = TempFile::in_temp_dir("restore-plain");
    crypt::decrypt(file, &tmp.0, pass)?;
    Ok((tmp.0.clone(), Some(tmp), true))
}

/// Checks a backup file (decrypting it first when encrypted): `integrity_check` and whether
/// this build can open its schema. A damaged file is `ok: false`; a wrong passphrase an error.
pub fn verify(file: &Path, passphrase: Option<&str>) -> Result<BackupCheck> {
    let (plain, _guard, encrypted) = plain_of(file, passphrase)?;
    let bytes = std::fs::metadata(file)?.len();
    let (problems, schema_version) = match check_plain(&plain) {
        Ok(r) => r,
        Err(e) => (vec![e.message], 0),
    };
    Ok(BackupCheck { path: file.display().to_string(), ok: problems.is_empty(), encrypted, schema_version, bytes, problems })
}

/// The refusal for a backup that did not pass the check.
fn refuse(check: &BackupCheck) -> CoreError {
    let first = check.problems.first().cloned().unwrap_or_default();
    if first.contains("新しい版のTeikibin") || first.contains("一致しません") {
        return CoreError::new(ErrorCode::Incompatible, first);
    }
    CoreError::new(
        ErrorCode::Incompatible,
        format!("このバックアップは壊れているため復元できません（{}）。別のバックアップを選んでください。", check.problems.join(" / ")),
    )
}

/// Rotation: which of `list` (newest first) to remove. Kept: the newest verified copy; the
/// newest daily/manual copy of each of the last `keep_daily` days, `keep_weekly` ISO weeks and
/// `keep_monthly` months that have one; the newest `keep_safety` safety copies.
pub fn rotation_victims(list: &[BackupInfo], s: &BackupSettings) -> Vec<usize> {
    let mut keep = vec![false; list.len()];
    if let Some(i) = list.iter().position(|b| b.verified) {
        keep[i] = true;
    }
    let date_of = |b: &BackupInfo| NaiveDate::parse_from_str(b.created_at.get(..10).unwrap_or(""), "%Y-%m-%d").ok();
    let mut days: Vec<NaiveDate> = Vec::new();
    let mut weeks: Vec<(i32, u32)> = Vec::new();
    let mut months: Vec<(i32, u32)> = Vec::new();
    let mut safety = 0;
    for (i, b) in list.iter().enumerate() {
        if b.reason.is_safety() || !b.verified {
            if safety < s.keep_safety {
                keep[i] = true;
                safety += 1;
            }
            continue;
        }
        let Some(d) = date_of(b) else { continue };
        let week = (d.iso_week().year(), d.iso_week().week());
        let month = (d.year(), d.month());
        if !days.contains(&d) && days.len() < s.keep_daily as usize {
            days.push(d);
            keep[i] = true;
        }
        if !weeks.contains(&week) && weeks.len() < s.keep_weekly as usize {
            weeks.push(week);
            keep[i] = true;
        }
        if !months.contains(&month) && months.len() < s.keep_monthly as usize {
            months.push(month);
            keep[i] = true;
        }
    }
    keep.iter().enumerate().filter(|(_, k)| !**k).map(|(i, _)| i).collect()
}

/// Removes the copies rotation does not keep; returns their names.
pub fn rotate(folder: &Path, s: &BackupSettings) -> Result<Vec<String>> {
    let list = list(folder)?;
    let mut removed = Vec::new();
    for i in rotation_victims(&list, s) {
        let b = &list[i];
        // Only files we can read our name from are in the list; remove exactly those.
        std::fs::remove_file(&b.path).map_err(io(format!("古いバックアップ {} を削除できません", b.name)))?;
        removed.push(b.name.clone());
    }
    Ok(removed)
}

/// Whether today's daily copy is still to be made.
pub fn daily_due(folder: &Path) -> Result<bool> {
    let today = clock::today().format("%Y-%m-%d").to_string();
    Ok(!list(folder)?.iter().any(|b| b.reason == BackupReason::Daily && b.verified && b.created_at.starts_with(&today)))
}

/// The copy of the current state before a restore. A sound database gets a verified backup;
/// a damaged one is copied page by page as it is (marked unverified), so nothing is lost.
fn safety_copy(db_path: &Path, folder: &Path, s: &BackupSettings, damaged: bool) -> Result<BackupInfo> {
    if !damaged {
        return create_unrotated(db_path, folder, s, BackupReason::BeforeRestore).map_err(|e| {
            CoreError::new(e.code, format!("復元の前に今の状態をバックアップできなかったため、復元を中止しました: {}", e.message))
        });
    }
    std::fs::create_dir_all(folder).map_err(io(format!("バックアップ先フォルダ {} を作れません", folder.display())))?;
    // Damaged copies are never encrypted: they are for repair by someone who knows SQLite.
    let target = folder.join(file_name(now(), 1, BackupReason::BeforeRestore, false, false));
    let part = TempFile::beside(&target, "backup-part");
    if sql::copy_database(db_path, &part.0).is_err() {
        // The header itself is unreadable: keep the bytes as they are.
        std::fs::copy(db_path, &part.0).map_err(io(format!("壊れたデータベース {} を退避できません", db_path.display())))?;
    }
    std::fs::rename(&part.0, &target).map_err(io(format!("{} を保存できません", target.display())))?;
    info_of(&target).ok_or_else(|| CoreError::new(ErrorCode::Io, format!("{} を保存できません", target.display())))
}

/// The backup settings of a database that may be damaged, read without opening it the usual
/// way (defaults when they cannot be read).
pub fn settings_of_file(db_path: &Path) -> BackupSettings {
    let read = || -> Option<BackupSettings> {
        let c = sql::open_plain(db_path, true).ok()?;
        let json = sql::settings_json_of(&c)?;
        let v: serde_json::Value = serde_json::from_str(&json).ok()?;
        serde_json::from_value(v.get("backup")?.clone()).ok()
    };
    read().unwrap_or_default()
}

/// `db check`: full `integrity_check` and `foreign_key_check` of the file at `db_path`, opened
/// without migrating (a damaged file is looked at, not written).
pub fn check_database(db_path: &Path) -> DbCheck {
    let path = db_path.display().to_string();
    let damaged = |message: String, integrity: Vec<String>| DbCheck { path: path.clone(), ok: false, integrity, foreign_keys: Vec::new(), message };
    if !db_path.is_file() {
        return damaged(format!("データベース {} が見つかりません", db_path.display()), Vec::new());
    }
    let c = match sql::open_plain(db_path, true) {
        Ok(c) => c,
        Err(e) => return damaged(format!("データベースを開けません（壊れている可能性があります）: {}", e.message), vec![e.message]),
    };
    let integrity = match sql::integrity(&c, false) {
        Ok(p) => p,
        Err(e) => vec![e.message],
    };
    let foreign_keys = if integrity.is_empty() { sql::foreign_keys(&c).unwrap_or_else(|e| vec![e.message]) } else { Vec::new() };
    let ok = integrity.is_empty() && foreign_keys.is_empty();
    let message = if ok {
        "データベースに問題はありません。".to_string()
    } else if !integrity.is_empty() {
        format!(
            "データベースが壊れています（整合性検査で{}件の問題: {}）。最新の正常なバックアップから復元してください（teikibin-cli backup list / backup restore FILE）。",
            integrity.len(),
            integrity.first().cloned().unwrap_or_default()
        )
    } else {
        format!(
            "データベースの参照に不整合があります（{}件: {}）。最新の正常なバックアップから復元するか、サポートにご連絡ください。",
            foreign_keys.len(),
            foreign_keys.first().cloned().unwrap_or_default()
        )
    };
    DbCheck { path, ok, integrity, foreign_keys, message }
}

/// `quick_check` of the SQLite file at `path` at the app's start, opened without migrating;
/// the problems, empty when sound. A file that is not SQLite at all is not "damaged" (opening
/// it reports that), so it is never offered to be overwritten by a restore.
pub fn quick_check_file(path: &Path) -> Vec<String> {
    let mut head = [0u8; 16];
    let is_sqlite = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .map(|_| &head == b"SQLite format 3\0")
        .unwrap_or(false);
    if !is_sqlite {
        return Vec::new();
    }
    match sql::open_plain(path, true).and_then(|c| sql::integrity(&c, true)) {
        Ok(p) => p,
        Err(e) => vec![e.message],
    }
}

/// Restores `file` over a database that cannot be opened the usual way (damaged at start): the
/// damaged file is kept in the backup folder first, then replaced by the verified copy.
/// Nothing may have the database open.
pub fn restore_over(db_path: &Path, file: &Path, passphrase: Option<&str>) -> Result<RestoreReport> {
    let settings = settings_of_file(db_path);
    let pass = passphrase.or(settings.passphrase());
    let (plain, _guard, _) = plain_of(file, pass)?;
    let (problems, schema_from) = check_plain(&plain)?;
    let check = BackupCheck { path: file.display().to_string(), ok: problems.is_empty(), encrypted: false, schema_version: schema_from, bytes: 0, problems };
    if !check.ok {
        return Err(refuse(&check));
    }
    let folder = settings.folder_for(db_path);
    let safety = if db_path.exists() { Some(safety_copy(db_path, &folder, &settings, true)?) } else { None };
    let next = TempFile::beside(db_path, "restoring");
    std::fs::copy(&plain, &next.0).map_err(io(format!("{} を書き込めません", next.0.display())))?;
    for suffix in ["-wal", "-shm"] {
        let mut p = db_path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    std::fs::rename(&next.0, db_path).map_err(io(format!("データベース {} を置き換えられません", db_path.display())))?;
    let mut db = Db::open(db_path)?;
    keep_backup_settings(&mut db, &settings)?;
    Ok(RestoreReport { restored: file.display().to_string(), safety, schema_from, schema_to: db.schema_version()? })
}

/// After a restore the backup folder and passphrase stay what the shop set now, not what the
/// old copy remembered (the copy may predate the USB stick).
fn keep_backup_settings(db: &mut Db, current: &BackupSettings) -> Result<()> {
    let mut s = db.shop_settings()?;
    if &s.backup != current {
        s.backup = current.clone();
        db.put_shop_settings_unchecked(&s)?;
    }
    Ok(())
}

impl Db {
    pub fn backup_settings(&self) -> Result<BackupSettings> {
        Ok(self.shop_settings()?.backup)
    }

    /// The backup folder of this database; None for an in-memory one (nothing to back up).
    pub fn backup_folder(&self) -> Result<Option<PathBuf>> {
        if self.is_in_memory() {
            return Ok(None);
        }
        Ok(Some(self.backup_settings()?.folder_for(self.path())))
    }

    fn is_in_memory(&self) -> bool {
        self.path().as_os_str() == ":memory:" || self.path().as_os_str().is_empty()
    }

    /// Makes a verified backup now (None for an in-memory database).
    pub fn backup_now(&mut self, reason: BackupReason) -> Result<Option<BackupInfo>> {
        let Some(folder) = self.backup_folder()? else { return Ok(None) };
        create(self.path(), &folder, &self.backup_settings()?, reason).map(Some)
    }

    /// Writes a verified backup to `target` (outside rotation).
    pub fn backup_to(&mut self, target: &Path) -> Result<BackupInfo> {
        if self.is_in_memory() {
            return Err(CoreError::new(ErrorCode::Validation, "メモリ上のデータベースはバックアップできません"));
        }
        create_at(self.path(), target, &self.backup_settings()?)
    }

    pub fn backup_overview(&self) -> Result<BackupOverview> {
        let default = BackupSettings::default();
        let (folder, default_folder) = match self.backup_folder()? {
            Some(f) => (f.display().to_string(), default.folder_for(self.path()).display().to_string()),
            None => (String::new(), String::new()),
        };
        Ok(BackupOverview { folder, default_folder, backups: self.backup_list()? })
    }

    /// The backups in this database's folder, newest first.
    pub fn backup_list(&self) -> Result<Vec<BackupInfo>> {
        match self.backup_folder()? {
            Some(f) => list(&f),
            None => Ok(Vec::new()),
        }
    }

    /// The daily copy, when none was made today. Called at the app's start.
    pub fn backup_daily(&mut self) -> Result<Option<BackupInfo>> {
        let Some(folder) = self.backup_folder()? else { return Ok(None) };
        if !daily_due(&folder)? {
            return Ok(None);
        }
        self.backup_now(BackupReason::Daily)
    }

    /// The safety copy before an operation that writes a lot (`what`: its name in the message).
    /// On failure the operation stops, unless the shop turned `required` off.
    pub(crate) fn backup_before(&mut self, reason: BackupReason, what: &str) -> Result<()> {
        let required = self.backup_settings().map(|s| s.required).unwrap_or(true);
        match self.backup_now(reason) {
            Ok(_) => Ok(()),
            Err(_) if !required => Ok(()),
            Err(e) => Err(CoreError::new(
                e.code,
                format!(
                    "{what}の前のバックアップを作れなかったため、{what}を中止しました（何も変更していません）。{}（設定 → バックアップで、失敗しても続ける設定にもできます）",
                    e.message
                ),
            )),
        }
    }

    /// Verifies a backup file with this shop's passphrase.
    pub fn backup_verify(&self, file: &Path) -> Result<BackupCheck> {
        let s = self.backup_settings()?;
        verify(file, s.passphrase())
    }

    /// Restores `file` into this database while it stays open: the file is checked first
    /// (damaged or from a newer Teikibin: refused), the current state is backed up, then the
    /// content is replaced and migrated. The backup settings stay as they are now.
    pub fn backup_restore(&mut self, file: &Path, passphrase: Option<&str>) -> Result<RestoreReport> {
        self.require_admin()?;
        let settings = self.backup_settings()?;
        let pass = passphrase.or(settings.passphrase());
        let (plain, _guard, encrypted) = plain_of(file, pass)?;
        let (problems, schema_from) = check_plain(&plain)?;
        let check = BackupCheck { path: file.display().to_string(), ok: problems.is_empty(), encrypted, schema_version: schema_from, bytes: 0, problems };
        if !check.ok {
            return Err(refuse(&check));
        }
        let safety = match self.backup_folder()? {
            Some(folder) => {
                let damaged = !self.check_integrity(true).map(|p| p.is_empty()).unwrap_or(false);
                Some(safety_copy(self.path(), &folder, &settings, damaged)?)
            }
            None => None,
        };
        self.restore_from_file(&plain)?;
        keep_backup_settings(self, &settings)?;
        if let Some(folder) = self.backup_folder()? {
            let _ = rotate(&folder, &settings);
        }
        Ok(RestoreReport { restored: file.display().to_string(), safety, schema_from, schema_to: self.schema_version()? })
    }
}
