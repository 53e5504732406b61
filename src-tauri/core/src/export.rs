//! Members out to a CSV file a shop can open in Excel and bring back in with the importer:
//! headers the importer recognises (`import::headers`), CRLF line ends, Shift_JIS (CP932) by
//! default, which is what Excel on Japanese Windows reads without asking.
//!
//! CP932 cannot hold every character people type (〜 WAVE DASH from a Mac, 𠮷, 鷗, emoji, é),
//! and a few it "holds" come back as something else (¥ → \, − → －, ‾ → ~). encoding_rs would
//! write the first kind as HTML references (`&#12316;`) and the second silently, and report
//! neither as a problem. So the encoded file is decoded again and compared; when anything would
//! not survive, the whole file is written as UTF-8 with a BOM instead (Excel reads that too) and
//! `unencodable` says which member, which column and which character forced it.
use crate::error::{CoreError, Result};
use crate::printable::{cp932, Charset};
use crate::members::{Gender, Member, MemberKind};
use crate::store::{export as sql, Db};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashSet;
use ts_rs::TS;

/// The columns of a members' export, in file order: the importer's field key and the header.
/// Every header but 種別 is one the importer maps to that key (tested below); 種別 is written so
/// the file says which members are companies, though the importer does not read it yet.
pub const MEMBER_COLUMNS: &[(&str, &str)] = &[
    ("code", "会員番号"),
    ("kind", "種別"),
    ("name", "氏名"),
    ("kana", "フリガナ"),
    ("company", "会社名"),
    ("department", "部署"),
    ("postal_code", "郵便番号"),
    ("prefecture", "都道府県"),
    ("city", "市区町村"),
    // 「町域・番地」, the form's label, is not one of the importer's header words.
    ("street", "町名番地"),
    ("building", "建物名"),
    ("phone", "電話番号"),
    ("mobile", "携帯電話"),
    ("fax", "FAX"),
    ("email", "メールアドレス"),
    ("birthday", "生年月日"),
    ("gender", "性別"),
    ("joined_on", "入会日"),
    ("valid_until", "有効期限"),
    ("status", "状態"),
    ("dm_opt_out", "DM不要"),
    ("notes", "備考"),
    ("tags", "タグ"),
];

/// What the importer splits a tag cell on (`import::members`); a tag holding one of these comes
/// back as several tags.
const TAG_SEPARATORS: [char; 7] = ['、', ',', '，', '/', '／', ' ', '　'];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CsvEncoding {
    /// Shift_JIS (CP932, Windows-31J): Excel's own CSV encoding on Japanese Windows.
    #[default]
    Cp932,
    /// UTF-8 with a BOM, so Excel does not take it for Shift_JIS.
    Utf8Bom,
}

impl CsvEncoding {
    /// As the import preview names encodings.
    pub fn label(self) -> &'static str {
        match self {
            CsvEncoding::Cp932 => "Shift_JIS（CP932）",
            CsvEncoding::Utf8Bom => "UTF-8（BOM付き）",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct MemberExportOptions {
    /// The encoding asked for. CP932 falls back to UTF-8 (BOM) when a value cannot be held.
    pub encoding: CsvEncoding,
    /// Field keys of `MEMBER_COLUMNS`, in the order wanted; empty: every column.
    pub columns: Vec<String>,
}

/// A value that changes the file or will not come back the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportIssue {
    /// The member's code.
    pub code: String,
    /// The column header.
    pub column: String,
    pub message: String,
}

/// An exported file.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CsvExport {
    pub bytes: Vec<u8>,
    /// The encoding written: UTF-8 (BOM) when CP932 was asked for but `unencodable` is not empty.
    pub encoding: CsvEncoding,
    /// Members written (the header not counted).
    pub rows: u32,
    /// Values with characters Shift_JIS (CP932) cannot hold; why the file is UTF-8 instead.
    pub unencodable: Vec<ExportIssue>,
    /// Values the importer would not read back the same (a tag holding a separator).
    pub warnings: Vec<ExportIssue>,
}

fn date(d: Option<chrono::NaiveDate>) -> Cow<'static, str> {
    match d {
        Some(d) => Cow::Owned(d.format("%Y/%m/%d").to_string()),
        None => Cow::Borrowed(""),
    }
}

/// The text of one column for one member, in a form the importer reads back to the same value.
fn cell<'a>(m: &'a Member, key: &str) -> Cow<'a, str> {
    let s = |v: &'a String| Cow::Borrowed(v.as_str());
    match key {
        "code" => s(&m.code),
        "kind" => Cow::Borrowed(match m.kind {
            MemberKind::Person => "個人",
            MemberKind::Company => "法人",
        }),
        "name" => s(&m.name),
        "kana" => s(&m.kana),
        "company" => s(&m.company),
        "department" => s(&m.department),
        "postal_code" => s(&m.postal_code),
        "prefecture" => s(&m.prefecture),
        "city" => s(&m.city),
        "street" => s(&m.street),
        "building" => s(&m.building),
        "phone" => s(&m.phone),
        "mobile" => s(&m.mobile),
        "fax" => s(&m.fax),
        "email" => s(&m.email),
        "birthday" => date(m.birthday),
        "gender" => Cow::Borrowed(match m.gender {
            Some(Gender::Female) => "女",
            Some(Gender::Male) => "男",
            Some(Gender::Other) => "その他",
            None => "",
        }),
        "joined_on" => date(Some(m.joined_on)),
        "valid_until" => date(m.valid_until),
        "status" => Cow::Borrowed(m.status.label()),
        "dm_opt_out" => Cow::Borrowed(if m.dm_opt_out { "○" } else { "" }),
        "notes" => s(&m.notes),
        "tags" => Cow::Owned(m.tags.join("、")),
        _ => unreachable!("columns are checked against MEMBER_COLUMNS"),
    }
}

fn csv_err(e: csv::Error) -> CoreError {
    CoreError::new(crate::error::ErrorCode::Io, format!("CSVを書けません: {e}"))
}

impl Db {
    /// Every member not merged away, all columns, as a CSV file (CP932, or UTF-8 with a BOM when
    /// `cp932` is false or a value cannot be held in CP932).
    pub fn export_members_csv(&self, cp932: bool) -> Result<CsvExport> {
        let encoding = if cp932 { CsvEncoding::Cp932 } else { CsvEncoding::Utf8Bom };
        self.export_members(&MemberExportOptions { encoding, columns: Vec::new() })
    }

    /// Members not merged away, in code order, as a CSV file with the columns asked for.
    pub fn export_members(&self, opts: &MemberExportOptions) -> Result<CsvExport> {
        let columns: Vec<(&'static str, &'static str)> = if opts.columns.is_empty() {
            MEMBER_COLUMNS.to_vec()
        } else {
            let mut seen = HashSet::new();
            let mut out = Vec::with_capacity(opts.columns.len());
            for key in &opts.columns {
                let Some(col) = MEMBER_COLUMNS.iter().find(|(k, _)| k == key) else {
                    return Err(CoreError::field("columns", format!("書き出せる列に「{key}」はありません")));
                };
                if !seen.insert(col.0) {
                    return Err(CoreError::field("columns", format!("「{}」列が2回指定されています", col.1)));
                }
                out.push(*col);
            }
            out
        };
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::with_capacity(1 << 20));
        w.write_record(columns.iter().map(|(_, h)| *h)).map_err(csv_err)?;
        let mut rows = 0u32;
        let mut warnings = Vec::new();
        let tags_written = columns.iter().any(|(k, _)| *k == "tags");
        sql::each_member(&self.conn, |m| {
            for (k, _) in &columns {
                w.write_field(cell(m, k).as_bytes()).map_err(csv_err)?;
            }
            w.write_record(None::<&[u8]>).map_err(csv_err)?;
            rows += 1;
            if tags_written {
                for t in m.tags.iter().filter(|t| t.contains(TAG_SEPARATORS)) {
                    warnings.push(ExportIssue {
                        code: m.code.clone(),
                        column: "タグ".into(),
                        message: format!("タグ「{t}」は区切り文字（、 , / 空白）を含むため、取り込み直すと別々のタグに分かれます"),
                    });
                }
            }
            Ok(())
        })?;
        let utf8 = String::from_utf8(w.into_inner().map_err(|e| csv_err(e.into_error().into()))?).expect("csv writes the UTF-8 it is given");
        let mut unencodable = Vec::new();
        if opts.encoding == CsvEncoding::Cp932 {
            if let Some(bytes) = cp932(&utf8) {
                return Ok(CsvExport { bytes, encoding: CsvEncoding::Cp932, rows, unencodable, warnings });
            }
            // Rare: find every value that cannot be held, so the user can be told.
            let mut bad: std::collections::HashMap<char, bool> = std::collections::HashMap::new();
            sql::each_member(&self.conn, |m| {
                for (key, header) in &columns {
                    let text = cell(m, key);
                    let mut lost: Vec<char> = Vec::new();
                    for c in text.chars() {
                        if *bad.entry(c).or_insert_with(|| !Charset::Cp932.takes(c)) && !lost.contains(&c) {
                            lost.push(c);
                        }
                    }
                    if !lost.is_empty() {
                        let chars: String = lost.iter().map(|c| format!("「{c}」(U+{:04X})", *c as u32)).collect::<Vec<_>>().join("");
                        unencodable.push(ExportIssue {
                            code: m.code.clone(),
                            column: header.to_string(),
                            message: format!("{chars}はShift_JIS（CP932）で書けないため、ファイルをUTF-8（BOM付き）で書き出しました"),
                        });
                    }
                }
                Ok(())
            })?;
        }
        let mut bytes = Vec::with_capacity(utf8.len() + 3);
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
        bytes.extend_from_slice(utf8.as_bytes());
        Ok(CsvExport { bytes, encoding: CsvEncoding::Utf8Bom, rows, unencodable, warnings })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{headers, ImportKind, ImportOptions, Source};
    use crate::members::{MemberInput, MemberStatus, StatusChange};

    fn hanako() -> MemberInput {
        MemberInput {
            name: "髙橋 花子".into(),
            kana: "ﾀｶﾊｼ ﾊﾅｺ".into(),
            postal_code: "154-0015".into(),
            prefecture: "東京都".into(),
            city: "世田谷区".into(),
            street: "桜新町2-3-4".into(),
            building: "メゾン桜 101号室".into(),
            phone: "03-1234-5678".into(),
            mobile: "090-1111-2222".into(),
            email: "hanako@example.jp".into(),
            birthday: "1970-03-03".into(),
            gender: Some(Gender::Female),
            joined_on: "2019-04-01".into(),
            valid_until: "2029-03-31".into(),
            dm_opt_out: true,
            notes: "午前中の配達を希望。\n「ﾄﾞｱﾎﾝ」は2回, \"強め\"に".into(),
            tags: vec!["会報誌".into(), "VIP".into()],
            ..Default::default()
        }
    }

    fn decode(bytes: &[u8]) -> String {
        crate::textfile::decode(bytes, "x.csv").unwrap().0
    }

    #[test]
    fn every_header_but_kind_is_recognised_by_the_importer() {
        for (key, header) in MEMBER_COLUMNS {
            let want = if *key == "kind" { None } else { Some(*key) };
            assert_eq!(headers::recognise(ImportKind::Members, header), want, "{header}");
        }
        let keys: Vec<&str> = headers::fields(ImportKind::Members).iter().map(|f| f.key).collect();
        for key in keys.iter().filter(|k| !matches!(**k, "address" | "contacts")) {
            assert!(MEMBER_COLUMNS.iter().any(|(k, _)| k == key), "{key} is not exported");
        }
    }

    #[test]
    fn writes_cp932_with_crlf_and_quotes() {
        let mut db = Db::open_in_memory().unwrap();
        db.create_member(&hanako(), "").unwrap();
        db.create_member(&MemberInput { name: "㈱山の恵み".into(), kind: MemberKind::Company, company: "㈱山の恵み".into(), ..Default::default() }, "").unwrap();
        let e = db.export_members_csv(true).unwrap();
        assert_eq!((e.encoding, e.rows), (CsvEncoding::Cp932, 2));
        assert!(e.unencodable.is_empty() && e.warnings.is_empty());
        assert!(std::str::from_utf8(&e.bytes).is_err(), "not UTF-8");
        let (text, enc) = crate::textfile::decode(&e.bytes, "x.csv").unwrap();
        assert_eq!(enc, crate::textfile::Encoding::Cp932);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], MEMBER_COLUMNS.iter().map(|(_, h)| *h).collect::<Vec<_>>().join(","));
        // The line break inside the notes is the member's own (LF), quoted; records end in CRLF.
        assert_eq!(
            lines[1],
            "000001,個人,髙橋 花子,タカハシ ハナコ,,,154-0015,東京都,世田谷区,桜新町2-3-4,メゾン桜 101号室,03-1234-5678,090-1111-2222,,\
             hanako@example.jp,1970/03/03,女,2019/04/01,2029/03/31,有効,○,\"午前中の配達を希望。\n「ﾄﾞｱﾎﾝ」は2回, \"\"強め\"\"に\",VIP、会報誌"
        );
        assert!(lines[2].starts_with("000002,法人,㈱山の恵み,,㈱山の恵み,"), "{}", lines[2]);
        assert_eq!(lines[3], "");
    }

    #[test]
    fn characters_cp932_cannot_hold_switch_the_file_to_utf8_and_say_where() {
        let mut db = Db::open_in_memory().unwrap();
        db.create_member(&hanako(), "").unwrap();
        let wave = MemberInput { notes: "10時〜12時（¥500 − 割引）".into(), name: "𠮷田 太郎".into(), ..hanako() };
        db.create_member(&wave, "").unwrap();
        let e = db.export_members_csv(true).unwrap();
        assert_eq!(e.encoding, CsvEncoding::Utf8Bom);
        assert!(e.bytes.starts_with(b"\xEF\xBB\xBF"));
        let issues: Vec<(&str, &str)> = e.unencodable.iter().map(|i| (i.code.as_str(), i.column.as_str())).collect();
        assert_eq!(issues, [("000002", "氏名"), ("000002", "備考")]);
        assert!(e.unencodable[1].message.contains("「〜」(U+301C)「¥」(U+00A5)「−」(U+2212)"), "{}", e.unencodable[1].message);
        let text = decode(&e.bytes);
        assert!(text.contains("𠮷田 太郎") && text.contains("10時〜12時（¥500 − 割引）"));
        // Asked for UTF-8: no issues to report.
        let u = db.export_members_csv(false).unwrap();
        assert!(u.unencodable.is_empty());
        assert_eq!(decode(&u.bytes), text);
    }

    #[test]
    fn merged_members_are_left_out_and_columns_can_be_chosen() {
        let mut db = Db::open_in_memory().unwrap();
        db.create_member(&hanako(), "").unwrap();
        db.create_member(&MemberInput { email: String::new(), ..hanako() }, "").unwrap();
        db.merge_members("000001", "000002", "佐藤").unwrap();
        let opts = MemberExportOptions { encoding: CsvEncoding::Utf8Bom, columns: vec!["name".into(), "code".into(), "status".into()] };
        let e = db.export_members(&opts).unwrap();
        assert_eq!(decode(&e.bytes), "氏名,会員番号,状態\r\n髙橋 花子,000001,有効\r\n");
        let bad = MemberExportOptions { columns: vec!["code".into(), "shoe_size".into()], ..opts.clone() };
        assert_eq!(db.export_members(&bad).unwrap_err().field.as_deref(), Some("columns"));
        let twice = MemberExportOptions { columns: vec!["code".into(), "code".into()], ..opts };
        assert!(db.export_members(&twice).unwrap_err().message.contains("2回"));
    }

    #[test]
    fn a_tag_with_a_separator_is_flagged() {
        let mut db = Db::open_in_memory().unwrap();
        db.create_member(&MemberInput { tags: vec!["春 セミナー".into()], ..hanako() }, "").unwrap();
        let e = db.export_members_csv(true).unwrap();
        assert_eq!(e.warnings.len(), 1);
        assert!(e.warnings[0].message.contains("春 セミナー"));
    }

    #[test]
    fn the_export_imports_into_an_empty_database_unchanged() {
        let mut a = Db::open_in_memory().unwrap();
        a.create_member(&hanako(), "").unwrap();
        let m = a.create_member(&MemberInput { code: "K-9".into(), phone: String::new(), gender: None, ..hanako() }, "").unwrap();
        let change = StatusChange { status: MemberStatus::Withdrawn, effective_on: "2024-01-31".into(), reason: "転居".into(), staff: String::new() };
        a.change_member_status(&m.code, &change).unwrap();
        let e = a.export_members_csv(true).unwrap();
        let mut b = Db::open_in_memory().unwrap();
        let src = Source { file_name: "members.csv".into(), bytes: e.bytes };
        let r = b.import(ImportKind::Members, &src, &ImportOptions::default(), false, &mut |_| {}).unwrap();
        assert_eq!((r.imported, r.errors.len()), (2, 0), "{r:?}");
        for code in ["000001", "K-9"] {
            let (x, y) = (a.member(code).unwrap(), b.member(code).unwrap());
            let strip = |m: Member| Member { status_since: None, created_at: String::new(), updated_at: String::new(), ..m };
            assert_eq!(strip(x), strip(y));
        }
    }
}
