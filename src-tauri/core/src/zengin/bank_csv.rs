//! Online-banking CSV statements: no standard, so the columns are found by their header names
//! (a mapping detected from synonyms, or the one staff set up for their bank).
use super::statement::{Direction, StatementAccount, StatementEntry, StatementFile, StatementKind};
use crate::error::{CoreError, ErrorCode, FieldError, Result};
use crate::import::{table, values};
use crate::{normalize, textfile};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Header names of the columns, as they appear in the bank's file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CsvMapping {
    pub date: String,
    pub description: String,
    pub deposit: String,
    pub withdrawal: String,
    /// "" when the file has no balance column.
    pub balance: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BankCsv {
    /// The header row as found (for the mapping editor).
    pub headers: Vec<String>,
    pub mapping: CsvMapping,
    /// Kind `Csv`, one account with empty fields.
    pub file: StatementFile,
}

/// Roles in the order of [`CsvMapping`]'s fields, with the header names banks use for them.
const ROLES: [(&str, &[&str]); 5] = [
    ("日付", &["日付", "お取引日", "取引日", "勘定日", "年月日"]),
    ("摘要", &["摘要", "お取引内容", "取引内容", "内容", "お振込人", "振込依頼人名"]),
    ("入金額", &["お預入金額", "入金金額", "お預入れ金額", "預入金額", "入金"]),
    ("出金額", &["お引出金額", "出金金額", "お引出し金額", "支払金額", "出金"]),
    ("残高", &["残高", "差引残高"]),
];

/// Rows searched for the header: some banks put an account title or period above it.
const HEADER_ROWS: usize = 10;

fn key(s: &str) -> String {
    normalize::nfkc(s).chars().filter(|c| !c.is_whitespace()).collect()
}

/// The column of each role, or None. Exact names win over names that merely contain a synonym
/// (お預入金額 must not be taken by 入金 before 入金金額 is looked at), and a column serves one role.
fn assign(headers: &[String]) -> [Option<usize>; 5] {
    let keys: Vec<String> = headers.iter().map(|h| key(h)).collect();
    let mut found = [None; 5];
    let mut taken = vec![false; keys.len()];
    for exact in [true, false] {
        for (role, (_, synonyms)) in ROLES.iter().enumerate() {
            if found[role].is_some() {
                continue;
            }
            let hit = synonyms.iter().find_map(|s| keys.iter().enumerate().position(|(i, k)| !taken[i] && !k.is_empty() && if exact { k == s } else { k.contains(s) }));
            if let Some(i) = hit {
                found[role] = Some(i);
                taken[i] = true;
            }
        }
    }
    found
}

fn mapping_of(headers: &[String], found: &[Option<usize>; 5]) -> CsvMapping {
    let name = |role: usize| found[role].map(|i| headers[i].trim().to_string()).unwrap_or_default();
    CsvMapping { date: name(0), description: name(1), deposit: name(2), withdrawal: name(3), balance: name(4) }
}

/// The mapping for a header row, when date, description, deposit and withdrawal all are found.
pub fn detect_mapping(headers: &[String]) -> Option<CsvMapping> {
    let found = assign(headers);
    found[..4].iter().all(Option::is_some).then(|| mapping_of(headers, &found))
}

/// Columns of a given mapping in a row; Err with the names that are missing.
fn columns_of(row: &[String], m: &CsvMapping) -> std::result::Result<[Option<usize>; 5], Vec<String>> {
    let keys: Vec<String> = row.iter().map(|h| key(h)).collect();
    let mut missing = Vec::new();
    let mut cols = [None; 5];
    for (i, name) in [&m.date, &m.description, &m.deposit, &m.withdrawal, &m.balance].into_iter().enumerate() {
        if name.trim().is_empty() {
            continue;
        }
        match keys.iter().position(|k| *k == key(name)) {
            Some(c) => cols[i] = Some(c),
            None => missing.push(name.trim().to_string()),
        }
    }
    if missing.is_empty() { Ok(cols) } else { Err(missing) }
}

fn invalid(message: String) -> CoreError {
    CoreError::new(ErrorCode::Validation, message)
}

/// The file's rows with the line an editor shows for each.
fn read_rows(bytes: &[u8], file: &str) -> Result<Vec<(u32, Vec<String>)>> {
    let (text, _) = textfile::decode(bytes, file)?;
    table::check_quotes(file, &table::layout(&text))?;
    // csv reports a record at the line break before it and does not count blank lines or CRLF
    // the way an editor does: the physical line is counted from the record's first byte instead.
    let bytes = text.as_bytes();
    let (mut counted_to, mut newlines) = (0, 0);
    let mut line_at = |offset: u64| -> u32 {
        let mut at = offset as usize;
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        newlines += memchr::memchr_iter(b'\n', &bytes[counted_to.min(at)..at]).count();
        counted_to = counted_to.max(at);
        newlines as u32 + 1
    };
    let mut rows = Vec::new();
    for r in csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes).into_records() {
        let r = r.map_err(|e| {
            let line = e.position().map(|p| format!(" {} 行目", line_at(p.byte()))).unwrap_or_default();
            invalid(format!("{file}{line}: CSVとして読めません（{e}）"))
        })?;
        let line = line_at(r.position().map(|p| p.byte()).unwrap_or(0));
        if let Some(col) = r.iter().position(|c| c.len() > table::MAX_CELL_CHARS && c.chars().count() > table::MAX_CELL_CHARS) {
            return Err(invalid(format!(
                "{file} の {line} 行目: {}列目のセルが長すぎます（{}文字。Excelのセルは{}文字までです）。銀行のCSVか確かめてください",
                col + 1,
                r[col].chars().count(),
                table::MAX_CELL_CHARS
            )));
        }
        rows.push((line, r.iter().map(|c| c.trim().to_string()).collect::<Vec<String>>()));
    }
    Ok(rows)
}

/// The cells of the row that looks most like the header (for staff to map the columns when
/// they are not recognised).
pub fn header_row(bytes: &[u8], file: &str) -> Result<Vec<String>> {
    let rows = read_rows(bytes, file)?;
    Ok(closest_header(&rows, None).map(|(_, cells, _)| cells.clone()).unwrap_or_default())
}

/// Reads a bank's CSV statement (CP932 or UTF-8). All or nothing: every bad row is reported,
/// by line number, and no entry is returned while any row is wrong.
pub fn parse_bank_csv(bytes: &[u8], file: &str, mapping: Option<&CsvMapping>) -> Result<BankCsv> {
    let rows = read_rows(bytes, file)?;
    if let Some(m) = mapping {
        if m.date.trim().is_empty() || m.deposit.trim().is_empty() || m.withdrawal.trim().is_empty() {
            return Err(invalid(format!("{file}: 列の対応で、日付・入金額・出金額の列を指定してください")));
        }
    }
    let nonblank = |cells: &[String]| cells.iter().any(|c| !c.is_empty());
    if !rows.iter().any(|(_, cells)| nonblank(cells)) {
        return Err(invalid(format!("{file}: ファイルが空です")));
    }

    let mut header = None;
    for (at, (_, cells)) in rows.iter().enumerate().take(HEADER_ROWS) {
        let cols = match mapping {
            Some(m) => columns_of(cells, m).ok(),
            None => Some(assign(cells)).filter(|f| f[..4].iter().all(Option::is_some)),
        };
        if let Some(cols) = cols {
            header = Some((at, cols));
            break;
        }
    }
    let Some((at, cols)) = header else { return Err(no_header(&rows, file, mapping)) };
    let headers = rows[at].1.clone();
    let name = |role: usize| cols[role].map(|i| headers[i].clone()).unwrap_or_default();

    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (line, cells) in &rows[at + 1..] {
        if !nonblank(cells) {
            continue;
        }
        let cell = |role: usize| cols[role].and_then(|i| cells.get(i)).map(String::as_str).unwrap_or("");
        let mut fail = |role: usize, reason: String| errors.push(FieldError { field: format!("line {line}"), message: format!("{file} の {line} 行目「{}」: {reason}", name(role)) });
        let date = values::typed_date(cell(0)).map_err(|e| fail(0, e)).ok();
        let deposit = amount(cell(2)).map_err(|e| fail(2, e)).ok();
        let withdrawal = amount(cell(3)).map_err(|e| fail(3, e)).ok();
        let (Some(date), Some(deposit), Some(withdrawal)) = (date, deposit, withdrawal) else { continue };
        let (direction, amount) = match (deposit, withdrawal) {
            (d, 0) if d > 0 => (Direction::In, d),
            (0, w) if w > 0 => (Direction::Out, w),
            (0, 0) => {
                fail(2, "入金額も出金額もありません".into());
                continue;
            }
            _ => {
                fail(2, format!("入金額（{}）と出金額（{}）の両方に金額があります", cell(2), cell(3)));
                continue;
            }
        };
        let description = cell(1).to_string();
        entries.push(StatementEntry {
            line: *line,
            account: 0,
            inquiry_no: String::new(),
            value_date: date,
            direction,
            transaction_kind: String::new(),
            amount,
            remitter_code: String::new(),
            remitter_name: remitter(&description),
            sending_bank: String::new(),
            sending_branch: String::new(),
            memo: description,
            edi: String::new(),
            cancel: false,
        });
    }
    if !errors.is_empty() {
        return Err(CoreError::fields(errors));
    }
    let file = StatementFile {
        kind: StatementKind::Csv,
        created: None,
        period_from: entries.iter().map(|e| e.value_date).min(),
        period_to: entries.iter().map(|e| e.value_date).max(),
        accounts: vec![StatementAccount::default()],
        entries,
    };
    let mapping = mapping_of(&headers, &cols);
    Ok(BankCsv { headers, mapping, file })
}

/// The row among the first ones that comes closest to a header, and the columns it lacks.
fn closest_header<'a>(rows: &'a [(u32, Vec<String>)], mapping: Option<&CsvMapping>) -> Option<(u32, &'a Vec<String>, Vec<String>)> {
    let missing = |cells: &[String]| match mapping {
        Some(m) => columns_of(cells, m).err().unwrap_or_default(),
        None => {
            let found = assign(cells);
            (0..4).filter(|&r| found[r].is_none()).map(|r| ROLES[r].0.to_string()).collect()
        }
    };
    rows.iter()
        .take(HEADER_ROWS)
        .filter(|(_, c)| c.iter().any(|c| !c.is_empty()))
        .map(|(line, cells)| (*line, cells, missing(cells)))
        .min_by_key(|(_, _, missing)| missing.len())
}

/// Says which row came closest to a header and what could not be found in it; the error's field
/// is `mapping`, so the window knows to ask for the columns (`header_row` gives it the cells).
fn no_header(rows: &[(u32, Vec<String>)], file: &str, mapping: Option<&CsvMapping>) -> CoreError {
    let Some((line, cells, missing)) = closest_header(rows, mapping) else {
        return invalid(format!("{file}: 最初の{HEADER_ROWS}行が空で、見出し行が見つかりません"));
    };
    let what = if mapping.is_some() { "指定された列" } else { "日付・摘要・入金額・出金額の列" };
    invalid(format!(
        "{file}: 見出し行が見つかりません。最初の{HEADER_ROWS}行に{what}がそろった行がありません（{line}行目の列: {}。見つからない列: {}）。列の対応を指定してください",
        cells.join("、"),
        missing.join("、")
    ))
    .at("mapping")
}

/// Yen as bank CSVs write it (1,234 ￥1,234 1234円, full-width digits); blank is 0.
fn amount(raw: &str) -> std::result::Result<i64, String> {
    if raw.is_empty() {
        return Ok(0);
    }
    match values::yen(raw)? {
        n if n < 0 => Err(format!("金額がマイナスです（{raw}）")),
        n => Ok(n),
    }
}

/// The remitter from a description: banks prefix incoming transfers with 振込 / ﾌﾘｺﾐ.
fn remitter(description: &str) -> String {
    for prefix in ["振込", "ﾌﾘｺﾐ", "フリコミ"] {
        if let Some(rest) = description.strip_prefix(prefix) {
            if rest.starts_with([' ', '　']) {
                return rest.trim_start_matches([' ', '　']).to_string();
            }
        }
    }
    description.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn cp932(s: &str) -> Vec<u8> {
        let (b, _, bad) = encoding_rs::SHIFT_JIS.encode(s);
        assert!(!bad);
        b.into_owned()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn summary(c: &BankCsv) -> Vec<(u32, NaiveDate, Direction, i64, String, String)> {
        c.file.entries.iter().map(|e| (e.line, e.value_date, e.direction, e.amount, e.remitter_name.clone(), e.memo.clone())).collect()
    }

    #[test]
    fn typical_cp932_statement() {
        let text = "日付,摘要,お引出金額,お預入金額,残高\r\n2026/11/23,振込 ﾔﾏﾀﾞ ﾊﾅｺ,,\"12,800\",\"1,012,800\"\r\n2026/11/24,ｺｳｻﾞﾌﾘｶｴ ｱﾌﾟﾗｽ,\"3,300\",,\"1,009,500\"\r\n\r\n2026/11/25,振込　サトウ　ジロウ,,4980,\"1,014,480\"\r\n";
        let c = parse_bank_csv(&cp932(text), "meisai.csv", None).unwrap();
        assert_eq!(c.headers, strings(&["日付", "摘要", "お引出金額", "お預入金額", "残高"]));
        assert_eq!(c.mapping, CsvMapping { date: "日付".into(), description: "摘要".into(), deposit: "お預入金額".into(), withdrawal: "お引出金額".into(), balance: "残高".into() });
        assert_eq!(
            summary(&c),
            vec![
                (2, d(2026, 11, 23), Direction::In, 12_800, "ﾔﾏﾀﾞ ﾊﾅｺ".into(), "振込 ﾔﾏﾀﾞ ﾊﾅｺ".into()),
                (3, d(2026, 11, 24), Direction::Out, 3_300, "ｺｳｻﾞﾌﾘｶｴ ｱﾌﾟﾗｽ".into(), "ｺｳｻﾞﾌﾘｶｴ ｱﾌﾟﾗｽ".into()),
                (5, d(2026, 11, 25), Direction::In, 4_980, "サトウ　ジロウ".into(), "振込　サトウ　ジロウ".into()),
            ]
        );
        assert_eq!((c.file.kind, c.file.period_from, c.file.period_to), (StatementKind::Csv, Some(d(2026, 11, 23)), Some(d(2026, 11, 25))));
        assert_eq!(c.file.accounts, vec![StatementAccount::default()]);
    }

    #[test]
    fn header_on_row_three_and_era_dates() {
        let text = "普通預金 1234567 ｶ)ﾃｲｷﾋﾞﾝ\n照会期間,2026/11/01～2026/11/30\n\"お取引日\",\"お取引内容\",\"出金金額\",\"入金金額\",\"差引残高\"\n\
            2026年11月23日,ﾌﾘｺﾐ ﾀﾅｶ ｲﾁﾛｳ,,\"￥1,234\"\n\
            R8.11.24,カード,\"¥2,000\",,\n\
            令和8年11月25日,振込手数料,１１０円,,\n\
            20261126,ﾌﾘｺﾐ ｽｽﾞｷ,,\"1,000\"\n\
            2026-11-27,振込 ﾔﾏﾀﾞ,,500\n\n\
            H31.04.30,ﾍｲｾｲ,,1\n";
        let c = parse_bank_csv(text.as_bytes(), "meisai.csv", None).unwrap();
        assert_eq!(c.mapping, CsvMapping { date: "お取引日".into(), description: "お取引内容".into(), deposit: "入金金額".into(), withdrawal: "出金金額".into(), balance: "差引残高".into() });
        assert_eq!(
            c.file.entries.iter().map(|e| (e.line, e.value_date, e.direction, e.amount, e.remitter_name.as_str())).collect::<Vec<_>>(),
            vec![
                (4, d(2026, 11, 23), Direction::In, 1_234, "ﾀﾅｶ ｲﾁﾛｳ"),
                (5, d(2026, 11, 24), Direction::Out, 2_000, "カード"),
                (6, d(2026, 11, 25), Direction::Out, 110, "振込手数料"),
                (7, d(2026, 11, 26), Direction::In, 1_000, "ｽｽﾞｷ"),
                (8, d(2026, 11, 27), Direction::In, 500, "ﾔﾏﾀﾞ"),
                (10, d(2019, 4, 30), Direction::In, 1, "ﾍｲｾｲ"),
            ]
        );
    }

    #[test]
    fn explicit_mapping() {
        let text = "取扱日,お取引先,お支払額,お受取額\n2026/11/23,ﾔﾏﾀﾞ ﾊﾅｺ,,980\n2026/11/24,ﾃﾞﾝｷﾀﾞｲ,5400,\n";
        let headers = strings(&["取扱日", "お取引先", "お支払額", "お受取額"]);
        assert_eq!(detect_mapping(&headers), None);
        let e = parse_bank_csv(text.as_bytes(), "b.csv", None).unwrap_err();
        assert_eq!((e.field.as_deref(), header_row(&cp932(text), "b.csv").unwrap()), (Some("mapping"), headers.clone()));
        assert_eq!(e.message, "b.csv: 見出し行が見つかりません。最初の10行に日付・摘要・入金額・出金額の列がそろった行がありません（1行目の列: 取扱日、お取引先、お支払額、お受取額。見つからない列: 日付、摘要、入金額、出金額）。列の対応を指定してください");
        let m = CsvMapping { date: "取扱日".into(), description: "お取引先".into(), deposit: "お受取額".into(), withdrawal: "お支払額".into(), balance: String::new() };
        let c = parse_bank_csv(text.as_bytes(), "b.csv", Some(&m)).unwrap();
        assert_eq!(c.mapping, m);
        assert_eq!(summary(&c), vec![(2, d(2026, 11, 23), Direction::In, 980, "ﾔﾏﾀﾞ ﾊﾅｺ".into(), "ﾔﾏﾀﾞ ﾊﾅｺ".into()), (3, d(2026, 11, 24), Direction::Out, 5_400, "ﾃﾞﾝｷﾀﾞｲ".into(), "ﾃﾞﾝｷﾀﾞｲ".into())]);
        let wrong = CsvMapping { deposit: "入金".into(), ..m };
        let e = parse_bank_csv(text.as_bytes(), "b.csv", Some(&wrong)).unwrap_err();
        assert!(e.message.contains("指定された列がそろった行がありません（1行目の列: 取扱日、お取引先、お支払額、お受取額。見つからない列: 入金）"), "{}", e.message);
    }

    #[test]
    fn detects_synonyms_after_nfkc() {
        let m = detect_mapping(&strings(&["年月日", " お取引内容 ", "お預入れ金額（円）", "お引出し金額（円）", "ＡＢＣ"])).unwrap();
        assert_eq!(m, CsvMapping { date: "年月日".into(), description: "お取引内容".into(), deposit: "お預入れ金額（円）".into(), withdrawal: "お引出し金額（円）".into(), balance: String::new() });
        let m = detect_mapping(&strings(&["勘定日", "入金", "出金", "振込依頼人名"])).unwrap();
        assert_eq!((m.description.as_str(), m.deposit.as_str(), m.withdrawal.as_str()), ("振込依頼人名", "入金", "出金"));
        assert_eq!(detect_mapping(&strings(&["日付", "メモ", "金額"])), None);
    }

    #[test]
    fn unknown_headers() {
        let e = parse_bank_csv(&cp932("日付,メモ,金額\n2026/11/23,x,100\n"), "c.csv", None).unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(e.message.contains("（1行目の列: 日付、メモ、金額。見つからない列: 摘要、入金額、出金額）"), "{}", e.message);
        assert!(parse_bank_csv(b"\r\n,,\r\n", "c.csv", None).unwrap_err().message.contains("c.csv: ファイルが空です"));
    }

    #[test]
    fn every_bad_row_is_reported() {
        let text = "日付,摘要,お引出金額,お預入金額\n2026/11/23,ok,,100\n2026/11/24,a,,\"12,8OO\"\n2026/13/01,b,,100\n2026/11/26,c,-500,\n2026/11/27,d,,\n2026/11/28,e,100,200\n";
        let e = parse_bank_csv(text.as_bytes(), "d.csv", None).unwrap_err();
        assert_eq!(e.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), vec!["line 3", "line 4", "line 5", "line 6", "line 7"]);
        let m: Vec<&str> = e.fields.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(m[0], "d.csv の 3 行目「お預入金額」: 金額として読めません（12,8OO）。1980 や ¥1,980 のように円単位の整数で書いてください");
        assert_eq!(m[1], "d.csv の 4 行目「日付」: 13月という月はありません（2026/13/01）");
        assert_eq!(m[2], "d.csv の 5 行目「お引出金額」: 金額がマイナスです（-500）");
        assert_eq!(m[3], "d.csv の 6 行目「お預入金額」: 入金額も出金額もありません");
        assert_eq!(m[4], "d.csv の 7 行目「お預入金額」: 入金額（200）と出金額（100）の両方に金額があります");
        assert!(e.message.ends_with("（ほか4件の入力エラー）"));
    }
}
