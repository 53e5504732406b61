//! 3S: skips, switches (from → to) and stops per month and per course, pauses beside them, and
//! the stop reasons ranked. Skips taken back are not counted.
use super::{month_axis, month_columns, Cell, Chart, ChartKind, Figure, Period, ReportKind, ReportView, Table, TableRow, Unit};
use crate::error::Result;
use crate::store::{reports as sql, Db};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ThreeSCounts {
    pub skips: u64,
    pub switches: u64,
    pub stops: u64,
    pub pauses: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThreeSReport {
    /// Per month of the period.
    pub months: Vec<(String, ThreeSCounts)>,
    /// Per course (the subscription's course; a switch counts for the course left).
    pub by_course: Vec<(String, ThreeSCounts)>,
    /// (from, to, switches), most first.
    pub switches: Vec<(String, String, u64)>,
    pub stop_reasons: Vec<(String, u64)>,
    pub total: ThreeSCounts,
}

impl ThreeSCounts {
    fn add(&mut self, kind: &str) {
        match kind {
            "skip" => self.skips += 1,
            "switch" => self.switches += 1,
            "stop" => self.stops += 1,
            _ => self.pauses += 1,
        }
    }
}

impl Db {
    pub(super) fn three_s_report_in(&self, p: &Period) -> Result<ThreeSReport> {
        let subs: HashMap<i64, (Option<i64>, String)> = sql::subscriptions(&self.conn)?.into_iter().map(|s| (s.id, (s.course_id, s.course_name))).collect();
        let names = sql::course_names(&self.conn)?;
        let name = |id: Option<i64>| id.and_then(|i| names.get(&i).cloned()).unwrap_or_else(|| "（コースなし）".into());
        let mut months: Vec<(String, ThreeSCounts)> = p.months().into_iter().map(|m| (super::month_key(m), ThreeSCounts::default())).collect();
        let mut by_course: BTreeMap<String, ThreeSCounts> = BTreeMap::new();
        let mut switches: BTreeMap<(String, String), u64> = BTreeMap::new();
        let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
        let mut total = ThreeSCounts::default();
        for e in sql::events(&self.conn, p.from, p.to)? {
            // Subscriptions of merged-away members are not in `subs`.
            let Some((current, current_name)) = subs.get(&e.subscription_id) else { continue };
            let course = if e.kind == "switch" { e.from_course } else { *current };
            if let Some((id, _)) = &p.course {
                let touches = course == Some(*id) || (e.kind == "switch" && e.to_course == Some(*id));
                if !touches {
                    continue;
                }
            }
            let Some(i) = p.index(e.on) else { continue };
            months[i].1.add(&e.kind);
            total.add(&e.kind);
            let course_name = if e.kind == "switch" { name(e.from_course) } else if current.is_some() { name(*current) } else { current_name.clone() };
            by_course.entry(course_name).or_default().add(&e.kind);
            match e.kind.as_str() {
                "switch" => *switches.entry((name(e.from_course), name(e.to_course))).or_default() += 1,
                "stop" => {
                    let r = if e.reason.trim().is_empty() { "（理由の記録なし）".to_string() } else { e.reason.trim().to_string() };
                    *reasons.entry(r).or_default() += 1;
                }
                _ => {}
            }
        }
        let mut switches: Vec<(String, String, u64)> = switches.into_iter().map(|((a, b), n)| (a, b, n)).collect();
        switches.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
        let mut stop_reasons: Vec<(String, u64)> = reasons.into_iter().collect();
        stop_reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(ThreeSReport { months, by_course: by_course.into_iter().collect(), switches, stop_reasons, total })
    }
}

impl ThreeSReport {
    pub(super) fn view(&self, p: &Period) -> ReportView {
        let mut v = ReportView::new(ReportKind::ThreeS, p);
        v.figures.push(Figure::new("スキップ", Cell::count(self.total.skips as i64), Unit::Count));
        v.figures.push(Figure::new("スイッチ", Cell::count(self.total.switches as i64), Unit::Count));
        v.figures.push(Figure::new("ストップ", Cell::count(self.total.stops as i64), Unit::Count));
        v.figures.push(Figure::new("休止", Cell::count(self.total.pauses as i64), Unit::Count));
        let col = |f: fn(&ThreeSCounts) -> u64| self.months.iter().map(|m| f(&m.1) as f64).collect::<Vec<f64>>();
        let chart = Chart::new(ChartKind::StackedBar, Unit::Count, month_axis(p))
            .series("スキップ", col(|c| c.skips))
            .series("スイッチ", col(|c| c.switches))
            .series("ストップ", col(|c| c.stops))
            .series("休止", col(|c| c.pauses));
        let mut t = Table::with_columns(month_columns(("", Unit::Text), p, Unit::Count, Some("期間計")));
        for (label, f) in [
            ("スキップ", (|c: &ThreeSCounts| c.skips) as fn(&ThreeSCounts) -> u64),
            ("スイッチ", |c| c.switches),
            ("ストップ", |c| c.stops),
            ("休止", |c| c.pauses),
        ] {
            let mut cells = vec![Cell::text(label)];
            cells.extend(self.months.iter().map(|m| Cell::count(f(&m.1) as i64)));
            cells.push(Cell::count(f(&self.total) as i64));
            t.rows.push(TableRow::new(cells));
        }
        v.section("月別の3S", "スキップは取り消されたものを除きます。日付はお客様から連絡を受けて登録した日です。", Some(chart), t);
        let mut t = Table::new(&[("コース", Unit::Text), ("スキップ", Unit::Count), ("スイッチ（移った元）", Unit::Count), ("ストップ", Unit::Count), ("休止", Unit::Count)]);
        for (c, n) in &self.by_course {
            t.rows.push(TableRow::new(vec![Cell::text(c), Cell::count(n.skips as i64), Cell::count(n.switches as i64), Cell::count(n.stops as i64), Cell::count(n.pauses as i64)]));
        }
        let n = &self.total;
        t.rows.push(TableRow::total(vec![Cell::text("合計"), Cell::count(n.skips as i64), Cell::count(n.switches as i64), Cell::count(n.stops as i64), Cell::count(n.pauses as i64)]));
        v.section("コース別", "スイッチは移る前のコースで数えます。", None, t);
        let mut t = Table::new(&[("移った元", Unit::Text), ("移った先", Unit::Text), ("件数", Unit::Count)]);
        for (a, b, n) in &self.switches {
            t.rows.push(TableRow::new(vec![Cell::text(a), Cell::text(b), Cell::count(*n as i64)]));
        }
        t.rows.push(TableRow::total(vec![Cell::text("合計"), Cell::empty(), Cell::count(self.total.switches as i64)]));
        v.section("スイッチ（どのコースからどのコースへ）", "", None, t);
        let total: u64 = self.stop_reasons.iter().map(|r| r.1).sum();
        let chart = Chart::new(ChartKind::HorizontalBar, Unit::Count, self.stop_reasons.iter().map(|r| r.0.clone()).collect())
            .series("件数", self.stop_reasons.iter().map(|r| r.1 as f64).collect());
        let mut t = Table::new(&[("順位", Unit::Count), ("解約理由", Unit::Text), ("件数", Unit::Count), ("構成比", Unit::Percent)]);
        for (i, (r, n)) in self.stop_reasons.iter().enumerate() {
            t.rows.push(TableRow::new(vec![Cell::count(i as i64 + 1), Cell::text(r), Cell::count(*n as i64), Cell::pct(*n as f64, total as f64)]));
        }
        t.rows.push(TableRow::total(vec![Cell::empty(), Cell::text("合計"), Cell::count(total as i64), Cell::pct(total as f64, total as f64)]));
        v.section("解約理由（多い順）", "「退会」は会員の退会に伴って止まった定期です。", (!self.stop_reasons.is_empty()).then_some(chart), t);
        v
    }
}
