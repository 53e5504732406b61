//! The monthly run (月次処理): for every subscription due in the month, its order (honouring
//! skips, pauses, switches, price per delivery number and month-end anchors); for every member
//! entitled to the bulletin, the month's slip. The preview is the same computation without the
//! write. Running a month twice creates nothing new: each subscription's next date moves past the
//! month, and one order per subscription and delivery date is enforced by a unique index. A
//! month that was missed can be run late: dates come from the schedule, not from the run day.
use crate::courses::CourseKind;
use crate::error::{CoreError, Result};
use crate::clock::today;
use crate::members::MemberStatus;
use crate::orders::{fees, OrderKind, OrderLine, OrderTotals};
use crate::schedule::month_bounds;
use crate::store::month as sql;
use crate::store::orders::{self as osql, NewOrder};
use crate::store::subscriptions::{self as ssql, NewEvent, SubRow};
use crate::store::{now_stamp, Db};
use crate::subscriptions::{courses_by_id, delivery_lines, products_by_id, EventKind, SubscriptionStatus};
use chrono::{Duration, Months, NaiveDate};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use ts_rs::TS;

/// A delivery the run does not turn into an order, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SkippedDelivery {
    #[ts(type = "number")]
    pub subscription: i64,
    /// Member code.
    pub member: String,
    pub member_name: String,
    pub course: String,
    pub date: Option<NaiveDate>,
    pub reason: String,
}

/// An order the run makes (or would make).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlannedOrder {
    #[ts(type = "number")]
    pub subscription: i64,
    pub member: String,
    pub member_name: String,
    pub course: String,
    pub date: NaiveDate,
    #[ts(type = "number")]
    pub delivery_no: i64,
    #[ts(type = "number")]
    pub total: i64,
    /// Due before the month (a month not run in time); made now, dated as scheduled.
    pub late: bool,
    /// Set by the commit.
    pub number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StockNeed {
    pub code: String,
    pub name: String,
    #[ts(type = "number")]
    pub needed: i64,
    #[ts(type = "number")]
    pub in_stock: i64,
    /// How many are missing (0 when the stock covers it).
    #[ts(type = "number")]
    pub short: i64,
}

/// A membership whose valid-until falls within its renewal notice period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RenewalNotice {
    #[ts(type = "number")]
    pub subscription: i64,
    pub member: String,
    pub member_name: String,
    pub course: String,
    pub valid_until: NaiveDate,
}

/// The preview and the result of a monthly run; also the CLI's `month run --json` shape (keep the keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MonthRunReport {
    /// YYYY-MM
    pub month: String,
    pub dry_run: bool,
    #[ts(type = "number")]
    pub orders_created: u64,
    #[ts(type = "number")]
    pub bulletin_slips: u64,
    pub skipped: Vec<SkippedDelivery>,
    /// Orders per course name.
    #[ts(type = "Record<string, number>")]
    pub by_course: BTreeMap<String, u64>,
    /// Quantity per product code for the month's orders and bulletin copies.
    #[ts(type = "Record<string, number>")]
    pub stock_needed: BTreeMap<String, i64>,
    pub stock: Vec<StockNeed>,
    pub orders: Vec<PlannedOrder>,
    pub renewals_due: Vec<RenewalNotice>,
    /// Sum of the orders' totals.
    #[ts(type = "number")]
    pub total_amount: i64,
    /// When this month was run before (empty on the first run).
    pub earlier_runs: Vec<String>,
}

/// How far the run has come, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MonthProgress {
    pub phase: MonthPhase,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MonthPhase {
    Planning,
    Writing,
}

struct Plan {
    report: MonthRunReport,
    orders: Vec<NewOrder>,
    subs: Vec<SubRow>,
    resumed: Vec<i64>,
    slips: Vec<(i64, Option<i64>, i64)>,
    renewed: Vec<(i64, NaiveDate)>,
}

fn month_of(first: NaiveDate) -> String {
    first.format("%Y-%m").to_string()
}

/// What the run goes by while it walks the subscriptions: the shop's rules and what is already
/// decided (skips asked for, orders made by earlier runs). The forecast walks by the same.
pub(crate) struct Rules {
    pub settings: crate::settings::ShopSettings,
    pub products: HashMap<i64, crate::products::Product>,
    pub courses: HashMap<i64, crate::courses::Course>,
    pub skips: HashMap<(i64, NaiveDate), String>,
    pub made: HashSet<(i64, NaiveDate)>,
}

impl Rules {
    /// For `due` walked up to `end`.
    pub(crate) fn load(c: &Connection, due: &[SubRow], first: NaiveDate, end: NaiveDate) -> Result<Rules> {
        let from = due.iter().filter_map(|s| s.next_date).min().unwrap_or(first);
        Ok(Rules {
            settings: crate::settings::load(c)?,
            products: products_by_id(c)?,
            courses: courses_by_id(c)?,
            skips: ssql::all_skips(c, end)?,
            made: sql::orders_made(c, from.min(first), end)?,
        })
    }
}

/// What happens to a subscription as the run walks it.
pub(crate) enum Happening {
    /// A delivery not made, and why (no date: the subscription as a whole).
    Skipped(Option<NaiveDate>, String),
    /// A pause that ends by the month's end: the subscription runs again.
    Resumed,
    Delivered { date: NaiveDate, delivery_no: i64, next: NaiveDate, lines: Vec<(OrderLine, bool)>, totals: OrderTotals, membership: bool },
}

/// The prefecture a subscription ships to (its own address or the member's), looked up once.
pub(crate) fn prefecture_of(c: &Connection, s: &SubRow, cache: &mut HashMap<i64, String>) -> Result<String> {
    Ok(match s.address_id {
        None => s.member_prefecture.clone(),
        Some(a) => match cache.get(&a) {
            Some(p) => p.clone(),
            None => {
                let p = crate::store::members::address(c, a)?.map(|x| x.prefecture).unwrap_or_default();
                cache.insert(a, p.clone());
                p
            }
        },
    })
}

/// Walks `s` through every delivery due up to `end` by the run's rules (member status, pauses,
/// skips, orders already made, price per delivery number, fees), telling `on` what happens; `s`
/// ends as the run leaves it (next date, deliveries, status, valid until).
pub(crate) fn walk(s: &mut SubRow, end: NaiveDate, prefecture: &str, r: &Rules, on: &mut dyn FnMut(&SubRow, Happening)) {
    let course = s.course_id.and_then(|c| r.courses.get(&c));
    if s.member_merged || s.member_status != MemberStatus::Active {
        let why = if s.member_merged { "会員が名寄せで統合済み".to_string() } else { format!("会員が{}", s.member_status.label()) };
        on(s, Happening::Skipped(s.next_date, format!("{why}のため作成しません（定期の状態を確認してください）")));
        return;
    }
    let schedule = s.schedule();
    let Some(mut d) = s.next_date else { return };
    if s.status == SubscriptionStatus::Paused {
        match s.paused_until {
            Some(until) if until <= end => {
                let resume_at = schedule.first_on_or_after(d, until);
                if resume_at > d {
                    on(s, Happening::Skipped(Some(d), format!("休止中（{until} から再開）")));
                }
                d = resume_at;
                s.status = SubscriptionStatus::Active;
                s.paused_until = None;
                s.status_since = Some(until);
                on(s, Happening::Resumed);
            }
            Some(until) => {
                on(s, Happening::Skipped(Some(d), format!("休止中（{until} から再開）")));
                return;
            }
            None => {
                on(s, Happening::Skipped(Some(d), "休止中（再開日未定）".into()));
                return;
            }
        }
    }
    let mut guard = 0;
    while d <= end && guard < 400 {
        guard += 1;
        let next = schedule.after(d);
        if let Some(reason) = r.skips.get(&(s.id, d)) {
            on(s, Happening::Skipped(Some(d), if reason.is_empty() { "スキップ".into() } else { format!("スキップ（{reason}）") }));
            d = next;
            continue;
        }
        if r.made.contains(&(s.id, d)) {
            // Made by an earlier run whose next date was later moved back by hand.
            on(s, Happening::Skipped(Some(d), "この回の受注は作成済みです".into()));
            d = next;
            continue;
        }
        let delivery_no = s.deliveries + 1;
        let Some(lines) = delivery_lines(s, course, &r.products, delivery_no) else {
            on(s, Happening::Skipped(Some(d), "お届けする商品が決まっていません（コースを設定してください）".into()));
            break;
        };
        let free = course.is_none_or(|c| c.free_shipping);
        let (shipping, cod) = fees(&lines, prefecture, free, s.payment_method, &r.settings);
        let plain: Vec<OrderLine> = lines.iter().map(|l| l.0.clone()).collect();
        let totals = OrderTotals::compute(&plain, shipping, cod, &r.settings);
        let membership = course.is_some_and(|c| c.kind == CourseKind::Membership);
        if membership {
            s.valid_until = Some(next - Duration::days(1));
        }
        on(s, Happening::Delivered { date: d, delivery_no, next, lines, totals, membership });
        s.deliveries += 1;
        d = next;
    }
    s.next_date = Some(d);
}

/// The run's work, computed on `c` (the write transaction when committing).
fn plan(c: &Connection, first: NaiveDate, end: NaiveDate, progress: &mut dyn FnMut(MonthProgress)) -> Result<Plan> {
    let due = ssql::due(c, end)?;
    let rules = Rules::load(c, &due, first, end)?;
    let (products, courses) = (&rules.products, &rules.courses);
    let mut report = MonthRunReport {
        month: month_of(first),
        dry_run: true,
        orders_created: 0,
        bulletin_slips: 0,
        skipped: Vec::new(),
        by_course: BTreeMap::new(),
        stock_needed: BTreeMap::new(),
        stock: Vec::new(),
        orders: Vec::new(),
        renewals_due: Vec::new(),
        total_amount: 0,
        earlier_runs: sql::runs_of(c, &month_of(first))?,
    };
    let mut out = Plan { report: report.clone(), orders: Vec::new(), subs: Vec::new(), resumed: Vec::new(), slips: Vec::new(), renewed: Vec::new() };
    let mut needed: HashMap<i64, i64> = HashMap::new();
    let mut prefectures = HashMap::new();
    let total = due.len() as u64;
    for (i, mut s) in due.into_iter().enumerate() {
        if i % 500 == 0 {
            progress(MonthProgress { phase: MonthPhase::Planning, done: i as u64, total });
        }
        let original = s.clone();
        let prefecture = prefecture_of(c, &s, &mut prefectures)?;
        walk(&mut s, end, &prefecture, &rules, &mut |s, h| match h {
            Happening::Skipped(date, reason) => report.skipped.push(SkippedDelivery {
                subscription: s.id,
                member: s.member_code.clone(),
                member_name: s.member_name.clone(),
                course: s.course_name.clone(),
                date,
                reason,
            }),
            Happening::Resumed => out.resumed.push(s.id),
            Happening::Delivered { date: d, delivery_no, next, lines, totals, membership } => {
                for (l, shipped) in &lines {
                    if *shipped {
                        if let Some(p) = l.product_id {
                            *needed.entry(p).or_default() += l.quantity;
                        }
                    }
                }
                if membership {
                    out.renewed.push((s.member_id, next - Duration::days(1)));
                }
                report.orders.push(PlannedOrder {
                    subscription: s.id,
                    member: s.member_code.clone(),
                    member_name: s.member_name.clone(),
                    course: s.course_name.clone(),
                    date: d,
                    delivery_no,
                    total: totals.total,
                    late: d < first,
                    number: None,
                });
                *report.by_course.entry(s.course_name.clone()).or_default() += 1;
                report.total_amount += totals.total;
                out.orders.push(NewOrder {
                    member_id: s.member_id,
                    ordered_on: d,
                    channel: "定期".into(),
                    kind: if membership { OrderKind::Membership } else { OrderKind::Subscription },
                    subscription_id: Some(s.id),
                    delivery_no: Some(delivery_no),
                    scheduled_for: Some(d),
                    month_run_id: None,
                    address_id: s.address_id,
                    delivery_date: Some(d),
                    time_slot: s.time_slot.clone(),
                    payment_method: Some(s.payment_method),
                    lines: lines.into_iter().map(|l| l.0).collect(),
                    totals,
                    note: String::new(),
                    staff: String::new(),
                });
            }
        });
        if s.next_date != original.next_date || s.status != original.status || s.deliveries != original.deliveries {
            out.subs.push(s);
        }
    }
    // The bulletin: one copy per entitled member (active, wanting mail, membership valid).
    let renewed: HashMap<i64, NaiveDate> = out.subs.iter().filter_map(|s| s.valid_until.map(|v| (s.id, v))).collect();
    let resumed: HashSet<i64> = out.resumed.iter().copied().collect();
    let have = sql::slips_of(c, &month_of(first))?;
    let mut given: HashSet<i64> = HashSet::new();
    for (s, product) in ssql::with_bulletin(c)? {
        // Paused members get no copy, unless their pause ends with this run.
        let active = s.status == SubscriptionStatus::Active || resumed.contains(&s.id);
        if !active || given.contains(&s.member_id) || have.contains(&s.member_id) {
            continue;
        }
        let course = s.course_id.and_then(|c| courses.get(&c));
        let valid = renewed.get(&s.id).copied().or(s.valid_until);
        let reason = if s.member_merged || s.member_status != MemberStatus::Active {
            Some(format!("会報誌: 会員が{}", if s.member_merged { "統合済み" } else { s.member_status.label() }))
        } else if s.member_dm_opt_out {
            Some("会報誌: DM不要の会員".to_string())
        } else if course.is_some_and(|c| c.kind == CourseKind::Membership) && valid.is_none_or(|v| v < first) {
            Some(format!("会報誌: 会員の有効期限切れ（{}）", valid.map(|v| v.to_string()).unwrap_or_else(|| "未入金".into())))
        } else {
            None
        };
        if let Some(reason) = reason {
            report.skipped.push(SkippedDelivery {
                subscription: s.id,
                member: s.member_code.clone(),
                member_name: s.member_name.clone(),
                course: s.course_name.clone(),
                date: None,
                reason,
            });
            continue;
        }
        given.insert(s.member_id);
        out.slips.push((s.member_id, Some(s.id), product));
        *needed.entry(product).or_default() += 1;
    }
    report.bulletin_slips = out.slips.len() as u64;
    report.orders_created = out.orders.len() as u64;
    // Renewal notices for memberships whose end falls within their notice period.
    for (s, course) in ssql::memberships(c)? {
        let Some(course) = courses.get(&course) else { continue };
        let Some(v) = renewed.get(&s.id).copied().or(s.valid_until) else { continue };
        if v >= first && v <= end + Duration::days(course.renewal_notice_days) {
            report.renewals_due.push(RenewalNotice {
                subscription: s.id,
                member: s.member_code.clone(),
                member_name: s.member_name.clone(),
                course: course.name.clone(),
                valid_until: v,
            });
        }
    }
    for (pid, n) in needed {
        if let Some(p) = products.get(&pid) {
            report.stock_needed.insert(p.code.clone(), n);
            report.stock.push(StockNeed { code: p.code.clone(), name: p.name.clone(), needed: n, in_stock: p.stock, short: (n - p.stock).max(0) });
        }
    }
    report.stock.sort_by(|a, b| b.short.cmp(&a.short).then(a.code.cmp(&b.code)));
    progress(MonthProgress { phase: MonthPhase::Planning, done: total, total });
    out.report = report;
    Ok(out)
}

fn bounds(month: &str) -> Result<(NaiveDate, NaiveDate)> {
    let (first, end) = month_bounds(month)
        .ok_or_else(|| CoreError::field("month", format!("処理する月は YYYY-MM の形で指定してください（入力: {}）", month.trim())))?;
    let this = NaiveDate::from_ymd_opt(chrono::Datelike::year(&today()), chrono::Datelike::month(&today()), 1).expect("valid");
    if first > this + Months::new(3) {
        return Err(CoreError::field("month", format!("{} は先すぎます（月次処理は今月から3か月先まで）", month.trim())));
    }
    Ok((first, end))
}

impl Db {
    /// What running the month would create and skip; nothing is written.
    pub fn month_preview(&self, month: &str) -> Result<MonthRunReport> {
        let (first, end) = bounds(month)?;
        Ok(plan(&self.conn, first, end, &mut |_| {})?.report)
    }

    /// Runs the month in one transaction: every order, subscription update and bulletin slip,
    /// or nothing.
    pub fn month_run(&mut self, month: &str, staff: &str, progress: &mut dyn FnMut(MonthProgress)) -> Result<MonthRunReport> {
        let (first, end) = bounds(month)?;
        let staff = crate::normalize::tidy(staff);
        self.backup_before(crate::backup::BackupReason::BeforeMonthRun, "月次処理")?;
        let report = self.write_as(&staff, |tx| {
            let mut plan = plan(tx, first, end, progress)?;
            let now = now_stamp();
            let run = sql::insert_run(tx, &plan.report, &staff, &now)?;
            let numbers = osql::next_numbers(tx, plan.orders.len())?;
            let total = plan.orders.len() as u64;
            for (i, (o, number)) in plan.orders.iter_mut().zip(numbers).enumerate() {
                if i % 500 == 0 {
                    progress(MonthProgress { phase: MonthPhase::Writing, done: i as u64, total });
                }
                o.month_run_id = Some(run);
                o.staff = staff.clone();
                osql::insert(tx, &number, o, &now)?;
                plan.report.orders[i].number = Some(number);
            }
            for s in &plan.subs {
                ssql::save(tx, s)?;
                if plan.resumed.contains(&s.id) {
                    ssql::add_event(
                        tx,
                        &NewEvent {
                            subscription_id: s.id,
                            kind: EventKind::Resume,
                            happened_on: s.status_since.unwrap_or(first),
                            target_date: s.status_since,
                            from_course_id: None,
                            to_course_id: None,
                            reason: "休止期間の終了",
                            detail: &format!("{} の月次処理で再開", plan.report.month),
                            staff: &staff,
                        },
                        &now,
                    )?;
                }
            }
            for (member, until) in &plan.renewed {
                sql::extend_membership(tx, *member, *until)?;
            }
            for (member, sub, product) in &plan.slips {
                sql::insert_slip(tx, &plan.report.month, *member, *sub, *product, run, &now)?;
            }
            progress(MonthProgress { phase: MonthPhase::Writing, done: total, total });
            plan.report.dry_run = false;
            Ok(plan.report)
        })?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests;
