//! The files banks exchange with the shop: Zengin (全銀協) fixed-length statements (入出金取引明細 03,
//! 振込入金通知 01), direct-debit requests and results (預金口座振替 91), and the online-banking CSV
//! statements that have no standard. Pure: bytes in, data out (or bytes out for a debit request).
//! Layouts: `shared/docs/formats.md`. Every refusal names the file, the record (header = 1), the
//! byte columns, the field and the bytes found, so staff can tell the bank exactly what is wrong.
pub mod bank_csv;
pub mod debit;
pub mod statement;
pub mod testfiles;

pub use bank_csv::{detect_mapping, parse_bank_csv, BankCsv, CsvMapping};
pub use debit::{parse_debit_file, result_label, write_debit_request, DebitFile, DebitHeader, DebitRecord, DebitTrailer};
pub use statement::{parse_zengin_statement, Direction, StatementAccount, StatementEntry, StatementFile, StatementKind};

use crate::error::{CoreError, ErrorCode, Result};
use crate::{normalize, tax};
use chrono::{Datelike, NaiveDate};
use std::fmt::Display;

/// 令和 YYMMDD → date. None for anything that is not a day of 令和 (令和99年13月, 000000, letters).
pub fn era_date(yymmdd: &str) -> Option<NaiveDate> {
    if yymmdd.len() != 6 || !yymmdd.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |i: usize| yymmdd[i..i + 2].parse::<u32>().ok();
    let (yy, mm, dd) = (n(0)?, n(2)?, n(4)?);
    let date = NaiveDate::from_ymd_opt(2018 + yy as i32, mm, dd)?;
    (yy >= 1 && date >= NaiveDate::from_ymd_opt(2019, 5, 1)?).then_some(date)
}

/// A date as 令和 YYMMDD; None outside 令和1年5月1日 … 令和99年.
pub fn era_yymmdd(d: NaiveDate) -> Option<String> {
    let yy = d.year() - 2018;
    (d >= NaiveDate::from_ymd_opt(2019, 5, 1)? && yy <= 99).then(|| format!("{yy:02}{:02}{:02}", d.month(), d.day()))
}

/// Text as a Zengin C field may hold it: half-width katakana with small kana made large (banks
/// print ショウジ as ｼﾖｳｼﾞ), upper-case latin, half-width digits and symbols, `-` for the long vowel.
/// What cannot be converted (kanji, ＆ …) is kept, for [`zengin_field_problem`] to point at.
pub fn zengin_kana(s: &str) -> String {
    let large: String = s
        .chars()
        .map(|c| match c {
            'ぁ' | 'ァ' => 'ア', 'ぃ' | 'ィ' | 'ゐ' | 'ヰ' => 'イ', 'ぅ' | 'ゥ' => 'ウ', 'ぇ' | 'ェ' | 'ゑ' | 'ヱ' => 'エ', 'ぉ' | 'ォ' => 'オ',
            'っ' | 'ッ' => 'ツ', 'ゃ' | 'ャ' => 'ヤ', 'ゅ' | 'ュ' => 'ユ', 'ょ' | 'ョ' => 'ヨ', 'ゎ' | 'ヮ' => 'ワ',
            'ゕ' | 'ヵ' => 'カ', 'ゖ' | 'ヶ' => 'ケ',
            _ => c,
        })
        .collect();
    normalize::half_width_kana(&large)
        .chars()
        .map(|c| match c {
            'ｧ' => 'ｱ', 'ｨ' => 'ｲ', 'ｩ' => 'ｳ', 'ｪ' => 'ｴ', 'ｫ' => 'ｵ', 'ｯ' => 'ﾂ', 'ｬ' => 'ﾔ', 'ｭ' => 'ﾕ', 'ｮ' => 'ﾖ',
            // ｦ is outside the Zengin set; banks register ヲ as ｵ.
            'ｦ' => 'ｵ',
            'ｰ' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹣' => '-',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// Whether a character may stand in a Zengin C field: digits, A-Z, ｱ-ﾝ ﾞ ﾟ, space and ( ) - . / ,
pub fn zengin_char(c: char) -> bool {
    c.is_ascii_digit() || c.is_ascii_uppercase() || matches!(c, 'ｱ'..='ﾟ' | ' ' | '(' | ')' | '-' | '.' | '/' | ',')
}

/// The first character of `s` a Zengin C field cannot hold.
pub fn zengin_field_problem(s: &str) -> Option<char> {
    s.chars().find(|&c| !zengin_char(c))
}

/// Legal-entity abbreviations as banks write them inside a name (ｶ) ﾃｲｷﾋﾞﾝ, ﾃｲｷﾋﾞﾝ(ｶ …).
const ENTITY_ABBREVIATIONS: [&str; 24] = [
    "ｶ", "ﾕ", "ﾒ", "ｼ", "ﾄﾞ", "ｿ", "ｲ", "ｻﾞｲ", "ｼﾔ", "ｼﾕｳ", "ｶﾞｸ", "ﾌｸ", "ﾎｺﾞ", "ﾄｸﾋ", "ﾄﾞｸ", "ﾍﾞﾝ", "ｾﾞｲ", "ﾁﾕｳ", "ﾀﾞｲ",
    "ﾉｳ", "ｶﾝﾘ", "ｼﾎｳ", "ｷﾞﾖ", "ｼﾔﾛ",
];

/// The same entities spelled out, as a member's フリガナ or a CSV description may have them.
const ENTITY_WORDS: [&str; 14] = [
    "ｶﾌﾞｼｷｶﾞｲｼﾔ", "ﾕｳｹﾞﾝｶﾞｲｼﾔ", "ｺﾞｳﾄﾞｳｶﾞｲｼﾔ", "ｺﾞｳﾒｲｶﾞｲｼﾔ", "ｺﾞｳｼｶﾞｲｼﾔ", "ｲﾘﾖｳﾎｳｼﾞﾝ", "ｼﾔﾀﾞﾝﾎｳｼﾞﾝ", "ｻﾞｲﾀﾞﾝﾎｳｼﾞﾝ",
    "株式会社", "有限会社", "合同会社", "(株)", "(有)", "(同)",
];

/// The key remitter names and member kana are matched on: Zengin kana without legal-entity marks,
/// spaces or punctuation. Voiced marks stay (ﾀﾞ and ﾀ are different names).
pub fn name_key(s: &str) -> String {
    let mut t = zengin_kana(s);
    for w in ENTITY_WORDS {
        t = t.replace(w, " ");
    }
    // An abbreviation counts only as a whole token next to its parenthesis: ｶ) at a word start,
    // (ｶ at a word end, or (ｶ) anywhere; ﾏﾙｶ) keeps its ｶ.
    let boundary = |c: Option<char>| matches!(c, None | Some(' ' | '(' | ')'));
    for a in ENTITY_ABBREVIATIONS.iter().copied() {
        let mut from = 0;
        while let Some(i) = t[from..].find(a).map(|i| i + from) {
            let end = i + a.len();
            let before = t[..i].chars().next_back();
            let after = t[end..].chars().next();
            let cut = match (before, after) {
                (Some('('), _) if boundary(after) => Some((i - 1, end + usize::from(after == Some(')')))),
                (_, Some(')')) if boundary(before) => Some((i, end + 1)),
                _ => None,
            };
            match cut {
                Some((s, e)) => {
                    t.replace_range(s..e, " ");
                    from = s;
                }
                None => from = end,
            }
        }
    }
    t.chars().filter(|c| c.is_alphanumeric() || matches!(c, 'ﾞ' | 'ﾟ')).collect()
}

fn printable(b: u8) -> bool {
    matches!(b, 0x20..=0x7E | 0xA1..=0xDF)
}

/// Bytes of a field for a message: the text, and the codes of the bytes that are not text.
fn shown(bytes: &[u8]) -> String {
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(bytes);
    let text = text.trim_end_matches(' ').replace(|c: char| c.is_control(), "�");
    let bad: Vec<String> = bytes.iter().filter(|b| !printable(**b)).take(8).map(|b| format!("0x{b:02X}")).collect();
    if bad.is_empty() { format!("「{text}」") } else { format!("「{text}」、{}", bad.join(" ")) }
}

fn invalid(message: String) -> CoreError {
    CoreError::new(ErrorCode::Validation, message)
}

/// One fixed-length record and where it sits, for reading fields and saying where a problem is.
#[derive(Clone, Copy)]
pub(crate) struct Rec<'a> {
    pub file: &'a str,
    /// 1-based position in the file; the header is 1.
    pub n: u32,
    pub bytes: &'a [u8],
}

impl<'a> Rec<'a> {
    pub fn kind(&self) -> u8 {
        self.bytes[0]
    }

    fn raw(&self, from: usize, to: usize) -> &'a [u8] {
        &self.bytes[from - 1..to]
    }

    pub fn err(&self, from: usize, to: usize, name: &str, what: impl Display) -> CoreError {
        let cols = if from == to { format!("{from}バイト目") } else { format!("{from}〜{to}バイト目") };
        invalid(format!("{}: {}件目のレコードの{cols}（{name}）: {what}", self.file, self.n))
    }

    /// A C field: JIS X 0201 text, trailing spaces trimmed.
    pub fn c(&self, from: usize, to: usize, name: &str) -> Result<String> {
        let raw = self.raw(from, to);
        if !raw.iter().all(|&b| printable(b)) {
            return Err(self.err(from, to, name, format!("全銀形式で使えない文字があります（{}）", shown(raw))));
        }
        let (text, _, _) = encoding_rs::SHIFT_JIS.decode(raw);
        Ok(text.trim_end_matches(' ').to_string())
    }

    /// An N field that is a code (bank, branch, account): all digits, kept as written.
    pub fn digits(&self, from: usize, to: usize, name: &str) -> Result<String> {
        let raw = self.raw(from, to);
        if !raw.iter().all(u8::is_ascii_digit) {
            return Err(self.err(from, to, name, format!("数字のはずですが{}です", shown(raw))));
        }
        Ok(String::from_utf8_lossy(raw).into_owned())
    }

    /// An optional code (振込依頼人コード): digits, or all spaces when the bank has none.
    pub fn opt_digits(&self, from: usize, to: usize, name: &str) -> Result<String> {
        let raw = self.raw(from, to);
        if raw.iter().all(|&b| b == b' ') { Ok(String::new()) } else { self.digits(from, to, name) }
    }

    /// An amount or count. Right-aligned with spaces instead of zeros is tolerated: some banks'
    /// software pads numbers that way.
    pub fn number(&self, from: usize, to: usize, name: &str) -> Result<i64> {
        let raw = self.raw(from, to);
        let digits = &raw[raw.iter().take_while(|&&b| b == b' ').count()..];
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return Err(self.err(from, to, name, format!("数字のはずですが{}です", shown(raw))));
        }
        Ok(digits.iter().fold(0i64, |n, b| n * 10 + i64::from(b - b'0')))
    }

    pub fn date(&self, from: usize, to: usize, name: &str) -> Result<NaiveDate> {
        let raw = self.raw(from, to);
        std::str::from_utf8(raw)
            .ok()
            .and_then(era_date)
            .ok_or_else(|| self.err(from, to, name, format!("和暦の日付（令和YYMMDD）として読めません（{}）", shown(raw))))
    }

    /// A header date that banks may leave as zeros or spaces.
    pub fn opt_date(&self, from: usize, to: usize, name: &str) -> Result<Option<NaiveDate>> {
        let raw = self.raw(from, to);
        if raw.iter().all(|&b| b == b'0') || raw.iter().all(|&b| b == b' ') { Ok(None) } else { self.date(from, to, name).map(Some) }
    }

    /// A one-byte code from a fixed set; a space counts as `space_is` when given.
    pub fn flag(&self, col: usize, name: &str, allowed: &str, space_is: Option<u8>) -> Result<u8> {
        let b = self.bytes[col - 1];
        let b = if b == b' ' { space_is.unwrap_or(b) } else { b };
        if allowed.as_bytes().contains(&b) {
            return Ok(b);
        }
        let list: Vec<String> = allowed.chars().map(String::from).collect();
        Err(self.err(col, col, name, format!("{}のいずれかのはずですが{}です", list.join("・"), shown(&[self.bytes[col - 1]]))))
    }

    /// Header bytes 2-4: the type code this reader handles, and the JIS code class.
    pub fn check_header(&self, types: &[&str], what: &str) -> Result<String> {
        let kind = String::from_utf8_lossy(self.raw(2, 3)).into_owned();
        if !types.contains(&kind.as_str()) {
            return Err(self.err(2, 3, "種別コード", format!("種別コード{}のファイルは読めません。{what}のファイルを選んでください", shown(self.raw(2, 3)))));
        }
        match self.bytes[3] {
            b'0' | b' ' => Ok(kind),
            b'1' => Err(ebcdic(self.file)),
            _ => Err(self.err(4, 4, "コード区分", format!("0（JIS）のはずですが{}です", shown(self.raw(4, 4))))),
        }
    }

    /// The trailer's figure against what the data records add up to.
    pub fn agrees(&self, from: usize, to: usize, name: &str, in_data: i64, money: bool) -> Result<()> {
        let in_trailer = self.number(from, to, name)?;
        if in_trailer == in_data {
            return Ok(());
        }
        let (t, d) = if money { (tax::yen(in_trailer), tax::yen(in_data)) } else { (format!("{in_trailer}件"), format!("{in_data}件")) };
        let cols = format!("{from}〜{to}バイト目");
        Err(invalid(format!("{}: {}件目のレコード（トレーラ、{cols}）: {name}が明細と合いません（トレーラ: {t}、明細: {d}）", self.file, self.n)))
    }
}

fn ebcdic(file: &str) -> CoreError {
    invalid(format!("{file}: EBCDICのファイルには対応していません（コード区分1）。銀行のサービスでJIS（コード区分0）のファイルを選んで取り直してください"))
}

/// Cuts a file into records of `len` bytes: separated by CRLF or LF, or a plain stream; an EOF
/// byte (0x1A) and a final newline are tolerated.
pub(crate) fn records<'a>(bytes: &'a [u8], len: usize, file: &'a str) -> Result<Vec<Rec<'a>>> {
    let mut body = bytes;
    while let [rest @ .., 0x1A | b'\r' | b'\n'] = body {
        body = rest;
    }
    if body.is_empty() {
        return Err(invalid(format!("{file}: ファイルが空です（全銀形式のレコードがありません）")));
    }
    if let Some(what) = crate::textfile::binary_kind(body) {
        return Err(invalid(format!("{file}: 全銀形式のファイルではなく{what}のファイルです。銀行のサービスから受け取ったファイルを選んでください")));
    }
    // An EBCDIC file starts with 0xF1, EBCDIC for the header's `1`.
    if body[0] == 0xF1 {
        return Err(ebcdic(file));
    }
    let parts: Vec<&[u8]> = if memchr::memchr(b'\n', body).is_some() {
        body.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l)).collect()
    } else {
        body.chunks(len).collect()
    };
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let n = i as u32 + 1;
            if part.len() == len {
                Ok(Rec { file, n, bytes: part })
            } else {
                Err(invalid(format!("{file}: {n}件目のレコードの長さが{}バイトです（{len}バイトのはずです）", part.len())))
            }
        })
        .collect()
}

/// One header, its data records and its trailer.
pub(crate) struct Group<'a> {
    pub header: Rec<'a>,
    pub data: Vec<Rec<'a>>,
    pub trailer: Rec<'a>,
}

/// Checks the order header (1) → data (2)* → trailer (8), repeated, then one end record (9).
pub(crate) fn groups<'a>(recs: &[Rec<'a>]) -> Result<Vec<Group<'a>>> {
    let file = recs.first().map(|r| r.file).unwrap_or_default();
    let mut done = Vec::new();
    let mut open: Option<(Rec<'a>, Vec<Rec<'a>>)> = None;
    let mut ended = false;
    for r in recs {
        if ended {
            return Err(r.err(1, 1, "データ区分", "エンドレコード（9）の後にレコードがあります"));
        }
        match (r.kind(), open.as_mut()) {
            (b'1', None) => open = Some((*r, Vec::new())),
            (b'1', Some((h, _))) => {
                return Err(r.err(1, 1, "データ区分", format!("{}件目のヘッダーレコードのトレーラレコード（8）がないまま、次のヘッダーレコードがあります", h.n)))
            }
            (b'2', Some((_, data))) => data.push(*r),
            (b'2', None) => return Err(r.err(1, 1, "データ区分", "ヘッダーレコード（1）より前にデータレコード（2）があります")),
            (b'8', Some(_)) => {
                let (header, data) = open.take().expect("open group");
                done.push(Group { header, data, trailer: *r });
            }
            (b'8', None) => return Err(r.err(1, 1, "データ区分", "ヘッダーレコード（1）のないトレーラレコード（8）です")),
            (b'9', Some(_)) => return Err(r.err(1, 1, "データ区分", "トレーラレコード（8）がないままエンドレコード（9）があります")),
            (b'9', None) if done.is_empty() => return Err(r.err(1, 1, "データ区分", "ヘッダーレコード（1）がないままエンドレコード（9）があります")),
            (b'9', None) => ended = true,
            (_, _) => {
                return Err(r.err(1, 1, "データ区分", format!("1（ヘッダー）・2（データ）・8（トレーラ）・9（エンド）のいずれかのはずですが{}です", shown(&r.bytes[..1]))))
            }
        }
    }
    let last = recs.last().map(|r| r.n).unwrap_or(0);
    if open.is_some() {
        return Err(invalid(format!("{file}: トレーラレコード（8）とエンドレコード（9）がありません（最後のレコードは{last}件目のデータです）。ファイルが途中で切れていないか確かめてください")));
    }
    if !ended {
        return Err(invalid(format!("{file}: エンドレコード（9）がありません（最後のレコードは{last}件目）。ファイルが途中で切れていないか確かめてください")));
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn era_dates() {
        assert_eq!(era_date("081123"), Some(d(2026, 11, 23)));
        assert_eq!(era_date("010501"), Some(d(2019, 5, 1)));
        assert_eq!(era_date("010430"), None, "still 平成");
        assert_eq!(era_date("991301"), None);
        assert_eq!(era_date("080230"), None);
        assert_eq!(era_date("000101"), None);
        assert_eq!(era_date("08112"), None);
        assert_eq!(era_date("08 123"), None);
        assert_eq!(era_yymmdd(d(2026, 1, 5)).as_deref(), Some("080105"));
        assert_eq!(era_yymmdd(d(2019, 4, 30)), None);
    }

    #[test]
    fn zengin_kana_converts_and_checks() {
        assert_eq!(zengin_kana("ショウジ"), "ｼﾖｳｼﾞ");
        assert_eq!(zengin_kana("キャノン"), "ｷﾔﾉﾝ");
        assert_eq!(zengin_kana("やまだ　はなこ"), "ﾔﾏﾀﾞ ﾊﾅｺ");
        assert_eq!(zengin_kana("コーヒー（カ"), "ｺ-ﾋ-(ｶ");
        assert_eq!(zengin_kana("ｼｮｳｼﾞ abc ＡＢＣ１２３"), "ｼﾖｳｼﾞ ABC ABC123");
        assert_eq!(zengin_kana("ヴァイオリン"), "ｳﾞｱｲｵﾘﾝ");
        assert_eq!(zengin_kana("ヲ"), "ｵ");
        assert_eq!(zengin_field_problem("ﾔﾏﾀﾞ ﾊﾅｺ(ｶ)-./,09AZ"), None);
        assert_eq!(zengin_field_problem(&zengin_kana("山田 ハナコ")), Some('山'));
        assert_eq!(zengin_field_problem(&zengin_kana("ヤマダ＆サトウ")), Some('&'));
        assert_eq!(zengin_field_problem("ab"), Some('a'));
        assert_eq!(zengin_field_problem("ﾔﾏﾀﾞ･ﾊﾅｺ"), Some('･'));
    }

    #[test]
    fn name_keys() {
        for s in ["ｶ)ﾃｲｷﾋﾞﾝ", "ﾃｲｷﾋﾞﾝ(ｶ", "ﾃｲｷﾋﾞﾝ ｶ)", "テイキビン（カ", "(ｶ)ﾃｲｷﾋﾞﾝ", "カブシキガイシャ テイキビン", "株式会社テイキビン", "ﾃｲｷﾋﾞﾝ"] {
            assert_eq!(name_key(s), "ﾃｲｷﾋﾞﾝ", "{s}");
        }
        assert_eq!(name_key("ﾃｲｷﾋﾞﾝ(ｶ)ﾄｳｷﾖｳｼﾃﾝ"), "ﾃｲｷﾋﾞﾝﾄｳｷﾖｳｼﾃﾝ");
        assert_eq!(name_key("ｲ)ｹｲｱｲｶｲ"), "ｹｲｱｲｶｲ");
        assert_eq!(name_key("ｻﾞｲ)ﾃｲｷﾋﾞﾝｷｷﾝ"), "ﾃｲｷﾋﾞﾝｷｷﾝ");
        assert_eq!(name_key("ﾕ)ﾔﾏﾀﾞｼﾖｳﾃﾝ"), "ﾔﾏﾀﾞｼﾖｳﾃﾝ");
        assert_eq!(name_key("ヤマダ　ハナコ"), name_key("ﾔﾏﾀﾞ ﾊﾅｺ"));
        assert_eq!(name_key("ヤマダ　ハナコ"), "ﾔﾏﾀﾞﾊﾅｺ");
        assert_eq!(name_key("ショウジ"), "ｼﾖｳｼﾞ");
        assert_ne!(name_key("ﾀﾞｲｽｹ"), name_key("ﾀｲｽｹ"));
        // ｶ inside a name is not an entity mark.
        assert_eq!(name_key("ﾀｶ)ﾊｼ"), "ﾀｶﾊｼ");
        assert_eq!(name_key("ﾅｶﾑﾗ ｶｽﾞｵ"), "ﾅｶﾑﾗｶｽﾞｵ");
    }

    #[test]
    fn splitting_records() {
        let rec = |c: u8| [vec![c], vec![b' '; 9]].concat();
        let recs: Vec<Vec<u8>> = vec![rec(b'1'), rec(b'2'), rec(b'9')];
        let crlf = recs.join(&b"\r\n"[..]);
        let lf = [recs.join(&b"\n"[..]), b"\n\x1A".to_vec()].concat();
        let stream = [recs.concat(), vec![0x1A]].concat();
        for bytes in [crlf, lf, stream] {
            let got = records(&bytes, 10, "a.txt").unwrap();
            assert_eq!(got.iter().map(|r| (r.n, r.kind(), r.bytes.len())).collect::<Vec<_>>(), vec![(1, b'1', 10), (2, b'2', 10), (3, b'9', 10)]);
        }
        let short = [rec(b'1'), b"\r\n2   \r\n".to_vec(), rec(b'9')].concat();
        assert_eq!(records(&short, 10, "a.txt").err().unwrap().message, "a.txt: 2件目のレコードの長さが4バイトです（10バイトのはずです）");
        let stream = [rec(b'1'), rec(b'2'), b"9  ".to_vec()].concat();
        assert_eq!(records(&stream, 10, "s.txt").err().unwrap().message, "s.txt: 3件目のレコードの長さが3バイトです（10バイトのはずです）");
        assert!(records(b"\r\n\x1A", 10, "e.txt").err().unwrap().message.contains("e.txt: ファイルが空です"));
        assert!(records(&[0xF1, 0xF0, 0xF3], 10, "x.txt").err().unwrap().message.contains("EBCDICのファイルには対応していません"));
    }

    #[test]
    fn fields() {
        let bytes = b"2 123\xB1\xB2  08112X0999  ";
        let r = Rec { file: "f.txt", n: 4, bytes };
        assert_eq!(r.c(1, 8, "名前").unwrap(), "2 123ｱｲ");
        assert_eq!(r.number(2, 5, "金額").unwrap(), 123);
        assert_eq!(r.digits(3, 5, "コード").unwrap(), "123");
        assert_eq!(r.digits(2, 5, "コード").unwrap_err().message, "f.txt: 4件目のレコードの2〜5バイト目（コード）: 数字のはずですが「 123」です");
        assert!(r.date(10, 15, "勘定日").unwrap_err().message.contains("4件目のレコードの10〜15バイト目（勘定日）: 和暦の日付（令和YYMMDD）として読めません（「08112X」）"));
        assert_eq!(r.opt_date(20, 21, "作成日").unwrap(), None);
        let bad = Rec { file: "f.txt", n: 2, bytes: b"\xD4\xCF\xC0\xDE\x82\xA0" };
        let e = bad.c(1, 6, "振込依頼人名").unwrap_err().message;
        assert_eq!(e, "f.txt: 2件目のレコードの1〜6バイト目（振込依頼人名）: 全銀形式で使えない文字があります（「ﾔﾏﾀﾞあ」、0x82 0xA0）");
    }
}
