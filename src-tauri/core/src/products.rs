//! The shop's products (商品): code, name, product group (商品群), unit price in integer yen (with or
//! without tax per the shop's setting), tax rate 10% or reduced 8%, stock, size class and weight.
use crate::error::{CoreError, Problems, Result};
use crate::normalize;
use crate::store::{now_stamp, products as sql, Db};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A product as the form or the import hands it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ProductInput {
    pub code: String,
    pub name: String,
    pub group: String,
    #[ts(type = "number")]
    pub unit_price: i64,
    /// 10 or 8.
    #[ts(type = "number")]
    pub tax_rate: i64,
    pub unit: String,
    pub active: bool,
    #[ts(type = "number")]
    pub stock: i64,
    /// 60, 80, ネコポス … as the shop ships it.
    pub size_class: String,
    #[ts(type = "number")]
    pub weight_g: i64,
    /// Goes into a parcel (off for a membership fee or a download).
    pub shipped: bool,
}

impl Default for ProductInput {
    fn default() -> Self {
        ProductInput {
            code: String::new(),
            name: String::new(),
            group: String::new(),
            unit_price: 0,
            tax_rate: 10,
            unit: String::new(),
            active: true,
            stock: 0,
            size_class: String::new(),
            weight_g: 0,
            shipped: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Product {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub group: String,
    #[ts(type = "number")]
    pub unit_price: i64,
    #[ts(type = "number")]
    pub tax_rate: i64,
    pub unit: String,
    pub active: bool,
    // Defaults: an import batch recorded before version 4 kept products without these.
    #[serde(default)]
    #[ts(type = "number")]
    pub stock: i64,
    #[serde(default)]
    pub size_class: String,
    #[serde(default)]
    #[ts(type = "number")]
    pub weight_g: i64,
    #[serde(default = "shipped_default")]
    pub shipped: bool,
    pub created_at: String,
    pub updated_at: String,
}

fn shipped_default() -> bool {
    true
}

impl ProductInput {
    /// Normalises and checks every field; all problems together.
    pub fn validated(mut self) -> Result<ProductInput> {
        let mut p = Problems::default();
        self.code = normalize::nfkc(&self.code).trim().to_string();
        if self.code.is_empty() {
            p.add("code", "商品コードを入力してください");
        } else if self.code.chars().count() > 30 || self.code.chars().any(char::is_whitespace) {
            p.add("code", "商品コードは空白なしの30文字までで入力してください");
        }
        self.name = normalize::tidy(&self.name);
        if self.name.is_empty() {
            p.add("name", "商品名を入力してください");
        }
        self.group = normalize::tidy(&self.group);
        self.unit = normalize::tidy(&self.unit);
        self.size_class = normalize::tidy(&self.size_class);
        if self.unit_price < 0 {
            p.add("unit_price", "単価は0円以上で入力してください");
        }
        if self.tax_rate != 10 && self.tax_rate != 8 {
            p.add("tax_rate", "税率は10%または8%（軽減税率）です");
        }
        if self.weight_g < 0 {
            p.add("weight_g", "重さは0以上で入力してください");
        }
        p.finish()?;
        Ok(self)
    }
}

impl Db {
    /// Every product, by code.
    pub fn products(&self) -> Result<Vec<Product>> {
        sql::all(&self.conn)
    }

    pub fn product(&self, code: &str) -> Result<Product> {
        sql::by_code(&self.conn, code)?
            .ok_or_else(|| CoreError::not_found(format!("商品コード {code} は登録されていません")))
    }

    /// Creates a product, or updates the one with `code` when `existing` names it. A product is
    /// never deleted: one no longer sold is set inactive (販売終了) and stays on old orders.
    pub fn save_product(&mut self, existing: Option<&str>, input: ProductInput) -> Result<Product> {
        let input = input.validated()?;
        let now = now_stamp();
        let code = input.code.clone();
        match existing {
            None => {
                if sql::by_code(&self.conn, &code)?.is_some() {
                    return Err(CoreError::conflict("code", format!("商品コード {code} はすでに登録されています")));
                }
                self.write(|tx| sql::insert(tx, &input, &now, None).map(|_| ()))?;
            }
            Some(old_code) => {
                let old = self.product(old_code)?;
                if old.code != code && sql::by_code(&self.conn, &code)?.is_some() {
                    return Err(CoreError::conflict("code", format!("商品コード {code} はすでに登録されています")));
                }
                self.write(|tx| sql::update(tx, old.id, &input, &now))?;
            }
        }
        self.product(&code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn a_product_is_checked_saved_and_renamed() {
        let mut db = Db::open_in_memory().unwrap();
        let e = db.save_product(None, ProductInput { tax_rate: 5, unit_price: -1, ..Default::default() }).unwrap_err();
        let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["code", "name", "unit_price", "tax_rate"]);
        let p = db
            .save_product(None, ProductInput { code: "ＡＯ－１".into(), name: " 青汁  30包 ".into(), unit_price: 3980, tax_rate: 8, ..Default::default() })
            .unwrap();
        assert_eq!((p.code.as_str(), p.name.as_str(), p.shipped), ("AO-1", "青汁 30包", true));
        assert_eq!(db.save_product(None, ProductInput { code: "AO-1".into(), name: "x".into(), ..Default::default() }).unwrap_err().code, ErrorCode::Conflict);
        let p = db.save_product(Some("AO-1"), ProductInput { code: "AO-2".into(), stock: 12, ..p_input(&p) }).unwrap();
        assert_eq!((p.code.as_str(), p.stock), ("AO-2", 12));
        assert_eq!(db.products().unwrap().len(), 1);
    }

    fn p_input(p: &Product) -> ProductInput {
        ProductInput { code: p.code.clone(), name: p.name.clone(), unit_price: p.unit_price, tax_rate: p.tax_rate, ..Default::default() }
    }
}
