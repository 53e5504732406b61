//! The start screen's figures: this month against last month, and the last year's sales on the
//! two tracks. Computed by the reports' own functions, so a figure here is the same number the
//! report shows.
use super::{first_of, month_key, month_label, Cell, Chart, ChartKind, Figure, Period, ReportKind, Section, Table, TableRow, Unit};
use crate::clock::today;
use crate::error::Result;
use crate::store::{reports as sql, Db};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dashboard {
    /// 「2026年11月」
    pub month: String,
    pub as_of: NaiveDate,
    pub figures: Vec<Figure>,
    pub sections: Vec<Section>,
    #[ts(type = "number")]
    pub millis: u64,
}

impl Db {
    pub fn dashboard(&self) -> Result<Dashboard> {
        let started = std::time::Instant::now();
        let as_of = today();
        let this = first_of(as_of);
        let last = this - Months::new(1);
        let end = |m: NaiveDate| (m + Months::new(1)).pred_opt().expect("valid");
        let two = Period { from: last, to: end(this), course: None, as_of };
        let mut figures = Vec::new();

        let members = self.members_report_in(&two)?;
        figures.push(Figure::new("有効会員", Cell::count(members.months[1].active as i64), Unit::Count).against(members.months[0].active as f64, true));

        let subs = sql::subscriptions(&self.conn)?;
        let regular = || subs.iter().filter(|s| !s.membership);
        let running_at = |d: NaiveDate| regular().filter(|s| s.started_on.is_some_and(|x| x <= d) && s.stopped_on.is_none_or(|x| x > d)).count() as f64;
        figures.push(Figure::new("継続中の定期", Cell::count(running_at(as_of) as i64), Unit::Count).against(running_at(end(last)), true));
        let started_in = |m: NaiveDate| regular().filter(|s| s.started_on.is_some_and(|x| first_of(x) == m)).count() as f64;
        figures.push(Figure::new("新しい定期", Cell::count(started_in(this) as i64), Unit::Count).against(started_in(last), true));
        let stopped_in = |m: NaiveDate| regular().filter(|s| s.stopped_on.is_some_and(|x| first_of(x) == m)).count() as f64;
        figures.push(Figure::new("ストップ（解約）", Cell::count(stopped_in(this) as i64), Unit::Count).against(stopped_in(last), false));

        // A year of orders on the two tracks; this month and last from the same pass.
        let year = Period { from: this - Months::new(11), to: end(this), course: None, as_of };
        let months = year.months();
        let n = months.len();
        let mut tracks = [vec![0i64; n], vec![0i64; n], vec![0i64; n]];
        for o in sql::orders(&self.conn, year.from, year.to, None)? {
            let Some(i) = year.index(o.ordered_on) else { continue };
            let t = match o.kind {
                crate::orders::OrderKind::Subscription => 0,
                crate::orders::OrderKind::Membership => 1,
                crate::orders::OrderKind::OneOff => 2,
            };
            tracks[t][i] += o.total;
        }
        let total = |i: usize| tracks.iter().map(|t| t[i]).sum::<i64>();
        figures.push(Figure::new("今月の売上（定期の予定を含む）", Cell::yen(total(n - 1)), Unit::Yen).against(total(n - 2) as f64, true));

        let money = self.receivables_report_in(&two)?;
        let overdue: i64 = money.ages[1..].iter().map(|a| a.amount).sum();
        let mut f = Figure::new("期限切れの未入金", Cell::yen(overdue), Unit::Yen);
        f.up_is_good = false;
        figures.push(f);

        let axis: Vec<String> = months.iter().map(|m| format!("{}月", chrono::Datelike::month(m))).collect();
        let chart = Chart::new(ChartKind::StackedBar, Unit::Yen, axis)
            .series("定期", tracks[0].iter().map(|x| *x as f64).collect())
            .series("会費", tracks[1].iter().map(|x| *x as f64).collect())
            .series("都度", tracks[2].iter().map(|x| *x as f64).collect());
        let mut t = Table::with_columns(
            std::iter::once(super::Column { label: String::new(), unit: Unit::Text })
                .chain(months.iter().map(|m| super::Column { label: month_key(*m), unit: Unit::Yen }))
                .collect(),
        );
        for (name, v) in ["定期", "会費", "都度"].iter().zip(&tracks) {
            let mut cells = vec![Cell::text(*name)];
            cells.extend(v.iter().map(|x| Cell::yen(*x)));
            t.rows.push(TableRow::new(cells));
        }
        let sections = vec![Section {
            title: "売上の推移（定期 / 会費 / 都度）".into(),
            note: format!("{}。取消を除く受注を受注日の月で集計。", ReportKind::Sales.title()),
            chart: Some(chart),
            table: t,
        }];
        Ok(Dashboard { month: month_label(this), as_of, figures, sections, millis: started.elapsed().as_millis() as u64 })
    }
}
