//! Delivery dates of a subscription: every N months on day D, every N weeks, every N days.
//!
//! The anchor day is kept apart from the next date (formats.md, month-end schedules): an anchor of
//! the 31st gives Jan 31 → Feb 28 (29) → Mar 31, never a ratchet down to the 28th. Each next date
//! is computed from the previous *scheduled* date, never from the day a run happens, so a monthly
//! run made late does not shift later deliveries.
use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum IntervalUnit {
    Month,
    Week,
    Day,
}

impl IntervalUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            IntervalUnit::Month => "month",
            IntervalUnit::Week => "week",
            IntervalUnit::Day => "day",
        }
    }
    pub fn parse(s: &str) -> Option<IntervalUnit> {
        match s {
            "month" => Some(IntervalUnit::Month),
            "week" => Some(IntervalUnit::Week),
            "day" => Some(IntervalUnit::Day),
            _ => None,
        }
    }
}

/// 「毎月」「2ヶ月ごと」「4週ごと」「45日ごと」.
pub fn interval_label(unit: IntervalUnit, count: i64) -> String {
    match (unit, count) {
        (IntervalUnit::Month, 1) => "毎月".into(),
        (IntervalUnit::Month, n) => format!("{n}ヶ月ごと"),
        (IntervalUnit::Week, 1) => "毎週".into(),
        (IntervalUnit::Week, n) => format!("{n}週ごと"),
        (IntervalUnit::Day, n) => format!("{n}日ごと"),
    }
}

pub const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// Day `day` of the given month, or the month's last day when it is shorter (31 → 30, 28, 29).
pub fn month_day(year: i32, month: u32, day: u32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("month 1-12");
    let last = (first + Months::new(1)).pred_opt().expect("not the first day of the calendar").day();
    first.with_day(day.clamp(1, last)).expect("day within the month")
}

/// A subscription's rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub unit: IntervalUnit,
    pub count: u32,
    /// Monthly: the day of the month it is meant for (1-31). Ignored for weeks and days.
    pub anchor_day: u32,
}

impl Schedule {
    pub fn new(unit: IntervalUnit, count: i64, anchor_day: Option<i64>, fallback: NaiveDate) -> Schedule {
        let anchor = anchor_day.filter(|d| (1..=31).contains(d)).map(|d| d as u32).unwrap_or(fallback.day());
        Schedule { unit, count: count.clamp(1, 366) as u32, anchor_day: anchor }
    }

    /// The scheduled delivery after `d` (a scheduled date).
    pub fn after(&self, d: NaiveDate) -> NaiveDate {
        match self.unit {
            IntervalUnit::Month => {
                let m = NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("valid") + Months::new(self.count);
                month_day(m.year(), m.month(), self.anchor_day)
            }
            IntervalUnit::Week => d + Duration::weeks(self.count as i64),
            IntervalUnit::Day => d + Duration::days(self.count as i64),
        }
    }

    /// The first scheduled date on or after `from`, stepping from the scheduled date `d`; used when
    /// a pause ends or a stopped subscription restarts, so the rhythm (and anchor) is kept.
    pub fn first_on_or_after(&self, mut d: NaiveDate, from: NaiveDate) -> NaiveDate {
        if d >= from {
            return d;
        }
        // Jump close first so a subscription stopped years ago costs no thousands of steps.
        if self.unit != IntervalUnit::Month {
            let step = match self.unit {
                IntervalUnit::Week => 7 * self.count as i64,
                _ => self.count as i64,
            };
            let n = (from - d).num_days() / step;
            d += Duration::days(n * step);
        } else {
            let months = (from.year() - d.year()) * 12 + from.month() as i32 - d.month() as i32;
            let n = (months.max(0) as u32 / self.count).saturating_sub(1);
            let m = NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("valid") + Months::new(n * self.count);
            d = month_day(m.year(), m.month(), self.anchor_day);
        }
        while d < from {
            d = self.after(d);
        }
        d
    }

    /// The first delivery of a subscription starting on `start`: the start date itself, or for a
    /// course with a fixed day/weekday the first such day on or after it.
    pub fn first_delivery(&self, start: NaiveDate, fixed_weekday: Option<u32>) -> NaiveDate {
        match self.unit {
            IntervalUnit::Month => {
                let d = month_day(start.year(), start.month(), self.anchor_day);
                if d >= start {
                    d
                } else {
                    self.after(d).max(start)
                }
            }
            IntervalUnit::Week => match fixed_weekday {
                Some(w) => {
                    let today = start.weekday().num_days_from_monday();
                    start + Duration::days(((w + 7 - today) % 7) as i64)
                }
                None => start,
            },
            IntervalUnit::Day => start,
        }
    }
}

/// The first and last day of a month given as `YYYY-MM`.
pub fn month_bounds(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (y, m) = month.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
    Some((first, (first + Months::new(1)).pred_opt()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn run(s: &Schedule, from: NaiveDate, n: usize) -> Vec<NaiveDate> {
        let mut out = vec![from];
        for _ in 1..n {
            out.push(s.after(*out.last().unwrap()));
        }
        out
    }

    #[test]
    fn month_end_anchor_does_not_ratchet() {
        let s = Schedule::new(IntervalUnit::Month, 1, Some(31), d(2026, 1, 31));
        assert_eq!(run(&s, d(2026, 1, 31), 5), vec![d(2026, 1, 31), d(2026, 2, 28), d(2026, 3, 31), d(2026, 4, 30), d(2026, 5, 31)]);
        // Leap year: Feb 29.
        assert_eq!(s.after(d(2028, 1, 31)), d(2028, 2, 29));
        // The 30th through February and back.
        let s = Schedule::new(IntervalUnit::Month, 1, Some(30), d(2027, 1, 30));
        assert_eq!(run(&s, d(2027, 1, 30), 3), vec![d(2027, 1, 30), d(2027, 2, 28), d(2027, 3, 30)]);
    }

    #[test]
    fn every_two_months_across_the_year_end() {
        let s = Schedule::new(IntervalUnit::Month, 2, None, d(2026, 11, 29));
        assert_eq!(run(&s, d(2026, 11, 29), 3), vec![d(2026, 11, 29), d(2027, 1, 29), d(2027, 3, 29)]);
        let s = Schedule::new(IntervalUnit::Month, 12, Some(29), d(2024, 2, 29));
        assert_eq!(run(&s, d(2024, 2, 29), 3), vec![d(2024, 2, 29), d(2025, 2, 28), d(2026, 2, 28)]);
        assert_eq!(s.after(d(2027, 2, 28)), d(2028, 2, 29));
    }

    #[test]
    fn weeks_and_days_keep_their_weekday_and_step() {
        let s = Schedule::new(IntervalUnit::Week, 4, None, d(2026, 11, 2));
        let dates = run(&s, d(2026, 11, 2), 4);
        assert!(dates.iter().all(|x| x.weekday() == chrono::Weekday::Mon));
        assert_eq!(dates[3], d(2027, 1, 25));
        let s = Schedule::new(IntervalUnit::Day, 45, None, d(2026, 12, 31));
        assert_eq!(s.after(d(2026, 12, 31)), d(2027, 2, 14));
    }

    #[test]
    fn first_delivery_on_a_fixed_day_or_weekday() {
        let s = Schedule::new(IntervalUnit::Month, 1, Some(10), d(2026, 11, 23));
        assert_eq!(s.first_delivery(d(2026, 11, 23), None), d(2026, 12, 10));
        assert_eq!(s.first_delivery(d(2026, 11, 5), None), d(2026, 11, 10));
        let s = Schedule::new(IntervalUnit::Week, 2, None, d(2026, 11, 23));
        // 2026-11-23 is a Monday; fixed Friday (4) → the 27th.
        assert_eq!(s.first_delivery(d(2026, 11, 23), Some(4)), d(2026, 11, 27));
        assert_eq!(s.first_delivery(d(2026, 11, 27), Some(4)), d(2026, 11, 27));
    }

    #[test]
    fn resuming_after_a_pause_keeps_the_rhythm() {
        let s = Schedule::new(IntervalUnit::Month, 1, Some(31), d(2026, 1, 31));
        // Paused from February until April 15: next is April 30, then May 31.
        assert_eq!(s.first_on_or_after(d(2026, 2, 28), d(2026, 4, 15)), d(2026, 4, 30));
        assert_eq!(s.first_on_or_after(d(2026, 2, 28), d(2026, 2, 1)), d(2026, 2, 28));
        // Years later, still the same anchor.
        assert_eq!(s.first_on_or_after(d(2020, 2, 29), d(2026, 6, 1)), d(2026, 6, 30));
        let s = Schedule::new(IntervalUnit::Month, 3, Some(15), d(2026, 1, 15));
        assert_eq!(s.first_on_or_after(d(2026, 1, 15), d(2026, 9, 16)), d(2026, 10, 15));
        let s = Schedule::new(IntervalUnit::Week, 2, None, d(2026, 1, 5));
        let r = s.first_on_or_after(d(2026, 1, 5), d(2026, 11, 23));
        assert!(r >= d(2026, 11, 23) && (r - d(2026, 1, 5)).num_days() % 14 == 0 && (r - d(2026, 11, 23)).num_days() < 14);
    }

    #[test]
    fn month_bounds_read_yyyy_mm() {
        assert_eq!(month_bounds("2028-02"), Some((d(2028, 2, 1), d(2028, 2, 29))));
        assert_eq!(month_bounds("2026-12"), Some((d(2026, 12, 1), d(2026, 12, 31))));
        assert_eq!(month_bounds("2026-13"), None);
        assert_eq!(month_bounds("26-1"), None);
    }
}
