//! The next months: orders, revenue and goods from the subscriptions running now.
//!
//! Each subscription is walked month by month by the monthly run's own rules (`month::walk`:
//! schedules, pauses, skips already asked for, price per delivery number, fees), so the first
//! month is exactly what the next run's preview shows. From the second month on, each delivery
//! counts with the chance that the subscription is still running by then: the retention measured
//! on the shop's own subscriptions of that course (Kaplan–Meier per delivery number, the whole
//! shop's curve when a course has fewer than 30), conditional on the deliveries it will have had
//! by the end of the first month. New subscriptions are not guessed.
use super::retention::steps;
use super::{first_of, month_axis, month_columns, month_key, Cell, Chart, ChartKind, Column, Figure, Period, ReportKind, ReportView, Table, TableRow, Unit};
use crate::error::Result;
use crate::month::{prefecture_of, walk, Happening, Rules};
use crate::store::subscriptions as ssql;
use crate::store::{reports as sql, Db};
use chrono::{Months, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Subscriptions a course needs before its own retention curve is used.
const OWN_CURVE_MIN: usize = 30;
/// Deliveries the curves are measured to; beyond, the last step's rate repeats.
const CURVE_LEN: usize = 120;

/// The month the forecast starts with: the next monthly run's (this month until it has run).
pub(crate) fn first_month(c: &Connection, today: NaiveDate) -> Result<NaiveDate> {
    let this = first_of(today);
    let last: Option<String> = c.query_row("SELECT max(month) FROM month_runs", [], |r| r.get(0))?;
    let last = last.and_then(|m| crate::schedule::month_bounds(&m)).map(|b| b.0);
    Ok(match last {
        Some(m) if m >= this => m + Months::new(1),
        _ => this,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ForecastMonth {
    pub month: String,
    /// The next run's month: the orders it will make, not an estimate.
    pub certain: bool,
    pub orders: f64,
    pub amount: f64,
    pub by_course: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StockForecast {
    pub code: String,
    pub name: String,
    pub in_stock: i64,
    /// Expected quantity per month.
    pub needed: Vec<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForecastReport {
    pub months: Vec<ForecastMonth>,
    pub stock: Vec<StockForecast>,
    /// Subscriptions walked (running or paused).
    pub subscriptions: u64,
}

/// Survival curves: S[n] = the share reaching delivery n (S[0] = 1).
struct Curves {
    shop: Vec<f64>,
    by_course: HashMap<i64, Vec<f64>>,
}

fn curve(facts: &[(i64, bool)]) -> Vec<f64> {
    let mut s = vec![1.0];
    let mut last_step = 1.0;
    for st in steps(facts, CURVE_LEN) {
        let step = st.step_rate.unwrap_or(last_step);
        last_step = step;
        let prev = *s.last().expect("starts with 1");
        s.push(prev * step);
    }
    s
}

impl Curves {
    fn measure(c: &Connection) -> Result<Curves> {
        let subs = sql::subscriptions(c)?;
        let mut per: HashMap<i64, Vec<(i64, bool)>> = HashMap::new();
        let mut regular = Vec::new();
        for s in &subs {
            let f = (s.deliveries, s.stopped);
            if !s.membership {
                regular.push(f);
            }
            if let Some(id) = s.course_id {
                per.entry(id).or_default().push(f);
            }
        }
        Ok(Curves {
            shop: curve(&regular),
            by_course: per.into_iter().filter(|(_, f)| f.len() >= OWN_CURVE_MIN).map(|(id, f)| (id, curve(&f))).collect(),
        })
    }

    /// The chance that a subscription which has had `base` deliveries reaches delivery `n`.
    fn reach(&self, course: Option<i64>, base: i64, n: i64) -> f64 {
        let s = course.and_then(|c| self.by_course.get(&c)).unwrap_or(&self.shop);
        let at = |k: i64| -> f64 {
            let k = k.max(0) as usize;
            if k < s.len() {
                s[k]
            } else {
                // Past the measured curve: the last step's rate again and again.
                let last = s[s.len() - 1];
                let step = if s.len() >= 2 && s[s.len() - 2] > 0.0 { last / s[s.len() - 2] } else { 1.0 };
                last * step.powi((k - s.len() + 1) as i32)
            }
        };
        let b = at(base);
        if b <= 0.0 {
            0.0
        } else {
            (at(n) / b).min(1.0)
        }
    }
}

impl Db {
    pub(super) fn forecast_report_in(&self, p: &Period) -> Result<ForecastReport> {
        let c = &self.conn;
        let first = first_month(c, p.as_of)?;
        let walk_months: Vec<NaiveDate> = {
            let mut v = Vec::new();
            let mut m = first;
            while m <= p.to {
                v.push(m);
                m = m + Months::new(1);
            }
            v
        };
        let due = ssql::due(c, p.to)?;
        let rules = Rules::load(c, &due, first, p.to)?;
        let curves = Curves::measure(c)?;
        let shown = p.months();
        let n = shown.len();
        let mut months: Vec<ForecastMonth> =
            shown.iter().map(|m| ForecastMonth { month: month_key(*m), certain: *m == first, orders: 0.0, amount: 0.0, by_course: BTreeMap::new() }).collect();
        let mut needed: HashMap<i64, Vec<f64>> = HashMap::new();
        let mut prefectures = HashMap::new();
        let mut walked = 0u64;
        for mut s in due {
            if let Some((id, _)) = &p.course {
                if s.course_id != Some(*id) {
                    continue;
                }
            }
            walked += 1;
            let prefecture = prefecture_of(c, &s, &mut prefectures)?;
            let mut base = s.deliveries;
            for (k, m) in walk_months.iter().enumerate() {
                let end = (*m + Months::new(1)).pred_opt().expect("valid");
                let shown_at = p.index(*m);
                let course = s.course_id;
                walk(&mut s, end, &prefecture, &rules, &mut |s, h| {
                    let Happening::Delivered { delivery_no, lines, totals, .. } = h else { return };
                    let weight = if k == 0 { 1.0 } else { curves.reach(course, base, delivery_no) };
                    let Some(i) = shown_at else { return };
                    let f = &mut months[i];
                    f.orders += weight;
                    f.amount += weight * totals.total as f64;
                    *f.by_course.entry(s.course_name.clone()).or_default() += weight;
                    for (l, shipped) in &lines {
                        if let (true, Some(pid)) = (*shipped, l.product_id) {
                            needed.entry(pid).or_insert_with(|| vec![0.0; n])[i] += weight * l.quantity as f64;
                        }
                    }
                });
                if k == 0 {
                    // What the next run makes is certain; later months count from there.
                    base = s.deliveries;
                }
            }
        }
        let mut stock: Vec<StockForecast> = needed
            .into_iter()
            .filter_map(|(pid, needed)| rules.products.get(&pid).map(|p| StockForecast { code: p.code.clone(), name: p.name.clone(), in_stock: p.stock, needed }))
            .collect();
        stock.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(ForecastReport { months, stock, subscriptions: walked })
    }
}

impl ForecastReport {
    pub(super) fn view(&self, p: &Period) -> ReportView {
        let mut v = ReportView::new(ReportKind::Forecast, p);
        if let Some(m) = self.months.first() {
            let label = if m.certain { "次の月次処理の売上（確定分）" } else { "最初の月の売上見込み" };
            v.figures.push(Figure::new(label, Cell::yen(m.amount.round() as i64), Unit::Yen));
            v.figures.push(Figure::new(if m.certain { "次の月次処理の受注件数" } else { "最初の月の受注見込み" }, Cell::count(m.orders.round() as i64), Unit::Count));
        }
        let total: f64 = self.months.iter().map(|m| m.amount).sum();
        v.figures.push(Figure::new("期間の売上見込み", Cell::yen(total.round() as i64), Unit::Yen));
        v.figures.push(Figure::new("対象の定期", Cell::count(self.subscriptions as i64), Unit::Count));
        let chart = Chart::new(ChartKind::Bar, Unit::Yen, month_axis(p)).series("売上見込み", self.months.iter().map(|m| m.amount.round()).collect());
        let mut t = Table::with_columns(month_columns(("", Unit::Text), p, Unit::Decimal, Some("期間計")));
        let mut cells = vec![Cell::text("受注件数（見込み）")];
        cells.extend(self.months.iter().map(|m| Cell::decimal(m.orders)));
        cells.push(Cell::decimal(self.months.iter().map(|m| m.orders).sum()));
        t.rows.push(TableRow::new(cells));
        let mut cells = vec![Cell::text("売上（見込み・税込）")];
        cells.extend(self.months.iter().map(|m| Cell::yen(m.amount.round() as i64)));
        cells.push(Cell::yen(total.round() as i64));
        t.rows.push(TableRow::total(cells));
        let mut cells = vec![Cell::text("根拠")];
        cells.extend(self.months.iter().map(|m| Cell::text(if m.certain { "次の月次処理" } else { "継続率で見込み" })));
        cells.push(Cell::empty());
        t.rows.push(TableRow::new(cells));
        v.section(
            "月別の見込み",
            "いま継続中・休止中の定期を、月次処理と同じ規則（お届け周期・休止・登録済みのスキップ・回数別価格・送料）で進めた見込みです。最初の月（次の月次処理）はプレビューと同じ確定分、2か月目からは回数別継続率を掛けています。新しいお申込みは含みません。",
            Some(chart),
            t,
        );
        let courses: Vec<String> = {
            let mut set: Vec<String> = self.months.iter().flat_map(|m| m.by_course.keys().cloned()).collect();
            set.sort();
            set.dedup();
            set
        };
        let mut t = Table::with_columns(month_columns(("コース", Unit::Text), p, Unit::Decimal, Some("期間計")));
        for c in &courses {
            let vals: Vec<f64> = self.months.iter().map(|m| m.by_course.get(c).copied().unwrap_or(0.0)).collect();
            let mut cells = vec![Cell::text(c)];
            cells.extend(vals.iter().map(|x| Cell::decimal(*x)));
            cells.push(Cell::decimal(vals.iter().sum()));
            t.rows.push(TableRow::new(cells));
        }
        v.section("コース別の受注件数（見込み）", "", None, t);
        let mut cols = vec![Column { label: "商品コード".into(), unit: Unit::Text }];
        cols.extend(month_columns(("商品名", Unit::Text), p, Unit::Count, None));
        cols.insert(2, Column { label: "在庫".into(), unit: Unit::Count });
        cols.push(Column { label: "期間計".into(), unit: Unit::Count });
        cols.push(Column { label: "不足（期間計 - 在庫）".into(), unit: Unit::Count });
        let mut t = Table::with_columns(cols);
        for s in &self.stock {
            let mut cells = vec![Cell::text(&s.code), Cell::text(&s.name), Cell::count(s.in_stock)];
            // Goods are ordered whole: each month rounded up.
            let whole: Vec<i64> = s.needed.iter().map(|x| (x - 1e-9).ceil().max(0.0) as i64).collect();
            cells.extend(whole.iter().map(|x| Cell::count(*x)));
            let sum: i64 = whole.iter().sum();
            cells.push(Cell::count(sum));
            cells.push(Cell::count((sum - s.in_stock).max(0)));
            t.rows.push(TableRow::new(cells));
        }
        v.section("必要な在庫（商品別・月別）", "お届けする商品の数量の見込み（月ごとに切り上げ）。会報誌は含みません。", None, t);
        v
    }
}
