//! Retention of regular courses (membership fees are left out: they renew yearly).
//!
//! 回数別継続率: of the subscriptions started in the period, how many reached delivery n. A
//! subscription still running that has not yet had the chance of delivery n is neither kept nor
//! lost there (it is "censored"); so the rate for each step is taken only over those who have had
//! the chance, and the rates multiply (Kaplan–Meier). Without that, a period full of recent
//! starters would look like a collapse at delivery 3. The raw counts are shown beside it.
//!
//! Cohorts: subscriptions by start month, and the share not stopped at the end of each month
//! after (a triangle: later cohorts have fewer months behind them).
use super::{month_axis, months_between, first_of, Cell, Chart, ChartKind, Column, Figure, Period, ReportKind, ReportView, Table, TableRow, Unit};
use crate::error::Result;
use crate::store::{reports as sql, Db};
use chrono::Months;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Deliveries the retention table shows.
pub(crate) const STEPS: usize = 12;

/// One step of the retention table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetentionStep {
    pub delivery: u32,
    /// Subscriptions that reached this delivery.
    pub reached: u64,
    /// Those who had the chance: reached it, or stopped right after the one before.
    pub at_risk: u64,
    /// reached ÷ at_risk.
    pub step_rate: Option<f64>,
    /// The product of the step rates from delivery 1: the share that reaches this delivery.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
/// Retention of a group of subscriptions: a course, or an acquisition channel (申込経路).
pub struct GroupRetention {
    pub name: String,
    pub subscriptions: u64,
    pub deliveries: u64,
    pub average_deliveries: Option<f64>,
    pub steps: Vec<RetentionStep>,
}

#[derive(Debug, Clone, Serialize)]
pub struct F2Month {
    pub month: String,
    pub first_buyers: u64,
    pub second_purchase: u64,
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RetentionReport {
    /// Subscriptions started in the period.
    pub subscriptions: u64,
    /// Their deliveries so far (定期受注総数).
    pub deliveries: u64,
    /// 定期受注総数 ÷ 定期件数.
    pub average_deliveries: Option<f64>,
    pub steps: Vec<RetentionStep>,
    pub by_course: Vec<GroupRetention>,
    pub by_channel: Vec<GroupRetention>,
    pub f2: Vec<F2Month>,
}

/// The Kaplan–Meier steps for `subs` (deliveries so far, stopped or not), for deliveries 1..=n.
/// Delivery 1's "chance" is every subscription except those still waiting for their first.
pub(crate) fn steps(subs: &[(i64, bool)], n: usize) -> Vec<RetentionStep> {
    let mut out = Vec::with_capacity(n);
    let mut rate = 1.0;
    for k in 1..=n as i64 {
        let reached = subs.iter().filter(|s| s.0 >= k).count() as u64;
        let lost = subs.iter().filter(|s| s.0 == k - 1 && s.1).count() as u64;
        let at_risk = reached + lost;
        let step_rate = (at_risk > 0).then(|| reached as f64 / at_risk as f64);
        let r = match step_rate {
            Some(s) if rate > 0.0 => {
                rate *= s;
                Some(rate)
            }
            _ => None,
        };
        if r.is_none() {
            rate = 0.0;
        }
        out.push(RetentionStep { delivery: k as u32, reached, at_risk, step_rate, rate: r });
    }
    out
}

fn regular_in<'a>(subs: &'a [sql::SubFact], p: &'a Period) -> impl Iterator<Item = &'a sql::SubFact> {
    subs.iter().filter(move |s| {
        !s.membership
            && s.started_on.is_some_and(|d| d >= p.from && d <= p.to)
            && p.course.as_ref().is_none_or(|(id, _)| s.course_id == Some(*id))
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Cohort {
    pub month: String,
    pub started: u64,
    /// Still not stopped at the end of the start month, one month after, … up to this month.
    pub remaining: Vec<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CohortReport {
    pub cohorts: Vec<Cohort>,
    /// Subscriptions started in the period (the cohorts' sizes add up to it).
    pub started: u64,
}

impl Db {
    pub(super) fn retention_report_in(&self, p: &Period) -> Result<RetentionReport> {
        let subs = sql::subscriptions(&self.conn)?;
        let chosen: Vec<&sql::SubFact> = regular_in(&subs, p).collect();
        let facts: Vec<(i64, bool)> = chosen.iter().map(|s| (s.deliveries, s.stopped)).collect();
        let deliveries: u64 = chosen.iter().map(|s| s.deliveries.max(0) as u64).sum();
        let groups = |key: &dyn Fn(&sql::SubFact) -> String| -> Vec<GroupRetention> {
            let mut by: BTreeMap<String, Vec<(i64, bool)>> = BTreeMap::new();
            for s in &chosen {
                by.entry(key(s)).or_default().push((s.deliveries, s.stopped));
            }
            by.into_iter()
                .map(|(name, f)| {
                    let d: u64 = f.iter().map(|x| x.0.max(0) as u64).sum();
                    GroupRetention {
                        name,
                        subscriptions: f.len() as u64,
                        deliveries: d,
                        average_deliveries: (!f.is_empty()).then(|| d as f64 / f.len() as f64),
                        steps: steps(&f, STEPS),
                    }
                })
                .collect()
        };
        let by_course = groups(&|s| s.course_name.clone());
        let by_channel = groups(&|s| if s.channel.is_empty() { "（経路の記録なし）".to_string() } else { s.channel.clone() });
        Ok(RetentionReport {
            subscriptions: facts.len() as u64,
            deliveries,
            average_deliveries: (!facts.is_empty()).then(|| deliveries as f64 / facts.len() as f64),
            steps: steps(&facts, STEPS),
            by_course,
            by_channel,
            f2: self.f2_in(p)?,
        })
    }

    /// First-time buyers by the month of their first purchase, and how many bought again.
    fn f2_in(&self, p: &Period) -> Result<Vec<F2Month>> {
        let course_members = match &p.course {
            Some((id, _)) => Some(sql::members_on_course(&self.conn, *id)?),
            None => None,
        };
        // member → (first day, purchases)
        let mut first: HashMap<i64, (chrono::NaiveDate, u32)> = HashMap::new();
        sql::each_purchase(&self.conn, p.as_of, |m, d, _| {
            let e = first.entry(m).or_insert((d, 0));
            e.0 = e.0.min(d);
            e.1 += 1;
        })?;
        let months = p.months();
        let mut out: Vec<F2Month> = months.iter().map(|m| F2Month { month: super::month_key(*m), first_buyers: 0, second_purchase: 0, rate: None }).collect();
        for (m, (d, n)) in first {
            if course_members.as_ref().is_some_and(|s| !s.contains(&m)) {
                continue;
            }
            if let Some(i) = p.index(d) {
                out[i].first_buyers += 1;
                if n >= 2 {
                    out[i].second_purchase += 1;
                }
            }
        }
        for f in &mut out {
            f.rate = (f.first_buyers > 0).then(|| f.second_purchase as f64 / f.first_buyers as f64);
        }
        Ok(out)
    }

    pub(super) fn cohort_report_in(&self, p: &Period) -> Result<CohortReport> {
        let subs = sql::subscriptions(&self.conn)?;
        let this = first_of(p.as_of);
        let months = p.months();
        let mut cohorts: Vec<Cohort> = months
            .iter()
            .map(|m| Cohort { month: super::month_key(*m), started: 0, remaining: vec![0; (months_between(*m, this).max(-1) + 1) as usize] })
            .collect();
        for s in regular_in(&subs, p) {
            let start = first_of(s.started_on.expect("filtered"));
            let i = months_between(first_of(p.from), start) as usize;
            let c = &mut cohorts[i];
            c.started += 1;
            for (k, r) in c.remaining.iter_mut().enumerate() {
                let end = (start + Months::new(k as u32 + 1)).pred_opt().expect("valid");
                if s.stopped_on.is_none_or(|d| d > end) {
                    *r += 1;
                }
            }
        }
        let started = cohorts.iter().map(|c| c.started).sum();
        Ok(CohortReport { cohorts, started })
    }
}

fn rate_cells(steps: &[RetentionStep]) -> Vec<Cell> {
    steps.iter().map(|s| s.rate.map(Cell::rate).unwrap_or_else(|| Cell::text("―"))).collect()
}

impl RetentionReport {
    pub(super) fn view(&self, p: &Period) -> ReportView {
        let mut v = ReportView::new(ReportKind::Retention, p);
        v.figures.push(Figure::new("期間に始まった定期", Cell::count(self.subscriptions as i64), Unit::Count));
        v.figures.push(Figure::new("平均継続回数", self.average_deliveries.map(Cell::decimal).unwrap_or_else(|| Cell::text("―")), Unit::Decimal));
        for k in [2usize, 3, 6, 12] {
            if let Some(r) = self.steps.get(k - 1).and_then(|s| s.rate) {
                v.figures.push(Figure::new(&format!("{k}回目継続率"), Cell::rate(r), Unit::Percent));
            }
        }
        let labels: Vec<String> = (1..=STEPS).map(|k| format!("{k}回目")).collect();
        let mut chart = Chart::new(ChartKind::Line, Unit::Percent, labels.clone())
            .series("全コース", self.steps.iter().map(|s| s.rate.map(|r| (r * 1000.0).round() / 10.0).unwrap_or(f64::NAN)).collect());
        for c in self.by_course.iter().filter(|c| c.subscriptions >= 10) {
            chart = chart.series(&c.name, c.steps.iter().map(|s| s.rate.map(|r| (r * 1000.0).round() / 10.0).unwrap_or(f64::NAN)).collect());
        }
        let mut t = Table::new(&[("回数", Unit::Text), ("到達した定期", Unit::Count), ("対象（機会のあった定期）", Unit::Count), ("前回からの継続率", Unit::Percent), ("継続率（初回から）", Unit::Percent)]);
        for s in &self.steps {
            t.rows.push(TableRow::new(vec![
                Cell::text(format!("{}回目", s.delivery)),
                Cell::count(s.reached as i64),
                Cell::count(s.at_risk as i64),
                s.step_rate.map(Cell::rate).unwrap_or_else(|| Cell::text("―")),
                s.rate.map(Cell::rate).unwrap_or_else(|| Cell::text("―")),
            ]));
        }
        v.section(
            "回数別継続率",
            "期間中に始まった定期（会費コースを除く）。まだその回を迎えていない継続中の定期は、その回の対象に含めません（カプランマイヤー法）。",
            Some(chart),
            t,
        );
        let total = GroupRetention { name: "全体".into(), subscriptions: self.subscriptions, deliveries: self.deliveries, average_deliveries: self.average_deliveries, steps: self.steps.clone() };
        let table = |first: &str, groups: &[GroupRetention]| {
            let mut cols = vec![Column { label: first.into(), unit: Unit::Text }, Column { label: "定期件数".into(), unit: Unit::Count }, Column { label: "定期受注総数".into(), unit: Unit::Count }, Column { label: "平均継続回数".into(), unit: Unit::Decimal }];
            cols.extend((2..=STEPS).map(|k| Column { label: format!("{k}回目"), unit: Unit::Percent }));
            let mut t = Table::with_columns(cols);
            for (c, is_total) in groups.iter().map(|c| (c, false)).chain([(&total, true)]) {
                let mut cells = vec![
                    Cell::text(&c.name),
                    Cell::count(c.subscriptions as i64),
                    Cell::count(c.deliveries as i64),
                    c.average_deliveries.map(Cell::decimal).unwrap_or_else(|| Cell::text("―")),
                ];
                cells.extend(rate_cells(&c.steps[1..]));
                t.rows.push(TableRow { cells, total: is_total });
            }
            t
        };
        v.section("コース別（平均継続回数 = 定期受注総数 ÷ 定期件数）", "コースはいまのコース（スイッチした定期は移った先）で数えています。", None, table("コース", &self.by_course));
        let mut chart = Chart::new(ChartKind::Line, Unit::Percent, labels.clone());
        for c in self.by_channel.iter().filter(|c| c.subscriptions >= 10) {
            chart = chart.series(&c.name, c.steps.iter().map(|s| s.rate.map(|r| (r * 1000.0).round() / 10.0).unwrap_or(f64::NAN)).collect());
        }
        v.section(
            "申込経路別",
            "定期のお申込み時に記録した経路（電話・Web・はがき・紹介 …）ごとの継続率。経路を記録していない定期（旧システムからの取込など）は「経路の記録なし」。",
            (!chart.series.is_empty()).then_some(chart),
            table("申込経路", &self.by_channel),
        );
        let axis = month_axis(p);
        let chart = Chart::new(ChartKind::Bar, Unit::Percent, axis).series("F2転換率", self.f2.iter().map(|f| f.rate.map(|r| (r * 1000.0).round() / 10.0).unwrap_or(0.0)).collect());
        let mut t = Table::new(&[("初回購入月", Unit::Text), ("初回購入者", Unit::Count), ("2回目を購入", Unit::Count), ("F2転換率", Unit::Percent)]);
        for f in &self.f2 {
            t.rows.push(TableRow::new(vec![Cell::text(&f.month), Cell::count(f.first_buyers as i64), Cell::count(f.second_purchase as i64), Cell::pct(f.second_purchase as f64, f.first_buyers as f64)]));
        }
        let (a, b) = (self.f2.iter().map(|f| f.first_buyers).sum::<u64>(), self.f2.iter().map(|f| f.second_purchase).sum::<u64>());
        t.rows.push(TableRow::total(vec![Cell::text("期間計"), Cell::count(a as i64), Cell::count(b as i64), Cell::pct(b as f64, a as f64)]));
        v.section("F2転換率（初回購入者が2回目も購入した割合）", "初めての購入（定期・都度とも、取消を除く）がその月だった会員のうち、今日までに2回目の購入がある会員の割合。", Some(chart), t);
        v
    }
}

impl CohortReport {
    pub(super) fn view(&self, p: &Period) -> ReportView {
        let mut v = ReportView::new(ReportKind::Cohorts, p);
        v.figures.push(Figure::new("期間に始まった定期", Cell::count(self.started as i64), Unit::Count));
        let width = self.cohorts.iter().map(|c| c.remaining.len()).max().unwrap_or(0);
        let mut cols = vec![Column { label: "開始月".into(), unit: Unit::Text }, Column { label: "開始件数".into(), unit: Unit::Count }];
        cols.extend((0..width).map(|k| Column { label: if k == 0 { "当月末".into() } else { format!("{k}か月後") }, unit: Unit::Percent }));
        let mut t = Table::with_columns(cols);
        t.heat = true;
        for c in &self.cohorts {
            let mut cells = vec![Cell::text(&c.month), Cell::count(c.started as i64)];
            cells.extend((0..width).map(|k| match c.remaining.get(k) {
                Some(r) if c.started > 0 => Cell::pct(*r as f64, c.started as f64),
                _ => Cell::empty(),
            }));
            t.rows.push(TableRow::new(cells));
        }
        let mut totals = vec![Cell::text("合計"), Cell::count(self.started as i64)];
        totals.extend((0..width).map(|k| {
            let (r, n): (u64, u64) = self.cohorts.iter().filter_map(|c| c.remaining.get(k).map(|r| (*r, c.started))).fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
            if n > 0 { Cell::pct(r as f64, n as f64) } else { Cell::empty() }
        }));
        t.rows.push(TableRow::total(totals));
        let mut chart = Chart::new(ChartKind::Line, Unit::Percent, (0..width).map(|k| if k == 0 { "当月末".into() } else { format!("{k}か月後") }).collect());
        // The last few cohorts with a few months behind them: more lines would be unreadable.
        for c in self.cohorts.iter().filter(|c| c.started > 0 && c.remaining.len() >= 3).rev().take(6).collect::<Vec<_>>().into_iter().rev() {
            chart = chart.series(&c.month, (0..width).map(|k| c.remaining.get(k).map(|r| (*r as f64 * 1000.0 / c.started as f64).round() / 10.0).unwrap_or(f64::NAN)).collect());
        }
        v.section(
            "開始月別の継続率（コホート）",
            "各月に始まった定期（会費コースを除く）のうち、その後の各月末にストップしていない割合。休止中は継続として数えます。",
            Some(chart),
            t,
        );
        v
    }
}
