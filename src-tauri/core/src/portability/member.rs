//! A member's own data (開示請求): every row about the member, from every table that names a
//! member (found by its `member_id` column, so a later table is never forgotten) and the rows
//! that hang off those (order lines, subscription events, allocations …), as one JSON file.
use crate::error::{CoreError, ErrorCode, Result};
use crate::store::portability::{self as sql, Cell, CHILDREN};
use crate::store::Db;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::path::Path;
use ts_rs::TS;

/// What `export_member_data` wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberDataExport {
    pub path: String,
    pub member: String,
    /// Every table that held something about the member, with its row count.
    pub tables: Vec<TableRows>,
    #[ts(type = "number")]
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TableRows {
    pub table: String,
    #[ts(type = "number")]
    pub rows: u64,
}

/// Columns that are only derived matching keys, not data about the person.
fn derived(table: &str, col: &str) -> bool {
    table == "members" && (col.ends_with("_key") || col == "search_text")
}

fn value(c: &Cell<'_>) -> Value {
    match c {
        Cell::Null => Value::Null,
        Cell::Int(i) => Value::from(*i),
        Cell::Real(f) => Value::from(*f),
        Cell::Text(t) => Value::from(*t),
        // The PDF of an issued invoice: the document data beside it says what it shows; the PDF
        // itself is printed again with `invoice pdf` (or 請求 → PDF) when the member wants it.
        Cell::Blob(b) => Value::from(format!("（PDF {}バイト。請求書の画面・invoice pdf で出力できます）", b.len())),
    }
}

impl Db {
    /// Every row about the member, by table (JSON objects keyed by column name).
    pub fn member_data(&mut self, code: &str) -> Result<Value> {
        let (id, m) = self.member_with_id(code)?;
        let tx = self.conn.transaction()?;
        let mut tables = Map::new();
        let mut ids: std::collections::HashMap<String, Vec<i64>> = Default::default();
        let mut dump = |table: &str, filter: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Vec<i64>> {
            let cols: Vec<String> = sql::columns(&tx, table)?.into_iter().map(|c| c.0).collect();
            let id_col = cols.iter().position(|c| c == "id");
            let mut rows = Vec::new();
            let mut row_ids = Vec::new();
            sql::each_row(&tx, table, &cols, Some((filter, p)), |cells| {
                let mut o = Map::new();
                for (c, v) in cols.iter().zip(cells) {
                    if !derived(table, c) {
                        o.insert(c.clone(), value(v));
                    }
                }
                if let Some(Cell::Int(i)) = id_col.map(|i| &cells[i]) {
                    row_ids.push(*i);
                }
                rows.push(Value::Object(o));
                Ok(())
            })?;
            if !rows.is_empty() {
                tables.insert(table.to_string(), Value::Array(rows));
            }
            Ok(row_ids)
        };
        dump("members", "id = ?1", &[&id])?;
        for table in sql::tables(&tx)? {
            if sql::columns(&tx, &table)?.iter().any(|c| c.0 == "member_id") {
                let got = dump(&table, "member_id = ?1", &[&id])?;
                ids.insert(table, got);
            }
        }
        for (parent, child, col) in CHILDREN {
            let Some(parents) = ids.get(*parent) else { continue };
            if parents.is_empty() {
                continue;
            }
            // One bound list as JSON, so the statement stays the same whatever the count.
            let list = serde_json::to_string(parents).expect("ids");
            dump(child, &format!("{} IN (SELECT value FROM json_each(?1))", sql::ident(col)), &[&list])?;
        }
        drop(tx);
        Ok(serde_json::json!({
            "format": "teikibin-member-data",
            "説明": "会員ご本人に関する、Teikibinに保存されているすべてのデータです（開示請求）。表ごとに、列名と値を記載しています。金額は円、日付は YYYY-MM-DD です。",
            "member": m.code,
            "created_at": crate::store::now_stamp(),
            "tables": Value::Object(tables),
        }))
    }

    /// Writes `member_data` as UTF-8 JSON to `path`.
    pub fn export_member_data(&mut self, code: &str, path: &Path) -> Result<MemberDataExport> {
        let data = self.member_data(code)?;
        let text = serde_json::to_string_pretty(&data).expect("JSON");
        std::fs::write(path, text.as_bytes())
            .map_err(|e| CoreError::new(ErrorCode::Io, format!("{} に書き込めません: {e}", path.display())))?;
        let tables = data["tables"]
            .as_object()
            .map(|o| o.iter().map(|(k, v)| TableRows { table: k.clone(), rows: v.as_array().map_or(0, |a| a.len() as u64) }).collect())
            .unwrap_or_default();
        Ok(MemberDataExport {
            path: path.display().to_string(),
            member: data["member"].as_str().unwrap_or_default().to_string(),
            tables,
            bytes: text.len() as u64,
        })
    }
}
