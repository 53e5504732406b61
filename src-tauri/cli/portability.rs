//! Data portability on the command line: `export all` (every table as CSV in one zip),
//! `members export-data` (開示請求) and `members erase` (削除請求・匿名化).
use crate::{out, Output};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use teikibin_core::{CoreError, Db};

#[derive(Subcommand)]
pub(crate) enum ExportCommand {
    /// すべての表をCSV（UTF-8・BOM付き）にして1つのZIPに書き出す（請求書PDFは別ファイル）
    All {
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

pub(crate) fn export(db: &mut Db, cmd: &ExportCommand) -> Result<Output, CoreError> {
    match cmd {
        ExportCommand::All { output } => {
            let r = db.export_all(output)?;
            let mut text = vec![format!(
                "{} に書き出しました（表 {}、{}行、ファイル {}件、{} KB、{} ms）",
                r.path,
                r.tables.len(),
                r.rows,
                r.files,
                r.bytes.div_ceil(1024),
                r.millis
            )];
            text.extend(r.tables.iter().map(|t| format!("  {}\t{}行", t.table, t.rows)));
            Ok(out(&r, text.join("\n")))
        }
    }
}

pub(crate) fn export_data(db: &mut Db, code: &str, output: &Path) -> Result<Output, CoreError> {
    let r = db.export_member_data(code, output)?;
    let mut text = vec![format!("会員 {} のデータを {} に書き出しました", r.member, r.path)];
    text.extend(r.tables.iter().map(|t| format!("  {}\t{}件", t.table, t.rows)));
    Ok(out(&r, text.join("\n")))
}

pub(crate) fn erase(db: &mut Db, code: &str, reason: &str, staff: &str) -> Result<Output, CoreError> {
    let r = db.erase_member(code, reason, staff)?;
    let mut text = vec![format!("会員 {} の個人情報を匿名化しました（{}、退会）", r.member, r.name)];
    text.extend(r.anonymised.iter().map(|a| format!("  消去: {a}")));
    text.extend(r.kept.iter().map(|k| format!("  保存: {k}")));
    Ok(out(&r, text.join("\n")))
}
