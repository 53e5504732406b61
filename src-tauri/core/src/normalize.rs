//! Normalisation of what staff type. Two kinds of output: *stored* values keep what was typed
//! (髙 stays 髙, ① stays ①) apart from harmless width fixes; *keys* (NFKC, katakana, folded) are
//! only for matching, sorting and search, and are never printed.
use crate::error::{CoreError, Result};
use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

pub fn nfkc(s: &str) -> String {
    // Fast path: most fields (phones, e-mails, codes, already clean kana) are already NFKC.
    if s.is_ascii() || unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return s.to_string();
    }
    s.nfkc().collect()
}

/// Trims and collapses runs of white space (full-width included) into one ASCII space.
pub fn tidy(s: &str) -> String {
    s.split(|c: char| c.is_whitespace()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
}

fn hiragana_to_katakana(c: char) -> char {
    match c {
        '\u{3041}'..='\u{3096}' | '\u{309D}' | '\u{309E}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
        _ => c,
    }
}

/// Small kana folded to large ones, as banks print names (ショウジ → シヨウジ).
fn fold_small_kana(c: char) -> char {
    match c {
        'ァ' => 'ア', 'ィ' => 'イ', 'ゥ' => 'ウ', 'ェ' => 'エ', 'ォ' => 'オ',
        'ッ' => 'ツ', 'ャ' => 'ヤ', 'ュ' => 'ユ', 'ョ' => 'ヨ', 'ヮ' => 'ワ', 'ヵ' => 'カ', 'ヶ' => 'ケ',
        _ => c,
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹣' | '－')
}

/// Kana as stored: full-width katakana from half-width katakana or hiragana, spaces tidied.
pub fn kana(s: &str) -> String {
    tidy(&nfkc(s).chars().map(hiragana_to_katakana).collect::<String>())
}

/// Katakana as half-width (ﾔﾏﾀﾞ ﾊﾅｺ), what carriers' kana columns and bank files take: voiced
/// kana become base + ﾞ/ﾟ; what has no half-width form is kept as it is.
pub fn half_width_kana(s: &str) -> String {
    const FULL: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜";
    let mut out = String::with_capacity(s.len());
    for c in kana(s).chars() {
        let mut parts = Vec::with_capacity(2);
        unicode_normalization::char::decompose_canonical(c, |x| parts.push(x));
        let (base, mark) = (parts[0], parts.get(1).copied());
        match FULL.chars().position(|f| f == base) {
            Some(i) => {
                out.push(char::from_u32(0xFF61 + i as u32).unwrap_or(base));
                match mark {
                    Some('\u{3099}') => out.push('ﾞ'),
                    Some('\u{309A}') => out.push('ﾟ'),
                    _ => {}
                }
            }
            None => out.push(c),
        }
    }
    out
}

/// Checks that a kana field holds a reading, not kanji.
pub fn validate_kana(stored: &str) -> Result<()> {
    let bad = stored.chars().find(|c| {
        !(matches!(c, '\u{30A0}'..='\u{30FF}' | ' ' | '.' | '&' | '(' | ')' | '-' | '/' | '＆')
            || c.is_ascii_alphanumeric())
    });
    match bad {
        Some(c) => Err(CoreError::field(
            "kana",
            format!("フリガナはカタカナで入力してください（「{c}」は使えません）"),
        )),
        None => Ok(()),
    }
}

/// The key for matching and searching any text: NFKC, lower case, katakana, small kana folded,
/// dashes unified, no spaces. A query gets the same treatment, so ﾔﾏﾀﾞ, やまだ and ヤマダ meet.
pub fn search_key(s: &str) -> String {
    nfkc(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if is_dash(c) { '-' } else { fold_small_kana(hiragana_to_katakana(c)) })
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Only the ASCII digits of a text after NFKC (full-width digits count).
pub fn digits(s: &str) -> String {
    nfkc(s).chars().filter(|c| c.is_ascii_digit()).collect()
}

/// A phone number as stored (NFKC, tidy, as formatted by the user) and its digit key.
/// Japanese numbers start with 0 and have 10 or 11 digits; `+81` is read as 0.
pub fn phone(field: &str, label: &str, s: &str) -> Result<(String, String)> {
    let shown = tidy(&nfkc(s)).chars().map(|c| if is_dash(c) { '-' } else { c }).collect::<String>();
    if shown.is_empty() {
        return Ok((String::new(), String::new()));
    }
    if let Some(c) = shown.chars().find(|c| !(c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | ' ' | '+'))) {
        return Err(CoreError::field(field, format!("{label}に使えない文字「{c}」があります（数字とハイフンで入力してください）")));
    }
    let mut d = digits(&shown);
    if shown.starts_with('+') {
        match d.strip_prefix("81") {
            Some(rest) => d = format!("0{rest}"),
            None => return Err(CoreError::field(field, format!("{label}は国内の番号（0から始まる番号）で入力してください"))),
        }
    }
    if !d.starts_with('0') || !(10..=11).contains(&d.len()) {
        return Err(CoreError::field(
            field,
            format!("{label}は0で始まる10桁または11桁の数字で入力してください（入力: {shown}、{}桁）", d.len()),
        ));
    }
    Ok((shown, d))
}

/// Whether a stored postal code has the NNN-NNNN form carriers and printers expect.
pub fn is_postal_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 8 && b[3] == b'-' && b.iter().enumerate().all(|(i, c)| i == 3 || c.is_ascii_digit())
}

/// A postal code as stored: `NNN-NNNN`, from 〒, full-width, hyphen or none.
pub fn postal_code(s: &str) -> Result<String> {
    let t = tidy(&nfkc(s));
    if t.is_empty() {
        return Ok(String::new());
    }
    let body = t.trim_start_matches('〒').trim();
    let ok_chars = body.chars().all(|c| c.is_ascii_digit() || is_dash(c) || c == ' ');
    let d = digits(body);
    if !ok_chars || d.len() != 7 {
        return Err(CoreError::field(
            "postal_code",
            format!("郵便番号は7桁の数字（例: 123-4567）で入力してください（入力: {t}）"),
        ));
    }
    Ok(format!("{}-{}", &d[..3], &d[3..]))
}

/// E-mail as stored (NFKC, trimmed) after a syntax check; empty is allowed.
pub fn email(s: &str) -> Result<String> {
    let e = nfkc(s).trim().to_string();
    if e.is_empty() {
        return Ok(e);
    }
    let err = || CoreError::field("email", format!("メールアドレスの形式が正しくありません（入力: {e}）"));
    let (local, domain) = e.rsplit_once('@').ok_or_else(err)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok { Ok(e) } else { Err(err()) }
}

/// A calendar date typed into a form (2024-04-01, 2024/4/1, 2024年4月1日, 昭和45年3月3日, S45.3.3 …);
/// empty gives `None`. One reader for dates: `import::values`.
pub fn date(field: &str, label: &str, s: &str) -> Result<Option<NaiveDate>> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    crate::import::values::typed_date(s).map(Some).map_err(|e| CoreError::field(field, format!("{label}: {e}")))
}

/// Checks an invoice registration number: `T` and the 13 digits of a corporate number whose
/// first digit is the check digit of the other twelve (国税庁の法人番号の検査用数字).
pub fn registration_number(s: &str) -> Result<String> {
    let t = nfkc(s).trim().to_uppercase();
    if t.is_empty() {
        return Ok(t);
    }
    let field = "invoice_registration_number";
    let d = t.strip_prefix('T').unwrap_or("");
    if d.len() != 13 || !d.chars().all(|c| c.is_ascii_digit()) {
        return Err(CoreError::field(field, format!("登録番号は「T」と13桁の数字で入力してください（入力: {t}）")));
    }
    let b = d.as_bytes();
    let sum: u32 = (1..=12).map(|n| (b[13 - n] - b'0') as u32 * if n % 2 == 1 { 1 } else { 2 }).sum();
    let check = 9 - sum % 9;
    if (b[0] - b'0') as u32 != check {
        return Err(CoreError::field(field, format!("登録番号の検査用数字（先頭の数字）が合いません。番号を確かめてください（入力: {t}）")));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kana_from_half_width_and_hiragana() {
        assert_eq!(kana("ﾔﾏﾀﾞ ﾀﾛｳ"), "ヤマダ タロウ");
        assert_eq!(kana("やまだ　はなこ"), "ヤマダ ハナコ");
        assert_eq!(kana("  ｼｮｳｼﾞ  "), "ショウジ");
        assert!(validate_kana("ヤマダ タロウ").is_ok());
        assert!(validate_kana("山田").is_err());
    }

    #[test]
    fn search_keys_meet_across_scripts() {
        assert_eq!(search_key("ﾔﾏﾀﾞ ﾀﾛｳ"), search_key("やまだたろう"));
        assert_eq!(search_key("ショウジ"), search_key("ｼﾖｳｼﾞ"));
        assert_eq!(search_key("ＡＢＣ"), "abc");
        assert_eq!(search_key("髙橋"), "髙橋");
        assert_eq!(search_key("０３−１２３４"), "03-1234");
    }

    #[test]
    fn phones() {
        assert_eq!(phone("phone", "電話番号", "03-1234-5678").unwrap().1, "0312345678");
        assert_eq!(phone("phone", "電話番号", "０９０（１２３４）５６７８").unwrap().1, "09012345678");
        assert_eq!(phone("phone", "電話番号", "+81 90 1234 5678").unwrap().1, "09012345678");
        assert_eq!(phone("phone", "電話番号", "").unwrap().1, "");
        let e = phone("mobile", "携帯電話", "90-1234-5678").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("mobile"));
        assert!(e.message.contains("0で始まる"));
        assert!(phone("phone", "電話番号", "03-1234-567").is_err());
        assert!(phone("phone", "電話番号", "03-1234-5678 内線2").is_err());
    }

    #[test]
    fn postal_codes() {
        assert_eq!(postal_code("〒100-0005").unwrap(), "100-0005");
        assert_eq!(postal_code("１０００００５").unwrap(), "100-0005");
        assert_eq!(postal_code("").unwrap(), "");
        assert!(postal_code("100-005").is_err());
        assert!(postal_code("abc-defg").is_err());
    }

    #[test]
    fn emails() {
        assert_eq!(email("ｔａｒｏ＠example.jp").unwrap(), "taro@example.jp");
        assert!(email("taro@example").is_err());
        assert!(email("taro example@example.jp").is_err());
        assert!(email("@example.jp").is_err());
        assert!(email("taro..x@example.jp").is_err());
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2024, 4, 1);
        assert_eq!(date("b", "誕生日", "2024-04-01").unwrap(), d);
        assert_eq!(date("b", "誕生日", "2024/4/1").unwrap(), d);
        assert_eq!(date("b", "誕生日", "２０２４年４月１日").unwrap(), d);
        assert_eq!(date("b", "誕生日", " ").unwrap(), None);
        assert!(date("b", "誕生日", "2024-02-30").unwrap_err().message.starts_with("誕生日: "));
        assert_eq!(date("b", "誕生日", "昭和45年3月3日").unwrap(), NaiveDate::from_ymd_opt(1970, 3, 3));
        assert!(date("b", "誕生日", "43556").is_err(), "no Excel serials in forms");
    }

    #[test]
    fn half_width_kana_for_carriers() {
        assert_eq!(half_width_kana("ヤマダ　ハナコ"), "ﾔﾏﾀﾞ ﾊﾅｺ");
        assert_eq!(half_width_kana("ぱん ヴィッツ"), "ﾊﾟﾝ ｳﾞｨｯﾂ");
    }

    #[test]
    fn registration_numbers() {
        // Toyota's corporate number, a published example with a valid check digit.
        assert_eq!(registration_number("t1180301018771").unwrap(), "T1180301018771");
        assert!(registration_number("T2180301018771").is_err());
        assert!(registration_number("1180301018771").is_err());
        assert!(registration_number("T118030101877").is_err());
    }
}
