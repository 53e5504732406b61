//! Invoices (請求書): qualified invoices (適格請求書) issued per order or per member per billing
//! period, beside the open invoices imported from the old system. An issued invoice keeps the
//! data it was printed from and the PDF itself; the database refuses to alter either (a
//! trigger), so a correction voids it and issues a new one that names the old. Tax is computed
//! on the invoice's totals per rate and rounded once per rate (formats.md), so an invoice over
//! several orders may differ by a yen from the sum of their order totals: the invoice's figure
//! is the one that counts. Delivery slips (納品書) and receipts (領収書) print from the same data.
use crate::clock::today;
use crate::error::{CoreError, ErrorCode, Result};
use crate::normalize;
use crate::orders::{Order, OrderStatus};
use crate::pdf::document::{
    render_documents, DocKind, DocLine, Document, Issuer, RateTotal, Recipient,
};
use crate::settings::ShopSettings;
use crate::store::{invoices as sql, now_stamp, Db};
use crate::tax;
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

/// One invoice with what was paid on it; also the CLI's `invoices` JSON shape (keep the keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceSummary {
    pub number: String,
    /// The member's code and name.
    pub member: String,
    pub member_name: String,
    /// Issued by Teikibin (with its PDF), or brought from the old system.
    pub issued: bool,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    #[ts(type = "number")]
    pub amount: i64,
    #[ts(type = "number")]
    pub paid: i64,
    #[ts(type = "number")]
    pub balance: i64,
    pub status: InvoiceStatus,
    pub voided_at: Option<String>,
    pub void_reason: String,
    /// The invoice this one corrects, and the one that corrected this.
    pub replaces: Option<String>,
    pub replaced_by: Option<String>,
    /// The orders on it.
    pub orders: Vec<String>,
}

/// 電子帳簿保存法's search: by date range, amount range and counterparty, combined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct InvoiceSearch {
    /// An invoice number (exact); with it the other conditions still apply.
    pub number: String,
    /// Issue date from / to (YYYY-MM-DD), inclusive.
    pub from: String,
    pub to: String,
    #[ts(type = "number | null")]
    pub min: Option<i64>,
    #[ts(type = "number | null")]
    pub max: Option<i64>,
    /// Member code.
    pub member: String,
    pub status: Option<InvoiceStatus>,
    /// At most this many, newest first (default 5,000).
    #[ts(type = "number | null")]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoicePage {
    pub invoices: Vec<InvoiceSummary>,
    /// How many match (the page may show fewer).
    #[ts(type = "number")]
    pub total: u64,
    #[ts(type = "number")]
    pub amount: i64,
}

/// What to invoice: one order, or a member's orders of a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct InvoiceRequest {
    /// An order number; or empty and `member` + `period`.
    pub order: String,
    pub member: String,
    /// YYYY-MM: the member's orders of that month not yet invoiced, paid by transfer or debit.
    pub period: String,
    /// Empty: today.
    pub issued_on: String,
    pub staff: String,
}

/// A billing run over a month: one invoice per member with orders to bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BillingReport {
    pub period: String,
    pub issued: Vec<InvoiceSummary>,
    #[ts(type = "number")]
    pub amount: i64,
}

/// Where a batch print or a billing run stands (the window polls it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaperProgress {
    pub what: String,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// What an invoice covers: the member's code, the orders, and the billing period if a month.
type ToInvoice = (String, Vec<Order>, Option<(NaiveDate, NaiveDate)>);

fn jdate(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

pub(crate) fn issuer(s: &ShopSettings) -> Issuer {
    let a = &s.bank_account;
    let bank = if a.bank_name.is_empty() {
        String::new()
    } else {
        format!(
            "{} {} {} {} {}",
            a.bank_name,
            a.branch_name,
            a.kind.label(),
            a.number,
            a.holder
        )
        .trim()
        .to_string()
    };
    Issuer {
        name: s.company_name.clone(),
        postal_code: s.postal_code.clone(),
        address: s.address.clone(),
        phone: s.phone.clone(),
        registration_number: s.invoice_registration_number.clone(),
        bank_account: bank,
    }
}

/// The document for orders: their lines with the order date, fees as 10% lines, totals and tax
/// per rate over the whole document.
pub(crate) fn document(
    kind: DocKind,
    number: &str,
    orders: &[Order],
    recipient: Recipient,
    issued_on: NaiveDate,
    s: &ShopSettings,
) -> Document {
    let mut lines = Vec::new();
    for o in orders {
        for l in &o.lines {
            lines.push(DocLine {
                date: Some(o.ordered_on),
                code: l.product_code.clone(),
                name: l.name.clone(),
                quantity: l.quantity,
                unit_price: l.unit_price,
                amount: l.amount,
                tax_rate: l.tax_rate,
            });
        }
        for (name, fee) in [
            ("送料", o.totals.shipping_fee),
            ("代引手数料", o.totals.cod_fee),
        ] {
            if fee != 0 {
                lines.push(DocLine {
                    date: Some(o.ordered_on),
                    code: String::new(),
                    name: name.into(),
                    quantity: 1,
                    unit_price: fee,
                    amount: fee,
                    tax_rate: 10,
                });
            }
        }
    }
    let mut rate_totals = Vec::new();
    for rate in tax::RATES {
        let at: Vec<&DocLine> = lines.iter().filter(|l| l.tax_rate == rate).collect();
        if !at.is_empty() {
            let a = tax::per_rate(
                at.iter().map(|l| l.amount).sum(),
                rate,
                s.prices_exclude_tax,
                s.tax_rounding,
            );
            rate_totals.push(RateTotal {
                rate,
                amount: a.total,
                tax: a.tax,
            });
        }
    }
    let (first, last) = (
        orders.iter().map(|o| o.ordered_on).min(),
        orders.iter().map(|o| o.ordered_on).max(),
    );
    let transaction_period = match (first, last) {
        (Some(a), Some(b)) if a != b => format!("{}〜{}", jdate(a), jdate(b)),
        (Some(a), _) => jdate(a),
        _ => String::new(),
    };
    Document {
        kind,
        number: number.into(),
        issued_on,
        transaction_period,
        due_on: (kind == DocKind::Invoice)
            .then(|| issued_on + chrono::Days::new(s.invoice_due_days as u64)),
        issuer: issuer(s),
        recipient,
        lines,
        prices_include_tax: !s.prices_exclude_tax,
        total: rate_totals.iter().map(|r| r.amount).sum(),
        rate_totals,
        notes: Vec::new(),
        voided: false,
    }
}

impl Db {
    /// The member's own address as an invoice's recipient.
    pub(crate) fn recipient(&self, member: &str) -> Result<Recipient> {
        let m = self.member(member)?;
        let company_only = m.kind == crate::members::MemberKind::Company
            && (m.name.is_empty() || m.name == m.company);
        Ok(Recipient {
            postal_code: m.postal_code.clone(),
            address_lines: [m.address1(), m.building.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
            company: if company_only {
                String::new()
            } else {
                [m.company.as_str(), m.department.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            },
            name: if company_only {
                m.company.clone()
            } else {
                m.name.clone()
            },
            honorific: if company_only {
                "御中".into()
            } else {
                "様".into()
            },
            member_code: m.code.clone(),
        })
    }

    fn orders_to_invoice(
        &self,
        req: &InvoiceRequest,
    ) -> Result<ToInvoice> {
        let order = normalize::nfkc(&req.order).trim().to_string();
        if !order.is_empty() {
            let o = self.order(&order).map_err(|e| e.at("order"))?;
            if o.status == OrderStatus::Cancelled {
                return Err(CoreError::conflict(
                    "order",
                    format!("受注 {} はキャンセル済みです", o.number),
                ));
            }
            if let Some(n) = sql::live_invoice_of(&self.conn, o.id)? {
                return Err(CoreError::conflict(
                    "order",
                    format!(
                        "受注 {} はすでに請求書 {n} に載っています（訂正は再発行で）",
                        o.number
                    ),
                ));
            }
            return Ok((o.member.clone(), vec![o], None));
        }
        if req.member.trim().is_empty() {
            return Err(CoreError::field(
                "order",
                "受注番号、または会員番号と請求月を指定してください",
            ));
        }
        let (member_id, m) = self
            .member_with_id(&req.member)
            .map_err(|e| e.at("member"))?;
        let period = normalize::nfkc(&req.period).trim().to_string();
        let bounds = crate::schedule::month_bounds(&period).ok_or_else(|| {
            CoreError::field(
                "period",
                format!("請求月は YYYY-MM の形で指定してください（{period}）"),
            )
        })?;
        // Card, cash and COD orders are paid at the time: the month's invoice leaves them out
        // (they get one only when asked for one by one).
        let orders = sql::uninvoiced_orders(&self.conn, member_id, bounds)?
            .iter()
            .map(|n| self.order(n))
            .collect::<Result<Vec<_>>>()?;
        if orders.is_empty() {
            return Err(CoreError::new(
                ErrorCode::NotFound,
                format!(
                    "{} {} さんの {period} に請求していない受注はありません",
                    m.code, m.name
                ),
            )
            .at("period"));
        }
        Ok((m.code, orders, Some(bounds)))
    }

    fn check_issuer(s: &ShopSettings) -> Result<()> {
        if s.invoice_registration_number.is_empty() || s.company_name.is_empty() {
            return Err(CoreError::new(
                ErrorCode::Validation,
                "適格請求書には会社名と登録番号（T+13桁）が必要です。設定で入力してください",
            )
            .at("invoice_registration_number"));
        }
        Ok(())
    }

    /// Issues one qualified invoice, renders its PDF and keeps both, in one transaction.
    pub fn issue_invoice(&mut self, req: &InvoiceRequest) -> Result<InvoiceSummary> {
        self.issue(req, None, "")
    }

    fn issue(
        &mut self,
        req: &InvoiceRequest,
        replaces: Option<&InvoiceSummary>,
        reason: &str,
    ) -> Result<InvoiceSummary> {
        let s = self.shop_settings()?;
        Self::check_issuer(&s)?;
        let issued_on =
            normalize::date("issued_on", "請求日", &req.issued_on)?.unwrap_or_else(today);
        let (member, orders, period) = match replaces {
            Some(old) => {
                let orders = old
                    .orders
                    .iter()
                    .map(|n| self.order(n))
                    .collect::<Result<Vec<_>>>()?;
                let period = old.period_from.zip(old.period_to);
                (old.member.clone(), orders, period)
            }
            None => self.orders_to_invoice(req)?,
        };
        let recipient = self.recipient(&member)?;
        let staff = normalize::tidy(&req.staff);
        let number = self.write_as(&staff, |tx| {
            let number = sql::next_number(tx)?;
            let mut doc = document(DocKind::Invoice, &number, &orders, recipient, issued_on, &s);
            if let Some((a, b)) = period {
                doc.transaction_period = format!("{}〜{}", jdate(a), jdate(b));
            }
            if let Some(old) = replaces {
                doc.notes.push(format!(
                    "本書は請求書 {}（{}発行）を訂正したものです。{}",
                    old.number,
                    jdate(old.issued_on),
                    reason
                ));
                sql::void(
                    tx,
                    &old.number,
                    &format!("再発行（{reason}）"),
                    &now_stamp(),
                )?;
            }
            // Checked again inside the transaction: another window or the CLI may have invoiced
            // one of these orders since they were read.
            for o in &orders {
                if let Some(n) = sql::live_invoice_of(tx, o.id)? {
                    return Err(CoreError::conflict("order", format!("受注 {} はすでに請求書 {n} に載っています", o.number)));
                }
            }
            let pdf = render_documents(std::slice::from_ref(&doc), &mut |_| {})?;
            let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
            sql::insert(
                tx,
                &doc,
                &ids,
                period,
                replaces.map(|r| r.number.as_str()),
                &pdf,
                &staff,
                &now_stamp(),
            )?;
            Ok(number)
        })?;
        self.invoice(&number)
    }

    /// Invoices every member with orders of the month to bill (transfer, debit), one each.
    pub fn issue_period_invoices(
        &mut self,
        period: &str,
        staff: &str,
        progress: &mut dyn FnMut(PaperProgress),
    ) -> Result<BillingReport> {
        let period = normalize::nfkc(period).trim().to_string();
        let bounds = crate::schedule::month_bounds(&period).ok_or_else(|| {
            CoreError::field(
                "period",
                format!("請求月は YYYY-MM の形で指定してください（{period}）"),
            )
        })?;
        Self::check_issuer(&self.shop_settings()?)?;
        let members = sql::members_to_bill(&self.conn, bounds)?;
        let mut issued = Vec::new();
        for (i, code) in members.iter().enumerate() {
            progress(PaperProgress {
                what: "請求書の発行".into(),
                done: i as u64,
                total: members.len() as u64,
            });
            let req = InvoiceRequest {
                member: code.clone(),
                period: period.clone(),
                staff: staff.into(),
                ..Default::default()
            };
            match self.issue_invoice(&req) {
                Ok(inv) => issued.push(inv),
                // Only card / COD orders this month: nothing to bill.
                Err(e) if e.code == ErrorCode::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        progress(PaperProgress {
            what: "請求書の発行".into(),
            done: members.len() as u64,
            total: members.len() as u64,
        });
        let amount = issued.iter().map(|i| i.amount).sum();
        Ok(BillingReport {
            period,
            issued,
            amount,
        })
    }

    pub fn invoice(&self, number: &str) -> Result<InvoiceSummary> {
        let number = normalize::nfkc(number).trim().to_string();
        sql::summary(&self.conn, &number)?
            .ok_or_else(|| CoreError::not_found(format!("請求書 {number} は見つかりません")))
    }

    /// Invoices matching every condition given, newest first.
    pub fn invoices(&self, q: &InvoiceSearch) -> Result<InvoicePage> {
        let from = normalize::date("from", "請求日（から）", &q.from)?;
        let to = normalize::date("to", "請求日（まで）", &q.to)?;
        if let (Some(a), Some(b)) = (from, to) {
            if a > b {
                return Err(CoreError::field(
                    "to",
                    "請求日の範囲が逆です（から ≦ まで）",
                ));
            }
        }
        if let (Some(a), Some(b)) = (q.min, q.max) {
            if a > b {
                return Err(CoreError::field("max", "金額の範囲が逆です（下限 ≦ 上限）"));
            }
        }
        let member = if q.member.trim().is_empty() {
            None
        } else {
            Some(
                self.member_with_id(&q.member)
                    .map_err(|e| e.at("member"))?
                    .0,
            )
        };
        let number = normalize::nfkc(&q.number).trim().to_uppercase();
        sql::search(
            &self.conn,
            (!number.is_empty()).then_some(number.as_str()),
            from,
            to,
            q.min,
            q.max,
            member,
            q.status,
            q.limit.unwrap_or(5000),
        )
    }

    /// The invoice, if it may still be voided or corrected: not voided, a reason given, nothing
    /// paid on it yet (payments must be taken off first).
    fn correctable(&self, number: &str, reason: &str, missing_reason: &str) -> Result<(InvoiceSummary, String)> {
        let inv = self.invoice(number)?;
        let reason = normalize::tidy(reason);
        if inv.voided_at.is_some() {
            return Err(CoreError::conflict("number", format!("請求書 {} はすでに取り消されています", inv.number)));
        }
        if reason.is_empty() {
            return Err(CoreError::field("reason", missing_reason));
        }
        if inv.paid > 0 {
            return Err(CoreError::conflict(
                "number",
                format!("請求書 {} には入金が消し込まれています（先に消込を取り消してください）", inv.number),
            ));
        }
        Ok((inv, reason))
    }

    /// Voids an issued invoice (kept, marked, with the reason and who); its orders can be
    /// invoiced again.
    pub fn void_invoice(&mut self, number: &str, reason: &str, staff: &str) -> Result<InvoiceSummary> {
        self.require_admin()?;
        let (inv, reason) = self.correctable(number, reason, "取り消す理由を入力してください")?;
        let staff = normalize::tidy(staff);
        let reason = if staff.is_empty() { reason } else { format!("{reason}（{staff}）") };
        self.write_as(&staff, |tx| sql::void(tx, &inv.number, &reason, &now_stamp()))?;
        self.invoice(&inv.number)
    }

    /// Voids an invoice and issues its correction (same orders, today's data) in one transaction.
    pub fn reissue_invoice(&mut self, number: &str, reason: &str, staff: &str) -> Result<InvoiceSummary> {
        self.require_admin()?;
        let (old, reason) = self.correctable(number, reason, "訂正の理由を入力してください")?;
        if !old.issued {
            return Err(CoreError::conflict("number", format!("請求書 {} は旧システムから取り込んだもので、再発行できません", old.number)));
        }
        self.issue(
            &InvoiceRequest {
                staff: staff.into(),
                ..Default::default()
            },
            Some(&old),
            &reason,
        )
    }

    /// The PDF exactly as issued.
    pub fn invoice_pdf(&self, number: &str) -> Result<Vec<u8>> {
        let inv = self.invoice(number)?;
        sql::pdf(&self.conn, &inv.number)?.ok_or_else(|| {
            CoreError::not_found(format!(
                "請求書 {} は旧システムから取り込んだもので、PDFはありません",
                inv.number
            ))
        })
    }

    fn kept_document(&self, number: &str) -> Result<Document> {
        let inv = self.invoice(number)?;
        let json = sql::document(&self.conn, &inv.number)?.ok_or_else(|| {
            CoreError::not_found(format!(
                "請求書 {} は旧システムから取り込んだもので、印刷できる明細がありません",
                inv.number
            ))
        })?;
        let mut doc: Document = serde_json::from_str(&json).map_err(|e| {
            CoreError::new(
                ErrorCode::Database,
                format!("請求書 {} の保存データを読めません: {e}", inv.number),
            )
        })?;
        doc.voided = inv.voided_at.is_some();
        Ok(doc)
    }

    /// A delivery slip or a receipt from an issued invoice's kept data (a receipt only once the
    /// invoice is paid in full).
    pub fn invoice_document_pdf(&self, number: &str, kind: DocKind) -> Result<Vec<u8>> {
        if kind == DocKind::Invoice {
            return self.invoice_pdf(number);
        }
        let inv = self.invoice(number)?;
        if kind == DocKind::Receipt && (inv.status != InvoiceStatus::Paid) {
            return Err(CoreError::conflict(
                "kind",
                format!(
                    "請求書 {} は{}のため、領収書は出せません",
                    inv.number,
                    inv.status.label()
                ),
            ));
        }
        let mut doc = self.kept_document(&inv.number)?;
        doc.kind = kind;
        doc.due_on = None;
        render_documents(&[doc], &mut |_| {})
    }

    /// Many invoices (or their slips) in one PDF to print: the search's invoices issued by
    /// Teikibin, voided ones left out, oldest first.
    pub fn invoices_pdf(
        &self,
        q: &InvoiceSearch,
        kind: DocKind,
        progress: &mut dyn FnMut(PaperProgress),
    ) -> Result<(Vec<u8>, u64)> {
        let page = self.invoices(&InvoiceSearch {
            limit: Some(u32::MAX),
            ..q.clone()
        })?;
        let mut docs = Vec::new();
        let list: Vec<&InvoiceSummary> = page
            .invoices
            .iter()
            .rev()
            .filter(|i| i.issued && i.voided_at.is_none())
            .collect();
        if list.is_empty() {
            return Err(CoreError::new(
                ErrorCode::NotFound,
                "印刷する請求書がありません（条件を確かめてください）",
            ));
        }
        let total = list.len() as u64;
        for (i, inv) in list.iter().enumerate() {
            if i % 50 == 0 {
                progress(PaperProgress {
                    what: "データの準備".into(),
                    done: i as u64,
                    total,
                });
            }
            let mut doc = self.kept_document(&inv.number)?;
            if kind != DocKind::Invoice {
                doc.kind = kind;
                doc.due_on = None;
            }
            docs.push(doc);
        }
        let pdf = render_documents(&docs, &mut |n| {
            if n % 20 == 0 || n as u64 == total {
                progress(PaperProgress {
                    what: "PDFの作成".into(),
                    done: n as u64,
                    total,
                })
            }
        })?;
        Ok((pdf, total))
    }

    /// Delivery slips (納品書) to put into parcels: one per parcel, from its orders, in one PDF.
    pub fn delivery_slips_pdf(
        &self,
        req: &crate::shipping::b2::CarrierExportRequest,
        progress: &mut dyn FnMut(PaperProgress),
    ) -> Result<(Vec<u8>, u64)> {
        let (list, _) = self.export_set(req, false)?;
        let s = self.shop_settings()?;
        let total = list.len() as u64;
        let mut docs = Vec::with_capacity(list.len());
        for (i, p) in list.iter().enumerate() {
            if i % 50 == 0 {
                progress(PaperProgress {
                    what: "データの準備".into(),
                    done: i as u64,
                    total,
                });
            }
            let orders = p
                .orders
                .iter()
                .map(|n| self.order(n))
                .collect::<Result<Vec<_>>>()?;
            let mut recipient = self.recipient(&p.member)?;
            // The slip goes with the parcel: addressed as the parcel is.
            recipient.postal_code = p.postal_code.clone();
            recipient.address_lines = [p.address.clone(), p.building.clone()]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect();
            recipient.name = p.name.clone();
            recipient.company = p.company.clone();
            recipient.honorific = p.honorific.clone();
            let mut doc = document(
                DocKind::DeliverySlip,
                &p.number,
                &orders,
                recipient,
                p.ship_date,
                &s,
            );
            doc.notes.push(format!("受注番号: {}", p.orders.join("、")));
            docs.push(doc);
        }
        let pdf = render_documents(&docs, &mut |n| {
            if n % 20 == 0 || n as u64 == total {
                progress(PaperProgress {
                    what: "PDFの作成".into(),
                    done: n as u64,
                    total,
                })
            }
        })?;
        Ok((pdf, total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::pretend_today;
    use crate::orders::{OrderInput, OrderLineInput, PaymentMethod};
    use crate::shipping::tests::{day, shop};

    fn issue(db: &mut Db, req: InvoiceRequest) -> InvoiceSummary {
        db.issue_invoice(&InvoiceRequest { staff: "佐藤".into(), ..req }).unwrap()
    }

    #[test]
    fn tax_is_rounded_once_per_rate_on_the_whole_invoice() {
        let mut db = shop();
        let mut s = db.shop_settings().unwrap();
        s.prices_exclude_tax = true;
        s.shipping.free_over = Some(0);
        db.save_shop_settings(s).unwrap();
        // Three orders of ¥333 at 8% (tax-excluded): per order 26 × 3 = 78, once on ¥999: 79.
        for _ in 0..3 {
            db.create_order(&OrderInput {
                member: "M2".into(),
                lines: vec![OrderLineInput { product: "AO".into(), quantity: 1, unit_price: Some(333) }],
                payment_method: PaymentMethod::BankTransfer,
                ..Default::default()
            })
            .unwrap();
        }
        let inv = issue(&mut db, InvoiceRequest { member: "M2".into(), period: "2026-11".into(), ..Default::default() });
        assert_eq!(inv.orders.len(), 3, "the COD order is paid on delivery, not invoiced");
        let doc: Document = serde_json::from_str(&sql::document(&db.conn, &inv.number).unwrap().unwrap()).unwrap();
        let r8 = doc.rate_totals.iter().find(|r| r.rate == 8).unwrap();
        assert_eq!((r8.amount, r8.tax), (999 + 79, 79));
        assert_eq!(inv.amount, 1078);
        assert!(doc.lines.iter().all(|l| l.tax_rate == 8));
        assert_eq!(doc.issuer.registration_number, "T1180301018771");
        assert_eq!(doc.transaction_period, "2026年11月1日〜2026年11月30日");
        assert_eq!(doc.due_on, Some(day("2026-12-07")));
        pretend_today(None);
    }

    #[test]
    fn an_issued_invoice_is_never_altered_only_voided_and_reissued() {
        let mut db = shop();
        let first = db.orders(&Default::default()).unwrap().orders.last().unwrap().number.clone();
        let inv = issue(&mut db, InvoiceRequest { order: first.clone(), ..Default::default() });
        assert_eq!((inv.number.as_str(), inv.issued, inv.status), ("I0000001", true, InvoiceStatus::Open));
        let pdf = db.invoice_pdf(&inv.number).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        // Twice for one order: refused. The database itself refuses edits and deletes.
        let e = db.issue_invoice(&InvoiceRequest { order: first.clone(), ..Default::default() }).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::Conflict, Some("order")));
        assert!(db.conn.execute("UPDATE invoices SET amount = 1 WHERE number = 'I0000001'", []).is_err());
        assert!(db.conn.execute("UPDATE invoices SET pdf = x'00' WHERE number = 'I0000001'", []).is_err());
        assert!(db.conn.execute("DELETE FROM invoices WHERE number = 'I0000001'", []).is_err());
        assert!(db.conn.execute("DELETE FROM invoice_orders", []).is_err());
        // A correction voids the old one and names it.
        assert_eq!(db.reissue_invoice(&inv.number, "", "").unwrap_err().field.as_deref(), Some("reason"));
        let new = db.reissue_invoice(&inv.number, "宛名の誤り", "佐藤").unwrap();
        assert_eq!((new.number.as_str(), new.replaces.as_deref(), new.orders.clone()), ("I0000002", Some("I0000001"), vec![first.clone()]));
        let old = db.invoice(&inv.number).unwrap();
        assert_eq!((old.status, old.replaced_by.as_deref()), (InvoiceStatus::Void, Some("I0000002")));
        assert_eq!(db.invoice_pdf(&old.number).unwrap(), pdf, "the voided invoice keeps its PDF as issued");
        assert!(db.conn.execute("UPDATE invoices SET voided_at = NULL WHERE number = 'I0000001'", []).is_err());
        let doc: Document = serde_json::from_str(&sql::document(&db.conn, &new.number).unwrap().unwrap()).unwrap();
        assert!(doc.notes[0].contains("I0000001") && doc.notes[0].contains("宛名の誤り"), "{:?}", doc.notes);
        // Voiding frees the orders for a new invoice.
        db.void_invoice(&new.number, "二重請求", "").unwrap();
        assert!(db.issue_invoice(&InvoiceRequest { order: first, ..Default::default() }).is_ok());
        // A receipt only for a paid invoice.
        assert_eq!(db.invoice_document_pdf("I0000003", DocKind::Receipt).unwrap_err().code, ErrorCode::Conflict);
        assert!(db.invoice_document_pdf("I0000003", DocKind::DeliverySlip).unwrap().starts_with(b"%PDF"));
        pretend_today(None);
    }

    #[test]
    fn invoices_are_found_by_date_amount_and_member_combined() {
        let mut db = shop();
        let orders = db.orders(&Default::default()).unwrap().orders;
        for (o, date) in orders.iter().filter(|o| o.payment_method != Some(PaymentMethod::Cod)).zip(["2026-11-01", "2026-11-10", "2026-11-20"]) {
            issue(&mut db, InvoiceRequest { order: o.number.clone(), issued_on: date.into(), ..Default::default() });
        }
        let q = |from: &str, to: &str, min: Option<i64>, max: Option<i64>, member: &str| {
            db.invoices(&InvoiceSearch { from: from.into(), to: to.into(), min, max, member: member.into(), ..Default::default() })
                .unwrap()
                .invoices
                .iter()
                .map(|i| i.number.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(q("", "", None, None, "").len(), 3);
        assert_eq!(q("2026-11-05", "2026-11-30", None, None, "").len(), 2);
        // M1 has two: ¥1,800 (11-10) and ¥4,680 (11-20).
    assert_eq!(q("2026-11-05", "", Some(4000), None, "M1"), ["I0000003"]);
        assert_eq!(q("", "", None, Some(1000), "").len(), 0);
        assert_eq!(db.invoices(&InvoiceSearch { from: "2026-12-01".into(), to: "2026-11-01".into(), ..Default::default() }).unwrap_err().field.as_deref(), Some("to"));
        let (pdf, n) = db.invoices_pdf(&InvoiceSearch::default(), DocKind::Invoice, &mut |_| {}).unwrap();
        assert_eq!(n, 3);
        assert!(pdf.starts_with(b"%PDF"));
        pretend_today(None);
    }

    #[test]
    fn issuing_needs_the_registration_number() {
        let mut db = shop();
        let mut s = db.shop_settings().unwrap();
        s.invoice_registration_number.clear();
        db.save_shop_settings(s).unwrap();
        let e = db.issue_period_invoices("2026-11", "", &mut |_| {}).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("invoice_registration_number"));
        pretend_today(None);
    }
}
