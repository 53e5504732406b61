//! Orders (受注 / 売上伝票): phone and one-off orders typed by staff, and the orders the monthly
//! run makes from subscriptions. Amounts are integer yen; tax is computed on the order's totals
//! per rate and rounded once per rate (tax.rs), never per line. Shipping and cash-on-delivery
//! fees follow the shop's rules and are taxed at 10%. Orders are never deleted: a cancelled one
//! stays with its reason.
use crate::error::{CoreError, ErrorCode, Problems, Result};
use crate::clock::today;
use crate::members::MemberStatus;
use crate::normalize;
use crate::products::Product;
use crate::settings::ShopSettings;
use crate::store::{now_stamp, orders as sql, products as psql, Db};
use crate::tax;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OrderStatus {
    /// 受付
    Received,
    /// 出荷待ち
    Ready,
    /// 出荷済
    Shipped,
    /// 請求済
    Invoiced,
    /// 入金済
    Paid,
    /// キャンセル
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Received,
        OrderStatus::Ready,
        OrderStatus::Shipped,
        OrderStatus::Invoiced,
        OrderStatus::Paid,
        OrderStatus::Cancelled,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Received => "received",
            OrderStatus::Ready => "ready",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Invoiced => "invoiced",
            OrderStatus::Paid => "paid",
            OrderStatus::Cancelled => "cancelled",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Received => "受付",
            OrderStatus::Ready => "出荷待ち",
            OrderStatus::Shipped => "出荷済",
            OrderStatus::Invoiced => "請求済",
            OrderStatus::Paid => "入金済",
            OrderStatus::Cancelled => "キャンセル",
        }
    }
    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }
    fn rank(self) -> u8 {
        self as u8
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OrderKind {
    /// 都度購入 (phone, post card, fax, web)
    OneOff,
    /// 定期 (made by the monthly run)
    Subscription,
    /// 会費 (a membership course's renewal)
    Membership,
}

impl OrderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderKind::OneOff => "one_off",
            OrderKind::Subscription => "subscription",
            OrderKind::Membership => "membership",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            OrderKind::OneOff => "都度",
            OrderKind::Subscription => "定期",
            OrderKind::Membership => "会費",
        }
    }
    pub fn parse(s: &str) -> OrderKind {
        match s {
            "subscription" => OrderKind::Subscription,
            "membership" => OrderKind::Membership,
            _ => OrderKind::OneOff,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PaymentMethod {
    /// 銀行振込
    #[default]
    BankTransfer,
    /// 口座振替
    DirectDebit,
    /// 代金引換
    Cod,
    /// クレジットカード（決済は店外）
    Card,
    /// 現金
    Cash,
    /// 郵便振替
    PostalTransfer,
    Other,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 7] = [
        PaymentMethod::BankTransfer,
        PaymentMethod::DirectDebit,
        PaymentMethod::Cod,
        PaymentMethod::Card,
        PaymentMethod::Cash,
        PaymentMethod::PostalTransfer,
        PaymentMethod::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::BankTransfer => "bank_transfer",
            PaymentMethod::DirectDebit => "direct_debit",
            PaymentMethod::Cod => "cod",
            PaymentMethod::Card => "card",
            PaymentMethod::Cash => "cash",
            PaymentMethod::PostalTransfer => "postal_transfer",
            PaymentMethod::Other => "other",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::BankTransfer => "銀行振込",
            PaymentMethod::DirectDebit => "口座振替",
            PaymentMethod::Cod => "代金引換",
            PaymentMethod::Card => "クレジットカード",
            PaymentMethod::Cash => "現金",
            PaymentMethod::PostalTransfer => "郵便振替",
            PaymentMethod::Other => "その他",
        }
    }
    pub fn parse(s: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|x| x.as_str() == s)
    }
    /// What a subscription may be paid by (the rest are for one-off orders).
    pub fn for_subscriptions(self) -> bool {
        matches!(self, PaymentMethod::BankTransfer | PaymentMethod::DirectDebit | PaymentMethod::Cod | PaymentMethod::Card)
    }
}

/// 配達時間帯 as Yamato's codes (formats.md) and as staff say them.
pub const TIME_SLOTS: [(&str, &str); 6] =
    [("", "指定なし"), ("0812", "午前中"), ("1416", "14〜16時"), ("1618", "16〜18時"), ("1820", "18〜20時"), ("1921", "19〜21時")];

pub fn time_slot_label(code: &str) -> &'static str {
    TIME_SLOTS.iter().find(|t| t.0 == code).map(|t| t.1).unwrap_or("指定なし")
}

pub(crate) fn check_time_slot(p: &mut Problems, field: &str, slot: &str) -> String {
    let s = normalize::nfkc(slot).trim().to_string();
    if let Some(t) = TIME_SLOTS.iter().find(|t| t.0 == s || t.1 == s) {
        return t.0.to_string();
    }
    p.add(field, format!("配達時間帯「{s}」は指定できません（午前中・14〜16時・16〜18時・18〜20時・19〜21時）"));
    String::new()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderLineInput {
    /// Product code (or exact name).
    pub product: String,
    #[ts(type = "number")]
    pub quantity: i64,
    /// A price agreed on the phone instead of the product's; null: the product's.
    #[ts(type = "number | null")]
    pub unit_price: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct OrderInput {
    /// Member code.
    pub member: String,
    pub lines: Vec<OrderLineInput>,
    /// One of the member's delivery addresses; null: the member's own address.
    #[ts(type = "number | null")]
    pub address_id: Option<i64>,
    /// お届け希望日; empty: none.
    pub delivery_date: String,
    /// "" or a Yamato code (0812, 1416, …).
    pub time_slot: String,
    pub payment_method: PaymentMethod,
    /// A fee agreed instead of the shop's rule; null: the rule.
    #[ts(type = "number | null")]
    pub shipping_fee: Option<i64>,
    /// 電話, FAX, はがき, Web …
    pub channel: String,
    pub note: String,
    pub staff: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderLine {
    #[ts(type = "number | null")]
    pub product_id: Option<i64>,
    pub product_code: String,
    pub name: String,
    #[ts(type = "number")]
    pub quantity: i64,
    #[ts(type = "number")]
    pub unit_price: i64,
    #[ts(type = "number")]
    pub amount: i64,
    #[ts(type = "number")]
    pub tax_rate: i64,
}

/// An order's money: lines summed per rate (as entered, with or without tax per the shop's
/// setting), fees at 10%, tax rounded once per rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[ts(export)]
pub struct OrderTotals {
    /// Sum of the line amounts as entered.
    #[ts(type = "number")]
    pub goods: i64,
    #[ts(type = "number")]
    pub shipping_fee: i64,
    #[ts(type = "number")]
    pub cod_fee: i64,
    /// Tax-included total at 10% and the tax in it.
    #[ts(type = "number")]
    pub total_10: i64,
    #[ts(type = "number")]
    pub tax_10: i64,
    #[ts(type = "number")]
    pub total_8: i64,
    #[ts(type = "number")]
    pub tax_8: i64,
    #[ts(type = "number")]
    pub total: i64,
}

impl OrderTotals {
    pub fn compute(lines: &[OrderLine], shipping_fee: i64, cod_fee: i64, s: &ShopSettings) -> OrderTotals {
        let at = |rate| lines.iter().filter(|l| l.tax_rate == rate).map(|l| l.amount).sum::<i64>();
        let (sum_10, sum_8) = (at(10) + shipping_fee + cod_fee, at(8));
        let a10 = tax::per_rate(sum_10, 10, s.prices_exclude_tax, s.tax_rounding);
        let a8 = tax::per_rate(sum_8, 8, s.prices_exclude_tax, s.tax_rounding);
        OrderTotals {
            goods: lines.iter().map(|l| l.amount).sum(),
            shipping_fee,
            cod_fee,
            total_10: a10.total,
            tax_10: a10.tax,
            total_8: a8.total,
            tax_8: a8.tax,
            total: a10.total + a8.total,
        }
    }
}

/// The fees an order gets by the shop's rules: shipping (free over an amount, per region, none
/// when nothing is shipped or the course ships free) and COD (when paid on delivery).
pub(crate) fn fees(
    lines: &[(OrderLine, bool)],
    prefecture: &str,
    free_shipping: bool,
    method: PaymentMethod,
    s: &ShopSettings,
) -> (i64, i64) {
    let goods: i64 = lines.iter().map(|l| l.0.amount).sum();
    let ships = lines.iter().any(|l| l.1);
    let shipping = if !ships || free_shipping { 0 } else { s.shipping.fee(goods, prefecture) };
    let cod = if method == PaymentMethod::Cod { s.shipping.cod_fee(goods + shipping) } else { 0 };
    (shipping, cod)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderQuote {
    pub lines: Vec<OrderLine>,
    pub totals: OrderTotals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Order {
    #[ts(type = "number")]
    pub id: i64,
    pub number: String,
    /// Member code and name.
    pub member: String,
    pub member_name: String,
    pub kind: OrderKind,
    pub channel: String,
    #[ts(type = "number | null")]
    pub subscription_id: Option<i64>,
    /// Which delivery of the subscription this is (1 = first).
    #[ts(type = "number | null")]
    pub delivery_no: Option<i64>,
    pub scheduled_for: Option<NaiveDate>,
    pub ordered_on: NaiveDate,
    #[ts(type = "number | null")]
    pub address_id: Option<i64>,
    /// Who and where it goes, on one line.
    pub ship_to: String,
    pub delivery_date: Option<NaiveDate>,
    pub time_slot: String,
    pub payment_method: Option<PaymentMethod>,
    pub lines: Vec<OrderLine>,
    pub totals: OrderTotals,
    pub status: OrderStatus,
    pub status_since: Option<String>,
    pub cancel_reason: String,
    pub note: String,
    pub staff: String,
    pub created_at: String,
}

/// One line of the order list; also the CLI's `orders list` JSON shape (keep the keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub number: String,
    pub member: String,
    pub member_name: String,
    pub kind: OrderKind,
    /// The course's name for subscription orders.
    pub course: String,
    pub ordered_on: NaiveDate,
    pub delivery_date: Option<NaiveDate>,
    pub time_slot: String,
    pub payment_method: Option<PaymentMethod>,
    /// 「青汁 30包 ×1 ほか2点」
    pub items: String,
    #[ts(type = "number")]
    pub total: i64,
    pub status: OrderStatus,
    /// 同梱: orders of the same member and address not yet shipped and due within a week of each
    /// other share the number of the group's first order; null when alone.
    pub bundle: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct OrderFilter {
    /// YYYY-MM of the order date.
    pub month: Option<String>,
    /// Member code.
    pub member: Option<String>,
    pub status: Option<OrderStatus>,
    pub kind: Option<OrderKind>,
    /// At most this many, newest first (default 5,000).
    #[ts(type = "number | null")]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderPage {
    pub orders: Vec<OrderSummary>,
    /// How many match (the page may show fewer).
    #[ts(type = "number")]
    pub total: u64,
}

/// What a status change asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderStatusChange {
    pub status: OrderStatus,
    /// Required when cancelling.
    pub reason: String,
    pub staff: String,
}

/// Order lines priced from products: `unit_price` overrides the product's.
pub(crate) fn line(product: &Product, quantity: i64, unit_price: Option<i64>) -> OrderLine {
    let unit = unit_price.unwrap_or(product.unit_price);
    OrderLine {
        product_id: Some(product.id),
        product_code: product.code.clone(),
        name: product.name.clone(),
        quantity,
        unit_price: unit,
        amount: unit * quantity,
        tax_rate: product.tax_rate,
    }
}

impl Db {
    fn priced_lines(&self, input: &OrderInput, p: &mut Problems) -> Result<Vec<(OrderLine, bool)>> {
        let mut out = Vec::new();
        if input.lines.is_empty() {
            p.add("lines", "商品を1つ以上入力してください");
        }
        for (i, l) in input.lines.iter().enumerate() {
            let key = normalize::nfkc(&l.product).trim().to_string();
            let product = match psql::by_code(&self.conn, &key)? {
                Some(x) => Some(x),
                None => sql::product_by_name(&self.conn, &key)?,
            };
            let Some(product) = product else {
                p.add(&format!("lines.{i}.product"), format!("{}行目: 商品「{key}」は登録されていません", i + 1));
                continue;
            };
            if !product.active {
                p.add(&format!("lines.{i}.product"), format!("{}行目: {}（{}）は販売終了です", i + 1, product.name, product.code));
            }
            if !(1..=9999).contains(&l.quantity) {
                p.add(&format!("lines.{i}.quantity"), format!("{}行目: 数量は1〜9999で入力してください", i + 1));
            }
            if l.unit_price.is_some_and(|u| u < 0) {
                p.add(&format!("lines.{i}.unit_price"), format!("{}行目: 単価は0円以上で入力してください", i + 1));
            }
            out.push((line(&product, l.quantity.max(0), l.unit_price), product.shipped));
        }
        Ok(out)
    }

    /// Checks an order and prices it, without writing: what the phone screen shows live.
    /// `strict` off reports only what makes the totals impossible (for typing in progress).
    fn check_order(&self, input: &OrderInput) -> Result<(i64, CheckedOrder)> {
        let mut p = Problems::default();
        let code = normalize::nfkc(&input.member).trim().to_string();
        let (member_id, member) = self.member_with_id(&code).map_err(|e| e.at("member"))?;
        if member.merged_into.is_some() {
            p.add("member", format!("会員 {code} は名寄せで統合済みです（統合先: {}）", member.merged_into.clone().unwrap_or_default()));
        }
        if member.status == MemberStatus::Withdrawn {
            p.add("member", format!("会員 {code} は退会しています（再開してから受注してください）"));
        }
        let lines = self.priced_lines(input, &mut p)?;
        let prefecture = match input.address_id {
            None => member.prefecture.clone(),
            Some(a) => match crate::store::members::address(&self.conn, a)? {
                Some(addr) if !addr.archived && crate::store::orders::address_owner(&self.conn, a)? == Some(member_id) => addr.prefecture,
                _ => {
                    p.add("address_id", "お届け先がこの会員のものではないか、使われなくなっています");
                    member.prefecture.clone()
                }
            },
        };
        let delivery_date = p.check(normalize::date("delivery_date", "お届け希望日", &input.delivery_date)).flatten();
        if delivery_date.is_some_and(|d| d < today()) {
            p.add("delivery_date", "お届け希望日が過去の日付です");
        }
        let time_slot = check_time_slot(&mut p, "time_slot", &input.time_slot);
        if input.shipping_fee.is_some_and(|f| f < 0) {
            p.add("shipping_fee", "送料は0円以上で入力してください");
        }
        p.finish()?;
        let settings = self.shop_settings()?;
        let (rule_fee, cod_fee) = fees(&lines, &prefecture, false, input.payment_method, &settings);
        let shipping_fee = input.shipping_fee.unwrap_or(rule_fee);
        let lines: Vec<OrderLine> = lines.into_iter().map(|l| l.0).collect();
        let totals = OrderTotals::compute(&lines, shipping_fee, cod_fee, &settings);
        Ok((member_id, CheckedOrder { lines, totals, delivery_date, time_slot }))
    }

    /// The lines and totals an order would have (nothing written).
    pub fn quote_order(&self, input: &OrderInput) -> Result<OrderQuote> {
        let (_, c) = self.check_order(input)?;
        Ok(OrderQuote { lines: c.lines, totals: c.totals })
    }

    /// Enters a phone or one-off order (status 受付).
    pub fn create_order(&mut self, input: &OrderInput) -> Result<Order> {
        let (member_id, c) = self.check_order(input)?;
        let now = now_stamp();
        let new = sql::NewOrder {
            member_id,
            ordered_on: today(),
            channel: normalize::tidy(&input.channel),
            kind: OrderKind::OneOff,
            subscription_id: None,
            delivery_no: None,
            scheduled_for: None,
            month_run_id: None,
            address_id: input.address_id,
            delivery_date: c.delivery_date,
            time_slot: c.time_slot,
            payment_method: Some(input.payment_method),
            lines: c.lines,
            totals: c.totals,
            note: input.note.trim().to_string(),
            staff: normalize::tidy(&input.staff),
        };
        let number = self.write_as(&input.staff, |tx| {
            let n = sql::next_numbers(tx, 1)?.remove(0);
            sql::insert(tx, &n, &new, &now)?;
            Ok(n)
        })?;
        self.order(&number)
    }

    pub fn order(&self, number: &str) -> Result<Order> {
        let number = normalize::nfkc(number).trim().to_string();
        sql::by_number(&self.conn, &number)?.ok_or_else(|| CoreError::not_found(format!("受注番号 {number} は見つかりません")))
    }

    /// Orders newest first, filtered; with their 同梱 groups.
    pub fn orders(&self, filter: &OrderFilter) -> Result<OrderPage> {
        let member = match &filter.member {
            Some(code) if !code.trim().is_empty() => Some(self.member_with_id(code)?.0),
            _ => None,
        };
        let month = match filter.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => Some(
                crate::schedule::month_bounds(m).ok_or_else(|| CoreError::field("month", format!("月は YYYY-MM の形で指定してください（{m}）")))?,
            ),
            None => None,
        };
        sql::list(&self.conn, month, member, filter.status, filter.kind, filter.limit.unwrap_or(5000))
    }

    /// Moves an order along received → ready → shipped → invoiced → paid (forward, or one step
    /// back to correct a slip), or cancels it (with a reason) while it has not been shipped.
    pub fn change_order_status(&mut self, number: &str, change: &OrderStatusChange) -> Result<Order> {
        let order = self.order(number)?;
        let (from, to) = (order.status, change.status);
        let reason = normalize::tidy(&change.reason);
        let refuse = |m: String| Err(CoreError::new(ErrorCode::Conflict, m).at("status"));
        if from == to {
            return refuse(format!("受注 {} はすでに「{}」です", order.number, to.label()));
        }
        if from == OrderStatus::Cancelled {
            return refuse(format!("受注 {} はキャンセル済みです（新しい受注として入力してください）", order.number));
        }
        if to == OrderStatus::Cancelled {
            if from.rank() >= OrderStatus::Shipped.rank() {
                return refuse(format!("受注 {} は{}のためキャンセルできません（返品として扱ってください）", order.number, from.label()));
            }
            if reason.is_empty() {
                return Err(CoreError::field("reason", "キャンセルの理由を入力してください"));
            }
        } else if to.rank() + 1 < from.rank() {
            return refuse(format!("「{}」から「{}」へは戻せません（1段階ずつ戻せます）", from.label(), to.label()));
        }
        self.write_as(&change.staff, |tx| sql::set_status(tx, order.id, to, &reason, &normalize::tidy(&change.staff), &now_stamp()))?;
        self.order(&order.number)
    }
}

/// What the phone screen shows about the caller while the order is typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CallerContext {
    pub member: crate::members::Member,
    /// Delivery addresses in use (archived ones left out).
    pub addresses: Vec<crate::members::DeliveryAddress>,
    /// Subscriptions not stopped.
    pub subscriptions: Vec<crate::subscriptions::Subscription>,
    /// The latest orders, newest first.
    pub recent_orders: Vec<OrderSummary>,
    #[ts(type = "number")]
    pub orders_total: u64,
    /// Unpaid invoices and what is left to pay on them.
    #[ts(type = "number")]
    pub open_invoices: u64,
    #[ts(type = "number")]
    pub open_balance: i64,
}

impl Db {
    pub fn caller(&self, code: &str) -> Result<CallerContext> {
        let (id, member) = self.member_with_id(code)?;
        let page = self.orders(&OrderFilter { member: Some(member.code.clone()), limit: Some(10), ..Default::default() })?;
        let subscriptions = self
            .subscriptions(&crate::subscriptions::SubscriptionFilter { member: Some(member.code.clone()), ..Default::default() })?
            .subscriptions
            .into_iter()
            .filter(|s| s.status != crate::subscriptions::SubscriptionStatus::Stopped)
            .collect();
        let (open_invoices, open_balance) = crate::store::ledgers::member_balance(&self.conn, id)?;
        Ok(CallerContext {
            addresses: crate::store::members::addresses(&self.conn, id)?.into_iter().filter(|a| !a.archived).collect(),
            member,
            subscriptions,
            recent_orders: page.orders,
            orders_total: page.total,
            open_invoices,
            open_balance,
        })
    }
}

struct CheckedOrder {
    lines: Vec<OrderLine>,
    totals: OrderTotals,
    delivery_date: Option<NaiveDate>,
    time_slot: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::MemberInput;
    use crate::products::ProductInput;
    use crate::settings::TaxRounding;

    fn shop() -> Db {
        let mut db = Db::open_in_memory().unwrap();
        for (code, name, price, rate) in [("AO", "青汁 30包", 3980, 8), ("CUP", "シェイカー", 550, 10), ("KAI", "年会費", 3000, 10)] {
            db.save_product(None, ProductInput { code: code.into(), name: name.into(), unit_price: price, tax_rate: rate, shipped: code != "KAI", ..Default::default() })
                .unwrap();
        }
        let m = |name: &str, pref: &str| MemberInput {
            name: name.into(),
            kana: "テスト".into(),
            postal_code: "100-0001".into(),
            prefecture: pref.into(),
            city: "千代田区".into(),
            street: "1-1".into(),
            phone: "03-1234-5678".into(),
            ..Default::default()
        };
        db.create_member(&MemberInput { code: "M1".into(), ..m("山田 花子", "東京都") }, "").unwrap();
        db.create_member(&MemberInput { code: "M2".into(), ..m("北 一郎", "北海道") }, "").unwrap();
        db
    }

    fn order(member: &str, lines: &[(&str, i64)], pay: PaymentMethod) -> OrderInput {
        OrderInput {
            member: member.into(),
            lines: lines.iter().map(|(p, q)| OrderLineInput { product: p.to_string(), quantity: *q, unit_price: None }).collect(),
            payment_method: pay,
            channel: "電話".into(),
            ..Default::default()
        }
    }

    #[test]
    fn tax_is_rounded_once_per_rate_not_per_line() {
        let mut db = shop();
        let mut s = db.shop_settings().unwrap();
        s.prices_exclude_tax = true;
        s.tax_rounding = TaxRounding::Floor;
        s.shipping.free_over = Some(0);
        db.save_shop_settings(s).unwrap();
        // Three lines of ¥333 (tax-excluded) at 8%: per line 26.64 → 26 × 3 = 78; once on ¥999: 79.92 → 79.
        let mut input = order("M1", &[("AO", 1), ("AO", 1), ("AO", 1)], PaymentMethod::BankTransfer);
        for l in &mut input.lines {
            l.unit_price = Some(333);
        }
        input.lines.push(OrderLineInput { product: "CUP".into(), quantity: 3, unit_price: Some(333) });
        let q = db.quote_order(&input).unwrap();
        assert_eq!((q.totals.tax_8, q.totals.total_8), (79, 1078));
        assert_eq!((q.totals.tax_10, q.totals.total_10), (99, 1098));
        assert_eq!(q.totals.total, 2176);
    }

    #[test]
    fn shipping_and_cod_fees_follow_the_rules() {
        let db = shop();
        // ¥550 to Tokyo: flat ¥700; COD on ¥1,250 → ¥330.
        let q = db.quote_order(&order("M1", &[("CUP", 1)], PaymentMethod::Cod)).unwrap();
        assert_eq!((q.totals.shipping_fee, q.totals.cod_fee, q.totals.total), (700, 330, 1580));
        // Hokkaido: ¥1,200. Over ¥5,000: free anywhere.
        assert_eq!(db.quote_order(&order("M2", &[("CUP", 1)], PaymentMethod::BankTransfer)).unwrap().totals.shipping_fee, 1200);
        assert_eq!(db.quote_order(&order("M2", &[("AO", 2)], PaymentMethod::BankTransfer)).unwrap().totals.shipping_fee, 0);
        // A membership fee alone ships nothing.
        assert_eq!(db.quote_order(&order("M1", &[("KAI", 1)], PaymentMethod::BankTransfer)).unwrap().totals.shipping_fee, 0);
        // Tax-included prices: 8% on ¥3,980 → 294; 10% on ¥550 + ¥700 → 113.
        let q = db.quote_order(&order("M1", &[("AO", 1), ("CUP", 1)], PaymentMethod::BankTransfer)).unwrap();
        assert_eq!((q.totals.tax_8, q.totals.tax_10, q.totals.total), (294, 113, 5230));
    }

    #[test]
    fn an_order_is_entered_moved_along_and_cancelled_but_never_removed() {
        let mut db = shop();
        let e = db.create_order(&order("M1", &[("NOPE", 1), ("CUP", 0)], PaymentMethod::Cod)).unwrap_err();
        let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["lines.0.product", "lines.1.quantity"]);
        let o = db.create_order(&OrderInput { time_slot: "午前中".into(), ..order("M1", &[("AO", 2)], PaymentMethod::BankTransfer) }).unwrap();
        assert_eq!((o.status, o.time_slot.as_str(), o.kind, o.totals.total), (OrderStatus::Received, "0812", OrderKind::OneOff, 7960));
        let o2 = db.create_order(&order("M1", &[("CUP", 1)], PaymentMethod::BankTransfer)).unwrap();
        assert_ne!(o.number, o2.number);
        let page = db.orders(&OrderFilter::default()).unwrap();
        assert_eq!(page.total, 2);
        // Same member, same address, not shipped: one parcel.
        assert!(page.orders.iter().all(|x| x.bundle.as_deref() == Some(o.number.as_str())), "{page:?}");
        let ch = |s: OrderStatus, r: &str| OrderStatusChange { status: s, reason: r.into(), staff: "佐藤".into() };
        assert_eq!(db.change_order_status(&o2.number, &ch(OrderStatus::Cancelled, "")).unwrap_err().field.as_deref(), Some("reason"));
        db.change_order_status(&o2.number, &ch(OrderStatus::Cancelled, "お客様都合")).unwrap();
        let o = db.change_order_status(&o.number, &ch(OrderStatus::Shipped, "")).unwrap();
        assert_eq!(o.status, OrderStatus::Shipped);
        assert_eq!(db.change_order_status(&o.number, &ch(OrderStatus::Cancelled, "x")).unwrap_err().code, ErrorCode::Conflict);
        assert_eq!(db.change_order_status(&o.number, &ch(OrderStatus::Received, "")).unwrap_err().code, ErrorCode::Conflict);
        let page = db.orders(&OrderFilter::default()).unwrap();
        assert_eq!(page.total, 2);
        assert!(page.orders.iter().all(|x| x.bundle.is_none()));
        let cancelled = db.orders(&OrderFilter { status: Some(OrderStatus::Cancelled), ..Default::default() }).unwrap();
        assert_eq!(cancelled.orders[0].number, o2.number);
    }
}
