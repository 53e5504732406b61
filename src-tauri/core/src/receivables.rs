//! Receivables (売掛金): what each invoice still asks for, the payments that came in and which
//! invoices they settled. A payment is a record of its own (date, amount, method, where it came
//! from) allocated to one or more invoices, oldest first unless staff pick; what it holds beyond
//! them is the member's credit (前受金), offered on the next invoice. Allocations are undone
//! (kept, with the reason), never deleted; a wrong payment is voided.
use crate::error::{CoreError, ErrorCode, Result};
use crate::normalize;
use crate::orders::PaymentMethod;
use crate::store::{now_stamp, receivables as sql, Db};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An invoice with something left to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OpenInvoice {
    #[serde(skip)]
    #[ts(skip)]
    pub id: i64,
    pub number: String,
    #[serde(skip)]
    #[ts(skip)]
    pub member_id: i64,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    #[ts(type = "number")]
    pub amount: i64,
    #[ts(type = "number")]
    pub balance: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Allocation {
    #[ts(type = "number")]
    pub id: i64,
    pub invoice: String,
    #[ts(type = "number")]
    pub amount: i64,
    pub at: String,
    pub undone_at: Option<String>,
    pub undo_reason: String,
    pub staff: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Payment {
    #[ts(type = "number")]
    pub id: i64,
    pub member: String,
    pub member_name: String,
    pub paid_on: NaiveDate,
    #[ts(type = "number")]
    pub amount: i64,
    /// Transfer fee deducted by the remitter and borne by the shop; settles invoices like money.
    #[ts(type = "number")]
    pub fee: i64,
    pub method: PaymentMethod,
    pub note: String,
    pub staff: String,
    pub created_at: String,
    pub voided_at: Option<String>,
    pub void_reason: String,
    /// Where it came from, in words: 取込 3（meisai.txt）の 12件目, 口座振替 2026-11, 移行データ….
    pub source: String,
    /// Every allocation, undone ones included (the history).
    pub allocations: Vec<Allocation>,
    /// What no invoice took (the member's credit from this payment).
    #[ts(type = "number")]
    pub credit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct PaymentFilter {
    pub member: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub method: Option<PaymentMethod>,
    pub include_void: bool,
    #[ts(type = "number | null")]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaymentPage {
    pub payments: Vec<Payment>,
    #[ts(type = "number")]
    pub total: u64,
    /// Sum of the amounts of the payments that count (not void).
    #[ts(type = "number")]
    pub amount: i64,
}

/// A payment typed by hand (cash at the counter, 郵便振替, card settled elsewhere …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct PaymentInput {
    pub member: String,
    /// Empty: today.
    pub paid_on: String,
    #[ts(type = "number")]
    pub amount: i64,
    pub method: PaymentMethod,
    pub note: String,
    /// Invoices to settle; empty: the member's open invoices, oldest first.
    pub invoices: Vec<String>,
    pub staff: String,
}

/// A member's money at a glance: what is open, what came in, what is held as credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberAccount {
    pub member: String,
    pub member_name: String,
    pub open_invoices: Vec<OpenInvoice>,
    /// Sum left to pay.
    #[ts(type = "number")]
    pub balance: i64,
    /// 前受金: paid and not yet used by an invoice.
    #[ts(type = "number")]
    pub credit: i64,
    /// Latest payments first (voided ones included, marked).
    pub payments: Vec<Payment>,
    /// Remitter names confirmed for this member (bank matching learns them).
    pub remitter_names: Vec<String>,
}

/// How a sum settles a list of invoices (in the given order): what each gets, the transfer fee
/// counted as paid, and what is left over as credit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settlement {
    /// (invoice index in the list, amount)
    pub parts: Vec<(usize, i64)>,
    pub fee: i64,
    pub credit: i64,
}

/// Settles `balances` in order with `amount`: when the shortfall on the whole list is one of
/// the shop's transfer fees, the fee is counted as paid; otherwise the oldest are paid first
/// and the last one partly; what is over stays as credit.
pub fn settle(balances: &[i64], amount: i64, fees: &[i64]) -> Settlement {
    let total: i64 = balances.iter().sum();
    let short = total - amount;
    let fee = if short > 0 && fees.contains(&short) { short } else { 0 };
    let mut left = amount + fee;
    let mut parts = Vec::new();
    for (i, b) in balances.iter().enumerate() {
        let take = left.min(*b);
        if take > 0 {
            parts.push((i, take));
            left -= take;
        }
    }
    Settlement { parts, fee, credit: left }
}

fn date_or_today(field: &str, s: &str) -> Result<NaiveDate> {
    Ok(normalize::date(field, "入金日", s)?.unwrap_or_else(crate::clock::today))
}

impl Db {
    /// Looks a member up by code; the message names the code when it is unknown.
    pub(crate) fn member_ref(&self, code: &str) -> Result<(i64, String, String)> {
        let code = normalize::nfkc(code).trim().to_string();
        match sql::member_id(&self.conn, &code)? {
            Some((id, name)) => Ok((id, code, name)),
            None => Err(CoreError::field("member", format!("会員番号 {code} の会員が見つかりません"))),
        }
    }

    /// The given invoices of a member (in issue order), or all open ones; each must be open.
    pub(crate) fn invoices_to_settle(c: &rusqlite::Connection, member_id: i64, member: &str, numbers: &[String]) -> Result<Vec<OpenInvoice>> {
        let open = sql::open_invoices_of(c, member_id)?;
        if numbers.is_empty() {
            return Ok(open);
        }
        if let Some(mut chosen) = numbers.iter().map(|n| open.iter().find(|o| &o.number == n).cloned()).collect::<Option<Vec<_>>>() {
            chosen.sort_by_key(|o| (o.issued_on, o.id));
            chosen.dedup_by_key(|o| o.id);
            return Ok(chosen);
        }
        // Some are not open: say which and why.
        let mut chosen = Vec::new();
        for (n, id) in sql::invoice_ids(c, member_id, numbers)? {
            match (id, open.iter().find(|o| o.number == n)) {
                (None, _) => return Err(CoreError::field("invoices", format!("請求書 {n} は会員 {member} の請求書ではありません"))),
                (Some(_), None) => return Err(CoreError::new(ErrorCode::Conflict, format!("請求書 {n} には未払いの残高がありません")).at("invoices")),
                (Some(_), Some(o)) => chosen.push(o.clone()),
            }
        }
        chosen.sort_by_key(|o| (o.issued_on, o.id));
        chosen.dedup_by_key(|o| o.id);
        Ok(chosen)
    }

    pub fn record_payment(&mut self, input: &PaymentInput) -> Result<Payment> {
        let (member_id, code, _) = self.member_ref(&input.member)?;
        if input.amount <= 0 {
            return Err(CoreError::field("amount", "入金額は1円以上で入力してください"));
        }
        let paid_on = date_or_today("paid_on", &input.paid_on)?;
        let fees = self.shop_settings()?.money.transfer_fees;
        let (note, staff) = (normalize::tidy(&input.note), normalize::tidy(&input.staff));
        let id = self.write_as(&staff, |tx| {
            let open = Self::invoices_to_settle(tx, member_id, &code, &input.invoices)?;
            let s = settle(&open.iter().map(|o| o.balance).collect::<Vec<_>>(), input.amount, &fees);
            let row = sql::PaymentRow { member_id, paid_on, amount: input.amount, fee: s.fee, method: input.method.as_str(), note: &note, staff: &staff, import_batch: None, bank_line: None };
            sql::insert_payment(tx, &row, &s.parts.iter().map(|(i, a)| (open[*i].id, *a)).collect::<Vec<_>>(), &now_stamp())
        })?;
        self.payment(id)
    }

    pub fn payment(&self, id: i64) -> Result<Payment> {
        sql::payment(&self.conn, id)?.ok_or_else(|| CoreError::not_found(format!("入金 {id} が見つかりません")))
    }

    pub fn payments(&self, f: &PaymentFilter) -> Result<PaymentPage> {
        let member = if f.member.trim().is_empty() { None } else { Some(self.member_ref(&f.member)?.0) };
        let (payments, total, amount) = sql::payments(&self.conn, f, member)?;
        Ok(PaymentPage { payments, total, amount })
    }

    /// Voids a payment typed or matched by mistake; its allocations are undone. A bank line it
    /// came from goes back to the unmatched deposits.
    pub fn void_payment(&mut self, id: i64, reason: &str, staff: &str) -> Result<Payment> {
        let p = self.payment(id)?;
        if p.voided_at.is_some() {
            return Err(CoreError::new(ErrorCode::Conflict, format!("入金 {id} はすでに取り消されています")));
        }
        let reason = normalize::tidy(reason);
        if reason.is_empty() {
            return Err(CoreError::field("reason", "取り消す理由を入力してください"));
        }
        let staff = normalize::tidy(staff);
        self.write_as(&staff, |tx| {
            sql::void_payment(tx, id, &reason, &staff, &now_stamp())?;
            crate::store::bank::release_line_of(tx, id, &format!("入金を取り消しました: {reason}"))
        })?;
        self.payment(id)
    }

    /// Takes one allocation back: the invoice is open again and the money is the member's credit.
    pub fn undo_allocation(&mut self, allocation: i64, reason: &str, staff: &str) -> Result<Payment> {
        let reason = normalize::tidy(reason);
        if reason.is_empty() {
            return Err(CoreError::field("reason", "取り消す理由を入力してください"));
        }
        let staff = normalize::tidy(staff);
        let payment = self.write_as(&staff, |tx| sql::undo_allocation(tx, allocation, &reason, &staff, &now_stamp()))?;
        match payment {
            Some(p) => self.payment(p),
            None => Err(CoreError::not_found(format!("消込 {allocation} が見つからないか、すでに取り消されています"))),
        }
    }

    /// Uses the member's credit on their open invoices, oldest first.
    pub fn apply_credit(&mut self, member: &str, staff: &str) -> Result<MemberAccount> {
        let (member_id, code, _) = self.member_ref(member)?;
        let staff = normalize::tidy(staff);
        let used = self.write_as(&staff, |tx| {
            let mut open = sql::open_invoices_of(tx, member_id)?;
            let mut used = 0;
            let now = now_stamp();
            for (payment, mut left) in sql::credits(tx, member_id)? {
                let mut parts = Vec::new();
                for o in open.iter_mut().filter(|o| o.balance > 0) {
                    let take = left.min(o.balance);
                    if take == 0 {
                        break;
                    }
                    parts.push((o.id, take));
                    o.balance -= take;
                    left -= take;
                    used += take;
                }
                sql::allocate(tx, payment, &parts, &staff, &now)?;
            }
            Ok(used)
        })?;
        if used == 0 {
            return Err(CoreError::new(ErrorCode::Conflict, format!("会員 {code} には充当できる前受金か未払いの請求がありません")));
        }
        self.member_account(&code)
    }

    pub fn member_account(&self, member: &str) -> Result<MemberAccount> {
        let (member_id, code, name) = self.member_ref(member)?;
        let open_invoices = sql::open_invoices_of(&self.conn, member_id)?;
        let (_, balance, credit) = sql::member_totals(&self.conn, member_id)?;
        let payments = self.payments(&PaymentFilter { member: code.clone(), include_void: true, limit: Some(50), ..Default::default() })?.payments;
        let remitter_names = crate::store::bank::names_of(&self.conn, member_id)?.into_iter().map(|n| n.0).collect();
        Ok(MemberAccount { member: code, member_name: name, open_invoices, balance, credit, payments, remitter_names })
    }
}

#[cfg(test)]
pub(crate) mod tests;
