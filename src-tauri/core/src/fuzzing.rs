//! The fuzzing harness: every reader of a file a shop brings (CSV import, Zengin 01/03 and 91,
//! bank CSV, B2 tracking numbers) driven with arbitrary bytes, and the rules that must hold for
//! any input: no panic, and either a result or a `CoreError` whose message (and every field
//! message) is non-empty Japanese. Shared by the property tests (`core/tests/fuzz.rs`, run by
//! `cargo test`) and the cargo-fuzz targets (`fuzz/`), so both check the same thing. Not part of
//! the app's API.
use crate::error::CoreError;
use crate::import::{self, headers, table, values, ImportKind, ImportOptions, Source};
use crate::{shipping, textfile, zengin, Db};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// textfile + table + every legacy value reader + the preview of each import kind.
    ImportCsv,
    /// 入出金取引明細 (03) and 振込入金通知 (01).
    ZenginStatement,
    /// 預金口座振替 (91) request or result.
    ZenginDebit,
    /// Online-banking CSV, mapping detected.
    BankCsv,
    /// B2 Cloud's issued-slip file.
    B2Tracking,
}

impl Target {
    pub const ALL: [Target; 5] = [Target::ImportCsv, Target::ZenginStatement, Target::ZenginDebit, Target::BankCsv, Target::B2Tracking];

    /// The name of the target's corpus folder and cargo-fuzz target.
    pub fn name(self) -> &'static str {
        match self {
            Target::ImportCsv => "import_csv",
            Target::ZenginStatement => "zengin_statement",
            Target::ZenginDebit => "zengin_debit",
            Target::BankCsv => "bank_csv",
            Target::B2Tracking => "b2_tracking",
        }
    }
}

/// Whether `s` holds Japanese (kana or kanji): a message staff can read, not a bare Rust error.
pub fn is_japanese(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '\u{3041}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF66}'..='\u{FF9D}'))
}

fn check_message(what: &str, m: &str, input: &[u8]) {
    assert!(!m.trim().is_empty() && is_japanese(m), "{what}: the message is not Japanese: {m:?} (input {} bytes: {:?})", input.len(), preview(input));
}

/// The start of an input, for a failure message.
fn preview(input: &[u8]) -> String {
    String::from_utf8_lossy(&input[..input.len().min(200)]).into_owned()
}

/// Panics unless `e` is a refusal people can read.
pub fn check_error(what: &str, e: &CoreError, input: &[u8]) {
    check_message(what, &e.message, input);
    for f in &e.fields {
        check_message(what, &f.message, input);
    }
}

fn check<T>(what: &str, r: crate::Result<T>, input: &[u8]) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            check_error(what, &e, input);
            None
        }
    }
}

thread_local! {
    /// One empty shop per thread for the import previews (they write nothing).
    static DB: Db = Db::open_in_memory().expect("in-memory database");
}

/// Runs `bytes` through `target`'s reader; panics when a rule above is broken.
pub fn run(target: Target, bytes: &[u8]) {
    let file = "fuzz.dat";
    match target {
        Target::ImportCsv => import_csv(bytes),
        Target::ZenginStatement => {
            if let Some(f) = check("parse_zengin_statement", zengin::parse_zengin_statement(bytes, file), bytes) {
                for e in &f.entries {
                    assert!(e.amount >= 0 && e.line >= 2 && e.account < f.accounts.len(), "{e:?}");
                }
            }
        }
        Target::ZenginDebit => {
            if let Some(f) = check("parse_debit_file", zengin::parse_debit_file(bytes, file), bytes) {
                assert_eq!(f.trailer.count as usize, f.records.len());
            }
        }
        Target::BankCsv => {
            check("header_row", zengin::bank_csv::header_row(bytes, file), bytes);
            if let Some(c) = check("parse_bank_csv", zengin::parse_bank_csv(bytes, file, None), bytes) {
                assert!(c.file.entries.iter().all(|e| e.amount > 0), "{:?}", c.file.entries);
                // The mapping it found reads the same file again.
                check("parse_bank_csv (mapping)", zengin::parse_bank_csv(bytes, file, Some(&c.mapping)), bytes);
            }
        }
        Target::B2Tracking => {
            if let Some(rows) = check("read_tracking", shipping::b2::read_tracking(bytes, file), bytes) {
                assert!(!rows.is_empty());
            }
        }
    }
}

fn import_csv(bytes: &[u8]) {
    let file = "fuzz.csv";
    let Some((text, _)) = check("decode", textfile::decode(bytes, file), bytes) else { return };
    let Some(t) = check("table::read", table::read(&text, file), bytes) else { return };
    for r in &t.ragged {
        check_message("ragged", &r.reason, bytes);
    }
    for row in &t.rows {
        for cell in row.cells.iter().take(16) {
            let readers: [Result<(), String>; 8] = [
                values::date(cell).map(drop),
                values::typed_date(cell).map(drop),
                values::yen(cell).map(drop),
                values::count(cell).map(drop),
                values::tax_rate(cell).map(drop),
                values::flag(cell).map(drop),
                values::interval(cell).map(drop),
                values::payment_method(cell).map(drop),
            ];
            for e in readers.iter().filter_map(|r| r.as_ref().err()) {
                check_message("values", e, bytes);
            }
            if let (_, Some(w)) = values::phone(cell) {
                check_message("values::phone", &w, bytes);
            }
        }
    }
    let source = Source { file_name: file.into(), bytes: bytes.to_vec() };
    DB.with(|db| {
        for kind in ImportKind::ALL {
            let _ = headers::guess_mapping(kind, &t.headers, &Default::default());
            if let Some(p) = check("preview_import", db.preview_import(kind, &source, &ImportOptions::default()), bytes) {
                for i in p.errors.iter().chain(&p.warnings) {
                    check_message("preview_import issue", &i.message, bytes);
                }
                if let Some(e) = p.errors.first() {
                    check("rejected_rows_csv", import::rejected_rows_csv(&source, std::slice::from_ref(e)), bytes);
                }
            }
        }
    });
}
