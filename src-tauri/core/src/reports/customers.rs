//! Customers: RFM scores and the CPM segments (顧客ポートフォリオ), each cell with the members
//! behind it. A customer is a member with at least one order not cancelled.
//!
//! CPM (thresholds in 設定, defaults 240 days, 90/210 days, ¥70,000):
//! - 初回: one purchase;
//! - よちよち: two or more, cumulative under the amount, 在籍期間 (first to last purchase) under
//!   the short tenure; コツコツ: the same with a longer tenure;
//! - 流行: cumulative at or over the amount, tenure under the long one; 優良: and a longer tenure;
//! - each 現役 (active), or 離脱 (lapsed) when the last purchase is the lapse days or more ago.
//!
//! RFM over the period's orders: R days since the last purchase (≤30 → 5, ≤90 → 4, ≤180 → 3,
//! ≤365 → 2, else 1), F purchases (1, 2, 3–4, 5–9, 10+ → 1…5), M amount (<¥5,000, <¥10,000,
//! <¥30,000, <¥70,000, more → 1…5).
use super::{Cell, Chart, ChartKind, Column, Figure, Period, ReportFile, ReportFilter, ReportKind, ReportView, Table, TableRow, Unit};
use crate::error::{CoreError, Result};
use crate::export::CsvEncoding;
use crate::settings::ReportSettings;
use crate::store::{reports as sql, Db};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CpmSegment {
    First,
    Toddler,
    Steady,
    Loyal,
    Trendy,
}

impl CpmSegment {
    pub const ALL: [CpmSegment; 5] = [CpmSegment::First, CpmSegment::Toddler, CpmSegment::Steady, CpmSegment::Loyal, CpmSegment::Trendy];
    pub fn label(self) -> &'static str {
        match self {
            CpmSegment::First => "初回",
            CpmSegment::Toddler => "よちよち",
            CpmSegment::Steady => "コツコツ",
            CpmSegment::Loyal => "優良",
            CpmSegment::Trendy => "流行",
        }
    }
    fn key(self) -> &'static str {
        match self {
            CpmSegment::First => "first",
            CpmSegment::Toddler => "toddler",
            CpmSegment::Steady => "steady",
            CpmSegment::Loyal => "loyal",
            CpmSegment::Trendy => "trendy",
        }
    }
}

/// One customer's purchases folded.
#[derive(Debug, Clone, Serialize)]
pub struct Customer {
    pub member_id: i64,
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub orders: u32,
    pub amount: i64,
    /// Within the period (RFM).
    pub period_last: Option<NaiveDate>,
    pub period_orders: u32,
    pub period_amount: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CustomerReport {
    pub as_of: NaiveDate,
    pub settings: ReportSettings,
    /// Segment, active (true) or lapsed, customers, their cumulative amount.
    pub cpm: Vec<(CpmSegment, bool, u64, i64)>,
    /// R score (1–5), F score, customers, their amount in the period.
    pub rfm: Vec<(u8, u8, u64, i64)>,
    /// Customers by M score (index 0 = score 1).
    pub m_scores: [u64; 5],
    pub customers: u64,
    /// Members (not merged away) with no order at all.
    pub without_orders: u64,
    #[serde(skip)]
    list: Vec<Customer>,
}

fn r_score(days: i64) -> u8 {
    match days {
        ..=30 => 5,
        31..=90 => 4,
        91..=180 => 3,
        181..=365 => 2,
        _ => 1,
    }
}

fn f_score(n: u32) -> u8 {
    match n {
        0 | 1 => 1,
        2 => 2,
        3..=4 => 3,
        5..=9 => 4,
        _ => 5,
    }
}

fn m_score(amount: i64) -> u8 {
    match amount {
        ..5_000 => 1,
        5_000..10_000 => 2,
        10_000..30_000 => 3,
        30_000..70_000 => 4,
        _ => 5,
    }
}

pub(crate) fn segment(c: &Customer, s: &ReportSettings) -> CpmSegment {
    let tenure = (c.last - c.first).num_days();
    if c.orders <= 1 {
        CpmSegment::First
    } else if c.amount < s.loyal_amount {
        if tenure < s.tenure_short_days as i64 {
            CpmSegment::Toddler
        } else {
            CpmSegment::Steady
        }
    } else if tenure < s.tenure_long_days as i64 {
        CpmSegment::Trendy
    } else {
        CpmSegment::Loyal
    }
}

pub(crate) fn active(c: &Customer, s: &ReportSettings, as_of: NaiveDate) -> bool {
    (as_of - c.last).num_days() < s.lapsed_after_days as i64
}

/// Which customers a drill key means.
type Pick = Box<dyn Fn(&Customer) -> bool>;

/// A member in a list behind a report's cell.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListedMember {
    pub code: String,
    pub name: String,
    pub kana: String,
    pub prefecture: String,
    pub phone: String,
    pub status: String,
    pub dm_opt_out: bool,
    pub first_order: Option<NaiveDate>,
    pub last_order: Option<NaiveDate>,
    #[ts(type = "number")]
    pub orders: u64,
    #[ts(type = "number")]
    pub amount: i64,
    pub segment: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberList {
    pub title: String,
    #[ts(type = "number")]
    pub count: u64,
    pub rows: Vec<ListedMember>,
}

/// A member list written for a mailing.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailingCsv {
    #[ts(type = "number")]
    pub written: u64,
    /// Withdrawn members and those who asked for no mail (DM不要), left out.
    #[ts(type = "number")]
    pub left_out: u64,
    pub encoding: CsvEncoding,
    #[serde(skip)]
    #[ts(skip)]
    pub file: Option<ReportFile>,
}

impl Db {
    pub(super) fn customer_report_in(&self, p: &Period) -> Result<CustomerReport> {
        let settings = self.shop_settings()?.reports;
        let course_members = match &p.course {
            Some((id, _)) => Some(sql::members_on_course(&self.conn, *id)?),
            None => None,
        };
        // As of the period's end (today when it runs to this month).
        let as_of = p.to.min(p.as_of);
        // Orders come grouped by member: fold each run as it passes.
        let (merged, not_merged) = sql::merged_members(&self.conn)?;
        let keep = |m: i64| !merged.contains(&m) && course_members.as_ref().is_none_or(|s| s.contains(&m));
        let mut list: Vec<Customer> = Vec::new();
        sql::each_purchase(&self.conn, as_of, |m, d, total| {
            if list.last().is_none_or(|c| c.member_id != m) {
                if list.last().is_some_and(|c| !keep(c.member_id)) {
                    list.pop();
                }
                list.push(Customer { member_id: m, first: d, last: d, orders: 0, amount: 0, period_last: None, period_orders: 0, period_amount: 0 });
            }
            let c = list.last_mut().expect("pushed");
            c.first = c.first.min(d);
            c.last = c.last.max(d);
            c.orders += 1;
            c.amount += total;
            if d >= p.from {
                c.period_last = c.period_last.max(Some(d));
                c.period_orders += 1;
                c.period_amount += total;
            }
        })?;
        if list.last().is_some_and(|c| !keep(c.member_id)) {
            list.pop();
        }
        let members = match &course_members {
            Some(s) => s.iter().filter(|m| !merged.contains(m)).count() as u64,
            None => not_merged,
        };
        let mut cpm: HashMap<(CpmSegment, bool), (u64, i64)> = HashMap::new();
        let mut rfm: HashMap<(u8, u8), (u64, i64)> = HashMap::new();
        let mut m_scores = [0u64; 5];
        for c in &list {
            let e = cpm.entry((segment(c, &settings), active(c, &settings, as_of))).or_default();
            e.0 += 1;
            e.1 += c.amount;
            if let Some(last) = c.period_last {
                let e = rfm.entry((r_score((as_of - last).num_days()), f_score(c.period_orders))).or_default();
                e.0 += 1;
                e.1 += c.period_amount;
                m_scores[m_score(c.period_amount) as usize - 1] += 1;
            }
        }
        let mut cpm_rows = Vec::new();
        for s in CpmSegment::ALL {
            for a in [true, false] {
                let (n, amount) = cpm.get(&(s, a)).copied().unwrap_or_default();
                cpm_rows.push((s, a, n, amount));
            }
        }
        let mut rfm_rows = Vec::new();
        for r in (1..=5).rev() {
            for f in 1..=5 {
                let (n, amount) = rfm.get(&(r, f)).copied().unwrap_or_default();
                rfm_rows.push((r, f, n, amount));
            }
        }
        Ok(CustomerReport {
            as_of,
            settings,
            cpm: cpm_rows,
            rfm: rfm_rows,
            m_scores,
            customers: list.len() as u64,
            without_orders: members - list.len() as u64,
            list,
        })
    }

    /// The members behind a cell: `cpm:<segment>:<active|lapsed|all>` or `rfm:<R>:<F>`.
    pub fn report_members(&self, kind: ReportKind, f: &ReportFilter, drill: &str) -> Result<MemberList> {
        let p = self.report_period(kind, f)?;
        let report = self.customer_report_in(&p)?;
        let s = &report.settings;
        let bad = || CoreError::field("drill", format!("一覧の指定「{drill}」が読めません"));
        let parts: Vec<&str> = drill.split(':').collect();
        let (title, pick): (String, Pick) = match parts.as_slice() {
            ["cpm", seg, state] => {
                let seg = CpmSegment::ALL.into_iter().find(|x| x.key() == *seg).ok_or_else(bad)?;
                let want: Option<bool> = match *state {
                    "active" => Some(true),
                    "lapsed" => Some(false),
                    "all" => None,
                    _ => return Err(bad()),
                };
                let st = s.clone();
                let as_of = report.as_of;
                let label = match want {
                    Some(true) => "現役",
                    Some(false) => "離脱",
                    None => "現役・離脱",
                };
                (format!("CPM {}客（{label}）", seg.label()), Box::new(move |c| segment(c, &st) == seg && want.is_none_or(|w| active(c, &st, as_of) == w)))
            }
            ["rfm", r, f] => {
                let r: u8 = r.parse().ok().filter(|x| (1..=5).contains(x)).ok_or_else(bad)?;
                let f: u8 = f.parse().ok().filter(|x| (1..=5).contains(x)).ok_or_else(bad)?;
                let as_of = report.as_of;
                (format!("RFM R{r}・F{f}"), Box::new(move |c| c.period_last.is_some_and(|l| r_score((as_of - l).num_days()) == r) && f_score(c.period_orders) == f))
            }
            _ => return Err(bad()),
        };
        let cards = sql::member_cards(&self.conn)?;
        let mut rows: Vec<ListedMember> = report
            .list
            .iter()
            .filter(|c| pick(c))
            .filter_map(|c| {
                let m = cards.get(&c.member_id)?;
                Some(ListedMember {
                    code: m.code.clone(),
                    name: m.name.clone(),
                    kana: m.kana.clone(),
                    prefecture: m.prefecture.clone(),
                    phone: m.phone.clone(),
                    status: crate::members::MemberStatus::parse(&m.status).map(|s| s.label().to_string()).unwrap_or_default(),
                    dm_opt_out: m.dm_opt_out,
                    first_order: Some(c.first),
                    last_order: Some(c.last),
                    orders: c.orders as u64,
                    amount: c.amount,
                    segment: format!("{}{}", segment(c, s).label(), if active(c, s, report.as_of) { "・現役" } else { "・離脱" }),
                })
            })
            .collect();
        rows.sort_by(|a, b| b.amount.cmp(&a.amount).then(a.code.cmp(&b.code)));
        Ok(MemberList { title, count: rows.len() as u64, rows })
    }

    /// The members behind a cell as a CSV for a mailing (postal code order), leaving out
    /// withdrawn members and those who asked for no mail.
    pub fn report_members_csv(&self, kind: ReportKind, f: &ReportFilter, drill: &str) -> Result<MailingCsv> {
        let list = self.report_members(kind, f, drill)?;
        let cards: HashMap<String, sql::MemberCard> = sql::member_cards(&self.conn)?.into_values().map(|m| (m.code.clone(), m)).collect();
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        let io = |e: csv::Error| CoreError::new(crate::error::ErrorCode::Io, format!("CSVを書けません: {e}"));
        w.write_record(["会員番号", "氏名", "フリガナ", "会社名", "郵便番号", "住所", "電話番号", "区分", "初回購入日", "最終購入日", "購入回数", "累計購入金額"]).map_err(io)?;
        let mut rows: Vec<(&ListedMember, &sql::MemberCard)> = Vec::new();
        let mut left_out = 0;
        let mut seen = HashSet::new();
        for r in &list.rows {
            let Some(m) = cards.get(&r.code) else { continue };
            if m.status == "withdrawn" || m.dm_opt_out {
                left_out += 1;
                continue;
            }
            if seen.insert(&r.code) {
                rows.push((r, m));
            }
        }
        rows.sort_by(|a, b| a.1.postal_code.cmp(&b.1.postal_code).then(a.0.code.cmp(&b.0.code)));
        for (r, m) in &rows {
            w.write_record([
                r.code.clone(),
                r.name.clone(),
                r.kana.clone(),
                m.company.clone(),
                m.postal_code.clone(),
                m.address.clone(),
                r.phone.clone(),
                r.segment.clone(),
                r.first_order.map(|d| d.to_string()).unwrap_or_default(),
                r.last_order.map(|d| d.to_string()).unwrap_or_default(),
                r.orders.to_string(),
                r.amount.to_string(),
            ])
            .map_err(io)?;
        }
        let utf8 = String::from_utf8(w.into_inner().map_err(|e| io(e.into_error().into()))?).expect("csv writes the UTF-8 it is given");
        let file = ReportFile::for_excel(utf8, format!("{}.csv", list.title));
        Ok(MailingCsv { written: rows.len() as u64, left_out, encoding: file.encoding.unwrap_or_default(), file: Some(file) })
    }
}

impl CustomerReport {
    pub(super) fn cpm_view(&self, p: &Period, s: &ReportSettings) -> ReportView {
        let mut v = ReportView::new(ReportKind::Cpm, p);
        v.period = format!("{}時点（累計）", crate::pdf::jdate(self.as_of));
        let count = |seg: CpmSegment, a: bool| self.cpm.iter().find(|r| r.0 == seg && r.1 == a).map(|r| (r.2, r.3)).unwrap_or_default();
        let actives: u64 = self.cpm.iter().filter(|r| r.1).map(|r| r.2).sum();
        v.figures.push(Figure::new("顧客（購入のある会員）", Cell::count(self.customers as i64), Unit::Count));
        v.figures.push(Figure::new("現役の顧客", Cell::count(actives as i64), Unit::Count));
        v.figures.push(Figure::new("優良客（現役）", Cell::count(count(CpmSegment::Loyal, true).0 as i64), Unit::Count));
        v.figures.push(Figure::new("現役の割合", Cell::pct(actives as f64, self.customers as f64), Unit::Percent));
        let chart = Chart::new(ChartKind::HorizontalBar, Unit::Count, CpmSegment::ALL.iter().map(|s| format!("{}客", s.label())).collect())
            .series("現役", CpmSegment::ALL.iter().map(|x| count(*x, true).0 as f64).collect())
            .series("離脱", CpmSegment::ALL.iter().map(|x| count(*x, false).0 as f64).collect());
        let mut t = Table::new(&[
            ("区分", Unit::Text),
            ("現役", Unit::Count),
            ("離脱", Unit::Count),
            ("合計", Unit::Count),
            ("離脱率", Unit::Percent),
            ("累計購入金額", Unit::Yen),
            ("1人あたり", Unit::Yen),
        ]);
        for seg in CpmSegment::ALL {
            let (a, am) = count(seg, true);
            let (l, lm) = count(seg, false);
            t.rows.push(TableRow::new(vec![
                Cell::text(format!("{}客", seg.label())),
                Cell::count(a as i64).drill(format!("cpm:{}:active", seg.key())),
                Cell::count(l as i64).drill(format!("cpm:{}:lapsed", seg.key())),
                Cell::count((a + l) as i64).drill(format!("cpm:{}:all", seg.key())),
                Cell::pct(l as f64, (a + l) as f64),
                Cell::yen(am + lm),
                if a + l > 0 { Cell::yen((am + lm) / (a + l) as i64) } else { Cell::text("―") },
            ]));
        }
        let lapsed = self.customers - actives;
        let amount: i64 = self.cpm.iter().map(|r| r.3).sum();
        t.rows.push(TableRow::total(vec![
            Cell::text("合計"),
            Cell::count(actives as i64),
            Cell::count(lapsed as i64),
            Cell::count(self.customers as i64),
            Cell::pct(lapsed as f64, self.customers as f64),
            Cell::yen(amount),
            if self.customers > 0 { Cell::yen(amount / self.customers as i64) } else { Cell::text("―") },
        ]));
        v.section(
            "CPM分析（顧客ポートフォリオ）",
            &format!(
                "初回＝購入1回。よちよち／コツコツ＝累計¥{}未満で在籍期間（初回から最終購入まで）が{}日未満／以上。流行／優良＝累計¥{}以上で在籍期間が{}日未満／以上。最終購入から{}日以上たつと離脱。数字を押すとその会員の一覧が開きます。",
                super::grouped(s.loyal_amount),
                s.tenure_short_days,
                super::grouped(s.loyal_amount),
                s.tenure_long_days,
                s.lapsed_after_days
            ),
            Some(chart),
            t,
        );
        let mut t = Table::new(&[("", Unit::Text), ("人数", Unit::Count)]);
        t.rows.push(TableRow::new(vec![Cell::text("購入のない会員（CPMの対象外）"), Cell::count(self.without_orders as i64)]));
        v.section("対象外", "", None, t);
        v
    }

    pub(super) fn rfm_view(&self, p: &Period) -> ReportView {
        let mut v = ReportView::new(ReportKind::Rfm, p);
        let scored: u64 = self.m_scores.iter().sum();
        v.figures.push(Figure::new("期間に購入した顧客", Cell::count(scored as i64), Unit::Count));
        let top: u64 = self.rfm.iter().filter(|r| r.0 >= 4 && r.1 >= 4).map(|r| r.2).sum();
        v.figures.push(Figure::new("R4以上・F4以上", Cell::count(top as i64), Unit::Count));
        let mut cols = vec![Column { label: "R＼F".into(), unit: Unit::Text }];
        cols.extend(["F1（1回）", "F2（2回）", "F3（3～4回）", "F4（5～9回）", "F5（10回以上）"].iter().map(|l| Column { label: l.to_string(), unit: Unit::Count }));
        cols.push(Column { label: "合計".into(), unit: Unit::Count });
        let mut t = Table::with_columns(cols);
        let labels = ["", "R1（366日以上前）", "R2（181～365日前）", "R3（91～180日前）", "R4（31～90日前）", "R5（30日以内）"];
        for r in (1..=5u8).rev() {
            let mut cells = vec![Cell::text(labels[r as usize])];
            let mut sum = 0;
            for f in 1..=5u8 {
                let n = self.rfm.iter().find(|x| x.0 == r && x.1 == f).map(|x| x.2).unwrap_or(0);
                sum += n;
                cells.push(Cell::count(n as i64).drill(format!("rfm:{r}:{f}")));
            }
            cells.push(Cell::count(sum as i64));
            t.rows.push(TableRow::new(cells));
        }
        let mut cells = vec![Cell::text("合計")];
        for f in 1..=5u8 {
            cells.push(Cell::count(self.rfm.iter().filter(|x| x.1 == f).map(|x| x.2).sum::<u64>() as i64));
        }
        cells.push(Cell::count(scored as i64));
        t.rows.push(TableRow::total(cells));
        let chart = Chart::new(ChartKind::StackedBar, Unit::Count, ["F1", "F2", "F3", "F4", "F5"].map(String::from).to_vec());
        let chart = (1..=5u8).rev().fold(chart, |ch, r| ch.series(&format!("R{r}"), (1..=5u8).map(|f| self.rfm.iter().find(|x| x.0 == r && x.1 == f).map(|x| x.2 as f64).unwrap_or(0.0)).collect()));
        v.section(
            "R（最終購入からの日数）× F（期間の購入回数）",
            &format!("{}時点。期間中に取消でない購入のある会員を数えています。数字を押すとその会員の一覧が開きます。", crate::pdf::jdate(self.as_of)),
            Some(chart),
            t,
        );
        let mut t = Table::new(&[("M（期間の購入金額）", Unit::Text), ("人数", Unit::Count), ("構成比", Unit::Percent)]);
        for (i, l) in ["M1（5,000円未満）", "M2（5,000～9,999円）", "M3（10,000～29,999円）", "M4（30,000～69,999円）", "M5（70,000円以上）"].iter().enumerate() {
            t.rows.push(TableRow::new(vec![Cell::text(*l), Cell::count(self.m_scores[i] as i64), Cell::pct(self.m_scores[i] as f64, scored as f64)]));
        }
        t.rows.push(TableRow::total(vec![Cell::text("合計"), Cell::count(scored as i64), Cell::pct(scored as f64, scored as f64)]));
        v.section("M（購入金額）の分布", "", None, t);
        v
    }
}
