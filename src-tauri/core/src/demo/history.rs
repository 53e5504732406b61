//! Two years of the demo shop's history, made by the rules the app itself applies, so that the
//! next monthly run carries on from it as if the shop had used Teikibin all along:
//! - subscriptions start over the last 24 months (more of them recently: the shop grows), each
//!   walked delivery by delivery: the order of each scheduled date, priced by `delivery_lines`
//!   and `OrderTotals::compute` like the monthly run; skips (an event, no order); switches to
//!   another course; pauses that the run ends by itself; stops with a reason from the shop's
//!   list, more often in the first deliveries (回数別継続率 ≈ 70% reach the 2nd delivery, 55% the
//!   3rd, 40% the 6th, 30% the 12th);
//! - members who withdrew have their subscriptions stopped, suspended ones paused, on the day
//!   their status changed (as `follow_member_status` does);
//! - the yearly membership course renews the 有効期限 and brings the bulletin every month;
//! - the months up to and including the current one are done (their runs, orders and bulletin
//!   slips exist): an active subscription's next date lies in next month or later;
//! - one-off orders by phone, FAX, post card and web over the last three years.
//!
//! Everything is simulated in memory first, then written in one transaction through the store's
//! prepared statements, orders numbered in the order they were made.
use super::people::{DemoMember, STAFF};
use super::shop::{AOJIRU, BULLETIN, COFFEE, FEE, KOSO_OLD, KUROZU, NENKAI, SUPPLI};
use super::{DemoScale, Rng};
use crate::courses::{Course, CourseKind};
use crate::error::Result;
use crate::members::MemberStatus;
use crate::month::MonthRunReport;
use crate::orders::{fees, line, OrderKind, OrderLine, OrderStatus, OrderTotals, PaymentMethod, TIME_SLOTS};
use crate::products::Product;
use crate::schedule::{IntervalUnit, Schedule};
use crate::settings::{ShopSettings, SwitchPrice};
use crate::store::month as msql;
use crate::store::orders::{self as osql, NewOrder};
use crate::store::subscriptions::{self as ssql, NewEvent, NewSub, SubRow};
use crate::store::Db;
use crate::subscriptions::{courses_by_id, delivery_lines, products_by_id, EventKind, SubscriptionStatus};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::{BTreeMap, HashMap};

pub(super) struct History {
    pub subscriptions: u32,
    pub active_subscriptions: u32,
    pub orders: u32,
    pub bulletin_slips: u32,
}

/// Share of subscribers who reach delivery n (index n - 1) for n up to 12; later each delivery
/// keeps 97.5% of the previous one.
const RETENTION: [f64; 12] = [1.0, 0.70, 0.55, 0.49, 0.44, 0.40, 0.38, 0.36, 0.34, 0.325, 0.31, 0.30];
/// A member of the membership course renews each year with this chance.
const RENEWAL: u64 = 85;
/// Regular subscriptions per 1,000 members, a second course per 100 subscribers, and how much
/// more often subscriptions start recently (1: evenly over the two years).
const SUBSCRIBERS_PERMILLE: u64 = 170;
const SECOND_COURSE_PERCENT: u64 = 8;
const RECENT_BIAS: f64 = 1.6;

const STOP_WEIGHTS: [u32; 7] = [30, 20, 18, 7, 8, 5, 12];
const CANCEL_REASONS: &[&str] = &["お客様都合", "重複注文のため", "在庫切れのため", "住所不明で返送"];

/// An order line kept small until it is written.
#[derive(Clone, Copy)]
struct Line {
    product: i64,
    quantity: i64,
    unit_price: i64,
    amount: i64,
}

struct DemoOrder {
    /// When it was made (numbers follow this).
    at: NaiveDateTime,
    date: NaiveDate,
    member: i64,
    /// Index into the subscriptions.
    sub: Option<usize>,
    kind: OrderKind,
    delivery_no: Option<i64>,
    delivery_date: Option<NaiveDate>,
    payment: PaymentMethod,
    time_slot: &'static str,
    channel: &'static str,
    staff: String,
    lines: Vec<Line>,
    totals: OrderTotals,
    cancel: Option<&'static str>,
}

struct Event {
    kind: EventKind,
    on: NaiveDate,
    target: Option<NaiveDate>,
    from: Option<i64>,
    to: Option<i64>,
    reason: String,
    detail: String,
    staff: String,
}

struct Sim {
    row: SubRow,
    /// As it was started (the insert), before its life.
    started: NewStart,
    events: Vec<Event>,
    /// 申込経路, and a roll of its own stream that shapes the subscription's life by it.
    channel: &'static str,
    roll: u64,
}

struct NewStart {
    course_id: i64,
    course_name: String,
    unit: IntervalUnit,
    count: i64,
    anchor_day: Option<i64>,
    next_date: NaiveDate,
}

#[derive(Default)]
struct MonthStats {
    orders: u64,
    slips: u64,
}

struct World<'a> {
    today: NaiveDate,
    /// The last day of the current month: every delivery up to it has been run.
    horizon: NaiveDate,
    settings: &'a ShopSettings,
    staff: Vec<String>,
    products: HashMap<i64, Product>,
    courses: HashMap<i64, Course>,
    by_code: HashMap<&'static str, i64>,
    bulletin: Option<i64>,
    orders: Vec<DemoOrder>,
    sims: Vec<Sim>,
    /// (month's first day, member, subscription index, bulletin product)
    slips: Vec<(NaiveDate, i64, usize, i64)>,
    /// Member → 有効期限 from membership fees.
    valid_until: BTreeMap<i64, NaiveDate>,
    months: BTreeMap<NaiveDate, MonthStats>,
    scale: DemoScale,
}

fn first_of(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("valid")
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

fn stamp(d: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(h, m, 0).expect("valid"))
}

fn text(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The number of deliveries a new subscriber will take before stopping (if the shop lives long
/// enough to see it).
fn lifetime(rng: &mut Rng) -> i64 {
    let u = rng.unit();
    for (i, s) in RETENTION.iter().enumerate().skip(1) {
        if u >= *s {
            return i as i64;
        }
    }
    let mut s = RETENTION[11];
    let mut n = 12;
    while u < s && n < 1000 {
        s *= 0.975;
        n += 1;
    }
    n
}

impl World<'_> {
    fn course(&self, code: &str) -> Option<&Course> {
        self.by_code.get(code).and_then(|id| self.courses.get(id))
    }

    /// The monthly run of the month holding `d`: when it ran (a week or so before the month) and by whom.
    fn run_of(&self, d: NaiveDate) -> (NaiveDateTime, String) {
        let first = first_of(d);
        let staff = self.staff[(first.month0() as usize) % self.staff.len()].clone();
        (stamp(first - days(9), 17, 30), staff)
    }

    fn stop_reason(&self, rng: &mut Rng) -> String {
        let list = &self.settings.stop_reasons;
        let weighted: Vec<(usize, u32)> = (0..list.len()).map(|i| (i, STOP_WEIGHTS.get(i).copied().unwrap_or(5))).collect();
        list[*rng.weighted(&weighted)].clone()
    }

    fn skip_reason(&self, rng: &mut Rng) -> String {
        rng.pick(&self.settings.skip_reasons).clone()
    }

    fn someone(&self, rng: &mut Rng) -> String {
        rng.pick(&self.staff).clone()
    }

    /// Starts `member` on `course` on `start` as `create_subscription` does, then lives the
    /// subscription's life up to today.
    fn subscribe(&mut self, rng: &mut Rng, m: &DemoMember, course_id: i64, start: NaiveDate, first: Option<NaiveDate>) {
        let course = self.courses[&course_id].clone();
        let membership = course.kind == CourseKind::Membership;
        // The first delivery as staff type it: a fixed day's first on or after the start (left
        // empty), else a few days later.
        let first_input = if first.is_some() || course.day_of_month.is_some() || course.weekday.is_some() {
            first
        } else {
            Some(start + days(if membership { rng.between(0, 3) } else { rng.between(2, 9) }))
        };
        let anchor = course.day_of_month.or(first_input.map(|d| d.day() as i64));
        let schedule = Schedule::new(course.interval_unit, course.interval_count, anchor, first_input.unwrap_or(start));
        let next = first_input.unwrap_or_else(|| schedule.first_delivery(start, course.weekday.map(|w| w as u32)));
        let anchor = (course.interval_unit == IntervalUnit::Month).then_some(anchor.unwrap_or(next.day() as i64));
        let payment = if membership {
            *rng.weighted(&[(PaymentMethod::BankTransfer, 50), (PaymentMethod::DirectDebit, 35), (PaymentMethod::Card, 15)])
        } else {
            *rng.weighted(&[
                (PaymentMethod::BankTransfer, 30),
                (PaymentMethod::DirectDebit, 28),
                (PaymentMethod::Card, 27),
                (PaymentMethod::Cod, 15),
            ])
        };
        // 申込経路 from a stream of its own, so adding it left every other habit of the demo as it was.
        let mut own = Rng((m.id as u64).wrapping_mul(1_000_003) ^ (course_id as u64).wrapping_mul(7_919) ^ start.num_days_from_ce() as u64);
        let channel = if membership {
            *own.weighted(&[("はがき", 40), ("電話", 30), ("Web", 20), ("紹介", 10)])
        } else {
            *own.weighted(&[("電話", 35), ("Web", 30), ("はがき", 15), ("紹介", 10), ("広告・チラシ", 10)])
        };
        let roll = own.below(100);
        let time_slot = if membership || rng.chance(65) { "" } else { rng.pick(&TIME_SLOTS[1..]).0 };
        let quantity = if !membership && rng.chance(8) { 2 } else { 1 };
        let price_override = (!membership && course.code == AOJIRU && rng.permille(15)).then_some(3700);
        let row = SubRow {
            id: 0,
            legacy_id: None,
            member_id: m.id,
            member_code: String::new(),
            member_name: String::new(),
            member_kana: String::new(),
            member_status: m.status,
            member_prefecture: m.prefecture.clone(),
            member_dm_opt_out: m.dm_opt_out,
            member_merged: false,
            course_id: Some(course.id),
            course_name: course.name.clone(),
            product_id: None,
            quantity,
            unit: course.interval_unit,
            count: course.interval_count,
            anchor_day: anchor,
            next_date: Some(next),
            price_override,
            payment_method: payment,
            status: SubscriptionStatus::Active,
            status_since: Some(start),
            paused_until: None,
            valid_until: None,
            started_on: Some(start),
            deliveries: 0,
            course_start_count: 0,
            address_id: None,
            time_slot: time_slot.to_string(),
            stop_reason: String::new(),
        };
        let started = NewStart {
            course_id: course.id,
            course_name: course.name.clone(),
            unit: course.interval_unit,
            count: course.interval_count,
            anchor_day: anchor,
            next_date: next,
        };
        let events = vec![Event {
            kind: EventKind::Started,
            on: start,
            target: Some(next),
            from: None,
            to: Some(course.id),
            reason: String::new(),
            detail: format!("{}（{}）、初回 {next}", course.name, course.interval_label),
            staff: self.someone(rng),
        }];
        let index = self.sims.len();
        self.sims.push(Sim { row, started, events, channel, roll });
        self.live(rng, m, index, course);
    }

    /// Walks a subscription from its first delivery to today.
    fn live(&mut self, rng: &mut Rng, m: &DemoMember, index: usize, mut course: Course) {
        let membership = course.kind == CourseKind::Membership;
        let mut lifetime = if membership {
            let mut n = 1;
            while rng.chance(RENEWAL) && n < 50 {
                n += 1;
            }
            n
        } else {
            // Web sign-ups more often try once; referred customers more often stay.
            let (channel, roll) = (self.sims[index].channel, self.sims[index].roll);
            match channel {
                "Web" if roll < 10 => 1,
                "紹介" if roll < 30 => lifetime(rng).max(8),
                _ => lifetime(rng),
            }
        };
        // The member's own status change (withdrawal stops, suspension pauses), if any.
        let cut = match m.status {
            MemberStatus::Active => None,
            _ => m.since,
        };
        let mut switch_after = (!membership && rng.chance(if course.code == KOSO_OLD { 30 } else { 7 })).then(|| rng.between(1, 6));
        let mut pause_after = (!membership && cut.is_none() && rng.chance(6)).then(|| rng.between(2, 8));
        let start = self.sims[index].row.started_on.expect("set");
        let mut last = start;
        let mut guard = 0;
        loop {
            guard += 1;
            let s = &self.sims[index].row;
            let Some(d) = s.next_date else { break };
            if guard > 2000 {
                break;
            }
            let delivered = s.deliveries;
            // The member stops after the lifetime's last delivery, some days after it.
            let stop_on = (delivered >= lifetime && delivered > 0).then(|| {
                let gap = if membership { rng.between(300, 350) } else { rng.between(3, 20) };
                (last + days(gap)).min(d - days(1)).max(last)
            });
            if let Some(c) = cut.filter(|c| *c <= d && stop_on.is_none_or(|s| *c < s)) {
                self.member_changed(rng, index, m.status, c);
                break;
            }
            if let Some(on) = stop_on {
                if on <= self.today {
                    self.stop(rng, index, &course, on);
                    break;
                }
                lifetime = i64::MAX;
            }
            if d > self.horizon {
                break;
            }
            if switch_after == Some(delivered) {
                switch_after = None;
                let on = last + days(rng.between(2, 12));
                if on < d && on <= self.today {
                    if let Some(to) = self.switch_target(rng, &course) {
                        self.switch(rng, index, &course, &to, on);
                        course = to;
                    }
                }
            }
            if pause_after == Some(delivered) {
                pause_after = None;
                let on = last + days(rng.between(2, 10));
                if on < d && on <= self.today {
                    let until = on + days(rng.between(25, 110));
                    if self.pause(rng, index, on, until) {
                        last = until;
                        continue;
                    }
                    break;
                }
            }
            if !membership && delivered >= 1 && rng.chance(5) {
                let on = (d - days(rng.between(3, 14))).max(start);
                if on <= self.today {
                    let reason = self.skip_reason(rng);
                    let staff = self.someone(rng);
                    let sim = &mut self.sims[index];
                    sim.events.push(Event { kind: EventKind::Skip, on, target: Some(d), from: None, to: None, reason, detail: String::new(), staff });
                    sim.row.next_date = Some(sim.row.schedule().after(d));
                    continue;
                }
            }
            self.deliver(index, &course, m, d, membership);
            last = d;
        }
        // Some who carry on have already asked to skip one of the next deliveries.
        let s = &self.sims[index].row;
        if s.status == SubscriptionStatus::Active && !membership && s.deliveries >= 1 && rng.chance(4) {
            let next = s.next_date.expect("set");
            let target = if rng.chance(70) { next } else { s.schedule().after(next) };
            let on = (self.today - days(rng.between(0, 10))).max(last).min(self.today);
            let reason = self.skip_reason(rng);
            let staff = self.someone(rng);
            self.sims[index].events.push(Event { kind: EventKind::Skip, on, target: Some(target), from: None, to: None, reason, detail: String::new(), staff });
        }
        if membership {
            self.bulletins(index, m);
        }
        self.sims[index].events.sort_by_key(|e| e.on);
    }

    /// The order of one delivery, as the monthly run makes it.
    fn deliver(&mut self, index: usize, course: &Course, m: &DemoMember, d: NaiveDate, membership: bool) {
        let s = &self.sims[index].row;
        let delivery_no = s.deliveries + 1;
        let Some(lines) = delivery_lines(s, Some(course), &self.products, delivery_no) else { return };
        let (shipping, cod) = fees(&lines, &m.prefecture, course.free_shipping, s.payment_method, self.settings);
        let lines: Vec<OrderLine> = lines.into_iter().map(|l| l.0).collect();
        let totals = OrderTotals::compute(&lines, shipping, cod, self.settings);
        let (ran, staff) = self.run_of(d);
        let started = stamp(s.started_on.expect("set"), 11, 0);
        self.orders.push(DemoOrder {
            at: ran.max(started),
            date: d,
            member: m.id,
            sub: Some(index),
            kind: if membership { OrderKind::Membership } else { OrderKind::Subscription },
            delivery_no: Some(delivery_no),
            delivery_date: Some(d),
            payment: s.payment_method,
            time_slot: TIME_SLOTS.iter().find(|t| t.0 == s.time_slot).map(|t| t.0).unwrap_or(""),
            channel: "定期",
            staff,
            lines: lines
                .iter()
                .map(|l| Line { product: l.product_id.unwrap_or(0), quantity: l.quantity, unit_price: l.unit_price, amount: l.amount })
                .collect(),
            totals,
            cancel: None,
        });
        self.months.entry(first_of(d)).or_default().orders += 1;
        let schedule = s.schedule();
        let next = schedule.after(d);
        let s = &mut self.sims[index].row;
        s.deliveries += 1;
        s.next_date = Some(next);
        if membership {
            let until = next - days(1);
            s.valid_until = Some(until);
            let v = self.valid_until.entry(m.id).or_insert(until);
            *v = (*v).max(until);
        }
    }

    fn stop(&mut self, rng: &mut Rng, index: usize, course: &Course, on: NaiveDate) {
        let reason = self.stop_reason(rng);
        let staff = self.someone(rng);
        let sim = &mut self.sims[index];
        let (n, min) = (sim.row.deliveries, course.min_deliveries);
        let detail = if n < min { format!("最低継続回数 {min}回 未満（{n}回）で解約") } else { format!("{n}回お届け") };
        sim.row.status = SubscriptionStatus::Stopped;
        sim.row.status_since = Some(on);
        sim.row.paused_until = None;
        sim.row.stop_reason = reason.clone();
        sim.events.push(Event { kind: EventKind::Stop, on, target: None, from: None, to: None, reason, detail, staff });
    }

    /// What `follow_member_status` does to a subscription when its member withdraws or is suspended.
    fn member_changed(&mut self, rng: &mut Rng, index: usize, to: MemberStatus, on: NaiveDate) {
        let staff = self.someone(rng);
        let sim = &mut self.sims[index];
        let (kind, reason) = match to {
            MemberStatus::Withdrawn => {
                sim.row.status = SubscriptionStatus::Stopped;
                sim.row.stop_reason = "退会".into();
                (EventKind::Stop, "退会")
            }
            _ => {
                sim.row.status = SubscriptionStatus::Paused;
                (EventKind::Pause, "会員の休止")
            }
        };
        sim.row.paused_until = None;
        sim.row.status_since = Some(on);
        sim.events.push(Event {
            kind,
            on,
            target: None,
            from: None,
            to: None,
            reason: reason.into(),
            detail: "会員ステータスの変更に伴う".into(),
            staff,
        });
    }

    fn switch_target(&self, rng: &mut Rng, from: &Course) -> Option<Course> {
        let choices: &[&str] = match from.code.as_str() {
            AOJIRU => &[SUPPLI, KUROZU],
            KUROZU | SUPPLI | COFFEE => &[AOJIRU],
            KOSO_OLD => &[AOJIRU, AOJIRU, KUROZU],
            _ => &[],
        };
        if choices.is_empty() {
            return None;
        }
        let code = *rng.pick(choices);
        self.course(code).filter(|c| c.active && c.id != from.id).cloned()
    }

    /// スイッチ as `subscription_action` makes it: from the next delivery on.
    fn switch(&mut self, rng: &mut Rng, index: usize, from: &Course, to: &Course, on: NaiveDate) {
        let rule = self.settings.switch_price;
        let reason = if rng.chance(50) { "お客様のご希望".to_string() } else { self.skip_reason(rng) };
        let staff = self.someone(rng);
        let sim = &mut self.sims[index];
        let s = &mut sim.row;
        let from_name = s.course_name.clone();
        s.course_id = Some(to.id);
        s.course_name = to.name.clone();
        s.product_id = None;
        s.unit = to.interval_unit;
        s.count = to.interval_count;
        s.anchor_day = match to.interval_unit {
            IntervalUnit::Month => to.day_of_month.or(s.anchor_day).or(s.next_date.map(|d| d.day() as i64)),
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
        sim.events.push(Event { kind: EventKind::Switch, on, target: s.next_date, from: Some(from.id), to: Some(to.id), reason, detail, staff });
    }

    /// A pause until `until`. The monthly run of `until`'s month ends it (its deliveries before
    /// `until` are not made); a pause that ends after this month is still on. True when the
    /// subscription runs again.
    fn pause(&mut self, rng: &mut Rng, index: usize, on: NaiveDate, until: NaiveDate) -> bool {
        let reason = self.skip_reason(rng);
        let staff = self.someone(rng);
        let horizon = self.horizon;
        let (_, run_staff) = self.run_of(until);
        let sim = &mut self.sims[index];
        sim.events.push(Event {
            kind: EventKind::Pause,
            on,
            target: Some(until),
            from: None,
            to: None,
            reason,
            detail: format!("{until} まで"),
            staff,
        });
        let s = &mut sim.row;
        s.status = SubscriptionStatus::Paused;
        s.status_since = Some(on);
        s.paused_until = Some(until);
        if until > horizon {
            return false;
        }
        let d = s.next_date.expect("set");
        let resume_at = s.schedule().first_on_or_after(d, until);
        s.status = SubscriptionStatus::Active;
        s.status_since = Some(until);
        s.paused_until = None;
        s.next_date = Some(resume_at);
        sim.events.push(Event {
            kind: EventKind::Resume,
            on: until,
            target: Some(until),
            from: None,
            to: None,
            reason: "休止期間の終了".into(),
            detail: format!("{} の月次処理で再開", until.format("%Y-%m")),
            staff: run_staff,
        });
        true
    }

    /// The bulletin slips of a membership: one a month from its first fee while it runs.
    fn bulletins(&mut self, index: usize, m: &DemoMember) {
        let Some(product) = self.bulletin else { return };
        let s = &self.sims[index].row;
        if s.deliveries == 0 || m.dm_opt_out {
            return;
        }
        let Some(first) = self.orders.iter().rev().find(|o| o.sub == Some(index) && o.delivery_no == Some(1)).map(|o| o.date) else {
            return;
        };
        // A stopped or paused subscription got its last copy in the month it stopped.
        let end = match s.status {
            SubscriptionStatus::Active => None,
            _ => s.status_since,
        };
        let mut month = first_of(first);
        while month <= self.horizon && end.is_none_or(|e| month <= e) {
            self.slips.push((month, m.id, index, product));
            self.months.entry(month).or_default().slips += 1;
            month = month + Months::new(1);
        }
    }

    /// Phone, FAX, post card and web orders of one member.
    fn one_offs(&mut self, rng: &mut Rng, m: &DemoMember, catalogue: &[i64]) {
        let lo = m.joined.max(self.today - days(self.scale.years as i64 * 365 + 270));
        let hi = match m.status {
            MemberStatus::Active => self.today,
            _ => m.since.unwrap_or(self.today),
        };
        if lo > hi || catalogue.is_empty() {
            return;
        }
        let mut count = 1;
        while rng.chance(self.scale.repeat_percent) && count < self.scale.max_one_offs {
            count += 1;
        }
        for _ in 0..count {
            let date = lo + days(rng.between(0, (hi - lo).num_days()));
            let n = *rng.weighted(&[(1usize, 50), (2, 30), (3, 13), (4, 7)]);
            let mut chosen: Vec<i64> = Vec::with_capacity(n);
            while chosen.len() < n.min(catalogue.len()) {
                let p = *rng.pick(catalogue);
                if !chosen.contains(&p) {
                    chosen.push(p);
                }
            }
            let lines: Vec<(OrderLine, bool)> = chosen
                .iter()
                .map(|p| {
                    let product = &self.products[p];
                    let q = *rng.weighted(&[(1i64, 75), (2, 18), (3, 7)]);
                    (line(product, q, None), product.shipped)
                })
                .collect();
            let payment = *rng.weighted(&[
                (PaymentMethod::Cod, 32),
                (PaymentMethod::BankTransfer, 25),
                (PaymentMethod::Card, 25),
                (PaymentMethod::PostalTransfer, 15),
                (PaymentMethod::Cash, 3),
            ]);
            let channel = *rng.weighted(&[("電話", 45), ("Web", 30), ("FAX", 15), ("はがき", 10)]);
            let (shipping, cod) = fees(&lines, &m.prefecture, false, payment, self.settings);
            let lines: Vec<OrderLine> = lines.into_iter().map(|l| l.0).collect();
            let totals = OrderTotals::compute(&lines, shipping, cod, self.settings);
            let at = if channel == "Web" { stamp(date, rng.between(0, 23) as u32, rng.between(0, 59) as u32) } else { stamp(date, rng.between(9, 17) as u32, rng.between(0, 59) as u32) };
            let staff = if channel == "Web" { String::new() } else { self.someone(rng) };
            self.orders.push(DemoOrder {
                at,
                date,
                member: m.id,
                sub: None,
                kind: OrderKind::OneOff,
                delivery_no: None,
                delivery_date: rng.chance(40).then(|| date + days(rng.between(2, 6))),
                time_slot: if rng.chance(30) { rng.pick(&TIME_SLOTS[1..]).0 } else { "" },
                payment,
                channel,
                staff,
                lines: lines
                    .iter()
                    .map(|l| Line { product: l.product_id.unwrap_or(0), quantity: l.quantity, unit_price: l.unit_price, amount: l.amount })
                    .collect(),
                totals,
                cancel: rng.permille(15).then(|| *rng.pick(CANCEL_REASONS)),
            });
        }
    }
}

/// When a member could have started a subscription: after joining, within the last two years,
/// and a few weeks before a suspension or withdrawal.
fn window(m: &DemoMember, today: NaiveDate, years: u32) -> Option<(NaiveDate, NaiveDate)> {
    let lo = m.joined.max(today - days(years as i64 * 365));
    let hi = match (m.status, m.since) {
        (MemberStatus::Active, _) | (_, None) => today,
        (_, Some(since)) => since - days(21),
    };
    (lo <= hi).then_some((lo, hi))
}

/// A start day in the window, more often recent.
fn start_in(rng: &mut Rng, (lo, hi): (NaiveDate, NaiveDate)) -> NaiveDate {
    let span = (hi - lo).num_days() as f64;
    hi - days((span * rng.unit().powf(RECENT_BIAS)).round() as i64)
}

/// The shop as the simulation needs it.
fn world<'a>(db: &Db, settings: &'a ShopSettings, today: NaiveDate, scale: DemoScale) -> Result<World<'a>> {
    let products = products_by_id(&db.conn)?;
    let courses = courses_by_id(&db.conn)?;
    let mut by_code = HashMap::new();
    for code in [AOJIRU, KUROZU, COFFEE, SUPPLI, NENKAI, KOSO_OLD] {
        if let Some(c) = courses.values().find(|c| c.code == code) {
            by_code.insert(code, c.id);
        }
    }
    let bulletin = by_code.get(NENKAI).and_then(|id| courses[id].bulletin_product.as_ref()).map(|p| p.id);
    let staff = if settings.staff.is_empty() { STAFF.iter().map(|s| s.to_string()).collect() } else { settings.staff.clone() };
    let horizon = (first_of(today) + Months::new(1)).pred_opt().expect("valid");
    Ok(World {
        today,
        horizon,
        settings,
        staff,
        products,
        courses,
        by_code,
        bulletin,
        orders: Vec::new(),
        sims: Vec::new(),
        slips: Vec::new(),
        valid_until: BTreeMap::new(),
        months: BTreeMap::new(),
        scale,
    })
}

pub(super) fn generate(db: &mut Db, members: &[DemoMember], settings: &ShopSettings, rng: &mut Rng, today: NaiveDate, scale: DemoScale) -> Result<History> {
    let mut w = world(db, settings, today, scale)?;
    let mut catalogue: Vec<&Product> =
        w.products.values().filter(|p| p.active && p.shipped && p.unit_price > 0 && p.code != BULLETIN && p.code != FEE).collect();
    catalogue.sort_by(|a, b| a.code.cmp(&b.code));
    let catalogue: Vec<i64> = catalogue.into_iter().map(|p| p.id).collect();
    let regular: Vec<(&str, u32)> = [(AOJIRU, 40), (KUROZU, 18), (SUPPLI, 20), (COFFEE, 12), (KOSO_OLD, 10)]
        .into_iter()
        .filter(|(c, _)| w.by_code.contains_key(c))
        .collect();
    for m in members {
        let window = window(m, today, w.scale.years);
        if let (Some(win), true) = (window, rng.permille(SUBSCRIBERS_PERMILLE)) {
            let courses = if rng.chance(SECOND_COURSE_PERCENT) { 2 } else { 1 };
            let mut taken: Vec<&str> = Vec::new();
            for _ in 0..courses {
                if regular.is_empty() {
                    break;
                }
                let start = start_in(rng, win);
                let mut code = *rng.weighted(&regular);
                // The old course stopped taking new subscribers a year and a half ago.
                if code == KOSO_OLD && start > today - days(540) {
                    code = AOJIRU;
                }
                if taken.contains(&code) || !w.by_code.contains_key(code) {
                    continue;
                }
                taken.push(code);
                let id = w.by_code[code];
                w.subscribe(rng, m, id, start, None);
            }
        }
        if let (Some(win), true, Some(&id)) = (window, m.membership, w.by_code.get(NENKAI)) {
            let start = start_in(rng, win);
            w.subscribe(rng, m, id, start, None);
        }
        if rng.chance(w.scale.buyers_percent) {
            w.one_offs(rng, m, &catalogue);
        }
    }
    write(db, w)
}

/// Each member starts `course_id` today, the first deliveries spread over `from`..=`to`.
pub(super) fn start_now(
    db: &mut Db,
    members: &[DemoMember],
    course_id: i64,
    (from, to): (NaiveDate, NaiveDate),
    settings: &ShopSettings,
    rng: &mut Rng,
    today: NaiveDate,
) -> Result<History> {
    let mut w = world(db, settings, today, DemoScale::default())?;
    let span = (to - from).num_days() + 1;
    for (i, m) in members.iter().enumerate() {
        let first = (from + days(i as i64 % span)).max(today);
        w.subscribe(rng, m, course_id, today, Some(first));
    }
    write(db, w)
}

fn write(db: &mut Db, mut w: World) -> Result<History> {
    let today = w.today;
    // 申込経路 came with schema 7; the migration tests make demo shops on older schemas.
    if db.schema_version()? < 7 {
        for sim in &mut w.sims {
            sim.channel = "";
        }
    }
    let report = History {
        subscriptions: w.sims.len() as u32,
        active_subscriptions: w.sims.iter().filter(|s| s.row.status == SubscriptionStatus::Active).count() as u32,
        orders: w.orders.len() as u32,
        bulletin_slips: w.slips.len() as u32,
    };
    // Numbers in the order the orders were made.
    w.orders.sort_by_key(|o| o.at);
    db.write_bulk("orders", "デモデータ: 定期契約・受注・会報誌の履歴", |tx| {
        for sim in &mut w.sims {
            let start = sim.row.started_on.expect("set");
            let st = &sim.started;
            let id = ssql::insert(
                tx,
                &NewSub {
                    member_id: sim.row.member_id,
                    course_id: st.course_id,
                    course_name: &st.course_name,
                    quantity: sim.row.quantity,
                    unit: st.unit,
                    count: st.count,
                    anchor_day: st.anchor_day,
                    next_date: st.next_date,
                    price_override: sim.row.price_override,
                    payment_method: sim.row.payment_method,
                    started_on: start,
                    address_id: None,
                    time_slot: &sim.row.time_slot,
                    channel: sim.channel,
                },
                &text(stamp(start, 10, 0)),
            )?;
            sim.row.id = id;
            ssql::save(tx, &sim.row)?;
            for e in &sim.events {
                ssql::add_event(
                    tx,
                    &NewEvent {
                        subscription_id: id,
                        kind: e.kind,
                        happened_on: e.on,
                        target_date: e.target,
                        from_course_id: e.from,
                        to_course_id: e.to,
                        reason: &e.reason,
                        detail: &e.detail,
                        staff: &e.staff,
                    },
                    &text(stamp(e.on, 10, 30)),
                )?;
            }
        }
        // The monthly runs that made these orders and slips.
        let mut runs: BTreeMap<NaiveDate, i64> = BTreeMap::new();
        for (month, stats) in &w.months {
            let (ran, staff) = w.run_of(*month);
            let r = MonthRunReport {
                month: month.format("%Y-%m").to_string(),
                dry_run: false,
                orders_created: stats.orders,
                bulletin_slips: stats.slips,
                skipped: Vec::new(),
                by_course: BTreeMap::new(),
                stock_needed: BTreeMap::new(),
                stock: Vec::new(),
                orders: Vec::new(),
                renewals_due: Vec::new(),
                total_amount: 0,
                earlier_runs: Vec::new(),
            };
            runs.insert(*month, msql::insert_run(tx, &r, &staff, &text(ran))?);
        }
        let numbers = osql::next_numbers(tx, w.orders.len())?;
        let mut first_id = None;
        for (o, number) in w.orders.iter().zip(numbers) {
            let lines = o
                .lines
                .iter()
                .map(|l| {
                    let p = &w.products[&l.product];
                    OrderLine {
                        product_id: Some(p.id),
                        product_code: p.code.clone(),
                        name: p.name.clone(),
                        quantity: l.quantity,
                        unit_price: l.unit_price,
                        amount: l.amount,
                        tax_rate: p.tax_rate,
                    }
                })
                .collect();
            let new = NewOrder {
                member_id: o.member,
                ordered_on: o.date,
                channel: o.channel.to_string(),
                kind: o.kind,
                subscription_id: o.sub.map(|i| w.sims[i].row.id),
                delivery_no: o.delivery_no,
                scheduled_for: o.sub.map(|_| o.date),
                month_run_id: o.sub.and_then(|_| runs.get(&first_of(o.date)).copied()),
                address_id: None,
                delivery_date: o.delivery_date,
                time_slot: o.time_slot.to_string(),
                payment_method: Some(o.payment),
                lines,
                totals: o.totals,
                note: String::new(),
                staff: o.staff.clone(),
            };
            let id = osql::insert(tx, &number, &new, &text(o.at))?;
            first_id.get_or_insert(id);
            if let Some(reason) = o.cancel {
                osql::set_status(tx, id, OrderStatus::Cancelled, reason, &o.staff, &text(o.at + Duration::hours(3)))?;
            }
        }
        for (month, member, index, product) in &w.slips {
            let run = runs[month];
            let (ran, _) = w.run_of(*month);
            msql::insert_slip(tx, &month.format("%Y-%m").to_string(), *member, Some(w.sims[*index].row.id), *product, run, &text(ran))?;
        }
        for (member, until) in &w.valid_until {
            msql::extend_membership(tx, *member, *until)?;
        }
        if let Some(first) = first_id {
            // Orders of the past were shipped, and those of more than six weeks ago paid.
            osql::age_demo_orders(tx, first, today - days(45), OrderStatus::Paid)?;
            osql::age_demo_orders(tx, first, today - days(1), OrderStatus::Shipped)?;
        }
        Ok(())
    })?;
    Ok(report)
}
