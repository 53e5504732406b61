//! The catalogue of broken files: each one given to the real core function that takes such a file
//! (and a few through `teikibin-cli`), on a real SQLite file holding a small demo shop. Every one
//! must be refused with a Japanese message naming the line (CSV) or the record and byte columns
//! (Zengin) and, where there is one, the field; and nothing may be written (every table's rows
//! hashed before and after). The files are made here, CP932 where real files are CP932.
//!
//! Catalogue (kind: what is broken):
//! - CSV imports (members, products, subscriptions, orders, payments, receivables):
//!   truncated in a quoted cell, in a double-byte character, in a record (a cell cut short);
//!   EUC-JP; UTF-16 LE with BOM, UTF-16 BE with BOM, UTF-16 LE without BOM; ISO-2022-JP; PNG;
//!   an Excel workbook (ZIP); NUL bytes; random high bytes; a 20 MB cell; a million empty lines
//!   before a bad row; only empty lines; an empty file; a header only; a BOM in the middle (two
//!   files pasted together, in UTF-8 and in CP932); a quote never closed; more cells than headers; the header repeated
//!   in the middle; 令和99年13月1日; 2026-02-30; 令和元年4月30日 (still 平成); 令和2147483647年; a year of
//!   ten digits; a price with letters; a price of 20 digits; a payment of 1万円; a tax rate of 12%;
//!   a required column missing.
//! - Zengin 03 / 01 (bank import): a record cut in the middle, a record of 199 bytes, no trailer,
//!   no end record, two headers in a row, data before the header, trailer total and count that
//!   do not add up, cancelled total that does not, code class 1 (EBCDIC) and EBCDIC bytes, 令和99年
//!   13月 as a value date, an amount with a letter, direction 3, kanji in a remitter name, a
//!   cancel flag 5, only line breaks, a million empty lines after the header, a stream cut short,
//!   a PNG.
//! - Bank CSV (bank import): no header row, an amount with letters, 2026-02-30, both amounts, a
//!   quote never closed, UTF-16.
//! - Zengin 91 (debit result import): 200-byte records, debit date 0230, result code X, collected
//!   totals that do not add up, two headers, a statement (03) instead, an amount with letters, a
//!   valid file no request exists for.
//! - B2 issued slips (tracking import): empty, header only, a tracking number of two digits, an
//!   unknown parcel, a quote never closed, an Excel workbook.
//!
//! The million-empty-lines cases read 2 MB of line breaks; they take well under a second.
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use teikibin_core::bank::BankImportOptions;
use teikibin_core::debit::DebitResultOptions;
use teikibin_core::fuzzing::is_japanese;
use teikibin_core::import::{ImportKind, ImportOptions, Source};
use teikibin_core::zengin::testfiles::{self as tf, Sep, StatementRow, TransferRow};
use teikibin_core::zengin::Direction;
use teikibin_core::Db;

fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable, "fixture text must be CP932: {text}");
    bytes.into_owned()
}

/// Lines joined with CRLF, as Excel saves them, in CP932.
fn excel(lines: &[&str]) -> Vec<u8> {
    cp932(&(lines.join("\r\n") + "\r\n"))
}

/// Every table's row count and a hash of its rows, to show that nothing was written.
fn snapshot(path: &Path) -> BTreeMap<String, (usize, u64)> {
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = BTreeMap::new();
    for t in tables {
        let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let cols = st.column_count();
        let mut rows = st.query([]).unwrap();
        let (mut n, mut h) = (0, std::collections::hash_map::DefaultHasher::new());
        while let Some(r) = rows.next().unwrap() {
            n += 1;
            for i in 0..cols {
                format!("{:?}", r.get_ref(i).unwrap()).hash(&mut h);
            }
        }
        out.insert(t, (n, h.finish()));
    }
    out
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Import(ImportKind),
    Bank,
    Debit,
    Tracking,
}

struct Case {
    name: &'static str,
    kind: Kind,
    bytes: Vec<u8>,
    /// What the message must say (line, record, columns, field …).
    expect: &'static [&'static str],
}

fn case(name: &'static str, kind: Kind, bytes: Vec<u8>, expect: &'static [&'static str]) -> Case {
    Case { name, kind, bytes, expect }
}

/// The refusal of `c` as text, or a panic when it was accepted.
fn refusal(db: &mut Db, c: &Case) -> String {
    let file = c.name;
    match c.kind {
        Kind::Import(kind) => {
            let source = Source { file_name: file.into(), bytes: c.bytes.clone() };
            match db.import(kind, &source, &ImportOptions::default(), false, &mut |_| {}) {
                Err(e) => e.message,
                Ok(r) => {
                    assert!(r.refused(), "{file}: imported {} rows", r.imported);
                    assert!(r.errors.iter().all(|e| e.line > 0), "{file}: an error without its row: {:?}", r.errors);
                    r.errors.iter().map(|e| format!("{} 行目「{}」（{}）: {}", e.line, e.column, e.field, e.message)).collect::<Vec<_>>().join("\n")
                }
            }
        }
        Kind::Bank => db.bank_import(&c.bytes, file, &BankImportOptions { staff: "佐藤".into(), ..Default::default() }).map(|r| panic!("{file}: accepted: {:?}", r.import)).unwrap_err().message,
        Kind::Debit => db.debit_import_result(&c.bytes, file, &DebitResultOptions::default()).map(|r| panic!("{file}: accepted: {}", r.month)).unwrap_err().message,
        Kind::Tracking => match db.import_tracking(&c.bytes, file) {
            Err(e) => e.message,
            Ok(r) => {
                assert!(r.attached.is_empty() && !r.rejected.is_empty(), "{file}: {r:?}");
                r.rejected.join("\n")
            }
        },
    }
}

// --- CSV imports ------------------------------------------------------------------------------

const MEMBERS: &[&str] = &[
    "顧客コード,お名前,ﾌﾘｶﾞﾅ,〒,住所1,TEL,生年月日,登録日,備考",
    "9001,山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,100-0005,東京都千代田区丸の内1-1-1,03-1234-5678,S45.3.3,2019/4/1,\"二行の\r\nメモ\"",
    "9002,鈴木 花子,スズキ ハナコ,530-0001,大阪府大阪市北区梅田1-1,06-1234-5678,平成元年2月3日,2019/4/1,",
];

fn members(extra: &[&str]) -> Vec<u8> {
    let mut l = MEMBERS.to_vec();
    l.extend_from_slice(extra);
    excel(&l)
}

fn import_cases() -> Vec<Case> {
    use ImportKind::*;
    let m = Kind::Import(Members);
    let good = members(&[]);
    let text = MEMBERS.join("\r\n") + "\r\n";
    // The second row's quoted memo, cut after 「二行の」.
    let cut_quoted = cp932(&text[..text.find("二行の").unwrap() + "二行の".len()]);
    // 髙 is two bytes in CP932; keep only its first.
    let with_taka = members(&["9003,髙橋 一郎,ﾀｶﾊｼ ｲﾁﾛｳ,100-0005,東京都千代田区,03-1111-2222,,2019/4/1,"]);
    let taka = with_taka.windows(2).position(|w| w == [0xFB, 0xFC]).unwrap();
    let cut_char = with_taka[..taka + 1].to_vec();
    let utf16 = |le: bool, bom: bool| {
        let units: Vec<u8> = text.encode_utf16().flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() }).collect();
        let bom: &[u8] = match (bom, le) {
            (false, _) => b"",
            (true, true) => b"\xFF\xFE",
            (true, false) => b"\xFE\xFF",
        };
        [bom, &units].concat()
    };
    let mut nul = good.clone();
    let at = nul.windows(4).position(|w| w == b"9002").unwrap();
    nul.insert(at + 2, 0);
    let huge = format!("9003,{},ﾔﾏﾀﾞ,100-0005,東京都,03-1111-2222,,2019/4/1,", "山".repeat(10_000_000));
    let million = [cp932(MEMBERS[0]), b"\r\n".repeat(1_000_000), cp932("9001,山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,100-0005,東京都,03-1234-5678,令和99年13月1日,2019/4/1,\r\n")].concat();
    let random: Vec<u8> = (0..4096u32).map(|i| 0x80 | (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let pasted = [text.as_bytes(), "\u{FEFF}顧客コード,お名前\r\n9009,田中\r\n".as_bytes()].concat();
    let pasted_cp932 = [good.clone(), b"\xEF\xBB\xBF".to_vec(), cp932("顧客コード,お名前\r\n9009,田中\r\n")].concat();
    vec![
        case("members-cut-in-quoted-cell.csv", m, cut_quoted, &["2 行目", "引用符", "閉じられない"]),
        case("members-cut-in-a-character.csv", m, cut_char, &["5 行目", "文字コード"]),
        case("members-cut-in-a-record.csv", m, members(&["9003,田中 一郎,ﾀﾅｶ ｲﾁﾛｳ,100-0005,東京都千代田区,03-1111-2222,2019/0"]), &["4 行目", "生年月日"]),
        case("members-euc-jp.csv", m, encoding_rs::EUC_JP.encode(&text).0.into_owned(), &["EUC-JP"]),
        case("members-utf16le-bom.csv", m, utf16(true, true), &["UTF-16"]),
        case("members-utf16be-bom.csv", m, utf16(false, true), &["UTF-16"]),
        case("members-utf16le-no-bom.csv", m, utf16(true, false), &["1 行目", "NULバイト"]),
        case("members-iso2022jp.csv", m, encoding_rs::ISO_2022_JP.encode(&text).0.into_owned(), &["1 行目", "ISO-2022-JP"]),
        case("members.png", m, [b"\x89PNG\r\n\x1A\n\0\0\0\rIHDR".as_slice(), &[0u8; 64]].concat(), &["PNG"]),
        case("products.xlsx", Kind::Import(Products), [b"PK\x03\x04\x14\0\x06\0".as_slice(), b"[Content_Types].xml"].concat(), &["ZIP", "xlsx"]),
        case("members-nul.csv", m, nul, &["4 行目", "NULバイト"]),
        case("members-random-bytes.csv", m, random, &["行目", "文字コード"]),
        case("members-20mb-cell.csv", m, cp932(&(text.clone() + &huge + "\r\n")), &["4 行目", "2列目「お名前」", "長すぎます", "10000000文字"]),
        case("members-million-empty-lines.csv", m, million, &["1000001 行目", "生年月日", "13月"]),
        case("members-only-empty-lines.csv", m, b"\r\n".repeat(1_000_000), &["空のファイル"]),
        case("members-empty.csv", m, Vec::new(), &["空のファイル"]),
        case("members-header-only.csv", m, excel(&MEMBERS[..1]), &["見出し行だけ"]),
        case("members-bom-in-the-middle.csv", m, pasted, &["5 行目", "BOM"]),
        case("members-cp932-bom-in-the-middle.csv", m, pasted_cp932, &["5 行目", "BOM"]),
        case("members-quote-never-closed.csv", m, members(&["9003,\"田中 一郎,ﾀﾅｶ,100-0005,東京都,03-1111-2222,,2019/4/1,", "9004,佐藤,ｻﾄｳ,100-0005,東京都,03-1111-2222,,2019/4/1,"]), &["4 行目", "引用符"]),
        case("members-too-many-cells.csv", m, members(&["9003,田中,ﾀﾅｶ,100-0005,東京都,03-1111-2222,,2019/4/1,,余分,さらに余分"]), &["4 行目", "列が見出しより多く"]),
        case("members-header-repeated.csv", m, members(&[MEMBERS[0]]), &["4 行目", "生年月日"]),
        case("members-reiwa-99-13.csv", m, members(&["9003,田中,ﾀﾅｶ,100-0005,東京都,03-1111-2222,令和99年13月1日,2019/4/1,"]), &["4 行目", "生年月日", "13月という月はありません"]),
        case("members-2026-02-30.csv", m, members(&["9003,田中,ﾀﾅｶ,100-0005,東京都,03-1111-2222,,2026-02-30,"]), &["4 行目", "登録日", "2026年2月30日という日はありません"]),
        case("subscriptions-reiwa-1-4-30.csv", Kind::Import(Subscriptions), excel(&["定期番号,会員番号,商品コード,数量,周期,次回お届け日", "S1,000001,A01,1,毎月,令和元年4月30日"]), &["2 行目", "次回お届け日", "期間外"]),
        case("members-reiwa-2147483647.csv", m, members(&["9003,田中,ﾀﾅｶ,100-0005,東京都,03-1111-2222,令和2147483647年1月1日,2019/4/1,"]), &["4 行目", "生年月日", "令和2147483647年という年はありません"]),
        case("members-year-of-ten-digits.csv", m, members(&["9003,田中,ﾀﾅｶ,100-0005,東京都,03-1111-2222,4294967295/1/1,2019/4/1,"]), &["4 行目", "生年月日", "4294967295年"]),
        case("products-price-letters.csv", Kind::Import(Products), excel(&["商品コード,商品名,税込価格,税率", "Z01,青汁,12OO円,8%"]), &["2 行目", "税込価格", "金額として読めません"]),
        case("products-price-20-digits.csv", Kind::Import(Products), excel(&["商品コード,商品名,税込価格,税率", "Z01,青汁,99999999999999999999,8%"]), &["2 行目", "税込価格", "金額として読めません"]),
        case("payments-amount-1man.csv", Kind::Import(Payments), excel(&["会員番号,入金日,入金額,入金方法", "000001,2025/11/20,1万円,銀行振込"]), &["2 行目", "入金額", "金額として読めません"]),
        case("orders-tax-12.csv", Kind::Import(Orders), excel(&["受注番号,受注日,会員番号,商品名,数量,単価,税率", "O-1,2025/1/10,000001,年会費,1,5000,12%"]), &["2 行目", "税率"]),
        case("receivables-no-amount-column.csv", Kind::Import(Receivables), excel(&["会員番号,請求番号,請求日", "000001,INV-9,2025/10/31"]), &["必須の項目", "請求額"]),
    ]
}

// --- Zengin 03 / 01 ---------------------------------------------------------------------------

fn day(d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn st03() -> Vec<Vec<u8>> {
    tf::statement_03_records(&[&[
        StatementRow::new(1, day(23), Direction::In, 12_800, "ﾔﾏﾀﾞ ﾊﾅｺ"),
        StatementRow::new(2, day(24), Direction::Out, 3_300, "ｶ)ｱﾌﾟﾗｽ"),
        StatementRow::new(3, day(25), Direction::In, 4_980, "ｻﾄｳ ｼﾞﾛｳ"),
    ]])
}

fn tr01() -> Vec<Vec<u8>> {
    tf::transfers_01_records(&[TransferRow::new(1, day(23), 12_800, "ﾔﾏﾀﾞ ﾊﾅｺ"), TransferRow { cancel: true, ..TransferRow::new(2, day(24), 5_000, "ｻﾄｳ ｼﾞﾛｳ") }], false)
}

/// The records with `f` applied to record `n` (1-based), joined by CRLF.
fn edit(mut recs: Vec<Vec<u8>>, n: usize, f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    f(&mut recs[n - 1]);
    tf::join(&recs, Sep::CrLf)
}

fn without(mut recs: Vec<Vec<u8>>, n: usize) -> Vec<u8> {
    recs.remove(n - 1);
    tf::join(&recs, Sep::CrLf)
}

fn zengin_cases() -> Vec<Case> {
    let b = Kind::Bank;
    let crlf = tf::join(&st03(), Sep::CrLf);
    let stream = tf::join(&st03(), Sep::None);
    let mut two_headers = st03();
    two_headers.insert(1, st03()[0].clone());
    let mut data_first = st03();
    data_first.swap(0, 1);
    let million = [st03()[0].clone(), b"\r\n".repeat(1_000_000), tf::join(&st03()[1..], Sep::CrLf)].concat();
    vec![
        case("z03-cut-in-a-record.txt", b, crlf[..202 + 120].to_vec(), &["2件目のレコードの長さが120バイト"]),
        case("z03-record-of-199-bytes.txt", b, edit(st03(), 3, |r| { r.pop(); }), &["3件目のレコードの長さが199バイト", "200バイトのはず"]),
        case("z03-no-trailer.txt", b, without(st03(), 5), &["トレーラレコード（8）がないまま"]),
        case("z03-no-end.txt", b, without(st03(), 6), &["エンドレコード（9）がありません", "5件目"]),
        case("z03-two-headers.txt", b, tf::join(&two_headers, Sep::CrLf), &["2件目のレコード", "1バイト目", "データ区分"]),
        case("z03-data-before-header.txt", b, tf::join(&data_first, Sep::CrLf), &["1件目のレコード", "データレコード（2）"]),
        case("z03-trailer-total.txt", b, edit(st03(), 5, |r| tf::num(r, 8, 13, 17_781)), &["5件目のレコード（トレーラ、8〜20バイト目）", "入金額合計", "17,781", "17,780"]),
        case("z03-trailer-count.txt", b, edit(st03(), 5, |r| tf::num(r, 21, 6, 2)), &["5件目", "21〜26バイト目", "出金件数"]),
        case("z03-code-class-ebcdic.txt", b, edit(st03(), 1, |r| r[3] = b'1'), &["EBCDIC", "コード区分1"]),
        case("z03-ebcdic-bytes.txt", b, crlf.iter().map(|&c| if c.is_ascii_digit() { 0xF0 | (c - b'0') } else { c }).collect(), &["EBCDIC"]),
        case("z03-reiwa-99-13.txt", b, edit(st03(), 2, |r| tf::put(r, 10, "991301")), &["2件目のレコードの10〜15バイト目（勘定日）", "「991301」"]),
        case("z03-amount-letter.txt", b, edit(st03(), 3, |r| tf::put(r, 25, "00000000330O")), &["3件目のレコードの25〜36バイト目（取引金額）", "数字のはず"]),
        case("z03-direction-3.txt", b, edit(st03(), 2, |r| tf::put(r, 22, "3")), &["2件目のレコードの22バイト目（入払区分）"]),
        case("z03-kanji-name.txt", b, edit(st03(), 4, |r| tf::put(r, 82, "佐藤")), &["4件目のレコードの82〜129バイト目（振込依頼人名）", "全銀形式で使えない文字"]),
        case("z03-only-line-breaks.txt", b, b"\r\n".repeat(50), &["空です"]),
        case("z03-million-empty-lines.txt", b, million, &["2件目のレコードの長さが0バイト"]),
        case("z03-stream-cut.txt", b, stream[..stream.len() - 77].to_vec(), &["6件目のレコードの長さが123バイト"]),
        case("z03.png", b, [b"\x89PNG\r\n\x1A\n".as_slice(), &[7u8; 300]].concat(), &["PNG"]),
        case("z01-cancel-flag-5.txt", b, edit(tr01(), 2, |r| tf::put(r, 128, "5")), &["2件目のレコードの128バイト目（取消区分）"]),
        case("z01-cancelled-total.txt", b, edit(tr01(), 4, |r| tf::num(r, 26, 12, 4_000)), &["4件目のレコード（トレーラ、26〜37バイト目）", "取消金額"]),
        case("z01-type-02.txt", b, edit(tr01(), 1, |r| tf::put(r, 2, "02")), &["1件目のレコードの2〜3バイト目（種別コード）"]),
    ]
}

// --- bank CSV ---------------------------------------------------------------------------------

fn bank_csv_cases() -> Vec<Case> {
    let b = Kind::Bank;
    let head = "日付,摘要,お引出金額,お預入金額,残高";
    let text = format!("{head}\r\n2026/11/23,振込 ﾔﾏﾀﾞ ﾊﾅｺ,,12800,1012800\r\n");
    vec![
        case("bank-no-header.csv", b, excel(&["2026/11/23,振込 ﾔﾏﾀﾞ ﾊﾅｺ,,12800,1012800"]), &["見出し行が見つかりません", "1行目"]),
        case("bank-amount-letters.csv", b, excel(&[head, "2026/11/23,振込 ﾔﾏﾀﾞ ﾊﾅｺ,,\"12,8OO\",1012800"]), &["2 行目", "お預入金額", "金額として読めません"]),
        case("bank-2026-02-30.csv", b, excel(&[head, "2026/02/30,振込 ﾔﾏﾀﾞ ﾊﾅｺ,,12800,1012800"]), &["2 行目", "日付", "2月30日"]),
        case("bank-both-amounts.csv", b, excel(&[head, "2026/11/23,振込 ﾔﾏﾀﾞ ﾊﾅｺ,100,12800,1012800"]), &["2 行目", "両方"]),
        case("bank-quote-never-closed.csv", b, excel(&[head, "2026/11/23,\"振込 ﾔﾏﾀﾞ ﾊﾅｺ,,12800,1012800", "2026/11/24,振込 ｻﾄｳ,,4980,1017780"]), &["2 行目", "引用符"]),
        case("bank-utf16.csv", b, [b"\xFF\xFE".as_slice(), &text.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()].concat(), &["UTF-16"]),
    ]
}

// --- Zengin 91 --------------------------------------------------------------------------------

fn d91() -> Vec<Vec<u8>> {
    tf::debit_records(&tf::debit_header(), &[tf::debit_record(0, 4_980, "1", "0"), tf::debit_record(0, 12_800, "2", "1")], true)
}

fn debit_cases() -> Vec<Case> {
    let k = Kind::Debit;
    let mut two_headers = d91();
    two_headers.splice(5..5, d91()[..4].to_vec());
    vec![
        case("d91-200-byte-records.txt", k, tf::join(&d91().into_iter().map(|mut r| { r.resize(200, b' '); r }).collect::<Vec<_>>(), Sep::CrLf), &["1件目のレコードの長さが200バイト", "120バイトのはず"]),
        case("d91-date-0230.txt", k, edit(d91(), 1, |r| tf::put(r, 55, "0230")), &["1件目のレコードの55〜58バイト目（引落日）", "2月30日"]),
        case("d91-result-code-x.txt", k, edit(d91(), 3, |r| tf::put(r, 112, "X")), &["3件目のレコードの112バイト目（振替結果コード）"]),
        case("d91-collected-total.txt", k, edit(d91(), 4, |r| tf::num(r, 26, 12, 4_981)), &["4件目のレコード（トレーラ、26〜37バイト目）", "振替済金額"]),
        case("d91-two-headers.txt", k, tf::join(&two_headers, Sep::CrLf), &["6件目のレコード", "エンドレコード（9）の後"]),
        case("d91-is-a-statement.txt", k, tf::join(&st03().into_iter().map(|mut r| { r.truncate(120); r }).collect::<Vec<_>>(), Sep::CrLf), &["1件目のレコードの2〜3バイト目（種別コード）", "預金口座振替(91)"]),
        case("d91-amount-letters.txt", k, edit(d91(), 2, |r| tf::put(r, 81, "00000049BO")), &["2件目のレコードの81〜90バイト目（引落金額）"]),
        case("d91-no-request.txt", k, tf::join(&d91(), Sep::CrLf), &["11月27日", "依頼データが見つかりません"]),
    ]
}

// --- B2 tracking numbers ----------------------------------------------------------------------

fn tracking_cases() -> Vec<Case> {
    let t = Kind::Tracking;
    let head = "お客様管理番号,送り状種類,クール区分,伝票番号";
    vec![
        case("b2-empty.csv", t, Vec::new(), &["伝票番号の行がありません"]),
        case("b2-header-only.csv", t, excel(&[head]), &["見出し行だけ"]),
        case("b2-short-number.csv", t, excel(&[head, "", "S0000001,0,0,12"]), &["3 行目", "伝票番号「12」"]),
        case("b2-unknown-parcel.csv", t, excel(&[head, "S9999999,0,0,400011112222"]), &["2 行目", "S9999999"]),
        case("b2-quote-never-closed.csv", t, excel(&[head, "\"S0000001,0,0,400011112222", "S0000002,0,0,400011112223"]), &["2 行目", "引用符"]),
        case("b2-issued.xlsx", t, [b"PK\x03\x04".as_slice(), &[0u8; 100]].concat(), &["ZIP"]),
    ]
}

// --- the runs ---------------------------------------------------------------------------------

/// A small demo shop on a real file: members, products, courses, subscriptions, orders,
/// invoices, so "nothing written" is checked against tables that hold something.
fn shop() -> (tempfile::TempDir, PathBuf, Db) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let mut db = Db::open(&path).unwrap();
    db.generate_demo(20, 7).unwrap();
    (dir, path, db)
}

fn all_cases() -> Vec<Case> {
    [import_cases(), zengin_cases(), bank_csv_cases(), debit_cases(), tracking_cases()].into_iter().flatten().collect()
}

#[test]
fn every_broken_file_is_refused_in_japanese_with_its_place_and_nothing_is_written() {
    let (_dir, path, mut db) = shop();
    let cases = all_cases();
    assert!(cases.len() >= 40, "{} broken files", cases.len());
    let mut names = std::collections::HashSet::new();
    let before = snapshot(&path);
    let mut failures = Vec::new();
    for c in &cases {
        assert!(names.insert(c.name), "two cases named {}", c.name);
        let t = std::time::Instant::now();
        let message = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| refusal(&mut db, c))) {
            Ok(m) => m,
            Err(_) => {
                failures.push(format!("{}: accepted or panicked (see above)", c.name));
                continue;
            }
        };
        let took = t.elapsed();
        let missing: Vec<&str> = c.expect.iter().copied().filter(|e| !message.contains(e)).collect();
        if !is_japanese(&message) || !missing.is_empty() || !message.contains(c.name) && !matches!(c.kind, Kind::Import(_)) {
            failures.push(format!("{}: lacks {missing:?}:\n{message}", c.name));
        }
        assert!(took.as_secs() < 10, "{} took {took:?}", c.name);
        assert_eq!(snapshot(&path), before, "{}: something was written", c.name);
    }
    assert!(failures.is_empty(), "{} of {} messages are not as expected:\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

/// A few of them through the CLI: exit code 1, the message on stderr, nothing written.
#[test]
fn the_cli_refuses_them_the_same_way() {
    let (dir, path, db) = shop();
    drop(db);
    let before = snapshot(&path);
    let find = |name: &str| all_cases().into_iter().find(|c| c.name == name).unwrap();
    let runs: [(&str, &[&str]); 4] = [
        ("members-quote-never-closed.csv", &["import", "members"]),
        ("z03-trailer-total.txt", &["bank", "import"]),
        ("d91-date-0230.txt", &["debit", "import-result"]),
        ("b2-quote-never-closed.csv", &["ship", "import-tracking"]),
    ];
    for (name, args) in runs {
        let c = find(name);
        let file = dir.path().join(name);
        std::fs::write(&file, &c.bytes).unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_teikibin-cli")).arg("--db").arg(&path).args(args).arg(&file).env_remove("TEIKIBIN_DB").output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(err.starts_with("エラー: ") && c.expect.iter().all(|e| err.contains(e)), "{name}: {err}");
        assert_eq!(snapshot(&path), before, "{name}: something was written");
    }
}
