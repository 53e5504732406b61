//! A CSV file as a table of rows numbered the way Excel shows them: the header is row 1, a cell
//! with line breaks inside quotes is still one row, blank lines are rows too (they are skipped, but
//! counted). Rows with more cells than the header are reported, never silently re-aligned; missing
//! or empty trailing cells are fine.
use crate::error::{CoreError, ErrorCode, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row number Excel shows for this record.
    pub row: u32,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    /// Rows that could not be read as cells under the header.
    pub ragged: Vec<Ragged>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ragged {
    pub row: u32,
    pub reason: String,
    /// All its cells, so the row can be handed back to the user whole.
    pub cells: Vec<String>,
}

/// The Excel row number of every byte offset where a record starts: counts record terminators
/// outside quotes (CRLF, LF or CR), so quoted line breaks do not count.
fn row_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    let mut quoted = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => quoted = !quoted,
            b'\r' if !quoted => {
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                starts.push(i + 1);
            }
            b'\n' if !quoted => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// Reads `text` (already decoded) as a CSV table with a header row. `file` names it in messages.
pub fn read(text: &str, file: &str) -> Result<Table> {
    let starts = row_starts(text);
    // csv reports a record's position at the line break before it; step over breaks (and the
    // blank lines among them) to the record's first byte.
    let bytes = text.as_bytes();
    let excel_row = |offset: u64| -> u32 {
        let mut at = offset as usize;
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        starts.partition_point(|&s| s <= at) as u32
    };
    let mut rd = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut ragged = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| {
            let row = e.position().map(|p| excel_row(p.byte())).unwrap_or(0);
            CoreError::new(ErrorCode::Validation, format!("{file} の {row} 行目: CSVとして読めません（{e}）"))
        })?;
        let row = excel_row(rec.position().map(|p| p.byte()).unwrap_or(0));
        let mut cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        match &headers {
            None => {
                while cells.last().is_some_and(|c| c.is_empty()) {
                    cells.pop();
                }
                headers = Some(cells);
            }
            Some(h) => {
                while cells.len() > h.len() && cells.last().is_some_and(|c| c.is_empty()) {
                    cells.pop();
                }
                if cells.len() > h.len() {
                    let reason = format!("列が見出しより多くあります（見出し {} 列、この行 {} 列）。区切りのカンマか引用符の閉じ忘れを確かめてください", h.len(), cells.len());
                    ragged.push(Ragged { row, reason, cells });
                    continue;
                }
                cells.resize(h.len(), String::new());
                rows.push(Row { row, cells });
            }
        }
    }
    let headers = headers.ok_or_else(|| CoreError::new(ErrorCode::Validation, format!("{file}: 見出し行もデータもありません（空のファイルです）")))?;
    Ok(Table { headers, rows, ragged })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_numbered_as_excel_shows_them() {
        let text = "会員番号,氏名,備考,,\r\n1001,山田 太郎,\"二行の\r\nメモ\"\r\n\r\n1002,\"鈴木 \"\"はな\"\"\",\r\n1003,田中,,,\r\n";
        let t = read(text, "members.csv").unwrap();
        assert_eq!(t.headers, ["会員番号", "氏名", "備考"]);
        let got: Vec<_> = t.rows.iter().map(|r| (r.row, r.cells[0].as_str(), r.cells[1].as_str(), r.cells[2].as_str())).collect();
        assert_eq!(got, [(2, "1001", "山田 太郎", "二行の\r\nメモ"), (4, "1002", "鈴木 \"はな\"", ""), (5, "1003", "田中", "")]);
        assert!(t.ragged.is_empty());
    }

    #[test]
    fn ragged_rows_are_reported_not_realigned() {
        let t = read("a,b\n1,2\n3,4,5\n6\n", "x.csv").unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].cells, ["6", ""]);
        assert_eq!(t.ragged.len(), 1);
        assert_eq!(t.ragged[0].row, 3);
        assert_eq!(t.ragged[0].cells, ["3", "4", "5"]);
        assert!(read("", "empty.csv").unwrap_err().message.contains("empty.csv"));
        assert_eq!(read("a,b\n1,2", "no-final-newline.csv").unwrap().rows[0].row, 2);
    }
}
