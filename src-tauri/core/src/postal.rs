//! Postal code → address, offline, from Japan Post's own directory (KEN_ALL.CSV, CP932), which the
//! shop imports once and again when Japan Post updates it. No crate bundles the directory in a
//! well-kept way, and the file is the source every Japanese business tool uses.
use crate::error::{CoreError, ErrorCode, Result};
use crate::normalize;
use crate::store::Db;
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PostalAddress {
    pub postal_code: String,
    pub prefecture: String,
    pub city: String,
    /// 町域; empty where Japan Post lists the code for a whole city.
    pub town: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PostalImportReport {
    pub rows: u32,
    pub addresses: u32,
}

/// Reads KEN_ALL.CSV: 15 columns, code in column 3, prefecture/city/town in 7-9. Town names in
/// parentheses (「（次のビルを除く）」, lists of 番地 that run over several rows) are dropped, and
/// 「以下に掲載がない場合」 means the whole city.
pub fn parse_ken_all(text: &str, file: &str) -> Result<(u32, Vec<PostalAddress>)> {
    let mut rd = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut rows = 0;
    let mut in_paren = false;
    for rec in rd.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            CoreError::new(ErrorCode::Validation, format!("{file} の {line} 行目: CSVとして読めません（{e}）"))
        })?;
        rows += 1;
        let line = rec.position().map(|p| p.line()).unwrap_or(rows as u64);
        if rec.len() != 15 {
            return Err(CoreError::new(
                ErrorCode::Validation,
                format!("{file} の {line} 行目: 郵便番号データ（KEN_ALL.CSV）は15列のはずですが {} 列です", rec.len()),
            ));
        }
        let code = normalize::digits(&rec[2]);
        if code.len() != 7 {
            return Err(CoreError::new(
                ErrorCode::Validation,
                format!("{file} の {line} 行目 3列目（郵便番号）: 7桁の数字のはずが「{}」です", &rec[2]),
            ));
        }
        let mut town = rec[8].trim().to_string();
        if in_paren {
            in_paren = !town.contains('）');
            continue;
        }
        if let Some(open) = town.find('（') {
            in_paren = !town[open..].contains('）');
            town.truncate(open);
        }
        if town == "以下に掲載がない場合" || town.ends_with("の次に番地がくる場合") || town.ends_with("一円") && town.len() > 6 {
            town.clear();
        }
        out.push(PostalAddress {
            postal_code: format!("{}-{}", &code[..3], &code[3..]),
            prefecture: rec[6].trim().to_string(),
            city: rec[7].trim().to_string(),
            town,
        });
    }
    if rows == 0 {
        return Err(CoreError::new(ErrorCode::Validation, format!("{file}: 郵便番号データが1行もありません")));
    }
    out.sort_by(|a, b| (&a.postal_code, &a.prefecture, &a.city, &a.town).cmp(&(&b.postal_code, &b.prefecture, &b.city, &b.town)));
    out.dedup();
    Ok((rows, out))
}

impl Db {
    /// Replaces the postal directory with the contents of a KEN_ALL.CSV file, in one transaction.
    pub fn import_postal_codes(&mut self, path: &Path) -> Result<PostalImportReport> {
        let (text, _) = crate::textfile::read(path)?;
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let (rows, addresses) = parse_ken_all(&text, &name)?;
        self.write_bulk("postal_codes", "郵便番号データの置き換え", |tx| crate::store::postal::replace_all(tx, &addresses))?;
        Ok(PostalImportReport { rows, addresses: addresses.len() as u32 })
    }

    /// The addresses of a postal code (several towns can share one); empty when unknown or
    /// when no directory was imported.
    pub fn lookup_postal_code(&self, code: &str) -> Result<Vec<PostalAddress>> {
        match normalize::postal_code(code) {
            Ok(c) if !c.is_empty() => crate::store::postal::lookup(&self.conn, &c),
            _ => Ok(Vec::new()),
        }
    }

    /// How many addresses the imported directory holds (0: none imported yet).
    /// Every known postal code (empty when no directory was imported).
    pub(crate) fn postal_code_set(&self) -> Result<std::collections::HashSet<String>> {
        crate::store::postal::all_codes(&self.conn)
    }

    pub fn postal_directory_size(&self) -> Result<u32> {
        crate::store::postal::count(&self.conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rows in KEN_ALL's layout, including a town whose parenthesised list runs over two rows.
    const SAMPLE: &str = "\
13101,\"100  \",\"1000000\",\"ﾄｳｷｮｳﾄ\",\"ﾁﾖﾀﾞｸ\",\"ｲｶﾆｹｲｻｲｶﾞﾅｲﾊﾞｱｲ\",\"東京都\",\"千代田区\",\"以下に掲載がない場合\",0,0,0,0,0,0
13101,\"100  \",\"1000005\",\"ﾄｳｷｮｳﾄ\",\"ﾁﾖﾀﾞｸ\",\"ﾏﾙﾉｳﾁ(ﾂｷﾞﾉﾋﾞﾙｦﾉｿﾞｸ)\",\"東京都\",\"千代田区\",\"丸の内（次のビルを除く）\",0,0,1,0,0,0
01101,\"060  \",\"0600042\",\"ﾎｯｶｲﾄﾞｳ\",\"ｻｯﾎﾟﾛｼﾁｭｳｵｳｸ\",\"ｵｵﾄﾞｵﾘﾆｼ(1-19ﾁｮｳﾒ)\",\"北海道\",\"札幌市中央区\",\"大通西（１～１９丁目）\",1,0,1,0,0,0
01101,\"064  \",\"0640820\",\"ﾎｯｶｲﾄﾞｳ\",\"ｻｯﾎﾟﾛｼﾁｭｳｵｳｸ\",\"ｵｵﾄﾞｵﾘﾆｼ(20-28ﾁｮｳﾒ)\",\"北海道\",\"札幌市中央区\",\"大通西（２０～２８丁目、次の番地を\",1,0,1,0,0,0
01101,\"064  \",\"0640820\",\"ﾎｯｶｲﾄﾞｳ\",\"ｻｯﾎﾟﾛｼﾁｭｳｵｳｸ\",\"ｵｵﾄﾞｵﾘﾆｼ(20-28ﾁｮｳﾒ)\",\"北海道\",\"札幌市中央区\",\"除く）\",1,0,1,0,0,0
27127,\"530  \",\"5300001\",\"ｵｵｻｶﾌ\",\"ｵｵｻｶｼｷﾀｸ\",\"ｳﾒﾀﾞ\",\"大阪府\",\"大阪市北区\",\"梅田\",0,0,1,0,0,0
";

    #[test]
    fn reads_ken_all_rows_and_looks_up() {
        let (rows, list) = parse_ken_all(SAMPLE, "KEN_ALL.CSV").unwrap();
        assert_eq!(rows, 6);
        let towns: Vec<_> = list.iter().map(|a| (a.postal_code.as_str(), a.town.as_str())).collect();
        assert_eq!(towns, [("060-0042", "大通西"), ("064-0820", "大通西"), ("100-0000", ""), ("100-0005", "丸の内"), ("530-0001", "梅田")]);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("KEN_ALL.CSV");
        let (cp932, _, _) = encoding_rs::SHIFT_JIS.encode(SAMPLE);
        std::fs::write(&path, cp932).unwrap();
        let mut db = Db::open_in_memory().unwrap();
        assert!(db.lookup_postal_code("100-0005").unwrap().is_empty());
        let r = db.import_postal_codes(&path).unwrap();
        assert_eq!((r.rows, r.addresses), (6, 5));
        let found = db.lookup_postal_code("〒１００－０００５").unwrap();
        assert_eq!(found[0].prefecture, "東京都");
        assert_eq!(found[0].city, "千代田区");
        assert_eq!(found[0].town, "丸の内");
        assert_eq!(db.postal_directory_size().unwrap(), 5);
    }

    #[test]
    fn a_broken_row_names_file_line_and_column() {
        let bad = SAMPLE.replace("\"5300001\"", "\"53000\"");
        let e = parse_ken_all(&bad, "KEN_ALL.CSV").unwrap_err();
        assert!(e.message.contains("KEN_ALL.CSV の 6 行目 3列目"), "{}", e.message);
        let short = "13101,\"100  \",\"1000000\"\n";
        assert!(parse_ken_all(short, "x.csv").unwrap_err().message.contains("15列"));
    }
}
