//! Column templates for the CSV files other companies want in their own layout: a carrier's
//! import file (Sagawa, Japan Post, Click Post …) and the printing company's mailing list. A
//! template is the list of columns in file order: the header to write and the field to fill
//! it with (or a fixed text). Files are CP932 with CRLF; characters the reader cannot take must
//! have a replacement the user confirmed (`printable`).
use crate::error::{CoreError, ErrorCode, Result};
use crate::printable::{self, Charset, OddChars};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateColumn {
    pub header: String,
    /// A field key from the list the file offers, or `=text` for the same text on every row.
    pub field: String,
}

/// A field a template may use, for the column editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldChoice {
    pub key: String,
    pub label: String,
}

pub(crate) fn col(header: &str, field: &str) -> TemplateColumn {
    TemplateColumn {
        header: header.into(),
        field: field.into(),
    }
}

/// Checks a template against the fields a file offers: at least one column, known fields.
pub fn check(columns: &[TemplateColumn], fields: &[(&str, &str)]) -> Result<()> {
    if columns.is_empty() {
        return Err(CoreError::field("columns", "列を1つ以上指定してください"));
    }
    for (i, c) in columns.iter().enumerate() {
        if !c.field.starts_with('=') && !fields.iter().any(|f| f.0 == c.field) {
            return Err(CoreError::field(
                &format!("columns.{i}.field"),
                format!(
                    "{}列目「{}」: 項目「{}」はありません",
                    i + 1,
                    c.header,
                    c.field
                ),
            ));
        }
    }
    Ok(())
}

pub fn choices(fields: &[(&str, &str)]) -> Vec<FieldChoice> {
    fields
        .iter()
        .map(|(k, l)| FieldChoice {
            key: k.to_string(),
            label: l.to_string(),
        })
        .collect()
}

/// The rows as text cells, in template order (fixed texts filled in).
pub(crate) fn cells<R>(
    columns: &[TemplateColumn],
    rows: &[R],
    value: impl Fn(&R, &str) -> String,
) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| {
                    c.field
                        .strip_prefix('=')
                        .map(String::from)
                        .unwrap_or_else(|| value(r, &c.field))
                })
                .collect()
        })
        .collect()
}

/// Characters the reader cannot take, with the row key and column they are in.
pub(crate) fn scan(
    columns: &[TemplateColumn],
    keys: &[String],
    rows: &[Vec<String>],
    charset: Charset,
) -> OddChars {
    let mut odd = OddChars::default();
    for (key, row) in keys.iter().zip(rows) {
        for (c, v) in columns.iter().zip(row) {
            odd.scan(charset, || format!("{key} {}", c.header), v);
        }
    }
    odd
}

/// The CSV in CP932 with CRLF, the header row first when asked, replacements applied.
pub(crate) fn write(
    columns: &[TemplateColumn],
    header: bool,
    rows: &[Vec<String>],
    replacements: &BTreeMap<String, String>,
) -> Result<Vec<u8>> {
    let csv_err = |e: csv::Error| CoreError::new(ErrorCode::Io, format!("CSVを書けません: {e}"));
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(rows.len() * 200));
    if header {
        w.write_record(columns.iter().map(|c| c.header.as_str()))
            .map_err(csv_err)?;
    }
    for r in rows {
        w.write_record(
            r.iter()
                .map(|v| printable::replace(&v.replace(['\r', '\n'], " "), replacements)),
        )
        .map_err(csv_err)?;
    }
    let text = String::from_utf8(w.into_inner().map_err(|e| csv_err(e.into_error().into()))?)
        .expect("csv writes UTF-8");
    printable::cp932(&text).ok_or_else(|| {
        CoreError::new(
            ErrorCode::Validation,
            "Shift_JIS（CP932）で書けない文字が残っています",
        )
        .at("replacements")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_texts_unknown_fields_and_cp932() {
        let fields = [("name", "氏名"), ("code", "会員番号")];
        let columns = vec![
            col("氏名", "name"),
            col("種別", "=会報誌"),
            col("番号", "code"),
        ];
        check(&columns, &fields).unwrap();
        let e = check(&[col("x", "nope")], &fields).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("columns.0.field"));
        let rows = cells(&columns, &[("髙橋 一郎", "M1")], |r, k| {
            if k == "name" {
                r.0.into()
            } else {
                r.1.into()
            }
        });
        assert_eq!(rows, [["髙橋 一郎", "会報誌", "M1"]]);
        let bytes = write(&columns, true, &rows, &BTreeMap::new()).unwrap();
        let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert_eq!(text, "氏名,種別,番号\r\n髙橋 一郎,会報誌,M1\r\n");
        // 〜 (WAVE DASH) has no CP932 form: refused until replaced.
        let rows = vec![vec!["A〜B".to_string(), "x".into(), "y".into()]];
        assert!(write(&columns, false, &rows, &BTreeMap::new()).is_err());
        let odd = scan(&columns, &["M1".into()], &rows, Charset::Cp932);
        assert_eq!(odd.all()[0].suggestion, "～");
        let fix: BTreeMap<String, String> = [("〜".to_string(), "～".to_string())].into();
        assert!(write(&columns, false, &rows, &fix).is_ok());
    }
}
