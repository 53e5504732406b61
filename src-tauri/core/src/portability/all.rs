//! The full export (全データの書き出し): every table of the database as one CSV in one zip, so a
//! shop can always take all of its data elsewhere. The tables are read from the schema itself,
//! so a table a later version adds is written without anyone remembering to list it.
//!
//! - CSV: UTF-8 with a BOM, CRLF, a header row of the column names as in the schema. Not CP932:
//!   CP932 cannot hold every character people type (〜 from a Mac, 𠮷, 鷗, emoji) and turns some
//!   into others (¥ → \); a file meant to lose nothing must not be written in it. Excel on
//!   Japanese Windows opens UTF-8 with a BOM correctly.
//! - NULL and the empty string are both an empty cell; `schema.sql` (in the zip) says which
//!   columns can be NULL.
//! - Binary columns (the PDFs of issued invoices) go into the zip as files of their own
//!   (`invoices/I0000001.pdf`); the cell holds that file's path.
//! - `README.txt` (Japanese) and `manifest.json` say when, from which schema version, and how
//!   many rows each table has.
//!
//! Everything is read in one read transaction (a snapshot: counts agree even while the app
//! writes) and streamed row by row into the zip, so memory stays small on 100,000 members.
use crate::error::{CoreError, ErrorCode, Result};
use crate::store::portability::{self as sql, Cell};
use crate::store::Db;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use ts_rs::TS;
use zip::write::SimpleFileOptions;

/// One table in the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportedTable {
    pub table: String,
    /// The CSV's path inside the zip.
    pub file: String,
    #[ts(type = "number")]
    pub rows: u64,
    pub columns: Vec<String>,
    /// Binary values written as files of their own.
    #[ts(type = "number")]
    pub files: u64,
}

/// What `export_all` wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FullExport {
    pub path: String,
    pub created_at: String,
    pub schema_version: u32,
    pub tables: Vec<ExportedTable>,
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub files: u64,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub millis: u64,
}

/// Secrets a zip on a USB stick must not carry: staff password hashes (the column is left out)
/// and the backups' passphrase (blanked inside the shop settings' JSON; the audit log's copies are
/// masked by its triggers already).
const LEFT_OUT: &[(&str, &str)] = &[("staff_accounts", "password_hash")];

fn without_passphrase(settings_json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(settings_json) {
        Ok(mut v) if v.pointer("/backup/passphrase").and_then(|p| p.as_str()).is_some_and(|p| !p.is_empty()) => {
            v["backup"]["passphrase"] = serde_json::Value::String("(設定あり)".into());
            v.to_string()
        }
        _ => settings_json.to_string(),
    }
}

fn zip_err(e: zip::result::ZipError) -> CoreError {
    CoreError::new(ErrorCode::Io, format!("ZIPファイルを書けません: {e}"))
}

fn csv_err(e: csv::Error) -> CoreError {
    CoreError::new(ErrorCode::Io, format!("CSVを書けません: {e}"))
}

/// A file name made of the value, safe on Windows and in a zip (only letters, digits, `-`, `_`).
fn safe_name(s: &str) -> String {
    let t: String = s.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if t.is_empty() { "_".into() } else { t }
}

/// Where a binary value goes: `table/KEY.pdf` (KEY = the row's `number`, else its first column).
struct BlobNames {
    dir: String,
    used: HashSet<String>,
}

impl BlobNames {
    fn name(&mut self, key: &str, row: u64, bytes: &[u8]) -> String {
        let ext = if bytes.starts_with(b"%PDF") { "pdf" } else { "bin" };
        let mut name = format!("{}/{}.{ext}", self.dir, safe_name(key));
        if !self.used.insert(name.clone()) {
            // Two keys that differ only in characters a file name cannot hold.
            name = format!("{}/{}_{row}.{ext}", self.dir, safe_name(key));
            self.used.insert(name.clone());
        }
        name
    }
}

fn key_text(c: &Cell<'_>) -> String {
    match c {
        Cell::Null => String::new(),
        Cell::Int(i) => i.to_string(),
        Cell::Real(f) => f.to_string(),
        Cell::Text(t) => t.to_string(),
        Cell::Blob(_) => String::new(),
    }
}

impl Db {
    /// Writes every table into the zip at `path` (replaced only once complete).
    pub fn export_all(&mut self, path: &Path) -> Result<FullExport> {
        let started = std::time::Instant::now();
        let created_at = crate::store::now_stamp();
        let schema_version = self.schema_version()?;
        // Written beside the target and renamed at the end: a failed export leaves no half zip.
        let tmp = path.with_extension("zip.part");
        let file = std::fs::File::create(&tmp)
            .map_err(|e| CoreError::new(ErrorCode::Io, format!("{} に書き込めません: {e}", path.display())))?;
        let result = self.write_export(file, &created_at, schema_version);
        let tables = match result {
            Ok(t) => t,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        std::fs::rename(&tmp, path)
            .map_err(|e| CoreError::new(ErrorCode::Io, format!("{} に書き込めません: {e}", path.display())))?;
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        Ok(FullExport {
            path: path.display().to_string(),
            created_at,
            schema_version,
            rows: tables.iter().map(|t| t.rows).sum(),
            files: tables.iter().map(|t| t.files).sum(),
            tables,
            bytes,
            millis: started.elapsed().as_millis() as u64,
        })
    }

    fn write_export(&mut self, file: std::fs::File, created_at: &str, schema_version: u32) -> Result<Vec<ExportedTable>> {
        let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).last_modified_time(zip_time());
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        // A deferred transaction that only reads: one snapshot of the whole file (WAL).
        let tx = self.conn.transaction()?;
        let mut out = Vec::new();
        for table in sql::tables(&tx)? {
            let cols: Vec<(String, String)> =
                sql::columns(&tx, &table)?.into_iter().filter(|(n, _)| !LEFT_OUT.contains(&(table.as_str(), n.as_str()))).collect();
            let names: Vec<String> = cols.iter().map(|c| c.0.clone()).collect();
            let settings_value = (table == "settings").then(|| names.iter().position(|n| n == "value")).flatten();
            let key_col = names.iter().position(|n| n == "number").unwrap_or(0);
            let blob_cols: Vec<usize> = cols.iter().enumerate().filter(|(_, c)| c.1.eq_ignore_ascii_case("BLOB")).map(|(i, _)| i).collect();
            let dir = |col: usize| if blob_cols.len() > 1 { format!("{table}/{}", safe_name(&names[col])) } else { safe_name(&table) };
            let mut blob_names: Vec<BlobNames> = blob_cols.iter().map(|&c| BlobNames { dir: dir(c), used: HashSet::new() }).collect();
            let file_name = format!("tables/{}.csv", safe_name(&table));
            zip.start_file(file_name.as_str(), opts).map_err(zip_err)?;
            zip.write_all("\u{feff}".as_bytes())?;
            let mut rows = 0u64;
            let mut files = 0u64;
            {
                let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut zip);
                w.write_record(&names).map_err(csv_err)?;
                let mut record: Vec<String> = Vec::with_capacity(names.len());
                sql::each_row(&tx, &table, &names, None, |cells| {
                    record.clear();
                    for (i, c) in cells.iter().enumerate() {
                        record.push(match c {
                            Cell::Null => String::new(),
                            Cell::Int(v) => v.to_string(),
                            Cell::Real(v) => v.to_string(),
                            Cell::Text(t) if settings_value == Some(i) => without_passphrase(t),
                            Cell::Text(t) => t.to_string(),
                            Cell::Blob(b) => {
                                files += 1;
                                let k = blob_cols.iter().position(|&x| x == i).unwrap_or(0);
                                match blob_names.get_mut(k) {
                                    Some(n) => n.name(&key_text(&cells[key_col]), rows, b),
                                    None => String::new(),
                                }
                            }
                        });
                    }
                    rows += 1;
                    w.write_record(&record).map_err(csv_err)
                })?;
                w.flush()?;
            }
            // The binary values as files, in a second pass: a zip is written one entry at a time,
            // and holding every PDF until the CSV is done would hold them all in memory. The
            // same names come out as in the CSV because the rows come in the same order.
            if files > 0 {
                let mut again: Vec<BlobNames> = blob_cols.iter().map(|&c| BlobNames { dir: dir(c), used: HashSet::new() }).collect();
                let mut row = 0u64;
                let mut failed: Option<CoreError> = None;
                sql::each_row(&tx, &table, &names, None, |cells| {
                    for (k, &i) in blob_cols.iter().enumerate() {
                        if let Cell::Blob(b) = &cells[i] {
                            let name = again[k].name(&key_text(&cells[key_col]), row, b);
                            if let Err(e) = zip.start_file(name.as_str(), opts) {
                                failed = Some(zip_err(e));
                                return Err(CoreError::new(ErrorCode::Io, "ZIPファイルを書けません"));
                            }
                            zip.write_all(b)?;
                        }
                    }
                    row += 1;
                    Ok(())
                })
                .map_err(|e| failed.take().unwrap_or(e))?;
            }
            out.push(ExportedTable { table, file: file_name, rows, columns: names, files });
        }
        zip.start_file("schema.sql", opts).map_err(zip_err)?;
        zip.write_all(sql::schema_sql(&tx)?.join("\n\n").as_bytes())?;
        drop(tx);
        zip.start_file("manifest.json", opts).map_err(zip_err)?;
        let manifest = serde_json::json!({
            "format": "teikibin-full-export",
            "created_at": created_at,
            "schema_version": schema_version,
            "app_version": env!("CARGO_PKG_VERSION"),
            "encoding": "UTF-8 (BOM), CRLF",
            "tables": out,
        });
        zip.write_all(serde_json::to_string_pretty(&manifest).expect("manifest").as_bytes())?;
        zip.start_file("README.txt", opts).map_err(zip_err)?;
        zip.write_all(readme(created_at, schema_version, &out).replace('\n', "\r\n").as_bytes())?;
        let mut inner = zip.finish().map_err(zip_err)?;
        inner.flush()?;
        let file = inner.into_inner().map_err(|e| CoreError::new(ErrorCode::Io, format!("ZIPファイルを書けません: {e}")))?;
        file.sync_all()?;
        Ok(out)
    }
}

fn zip_time() -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    let n = chrono::Local::now().naive_local();
    zip::DateTime::from_date_and_time(n.year() as u16, n.month() as u8, n.day() as u8, n.hour() as u8, n.minute() as u8, n.second() as u8)
        .unwrap_or_default()
}

/// The Japanese note inside the zip: what it is, how to open it, the row count of every table.
fn readme(created_at: &str, schema_version: u32, tables: &[ExportedTable]) -> String {
    let mut t = format!(
        "Teikibin（定期便） 全データの書き出し\n\n\
         作成日時: {created_at}\n\
         スキーマのバージョン: {schema_version}\n\
         アプリのバージョン: {}\n\n\
         このZIPには、データベースのすべての表が1つずつCSVファイルとして入っています（tables フォルダ）。\n\
         ・文字コードは UTF-8（BOM付き）、改行は CRLF です。Excel でそのまま開けます。\n\
         \u{3000}Shift_JIS（CP932）にしないのは、CP932 では表せない文字（〜、𠮷、鷗、絵文字など）が失われるためです。\n\
         ・1行目は列名（データベースの列名そのまま）です。空欄は、空の文字列か値なし（NULL）です。\n\
         ・金額は円単位の整数、日付は YYYY-MM-DD、日時は YYYY-MM-DD HH:MM:SS です。\n\
         ・発行済み請求書のPDFなどのバイナリは、別のファイル（例: invoices/I0000001.pdf）として入っており、\n\
         \u{3000}CSVの該当欄にはそのファイル名が書かれています。\n\
         ・schema.sql は表の定義（列の意味と制約）、manifest.json はこの内容の機械向けの一覧です。\n\
         ・Excel で開くと「000123」のような番号の先頭の0が消えて見えることがありますが、ファイルには残っています。\n\n\
         表と件数:\n",
        env!("CARGO_PKG_VERSION")
    );
    for x in tables {
        let files = if x.files > 0 { format!("（ファイル {}件）", x.files) } else { String::new() };
        t += &format!("  {}\t{}件{files}\n", x.file, x.rows);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn every_table_of_the_schema_is_in_the_zip_with_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("shop.db")).unwrap();
        db.generate_demo(30, 5).unwrap();
        let target = dir.path().join("all.zip");
        let r = db.export_all(&target).unwrap();
        assert!(!dir.path().join("all.zip.part").exists());
        let tables = sql::tables(&db.conn).unwrap();
        assert!(tables.contains(&"members".to_string()) && tables.contains(&"schema_migrations".to_string()));
        assert_eq!(r.tables.iter().map(|t| t.table.clone()).collect::<Vec<_>>(), tables);
        let mut z = zip::ZipArchive::new(std::fs::File::open(&target).unwrap()).unwrap();
        for t in &r.tables {
            assert_eq!(t.rows, sql::count(&db.conn, &t.table).unwrap(), "{}", t.table);
            let mut text = String::new();
            z.by_name(&t.file).unwrap().read_to_string(&mut text).unwrap();
            assert!(text.starts_with('\u{feff}'));
            let mut rd = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            assert_eq!(rd.headers().unwrap().iter().collect::<Vec<_>>(), t.columns);
            assert_eq!(rd.records().count() as u64, t.rows, "{}", t.table);
        }
        let mut readme = String::new();
        z.by_name("README.txt").unwrap().read_to_string(&mut readme).unwrap();
        assert!(readme.contains("全データの書き出し") && readme.contains("tables/members.csv\t30件"));
        assert!(z.by_name("manifest.json").is_ok() && z.by_name("schema.sql").is_ok());
    }

    #[test]
    fn password_hashes_and_the_backup_passphrase_stay_out_of_the_zip() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("shop.db")).unwrap();
        let mut s = crate::demo::demo_shop_settings();
        s.backup.encrypt = true;
        s.backup.passphrase = "himitsu-no-kotoba".into();
        db.save_shop_settings(s).unwrap();
        db.add_staff_account("店長", "kagi-1234", crate::access::Role::Admin).unwrap();
        let target = dir.path().join("all.zip");
        db.export_all(&target).unwrap();
        let mut z = zip::ZipArchive::new(std::fs::File::open(&target).unwrap()).unwrap();
        let names: Vec<String> = z.file_names().map(|n| n.unwrap().to_string()).collect();
        for name in names {
            let mut bytes = Vec::new();
            z.by_name(&name).unwrap().read_to_end(&mut bytes).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("himitsu-no-kotoba") && !text.contains("$argon2"), "a secret in {name}");
        }
        let mut accounts = String::new();
        z.by_name("tables/staff_accounts.csv").unwrap().read_to_string(&mut accounts).unwrap();
        assert!(accounts.contains("店長") && !accounts.contains("password_hash"));
    }

    #[test]
    fn a_table_added_later_is_exported_too_and_names_are_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("shop.db")).unwrap();
        // A future migration's table, with a name that needs quoting and a binary column (a PDF and
        // other bytes, whose keys differ only in characters a file name cannot hold).
        db.conn.execute_batch(
            "CREATE TABLE \"future \"\"notes\"\"\" (id INTEGER PRIMARY KEY, number TEXT, body TEXT, scan BLOB);
             INSERT INTO \"future \"\"notes\"\"\" VALUES (1, 'N/1', '〜𠮷, \"改行\n入り\"', X'255044462D31');
             INSERT INTO \"future \"\"notes\"\"\" VALUES (2, 'N:1', NULL, X'00FF');",
        )
        .unwrap();
        let target = dir.path().join("all.zip");
        let r = db.export_all(&target).unwrap();
        let t = r.tables.iter().find(|t| t.table == "future \"notes\"").expect("new table exported");
        assert_eq!((t.rows, t.files), (2, 2));
        let mut z = zip::ZipArchive::new(std::fs::File::open(&target).unwrap()).unwrap();
        let mut text = String::new();
        z.by_name(&t.file).unwrap().read_to_string(&mut text).unwrap();
        let mut rd = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
        assert_eq!(&rows[0][2], "〜𠮷, \"改行\n入り\"");
        assert_eq!(&rows[0][3], "future__notes_/N_1.pdf");
        assert_eq!(&rows[1][3], "future__notes_/N_1.bin");
        let mut pdf = Vec::new();
        z.by_name("future__notes_/N_1.pdf").unwrap().read_to_end(&mut pdf).unwrap();
        assert_eq!(pdf, b"%PDF-1");
    }
}
