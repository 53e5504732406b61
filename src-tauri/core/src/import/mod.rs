//! Bringing a shop's old data in: members, products, running subscriptions, order and payment
//! history and open receivables, from the CSV files Excel and old packages leave.
//!
//! One pipeline for every kind: read the bytes (`textfile`: CP932 or UTF-8), cut them into rows
//! numbered as Excel shows them (`table`), map columns to fields by meaning (`headers`), check
//! every row and say what is wrong with it in Japanese (the per-kind modules, with `values` for
//! legacy dates, phones and amounts), then write all of it in one transaction as a batch that can
//! be undone while nothing depends on it. A preview is the same run without the write.
pub mod headers;
mod ledgers;
mod members;
mod products;
pub mod table;
pub mod values;

use crate::error::{CoreError, ErrorCode, Result};
use crate::store::{imports as sql, now_stamp, Db};
use crate::textfile::{self, Encoding};
pub use headers::ImportKind;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use ts_rs::TS;

/// What the user chose for one import.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ImportOptions {
    /// Import the valid rows and report the rest (default: all or nothing).
    pub skip_invalid: bool,
    /// A code that already exists updates that record (members, products); otherwise an error.
    pub update_existing: bool,
    /// Import a file that was imported before (its hash matches a batch that was not undone).
    pub allow_same_file: bool,
    /// The field of each column, in file order (`null`: not imported). Absent: recognised from
    /// the headers and the shop's last confirmed mapping.
    pub mapping: Option<Vec<Option<String>>>,
    pub staff: String,
}

/// One problem with one row: the Excel row number, the field key, the column as the file names
/// it, and what is wrong in Japanese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportIssue {
    pub line: u32,
    pub field: String,
    pub column: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportField {
    pub key: String,
    pub label: String,
    pub required: bool,
}

/// A few rows as they will be stored, for the preview table.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SampleRow {
    pub line: u32,
    pub cells: Vec<String>,
}

/// What an import would do, without doing it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    pub kind: ImportKind,
    pub file_name: String,
    /// 「UTF-8」「UTF-8（BOM付き）」「Shift_JIS（CP932）」
    pub encoding: String,
    pub headers: Vec<String>,
    /// The field of each column (`null`: not imported).
    pub mapping: Vec<Option<String>>,
    pub fields: Vec<ImportField>,
    /// Labels of required fields no column is mapped to; nothing can be imported until fixed.
    pub missing: Vec<String>,
    /// Data rows in the file (blank lines not counted).
    pub rows: u32,
    pub new: u32,
    pub updates: u32,
    pub rejected: u32,
    pub errors: Vec<ImportIssue>,
    pub warnings: Vec<ImportIssue>,
    pub sample_columns: Vec<String>,
    pub sample: Vec<SampleRow>,
    /// Set when this very file was imported before and not undone.
    pub same_file: Option<ImportBatch>,
}

/// The outcome of an import; also the CLI's `import --json` object (keep the keys).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub kind: ImportKind,
    pub dry_run: bool,
    /// Rows added (for a dry run: that would be added).
    pub imported: u32,
    pub updated: u32,
    /// Rows not imported because of errors (with `skip_invalid`; otherwise nothing was written).
    pub skipped: u32,
    pub errors: Vec<ImportIssue>,
    pub warnings: Vec<ImportIssue>,
    /// Likely the same person under two codes, at least one of them from this file.
    pub duplicates: Vec<[String; 2]>,
    pub batch: Option<String>,
}

impl ImportReport {
    /// Whether the import was refused as a whole (errors, no `skip_invalid`): nothing written.
    pub fn refused(&self) -> bool {
        !self.dry_run && self.batch.is_none() && !self.errors.is_empty()
    }
}

/// An import as it is kept: file, hash, time, counts, who, and whether it was undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportBatch {
    pub id: String,
    pub kind: ImportKind,
    pub file_name: String,
    pub file_hash: String,
    pub encoding: String,
    pub imported_at: String,
    pub staff: String,
    pub imported: u32,
    pub updated: u32,
    pub skipped: u32,
    pub warnings: u32,
    pub undone_at: Option<String>,
    pub undone_by: String,
}

/// Progress of a long import, for the progress bar.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    /// "check" while rows are read and checked, "write" while they are stored.
    pub phase: &'static str,
    pub done: u32,
    pub total: u32,
}

/// A file to import: its name for messages and the batch record, and its bytes.
pub struct Source {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl Source {
    pub fn read(path: &Path) -> Result<Source> {
        let file_name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| path.display().to_string());
        let bytes = std::fs::read(path).map_err(|e| CoreError::new(ErrorCode::Io, format!("{file_name} を読めません: {e}")))?;
        Ok(Source { file_name, bytes })
    }
    fn hash(&self) -> String {
        sha2::Sha256::digest(&self.bytes).iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn encoding_label(bytes: &[u8], e: Encoding) -> &'static str {
    match e {
        Encoding::Cp932 => "Shift_JIS（CP932）",
        Encoding::Utf8 if bytes.starts_with(b"\xEF\xBB\xBF") => "UTF-8（BOM付き）",
        Encoding::Utf8 => "UTF-8",
    }
}

/// The table with its columns mapped to fields: what the per-kind checks read from.
pub(crate) struct Sheet {
    pub table: table::Table,
    pub kind: ImportKind,
    mapping: Vec<Option<String>>,
    col_of: HashMap<&'static str, usize>,
}

impl Sheet {
    /// The cell of `key` in `row`, "" when the field is not mapped.
    pub fn get<'a>(&self, row: &'a table::Row, key: &str) -> &'a str {
        match self.col_of.get(key) {
            Some(&i) => row.cells.get(i).map(String::as_str).unwrap_or(""),
            None => "",
        }
    }
    pub fn has(&self, key: &str) -> bool {
        self.col_of.contains_key(key)
    }
    /// The column header that holds `key`, or the field's label when it is not mapped.
    pub fn column(&self, key: &str) -> String {
        match self.col_of.get(key) {
            Some(&i) => self.table.headers[i].clone(),
            None => headers::field(self.kind, key).map(|f| f.label.to_string()).unwrap_or_else(|| key.to_string()),
        }
    }
}

/// Errors and warnings per row, and which rows are rejected.
#[derive(Default)]
pub(crate) struct Issues {
    pub errors: Vec<ImportIssue>,
    pub warnings: Vec<ImportIssue>,
    pub rejected: BTreeSet<u32>,
}

impl Issues {
    pub fn error(&mut self, sheet: &Sheet, line: u32, field: &str, message: impl Into<String>) {
        self.rejected.insert(line);
        self.errors.push(ImportIssue { line, field: field.into(), column: sheet.column(field), message: message.into() });
    }
    pub fn warn(&mut self, sheet: &Sheet, line: u32, field: &str, message: impl Into<String>) {
        self.warnings.push(ImportIssue { line, field: field.into(), column: sheet.column(field), message: message.into() });
    }
    pub fn is_rejected(&self, line: u32) -> bool {
        self.rejected.contains(&line)
    }
}

/// What the checks of one kind produced: the rows ready to write, and what the preview shows.
pub(crate) struct Plan {
    pub records: Records,
    pub new: u32,
    pub updates: u32,
    pub sample_columns: Vec<&'static str>,
    pub sample: Vec<SampleRow>,
}

pub(crate) enum Records {
    Members(Vec<members::Record>),
    Products(Vec<products::Record>),
    Ledger(ledgers::Records),
}

/// The number of rows the preview shows as they will be stored.
pub(crate) const SAMPLE_ROWS: usize = 20;

const MAPPING_KEY: &str = "import_mapping.";

struct Checked {
    sheet: Sheet,
    encoding: String,
    hash: String,
    plan: Option<Plan>,
    missing: Vec<String>,
    issues: Issues,
}

impl Db {
    /// The shop's last confirmed mapping for `kind`: header text → field (or `None`: skipped).
    fn remembered_mapping(&self, kind: ImportKind) -> Result<HashMap<String, Option<String>>> {
        Ok(self
            .setting_json(&format!("{MAPPING_KEY}{}", kind.as_str()))?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default())
    }

    fn check_import(
        &self,
        kind: ImportKind,
        source: &Source,
        opts: &ImportOptions,
        keep_records: bool,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<Checked> {
        let (text, enc) = textfile::decode(&source.bytes, &source.file_name)?;
        let table = table::read(&text, &source.file_name)?;
        drop(text);
        let mapping = match &opts.mapping {
            Some(m) => {
                if m.len() != table.headers.len() {
                    return Err(CoreError::field(
                        "mapping",
                        format!("列の対応づけが{}列分ありますが、{} の見出しは{}列です", m.len(), source.file_name, table.headers.len()),
                    ));
                }
                m.clone()
            }
            None => headers::guess_mapping(kind, &table.headers, &self.remembered_mapping(kind)?),
        };
        let mut col_of = HashMap::new();
        for (i, key) in mapping.iter().enumerate() {
            let Some(key) = key else { continue };
            let Some(spec) = headers::field(kind, key) else {
                return Err(CoreError::field("mapping", format!("「{}」列の取込先「{key}」は{}の項目にありません", table.headers[i], kind.label())));
            };
            if col_of.insert(spec.key, i).is_some() {
                return Err(CoreError::field("mapping", format!("「{}」が2つの列に割り当てられています", spec.label)));
            }
        }
        let missing: Vec<String> = headers::fields(kind)
            .iter()
            .filter(|f| f.required && !col_of.contains_key(f.key))
            .filter(|f| !(kind == ImportKind::Members && f.key == "name" && col_of.contains_key("company")))
            .map(|f| f.label.to_string())
            .collect();
        let sheet = Sheet { table, kind, mapping, col_of };
        let mut issues = Issues::default();
        for r in &sheet.table.ragged {
            issues.rejected.insert(r.row);
            issues.errors.push(ImportIssue { line: r.row, field: String::new(), column: String::new(), message: r.reason.clone() });
        }
        let total = sheet.table.rows.len() as u32;
        progress(ImportProgress { phase: "check", done: 0, total });
        let plan = if missing.is_empty() {
            Some(match kind {
                ImportKind::Members => members::check(self, &sheet, opts, &mut issues, keep_records)?,
                ImportKind::Products => products::check(self, &sheet, opts, &mut issues)?,
                _ => ledgers::check(self, &sheet, opts, &mut issues)?,
            })
        } else {
            None
        };
        progress(ImportProgress { phase: "check", done: total, total });
        issues.errors.sort_by_key(|i| i.line);
        issues.warnings.sort_by_key(|i| i.line);
        Ok(Checked {
            encoding: encoding_label(&source.bytes, enc).to_string(),
            hash: source.hash(),
            sheet,
            plan,
            missing,
            issues,
        })
    }

    /// Reads and checks `source` as `kind` and tells what importing it would do. Writes nothing.
    pub fn preview_import(&self, kind: ImportKind, source: &Source, opts: &ImportOptions) -> Result<ImportPreview> {
        let c = self.check_import(kind, source, opts, false, &mut |_| {})?;
        let same_file = sql::batch_by_hash(&self.conn, &c.hash)?;
        let (new, updates, sample_columns, sample) = match c.plan {
            Some(p) => (p.new, p.updates, p.sample_columns.iter().map(|k| c.sheet.column(k)).collect(), p.sample),
            None => (0, 0, Vec::new(), Vec::new()),
        };
        Ok(ImportPreview {
            kind,
            file_name: source.file_name.clone(),
            encoding: c.encoding,
            headers: c.sheet.table.headers.clone(),
            mapping: c.sheet.mapping.clone(),
            fields: headers::fields(kind)
                .iter()
                .map(|f| ImportField { key: f.key.into(), label: f.label.into(), required: f.required })
                .collect(),
            missing: c.missing,
            rows: c.sheet.table.rows.len() as u32 + c.sheet.table.ragged.len() as u32,
            new,
            updates,
            rejected: c.issues.rejected.len() as u32,
            errors: c.issues.errors,
            warnings: c.issues.warnings,
            sample_columns,
            sample,
            same_file,
        })
    }

    /// Imports `source` as `kind`: all rows in one transaction, or nothing when any row has an
    /// error (unless `skip_invalid`). `dry_run` checks and counts without writing.
    pub fn import(
        &mut self,
        kind: ImportKind,
        source: &Source,
        opts: &ImportOptions,
        dry_run: bool,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        let c = self.check_import(kind, source, opts, !dry_run, progress)?;
        // A header and nothing under it is a file cut short or the wrong sheet; importing it
        // would only record an empty batch. (A preview still shows its columns.)
        if c.sheet.table.rows.is_empty() && c.sheet.table.ragged.is_empty() {
            return Err(CoreError::new(
                ErrorCode::Validation,
                format!("{}: 見出し行だけで、データの行がありません。ファイルが途中で切れていないか、別のシートを保存していないか確かめてください", source.file_name),
            ));
        }
        if !c.missing.is_empty() {
            return Err(CoreError::field(
                "mapping",
                format!("{} に必須の項目（{}）の列がありません。列の対応づけを指定してください", source.file_name, c.missing.join("、")),
            ));
        }
        let plan = c.plan.expect("checked with all required fields");
        let skipped = c.issues.rejected.len() as u32;
        let mut report = ImportReport {
            kind,
            dry_run,
            imported: plan.new,
            updated: plan.updates,
            skipped,
            errors: c.issues.errors,
            warnings: c.issues.warnings,
            duplicates: Vec::new(),
            batch: None,
        };
        if dry_run {
            return Ok(report);
        }
        if skipped > 0 && !opts.skip_invalid {
            report.imported = 0;
            report.updated = 0;
            return Ok(report);
        }
        if !opts.allow_same_file {
            if let Some(b) = sql::batch_by_hash(&self.conn, &c.hash)? {
                return Err(CoreError::new(
                    ErrorCode::Conflict,
                    format!(
                        "{} は {} に取り込み済みです（バッチ {}、{}件）。もう一度取り込むには確認のうえ「同じファイルをもう一度取り込む」にチェックしてください（CLIでは --force）",
                        source.file_name, b.imported_at, b.id, b.imported + b.updated
                    ),
                ));
            }
        }
        // Only now, when rows will really be written: a preview, a dry run or a refused file
        // costs no backup.
        self.backup_before(crate::backup::BackupReason::BeforeImport, "データ取込")?;
        let now = now_stamp();
        let staff = crate::normalize::tidy(&opts.staff);
        let batch = sql::NewBatch {
            kind,
            file_name: &source.file_name,
            file_hash: &c.hash,
            encoding: &c.encoding,
            imported_at: &now,
            staff: &staff,
            imported: plan.new,
            updated: plan.updates,
            skipped,
            warnings: report.warnings.len() as u32,
        };
        let total = plan.new + plan.updates;
        let remembered: HashMap<String, Option<String>> =
            c.sheet.table.headers.iter().map(|h| h.trim().to_string()).zip(c.sheet.mapping.iter().cloned()).collect();
        // The rows are checked records now; the raw cells need not stay in memory during the write.
        drop(c.sheet);
        let id = self.write_as(&staff, |tx| {
            let id = sql::insert_batch(tx, &batch)?;
            let ctx = WriteCtx { batch: id, now: &now, staff: &staff, file_name: &source.file_name };
            let mut step = |done: u32| progress(ImportProgress { phase: "write", done, total });
            match &plan.records {
                Records::Members(r) => members::write(tx, r, &ctx, &mut step)?,
                Records::Products(r) => products::write(tx, r, &ctx)?,
                Records::Ledger(r) => ledgers::write(tx, r, &ctx)?,
            }
            crate::store::settings::put(tx, &format!("{MAPPING_KEY}{}", kind.as_str()), &serde_json::to_string(&remembered).expect("mapping"))?;
            Ok(id)
        })?;
        if kind == ImportKind::Members {
            self.search_reset();
            report.duplicates = sql::duplicate_codes_of_batch(&self.conn, id)?;
        }
        progress(ImportProgress { phase: "write", done: total, total });
        report.batch = Some(id.to_string());
        Ok(report)
    }

    /// Every import, newest first.
    pub fn import_batches(&self) -> Result<Vec<ImportBatch>> {
        sql::batches(&self.conn)
    }

    /// Takes a whole batch back: rows it added are removed, rows it updated get their old values.
    /// Refused, with the reason, when anything entered since depends on them (an edit, an order,
    /// a payment …). The batch stays on record, marked undone.
    pub fn undo_import(&mut self, batch: &str, staff: &str) -> Result<ImportBatch> {
        self.require_admin()?;
        let id: i64 = batch.trim().parse().map_err(|_| CoreError::field("batch", format!("バッチ番号は数字です（入力: {batch}）")))?;
        let b = sql::batch(&self.conn, id)?.ok_or_else(|| CoreError::not_found(format!("取込バッチ {id} は見つかりません")))?;
        if let Some(at) = &b.undone_at {
            return Err(CoreError::new(ErrorCode::Conflict, format!("取込バッチ {id} は {at} に取り消し済みです")));
        }
        let blockers = sql::undo_blockers(&self.conn, id, b.kind, &b.imported_at)?;
        if !blockers.is_empty() {
            let more = if blockers.len() > 5 { format!("（ほか{}件）", blockers.len() - 5) } else { String::new() };
            return Err(CoreError::new(
                ErrorCode::Conflict,
                format!("取込バッチ {id} は取り消せません。取込後に次の登録・変更があります: {}{more}", blockers[..blockers.len().min(5)].join("、")),
            ));
        }
        let now = now_stamp();
        let staff = crate::normalize::tidy(staff);
        self.write_as(&staff, |tx| sql::undo(tx, id, b.kind, &now, &staff))?;
        if b.kind == ImportKind::Members {
            self.search_reset();
        }
        sql::batch(&self.conn, id)?.ok_or_else(|| CoreError::not_found("取込バッチが見つかりません"))
    }
}

/// The rejected rows of `source` as a CSV the user can fix in Excel: the file's own columns, in
/// its own encoding, with the reasons (`errors` of its preview or import) in a last column
/// 「エラー内容」. Rows that were cut wrongly (more cells than headers) come back whole.
pub fn rejected_rows_csv(source: &Source, errors: &[ImportIssue]) -> Result<RejectedRows> {
    let (text, enc) = textfile::decode(&source.bytes, &source.file_name)?;
    let table = table::read(&text, &source.file_name)?;
    let mut reasons: HashMap<u32, Vec<String>> = HashMap::new();
    for e in errors {
        let at = if e.column.is_empty() { String::new() } else { format!("{}: ", e.column) };
        reasons.entry(e.line).or_default().push(format!("{}行目 {at}{}", e.line, e.message));
    }
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).flexible(true).from_writer(Vec::new());
    let mut header = table.headers.clone();
    header.push("エラー内容".into());
    w.write_record(&header).map_err(csv_err)?;
    let mut rows: Vec<(u32, Vec<String>)> =
        table.rows.iter().filter(|r| reasons.contains_key(&r.row)).map(|r| (r.row, r.cells.clone())).collect();
    rows.extend(table.ragged.iter().map(|r| (r.row, r.cells.clone())));
    rows.sort_by_key(|r| r.0);
    let count = rows.len() as u32;
    for (row, mut cells) in rows {
        cells.resize(table.headers.len().max(cells.len()), String::new());
        cells.push(reasons.get(&row).map(|v| v.join(" / ")).unwrap_or_default());
        w.write_record(&cells).map_err(csv_err)?;
    }
    let utf8 = w.into_inner().map_err(|e| CoreError::new(ErrorCode::Io, format!("CSVを作れません: {e}")))?;
    let bytes = match enc {
        Encoding::Cp932 => encoding_rs::SHIFT_JIS.encode(std::str::from_utf8(&utf8).expect("csv writes utf-8")).0.into_owned(),
        Encoding::Utf8 => [b"\xEF\xBB\xBF".as_slice(), &utf8].concat(),
    };
    Ok(RejectedRows { rows: count, bytes })
}

/// The rejected rows of a file as CSV bytes, and how many rows that is.
pub struct RejectedRows {
    pub rows: u32,
    pub bytes: Vec<u8>,
}

/// What every writer needs: the batch the rows belong to and the time stamp they carry.
pub(crate) struct WriteCtx<'a> {
    pub batch: i64,
    pub now: &'a str,
    pub staff: &'a str,
    pub file_name: &'a str,
}

fn csv_err(e: csv::Error) -> CoreError {
    CoreError::new(ErrorCode::Io, format!("CSVを書けません: {e}"))
}

/// Reads a mapping file (`--mapping FILE`, or saved from the wizard): JSON
/// `{"kind": "members", "columns": {"お客様CD": "code", "旧ランク": null, …}}`, applied to
/// `headers` by header text; headers the file does not name are recognised as usual.
pub fn mapping_from_file(db: &Db, kind: ImportKind, json: &str, headers_of: &[String]) -> Result<Vec<Option<String>>> {
    let m: MappingFile = serde_json::from_str(json).map_err(|e| CoreError::field("mapping", format!("対応づけファイルを読めません: {e}")))?;
    if m.kind != kind {
        return Err(CoreError::field("mapping", format!("対応づけファイルは「{}」用です（今回は「{}」）", m.kind.label(), kind.label())));
    }
    let mut remembered = db.remembered_mapping(kind)?;
    remembered.extend(m.columns);
    Ok(headers::guess_mapping(kind, headers_of, &remembered))
}

/// A saved column mapping, reusable for next month's file from the same old system.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MappingFile {
    pub kind: ImportKind,
    pub columns: HashMap<String, Option<String>>,
}

impl MappingFile {
    pub fn new(kind: ImportKind, headers_of: &[String], mapping: &[Option<String>]) -> MappingFile {
        MappingFile { kind, columns: headers_of.iter().map(|h| h.trim().to_string()).zip(mapping.iter().cloned()).collect() }
    }
}

/// The headers of a file, for applying a mapping file before the import.
pub fn file_headers(source: &Source) -> Result<Vec<String>> {
    let (text, _) = textfile::decode(&source.bytes, &source.file_name)?;
    Ok(table::read(&text, &source.file_name)?.headers)
}
