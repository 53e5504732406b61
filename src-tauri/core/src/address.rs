//! Japanese addresses: the 47 prefectures (also generated into the UI's bindings), and splitting an
//! address typed in one cell (東京都世田谷区桜新町2-3-4) into prefecture, city and the rest, as the
//! members' register stores it. When a part cannot be told apart it stays in the rest: nothing is
//! lost, only less finely filed.

/// In JIS X 0401 order (北海道 = 01 … 沖縄県 = 47).
pub const PREFECTURES: [&str; 47] = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県",
    "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
];

/// Municipalities and districts whose names hold 市・町・村 before their own suffix, where the
/// first suffix character would cut them short.
const TRICKY: &[&str] = &[
    "四日市市", "廿日市市", "野々市市", "市川市", "市原市", "町田市", "大町市", "十日町市", "村山市", "東村山市", "武蔵村山市",
    "羽村市", "村上市", "田村市", "大村市", "北村山郡", "西村山郡", "東村山郡", "余市郡", "高市郡", "市貝町", "大町町",
];

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SplitAddress {
    pub prefecture: String,
    pub city: String,
    pub rest: String,
}

fn char_at(s: &str, suffixes: &[char], from_char: usize) -> Option<usize> {
    s.char_indices().skip(from_char).find(|(_, c)| suffixes.contains(c)).map(|(i, c)| i + c.len_utf8())
}

/// The city part at the start of `s` (after the prefecture): 市・区・町・村, a 郡 with its 町 or
/// 村, and a designated city with its ward (札幌市中央区).
fn city_prefix(s: &str) -> usize {
    let (mut end, base) = match TRICKY.iter().find(|t| s.starts_with(*t)) {
        Some(t) => (t.len(), *t),
        None => match char_at(s, &['市', '区', '町', '村', '郡'], 1) {
            Some(e) => (e, &s[..e]),
            None => return 0,
        },
    };
    if base.ends_with('郡') {
        return match char_at(&s[end..], &['町', '村'], 1) {
            Some(e) => end + e,
            None => end,
        };
    }
    if base.ends_with('市') {
        // A ward of a designated city: a short name ending in 区, with no digits.
        if let Some(e) = char_at(&s[end..], &['区'], 1) {
            let ward = &s[end..end + e];
            if ward.chars().count() <= 5 && !ward.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
                end += e;
            }
        }
    }
    end
}

pub fn split(address: &str) -> SplitAddress {
    let a = address.trim();
    let prefecture = PREFECTURES.iter().find(|p| a.starts_with(*p)).copied().unwrap_or("");
    let after = &a[prefecture.len()..];
    let c = city_prefix(after);
    SplitAddress { prefecture: prefecture.into(), city: after[..c].into(), rest: after[c..].trim().into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(a: &str) -> (String, String, String) {
        let s = split(a);
        (s.prefecture, s.city, s.rest)
    }

    #[test]
    fn splits_the_usual_shapes() {
        let cases = [
            ("東京都世田谷区桜新町2-3-4", ("東京都", "世田谷区", "桜新町2-3-4")),
            ("北海道札幌市中央区北一条西2丁目", ("北海道", "札幌市中央区", "北一条西2丁目")),
            ("神奈川県横浜市中区山下町1", ("神奈川県", "横浜市中区", "山下町1")),
            ("東京都八王子市旭町1-1", ("東京都", "八王子市", "旭町1-1")),
            ("東京都西多摩郡瑞穂町箱根ケ崎2335", ("東京都", "西多摩郡瑞穂町", "箱根ケ崎2335")),
            ("三重県四日市市諏訪町1-5", ("三重県", "四日市市", "諏訪町1-5")),
            ("東京都東村山市本町1-2-3", ("東京都", "東村山市", "本町1-2-3")),
            ("千葉県市川市八幡1-1-1", ("千葉県", "市川市", "八幡1-1-1")),
            ("山形県北村山郡大石田町緑町1", ("山形県", "北村山郡大石田町", "緑町1")),
            ("長野県長野市南千歳1-2", ("長野県", "長野市", "南千歳1-2")),
            ("世田谷区桜新町2-3-4", ("", "世田谷区", "桜新町2-3-4")),
            ("丸の内1-1-1", ("", "", "丸の内1-1-1")),
        ];
        for (a, (p, c, r)) in cases {
            assert_eq!(parts(a), (p.to_string(), c.to_string(), r.to_string()), "{a}");
        }
    }
}
