//! Demo data: a small health-food mail-order shop, for demos, the benchmarks and later issues.
//! Members (names with readings, real postal codes and area codes, a few suspended and withdrawn,
//! a few re-registrations for 名寄せ), the shop's settings, its catalogue and courses, and two
//! years of history made by the same rules as typed data: subscriptions with their deliveries,
//! skips, switches, pauses and stops, the monthly runs and bulletin slips, and one-off orders.
//! Deterministic for a given seed and "today" (`clock::today`).
//!
//! - `people.rs`: the members.
//! - `shop.rs`: settings, products and courses (added only where missing).
//! - `history.rs`: subscriptions and orders, simulated in memory, then written in one transaction.
//!
//! `add_demo_subscribers` adds newcomers starting a course with their first delivery in a given
//! month: the monthly-run benchmark tops the demo up with it to its 10,000 due subscriptions.
mod history;
mod people;
mod shop;
#[cfg(test)]
mod tests;

use crate::error::{CoreError, Result};
use crate::store::Db;
use serde::Serialize;
use ts_rs::TS;

/// Salt of the habits' random stream (kept apart from the members' own).
const HABITS: u64 = 0x5EED_0FDA_7A00_0042;

/// splitmix64: tiny, fast and good enough to make demo people and their habits.
pub(crate) struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// A whole number from `lo` to `hi`, both included.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    /// One of `xs` by weight.
    fn weighted<'a, T>(&mut self, xs: &'a [(T, u32)]) -> &'a T {
        let total: u64 = xs.iter().map(|x| x.1 as u64).sum();
        let mut r = self.below(total);
        for (x, w) in xs {
            if r < *w as u64 {
                return x;
            }
            r -= *w as u64;
        }
        &xs[xs.len() - 1].0
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(1000) < percent * 10
    }
    fn permille(&mut self, n: u64) -> bool {
        self.below(1000) < n
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// How much history the demo makes: by default a small shop's two years (30% of the members buy
/// one-offs, a few orders each); the reports benchmark asks for three busy years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoScale {
    pub years: u32,
    /// Members who also buy one-off (phone, web …), in percent.
    pub buyers_percent: u64,
    /// The chance of one more one-off order, in percent, up to `max_one_offs`.
    pub repeat_percent: u64,
    pub max_one_offs: u32,
}

impl Default for DemoScale {
    fn default() -> Self {
        DemoScale { years: 2, buyers_percent: 30, repeat_percent: 55, max_one_offs: 12 }
    }
}

impl DemoScale {
    /// Most members buy one-offs, many of them again and again, over `years`.
    pub fn busy(years: u32) -> DemoScale {
        DemoScale { years: years.clamp(1, 10), buyers_percent: 80, repeat_percent: 86, max_one_offs: 40 }
    }
}

/// What `generate_demo` added.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DemoReport {
    pub members: u32,
    pub first_code: String,
    pub last_code: String,
    /// Products and courses added (codes already there are left as they are).
    pub products: u32,
    pub courses: u32,
    /// Subscriptions of the new members, and how many of them are still running (継続中).
    pub subscriptions: u32,
    pub active_subscriptions: u32,
    /// Orders of every kind: subscription deliveries, membership fees and one-off purchases.
    pub orders: u32,
    pub bulletin_slips: u32,
    #[ts(type = "number")]
    pub millis: u64,
}

/// The demo shop's settings: a made-up company with everything invoices, B2 files and labels
/// need (the registration number is a valid-looking placeholder, not a real business's).
pub fn demo_shop_settings() -> crate::settings::ShopSettings {
    let mut s = crate::settings::ShopSettings {
        company_name: "デモ通販（サンプル）".into(),
        postal_code: "100-0005".into(),
        address: "東京都千代田区丸の内9-9-9 サンプルビル3階".into(),
        phone: "03-1234-5678".into(),
        email: "info@example.jp".into(),
        invoice_registration_number: "T8000000000001".into(),
        bank_account: crate::settings::BankAccount {
            bank_name: "サンプル銀行".into(),
            branch_name: "本店".into(),
            number: "1234567".into(),
            holder: "デモツウハン".into(),
            ..Default::default()
        },
        staff: vec!["佐藤".into(), "鈴木".into()],
        ..Default::default()
    };
    s.shipping.b2_customer_code = "012345678901".into();
    s
}

impl Db {
    /// Adds `n` demo members and, on a database with courses and orders (schema 4 on), the demo
    /// shop around them: settings still empty, missing products and courses, and the new
    /// members' subscriptions and orders of the last two years. One transaction per step.
    /// (`generate_demo_scaled` makes more.)
    pub fn generate_demo(&mut self, n: u32, seed: u64) -> Result<DemoReport> {
        self.generate_demo_scaled(n, seed, DemoScale::default())
    }

    /// [`Db::generate_demo`] with more or less history.
    pub fn generate_demo_scaled(&mut self, n: u32, seed: u64, scale: DemoScale) -> Result<DemoReport> {
        let started = std::time::Instant::now();
        let today = crate::clock::today();
        let with_shop = n > 0 && self.schema_version()? >= 4;
        // Habits get their own stream, so the members of a seed stay the same people.
        let mut habits = Rng(seed ^ HABITS);
        let people = people::add_members(self, n, seed, today, with_shop.then_some(&mut habits), false)?;
        let mut report = DemoReport {
            members: n,
            first_code: people.first_code.clone(),
            last_code: people.last_code.clone(),
            products: 0,
            courses: 0,
            subscriptions: 0,
            active_subscriptions: 0,
            orders: 0,
            bulletin_slips: 0,
            millis: 0,
        };
        if with_shop {
            let settings = shop::fill_settings(self)?;
            let (products, courses) = shop::add_catalog(self)?;
            report.products = products;
            report.courses = courses;
            let h = history::generate(self, &people.members, &settings, &mut habits, today, scale)?;
            report.subscriptions = h.subscriptions;
            report.active_subscriptions = h.active_subscriptions;
            report.orders = h.orders;
            report.bulletin_slips = h.bulletin_slips;
            // Migration tests build demo shops on older schemas, before debit accounts existed.
            if self.schema_version()? >= 6 {
                shop::add_debit_accounts(self)?;
            }
        }
        self.search_reset();
        report.millis = started.elapsed().as_millis() as u64;
        Ok(report)
    }

    /// Adds `n` active demo members who each start the course `course` today, their first
    /// deliveries spread over the days of `month` (YYYY-MM, today or later): a busy month for the
    /// monthly-run benchmark and demos. Needs the demo catalogue (or the shop's own course).
    pub fn add_demo_subscribers(&mut self, course: &str, n: u32, month: &str, seed: u64) -> Result<DemoReport> {
        let started = std::time::Instant::now();
        let today = crate::clock::today();
        let (from, to) = crate::schedule::month_bounds(month)
            .ok_or_else(|| CoreError::field("month", format!("月は YYYY-MM の形で指定してください（{month}）")))?;
        if to < today {
            return Err(CoreError::field("month", format!("{month} は過ぎた月です")));
        }
        let course = self.course(course)?;
        let settings = self.shop_settings()?;
        let mut habits = Rng(seed ^ HABITS);
        let people = people::add_members(self, n, seed, today, None, true)?;
        let h = history::start_now(self, &people.members, course.id, (from, to), &settings, &mut habits, today)?;
        self.search_reset();
        Ok(DemoReport {
            members: n,
            first_code: people.first_code,
            last_code: people.last_code,
            products: 0,
            courses: 0,
            subscriptions: h.subscriptions,
            active_subscriptions: h.active_subscriptions,
            orders: h.orders,
            bulletin_slips: h.bulletin_slips,
            millis: started.elapsed().as_millis() as u64,
        })
    }
}
