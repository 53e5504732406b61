//! Subscriptions (定期契約): one member on one course, with its own next date, address, time slot
//! and payment method, and its lifecycle — skip (スキップ), switch (スイッチ), stop (ストップ), pause
//! and resume (休止・再開), restart — each an event with date, staff and reason, kept forever.
//! A withdrawn member's subscriptions stop; a suspended member's pause and resume with them.
use crate::courses::Course;
use crate::error::{CoreError, ErrorCode, Problems, Result};
use crate::clock::today;
use crate::members::MemberStatus;
use crate::normalize;
use crate::orders::{check_time_slot, line, OrderLine, PaymentMethod};
use crate::products::Product;
use crate::schedule::{interval_label, IntervalUnit, Schedule};
use crate::settings::SwitchPrice;
use crate::store::subscriptions::{self as sql, NewEvent, SubRow};
use crate::store::{courses as csql, now_stamp, Db};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SubscriptionStatus {
    /// 継続中
    Active,
    /// 休止中
    Paused,
    /// 解約
    Stopped,
}

impl SubscriptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Active => "active",
            SubscriptionStatus::Paused => "paused",
            SubscriptionStatus::Stopped => "stopped",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            SubscriptionStatus::Active => "継続中",
            SubscriptionStatus::Paused => "休止中",
            SubscriptionStatus::Stopped => "解約",
        }
    }
    pub fn parse(s: &str) -> SubscriptionStatus {
        match s {
            "paused" => SubscriptionStatus::Paused,
            "stopped" => SubscriptionStatus::Stopped,
            _ => SubscriptionStatus::Active,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EventKind {
    Started,
    Skip,
    SkipCancelled,
    Switch,
    Pause,
    Resume,
    Stop,
    Restart,
    Changed,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Started => "started",
            EventKind::Skip => "skip",
            EventKind::SkipCancelled => "skip_cancelled",
            EventKind::Switch => "switch",
            EventKind::Pause => "pause",
            EventKind::Resume => "resume",
            EventKind::Stop => "stop",
            EventKind::Restart => "restart",
            EventKind::Changed => "changed",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Started => "申込",
            EventKind::Skip => "スキップ",
            EventKind::SkipCancelled => "スキップ取消",
            EventKind::Switch => "コース変更",
            EventKind::Pause => "休止",
            EventKind::Resume => "再開",
            EventKind::Stop => "解約",
            EventKind::Restart => "再契約",
            EventKind::Changed => "変更",
        }
    }
    pub fn parse(s: &str) -> EventKind {
        [
            EventKind::Started,
            EventKind::Skip,
            EventKind::SkipCancelled,
            EventKind::Switch,
            EventKind::Pause,
            EventKind::Resume,
            EventKind::Stop,
            EventKind::Restart,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .unwrap_or(EventKind::Changed)
    }
}

/// One subscription; also the CLI's `subscriptions list` JSON shape (keep the keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Subscription {
    #[ts(type = "number")]
    pub id: i64,
    pub legacy_id: Option<String>,
    /// Member code and name.
    pub member: String,
    pub member_name: String,
    /// フリガナ, for finding a subscription by the member's reading.
    pub member_kana: String,
    /// Course code; null for a subscription brought from the old system not yet put on a course.
    pub course: Option<String>,
    pub course_name: String,
    /// The product of a subscription without a course (old system).
    pub product: Option<String>,
    #[ts(type = "number")]
    pub quantity: i64,
    pub interval_unit: IntervalUnit,
    #[ts(type = "number")]
    pub interval_count: i64,
    pub interval_label: String,
    #[ts(type = "number | null")]
    pub anchor_day: Option<i64>,
    pub next_date: Option<NaiveDate>,
    /// Price per delivery agreed for this subscription; null: the course's prices.
    #[ts(type = "number | null")]
    pub price_override: Option<i64>,
    pub payment_method: PaymentMethod,
    pub status: SubscriptionStatus,
    pub status_since: Option<NaiveDate>,
    pub paused_until: Option<NaiveDate>,
    /// Membership courses: paid up to this day.
    pub valid_until: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    /// Deliveries made so far.
    #[ts(type = "number")]
    pub deliveries: i64,
    #[ts(type = "number | null")]
    pub address_id: Option<i64>,
    pub time_slot: String,
    pub stop_reason: String,
    /// 申込経路: how the subscription was taken (電話, Web, はがき …); empty when not known.
    pub channel: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SubscriptionEvent {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: EventKind,
    pub happened_on: NaiveDate,
    /// skip: the delivery skipped; pause: until (null: indefinitely); resume/restart/switch: from.
    pub target_date: Option<NaiveDate>,
    pub from_course: Option<String>,
    pub to_course: Option<String>,
    pub reason: String,
    pub detail: String,
    pub staff: String,
    /// A skip taken back.
    pub cancelled: bool,
    pub created_at: String,
}

/// A delivery to come, as the schedule and the price rules say now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpcomingDelivery {
    pub date: NaiveDate,
    #[ts(type = "number")]
    pub delivery_no: i64,
    /// Goods total as entered (with or without tax per the shop's setting); null when skipped.
    #[ts(type = "number | null")]
    pub amount: Option<i64>,
    /// Set when skipped: the reason.
    pub skipped: Option<String>,
    /// The order already made for it by a monthly run.
    pub order: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SubscriptionDetail {
    pub subscription: Subscription,
    pub course: Option<Course>,
    /// Newest first.
    pub events: Vec<SubscriptionEvent>,
    pub upcoming: Vec<UpcomingDelivery>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct SubscriptionInput {
    /// Member code.
    pub member: String,
    /// Course code.
    pub course: String,
    /// 申込日; empty: today.
    pub start_on: String,
    /// The first delivery; empty: the course's first delivery day on or after the start.
    pub first_delivery: String,
    #[ts(type = "number | null")]
    pub address_id: Option<i64>,
    pub time_slot: String,
    pub payment_method: PaymentMethod,
    #[ts(type = "number | null")]
    pub price_override: Option<i64>,
    /// Sets of the course's items per delivery (default 1).
    #[ts(type = "number")]
    pub quantity: i64,
    /// 申込経路 (free text; the window offers 電話, Web, はがき, FAX, 紹介 …).
    pub channel: String,
    pub staff: String,
}

/// What staff do to a subscription. Dates are typed as in forms, with the year (2026-12-10,
/// 2026/12/10, 令和8年12月10日); the screens fill in the year when staff type only 12/10.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
#[ts(export)]
pub enum SubscriptionAction {
    /// Skip one delivery: the given date, or the next one.
    Skip { date: Option<String>, reason: String },
    /// Take a skip back.
    CancelSkip {
        #[ts(type = "number")]
        event_id: i64,
    },
    /// Change course from the next delivery on.
    Switch { course: String, reason: String },
    /// Pause until a date (deliveries from that day on resume by themselves) or indefinitely.
    Pause { until: Option<String>, reason: String },
    /// Resume a pause; the next delivery is the given date or the first scheduled day from today.
    Resume { next_date: Option<String> },
    /// Cancel (解約). Before the course's minimum deliveries only with `allow_early`.
    Stop { reason: String, allow_early: bool },
    /// Start a stopped subscription again.
    Restart { next_date: Option<String> },
    /// Change delivery address, time slot, payment, quantity, price or the next date.
    Change {
        #[ts(type = "number | null")]
        address_id: Option<i64>,
        time_slot: String,
        payment_method: PaymentMethod,
        #[ts(type = "number")]
        quantity: i64,
        #[ts(type = "number | null")]
        price_override: Option<i64>,
        next_date: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct SubscriptionFilter {
    pub member: Option<String>,
    pub status: Option<SubscriptionStatus>,
    pub course: Option<String>,
    #[ts(type = "number | null")]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SubscriptionPage {
    pub subscriptions: Vec<Subscription>,
    #[ts(type = "number")]
    pub total: u64,
}

impl SubRow {
    pub(crate) fn schedule(&self) -> Schedule {
        Schedule::new(self.unit, self.count, self.anchor_day, self.next_date.or(self.started_on).unwrap_or_else(today))
    }

    fn public(&self, courses: &HashMap<i64, String>, products: &HashMap<i64, String>) -> Subscription {
        Subscription {
            id: self.id,
            legacy_id: self.legacy_id.clone(),
            member: self.member_code.clone(),
            member_name: self.member_name.clone(),
            member_kana: self.member_kana.clone(),
            course: self.course_id.and_then(|c| courses.get(&c).cloned()),
            course_name: self.course_name.clone(),
            product: self.product_id.and_then(|p| products.get(&p).cloned()),
            quantity: self.quantity,
            interval_unit: self.unit,
            interval_count: self.count,
            interval_label: interval_label(self.unit, self.count),
            anchor_day: self.anchor_day,
            next_date: self.next_date,
            price_override: self.price_override,
            payment_method: self.payment_method,
            status: self.status,
            status_since: self.status_since,
            paused_until: self.paused_until,
            valid_until: self.valid_until,
            started_on: self.started_on,
            deliveries: self.deliveries,
            address_id: self.address_id,
            time_slot: self.time_slot.clone(),
            stop_reason: self.stop_reason.clone(),
            channel: String::new(),
        }
    }
}

/// The lines of one delivery: the course's items (times the subscription's quantity), or the
/// old system's single product; priced by the subscription's own price, else the course's rule
/// for this delivery number (a price for the whole delivery is spread over the items in
/// proportion to their list prices, so each keeps its tax rate), else list prices.
/// None when the subscription has nothing to deliver.
pub(crate) fn delivery_lines(
    sub: &SubRow,
    course: Option<&Course>,
    products: &HashMap<i64, Product>,
    delivery_no: i64,
) -> Option<Vec<(OrderLine, bool)>> {
    let items: Vec<(&Product, i64)> = match course {
        Some(c) => c.items.iter().map(|i| (&i.product, i.quantity * sub.quantity)).collect(),
        None => vec![(products.get(&sub.product_id?)?, sub.quantity)],
    };
    if items.is_empty() {
        return None;
    }
    let mut lines: Vec<(OrderLine, bool)> = items.iter().map(|(p, q)| (line(p, *q, None), p.shipped)).collect();
    let n = (delivery_no - sub.course_start_count).max(1);
    let rule = course.and_then(|c| c.price_for(n));
    let set_price = sub.price_override.or(rule.and_then(|r| r.price));
    if let Some(total) = set_price {
        spread(&mut lines, total);
    } else if let Some(d) = rule.and_then(|r| r.discount_percent) {
        for (l, _) in &mut lines {
            l.unit_price = l.unit_price * (100 - d) / 100;
            l.amount = l.unit_price * l.quantity;
        }
    }
    Some(lines)
}

/// Spreads a delivery's price over its lines in proportion to their list amounts (largest
/// remainder on the largest line), so the lines sum to exactly `total`.
fn spread(lines: &mut [(OrderLine, bool)], total: i64) {
    let list: i64 = lines.iter().map(|l| l.0.amount).sum();
    let mut given = 0;
    for (l, _) in lines.iter_mut() {
        l.amount = if list == 0 { 0 } else { total * l.amount / list };
        given += l.amount;
    }
    let biggest = (0..lines.len()).max_by_key(|&i| (lines[i].0.amount, std::cmp::Reverse(i))).unwrap_or(0);
    lines[biggest].0.amount += total - given;
    for (l, _) in lines.iter_mut() {
        l.unit_price = if l.quantity > 0 { l.amount / l.quantity } else { l.amount };
    }
}

pub(crate) fn products_by_id(c: &Connection) -> Result<HashMap<i64, Product>> {
    Ok(crate::store::products::all(c)?.into_iter().map(|p| (p.id, p)).collect())
}

pub(crate) fn courses_by_id(c: &Connection) -> Result<HashMap<i64, Course>> {
    Ok(csql::all(c)?.into_iter().map(|c| (c.id, c)).collect())
}

fn reason(p: &mut Problems, raw: &str, what: &str) -> String {
    let r = normalize::tidy(raw);
    if r.is_empty() {
        p.add("reason", format!("{what}の理由を選んでください"));
    }
    r
}

impl Db {
    fn sub_row(&self, id: i64) -> Result<SubRow> {
        sql::by_id(&self.conn, id)?.ok_or_else(|| CoreError::not_found(format!("定期契約 {id} は見つかりません")))
    }

    fn code_maps(&self) -> Result<(HashMap<i64, String>, HashMap<i64, String>)> {
        let courses = csql::all(&self.conn)?.into_iter().map(|c| (c.id, c.code)).collect();
        let products = crate::store::products::all(&self.conn)?.into_iter().map(|p| (p.id, p.code)).collect();
        Ok((courses, products))
    }

    /// Subscriptions by member code, filtered.
    pub fn subscriptions(&self, filter: &SubscriptionFilter) -> Result<SubscriptionPage> {
        let member = match filter.member.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            Some(code) => Some(self.member_with_id(code)?.0),
            None => None,
        };
        let course = match filter.course.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => Some(self.course(code)?.id),
            None => None,
        };
        let (rows, total) = sql::list(&self.conn, member, filter.status, course, filter.limit.unwrap_or(50_000))?;
        let (courses, products) = self.code_maps()?;
        let channels = self.channels()?;
        let subscriptions = rows
            .iter()
            .map(|r| Subscription { channel: channels.get(&r.id).cloned().unwrap_or_default(), ..r.public(&courses, &products) })
            .collect();
        Ok(SubscriptionPage { subscriptions, total })
    }

    /// 申込経路 by subscription (none before schema 7, which the migration tests still open).
    fn channels(&self) -> Result<HashMap<i64, String>> {
        if self.schema_version()? < 7 {
            return Ok(HashMap::new());
        }
        sql::channels(&self.conn)
    }

    fn channel_of(&self, id: i64) -> Result<String> {
        if self.schema_version()? < 7 {
            return Ok(String::new());
        }
        sql::channel_of(&self.conn, id)
    }

    /// A subscription with its course, its events and the next deliveries.
    pub fn subscription(&self, id: i64) -> Result<SubscriptionDetail> {
        let row = self.sub_row(id)?;
        let (codes, pcodes) = self.code_maps()?;
        let course = match row.course_id {
            Some(c) => csql::by_id(&self.conn, c)?,
            None => None,
        };
        let mut upcoming = Vec::new();
        if let (Some(mut d), true) = (row.next_date, row.status != SubscriptionStatus::Stopped) {
            let skips: HashMap<NaiveDate, String> = sql::skips(&self.conn, id, d)?.into_iter().collect();
            let products = products_by_id(&self.conn)?;
            let schedule = row.schedule();
            let mut n = row.deliveries + 1;
            for _ in 0..6 {
                let skipped = skips.get(&d).cloned();
                let amount = if skipped.is_some() {
                    None
                } else {
                    delivery_lines(&row, course.as_ref(), &products, n).map(|l| l.iter().map(|x| x.0.amount).sum())
                };
                let order = sql::order_for(&self.conn, id, d)?;
                upcoming.push(UpcomingDelivery { date: d, delivery_no: n, amount, skipped: skipped.map(|r| if r.is_empty() { "スキップ".into() } else { r }), order });
                if upcoming.last().is_some_and(|u| u.skipped.is_none()) {
                    n += 1;
                }
                d = schedule.after(d);
            }
        }
        Ok(SubscriptionDetail {
            subscription: Subscription { channel: self.channel_of(id)?, ..row.public(&codes, &pcodes) },
            course,
            events: sql::events(&self.conn, id)?,
            upcoming,
        })
    }

    /// Starts a member on a course.
    pub fn create_subscription(&mut self, input: &SubscriptionInput) -> Result<SubscriptionDetail> {
        let mut p = Problems::default();
        let (member_id, member) = self.member_with_id(&input.member).map_err(|e| e.at("member"))?;
        if member.status != MemberStatus::Active || member.merged_into.is_some() {
            p.add("member", format!("会員 {} は{}のため定期を申し込めません", member.code, if member.merged_into.is_some() { "統合済み" } else { member.status.label() }));
        }
        let course = self.course(&input.course).map_err(|e| e.at("course"))?;
        if !course.active {
            p.add("course", format!("コース「{}」は受付を終了しています", course.name));
        }
        let start = p.check(normalize::date("start_on", "申込日", &input.start_on)).flatten().unwrap_or_else(today);
        let first = p.check(normalize::date("first_delivery", "初回お届け日", &input.first_delivery)).flatten();
        self.check_address(&mut p, member_id, input.address_id)?;
        let time_slot = check_time_slot(&mut p, "time_slot", &input.time_slot);
        if !input.payment_method.for_subscriptions() {
            p.add("payment_method", "定期の支払方法は 銀行振込・口座振替・代金引換・クレジットカード のいずれかです");
        }
        let quantity = if input.quantity == 0 { 1 } else { input.quantity };
        if !(1..=99).contains(&quantity) {
            p.add("quantity", "数量は1〜99で入力してください");
        }
        if input.price_override.is_some_and(|v| v < 0) {
            p.add("price_override", "価格は0円以上で入力してください");
        }
        p.finish()?;
        let anchor = course.day_of_month.or(first.map(|d| chrono::Datelike::day(&d) as i64));
        let schedule = Schedule::new(course.interval_unit, course.interval_count, anchor, first.unwrap_or(start));
        let next = first.unwrap_or_else(|| schedule.first_delivery(start, course.weekday.map(|w| w as u32)));
        let anchor = (course.interval_unit == IntervalUnit::Month).then_some(anchor.unwrap_or(chrono::Datelike::day(&next) as i64));
        let now = now_stamp();
        let staff = normalize::tidy(&input.staff);
        let id = self.write_as(&staff, |tx| {
            let id = sql::insert(
                tx,
                &sql::NewSub {
                    member_id,
                    course_id: course.id,
                    course_name: &course.name,
                    quantity,
                    unit: course.interval_unit,
                    count: course.interval_count,
                    anchor_day: anchor,
                    next_date: next,
                    price_override: input.price_override,
                    payment_method: input.payment_method,
                    started_on: start,
                    address_id: input.address_id,
                    time_slot: &time_slot,
                    channel: &normalize::tidy(&input.channel),
                },
                &now,
            )?;
            sql::add_event(
                tx,
                &NewEvent {
                    subscription_id: id,
                    kind: EventKind::Started,
                    happened_on: start,
                    target_date: Some(next),
                    from_course_id: None,
                    to_course_id: Some(course.id),
                    reason: "",
                    detail: &format!("{}（{}）、初回 {next}", course.name, course.interval_label),
                    staff: &staff,
                },
                &now,
            )?;
            Ok(id)
        })?;
        self.subscription(id)
    }

    fn check_address(&self, p: &mut Problems, member_id: i64, address_id: Option<i64>) -> Result<()> {
        if let Some(a) = address_id {
            let ok = crate::store::orders::address_owner(&self.conn, a)? == Some(member_id)
                && crate::store::members::address(&self.conn, a)?.is_some_and(|x| !x.archived);
            if !ok {
                p.add("address_id", "お届け先がこの会員のものではないか、使われなくなっています");
            }
        }
        Ok(())
    }

    /// Skip, switch, pause, resume, stop, restart or change a subscription; the event is kept.
    pub fn subscription_action(&mut self, id: i64, action: &SubscriptionAction, staff: &str) -> Result<SubscriptionDetail> {
        let mut s = self.sub_row(id)?;
        let before = s.clone();
        let mut p = Problems::default();
        let on = today();
        let staff = normalize::tidy(staff);
        let schedule = s.schedule();
        let refuse = |m: String| Err(CoreError::new(ErrorCode::Conflict, m));
        let is = |x: SubscriptionStatus| s.status == x;
        let event = |kind, target: Option<NaiveDate>, reason: String, detail: String| (kind, target, reason, detail, None::<i64>, None::<i64>);
        let ev;
        let mut cancel_event = None;
        match action {
            SubscriptionAction::Skip { date, reason: r } => {
                if is(SubscriptionStatus::Stopped) {
                    return refuse("解約済みの定期はスキップできません".into());
                }
                let next = s.next_date.ok_or_else(|| CoreError::field("date", "次回お届け日が未設定です"))?;
                let target = p.check(normalize::date("date", "スキップする日", date.as_deref().unwrap_or(""))).flatten().unwrap_or(next);
                let r = reason(&mut p, r, "スキップ");
                p.finish()?;
                if target < next || schedule.first_on_or_after(next, target) != target {
                    return Err(CoreError::field("date", format!("{target} はお届け予定日ではありません（次回は {next}）")));
                }
                if let Some(n) = sql::order_for(&self.conn, id, target)? {
                    return refuse(format!("{target} の受注 {n} は作成済みです（受注をキャンセルしてください）"));
                }
                if sql::skips(&self.conn, id, target)?.iter().any(|x| x.0 == target) {
                    return refuse(format!("{target} はすでにスキップになっています"));
                }
                ev = event(EventKind::Skip, Some(target), r, String::new());
            }
            SubscriptionAction::CancelSkip { event_id } => {
                let Some((target, cancelled)) = sql::skip_event(&self.conn, id, *event_id)? else {
                    return Err(CoreError::not_found("そのスキップは見つかりません"));
                };
                if cancelled {
                    return refuse("そのスキップはすでに取り消されています".into());
                }
                if target.is_some_and(|t| s.next_date.is_none_or(|n| t < n)) {
                    return refuse("過ぎた回のスキップは取り消せません".into());
                }
                cancel_event = Some(*event_id);
                ev = event(EventKind::SkipCancelled, target, String::new(), String::new());
            }
            SubscriptionAction::Switch { course, reason: r } => {
                if is(SubscriptionStatus::Stopped) {
                    return refuse("解約済みの定期はコース変更できません（再契約してください）".into());
                }
                let to = self.course(course).map_err(|e| e.at("course"))?;
                if Some(to.id) == s.course_id {
                    p.add("course", format!("すでに「{}」です", to.name));
                }
                if !to.active {
                    p.add("course", format!("コース「{}」は受付を終了しています", to.name));
                }
                let r = reason(&mut p, r, "コース変更");
                p.finish()?;
                let rule = self.shop_settings()?.switch_price;
                let from = s.course_id;
                let from_name = s.course_name.clone();
                s.course_id = Some(to.id);
                s.course_name = to.name.clone();
                s.product_id = None;
                s.unit = to.interval_unit;
                s.count = to.interval_count;
                s.anchor_day = match to.interval_unit {
                    IntervalUnit::Month => to.day_of_month.or(s.anchor_day).or(s.next_date.map(|d| chrono::Datelike::day(&d) as i64)),
                    _ => None,
                };
                s.price_override = None;
                if rule == SwitchPrice::Restart {
                    s.course_start_count = s.deliveries;
                }
                let detail = format!(
                    "{from_name} → {}（{}から、価格は{}）",
                    to.name,
                    s.next_date.map(|d| d.to_string()).unwrap_or_default(),
                    if rule == SwitchPrice::Restart { "新しいコースの初回から" } else { "回数を引き継ぎ" }
                );
                ev = (EventKind::Switch, s.next_date, r, detail, from, Some(to.id));
            }
            SubscriptionAction::Pause { until, reason: r } => {
                if !is(SubscriptionStatus::Active) {
                    return refuse(format!("{}の定期は休止できません", s.status.label()));
                }
                let until = p.check(normalize::date("until", "再開日", until.as_deref().unwrap_or(""))).flatten();
                if until.is_some_and(|u| u <= on) {
                    p.add("until", "再開日は明日以降の日付にしてください");
                }
                let r = reason(&mut p, r, "休止");
                p.finish()?;
                s.status = SubscriptionStatus::Paused;
                s.status_since = Some(on);
                s.paused_until = until;
                let detail = until.map(|u| format!("{u} まで")).unwrap_or_else(|| "再開日未定".into());
                ev = event(EventKind::Pause, until, r, detail);
            }
            SubscriptionAction::Resume { next_date } => {
                if !is(SubscriptionStatus::Paused) {
                    return refuse("休止中ではありません".into());
                }
                let next = self.restart_date(&mut p, &s, next_date.as_deref(), on)?;
                p.finish()?;
                s.status = SubscriptionStatus::Active;
                s.status_since = Some(on);
                s.paused_until = None;
                s.next_date = Some(next);
                ev = event(EventKind::Resume, Some(next), String::new(), format!("次回 {next}"));
            }
            SubscriptionAction::Stop { reason: r, allow_early } => {
                if is(SubscriptionStatus::Stopped) {
                    return refuse("すでに解約されています".into());
                }
                let r = reason(&mut p, r, "解約");
                p.finish()?;
                let min = match s.course_id {
                    Some(c) => csql::by_id(&self.conn, c)?.map(|c| c.min_deliveries).unwrap_or(0),
                    None => 0,
                };
                if s.deliveries < min && !allow_early {
                    return Err(CoreError::new(
                        ErrorCode::Conflict,
                        format!("最低継続回数（{min}回）に達していません（現在 {}回）。それでも解約する場合は確認のうえ解約してください", s.deliveries),
                    )
                    .at("allow_early"));
                }
                s.status = SubscriptionStatus::Stopped;
                s.status_since = Some(on);
                s.paused_until = None;
                s.stop_reason = r.clone();
                let detail = if s.deliveries < min { format!("最低継続回数 {min}回 未満（{}回）で解約", s.deliveries) } else { format!("{}回お届け", s.deliveries) };
                ev = event(EventKind::Stop, None, r, detail);
            }
            SubscriptionAction::Restart { next_date } => {
                if !is(SubscriptionStatus::Stopped) {
                    return refuse("解約された定期ではありません".into());
                }
                let next = self.restart_date(&mut p, &s, next_date.as_deref(), on)?;
                p.finish()?;
                s.status = SubscriptionStatus::Active;
                s.status_since = Some(on);
                s.stop_reason = String::new();
                s.next_date = Some(next);
                ev = event(EventKind::Restart, Some(next), String::new(), format!("次回 {next}"));
            }
            SubscriptionAction::Change { address_id, time_slot, payment_method, quantity, price_override, next_date } => {
                self.check_address(&mut p, s.member_id, *address_id)?;
                let slot = check_time_slot(&mut p, "time_slot", time_slot);
                if !payment_method.for_subscriptions() {
                    p.add("payment_method", "定期の支払方法は 銀行振込・口座振替・代金引換・クレジットカード のいずれかです");
                }
                if !(1..=99).contains(quantity) {
                    p.add("quantity", "数量は1〜99で入力してください");
                }
                if price_override.is_some_and(|v| v < 0) {
                    p.add("price_override", "価格は0円以上で入力してください");
                }
                let next = p.check(normalize::date("next_date", "次回お届け日", next_date.as_deref().unwrap_or(""))).flatten();
                if next.is_some_and(|n| n < on) {
                    p.add("next_date", "次回お届け日は今日以降にしてください");
                }
                p.finish()?;
                s.address_id = *address_id;
                s.time_slot = slot;
                s.payment_method = *payment_method;
                s.quantity = *quantity;
                s.price_override = *price_override;
                if let Some(n) = next {
                    s.next_date = Some(n);
                    // A date moved by hand becomes the new anchor of a monthly rhythm.
                    if s.unit == IntervalUnit::Month {
                        s.anchor_day = Some(chrono::Datelike::day(&n) as i64);
                    }
                }
                let detail = change_detail(&before, &s, self)?;
                if detail.is_empty() {
                    return Err(CoreError::new(ErrorCode::Validation, "変更された項目がありません"));
                }
                ev = event(EventKind::Changed, next, String::new(), detail);
            }
        }
        let now = now_stamp();
        self.write_as(&staff, |tx| {
            if let Some(e) = cancel_event {
                sql::cancel_event(tx, e, &now)?;
            }
            sql::save(tx, &s)?;
            sql::add_event(
                tx,
                &NewEvent {
                    subscription_id: id,
                    kind: ev.0,
                    happened_on: on,
                    target_date: ev.1,
                    from_course_id: ev.4,
                    to_course_id: ev.5,
                    reason: &ev.2,
                    detail: &ev.3,
                    staff: &staff,
                },
                &now,
            )?;
            Ok(())
        })?;
        self.subscription(id)
    }

    /// The next delivery when a subscription starts again: the date asked for, or the first day of
    /// its rhythm from `on`.
    fn restart_date(&self, p: &mut Problems, s: &SubRow, asked: Option<&str>, on: NaiveDate) -> Result<NaiveDate> {
        let asked = p.check(normalize::date("next_date", "次回お届け日", asked.unwrap_or(""))).flatten();
        if asked.is_some_and(|d| d < on) {
            p.add("next_date", "次回お届け日は今日以降にしてください");
        }
        Ok(asked.unwrap_or_else(|| s.schedule().first_on_or_after(s.next_date.unwrap_or(on), on)))
    }
}

fn change_detail(a: &SubRow, b: &SubRow, db: &Db) -> Result<String> {
    let mut out = Vec::new();
    let addr = |id: Option<i64>| -> Result<String> {
        Ok(match id {
            None => "会員住所".into(),
            Some(i) => crate::store::members::address(&db.conn, i)?.map(|x| format!("{} {}", x.label, x.name).trim().to_string()).unwrap_or_default(),
        })
    };
    if a.address_id != b.address_id {
        out.push(format!("お届け先: {} → {}", addr(a.address_id)?, addr(b.address_id)?));
    }
    if a.time_slot != b.time_slot {
        out.push(format!("時間帯: {} → {}", crate::orders::time_slot_label(&a.time_slot), crate::orders::time_slot_label(&b.time_slot)));
    }
    if a.payment_method != b.payment_method {
        out.push(format!("支払方法: {} → {}", a.payment_method.label(), b.payment_method.label()));
    }
    if a.quantity != b.quantity {
        out.push(format!("数量: {} → {}", a.quantity, b.quantity));
    }
    if a.price_override != b.price_override {
        let p = |v: Option<i64>| v.map(crate::tax::yen).unwrap_or_else(|| "コース価格".into());
        out.push(format!("価格: {} → {}", p(a.price_override), p(b.price_override)));
    }
    if a.next_date != b.next_date {
        let d = |v: Option<NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
        out.push(format!("次回お届け日: {} → {}", d(a.next_date), d(b.next_date)));
    }
    Ok(out.join("、"))
}

/// Keeps a member's subscriptions in step with the member (same transaction as the status
/// change): withdrawn → stopped; suspended → paused; back to active → the pauses the suspension
/// made end.
pub(crate) fn follow_member_status(c: &Connection, member_id: i64, to: MemberStatus, on: NaiveDate, staff: &str, now: &str) -> Result<()> {
    const SUSPENDED: &str = "会員の休止";
    let (statuses, kind, reason): (&[&str], EventKind, &str) = match to {
        MemberStatus::Withdrawn => (&["active", "paused"], EventKind::Stop, "退会"),
        MemberStatus::Suspended => (&["active"], EventKind::Pause, SUSPENDED),
        MemberStatus::Active => (&["paused"], EventKind::Resume, ""),
    };
    for mut s in sql::of_member(c, member_id, statuses)? {
        let mut target = None;
        match to {
            MemberStatus::Withdrawn => {
                s.status = SubscriptionStatus::Stopped;
                s.stop_reason = reason.into();
                s.paused_until = None;
            }
            MemberStatus::Suspended => {
                s.status = SubscriptionStatus::Paused;
                s.paused_until = None;
            }
            MemberStatus::Active => {
                // Only the pauses the suspension made; one the member asked for stays.
                if sql::last_pause_reason(c, s.id)?.as_deref() != Some(SUSPENDED) {
                    continue;
                }
                let next = s.schedule().first_on_or_after(s.next_date.unwrap_or(on), on);
                s.status = SubscriptionStatus::Active;
                s.next_date = Some(next);
                target = Some(next);
            }
        }
        s.status_since = Some(on);
        sql::save(c, &s)?;
        sql::add_event(
            c,
            &NewEvent {
                subscription_id: s.id,
                kind,
                happened_on: on,
                target_date: target,
                from_course_id: None,
                to_course_id: None,
                reason,
                detail: "会員ステータスの変更に伴う",
                staff,
            },
            now,
        )?;
    }
    Ok(())
}
