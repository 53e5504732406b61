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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
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
        p.finish()?;
        Ok(self)
    }
}

impl Db {
    pub fn shop_settings(&self) -> Result<ShopSettings> {
        match self.setting_json(KEY)? {
            None => Ok(ShopSettings::default()),
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                CoreError::new(crate::error::ErrorCode::Database, format!("ショップ設定を読めません: {e}"))
            }),
        }
    }

    /// Whether the shop's settings were ever saved (the first-start screen saves them).
    pub fn shop_settings_saved(&self) -> Result<bool> {
        Ok(self.setting_json(KEY)?.is_some())
    }

    pub fn save_shop_settings(&mut self, s: ShopSettings) -> Result<ShopSettings> {
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
