//! The shop's own settings: who issues the invoices, where money goes, how tax is rounded,
//! how member codes look.
use crate::error::{CoreError, Problems, Result};
use crate::normalize;
use crate::store::Db;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TaxRounding {
    /// 切り捨て — the usual choice, and the default.
    #[default]
    Floor,
    /// 四捨五入
    Round,
    /// 切り上げ
    Ceil,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AccountKind {
    /// 普通
    #[default]
    Ordinary,
    /// 当座
    Current,
}

impl AccountKind {
    pub fn label(self) -> &'static str {
        match self {
            AccountKind::Ordinary => "普通",
            AccountKind::Current => "当座",
        }
    }
}

/// The account printed on invoices for bank transfers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct BankAccount {
    pub bank_name: String,
    pub branch_name: String,
    pub kind: AccountKind,
    pub number: String,
    /// 口座名義 as the bank shows it (カナ).
    pub holder: String,
}

/// How automatic member codes are made: prefix + zero-padded number (e.g. `M` + 6 → M000123).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct MemberCodeFormat {
    pub prefix: String,
    pub digits: u8,
}

impl Default for MemberCodeFormat {
    fn default() -> Self {
        MemberCodeFormat { prefix: String::new(), digits: 6 }
    }
}

impl MemberCodeFormat {
    pub fn format(&self, n: u64) -> String {
        format!("{}{:0width$}", self.prefix, n, width = self.digits as usize)
    }
    /// The number inside a code of this format, if it is one.
    pub fn number_of(&self, code: &str) -> Option<u64> {
        let rest = code.strip_prefix(&self.prefix)?;
        if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        rest.parse().ok()
    }
}

/// Where a switched subscription's price continues (shop rule for スイッチ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SwitchPrice {
    /// The delivery count carries over: a member past the first delivery keeps 2回目以降 prices.
    #[default]
    Continue,
    /// The new course starts again at its first-delivery price.
    Restart,
}

/// A fee for deliveries to one prefecture instead of the flat fee (北海道, 沖縄県 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegionFee {
    pub prefecture: String,
    #[ts(type = "number")]
    pub fee: i64,
}

/// A cash-on-delivery fee for order totals up to `up_to` yen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CodFee {
    #[ts(type = "number")]
    pub up_to: i64,
    #[ts(type = "number")]
    pub fee: i64,
}

/// 送料・代引手数料. Amounts are entered like prices (with or without tax per the shop's setting)
/// and taxed at 10%.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ShippingRules {
    #[ts(type = "number")]
    pub flat_fee: i64,
    /// Free when the goods come to at least this much; None: never free.
    #[ts(type = "number | null")]
    pub free_over: Option<i64>,
    pub region_fees: Vec<RegionFee>,
    /// Ascending by `up_to`; above the last, the last fee.
    pub cod_fees: Vec<CodFee>,
    /// ヤマト B2クラウド: 請求先顧客コード (10-12 digits), 分類コード (optional) and 運賃管理番号
    /// (2 digits), from the shop's contract; every B2 row carries them.
    pub b2_customer_code: String,
    pub b2_customer_class: String,
    pub b2_freight_no: String,
}

impl Default for ShippingRules {
    fn default() -> Self {
        ShippingRules {
            flat_fee: 700,
            free_over: Some(5000),
            region_fees: vec![
                RegionFee { prefecture: "北海道".into(), fee: 1200 },
                RegionFee { prefecture: "沖縄県".into(), fee: 1500 },
            ],
            cod_fees: vec![
                CodFee { up_to: 10_000, fee: 330 },
                CodFee { up_to: 30_000, fee: 440 },
                CodFee { up_to: 100_000, fee: 660 },
                CodFee { up_to: 300_000, fee: 1100 },
            ],
            b2_customer_code: String::new(),
            b2_customer_class: String::new(),
            b2_freight_no: "01".into(),
        }
    }
}

impl ShippingRules {
    /// The shipping fee for goods worth `goods` to `prefecture`.
    pub fn fee(&self, goods: i64, prefecture: &str) -> i64 {
        if self.free_over.is_some_and(|f| goods >= f) {
            return 0;
        }
        self.region_fees.iter().find(|r| r.prefecture == prefecture).map(|r| r.fee).unwrap_or(self.flat_fee)
    }

    /// The cash-on-delivery fee for an order of `total` yen.
    pub fn cod_fee(&self, total: i64) -> i64 {
        self.cod_fees.iter().find(|c| total <= c.up_to).or(self.cod_fees.last()).map(|c| c.fee).unwrap_or(0)
    }
}

/// 口座振替: the collection agency's contract (委託者) and where the money arrives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct DebitSettings {
    /// 委託者コード (10 digits) and 委託者名 (half-width kana), from the agency.
    pub collector_code: String,
    pub collector_name: String,
    /// 振替日: day of the month (a common one is the 27th).
    pub debit_day: u32,
    /// The account the agency pays into (the request file's header).
    pub bank_code: String,
    pub bank_name: String,
    pub branch_code: String,
    pub branch_name: String,
    /// 1 普通, 2 当座.
    pub account_kind: String,
    pub account_number: String,
}

impl Default for DebitSettings {
    fn default() -> Self {
        DebitSettings {
            collector_code: String::new(),
            collector_name: String::new(),
            debit_day: 27,
            bank_code: String::new(),
            bank_name: String::new(),
            branch_code: String::new(),
            branch_name: String::new(),
            account_kind: "1".into(),
            account_number: String::new(),
        }
    }
}

/// One reminder letter's wording. `{氏名}`, `{会員番号}`, `{合計}`, `{件数}`, `{期限}` and `{店名}`
/// are filled in per member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReminderTemplate {
    pub title: String,
    pub body: String,
}

/// 入金・督促: the rules of reconciliation and reminders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct MoneySettings {
    /// Transfer fees a remitter may deduct (振込手数料を差し引いた入金), in yen.
    #[ts(type = "number[]")]
    pub transfer_fees: Vec<i64>,
    /// Apply a fee-deducted deposit without asking when it fits exactly one member and invoice set.
    pub auto_apply_fee: bool,
    pub debit: DebitSettings,
    /// Days after the due date before an invoice is on the overdue list.
    pub overdue_after_days: u32,
    /// お支払期限 printed on a reminder: days after the letter.
    pub reminder_pay_within_days: u32,
    /// First, second and final reminder.
    pub reminders: Vec<ReminderTemplate>,
}

impl Default for MoneySettings {
    fn default() -> Self {
        let closing = "本状と行き違いにご入金いただいている場合は、ご容赦くださいますようお願い申し上げます。";
        MoneySettings {
            transfer_fees: vec![110, 165, 220, 330, 440, 550, 660, 770, 880],
            auto_apply_fee: false,
            debit: DebitSettings::default(),
            overdue_after_days: 1,
            reminder_pay_within_days: 10,
            reminders: vec![
                ReminderTemplate {
                    title: "お支払いのお願い".into(),
                    body: format!("{{氏名}} 様\n\n平素より{{店名}}をご利用いただき、誠にありがとうございます。\n下記のご請求につきまして、お支払期限を過ぎてもご入金の確認ができておりません。お手数ですが、{{期限}}までにお支払いくださいますようお願い申し上げます。\n\n{closing}"),
                },
                ReminderTemplate {
                    title: "お支払いについて（再度のお願い）".into(),
                    body: format!("{{氏名}} 様\n\n先日お支払いのお願いをお送りいたしましたが、本日までにご入金の確認ができておりません。\n未払いのご請求は下記のとおり合計 {{合計}} です。{{期限}}までに必ずお支払いくださいますようお願い申し上げます。\nご事情がおありの場合は、お電話にてご相談ください。\n\n{closing}"),
                },
                ReminderTemplate {
                    title: "最終のご通知".into(),
                    body: format!("{{氏名}} 様\n\nこれまで再三にわたりお支払いをお願いしてまいりましたが、いまだにご入金の確認ができておりません。\n{{期限}}までにお支払いのない場合は、誠に遺憾ながら定期便のお届けを停止させていただきます。\n\n{closing}"),
                },
            ],
        }
    }
}

/// 集計: the thresholds of the customer portfolio (CPM分析).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ReportSettings {
    /// A customer is 離脱 (lapsed) when the last purchase is this many days ago or more.
    pub lapsed_after_days: u32,
    /// 在籍期間 (first to last purchase) under which a repeat customer is still よちよち.
    pub tenure_short_days: u32,
    /// 在籍期間 from which a big spender counts as 優良 rather than 流行.
    pub tenure_long_days: u32,
    /// 累計購入金額 from which a repeat customer is 優良 or 流行, in yen.
    #[ts(type = "number")]
    pub loyal_amount: i64,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings { lapsed_after_days: 240, tenure_short_days: 90, tenure_long_days: 210, loyal_amount: 70_000 }
    }
}

fn default_stop_reasons() -> Vec<String> {
    ["商品が余っている", "効果を実感できない", "経済的な理由", "体調・医師の指示", "他社商品に切り替え", "引越し・長期不在", "その他"]
        .map(String::from)
        .to_vec()
}

fn default_skip_reasons() -> Vec<String> {
    ["商品が余っている", "旅行・長期不在", "入院・体調", "その他"].map(String::from).to_vec()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ShopSettings {
    pub company_name: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub email: String,
    /// 適格請求書発行事業者登録番号: `T` + 13 digits.
    pub invoice_registration_number: String,
    pub bank_account: BankAccount,
    pub tax_rounding: TaxRounding,
    /// Unit prices are entered without tax (税抜); off: prices include tax (税込, the usual for 通販).
    pub prices_exclude_tax: bool,
    pub member_code: MemberCodeFormat,
    /// Names offered in the staff (担当者) pickers.
    pub staff: Vec<String>,
    pub shipping: ShippingRules,
    /// 解約理由: the list offered when a subscription stops (the churn report counts them).
    pub stop_reasons: Vec<String>,
    /// Reasons offered for a skip or a pause.
    pub skip_reasons: Vec<String>,
    pub switch_price: SwitchPrice,
    /// お支払期限: days after the invoice date.
    pub invoice_due_days: u32,
    pub money: MoneySettings,
    pub reports: ReportSettings,
    /// バックアップ: folder, rotation, encryption (`backup.rs`).
    pub backup: crate::backup::BackupSettings,
}

impl Default for ShopSettings {
    fn default() -> Self {
        ShopSettings {
            company_name: String::new(),
            postal_code: String::new(),
            address: String::new(),
            phone: String::new(),
            fax: String::new(),
            email: String::new(),
            invoice_registration_number: String::new(),
            bank_account: BankAccount::default(),
            tax_rounding: TaxRounding::default(),
            prices_exclude_tax: false,
            member_code: MemberCodeFormat::default(),
            staff: Vec::new(),
            shipping: ShippingRules::default(),
            stop_reasons: default_stop_reasons(),
            skip_reasons: default_skip_reasons(),
            switch_price: SwitchPrice::default(),
            invoice_due_days: 14,
            money: MoneySettings::default(),
            reports: ReportSettings::default(),
            backup: crate::backup::BackupSettings::default(),
        }
    }
}

const KEY: &str = "shop";

impl ShopSettings {
    /// Normalises and checks every field; all problems are reported together.
    pub fn validated(mut self) -> Result<ShopSettings> {
        let mut p = Problems::default();
        self.company_name = normalize::tidy(&self.company_name);
        self.address = self.address.trim().to_string();
        if let Some(v) = p.check(normalize::postal_code(&self.postal_code)) {
            self.postal_code = v;
        }
        if let Some((v, _)) = p.check(normalize::phone("phone", "電話番号", &self.phone)) {
            self.phone = v;
        }
        if let Some((v, _)) = p.check(normalize::phone("fax", "FAX番号", &self.fax)) {
            self.fax = v;
        }
        if let Some(v) = p.check(normalize::email(&self.email)) {
            self.email = v;
        }
        if let Some(v) = p.check(normalize::registration_number(&self.invoice_registration_number)) {
            self.invoice_registration_number = v;
        }
        let acct = &mut self.bank_account;
        acct.number = normalize::digits(&acct.number);
        if !acct.number.is_empty() && acct.number.len() != 7 {
            p.add("bank_account.number", "口座番号は7桁の数字で入力してください");
        }
        acct.holder = normalize::kana(&acct.holder);
        let prefix = normalize::nfkc(&self.member_code.prefix).trim().to_string();
        if !prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') || prefix.len() > 6 {
            p.add("member_code.prefix", "会員番号の接頭文字は英数字6文字までで入力してください");
        }
        self.member_code.prefix = prefix;
        if !(3..=10).contains(&self.member_code.digits) {
            p.add("member_code.digits", "会員番号の桁数は3〜10の範囲で指定してください");
        }
        self.staff = self.staff.iter().map(|s| normalize::tidy(s)).filter(|s| !s.is_empty()).collect();
        self.staff.dedup();
        for (field, list, label) in [("stop_reasons", &mut self.stop_reasons, "解約理由"), ("skip_reasons", &mut self.skip_reasons, "スキップ・休止の理由")] {
            *list = list.iter().map(|s| normalize::tidy(s)).filter(|s| !s.is_empty()).collect();
            list.dedup();
            if list.is_empty() {
                p.add(field, format!("{label}を1つ以上登録してください"));
            }
        }
        let ship = &mut self.shipping;
        if ship.flat_fee < 0 || ship.free_over.is_some_and(|f| f < 0) {
            p.add("shipping.flat_fee", "送料は0円以上で入力してください");
        }
        for r in &mut ship.region_fees {
            r.prefecture = normalize::tidy(&r.prefecture);
            if !crate::address::PREFECTURES.contains(&r.prefecture.as_str()) || r.fee < 0 {
                p.add("shipping.region_fees", format!("地域別送料の都道府県「{}」または金額が正しくありません", r.prefecture));
            }
        }
        ship.cod_fees.sort_by_key(|c| c.up_to);
        if ship.cod_fees.iter().any(|c| c.fee < 0 || c.up_to <= 0) {
            p.add("shipping.cod_fees", "代引手数料の上限金額と手数料は正の金額で入力してください");
        }
        ship.b2_customer_code = normalize::digits(&ship.b2_customer_code);
        if !ship.b2_customer_code.is_empty() && !(10..=12).contains(&ship.b2_customer_code.len()) {
            p.add("shipping.b2_customer_code", "B2クラウドの請求先顧客コードは10〜12桁の数字で入力してください");
        }
        ship.b2_customer_class = normalize::digits(&ship.b2_customer_class);
        if ship.b2_customer_class.len() > 3 {
            p.add("shipping.b2_customer_class", "請求先分類コードは3桁までの数字で入力してください");
        }
        ship.b2_freight_no = normalize::digits(&ship.b2_freight_no);
        if !ship.b2_freight_no.is_empty() && ship.b2_freight_no.len() != 2 {
            p.add("shipping.b2_freight_no", "運賃管理番号は2桁の数字で入力してください（例: 01）");
        }
        let r = &self.reports;
        if r.lapsed_after_days == 0 || r.lapsed_after_days > 3650 {
            p.add("reports.lapsed_after_days", "離脱とみなす日数は1〜3650日で入力してください");
        }
        if r.tenure_short_days == 0 || r.tenure_short_days >= r.tenure_long_days {
            p.add("reports.tenure_short_days", "在籍期間の区切りは「短い方 < 長い方」となる1日以上の日数で入力してください");
        }
        if r.loyal_amount <= 0 {
            p.add("reports.loyal_amount", "累計購入金額の区切りは1円以上で入力してください");
        }
        let money = &mut self.money;
        money.transfer_fees.retain(|f| *f > 0);
        money.transfer_fees.sort_unstable();
        money.transfer_fees.dedup();
        if money.transfer_fees.iter().any(|f| *f > 5000) {
            p.add("money.transfer_fees", "振込手数料は5,000円までの金額で入力してください");
        }
        let debit = &mut money.debit;
        for (field, value, len, label) in [
            ("money.debit.collector_code", &mut debit.collector_code, 10, "委託者コード"),
            ("money.debit.bank_code", &mut debit.bank_code, 4, "振替金の入金先の銀行コード"),
            ("money.debit.branch_code", &mut debit.branch_code, 3, "振替金の入金先の支店コード"),
            ("money.debit.account_number", &mut debit.account_number, 7, "振替金の入金先の口座番号"),
        ] {
            *value = normalize::digits(value);
            if !value.is_empty() && value.len() != len {
                p.add(field, format!("{label}は{len}桁の数字で入力してください"));
            }
        }
        for (field, value) in [("money.debit.collector_name", &mut debit.collector_name), ("money.debit.bank_name", &mut debit.bank_name), ("money.debit.branch_name", &mut debit.branch_name)] {
            *value = crate::zengin::zengin_kana(value);
            if let Some(c) = crate::zengin::zengin_field_problem(value) {
                p.add(field, format!("「{c}」は全銀ファイルに使えません（半角カナ・英大文字・数字で入力してください）"));
            }
        }
        if !(1..=31).contains(&debit.debit_day) {
            p.add("money.debit.debit_day", "振替日は1〜31日で指定してください");
        }
        if !["1", "2"].contains(&debit.account_kind.as_str()) {
            p.add("money.debit.account_kind", "預金種目は 1（普通）か 2（当座）です");
        }
        if money.reminders.len() != 3 || money.reminders.iter().any(|t| t.title.trim().is_empty() || t.body.trim().is_empty()) {
            p.add("money.reminders", "督促状の文面は1回目・2回目・最終の3通りとも、表題と本文を入れてください");
        }
        if self.invoice_due_days > 120 {
            p.add("invoice_due_days", "お支払期限は請求日から0〜120日の範囲で指定してください");
        }
        self.backup.check(&mut p);
        p.finish()?;
        Ok(self)
    }
}

/// The settings as stored, read on `c` (inside a larger write, its transaction).
pub(crate) fn load(c: &rusqlite::Connection) -> Result<ShopSettings> {
    match crate::store::settings::get(c, KEY)? {
        None => Ok(ShopSettings::default()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| CoreError::new(crate::error::ErrorCode::Database, format!("ショップ設定を読めません: {e}"))),
    }
}

impl Db {
    pub fn shop_settings(&self) -> Result<ShopSettings> {
        load(&self.conn)
    }

    /// Whether the shop's settings were ever saved (the first-start screen saves them).
    pub fn shop_settings_saved(&self) -> Result<bool> {
        Ok(self.setting_json(KEY)?.is_some())
    }

    /// Stores settings as they are (a restore puts back the shop's current backup settings into
    /// settings an older version saved, which today's checks might refuse).
    pub(crate) fn put_shop_settings_unchecked(&mut self, s: &ShopSettings) -> Result<()> {
        self.put_setting_json(KEY, &serde_json::to_string(s).expect("settings serialise"))
    }

    /// Admin-only when staff accounts exist.
    pub fn save_shop_settings(&mut self, s: ShopSettings) -> Result<ShopSettings> {
        self.require_admin()?;
        let s = s.validated()?;
        self.put_setting_json(KEY, &serde_json::to_string(&s).expect("settings serialise"))?;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_then_saved_values_come_back() {
        let mut db = Db::open_in_memory().unwrap();
        let s = db.shop_settings().unwrap();
        assert_eq!(s.tax_rounding, TaxRounding::Floor);
        assert_eq!(s.member_code.format(42), "000042");
        let saved = db
            .save_shop_settings(ShopSettings {
                company_name: "  株式会社　健康の森 ".into(),
                postal_code: "１００－０００５".into(),
                phone: "03-1234-5678".into(),
                invoice_registration_number: "t1180301018771".into(),
                member_code: MemberCodeFormat { prefix: "M".into(), digits: 5 },
                ..Default::default()
            })
            .unwrap();
        assert_eq!(saved.company_name, "株式会社 健康の森");
        assert_eq!(saved.postal_code, "100-0005");
        assert_eq!(saved.invoice_registration_number, "T1180301018771");
        assert_eq!(db.shop_settings().unwrap(), saved);
    }

    #[test]
    fn all_bad_fields_are_reported_together() {
        let mut db = Db::open_in_memory().unwrap();
        let e = db
            .save_shop_settings(ShopSettings {
                invoice_registration_number: "T123".into(),
                phone: "1234".into(),
                ..Default::default()
            })
            .unwrap_err();
        let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["phone", "invoice_registration_number"]);
        assert_eq!(db.shop_settings().unwrap(), ShopSettings::default());
    }
}
