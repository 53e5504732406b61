//! 預金口座振替 (91): the direct-debit request the shop sends (or hands to a collection agency) and
//! the result file that comes back in the same layout with a result code per record.
use super::{groups, records, zengin_field_problem, zengin_kana, Rec};
use crate::error::{CoreError, ErrorCode, Problems, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DebitHeader {
    /// 委託者コード, 10 digits.
    pub collector_code: String,
    pub collector_name: String,
    /// The file carries only MMDD; the year comes from the request it belongs to.
    pub debit_month: u32,
    pub debit_day: u32,
    pub bank_code: String,
    pub bank_name: String,
    pub branch_code: String,
    pub branch_name: String,
    pub account_kind: String,
    pub account_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DebitRecord {
    /// Record position in the file, header = 1 (ignored when writing).
    pub line: u32,
    pub bank_code: String,
    pub bank_name: String,
    pub branch_code: String,
    pub branch_name: String,
    /// 1 普通, 2 当座, 3 納税準備.
    pub account_kind: String,
    /// 7 digits.
    pub account_number: String,
    /// 預金者名, half-width kana as the bank has it (30 at most).
    pub holder: String,
    #[ts(type = "number")]
    pub amount: i64,
    /// 新規コード: "1" first debit, "2" changed account, "0" other.
    pub new_code: String,
    /// 顧客番号, 20 digits in a file; what matches a result to its request.
    pub customer_number: String,
    /// 振替結果コード "0".."9"; see [`result_label`]. "0" in a request.
    pub result: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DebitTrailer {
    #[ts(type = "number")]
    pub count: u64,
    #[ts(type = "number")]
    pub total: i64,
    #[ts(type = "number")]
    pub collected_count: u64,
    #[ts(type = "number")]
    pub collected_total: i64,
    #[ts(type = "number")]
    pub failed_count: u64,
    #[ts(type = "number")]
    pub failed_total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DebitFile {
    pub header: DebitHeader,
    pub records: Vec<DebitRecord>,
    pub trailer: DebitTrailer,
}

impl DebitFile {
    /// A bank's result file (the trailer counts collected and failed debits), not a request.
    pub fn is_result(&self) -> bool {
        self.trailer.collected_count + self.trailer.failed_count > 0
    }
}

pub fn result_label(code: &str) -> &'static str {
    match code {
        "0" => "振替済",
        "1" => "資金不足",
        "2" => "取引なし",
        "3" => "預金者の都合による振替停止",
        "4" => "口座振替依頼書なし",
        "8" => "委託者の都合による振替停止",
        "9" => "その他",
        _ => "不明な結果コード",
    }
}

/// One 120-byte record being written; problems go to the shared list, named by `at`.
struct Out<'a> {
    rec: Vec<u8>,
    at: String,
    problems: &'a mut Problems,
}

impl Out<'_> {
    fn new<'a>(kind: &str, at: String, problems: &'a mut Problems) -> Out<'a> {
        let mut rec = vec![b' '; 120];
        rec[..kind.len()].copy_from_slice(kind.as_bytes());
        Out { rec, at, problems }
    }

    /// A C field: converted to Zengin kana, every character checked, never cut short.
    fn c(&mut self, col: usize, width: usize, value: &str, field: &str, label: &str, required: bool) {
        let v = zengin_kana(value);
        let at = &self.at;
        if required && v.is_empty() {
            return self.problems.add(field, format!("{at}: {label}がありません"));
        }
        if let Some(c) = zengin_field_problem(&v) {
            return self.problems.add(field, format!("{at}: {label}「{value}」の「{c}」は全銀形式で使えません（使えるのは半角カナ・英大文字・数字・スペースと ( ) - . / , です）"));
        }
        let n = v.chars().count();
        if n > width {
            return self.problems.add(field, format!("{at}: {label}「{v}」は{n}文字あります。全銀形式では{width}文字までです（切り詰めずに、銀行に届けた名義に合わせて短くしてください）"));
        }
        for (i, c) in v.chars().enumerate() {
            // Zengin characters are ASCII or half-width katakana, one JIS X 0201 byte each.
            self.rec[col - 1 + i] = if c.is_ascii() { c as u8 } else { (c as u32 - 0xFF61 + 0xA1) as u8 };
        }
    }

    /// An N field from text: digits, right-aligned, zero-filled.
    fn n(&mut self, col: usize, width: usize, value: &str, field: &str, label: &str) {
        let v = value.trim();
        if v.is_empty() || v.len() > width || !v.bytes().all(|b| b.is_ascii_digit()) {
            return self.problems.add(field, format!("{}: {label}は{width}桁までの数字です（「{value}」）", self.at));
        }
        self.put(col, &format!("{v:0>width$}"));
    }

    fn put(&mut self, col: usize, s: &str) {
        self.rec[col - 1..col - 1 + s.len()].copy_from_slice(s.as_bytes());
    }
}

/// Writes a direct-debit request: 120-byte records each followed by CRLF, trailer computed, result
/// codes 0. Every problem in every record is reported at once; nothing is truncated.
pub fn write_debit_request(header: &DebitHeader, records: &[DebitRecord]) -> Result<Vec<u8>> {
    if records.is_empty() {
        return Err(CoreError::new(ErrorCode::Validation, "口座振替の依頼データに明細がありません"));
    }
    let mut problems = Problems::default();
    let mut out = Vec::with_capacity((records.len() + 3) * 122);
    let mut push = |rec: Vec<u8>| {
        out.extend_from_slice(&rec);
        out.extend_from_slice(b"\r\n");
    };

    let mut h = Out::new("1910", "ヘッダー（委託者）".into(), &mut problems);
    h.n(5, 10, &header.collector_code, "collector_code", "委託者コード");
    h.c(15, 40, &header.collector_name, "collector_name", "委託者名", true);
    // Any year with 2/29 decides whether the day exists in the month.
    if NaiveDate::from_ymd_opt(2024, header.debit_month, header.debit_day).is_none() {
        h.problems.add("debit_day", format!("ヘッダー（委託者）: 引落日{}月{}日という日はありません", header.debit_month, header.debit_day));
    } else {
        h.put(55, &format!("{:02}{:02}", header.debit_month, header.debit_day));
    }
    h.n(59, 4, &header.bank_code, "bank_code", "取引銀行番号");
    h.c(63, 15, &header.bank_name, "bank_name", "取引銀行名", false);
    h.n(78, 3, &header.branch_code, "branch_code", "取引支店番号");
    h.c(81, 15, &header.branch_name, "branch_name", "取引支店名", false);
    h.n(96, 1, &header.account_kind, "account_kind", "預金種目（委託者）");
    h.n(97, 7, &header.account_number, "account_number", "口座番号（委託者）");
    push(h.rec);

    let mut total = 0i64;
    for (i, r) in records.iter().enumerate() {
        let mut d = Out::new("2", format!("{}件目の明細（顧客番号 {}）", i + 1, r.customer_number), &mut problems);
        d.n(2, 4, &r.bank_code, "bank_code", "引落銀行番号");
        d.c(6, 15, &r.bank_name, "bank_name", "引落銀行名", false);
        d.n(21, 3, &r.branch_code, "branch_code", "引落支店番号");
        d.c(24, 15, &r.branch_name, "branch_name", "引落支店名", false);
        if matches!(r.account_kind.as_str(), "1" | "2" | "3") {
            d.put(43, &r.account_kind);
        } else {
            d.problems.add("account_kind", format!("{}: 預金種目は1（普通）・2（当座）・3（納税準備）のどれかです（「{}」）", d.at, r.account_kind));
        }
        d.n(44, 7, &r.account_number, "account_number", "口座番号");
        d.c(51, 30, &r.holder, "holder", "預金者名", true);
        if (1..=9_999_999_999).contains(&r.amount) {
            d.put(81, &format!("{:010}", r.amount));
        } else {
            d.problems.add("amount", format!("{}: 引落金額は1円から9,999,999,999円までです（{}円）", d.at, r.amount));
        }
        match r.new_code.as_str() {
            "" => d.put(91, "0"),
            "0" | "1" | "2" => d.put(91, &r.new_code),
            _ => d.problems.add("new_code", format!("{}: 新規コードは0・1・2のどれかです（「{}」）", d.at, r.new_code)),
        }
        d.n(92, 20, &r.customer_number, "customer_number", "顧客番号");
        d.put(112, "0");
        push(d.rec);
        total += r.amount;
    }

    let mut t = Out::new("8", "トレーラ".into(), &mut problems);
    t.put(2, &format!("{:06}", records.len()));
    if total > 999_999_999_999 {
        t.problems.add("amount", format!("引落金額の合計{total}円が12桁を超えます。ファイルを分けてください"));
    } else {
        t.put(8, &format!("{total:012}"));
    }
    t.put(20, &format!("{:06}{:012}{:06}{:012}", 0, 0, 0, 0));
    push(t.rec);
    push(Out::new("9", String::new(), &mut problems).rec);
    problems.finish()?;
    Ok(out)
}

/// Reads a 91 request or result file: layout, separators and every trailer figure checked.
pub fn parse_debit_file(bytes: &[u8], file: &str) -> Result<DebitFile> {
    let recs = records(bytes, 120, file)?;
    if recs[0].kind() == b'1' {
        recs[0].check_header(&["91"], "預金口座振替(91)")?;
    }
    let gs = groups(&recs)?;
    if let Some(second) = gs.get(1) {
        return Err(second.header.err(1, 1, "データ区分", "口座振替のファイルにヘッダーレコードが2つ以上あります（1ファイルに1回の引落しだけを読めます）"));
    }
    let g = &gs[0];
    let header = read_header(&g.header)?;
    let records = g.data.iter().map(read_record).collect::<Result<Vec<_>>>()?;

    let t = &g.trailer;
    let trailer = DebitTrailer {
        count: t.number(2, 7, "合計件数")? as u64,
        total: t.number(8, 19, "合計金額")?,
        collected_count: t.number(20, 25, "振替済件数")? as u64,
        collected_total: t.number(26, 37, "振替済金額")?,
        failed_count: t.number(38, 43, "振替不能件数")? as u64,
        failed_total: t.number(44, 55, "振替不能金額")?,
    };
    let sum = |f: &dyn Fn(&DebitRecord) -> bool| records.iter().filter(|r| f(r)).fold((0, 0), |(n, s), r| (n + 1, s + r.amount));
    let all = sum(&|_| true);
    t.agrees(2, 7, "合計件数", all.0, false)?;
    t.agrees(8, 19, "合計金額", all.1, true)?;
    // A request's trailer has no collected or failed figures; a result's must add up.
    if trailer.collected_count + trailer.failed_count > 0 || trailer.collected_total + trailer.failed_total > 0 {
        let collected = sum(&|r| r.result == "0");
        let failed = sum(&|r| r.result != "0");
        t.agrees(20, 25, "振替済件数", collected.0, false)?;
        t.agrees(26, 37, "振替済金額", collected.1, true)?;
        t.agrees(38, 43, "振替不能件数", failed.0, false)?;
        t.agrees(44, 55, "振替不能金額", failed.1, true)?;
    } else if let Some(r) = records.iter().find(|r| r.result != "0") {
        return Err(CoreError::new(
            ErrorCode::Validation,
            format!("{}: {}件目のレコード（トレーラ、20〜55バイト目）: 振替済・振替不能の件数が0なのに、{}件目のレコードの振替結果コードが{}（{}）です", t.file, t.n, r.line, r.result, result_label(&r.result)),
        ));
    }
    Ok(DebitFile { header, records, trailer })
}

fn read_header(h: &Rec) -> Result<DebitHeader> {
    let (month, day) = (h.number(55, 56, "引落日（月）")?, h.number(57, 58, "引落日（日）")?);
    if NaiveDate::from_ymd_opt(2024, month as u32, day as u32).is_none() {
        return Err(h.err(55, 58, "引落日", format!("{month}月{day}日という日はありません")));
    }
    Ok(DebitHeader {
        collector_code: h.digits(5, 14, "委託者コード")?,
        collector_name: h.c(15, 54, "委託者名")?,
        debit_month: month as u32,
        debit_day: day as u32,
        bank_code: h.digits(59, 62, "取引銀行番号")?,
        bank_name: h.c(63, 77, "取引銀行名")?,
        branch_code: h.digits(78, 80, "取引支店番号")?,
        branch_name: h.c(81, 95, "取引支店名")?,
        account_kind: h.digits(96, 96, "預金種目")?,
        account_number: h.digits(97, 103, "口座番号")?,
    })
}

fn read_record(d: &Rec) -> Result<DebitRecord> {
    Ok(DebitRecord {
        line: d.n,
        bank_code: d.digits(2, 5, "引落銀行番号")?,
        bank_name: d.c(6, 20, "引落銀行名")?,
        branch_code: d.digits(21, 23, "引落支店番号")?,
        branch_name: d.c(24, 38, "引落支店名")?,
        account_kind: d.digits(43, 43, "預金種目")?,
        account_number: d.digits(44, 50, "口座番号")?,
        holder: d.c(51, 80, "預金者名")?,
        amount: d.number(81, 90, "引落金額")?,
        new_code: (d.flag(91, "新規コード", "012", Some(b'0'))? as char).to_string(),
        customer_number: d.digits(92, 111, "顧客番号")?,
        // Some collectors' software leaves the result blank in a request.
        result: (d.flag(112, "振替結果コード", "0123456789", Some(b'0'))? as char).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zengin::testfiles::{self as tf, Sep};

    fn rec(line: u32, customer: &str, holder: &str, amount: i64, result: &str) -> DebitRecord {
        DebitRecord {
            line,
            bank_code: "0009".into(),
            bank_name: "ﾐﾂｲｽﾐﾄﾓ".into(),
            branch_code: "123".into(),
            branch_name: "ｼﾝｼﾞﾕｸ".into(),
            account_kind: "1".into(),
            account_number: "7654321".into(),
            holder: holder.into(),
            amount,
            new_code: "0".into(),
            customer_number: customer.into(),
            result: result.into(),
        }
    }

    fn records() -> Vec<DebitRecord> {
        vec![
            DebitRecord { new_code: "1".into(), ..rec(2, "00000000000000000101", "ﾔﾏﾀﾞ ﾊﾅｺ", 4_980, "0") },
            rec(3, "00000000000000000102", "ｻﾄｳ ｼﾞﾛｳ", 12_800, "0"),
            rec(4, "00000000000000000103", "ｶ)ﾔｵﾔ ﾀﾅｶ", 3_300, "0"),
        ]
    }

    #[test]
    fn request_round_trip() {
        let bytes = write_debit_request(&tf::debit_header(), &records()).unwrap();
        assert_eq!(bytes, tf::debit_file(&tf::debit_header(), &records(), false, Sep::CrLf), "the writer and the byte-by-byte builder agree");
        assert_eq!(bytes.len(), 6 * 122);
        assert_eq!(&bytes[..21], b"19101234567890\xB6)\xC3\xB2\xB7\xCB\xDE");
        let f = parse_debit_file(&bytes, "irai.txt").unwrap();
        assert_eq!(f.header, tf::debit_header());
        assert_eq!(f.records, records());
        assert_eq!(f.trailer, DebitTrailer { count: 3, total: 21_080, ..Default::default() });
        assert!(!f.is_result());
    }

    #[test]
    fn writer_converts_and_pads() {
        let mut r = rec(0, "101", "ヤマダ　ハナコ", 4_980, "");
        r.account_number = "4321".into();
        r.bank_name = "みずほ".into();
        let bytes = write_debit_request(&tf::debit_header(), &[r]).unwrap();
        let f = parse_debit_file(&bytes, "irai.txt").unwrap();
        let got = &f.records[0];
        assert_eq!((got.holder.as_str(), got.bank_name.as_str(), got.account_number.as_str(), got.customer_number.as_str(), got.result.as_str(), got.new_code.as_str()), ("ﾔﾏﾀﾞ ﾊﾅｺ", "ﾐｽﾞﾎ", "0004321", "00000000000000000101", "0", "0"));
    }

    #[test]
    fn writer_reports_every_problem() {
        let mut bad = records();
        bad[0].holder = "山田花子".into();
        bad[1].holder = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏ".into();
        bad[2].amount = 0;
        bad[2].customer_number = "A-103".into();
        let e = write_debit_request(&tf::debit_header(), &bad).unwrap_err();
        let messages: Vec<&str> = e.fields.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(e.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), vec!["holder", "holder", "amount", "customer_number"]);
        assert!(messages[0].starts_with("1件目の明細（顧客番号 00000000000000000101）: 預金者名「山田花子」の「山」は全銀形式で使えません"), "{}", messages[0]);
        assert!(messages[1].starts_with("2件目の明細（顧客番号 00000000000000000102）: 預金者名「ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏ」は31文字あります。全銀形式では30文字までです"), "{}", messages[1]);
        assert_eq!(messages[2], "3件目の明細（顧客番号 A-103）: 引落金額は1円から9,999,999,999円までです（0円）");
        assert_eq!(messages[3], "3件目の明細（顧客番号 A-103）: 顧客番号は20桁までの数字です（「A-103」）");
        assert!(e.message.ends_with("（ほか3件の入力エラー）"));

        let mut h = tf::debit_header();
        h.debit_month = 2;
        h.debit_day = 30;
        let e = write_debit_request(&h, &records()).unwrap_err();
        assert_eq!(e.message, "ヘッダー（委託者）: 引落日2月30日という日はありません");
        assert!(write_debit_request(&tf::debit_header(), &[]).unwrap_err().message.contains("明細がありません"));
    }

    fn result_records() -> Vec<DebitRecord> {
        let mut r = records();
        r[1].result = "1".into();
        r.push(rec(5, "00000000000000000104", "ｽｽﾞｷ ｲﾁﾛｳ", 1_000, "9"));
        r
    }

    #[test]
    fn result_file_with_mixed_codes() {
        let f = parse_debit_file(&tf::debit_file(&tf::debit_header(), &result_records(), true, Sep::None), "kekka.txt").unwrap();
        assert!(f.is_result());
        assert_eq!(f.records.iter().map(|r| (r.line, r.result.as_str(), result_label(&r.result))).collect::<Vec<_>>(), vec![(2, "0", "振替済"), (3, "1", "資金不足"), (4, "0", "振替済"), (5, "9", "その他")]);
        assert_eq!(f.trailer, DebitTrailer { count: 4, total: 22_080, collected_count: 2, collected_total: 8_280, failed_count: 2, failed_total: 13_800 });
        assert_eq!(result_label("5"), "不明な結果コード");
    }

    #[test]
    fn result_file_with_wrong_trailer() {
        let mut recs = tf::debit_records(&tf::debit_header(), &result_records(), true);
        tf::num(&mut recs[5], 20, 6, 3);
        let e = parse_debit_file(&tf::join(&recs, Sep::CrLf), "kekka.txt").unwrap_err();
        assert_eq!(e.message, "kekka.txt: 6件目のレコード（トレーラ、20〜25バイト目）: 振替済件数が明細と合いません（トレーラ: 3件、明細: 2件）");

        let mut recs = tf::debit_records(&tf::debit_header(), &result_records(), true);
        tf::num(&mut recs[5], 44, 12, 13_000);
        assert!(parse_debit_file(&tf::join(&recs, Sep::Lf), "kekka.txt").unwrap_err().message.contains("振替不能金額が明細と合いません（トレーラ: ¥13,000、明細: ¥13,800）"));

        // Result codes in a file whose trailer has no results.
        let e = parse_debit_file(&tf::debit_file(&tf::debit_header(), &result_records(), false, Sep::CrLf), "kekka.txt").unwrap_err();
        assert_eq!(e.message, "kekka.txt: 6件目のレコード（トレーラ、20〜55バイト目）: 振替済・振替不能の件数が0なのに、3件目のレコードの振替結果コードが1（資金不足）です");

        let mut recs = tf::debit_records(&tf::debit_header(), &records(), false);
        tf::num(&mut recs[4], 8, 12, 21_000);
        assert!(parse_debit_file(&tf::join(&recs, Sep::CrLf), "irai.txt").unwrap_err().message.contains("5件目のレコード（トレーラ、8〜19バイト目）: 合計金額が明細と合いません（トレーラ: ¥21,000、明細: ¥21,080）"));
    }

    #[test]
    fn debit_file_errors() {
        let mut recs = tf::debit_records(&tf::debit_header(), &records(), false);
        tf::put(&mut recs[0], 55, "1332");
        assert_eq!(parse_debit_file(&tf::join(&recs, Sep::CrLf), "irai.txt").unwrap_err().message, "irai.txt: 1件目のレコードの55〜58バイト目（引落日）: 13月32日という日はありません");
        let mut recs = tf::debit_records(&tf::debit_header(), &records(), false);
        tf::put(&mut recs[2], 112, "X");
        assert!(parse_debit_file(&tf::join(&recs, Sep::CrLf), "irai.txt").unwrap_err().message.contains("3件目のレコードの112バイト目（振替結果コード）: 0・1・2・3・4・5・6・7・8・9のいずれかのはずですが「X」です"));
        let mut recs = tf::debit_records(&tf::debit_header(), &records(), false);
        tf::put(&mut recs[0], 2, "21");
        assert!(parse_debit_file(&tf::join(&recs, Sep::CrLf), "irai.txt").unwrap_err().message.contains("種別コード「21」のファイルは読めません。預金口座振替(91)のファイルを選んでください"));
        let statement = tf::statement_03(&[], Sep::CrLf);
        assert_eq!(parse_debit_file(&statement, "meisai.txt").unwrap_err().message, "meisai.txt: 1件目のレコードの長さが200バイトです（120バイトのはずです）");
    }
}
