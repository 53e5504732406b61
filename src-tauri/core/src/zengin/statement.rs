//! 入出金取引明細 (03) and 振込入金通知 (01): what came into (and went out of) the shop's account.
use super::{groups, records, Group, Rec};
use crate::error::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StatementKind {
    /// 振込入金通知 (01).
    Transfers,
    /// 入出金取引明細 (03).
    Statement,
    /// An online-banking CSV.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Direction {
    In,
    Out,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementAccount {
    pub bank_code: String,
    pub bank_name: String,
    pub branch_code: String,
    pub branch_name: String,
    /// 預金種目: "1" 普通, "2" 当座, "4" 貯蓄.
    pub account_kind: String,
    /// As in the file: 10 digits in 03, 7 in 01.
    pub account_number: String,
    pub account_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementEntry {
    /// Record position in the file, header = 1 (CSV: the line number).
    pub line: u32,
    /// Index into [`StatementFile::accounts`].
    pub account: usize,
    pub inquiry_no: String,
    /// 勘定日.
    pub value_date: NaiveDate,
    pub direction: Direction,
    /// 03: 取引区分 (10 現金, 11 振込, 12 他店券入金, 13 交換, 14 振替, 18 その他, 19 訂正); else "".
    pub transaction_kind: String,
    #[ts(type = "number")]
    pub amount: i64,
    /// 振込依頼人コード; "" when the bank sent none.
    pub remitter_code: String,
    /// Half-width as in the file, trailing spaces trimmed.
    pub remitter_name: String,
    pub sending_bank: String,
    pub sending_branch: String,
    /// 03: 摘要; CSV: the whole description.
    pub memo: String,
    pub edi: String,
    /// 01: 取消区分 1, this record cancels an earlier transfer (the importer decides which).
    pub cancel: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementFile {
    pub kind: StatementKind,
    pub created: Option<NaiveDate>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub accounts: Vec<StatementAccount>,
    pub entries: Vec<StatementEntry>,
}

const WHAT: &str = "入出金取引明細(03)か振込入金通知(01)";

/// Reads a Zengin 01 or 03 file (one or more accounts); every trailer must agree with its data.
pub fn parse_zengin_statement(bytes: &[u8], file: &str) -> Result<StatementFile> {
    let recs = records(bytes, 200, file)?;
    let kind = match recs[0].kind() {
        b'1' => recs[0].check_header(&["01", "03"], WHAT)?,
        _ => String::new(), // groups() says what is wrong with the first record
    };
    let mut out = StatementFile { kind: StatementKind::Statement, created: None, period_from: None, period_to: None, accounts: Vec::new(), entries: Vec::new() };
    for (i, g) in groups(&recs)?.iter().enumerate() {
        let h = &g.header;
        let this = h.check_header(&["01", "03"], WHAT)?;
        if this != kind {
            return Err(h.err(2, 3, "種別コード", format!("1件目のヘッダーは{kind}なのに、このヘッダーは{this}です（1つのファイルに種類の違う明細は入れられません）")));
        }
        let created = h.opt_date(5, 10, "作成日")?;
        let from = h.opt_date(11, 16, "勘定日（自）")?;
        let to = h.opt_date(17, 22, "勘定日（至）")?;
        if i == 0 {
            out.created = created;
        }
        out.period_from = [out.period_from, from].into_iter().flatten().min();
        out.period_to = [out.period_to, to].into_iter().flatten().max();
        if kind == "03" {
            out.accounts.push(account(h, (63, 64, 73, 74, 113))?);
            statement_group(g, i, &mut out.entries)?;
        } else {
            out.kind = StatementKind::Transfers;
            out.accounts.push(account(h, (60, 61, 67, 68, 107))?);
            transfers_group(g, i, &mut out.entries)?;
        }
    }
    Ok(out)
}

/// The header's account; the columns of kind, number and name differ between 01 and 03.
fn account(h: &Rec, (kind, num_from, num_to, name_from, name_to): (usize, usize, usize, usize, usize)) -> Result<StatementAccount> {
    Ok(StatementAccount {
        bank_code: h.digits(23, 26, "銀行コード")?,
        bank_name: h.c(27, 41, "銀行名")?,
        branch_code: h.digits(42, 44, "支店コード")?,
        branch_name: h.c(45, 59, "支店名")?,
        account_kind: h.digits(kind, kind, "預金種目")?,
        account_number: h.digits(num_from, num_to, "口座番号")?,
        account_name: h.c(name_from, name_to, "口座名")?,
    })
}

fn statement_group(g: &Group, account: usize, entries: &mut Vec<StatementEntry>) -> Result<()> {
    let (mut ins, mut outs) = ((0, 0), (0, 0));
    for d in &g.data {
        let direction = if d.flag(22, "入払区分", "12", None)? == b'1' { Direction::In } else { Direction::Out };
        let amount = d.number(25, 36, "取引金額")?;
        let sum = if direction == Direction::In { &mut ins } else { &mut outs };
        *sum = (sum.0 + 1, sum.1 + amount);
        entries.push(StatementEntry {
            line: d.n,
            account,
            inquiry_no: d.digits(2, 9, "照会番号")?,
            value_date: d.date(10, 15, "勘定日")?,
            direction,
            transaction_kind: d.digits(23, 24, "取引区分")?,
            amount,
            remitter_code: d.opt_digits(72, 81, "振込依頼人コード")?,
            remitter_name: d.c(82, 129, "振込依頼人名")?,
            sending_bank: d.c(130, 144, "仕向銀行名")?,
            sending_branch: d.c(145, 159, "仕向店名")?,
            memo: d.c(160, 179, "摘要内容")?,
            edi: d.c(180, 199, "EDI情報")?,
            cancel: false,
        });
    }
    let t = &g.trailer;
    t.agrees(2, 7, "入金件数", ins.0, false)?;
    t.agrees(8, 20, "入金額合計", ins.1, true)?;
    t.agrees(21, 26, "出金件数", outs.0, false)?;
    t.agrees(27, 39, "出金額合計", outs.1, true)
}

fn transfers_group(g: &Group, account: usize, entries: &mut Vec<StatementEntry>) -> Result<()> {
    let (mut all, mut cancelled) = ((0, 0), (0, 0));
    for d in &g.data {
        let format_b = d.bytes[128..152].iter().all(u8::is_ascii_digit);
        let amount = if format_b { d.number(129, 140, "金額")? } else { d.number(20, 29, "金額")? };
        let cancel = d.flag(128, "取消区分", "01", Some(b'0'))? == b'1';
        all = (all.0 + 1, all.1 + amount);
        if cancel {
            cancelled = (cancelled.0 + 1, cancelled.1 + amount);
        }
        entries.push(StatementEntry {
            line: d.n,
            account,
            inquiry_no: d.digits(2, 7, "照会番号")?,
            value_date: d.date(8, 13, "勘定日")?,
            direction: Direction::In,
            transaction_kind: String::new(),
            amount,
            remitter_code: d.opt_digits(40, 49, "振込依頼人コード")?,
            remitter_name: d.c(50, 97, "振込依頼人名")?,
            sending_bank: d.c(98, 112, "仕向銀行名")?,
            sending_branch: d.c(113, 127, "仕向店名")?,
            memo: String::new(),
            edi: if format_b { d.c(153, 172, "EDI情報")? } else { d.c(129, 148, "EDI情報")? },
            cancel,
        });
    }
    // 合計 counts every data record, cancellations included; 取消 is the part that cancels.
    let t = &g.trailer;
    t.agrees(2, 7, "合計件数", all.0, false)?;
    t.agrees(8, 19, "合計金額", all.1, true)?;
    t.agrees(20, 25, "取消件数", cancelled.0, false)?;
    t.agrees(26, 37, "取消金額", cancelled.1, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zengin::testfiles::{self as tf, Sep, StatementRow, TransferRow};

    fn d(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn err(bytes: &[u8]) -> String {
        parse_zengin_statement(bytes, "meisai.txt").unwrap_err().message
    }

    fn rows03() -> Vec<StatementRow> {
        vec![
            StatementRow { remitter_code: "0000012345".into(), memo: "ﾌﾘｺﾐ".into(), ..StatementRow::new(1, d(2026, 11, 23), Direction::In, 12_800, "ﾔﾏﾀﾞ ﾊﾅｺ") },
            StatementRow { kind: "14".into(), memo: "ｺｳｻﾞﾌﾘｶｴ".into(), ..StatementRow::new(2, d(2026, 11, 24), Direction::Out, 3_300, "ｶ)ｱﾌﾟﾗｽ") },
            StatementRow::new(3, d(2026, 11, 25), Direction::In, 4_980, "ｻﾄｳ ｼﾞﾛｳ"),
        ]
    }

    #[test]
    fn statement_03_with_deposits_and_withdrawals() {
        let f = parse_zengin_statement(&tf::statement_03(&rows03(), Sep::CrLf), "meisai.txt").unwrap();
        assert_eq!(f.kind, StatementKind::Statement);
        assert_eq!((f.created, f.period_from, f.period_to), (Some(d(2026, 11, 25)), Some(d(2026, 11, 23)), Some(d(2026, 11, 25))));
        assert_eq!(
            f.accounts,
            vec![StatementAccount {
                bank_code: "0005".into(),
                bank_name: "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ".into(),
                branch_code: "001".into(),
                branch_name: "ﾎﾝﾃﾝ".into(),
                account_kind: "1".into(),
                account_number: "0001234567".into(),
                account_name: "ｶ)ﾃｲｷﾋﾞﾝ".into(),
            }]
        );
        assert_eq!(
            f.entries[0],
            StatementEntry {
                line: 2,
                account: 0,
                inquiry_no: "00000001".into(),
                value_date: d(2026, 11, 23),
                direction: Direction::In,
                transaction_kind: "11".into(),
                amount: 12_800,
                remitter_code: "0000012345".into(),
                remitter_name: "ﾔﾏﾀﾞ ﾊﾅｺ".into(),
                sending_bank: "ﾐｽﾞﾎ".into(),
                sending_branch: "ｼﾌﾞﾔ".into(),
                memo: "ﾌﾘｺﾐ".into(),
                edi: String::new(),
                cancel: false,
            }
        );
        let e = &f.entries[1];
        assert_eq!((e.line, e.direction, e.transaction_kind.as_str(), e.amount, e.remitter_code.as_str(), e.remitter_name.as_str(), e.memo.as_str()), (3, Direction::Out, "14", 3_300, "", "ｶ)ｱﾌﾟﾗｽ", "ｺｳｻﾞﾌﾘｶｴ"));
        assert_eq!(f.entries.iter().map(|e| (e.line, e.amount)).collect::<Vec<_>>(), vec![(2, 12_800), (3, 3_300), (4, 4_980)]);
    }

    #[test]
    fn separators_and_eof_byte() {
        let expected = parse_zengin_statement(&tf::statement_03(&rows03(), Sep::CrLf), "a").unwrap();
        for sep in [Sep::Lf, Sep::None] {
            assert_eq!(parse_zengin_statement(&tf::statement_03(&rows03(), sep), "a").unwrap(), expected);
        }
        let mut with_eof = tf::statement_03(&rows03(), Sep::None);
        with_eof.push(0x1A);
        assert_eq!(parse_zengin_statement(&with_eof, "a").unwrap(), expected);
        let mut crlf_eof = tf::statement_03(&rows03(), Sep::CrLf);
        crlf_eof.push(0x1A);
        assert_eq!(parse_zengin_statement(&crlf_eof, "a").unwrap(), expected);
    }

    #[test]
    fn several_accounts_in_one_03_file() {
        let a = rows03();
        let b = vec![StatementRow::new(9, d(2026, 11, 20), Direction::In, 1_000, "ﾀﾅｶ ｲﾁﾛｳ")];
        let f = parse_zengin_statement(&tf::join(&tf::statement_03_records(&[&a, &b]), Sep::CrLf), "a").unwrap();
        assert_eq!(f.accounts.iter().map(|a| a.account_number.as_str()).collect::<Vec<_>>(), vec!["0001234567", "0001234568"]);
        // Records: header 1, data 2-4, trailer 5, header 6, data 7, trailer 8, end 9.
        let last = f.entries.last().unwrap();
        assert_eq!((last.line, last.account, last.remitter_name.as_str(), last.value_date), (7, 1, "ﾀﾅｶ ｲﾁﾛｳ", d(2026, 11, 20)));
        assert_eq!((f.period_from, f.period_to), (Some(d(2026, 11, 20)), Some(d(2026, 11, 25))));
    }

    #[test]
    fn transfers_01_format_a_and_b_with_cancel() {
        let rows = vec![
            TransferRow { remitter_code: "0000000777".into(), ..TransferRow::new(1, d(2026, 11, 23), 12_800, "ﾔﾏﾀﾞ ﾊﾅｺ") },
            TransferRow::new(2, d(2026, 11, 23), 50_000_000_000, "ｶ)ｵｵｸﾞﾁ"),
            TransferRow { cancel: true, ..TransferRow::new(3, d(2026, 11, 24), 12_800, "ﾔﾏﾀﾞ ﾊﾅｺ") },
        ];
        let f = parse_zengin_statement(&tf::transfers_01(&rows, true, Sep::CrLf), "nyukin.txt").unwrap();
        assert_eq!(f.kind, StatementKind::Transfers);
        assert_eq!(f.accounts[0].account_number, "1234567");
        assert_eq!(
            f.entries.iter().map(|e| (e.line, e.inquiry_no.as_str(), e.amount, e.remitter_code.as_str(), e.remitter_name.as_str(), e.cancel, e.direction)).collect::<Vec<_>>(),
            vec![
                (2, "000001", 12_800, "0000000777", "ﾔﾏﾀﾞ ﾊﾅｺ", false, Direction::In),
                (3, "000002", 50_000_000_000, "", "ｶ)ｵｵｸﾞﾁ", false, Direction::In),
                (4, "000003", 12_800, "", "ﾔﾏﾀﾞ ﾊﾅｺ", true, Direction::In),
            ]
        );
        let small: Vec<TransferRow> = rows.iter().filter(|r| r.amount < 10_000_000_000).cloned().collect();
        let a = parse_zengin_statement(&tf::transfers_01(&small, false, Sep::Lf), "nyukin.txt").unwrap();
        assert_eq!(a.entries.iter().map(|e| (e.amount, e.cancel, e.sending_bank.as_str())).collect::<Vec<_>>(), vec![(12_800, false, "ﾐｽﾞﾎ"), (12_800, true, "ﾐｽﾞﾎ")]);
    }

    #[test]
    fn trailer_mismatches() {
        let mut recs = tf::transfers_01_records(&[TransferRow::new(1, d(2026, 11, 23), 1_000, "ｱ"), TransferRow::new(2, d(2026, 11, 23), 2_000, "ｲ")], false);
        tf::num(&mut recs[3], 2, 6, 12);
        assert_eq!(err(&tf::join(&recs, Sep::CrLf)), "meisai.txt: 4件目のレコード（トレーラ、2〜7バイト目）: 合計件数が明細と合いません（トレーラ: 12件、明細: 2件）");
        tf::num(&mut recs[3], 2, 6, 2);
        tf::num(&mut recs[3], 20, 6, 1);
        assert!(err(&tf::join(&recs, Sep::CrLf)).contains("取消件数が明細と合いません（トレーラ: 1件、明細: 0件）"));

        let mut recs = tf::statement_03_records(&[&rows03()]);
        tf::num(&mut recs[4], 27, 13, 3_000);
        assert_eq!(err(&tf::join(&recs, Sep::None)), "meisai.txt: 5件目のレコード（トレーラ、27〜39バイト目）: 出金額合計が明細と合いません（トレーラ: ¥3,000、明細: ¥3,300）");
    }

    #[test]
    fn invalid_era_date_names_record_and_columns() {
        let mut recs = tf::statement_03_records(&[&rows03()]);
        tf::put(&mut recs[2], 10, "991301");
        assert_eq!(err(&tf::join(&recs, Sep::CrLf)), "meisai.txt: 3件目のレコードの10〜15バイト目（勘定日）: 和暦の日付（令和YYMMDD）として読めません（「991301」）");
    }

    #[test]
    fn structure_errors() {
        let recs = tf::statement_03_records(&[&rows03()]);
        let mut data_first = recs.clone();
        data_first.swap(0, 1);
        assert_eq!(err(&tf::join(&data_first, Sep::CrLf)), "meisai.txt: 1件目のレコードの1バイト目（データ区分）: ヘッダーレコード（1）より前にデータレコード（2）があります");
        let no_trailer: Vec<Vec<u8>> = recs.iter().filter(|r| r[0] != b'8').cloned().collect();
        assert!(err(&tf::join(&no_trailer, Sep::CrLf)).contains("5件目のレコードの1バイト目（データ区分）: トレーラレコード（8）がないままエンドレコード（9）があります"));
        let no_end = &recs[..recs.len() - 1];
        assert!(err(&tf::join(no_end, Sep::CrLf)).contains("meisai.txt: エンドレコード（9）がありません（最後のレコードは5件目）"));
        let mut bad_kind = recs.clone();
        tf::put(&mut bad_kind[2], 1, "X");
        assert!(err(&tf::join(&bad_kind, Sep::CrLf)).contains("3件目のレコードの1バイト目（データ区分）: 1（ヘッダー）・2（データ）・8（トレーラ）・9（エンド）のいずれかのはずですが「X」です"));
        let mut after_end = recs.clone();
        after_end.push(recs[1].clone());
        assert!(err(&tf::join(&after_end, Sep::CrLf)).contains("7件目のレコードの1バイト目（データ区分）: エンドレコード（9）の後にレコードがあります"));
    }

    #[test]
    fn refuses_other_kinds_ebcdic_and_bad_lengths() {
        let mut recs = tf::statement_03_records(&[&rows03()]);
        tf::put(&mut recs[0], 2, "21");
        assert_eq!(err(&tf::join(&recs, Sep::CrLf)), "meisai.txt: 1件目のレコードの2〜3バイト目（種別コード）: 種別コード「21」のファイルは読めません。入出金取引明細(03)か振込入金通知(01)のファイルを選んでください");
        tf::put(&mut recs[0], 2, "03");
        tf::put(&mut recs[0], 4, "1");
        assert!(err(&tf::join(&recs, Sep::CrLf)).starts_with("meisai.txt: EBCDICのファイルには対応していません"));
        tf::put(&mut recs[0], 4, "0");
        recs[2].truncate(199);
        assert_eq!(err(&tf::join(&recs, Sep::CrLf)), "meisai.txt: 3件目のレコードの長さが199バイトです（200バイトのはずです）");
        assert!(err(&tf::debit_file(&crate::zengin::testfiles::debit_header(), &[], false, Sep::CrLf)).contains("1件目のレコードの長さが120バイトです（200バイトのはずです）"));
        assert!(err(b"").contains("ファイルが空です"));
    }

    #[test]
    fn bad_fields() {
        let mut recs = tf::statement_03_records(&[&rows03()]);
        tf::put(&mut recs[1], 25, "0000001,2800");
        assert_eq!(err(&tf::join(&recs, Sep::CrLf)), "meisai.txt: 2件目のレコードの25〜36バイト目（取引金額）: 数字のはずですが「0000001,2800」です");
        let mut recs = tf::statement_03_records(&[&rows03()]);
        tf::put(&mut recs[1], 22, "3");
        assert_eq!(err(&tf::join(&recs, Sep::CrLf)), "meisai.txt: 2件目のレコードの22バイト目（入払区分）: 1・2のいずれかのはずですが「3」です");
        let mut recs = tf::statement_03_records(&[&rows03()]);
        recs[3][81] = 0x82;
        recs[3][82] = 0xA0;
        assert_eq!(err(&tf::join(&recs, Sep::CrLf)), "meisai.txt: 4件目のレコードの82〜129バイト目（振込依頼人名）: 全銀形式で使えない文字があります（「あｳ ｼﾞﾛｳ」、0x82 0xA0）");
    }
}
