//! `backup create|list|verify|restore` and `db check`. These work on the database *file*: a
//! damaged database must still be checked, listed against its backups and restored, so they
//! are dispatched before the usual open (which would migrate it).
use crate::{out, Output};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use teikibin_core::backup::{self, BackupCheck, BackupInfo, BackupReason, RestoreReport};
use teikibin_core::{CoreError, Db};

#[derive(Subcommand)]
pub(crate) enum BackupCommand {
    /// 今すぐバックアップする（検査済みのコピーをバックアップ先フォルダへ。-o でファイルを指定）
    Create {
        /// 保存先のファイル（省略時: 設定のバックアップ先フォルダに日時つきの名前で。ローテーションの対象）
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// バックアップ先フォルダのバックアップ一覧（新しい順）
    List,
    /// バックアップファイルを検査する（壊れていれば終了コード 1）
    Verify {
        file: PathBuf,
        /// 暗号化されたバックアップのパスフレーズ（省略時: TEIKIBIN_BACKUP_PASSPHRASE、なければ設定の値）
        #[arg(long, value_name = "TEXT")]
        passphrase: Option<String>,
    },
    /// バックアップから復元する（先に今の状態をバックアップしてから）
    Restore {
        file: PathBuf,
        #[arg(long, value_name = "TEXT")]
        passphrase: Option<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum DbCommand {
    /// データベースを完全に検査する（integrity_check と foreign_key_check。壊れていれば終了コード 1）
    Check,
}

fn passphrase(given: &Option<String>) -> Option<String> {
    given.clone().or_else(|| std::env::var("TEIKIBIN_BACKUP_PASSPHRASE").ok()).filter(|p| !p.is_empty())
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
    } else {
        format!("{:.0} KB", (bytes as f64 / 1024.0).ceil())
    }
}

pub(crate) fn info_line(b: &BackupInfo) -> String {
    let flags = [(!b.verified).then_some("未検査"), b.encrypted.then_some("暗号化")].into_iter().flatten().collect::<Vec<_>>().join("・");
    let flags = if flags.is_empty() { String::new() } else { format!("\t{flags}") };
    format!("{}\t{}\t{}\t{}{flags}", b.created_at, b.reason_label, size(b.bytes), b.path)
}

pub(crate) fn backup(path: &Path, cmd: &BackupCommand, sign_in: &mut dyn FnMut(&mut Db) -> Result<(), CoreError>) -> Result<Output, CoreError> {
    Ok(match cmd {
        BackupCommand::Create { output } => {
            let mut db = Db::open(path)?;
            sign_in(&mut db)?;
            let b = match output {
                Some(target) => db.backup_to(target)?,
                None => db
                    .backup_now(BackupReason::Manual)?
                    .ok_or_else(|| CoreError::new(teikibin_core::ErrorCode::Validation, "メモリ上のデータベースはバックアップできません"))?,
            };
            let text = format!("バックアップを作成し、検査しました（{}）: {}", size(b.bytes), b.path);
            out(&b, text)
        }
        BackupCommand::List => {
            let folder = backup::settings_of_file(path).folder_for(path);
            let list = backup::list(&folder)?;
            let mut text: Vec<String> = list.iter().map(info_line).collect();
            text.push(format!("{}件（{}）", list.len(), folder.display()));
            out(&list, text.join("\n"))
        }
        BackupCommand::Verify { file, passphrase: given } => {
            let pass = passphrase(given).or_else(|| Some(backup::settings_of_file(path).passphrase).filter(|p| !p.is_empty()));
            let c: BackupCheck = backup::verify(file, pass.as_deref())?;
            let text = if c.ok {
                format!("問題はありません（スキーマ {}{}、{}）: {}", c.schema_version, if c.encrypted { "、暗号化" } else { "" }, size(c.bytes), c.path)
            } else {
                format!("このバックアップは使えません: {}\n  {}", c.path, c.problems.join("\n  "))
            };
            let mut o = out(&c, text);
            o.failed = !c.ok;
            o
        }
        BackupCommand::Restore { file, passphrase: given } => {
            let pass = passphrase(given);
            // A sound database is restored while open (the window may keep running), by an admin
            // when accounts exist; one that does not open or fails quick_check is replaced as a
            // file, after keeping a copy (its accounts cannot be asked).
            let sound = match Db::open(path) {
                Ok(db) => db.check_integrity(true).map(|p| p.is_empty()).unwrap_or(false).then_some(db),
                Err(_) => None,
            };
            let r: RestoreReport = match sound {
                Some(mut db) => {
                    sign_in(&mut db)?;
                    db.backup_restore(file, pass.as_deref())?
                }
                None => backup::restore_over(path, file, pass.as_deref())?,
            };
            let mut text = format!("{} から復元しました（スキーマ {} → {}）", r.restored, r.schema_from, r.schema_to);
            if let Some(s) = &r.safety {
                text += &format!("\n復元前の状態は {} に保存してあります", s.path);
            }
            out(&r, text)
        }
    })
}

pub(crate) fn db(path: &Path, cmd: &DbCommand) -> Result<Output, CoreError> {
    match cmd {
        DbCommand::Check => {
            let c = backup::check_database(path);
            let mut text = c.message.clone();
            for p in c.integrity.iter().chain(&c.foreign_keys).take(20) {
                text += &format!("\n  {p}");
            }
            let mut o = out(&c, text);
            o.failed = !c.ok;
            Ok(o)
        }
    }
}
