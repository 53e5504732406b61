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
            if *y < 1 {
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
        [y, m, d] if *y >= 1000 => ymd(*y as i32, *m, *d, raw),
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
}
