//! Members per month: new, suspended, withdrawn, back to active, and how many were active at each
//! month's end (replayed from the status history); membership renewals due; withdrawal reasons.
use super::{month_axis, month_columns, Cell, Chart, ChartKind, Figure, Period, ReportKind, ReportView, Table, TableRow, Unit};
use crate::error::Result;
use crate::store::{reports as sql, Db};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MemberMonth {
    pub month: String,
    pub new: u64,
    pub suspended: u64,
    pub withdrawn: u64,
    /// Suspended or withdrawn members made active again.
    pub returned: u64,
    /// Active at the month's end.
    pub active: u64,
    pub renewals_due: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MembersReport {
    pub months: Vec<MemberMonth>,
    /// Active just before the period: `active` of each month follows from it and the changes.
    pub active_before: u64,
    /// Withdrawal reasons in the period, most given first.
    pub withdrawal_reasons: Vec<(String, u64)>,
}

/// A member's status on a day: before any change, 'active' from joining (or the status the
/// first change started from); then each change from its effective day.
fn status_on(m: &sql::MemberFact, changes: &[sql::StatusChange], day: NaiveDate) -> bool {
    if m.joined_on.is_none_or(|j| j > day) {
        return false;
    }
    if changes.is_empty() {
        // A status set without history (imported): it holds from its day on.
        return m.status == "active" || m.status_since.is_some_and(|s| s > day);
    }
    let mut status = changes[0].2.as_str();
    for c in changes {
        if c.1 > day {
            break;
        }
        status = c.3.as_str();
    }
    status.is_empty() || status == "active"
}

impl Db {
    pub(super) fn members_report_in(&self, p: &Period) -> Result<MembersReport> {
        let course_members = match &p.course {
            Some((id, _)) => Some(sql::members_on_course(&self.conn, *id)?),
            None => None,
        };
        let keep = |id: i64| course_members.as_ref().is_none_or(|s| s.contains(&id));
        let members: Vec<sql::MemberFact> = sql::members(&self.conn)?.into_iter().filter(|m| keep(m.id)).collect();
        let mut changes: HashMap<i64, Vec<sql::StatusChange>> = HashMap::new();
        for c in sql::status_changes(&self.conn)? {
            if keep(c.0) {
                changes.entry(c.0).or_default().push(c);
            }
        }
        let months = p.months();
        let mut out: Vec<MemberMonth> = months.iter().map(|m| MemberMonth { month: super::month_key(*m), ..Default::default() }).collect();
        let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
        let ends: Vec<NaiveDate> = months.iter().map(|m| (*m + chrono::Months::new(1)).pred_opt().expect("valid")).collect();
        let before = p.from.pred_opt().expect("valid");
        let mut active_before = 0;
        let none = Vec::new();
        for m in &members {
            let ch = changes.get(&m.id).unwrap_or(&none);
            if status_on(m, ch, before) {
                active_before += 1;
            }
            if let Some(i) = m.joined_on.and_then(|j| p.index(j)) {
                out[i].new += 1;
            }
            for (i, end) in ends.iter().enumerate() {
                if status_on(m, ch, *end) {
                    out[i].active += 1;
                }
            }
            for c in ch {
                let Some(i) = p.index(c.1) else { continue };
                match c.3.as_str() {
                    "suspended" => out[i].suspended += 1,
                    "withdrawn" => {
                        out[i].withdrawn += 1;
                        let r = if c.4.trim().is_empty() { "（理由の記録なし）".to_string() } else { c.4.trim().to_string() };
                        *reasons.entry(r).or_default() += 1;
                    }
                    "active" => out[i].returned += 1,
                    _ => {}
                }
            }
            if ch.is_empty() && m.status != "active" {
                // Imported with a status but no history: counted on its day, reason unknown.
                if let Some(i) = m.status_since.and_then(|s| p.index(s)) {
                    if m.status == "withdrawn" {
                        out[i].withdrawn += 1;
                        *reasons.entry("（理由の記録なし）".into()).or_default() += 1;
                    } else {
                        out[i].suspended += 1;
                    }
                }
            }
        }
        for (member, until) in sql::membership_terms(&self.conn, p.from, p.to)? {
            if keep(member) {
                if let Some(i) = p.index(until) {
                    out[i].renewals_due += 1;
                }
            }
        }
        let mut withdrawal_reasons: Vec<(String, u64)> = reasons.into_iter().collect();
        withdrawal_reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(MembersReport { months: out, active_before, withdrawal_reasons })
    }
}

impl MembersReport {
    pub(super) fn view(&self, p: &Period) -> ReportView {
        let mut v = ReportView::new(ReportKind::Members, p);
        if let Some(last) = self.months.last() {
            let prev = if self.months.len() > 1 { self.months[self.months.len() - 2].active } else { self.active_before };
            v.figures.push(Figure::new("有効会員（期末）", Cell::count(last.active as i64), Unit::Count).against(prev as f64, true));
            v.figures.push(Figure::new("期間の新規会員", Cell::count(self.months.iter().map(|m| m.new).sum::<u64>() as i64), Unit::Count));
            v.figures.push(Figure::new("期間の退会", Cell::count(self.months.iter().map(|m| m.withdrawn).sum::<u64>() as i64), Unit::Count));
        }
        let axis = month_axis(p);
        let col = |f: fn(&MemberMonth) -> u64| self.months.iter().map(|m| f(m) as f64).collect::<Vec<f64>>();
        let chart = Chart::new(ChartKind::Bar, Unit::Count, axis)
            .series("新規", col(|m| m.new))
            .series("休止", col(|m| m.suspended))
            .series("退会", col(|m| m.withdrawn));
        let mut t = Table::with_columns(month_columns(("", Unit::Text), p, Unit::Count, Some("期間計")));
        let row = |label: &str, f: fn(&MemberMonth) -> u64, sum: bool| {
            let mut cells = vec![Cell::text(label)];
            cells.extend(self.months.iter().map(|m| Cell::count(f(m) as i64)));
            cells.push(if sum { Cell::count(self.months.iter().map(|m| f(m) as i64).sum()) } else { Cell::empty() });
            TableRow::new(cells)
        };
        t.rows.push(row("新規入会", |m| m.new, true));
        t.rows.push(row("休止", |m| m.suspended, true));
        t.rows.push(row("退会", |m| m.withdrawn, true));
        t.rows.push(row("再開（休止・退会から）", |m| m.returned, true));
        t.rows.push(row("会費の更新対象", |m| m.renewals_due, true));
        let mut active = row("有効会員（月末）", |m| m.active, false);
        active.total = true;
        t.rows.push(active);
        v.section(
            "月別の会員数",
            "有効会員は各月末の状態を会員ステータスの履歴から数えています。会費の更新対象は、会費コースの有効期限がその月に切れる会員です。",
            Some(chart),
            t,
        );
        let total: u64 = self.withdrawal_reasons.iter().map(|r| r.1).sum();
        let mut t = Table::new(&[("退会理由", Unit::Text), ("件数", Unit::Count), ("構成比", Unit::Percent)]);
        for (r, n) in &self.withdrawal_reasons {
            t.rows.push(TableRow::new(vec![Cell::text(r), Cell::count(*n as i64), Cell::pct(*n as f64, total as f64)]));
        }
        t.rows.push(TableRow::total(vec![Cell::text("合計"), Cell::count(total as i64), Cell::pct(total as f64, total as f64)]));
        let chart = Chart::new(ChartKind::HorizontalBar, Unit::Count, self.withdrawal_reasons.iter().map(|r| r.0.clone()).collect())
            .series("件数", self.withdrawal_reasons.iter().map(|r| r.1 as f64).collect());
        v.section("退会理由", "期間中に退会した会員の理由（退会の手続きで入力したもの）。", (!self.withdrawal_reasons.is_empty()).then_some(chart), t);
        v
    }
}
