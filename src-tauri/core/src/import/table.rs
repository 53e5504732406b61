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

/// Excel's limit for one cell; a longer cell is a broken file (a quote never closed, a binary
/// blob), not a value anyone typed.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Where records start and whether a quoted field runs to the end of the text. Quotes are read
/// the way the csv crate reads them: a quote opens a quoted field only at the start of a field,
/// `""` inside is a quote, and a quote in the middle of a plain field (12" pizza) is just a
/// character. Record terminators (CRLF, LF or CR) count only outside quotes.
pub(crate) struct Layout {
    /// Byte offset of every record start; index + 1 is the row Excel shows.
    pub starts: Vec<usize>,
    /// Byte offset of a quote that opens a field and is never closed.
    pub unclosed: Option<usize>,
}

pub(crate) fn layout(text: &str) -> Layout {
    let b = text.as_bytes();
    let mut starts = vec![0];
    let (mut quoted, mut field_start, mut opened) = (false, true, 0);
    let mut i = 0;
    while i < b.len() {
        if quoted {
            if b[i] == b'"' {
                if b.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else {
            match b[i] {
                b'"' if field_start => {
                    quoted = true;
                    opened = i;
                }
                b',' => {
                    field_start = true;
                    i += 1;
                    continue;
                }
                b'\r' => {
                    if b.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i + 1);
                    field_start = true;
                    i += 1;
                    continue;
                }
                b'\n' => {
                    starts.push(i + 1);
                    field_start = true;
                    i += 1;
                    continue;
                }
                _ => {}
            }
            field_start = false;
        }
        i += 1;
    }
    Layout { starts, unclosed: quoted.then_some(opened) }
}

impl Layout {
    /// The Excel row of a record csv reports at `offset`: csv reports a record's position at the
    /// line break before it; step over breaks (and the blank lines among them) to its first byte.
    pub fn row_at(&self, bytes: &[u8], offset: u64) -> u32 {
        let mut at = offset as usize;
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        self.starts.partition_point(|&s| s <= at) as u32
    }
}

/// Refuses text whose quoted field is never closed: csv would read everything after the quote
/// as one cell and the rows below would silently vanish into it. Names the row (as Excel
/// numbers rows) where the quote opens.
pub(crate) fn check_quotes(file: &str, layout: &Layout) -> Result<()> {
    match layout.unclosed {
        None => Ok(()),
        Some(at) => {
            let line = layout.starts.partition_point(|&s| s <= at);
            Err(CoreError::new(
                ErrorCode::Validation,
                format!("{file} の {line} 行目: 引用符（\"）で始まるセルが閉じられないままファイルが終わっています。ファイルが途中で切れていないか、引用符の閉じ忘れがないか確かめてください"),
            ))
        }
    }
}

/// Reads `text` (already decoded) as a CSV table with a header row. `file` names it in messages.
pub fn read(text: &str, file: &str) -> Result<Table> {
    let layout = layout(text);
    check_quotes(file, &layout)?;
    let bytes = text.as_bytes();
    let excel_row = |offset: u64| -> u32 { layout.row_at(bytes, offset) };
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
        // Bytes first: a cell of at most 32,767 bytes has at most as many characters.
        if let Some(col) = cells.iter().position(|c| c.len() > MAX_CELL_CHARS && c.chars().count() > MAX_CELL_CHARS) {
            let chars = cells[col].chars().count();
            let name = headers.as_ref().and_then(|h| h.get(col)).map(|h| format!("「{h}」")).unwrap_or_default();
            let reason = format!("{}列目{name}のセルが長すぎます（{chars}文字。Excelのセルは{MAX_CELL_CHARS}文字までです）。引用符の閉じ忘れか、壊れたファイルではないか確かめてください", col + 1);
            if headers.is_none() {
                return Err(CoreError::new(ErrorCode::Validation, format!("{file} の {row} 行目: {reason}")));
            }
            // The row goes back to the user (rejected-rows file) with the cell cut: 20 MB of one cell
            // helps nobody, and the reason says how long it was.
            cells[col] = cells[col].chars().take(100).collect::<String>() + "…";
            ragged.push(Ragged { row, reason, cells });
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
