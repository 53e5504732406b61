//! The shop's products (商品): code, name, product group (商品群), unit price in integer yen, tax
//! rate 10% or reduced 8%. So far filled by the import; the courses/orders issue adds the screens.
use crate::error::Result;
use crate::store::Db;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A product as the import (and later the product form) hands it to the store, already checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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
    pub created_at: String,
    pub updated_at: String,
}

impl Db {
    /// Every product, by code.
    pub fn products(&self) -> Result<Vec<Product>> {
        crate::store::products::all(&self.conn)
    }
}
