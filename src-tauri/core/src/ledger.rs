//! Receivables: what members owe. So far the open invoices brought in by the import; the payments
//! issue adds reconciliation on the same tables (paid and balance come from allocations).
use crate::error::Result;
use crate::store::Db;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum InvoiceStatus {
    Open,
    Partial,
    Paid,
    Void,
}

impl InvoiceStatus {
    pub fn label(self) -> &'static str {
        match self {
            InvoiceStatus::Open => "未入金",
            InvoiceStatus::Partial => "一部入金",
            InvoiceStatus::Paid => "入金済",
            InvoiceStatus::Void => "無効",
        }
    }
}

/// One invoice with what was paid on it; also the CLI's `invoices list` JSON shape (keep the keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceSummary {
    pub number: String,
    /// The member's code.
    pub member: String,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    #[ts(type = "number")]
    pub amount: i64,
    #[ts(type = "number")]
    pub paid: i64,
    #[ts(type = "number")]
    pub balance: i64,
    pub status: InvoiceStatus,
}

impl Db {
    /// Invoices by issue date, optionally only those in one status.
    pub fn invoices(&self, status: Option<InvoiceStatus>) -> Result<Vec<InvoiceSummary>> {
        crate::store::ledgers::invoices(&self.conn, status)
    }
}
