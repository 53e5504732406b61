//! Reading the values that legacy spreadsheets hold, as Excel and years of hand typing left them:
//! dates in Western, Japanese-era and Excel-serial forms, phone numbers that lost their leading
//! zero. Each reader returns the value or a Japanese reason; warnings say what was repaired.
use crate::normalize;
use chrono::{Datelike, Duration, NaiveDate};

/// The Japanese eras a living customer's dates can fall in: (kanji, initial, first day).
const ERAS: [(&str, char, (i32, u32, u32)); 5] = [
    ("令和", 'R', (2019, 5, 1)),
    ("平成", 'H', (1989, 1, 8)),
    ("昭和", 'S', (1926, 12, 25)),
    ("大正", 'T', (1912, 7, 30)),
    ("明治", 'M', (1868, 1, 25)),
];

fn era_start(i: usize) -> NaiveDate {
    let (y, m, d) = ERAS[i].2;
    NaiveDate::from_ymd_opt(y, m, d).expect("era table")
}

/// A date as found in a legacy file. Accepts 2019/4/1, 2019-04-01, 2019.4.1, 20190401,
/// 2019年4月1日, 令和元年5月1日, 令和1年5月1日, R1.5.1, H31/4/1, S45.3.3, 平成31年4月1日 and
/// Excel serial numbers (days since 1899-12-30, e.g. 43556); full-width digits too.
pub fn date(raw: &str) -> Result<NaiveDate, String> {
    parse_date(raw, true)
}

/// A date typed into a form: every form `date` reads except Excel serial numbers.
pub fn typed_date(raw: &str) -> Result<NaiveDate, String> {
    parse_date(raw, false)
}

fn parse_date(raw: &str, excel_serials: bool) -> Result<NaiveDate, String> {
    let s: String = normalize::nfkc(raw).chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Err("日付が空です".into());
    }
    // Excel serial: five digits (10000 = 1927-05-18 … 99999 = 2173); 8 digits is YYYYMMDD.
    if excel_serials && s.len() == 5 && s.chars().all(|c| c.is_ascii_digit()) {
        let n: i64 = s.parse().map_err(|_| format!("日付として読めません（{raw}）"))?;
        let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
        return Ok(base + Duration::days(n));
    }
    if s.len() == 8 && s.chars().all(|c| c.is_ascii_digit()) {
        return ymd(s[..4].parse().unwrap(), s[4..6].parse().unwrap(), s[6..].parse().unwrap(), raw);
    }
    // Japanese era, by kanji or by initial.
    for (i, (kanji, initial, _)) in ERAS.iter().enumerate() {
        let rest = s
            .strip_prefix(kanji)
            .or_else(|| s.strip_prefix(*initial))
            .or_else(|| s.strip_prefix(initial.to_ascii_lowercase()));
        if let Some(rest) = rest {
            let rest = rest.replacen("元", "1", 1);
            let parts = numbers(&rest);
            let [y, m, d] = parts.as_slice() else {
                return Err(format!("和暦の日付を「{kanji}〇年〇月〇日」として読めません（{raw}）"));
            };
            // No era has lasted 100 years; a bigger number is a typo (and would overflow the year).
            if *y < 1 || *y > 99 {
                return Err(format!("{kanji}{y}年という年はありません（{raw}）"));
            }
            let year = era_start(i).year() + *y as i32 - 1;
            let date = ymd(year, *m, *d, raw)?;
            if date < era_start(i) || (i > 0 && date >= era_start(i - 1)) {
                return Err(format!("{kanji}{y}年{m}月{d}日はその元号の期間外です（{raw}）"));
            }
            return Ok(date);
        }
    }
    let parts = numbers(&s);
    match parts.as_slice() {
        [y, m, d] if (1000..=9999).contains(y) => ymd(*y as i32, *m, *d, raw),
        [y, _, _] if *y > 9999 => Err(format!("{y}年という年はありません（{raw}）")),
        [_, _, _] => Err(format!("年は4桁の西暦か和暦で書いてください（{raw}）")),
        _ => Err(format!("日付として読めません（{raw}）。2019/4/1、2019年4月1日、令和元年5月1日などの形にしてください")),
    }
}

/// The runs of digits in a date: 「2019年4月1日」, 「31.4.1」, 「2019-04-01」 all give three numbers,
/// but only when the separators are ones dates use.
fn numbers(s: &str) -> Vec<u32> {
    if s.chars().any(|c| !(c.is_ascii_digit() || matches!(c, '/' | '-' | '.' | '年' | '月' | '日'))) {
        return Vec::new();
    }
    s.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).filter_map(|p| p.parse().ok()).collect()
}

fn ymd(y: i32, m: u32, d: u32, raw: &str) -> Result<NaiveDate, String> {
    if !(1..=12).contains(&m) {
        return Err(format!("{m}月という月はありません（{raw}）"));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("{y}年{m}月{d}日という日はありません（{raw}）"))
}

/// A phone number from a spreadsheet: when Excel turned it into a number and dropped the leading
/// zero (3-1234-5678 → 312345678), the zero is put back and a warning says so.
pub fn phone(raw: &str) -> (String, Option<String>) {
    let t = normalize::tidy(&normalize::nfkc(raw));
    let digits = normalize::digits(&t);
    let only_digits = !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    if only_digits && !digits.starts_with('0') && (9..=10).contains(&digits.len()) {
        let fixed = format!("0{digits}");
        return (fixed.clone(), Some(format!("先頭の0が消えていたので補いました（{raw} → {fixed}）")));
    }
    (t, None)
}

/// An amount of yen as spreadsheets write it: 1980, 1,980, ¥1,980, 1980円, full-width digits.
/// Decimals are refused (yen have none), a minus sign or △ (as accountants write it) is negative.
pub fn yen(raw: &str) -> Result<i64, String> {
    let s: String = normalize::nfkc(raw).chars().filter(|c| !c.is_whitespace() && !matches!(c, ',' | '¥' | '\\' | '円')).collect();
    let (neg, digits) = match s.strip_prefix('-').or_else(|| s.strip_prefix('△')).or_else(|| s.strip_prefix('▲')) {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let digits = digits.strip_suffix(".0").or_else(|| digits.strip_suffix(".00")).unwrap_or(digits);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 12 {
        return Err(format!("金額として読めません（{raw}）。1980 や ¥1,980 のように円単位の整数で書いてください"));
    }
    let n: i64 = digits.parse().map_err(|_| format!("金額として読めません（{raw}）"))?;
    Ok(if neg { -n } else { n })
}

/// A whole number of things (quantity, delivery count).
pub fn count(raw: &str) -> Result<i64, String> {
    let s: String = normalize::nfkc(raw).chars().filter(|c| !c.is_whitespace() && !matches!(c, ',' | '個' | '回' | '本' | '袋' | '箱' | '点')).collect();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 9 {
        return Err(format!("数として読めません（{raw}）"));
    }
    s.parse().map_err(|_| format!("数として読めません（{raw}）"))
}

/// A consumption-tax rate: 10, 8, 10%, ８％, 0.08, 軽減, 標準 → 10 or 8. Blank: `None`.
pub fn tax_rate(raw: &str) -> Result<Option<i64>, String> {
    let s: String = normalize::nfkc(raw).chars().filter(|c| !c.is_whitespace() && *c != '%').collect();
    match s.as_str() {
        "" => Ok(None),
        "10" | "0.1" | "0.10" | "標準" | "標準税率" | "10.0" => Ok(Some(10)),
        "8" | "0.08" | "軽減" | "軽減税率" | "8.0" | "※" => Ok(Some(8)),
        _ => Err(format!("税率は10%か8%（軽減税率）です（{raw}）")),
    }
}

/// A yes/no cell: 1, ○, 〇, ✓, はい, true, 有, 要 … / 0, ×, いいえ, false, 無, blank.
pub fn flag(raw: &str) -> Result<bool, String> {
    let s = normalize::nfkc(raw).trim().to_lowercase();
    match s.as_str() {
        "1" | "○" | "〇" | "◯" | "✓" | "✔" | "はい" | "true" | "yes" | "y" | "有" | "あり" | "要" | "不要" | "希望しない" | "拒否" | "停止" => Ok(true),
        "" | "0" | "×" | "x" | "いいえ" | "false" | "no" | "n" | "無" | "なし" | "-" => Ok(false),
        _ => Err(format!("「はい/いいえ」として読めません（{raw}）。1/0 や ○/× で書いてください")),
    }
}

/// A delivery interval: 毎月, 隔月, 1ヶ月, 2か月ごと, 3カ月毎, 毎週, 隔週, 2週間, 45日, 30日毎.
/// Returns the unit ("month", "week", "day") and the count.
pub fn interval(raw: &str) -> Result<(&'static str, i64), String> {
    let s: String = normalize::nfkc(raw).chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.trim_end_matches("ごと").trim_end_matches('毎').trim_end_matches("おき").trim_end_matches("に1回").trim_end_matches("間");
    match s {
        "毎月" | "月1" | "月1回" => return Ok(("month", 1)),
        "隔月" => return Ok(("month", 2)),
        "毎週" => return Ok(("week", 1)),
        "隔週" => return Ok(("week", 2)),
        _ => {}
    }
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    let unit = &s[digits.len()..];
    let n: i64 = digits.parse().map_err(|_| format!("お届け周期として読めません（{raw}）。毎月、2ヶ月、隔週、45日 などと書いてください"))?;
    let unit = match unit {
        "ヶ月" | "ヵ月" | "カ月" | "か月" | "ケ月" | "箇月" | "月" => "month",
        "週" | "週間" => "week",
        "日" => "day",
        _ => return Err(format!("お届け周期として読めません（{raw}）。毎月、2ヶ月、隔週、45日 などと書いてください")),
    };
    if !(1..=366).contains(&n) {
        return Err(format!("お届け周期の数が範囲外です（{raw}）"));
    }
    Ok((unit, n))
}

/// How a customer pays, as the old system wrote it; also the stored word.
pub fn payment_method(raw: &str) -> Result<&'static str, String> {
    let s: String = normalize::nfkc(raw).chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    let found = [
        ("direct_debit", &["口座振替", "口座引落", "自動引落", "引落", "口振", "direct_debit"][..]),
        ("postal_transfer", &["郵便振替", "払込票", "払込", "コンビニ", "postal_transfer"][..]),
        ("bank_transfer", &["銀行振込", "振込", "後払い", "請求書", "bank_transfer"][..]),
        ("cod", &["代金引換", "代引", "コレクト", "cod"][..]),
        ("card", &["クレジット", "カード", "card"][..]),
        ("cash", &["現金", "cash"][..]),
        ("other", &["その他", "other"][..]),
    ]
    .into_iter()
    .find(|(_, words)| words.iter().any(|w| s.contains(w)));
    found.map(|(m, _)| m).ok_or_else(|| format!("支払方法として読めません（{raw}）。振込、口座振替、代引、カード、現金 などと書いてください"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn western_forms() {
        for s in ["2019/4/1", "2019-04-01", "2019.4.1", "20190401", "2019年4月1日", "２０１９／４／１", " 2019/04/01 "] {
            assert_eq!(date(s), Ok(d(2019, 4, 1)), "{s}");
        }
    }

    /// Found reading the code while fuzzing: an era year of ten digits overflowed the year
    /// (a panic in debug builds, a wrapped year in release); a huge Western year printed wrapped.
    #[test]
    fn huge_years_are_refused_not_overflowed() {
        assert_eq!(date("令和2147483647年1月1日"), Err("令和2147483647年という年はありません（令和2147483647年1月1日）".into()));
        assert_eq!(date("H4294967295.1.1"), Err("平成4294967295年という年はありません（H4294967295.1.1）".into()));
        assert_eq!(date("令和100年1月1日"), Err("令和100年という年はありません（令和100年1月1日）".into()));
        assert_eq!(date("3000000000/1/1"), Err("3000000000年という年はありません（3000000000/1/1）".into()));
        assert_eq!(date("令和99年1月1日"), Ok(d(2117, 1, 1)));
    }

    #[test]
    fn era_forms() {
        assert_eq!(date("令和元年5月1日"), Ok(d(2019, 5, 1)));
        assert_eq!(date("令和1年5月1日"), Ok(d(2019, 5, 1)));
        assert_eq!(date("R1.5.1"), Ok(d(2019, 5, 1)));
        assert_eq!(date("H31.4.1"), Ok(d(2019, 4, 1)));
        assert_eq!(date("平成31年4月1日"), Ok(d(2019, 4, 1)));
        assert_eq!(date("S45.3.3"), Ok(d(1970, 3, 3)));
        assert_eq!(date("昭和64年1月7日"), Ok(d(1989, 1, 7)));
        assert_eq!(date("h1/1/8"), Ok(d(1989, 1, 8)));
    }

    #[test]
    fn excel_serials() {
        assert_eq!(date("43556"), Ok(d(2019, 4, 1)));
        assert_eq!(date("25630"), Ok(d(1970, 3, 3)));
        assert!(date("2019").is_err(), "a bare year is not a serial");
    }

    #[test]
    fn impossible_dates_are_explained() {
        assert!(date("令和99年13月1日").unwrap_err().contains("13月"));
        assert!(date("令和元年4月1日").unwrap_err().contains("期間外"));
        assert!(date("平成32年1月1日").unwrap_err().contains("期間外"));
        assert!(date("2019/2/30").unwrap_err().contains("2月30日"));
        assert!(date("19/4/1").unwrap_err().contains("4桁"));
        assert!(date("来月").is_err());
        assert!(date("").is_err());
    }

    #[test]
    fn phones_get_their_zero_back() {
        assert_eq!(phone("312345678"), ("0312345678".into(), Some("先頭の0が消えていたので補いました（312345678 → 0312345678）".into())));
        assert_eq!(phone("9012345678").0, "09012345678");
        assert_eq!(phone("03-1234-5678"), ("03-1234-5678".into(), None));
        assert_eq!(phone("0312345678"), ("0312345678".into(), None));
    }

    #[test]
    fn amounts_counts_rates_flags() {
        assert_eq!(yen("¥1,980"), Ok(1980));
        assert_eq!(yen("１９８０円"), Ok(1980));
        assert_eq!(yen("△500"), Ok(-500));
        assert_eq!(yen("1980.0"), Ok(1980));
        assert!(yen("19.8").is_err());
        assert!(yen("").is_err());
        assert_eq!(count("３個"), Ok(3));
        assert!(count("-1").is_err());
        assert_eq!(tax_rate("８％"), Ok(Some(8)));
        assert_eq!(tax_rate("軽減"), Ok(Some(8)));
        assert_eq!(tax_rate("0.1"), Ok(Some(10)));
        assert_eq!(tax_rate(""), Ok(None));
        assert!(tax_rate("5%").is_err());
        assert_eq!(flag("○"), Ok(true));
        assert_eq!(flag(""), Ok(false));
        assert!(flag("たぶん").is_err());
    }

    #[test]
    fn intervals_and_payment_methods() {
        assert_eq!(interval("毎月"), Ok(("month", 1)));
        assert_eq!(interval("隔月"), Ok(("month", 2)));
        assert_eq!(interval("2ヶ月ごと"), Ok(("month", 2)));
        assert_eq!(interval("３カ月毎"), Ok(("month", 3)));
        assert_eq!(interval("隔週"), Ok(("week", 2)));
        assert_eq!(interval("2週間"), Ok(("week", 2)));
        assert_eq!(interval("45日"), Ok(("day", 45)));
        assert!(interval("ときどき").is_err());
        assert!(interval("0ヶ月").is_err());
        assert_eq!(payment_method("銀行振込"), Ok("bank_transfer"));
        assert_eq!(payment_method("口座振替"), Ok("direct_debit"));
        assert_eq!(payment_method("代引き"), Ok("cod"));
        assert_eq!(payment_method("クレジットカード"), Ok("card"));
        assert_eq!(payment_method("郵便振替"), Ok("postal_transfer"));
        assert!(payment_method("ポイント").is_err());
    }
}
