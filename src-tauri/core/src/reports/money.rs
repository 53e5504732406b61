//! Money: what is unpaid by age today, how well direct debit collects, and money in per month.
use super::{month_axis, month_columns, Cell, Chart, ChartKind, Figure, Period, ReportKind, ReportView, Table, TableRow, Unit};
use crate::error::Result;
use crate::orders::PaymentMethod;
use crate::store::{reports as sql, Db};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct AgeRow {
    pub label: String,
    pub invoices: u64,
    pub amount: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DebitMonthRow {
    pub month: String,
    pub debit_on: String,
    pub records: i64,
    pub amount: i64,
    pub collected: i64,
    pub collected_amount: i64,
    pub failed: i64,
    pub failed_amount: i64,
    pub waiting: i64,
    /// Collected amount ÷ requested amount, once the result is in.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReceivablesReport {
    /// 期限内, then days past due 1–30, 31–60, 61–90, 91+ (the dunning screen's buckets).
    pub ages: Vec<AgeRow>,
    /// All open balances (the ages add up to it).
    pub open_total: i64,
    pub debit: Vec<DebitMonthRow>,
    /// Per method: amounts per month of the period.
    pub cash_in: Vec<(String, Vec<i64>)>,
    pub fees: Vec<i64>,
}

impl Db {
    pub(super) fn receivables_report_in(&self, p: &Period) -> Result<ReceivablesReport> {
        let mut ages: Vec<AgeRow> = std::iter::once("期限内".to_string())
            .chain(crate::dunning::AGE_LABELS.iter().map(|l| format!("期限後 {l}")))
            .map(|label| AgeRow { label, invoices: 0, amount: 0 })
            .collect();
        let mut open_total = 0;
        for inv in crate::store::receivables::all_open_invoices(&self.conn)? {
            let days = (p.as_of - inv.due_on).num_days();
            let i = if days < 1 { 0 } else { crate::dunning::age_bucket(days) + 1 };
            ages[i].invoices += 1;
            ages[i].amount += inv.balance;
            open_total += inv.balance;
        }
        let (from, to) = (super::month_key(p.from), super::month_key(p.to));
        let debit = sql::debit_months(&self.conn, &from, &to)?
            .into_iter()
            .map(|(month, debit_on, records, amount, collected, collected_amount, failed, failed_amount, waiting)| DebitMonthRow {
                month,
                debit_on,
                records,
                amount,
                collected,
                collected_amount,
                failed,
                failed_amount,
                waiting,
                rate: (waiting == 0 && amount > 0).then(|| collected_amount as f64 / amount as f64),
            })
            .collect();
        let n = p.months().len();
        let mut by: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        let mut fees = vec![0; n];
        for (month, method, _, amount, fee) in sql::cash_in(&self.conn, p.from, p.to)? {
            let Some(i) = crate::schedule::month_bounds(&month).and_then(|b| p.index(b.0)) else { continue };
            let label = PaymentMethod::parse(&method).map(|m| m.label().to_string()).unwrap_or(method);
            by.entry(label).or_insert_with(|| vec![0; n])[i] += amount;
            fees[i] += fee;
        }
        let mut cash_in: Vec<(String, Vec<i64>)> = by.into_iter().collect();
        cash_in.sort_by_key(|c| std::cmp::Reverse(c.1.iter().sum::<i64>()));
        Ok(ReceivablesReport { ages, open_total, debit, cash_in, fees })
    }
}

impl ReceivablesReport {
    pub(super) fn view(&self, p: &Period) -> ReportView {
        let mut v = ReportView::new(ReportKind::Receivables, p);
        let overdue: i64 = self.ages[1..].iter().map(|a| a.amount).sum();
        v.figures.push(Figure::new("未入金の合計", Cell::yen(self.open_total), Unit::Yen));
        v.figures.push(Figure::new("うち期限切れ", Cell::yen(overdue), Unit::Yen));
        if let Some(d) = self.debit.iter().rev().find(|d| d.rate.is_some()) {
            v.figures.push(Figure::new(&format!("口座振替の回収率（{}）", d.month), Cell::rate(d.rate.unwrap_or(0.0)), Unit::Percent));
        }
        let cash: i64 = self.cash_in.iter().map(|c| c.1.iter().sum::<i64>()).sum();
        v.figures.push(Figure::new("期間の入金", Cell::yen(cash), Unit::Yen));

        let chart = Chart::new(ChartKind::Bar, Unit::Yen, self.ages.iter().map(|a| a.label.clone()).collect()).series("未入金", self.ages.iter().map(|a| a.amount as f64).collect());
        let mut t = Table::new(&[("経過", Unit::Text), ("請求書", Unit::Count), ("未入金額", Unit::Yen), ("構成比", Unit::Percent)]);
        for a in &self.ages {
            t.rows.push(TableRow::new(vec![Cell::text(&a.label), Cell::count(a.invoices as i64), Cell::yen(a.amount), Cell::pct(a.amount as f64, self.open_total as f64)]));
        }
        t.rows.push(TableRow::total(vec![
            Cell::text("合計"),
            Cell::count(self.ages.iter().map(|a| a.invoices as i64).sum()),
            Cell::yen(self.open_total),
            Cell::pct(self.open_total as f64, self.open_total as f64),
        ]));
        v.section("未入金の経過日数（今日時点）", "お支払期限からの日数。口座振替の結果待ちの請求書も含みます。", Some(chart), t);

        let mut t = Table::new(&[
            ("振替月", Unit::Text),
            ("振替日", Unit::Text),
            ("依頼件数", Unit::Count),
            ("依頼金額", Unit::Yen),
            ("振替済", Unit::Count),
            ("振替済金額", Unit::Yen),
            ("振替不能", Unit::Count),
            ("不能金額", Unit::Yen),
            ("結果待ち", Unit::Count),
            ("回収率（金額）", Unit::Percent),
        ]);
        for d in &self.debit {
            t.rows.push(TableRow::new(vec![
                Cell::text(&d.month),
                Cell::text(&d.debit_on),
                Cell::count(d.records),
                Cell::yen(d.amount),
                Cell::count(d.collected),
                Cell::yen(d.collected_amount),
                Cell::count(d.failed),
                Cell::yen(d.failed_amount),
                Cell::count(d.waiting),
                d.rate.map(Cell::rate).unwrap_or_else(|| Cell::text("結果待ち")),
            ]));
        }
        let chart = Chart::new(ChartKind::Line, Unit::Percent, self.debit.iter().map(|d| d.month.clone()).collect())
            .series("回収率", self.debit.iter().map(|d| d.rate.map(|r| (r * 1000.0).round() / 10.0).unwrap_or(f64::NAN)).collect());
        v.section("口座振替の回収率", "振替依頼データを作った月ごと。回収率は振替済金額 ÷ 依頼金額（結果を取り込んだ月のみ）。", (!self.debit.is_empty()).then_some(chart), t);

        let n = self.fees.len();
        let mut chart = Chart::new(ChartKind::StackedBar, Unit::Yen, month_axis(p));
        let mut t = Table::with_columns(month_columns(("入金方法", Unit::Text), p, Unit::Yen, Some("期間計")));
        let row = |label: &str, v: &[i64], total: bool| {
            let mut cells = vec![Cell::text(label)];
            cells.extend(v.iter().map(|a| Cell::yen(*a)));
            cells.push(Cell::yen(v.iter().sum()));
            TableRow { cells, total }
        };
        for (m, vals) in &self.cash_in {
            chart = chart.series(m, vals.iter().map(|x| *x as f64).collect());
            t.rows.push(row(m, vals, false));
        }
        let all: Vec<i64> = (0..n).map(|i| self.cash_in.iter().map(|c| c.1[i]).sum()).collect();
        t.rows.push(row("入金合計", &all, true));
        t.rows.push(row("（参考）差し引かれた振込手数料", &self.fees, false));
        v.section("月別の入金", "取り消した入金を除く、入金日の月ごとの金額。", Some(chart), t);
        v
    }
}
