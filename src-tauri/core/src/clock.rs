//! "Today" for every rule that depends on the date (the monthly run's limits, pauses, skips,
//! age checks). Tests, demos and support can pretend another day: per thread with
//! [`pretend_today`], or for a whole process with `TEIKIBIN_TODAY=YYYY-MM-DD`.
use chrono::NaiveDate;
use std::cell::Cell;

thread_local! {
    static TODAY: Cell<Option<NaiveDate>> = const { Cell::new(None) };
}

pub fn today() -> NaiveDate {
    if let Some(d) = TODAY.with(|t| t.get()) {
        return d;
    }
    if let Some(d) = std::env::var("TEIKIBIN_TODAY").ok().and_then(|v| v.trim().parse().ok()) {
        return d;
    }
    chrono::Local::now().date_naive()
}

/// Makes [`today`] answer `day` on this thread (None: the real date again).
pub fn pretend_today(day: Option<NaiveDate>) {
    TODAY.with(|t| t.set(day));
}
