//! 集計: the numbers a 定期 shop lives by. Each report is computed from the ledgers as they are
//! (nothing is stored twice) into a typed result (what tests and `--json` read), and drawn into
//! one [`ReportView`]: headline figures and sections of a chart and a table. The window, the CSV
//! and the PDF all render that one view, so a number reads the same everywhere.
//!
//! - `members.rs`: members per month, renewals due, withdrawal reasons.
//! - `retention.rs`: 回数別継続率 (Kaplan–Meier by delivery number), the start-month cohort
//!   triangle, average deliveries, F2 conversion.
//! - `three_s.rs`: skips, switches and stops (3S), stop reasons ranked.
//! - `sales.rs`: 商品群別売上集計表, 定期/都度, payment methods, tax per rate.
//! - `forecast.rs`: the next months from the running subscriptions and the measured retention.
//! - `customers.rs`: RFM and CPM segments, and the members behind every cell.
//! - `money.rs`: unpaid by age, debit collection rate, cash in per month.
//! - `dashboard.rs`: the start screen's figures of this month against last month.
mod customers;
mod dashboard;
mod forecast;
mod members;
mod money;
mod retention;
mod sales;
mod three_s;
#[cfg(test)]
mod tests;

pub use customers::{CpmSegment, CustomerReport, ListedMember, MailingCsv, MemberList};
pub use dashboard::Dashboard;
pub use forecast::ForecastReport;
pub use members::MembersReport;
pub use money::ReceivablesReport;
pub use retention::{CohortReport, RetentionReport};
pub use sales::SalesReport;
pub use three_s::ThreeSReport;

use crate::clock::today;
use crate::error::{CoreError, ErrorCode, Result};
use crate::export::CsvEncoding;
use crate::store::Db;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportKind {
    Members,
    Retention,
    Cohorts,
    #[serde(rename = "3s")]
    ThreeS,
    Sales,
    Forecast,
    Rfm,
    Cpm,
    Receivables,
}

impl ReportKind {
    pub const ALL: [ReportKind; 9] = [
        ReportKind::Members,
        ReportKind::Retention,
        ReportKind::Cohorts,
        ReportKind::ThreeS,
        ReportKind::Sales,
        ReportKind::Forecast,
        ReportKind::Rfm,
        ReportKind::Cpm,
        ReportKind::Receivables,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ReportKind::Members => "members",
            ReportKind::Retention => "retention",
            ReportKind::Cohorts => "cohorts",
            ReportKind::ThreeS => "3s",
            ReportKind::Sales => "sales",
            ReportKind::Forecast => "forecast",
            ReportKind::Rfm => "rfm",
            ReportKind::Cpm => "cpm",
            ReportKind::Receivables => "receivables",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ReportKind::Members => "会員数の推移",
            ReportKind::Retention => "回数別継続率",
            ReportKind::Cohorts => "開始月別の継続（コホート）",
            ReportKind::ThreeS => "3S（スキップ・スイッチ・ストップ）",
            ReportKind::Sales => "売上（商品群別・定期/都度・支払方法・税率別）",
            ReportKind::Forecast => "売上・出荷の見込み",
            ReportKind::Rfm => "RFM分析",
            ReportKind::Cpm => "CPM分析（顧客ポートフォリオ）",
            ReportKind::Receivables => "売掛金・回収",
        }
    }

    pub fn parse(s: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.key() == s.trim().to_ascii_lowercase())
    }

    /// Months shown when the user names none: a year of the past, two for retention (a
    /// subscription needs a year to reach its 12th delivery), a year ahead for the forecast.
    fn default_months(self) -> u32 {
        match self {
            ReportKind::Retention | ReportKind::Cohorts => 24,
            _ => 12,
        }
    }
}

/// What the user narrows a report to. Months are `YYYY-MM`, both included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ReportFilter {
    pub from: Option<String>,
    pub to: Option<String>,
    #[ts(type = "number | null")]
    pub course: Option<i64>,
}

/// A filter made sure of: whole months, and the course's name.
#[derive(Debug, Clone)]
pub(crate) struct Period {
    /// First day of the first month.
    pub from: NaiveDate,
    /// Last day of the last month.
    pub to: NaiveDate,
    pub course: Option<(i64, String)>,
    pub as_of: NaiveDate,
}

/// The longest span a report takes, in months.
const MAX_MONTHS: u32 = 60;

pub(crate) fn first_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}

pub(crate) fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// 「2026年11月」.
pub(crate) fn month_label(d: NaiveDate) -> String {
    format!("{}年{}月", d.year(), d.month())
}

/// Months between the first days `a` and `b` (b later).
pub(crate) fn months_between(a: NaiveDate, b: NaiveDate) -> i32 {
    (b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32
}

impl Period {
    /// The first days of the months in the period.
    pub fn months(&self) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut m = first_of(self.from);
        while m <= self.to {
            out.push(m);
            m = m + Months::new(1);
        }
        out
    }

    /// Index of the month holding `d`, when it is in the period.
    pub fn index(&self, d: NaiveDate) -> Option<usize> {
        (d >= self.from && d <= self.to).then(|| months_between(self.from, first_of(d)) as usize)
    }

    pub fn label(&self) -> String {
        let (a, b) = (month_label(self.from), month_label(self.to));
        if a == b {
            a
        } else {
            format!("{a}～{b}")
        }
    }
}

fn parse_month(field: &str, label: &str, raw: &str) -> Result<NaiveDate> {
    crate::schedule::month_bounds(raw)
        .map(|(first, _)| first)
        .ok_or_else(|| CoreError::field(field, format!("{label}は YYYY-MM の形で入力してください（入力: {}）", raw.trim())))
}

impl Db {
    /// The filter checked and filled in: the default months of `kind` ending this month (the
    /// forecast: starting with the next monthly run's month), the course looked up.
    pub(crate) fn report_period(&self, kind: ReportKind, f: &ReportFilter) -> Result<Period> {
        let as_of = today();
        let n = kind.default_months();
        let from = f.from.as_deref().filter(|s| !s.trim().is_empty()).map(|s| parse_month("from", "開始月", s)).transpose()?;
        let to = f.to.as_deref().filter(|s| !s.trim().is_empty()).map(|s| parse_month("to", "終了月", s)).transpose()?;
        let (from, to) = if kind == ReportKind::Forecast {
            let first = forecast::first_month(&self.conn, as_of)?;
            let from = from.unwrap_or(first).max(first);
            (from, to.unwrap_or(from + Months::new(n - 1)))
        } else {
            let this = first_of(as_of);
            match (from, to) {
                (Some(a), Some(b)) => (a, b),
                (Some(a), None) => (a, (a + Months::new(n - 1)).min(this.max(a))),
                (None, Some(b)) => (b - Months::new(n - 1), b),
                (None, None) => (this - Months::new(n - 1), this),
            }
        };
        if to < from {
            return Err(CoreError::field("to", format!("終了月（{}）が開始月（{}）より前です", month_label(to), month_label(from))));
        }
        if months_between(from, to) as u32 >= MAX_MONTHS {
            return Err(CoreError::field("to", format!("期間は{MAX_MONTHS}か月までにしてください（{}～{}）", month_label(from), month_label(to))));
        }
        if kind == ReportKind::Forecast && months_between(forecast::first_month(&self.conn, as_of)?, to) >= 12 {
            return Err(CoreError::field("to", "見込みは次の月次処理の月から12か月先までです"));
        }
        let course = match f.course {
            None => None,
            Some(id) => Some((id, crate::store::reports::course_name(&self.conn, id)?.ok_or_else(|| CoreError::field("course", format!("コース {id} はありません")))?)),
        };
        let end = (to + Months::new(1)).pred_opt().expect("valid");
        Ok(Period { from, to: end, course, as_of })
    }

    /// One report drawn for the window, the CSV and the PDF.
    pub fn report(&self, kind: ReportKind, f: &ReportFilter) -> Result<ReportView> {
        let started = std::time::Instant::now();
        let p = self.report_period(kind, f)?;
        let mut v = match kind {
            ReportKind::Members => self.members_report_in(&p)?.view(&p),
            ReportKind::Retention => self.retention_report_in(&p)?.view(&p),
            ReportKind::Cohorts => self.cohort_report_in(&p)?.view(&p),
            ReportKind::ThreeS => self.three_s_report_in(&p)?.view(&p),
            ReportKind::Sales => self.sales_report_in(&p)?.view(&p),
            ReportKind::Forecast => self.forecast_report_in(&p)?.view(&p),
            ReportKind::Rfm => self.customer_report_in(&p)?.rfm_view(&p),
            ReportKind::Cpm => self.customer_report_in(&p)?.cpm_view(&p, &self.shop_settings()?.reports),
            ReportKind::Receivables => self.receivables_report_in(&p)?.view(&p),
        };
        v.millis = started.elapsed().as_millis() as u64;
        Ok(v)
    }

    /// The typed result of a report, as `report --json` prints it.
    pub fn report_json(&self, kind: ReportKind, f: &ReportFilter) -> Result<serde_json::Value> {
        let p = self.report_period(kind, f)?;
        let v = match kind {
            ReportKind::Members => serde_json::to_value(self.members_report_in(&p)?),
            ReportKind::Retention => serde_json::to_value(self.retention_report_in(&p)?),
            ReportKind::Cohorts => serde_json::to_value(self.cohort_report_in(&p)?),
            ReportKind::ThreeS => serde_json::to_value(self.three_s_report_in(&p)?),
            ReportKind::Sales => serde_json::to_value(self.sales_report_in(&p)?),
            ReportKind::Forecast => serde_json::to_value(self.forecast_report_in(&p)?),
            ReportKind::Rfm | ReportKind::Cpm => serde_json::to_value(self.customer_report_in(&p)?),
            ReportKind::Receivables => serde_json::to_value(self.receivables_report_in(&p)?),
        };
        v.map_err(|e| CoreError::new(ErrorCode::Io, format!("JSONにできません: {e}")))
    }

    /// The report as a CSV file for Excel: every section's table, numbers without ¥ or commas.
    pub fn report_csv(&self, kind: ReportKind, f: &ReportFilter) -> Result<ReportFile> {
        let v = self.report(kind, f)?;
        let mut w = csv::WriterBuilder::new().flexible(true).terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        let io = |e: csv::Error| CoreError::new(ErrorCode::Io, format!("CSVを書けません: {e}"));
        w.write_record([v.title.as_str()]).map_err(io)?;
        w.write_record([format!("期間: {}", v.period), v.course.clone().map(|c| format!("コース: {c}")).unwrap_or_default(), format!("集計日: {}", v.as_of)])
            .map_err(io)?;
        for s in &v.sections {
            w.write_record([""]).map_err(io)?;
            w.write_record([s.title.as_str()]).map_err(io)?;
            w.write_record(s.table.columns.iter().map(|c| match c.unit {
                Unit::Yen => format!("{}（円）", c.label),
                Unit::Percent => format!("{}（%）", c.label),
                _ => c.label.clone(),
            }))
            .map_err(io)?;
            for r in &s.table.rows {
                w.write_record(r.cells.iter().zip(&s.table.columns).map(|(cell, col)| cell.csv(col.unit))).map_err(io)?;
            }
        }
        let utf8 = String::from_utf8(w.into_inner().map_err(|e| io(e.into_error().into()))?).expect("csv writes the UTF-8 it is given");
        Ok(ReportFile::for_excel(utf8, format!("{}_{}.csv", kind.key(), v.as_of.format("%Y%m%d"))))
    }

    /// The report as an A4 landscape PDF: figures, then each section's chart and table.
    pub fn report_pdf(&self, kind: ReportKind, f: &ReportFilter) -> Result<ReportFile> {
        let v = self.report(kind, f)?;
        let shop = self.shop_settings()?.company_name;
        let bytes = crate::pdf::render_report(&v, &shop)?;
        Ok(ReportFile { bytes, encoding: None, file_name: format!("{}_{}.pdf", kind.key(), v.as_of.format("%Y%m%d")) })
    }
}

/// A report written out.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportFile {
    pub bytes: Vec<u8>,
    /// For a CSV: CP932, or UTF-8 (BOM) when a name in it has a character CP932 cannot hold.
    pub encoding: Option<CsvEncoding>,
    /// A name to offer in the save dialog.
    pub file_name: String,
}

impl ReportFile {
    pub(crate) fn for_excel(utf8: String, file_name: String) -> ReportFile {
        match crate::printable::cp932(&utf8) {
            Some(bytes) => ReportFile { bytes, encoding: Some(CsvEncoding::Cp932), file_name },
            None => {
                let mut bytes = b"\xEF\xBB\xBF".to_vec();
                bytes.extend_from_slice(utf8.as_bytes());
                ReportFile { bytes, encoding: Some(CsvEncoding::Utf8Bom), file_name }
            }
        }
    }
}

// ---- The view: what the window, the CSV and the PDF draw ------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Unit {
    Text,
    Count,
    Yen,
    Percent,
    /// A count with one decimal (expected orders, average deliveries).
    Decimal,
    Days,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Column {
    pub label: String,
    pub unit: Unit,
}

/// One cell: the text shown, the number behind it (charts, CSV), and, where a list of members
/// stands behind the number, the key that asks for it (`report_members`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Cell {
    pub text: String,
    pub value: Option<f64>,
    pub drill: Option<String>,
}

/// `n` with thousands separators.
pub(crate) fn grouped(n: i64) -> String {
    let s = crate::tax::yen(n);
    s.replacen('¥', "", 1)
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell { text: s.into(), value: None, drill: None }
    }
    pub fn count(n: i64) -> Cell {
        Cell { text: grouped(n), value: Some(n as f64), drill: None }
    }
    pub fn yen(n: i64) -> Cell {
        Cell { text: crate::tax::yen(n), value: Some(n as f64), drill: None }
    }
    /// A share as a percentage with one decimal; empty when there is nothing to divide by.
    pub fn pct(part: f64, whole: f64) -> Cell {
        if whole <= 0.0 {
            return Cell { text: "―".into(), value: None, drill: None };
        }
        Cell::rate(part / whole)
    }
    /// A rate (0.0–1.0) as a percentage.
    pub fn rate(r: f64) -> Cell {
        let v = (r * 1000.0).round() / 10.0;
        Cell { text: format!("{v:.1}%"), value: Some(v), drill: None }
    }
    pub fn decimal(x: f64) -> Cell {
        let v = (x * 10.0).round() / 10.0;
        let whole = grouped(v.trunc() as i64);
        Cell { text: format!("{whole}.{}", ((v.fract().abs() * 10.0).round() as i64) % 10), value: Some(v), drill: None }
    }
    pub fn empty() -> Cell {
        Cell { text: String::new(), value: None, drill: None }
    }
    pub fn drill(mut self, key: impl Into<String>) -> Cell {
        self.drill = Some(key.into());
        self
    }

    fn csv(&self, unit: Unit) -> String {
        match (self.value, unit) {
            (Some(v), Unit::Count | Unit::Yen | Unit::Days) => format!("{}", v.round() as i64),
            (Some(v), Unit::Percent | Unit::Decimal) => format!("{v:.1}"),
            // "no value" is shown as ― in the window and left empty for Excel.
            (None, _) if self.text == "―" => String::new(),
            _ => self.text.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TableRow {
    pub cells: Vec<Cell>,
    /// A total or subtotal line, drawn bold.
    pub total: bool,
}

impl TableRow {
    pub fn new(cells: Vec<Cell>) -> TableRow {
        TableRow { cells, total: false }
    }
    pub fn total(cells: Vec<Cell>) -> TableRow {
        TableRow { cells, total: true }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<TableRow>,
    /// Shade percentage cells by their value (the cohort triangle).
    pub heat: bool,
}

impl Table {
    pub fn new(columns: &[(&str, Unit)]) -> Table {
        Table { columns: columns.iter().map(|(l, u)| Column { label: l.to_string(), unit: *u }).collect(), rows: Vec::new(), heat: false }
    }
    pub fn with_columns(columns: Vec<Column>) -> Table {
        Table { columns, rows: Vec::new(), heat: false }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ChartKind {
    Bar,
    StackedBar,
    Line,
    /// Bars across (rankings: stop reasons, segments).
    HorizontalBar,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Chart {
    pub kind: ChartKind,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    pub unit: Unit,
}

impl Chart {
    pub fn new(kind: ChartKind, unit: Unit, labels: Vec<String>) -> Chart {
        Chart { kind, labels, series: Vec::new(), unit }
    }
    pub fn series(mut self, name: &str, values: Vec<f64>) -> Chart {
        self.series.push(Series { name: name.into(), values });
        self
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Section {
    pub title: String,
    /// How the numbers are counted, in the shop's words.
    pub note: String,
    pub chart: Option<Chart>,
    pub table: Table,
}

/// A headline number, with last month's for comparison where there is one.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Figure {
    pub label: String,
    pub value: f64,
    pub unit: Unit,
    pub text: String,
    pub previous: Option<f64>,
    /// 「+12（先月 340）」; empty without a previous value.
    pub change: String,
    /// Whether a rise is good news (sales) or bad (stops): the colour of the change.
    pub up_is_good: bool,
}

impl Figure {
    pub fn new(label: &str, cell: Cell, unit: Unit) -> Figure {
        Figure { label: label.into(), value: cell.value.unwrap_or(0.0), unit, text: cell.text, previous: None, change: String::new(), up_is_good: true }
    }
    pub fn against(mut self, previous: f64, up_is_good: bool) -> Figure {
        let d = self.value - previous;
        let sign = if d > 0.0 { "+" } else if d < 0.0 { "−" } else { "±" };
        let fmt = |x: f64| match self.unit {
            Unit::Yen => crate::tax::yen(x.round() as i64).replace('-', ""),
            Unit::Percent => format!("{:.1}pt", x.abs()),
            Unit::Decimal => format!("{:.1}", x.abs()),
            _ => grouped(x.abs().round() as i64),
        };
        let prev = match self.unit {
            Unit::Percent => format!("{previous:.1}%"),
            _ => fmt(previous),
        };
        self.change = format!("{sign}{}（先月 {prev}）", fmt(d.abs()));
        self.previous = Some(previous);
        self.up_is_good = up_is_good;
        self
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportView {
    pub kind: ReportKind,
    pub title: String,
    /// 「2025年12月～2026年11月」
    pub period: String,
    pub course: Option<String>,
    pub as_of: NaiveDate,
    pub figures: Vec<Figure>,
    pub sections: Vec<Section>,
    #[ts(type = "number")]
    pub millis: u64,
}

impl ReportView {
    pub(crate) fn new(kind: ReportKind, p: &Period) -> ReportView {
        ReportView {
            kind,
            title: kind.title().into(),
            period: p.label(),
            course: p.course.as_ref().map(|c| c.1.clone()),
            as_of: p.as_of,
            figures: Vec::new(),
            sections: Vec::new(),
            millis: 0,
        }
    }
    pub(crate) fn section(&mut self, title: &str, note: &str, chart: Option<Chart>, table: Table) {
        self.sections.push(Section { title: title.into(), note: note.into(), chart, table });
    }
}

/// The month columns of a table: a label column, one per month, and a total.
pub(crate) fn month_columns(first: (&str, Unit), p: &Period, unit: Unit, total: Option<&str>) -> Vec<Column> {
    let mut cols = vec![Column { label: first.0.into(), unit: first.1 }];
    cols.extend(p.months().into_iter().map(|m| Column { label: format!("{}/{:02}", m.year(), m.month()), unit }));
    if let Some(t) = total {
        cols.push(Column { label: t.into(), unit });
    }
    cols
}

/// Month labels for a chart's axis: 「2026/11」.
pub(crate) fn month_axis(p: &Period) -> Vec<String> {
    p.months().into_iter().map(|m| format!("{}/{:02}", m.year(), m.month())).collect()
}
