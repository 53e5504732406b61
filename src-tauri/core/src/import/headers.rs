//! The fields each kind of import fills, and recognising a legacy file's column headers by meaning, not by exact text: 顧客コード, 会員番号,
//! ｺｰﾄﾞ and 顧客番号 all mean the member code. Headers are compared after NFKC, katakana, no spaces
//! or punctuation, lower case; the user corrects whatever is left in the mapping screen.
use crate::normalize;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What can be imported (the CLI's `import <kind>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportKind {
    Members,
    Products,
    Subscriptions,
    Orders,
    Payments,
    Receivables,
}

impl ImportKind {
    pub const ALL: [ImportKind; 6] = [
        ImportKind::Members, ImportKind::Products, ImportKind::Subscriptions, ImportKind::Orders,
        ImportKind::Payments, ImportKind::Receivables,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Members => "members",
            ImportKind::Products => "products",
            ImportKind::Subscriptions => "subscriptions",
            ImportKind::Orders => "orders",
            ImportKind::Payments => "payments",
            ImportKind::Receivables => "receivables",
        }
    }
    pub fn parse(s: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Members => "会員",
            ImportKind::Products => "商品",
            ImportKind::Subscriptions => "定期購入",
            ImportKind::Orders => "受注履歴",
            ImportKind::Payments => "入金履歴",
            ImportKind::Receivables => "未収の請求",
        }
    }
}

/// A field a column can fill: its key (stable, used in mapping files), its Japanese label, the
/// header words that mean it, and whether every row needs it.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub synonyms: &'static [&'static str],
}

const fn f(key: &'static str, label: &'static str, required: bool, synonyms: &'static [&'static str]) -> FieldSpec {
    FieldSpec { key, label, required, synonyms }
}

const MEMBER_CODE: &[&str] = &["コード", "顧客コード", "顧客cd", "会員コード", "会員cd", "会員番号", "顧客番号", "会員no", "顧客no", "会員id", "顧客id", "お客様番号", "お客様コード", "得意先コード", "code", "id", "membercode"];

const MEMBERS: &[FieldSpec] = &[
    f("code", "会員番号", false, MEMBER_CODE),
    f("name", "氏名", true, &["氏名", "お名前", "名前", "顧客名", "お客様名", "会員名", "得意先名", "宛名", "name"]),
    f("kana", "フリガナ", false, &["フリガナ", "フリカナ", "カナ", "氏名カナ", "氏名フリガナ", "顧客名カナ", "お名前フリガナ", "よみ", "ヨミ", "読み", "kana"]),
    f("company", "会社名", false, &["会社名", "法人名", "勤務先", "company"]),
    f("department", "部署", false, &["部署", "部署名", "所属", "department"]),
    f("postal_code", "郵便番号", false, &["〒", "郵便番号", "郵便", "郵便no", "zip", "zipcode", "postalcode"]),
    f("address", "住所（1セル）", false, &["住所", "住所1", "ご住所", "所在地", "address", "address1"]),
    f("building", "建物名", false, &["住所2", "建物名", "建物", "マンション名", "ビル名", "address2"]),
    f("prefecture", "都道府県", false, &["都道府県", "県", "prefecture"]),
    f("city", "市区町村", false, &["市区町村", "市町村", "city"]),
    f("street", "町域・番地", false, &["町域", "番地", "町名番地", "住所3"]),
    f("phone", "電話番号", false, &["電話", "電話番号", "tel", "telno", "自宅電話", "固定電話", "phone"]),
    f("mobile", "携帯電話", false, &["携帯", "携帯電話", "携帯番号", "携帯電話番号", "mobile", "keitai"]),
    f("fax", "FAX", false, &["fax", "fax番号", "ファックス", "ファクス"]),
    f("email", "メール", false, &["メール", "メールアドレス", "email", "mail", "eメール", "mailaddress"]),
    f("birthday", "生年月日", false, &["生年月日", "誕生日", "birthday", "birthdate"]),
    f("gender", "性別", false, &["性別", "gender", "sex"]),
    f("joined_on", "入会日", false, &["入会日", "登録日", "入会年月日", "初回購入日", "joined", "joinedon"]),
    f("valid_until", "有効期限", false, &["有効期限", "会員期限", "期限", "validuntil"]),
    f("status", "状態", false, &["状態", "ステータス", "会員状態", "区分", "status"]),
    f("dm_opt_out", "DM不要", false, &["dm不要", "dm送付不要", "dm拒否", "dm停止", "dmoptout"]),
    f("notes", "備考（カルテ）", false, &["備考", "メモ", "カルテ", "特記事項", "notes", "memo", "note"]),
    f("tags", "タグ", false, &["タグ", "分類", "tags"]),
    f("contacts", "対応履歴", false, &["対応履歴", "応対履歴", "対応記録", "コンタクト履歴", "contacts"]),
];

const PRODUCT_CODE: &[&str] = &["商品コード", "商品cd", "商品番号", "品番", "商品no", "productcode", "sku"];

const PRODUCTS: &[FieldSpec] = &[
    f("code", "商品コード", true, &["商品コード", "商品cd", "商品番号", "品番", "商品no", "コード", "code", "productcode", "sku"]),
    f("name", "商品名", true, &["商品名", "品名", "名称", "name", "productname"]),
    f("group", "商品群", false, &["商品群", "商品グループ", "グループ", "カテゴリ", "カテゴリー", "分類", "group", "category"]),
    f("price", "単価", true, &["単価", "価格", "売価", "販売価格", "定価", "税込価格", "税込単価", "price", "unitprice"]),
    f("tax_rate", "税率", false, &["税率", "消費税率", "税区分", "taxrate"]),
    f("unit", "単位", false, &["単位", "unit"]),
    f("active", "販売中", false, &["販売中", "販売状態", "有効", "状態", "active"]),
];

const SUBSCRIPTIONS: &[FieldSpec] = &[
    f("legacy_id", "定期番号", false, &["定期番号", "定期id", "定期no", "定期コード", "契約番号", "subscriptionid"]),
    f("member", "会員番号", true, MEMBER_CODE),
    f("course", "コース", false, &["コース", "コース名", "定期コース", "コースコード", "course"]),
    f("product", "商品コード", false, PRODUCT_CODE),
    f("quantity", "数量", false, &["数量", "個数", "数", "quantity", "qty"]),
    f("interval", "お届け周期", true, &["周期", "お届け周期", "配送周期", "お届け間隔", "間隔", "サイクル", "interval"]),
    f("next_date", "次回お届け日", true, &["次回お届け日", "次回配送日", "次回発送日", "次回日", "次回", "nextdate"]),
    f("price", "1回の価格", false, &["価格", "単価", "金額", "1回金額", "定期価格", "price"]),
    f("payment_method", "支払方法", false, &["支払方法", "支払い方法", "お支払方法", "決済方法", "paymentmethod"]),
    f("status", "状態", false, &["状態", "ステータス", "継続状態", "status"]),
    f("started_on", "開始日", false, &["開始日", "申込日", "定期開始日", "startedon"]),
    f("deliveries", "お届け回数", false, &["回数", "お届け回数", "配送回数", "購入回数", "deliveries"]),
    f("channel", "申込経路", false, &["申込経路", "申込媒体", "媒体", "広告媒体", "流入経路", "受付方法", "channel", "source"]),
];

const ORDERS: &[FieldSpec] = &[
    f("number", "受注番号", true, &["受注番号", "注文番号", "受注no", "注文no", "伝票番号", "受注id", "ordernumber"]),
    f("ordered_on", "受注日", true, &["受注日", "注文日", "購入日", "売上日", "orderedon", "orderdate"]),
    f("member", "会員番号", true, MEMBER_CODE),
    f("channel", "受注区分", false, &["受注区分", "区分", "注文区分", "受注方法", "channel"]),
    f("product", "商品コード", false, PRODUCT_CODE),
    f("name", "商品名", false, &["商品名", "品名", "name"]),
    f("quantity", "数量", false, &["数量", "個数", "quantity", "qty"]),
    f("unit_price", "単価", false, &["単価", "価格", "unitprice"]),
    f("amount", "金額", false, &["金額", "小計", "明細金額", "amount"]),
    f("tax_rate", "税率", false, &["税率", "消費税率", "taxrate"]),
    f("shipping_fee", "送料", false, &["送料", "配送料", "shippingfee"]),
    f("status", "状態", false, &["状態", "ステータス", "status"]),
];

const PAYMENTS: &[FieldSpec] = &[
    f("member", "会員番号", true, MEMBER_CODE),
    f("paid_on", "入金日", true, &["入金日", "支払日", "お支払日", "paidon", "date"]),
    f("amount", "入金額", true, &["入金額", "金額", "支払額", "amount"]),
    f("method", "入金方法", false, &["入金方法", "支払方法", "支払い方法", "決済方法", "method"]),
    f("invoice", "請求番号", false, &["請求番号", "請求書番号", "伝票番号", "invoice", "invoicenumber"]),
    f("note", "摘要", false, &["摘要", "備考", "メモ", "note"]),
];

const RECEIVABLES: &[FieldSpec] = &[
    f("member", "会員番号", true, MEMBER_CODE),
    f("number", "請求番号", true, &["請求番号", "請求書番号", "請求no", "伝票番号", "invoice", "invoicenumber", "number"]),
    f("issued_on", "請求日", true, &["請求日", "発行日", "請求書発行日", "売上日", "issuedon"]),
    f("due_on", "支払期限", true, &["支払期限", "支払期日", "お支払期限", "期日", "入金期限", "dueon"]),
    f("amount", "請求額", true, &["請求額", "請求金額", "金額", "合計", "税込合計", "amount"]),
    f("amount_10", "10%対象額（税込）", false, &["10%対象", "10%対象額", "10%対象額税込", "標準税率対象額", "amount10"]),
    f("amount_8", "8%対象額（税込）", false, &["8%対象", "8%対象額", "8%対象額税込", "軽減税率対象額", "amount8"]),
    f("paid", "入金済額", false, &["入金済額", "入金済", "既入金額", "入金額", "paid"]),
];

/// The fields of one kind of import, in the order the mapping screen shows them.
pub fn fields(kind: ImportKind) -> &'static [FieldSpec] {
    match kind {
        ImportKind::Members => MEMBERS,
        ImportKind::Products => PRODUCTS,
        ImportKind::Subscriptions => SUBSCRIPTIONS,
        ImportKind::Orders => ORDERS,
        ImportKind::Payments => PAYMENTS,
        ImportKind::Receivables => RECEIVABLES,
    }
}

pub fn field(kind: ImportKind, key: &str) -> Option<&'static FieldSpec> {
    fields(kind).iter().find(|f| f.key == key)
}

/// A header in comparable form: NFKC, katakana, lower case, no spaces or punctuation.
pub fn header_key(h: &str) -> String {
    normalize::search_key(h)
        .chars()
        .filter(|c| !matches!(c, '・' | '_' | '-' | '.' | '(' | ')' | '（' | '）' | '[' | ']' | '「' | '」' | ':' | '：' | '/'))
        .collect()
}

/// The field a header means, if it is one of the known words.
pub fn recognise(kind: ImportKind, header: &str) -> Option<&'static str> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    // The app's own labels (as the export and the wizard write them) count as synonyms too.
    fields(kind)
        .iter()
        .find(|f| f.synonyms.iter().chain(std::iter::once(&f.label)).any(|w| header_key(w) == key))
        .map(|f| f.key)
}

/// A mapping guessed from a header row: one entry per column, `None` where the header says nothing
/// known. `remembered` (header text → field, from the shop's last confirmed mapping) wins over the
/// synonyms. A field claimed twice keeps its first column (the second is left for the user).
pub fn guess_mapping(kind: ImportKind, headers: &[String], remembered: &std::collections::HashMap<String, Option<String>>) -> Vec<Option<String>> {
    let mut taken: Vec<&str> = Vec::new();
    headers
        .iter()
        .map(|h| {
            let col: &str = match remembered.get(h.trim()) {
                Some(Some(k)) => field(kind, k)?.key,
                Some(None) => return None,
                None => recognise(kind, h)?,
            };
            if taken.contains(&col) {
                return None;
            }
            taken.push(col);
            Some(col.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn synonyms_and_widths_are_recognised() {
        for (h, want) in [
            ("顧客コード", "code"), ("会員番号", "code"), ("顧客番号", "code"), ("ｺｰﾄﾞ", "code"), ("会員ＮＯ", "code"),
            ("氏名", "name"), ("お名前", "name"), ("顧客名", "name"), ("お客様名", "name"),
            ("フリガナ", "kana"), ("ふりがな", "kana"), ("ﾌﾘｶﾞﾅ", "kana"), ("カナ", "kana"),
            ("〒", "postal_code"), ("郵便番号", "postal_code"), ("住所", "address"), ("住所1", "address"), ("住所２", "building"),
            ("電話", "phone"), ("TEL", "phone"), ("電話番号", "phone"), ("携帯", "mobile"), ("メール", "email"), ("E-mail", "email"),
            ("生年月日", "birthday"), ("誕生日", "birthday"), ("入会日", "joined_on"), ("登録日", "joined_on"),
            ("状態", "status"), ("ステータス", "status"), ("備考", "notes"), ("メモ", "notes"), (" Ｅメール ", "email"),
        ] {
            assert_eq!(recognise(ImportKind::Members, h), Some(want), "{h}");
        }
        assert_eq!(recognise(ImportKind::Members, "購入回数"), None);
        assert_eq!(recognise(ImportKind::Members, ""), None);
        assert_eq!(recognise(ImportKind::Products, "税込価格"), Some("price"));
        assert_eq!(recognise(ImportKind::Receivables, "支払期日"), Some("due_on"));
        assert_eq!(recognise(ImportKind::Members, "町域・番地"), Some("street"));
        assert_eq!(recognise(ImportKind::Subscriptions, "1回の価格"), Some("price"));
    }

    #[test]
    fn a_field_claimed_twice_keeps_its_first_column() {
        let headers: Vec<String> = ["会員番号", "氏名", "電話", "TEL", "謎の列"].iter().map(|s| s.to_string()).collect();
        let s = |v: [Option<&str>; 5]| v.map(|c| c.map(String::from)).to_vec();
        assert_eq!(guess_mapping(ImportKind::Members, &headers, &HashMap::new()), s([Some("code"), Some("name"), Some("phone"), None, None]));
        let remembered = HashMap::from([("謎の列".to_string(), Some("notes".to_string())), ("電話".to_string(), None)]);
        assert_eq!(guess_mapping(ImportKind::Members, &headers, &remembered), s([Some("code"), Some("name"), None, Some("phone"), Some("notes")]));
    }

    #[test]
    fn every_kind_has_unique_keys_and_words() {
        for kind in ImportKind::ALL {
            let fs = fields(kind);
            for (i, f) in fs.iter().enumerate() {
                assert!(fs[..i].iter().all(|g| g.key != f.key), "{kind:?} {}", f.key);
                assert_eq!(ImportKind::parse(kind.as_str()), Some(kind));
            }
        }
    }
}
