//! Recognising a legacy file's column headers by meaning, not by exact text: 顧客コード, 会員番号,
//! ｺｰﾄﾞ and 顧客番号 all mean the member code. Headers are compared after NFKC, katakana, no spaces
//! or punctuation, lower case; the user corrects whatever is left in the mapping screen.
use crate::normalize;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A member field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MemberColumn {
    Code,
    Name,
    Kana,
    Company,
    Department,
    PostalCode,
    /// A whole address in one cell (住所, 住所1): split into prefecture, city and street.
    Address,
    /// 住所2 / 建物名.
    Building,
    Prefecture,
    City,
    Street,
    Phone,
    Mobile,
    Fax,
    Email,
    Birthday,
    Gender,
    JoinedOn,
    ValidUntil,
    Status,
    DmOptOut,
    Notes,
    Tags,
}

/// Header words per field, already in key form (see `header_key`).
const SYNONYMS: &[(MemberColumn, &[&str])] = &[
    (MemberColumn::Code, &["コード", "顧客コード", "会員コード", "会員番号", "顧客番号", "会員no", "顧客no", "会員id", "顧客id", "お客様番号", "得意先コード", "code", "id"]),
    (MemberColumn::Name, &["氏名", "お名前", "名前", "顧客名", "お客様名", "会員名", "得意先名", "宛名", "name"]),
    (MemberColumn::Kana, &["フリガナ", "フリカナ", "カナ", "氏名カナ", "氏名フリガナ", "顧客名カナ", "お名前フリガナ", "よみ", "ヨミ", "読み", "kana"]),
    (MemberColumn::Company, &["会社名", "法人名", "勤務先", "company"]),
    (MemberColumn::Department, &["部署", "部署名", "所属", "department"]),
    (MemberColumn::PostalCode, &["〒", "郵便番号", "郵便", "郵便no", "zip", "zipcode", "postalcode"]),
    (MemberColumn::Address, &["住所", "住所1", "ご住所", "所在地", "address", "address1"]),
    (MemberColumn::Building, &["住所2", "建物名", "建物", "マンション名", "ビル名", "address2"]),
    (MemberColumn::Prefecture, &["都道府県", "県", "prefecture"]),
    (MemberColumn::City, &["市区町村", "市町村", "city"]),
    (MemberColumn::Street, &["町域", "番地", "町名番地", "住所3"]),
    (MemberColumn::Phone, &["電話", "電話番号", "tel", "telno", "自宅電話", "固定電話", "phone"]),
    (MemberColumn::Mobile, &["携帯", "携帯電話", "携帯番号", "携帯電話番号", "mobile", "keitai"]),
    (MemberColumn::Fax, &["fax", "fax番号", "ファックス", "ファクス"]),
    (MemberColumn::Email, &["メール", "メールアドレス", "email", "mail", "eメール", "mailaddress"]),
    (MemberColumn::Birthday, &["生年月日", "誕生日", "birthday", "birthdate"]),
    (MemberColumn::Gender, &["性別", "gender", "sex"]),
    (MemberColumn::JoinedOn, &["入会日", "登録日", "入会年月日", "初回購入日", "joined"]),
    (MemberColumn::ValidUntil, &["有効期限", "会員期限", "期限", "validuntil"]),
    (MemberColumn::Status, &["状態", "ステータス", "会員状態", "区分", "status"]),
    (MemberColumn::DmOptOut, &["dm不要", "dm送付不要", "dm拒否", "dm停止"]),
    (MemberColumn::Notes, &["備考", "メモ", "カルテ", "特記事項", "notes", "memo", "note"]),
    (MemberColumn::Tags, &["タグ", "分類", "tags"]),
];

/// A header in comparable form: NFKC, katakana, lower case, no spaces or punctuation.
pub fn header_key(h: &str) -> String {
    normalize::search_key(h)
        .chars()
        .filter(|c| !matches!(c, '・' | '_' | '-' | '.' | '(' | ')' | '（' | '）' | '[' | ']' | '「' | '」' | ':' | '：' | '/'))
        .collect()
}

/// The field a header means, if it is one of the known words.
pub fn recognise(header: &str) -> Option<MemberColumn> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    SYNONYMS
        .iter()
        .find(|(_, words)| words.iter().any(|w| header_key(w) == key))
        .map(|(col, _)| *col)
}

/// A mapping guessed from a header row: one entry per column, `None` where the header says nothing
/// known. A field claimed twice keeps its first column (the second is left for the user).
pub fn guess_mapping(headers: &[String]) -> Vec<Option<MemberColumn>> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|h| {
            let col = recognise(h)?;
            if taken.contains(&col) {
                return None;
            }
            taken.push(col);
            Some(col)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use MemberColumn::*;

    #[test]
    fn synonyms_and_widths_are_recognised() {
        for (h, want) in [
            ("顧客コード", Code), ("会員番号", Code), ("顧客番号", Code), ("ｺｰﾄﾞ", Code), ("会員ＮＯ", Code),
            ("氏名", Name), ("お名前", Name), ("顧客名", Name), ("お客様名", Name),
            ("フリガナ", Kana), ("ふりがな", Kana), ("ﾌﾘｶﾞﾅ", Kana), ("カナ", Kana),
            ("〒", PostalCode), ("郵便番号", PostalCode), ("住所", Address), ("住所1", Address), ("住所２", Building),
            ("電話", Phone), ("TEL", Phone), ("電話番号", Phone), ("携帯", Mobile), ("メール", Email), ("E-mail", Email),
            ("生年月日", Birthday), ("誕生日", Birthday), ("入会日", JoinedOn), ("登録日", JoinedOn),
            ("状態", Status), ("ステータス", Status), ("備考", Notes), ("メモ", Notes), (" Ｅメール ", Email),
        ] {
            assert_eq!(recognise(h), Some(want), "{h}");
        }
        assert_eq!(recognise("購入回数"), None);
        assert_eq!(recognise(""), None);
    }

    #[test]
    fn a_field_claimed_twice_keeps_its_first_column() {
        let headers: Vec<String> = ["会員番号", "氏名", "電話", "TEL", "謎の列"].iter().map(|s| s.to_string()).collect();
        assert_eq!(guess_mapping(&headers), [Some(Code), Some(Name), Some(Phone), None, None]);
    }
}
