//! Characters other systems cannot take. Carrier label printers print only JIS X 0208 (level 1
//! and 2 kanji, kana, symbols): 髙, 﨑, ① and ㈱ are CP932 extensions and come out blank or as
//! another glyph. Printing companies and Excel read CP932, which lacks 〜 (WAVE DASH), 𠮷, emoji.
//! A file for them is written only after every such character has a replacement the user
//! confirmed; nothing is dropped or swapped silently.
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// What a file's reader can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// JIS X 0208 (what B2 Cloud prints on a label), plus ASCII and half-width kana.
    Jis0208,
    /// Shift_JIS as Windows writes it (CP932): JIS X 0208 plus NEC and IBM extensions.
    Cp932,
}

fn cp932_bytes(c: char) -> Option<Vec<u8>> {
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(s);
    if unmappable {
        return None;
    }
    // Some characters map one way only (¥ → \, ‾ → ~): they would not come back as typed.
    let (back, malformed) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(&bytes);
    (!malformed && back == *s).then(|| bytes.into_owned())
}

impl Charset {
    pub fn takes(self, c: char) -> bool {
        if c.is_ascii() {
            return true;
        }
        let Some(bytes) = cp932_bytes(c) else {
            return false;
        };
        match self {
            Charset::Cp932 => true,
            // JIS X 0208 in Shift_JIS: lead bytes 0x81-0x84 (symbols, rows 1-8) and 0x88-0x9F,
            // 0xE0-0xEA (kanji, rows 16-84). 0x87 is NEC's row 13 (①, ㈱), 0xED-0xEE and
            // 0xFA-0xFC the IBM extensions (髙, 﨑).
            Charset::Jis0208 => match bytes.as_slice() {
                [b] => (0xA1..=0xDF).contains(b),
                [lead, _] => matches!(lead, 0x81..=0x84 | 0x88..=0x9F | 0xE0..=0xEA),
                _ => false,
            },
        }
    }
}

/// Well-known stand-ins: variant kanji to their common form, and marks the NFKC form spells out.
const VARIANTS: &[(char, &str)] = &[
    ('髙', "高"),
    ('﨑', "崎"),
    ('德', "徳"),
    ('𠮷', "吉"),
    ('濵', "浜"),
    ('瀨', "瀬"),
    ('鷗', "鴎"),
    ('〜', "～"),
    ('−', "－"),
    ('①', "(1)"),
    ('②', "(2)"),
    ('③', "(3)"),
    ('④', "(4)"),
    ('⑤', "(5)"),
    ('⑥', "(6)"),
    ('⑦', "(7)"),
    ('⑧', "(8)"),
    ('⑨', "(9)"),
    ('⑩', "(10)"),
    ('№', "No."),
    ('℡', "TEL"),
    ('㈱', "(株)"),
    ('㈲', "(有)"),
    ('㈹', "(代)"),
];

/// A stand-in for `c` that `charset` takes, if one is known.
pub fn suggestion(c: char, charset: Charset) -> Option<String> {
    let ok = |s: &str| !s.is_empty() && s.chars().all(|x| charset.takes(x));
    if let Some((_, v)) = VARIANTS.iter().find(|(k, _)| *k == c) {
        if ok(v) {
            return Some(v.to_string());
        }
    }
    let nfkc = crate::normalize::nfkc(&c.to_string());
    (nfkc != c.to_string() && ok(&nfkc)).then_some(nfkc)
}

/// A character a file cannot take, where it occurs and what could stand in for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OddChar {
    pub ch: String,
    /// U+9AD9
    pub code_point: String,
    /// Empty when nothing is known: the user types one.
    pub suggestion: String,
    #[ts(type = "number")]
    pub count: u64,
    /// Up to five places: 「S0000012 お届け先名: 髙橋 一郎」.
    pub places: Vec<String>,
}

/// Collects the characters `charset` cannot take from texts, each with where it was seen.
#[derive(Default)]
pub struct OddChars {
    found: BTreeMap<char, OddChar>,
    cache: HashMap<char, bool>,
}

impl OddChars {
    pub fn scan(&mut self, charset: Charset, place: impl Fn() -> String, text: &str) {
        for c in text.chars() {
            if c.is_ascii() || *self.cache.entry(c).or_insert_with(|| charset.takes(c)) {
                continue;
            }
            let e = self.found.entry(c).or_insert_with(|| OddChar {
                ch: c.to_string(),
                code_point: format!("U+{:04X}", c as u32),
                suggestion: suggestion(c, charset).unwrap_or_default(),
                count: 0,
                places: Vec::new(),
            });
            e.count += 1;
            if e.places.len() < 5 {
                let p = place();
                if !e.places.contains(&p) {
                    e.places.push(p);
                }
            }
        }
    }

    /// The ones the user has not given a replacement for (a replacement `charset` takes).
    pub fn unanswered(&self, replacements: &BTreeMap<String, String>, charset: Charset) -> Vec<String> {
        let all: Vec<OddChar> = self.found.values().cloned().collect();
        unanswered(&all, replacements, charset)
    }

    pub fn all(&self) -> Vec<OddChar> {
        self.found.values().cloned().collect()
    }
}

/// The characters among `odd` still without a replacement that `charset` takes.
pub fn unanswered(odd: &[OddChar], replacements: &BTreeMap<String, String>, charset: Charset) -> Vec<String> {
    odd.iter()
        .filter(|o| !replacements.get(&o.ch).is_some_and(|r| r.chars().all(|c| charset.takes(c))))
        .map(|o| o.ch.clone())
        .collect()
}

/// Refuses to write a file while characters lack a confirmed replacement, naming each with its
/// count and the suggestion (`what`: why they matter to the reader of the file).
pub fn refuse_unanswered(odd: &[OddChar], unanswered: &[String], what: &str) -> crate::Result<()> {
    if unanswered.is_empty() {
        return Ok(());
    }
    let chars: Vec<String> = odd
        .iter()
        .filter(|o| unanswered.contains(&o.ch))
        .map(|o| {
            let hint = if o.suggestion.is_empty() { String::new() } else { format!("、候補「{}」", o.suggestion) };
            format!("「{}」({}、{}件{hint})", o.ch, o.code_point, o.count)
        })
        .collect();
    Err(crate::CoreError::new(crate::ErrorCode::Validation, format!("{what}。置き換える文字を確認してください: {}", chars.join(" ")))
        .at("replacements"))
}

/// `text` with the confirmed replacements applied.
pub fn replace(text: &str, replacements: &BTreeMap<String, String>) -> String {
    if replacements.is_empty() || text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let mut buf = [0u8; 4];
        match replacements.get(&*c.encode_utf8(&mut buf)) {
            Some(r) => out.push_str(r),
            None => out.push(c),
        }
    }
    out
}

/// `text` in CP932, or `None` when some character would not come back the same.
pub fn cp932(text: &str) -> Option<Vec<u8>> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    if unmappable {
        return None;
    }
    let (back, malformed) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(&bytes);
    (!malformed && back == text).then(|| bytes.into_owned())
}

/// Display width as carriers count it: full-width characters 2, ASCII and half-width kana 1.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if c.is_ascii() || ('\u{FF61}'..='\u{FF9F}').contains(&c) {
                1
            } else {
                2
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jis_level_1_and_2_against_the_cp932_extensions() {
        for c in ['高', '崎', '鴎', 'ア', 'ｱ', '～', '－', '〒', '髭', '熙'] {
            assert!(Charset::Jis0208.takes(c), "{c}");
        }
        for c in ['髙', '﨑', '①', '㈱', '№', '〜', '𠮷', '😀', 'é'] {
            assert!(!Charset::Jis0208.takes(c), "{c}");
        }
        for c in ['髙', '﨑', '①', '㈱'] {
            assert!(Charset::Cp932.takes(c), "{c}");
        }
        for c in ['〜', '𠮷', '😀', '鷗'] {
            assert!(!Charset::Cp932.takes(c), "{c}");
        }
    }

    #[test]
    fn odd_characters_are_found_with_their_places_and_a_suggestion() {
        let mut odd = OddChars::default();
        odd.scan(Charset::Jis0208, || "S1 お届け先名".into(), "髙橋 一郎");
        odd.scan(
            Charset::Jis0208,
            || "S2 住所".into(),
            "中央1-2-3 ①号室 髙田ビル",
        );
        let all = odd.all();
        assert_eq!(
            all.iter()
                .map(|o| (o.ch.as_str(), o.suggestion.as_str(), o.count))
                .collect::<Vec<_>>(),
            [("①", "(1)", 1), ("髙", "高", 2)]
        );
        assert_eq!(all[1].places, ["S1 お届け先名", "S2 住所"]);
        let mut answers = BTreeMap::new();
        answers.insert("髙".to_string(), "高".to_string());
        assert_eq!(odd.unanswered(&answers, Charset::Jis0208).len(), 1);
        answers.insert("①".to_string(), "㈠".to_string()); // not printable either: still open
        assert_eq!(odd.unanswered(&answers, Charset::Jis0208), ["①"]);
        assert_eq!(replace("髙橋①", &answers), "高橋㈠");
    }

    #[test]
    fn widths_count_full_width_as_two() {
        assert_eq!(width("ABC"), 3);
        assert_eq!(width("ｱｲｳ"), 3);
        assert_eq!(width("東京都1-2"), 9);
    }
}
