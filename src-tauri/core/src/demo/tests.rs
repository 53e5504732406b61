//! The demo's data passes the same checks as data typed by staff, and the next monthly run
//! carries on from its history.
use super::*;
use crate::clock::pretend_today;
use crate::members::search::SearchQuery;
use crate::members::MemberStatus;
use crate::orders::{OrderFilter, OrderKind, OrderTotals};
use crate::subscriptions::{EventKind, Subscription, SubscriptionFilter, SubscriptionStatus};
use chrono::{Datelike, Months, NaiveDate};
use std::collections::{BTreeMap, HashMap};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn all_subscriptions(db: &Db) -> Vec<Subscription> {
    db.subscriptions(&SubscriptionFilter { limit: Some(1_000_000), ..Default::default() }).unwrap().subscriptions
}

#[test]
fn demo_members_pass_the_same_checks_as_typed_ones() {
    let mut db = Db::open_in_memory().unwrap();
    let r = db.generate_demo(2000, 1).unwrap();
    assert_eq!((r.members, r.first_code.as_str(), r.last_code.as_str()), (2000, "000001", "002000"));
    let all = db.search_members(&SearchQuery::default()).unwrap();
    assert_eq!(all.total, 2000);
    let counts = db.member_counts().unwrap();
    assert!(counts.iter().all(|(_, n)| *n > 0), "{counts:?}");
    assert!(!db.duplicate_candidates().unwrap().is_empty());
    // Half-width kana of re-registrations were normalised on the way in.
    assert!(all.rows.iter().all(|m| !m.kana.chars().any(|c| ('\u{FF61}'..='\u{FF9F}').contains(&c))));
    // Codes continue after existing members; the catalogue is not added twice.
    let again = db.generate_demo(1, 2).unwrap();
    assert_eq!((again.first_code.as_str(), again.products, again.courses), ("002001", 0, 0));
}

#[test]
fn the_shop_settings_are_filled_where_empty() {
    let mut db = Db::open_in_memory().unwrap();
    db.save_shop_settings(crate::settings::ShopSettings { company_name: "山の恵み本舗".into(), ..Default::default() }).unwrap();
    db.generate_demo(10, 1).unwrap();
    let s = db.shop_settings().unwrap();
    assert_eq!(s.company_name, "山の恵み本舗", "a name saved at first start stays");
    assert_eq!(s.postal_code, "390-0811");
    assert!(crate::normalize::registration_number(&s.invoice_registration_number).is_ok());
    assert_eq!(s.invoice_registration_number.len(), 14);
    assert_eq!((s.bank_account.bank_name.as_str(), s.bank_account.number.len()), ("みずほ銀行", 7));
    assert!(!s.staff.is_empty() && !s.phone.is_empty() && !s.fax.is_empty() && !s.email.is_empty());
    // The check digit rule itself, on the published example (Toyota, 1180301018771).
    assert_eq!(shop::registration_number("180301018771"), "T1180301018771");
}

#[test]
fn demo_history_follows_the_rules_and_the_next_run_continues_it() {
    check_history(d(2026, 11, 18), 3000, 7);
}

#[test]
fn demo_history_around_month_ends_and_leap_days() {
    check_history(d(2027, 1, 31), 1200, 3);
    check_history(d(2028, 2, 29), 1200, 5);
    check_history(d(2026, 6, 1), 1200, 8);
}

/// The demo made on `today`, checked order by order and subscription by subscription, and then
/// the next month previewed and run.
fn check_history(today: NaiveDate, n: u32, seed: u64) {
    pretend_today(Some(today));
    let this = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
    let horizon = (this + Months::new(1)).pred_opt().unwrap();
    let (next_first, next_end) = (horizon.succ_opt().unwrap(), (this + Months::new(2)).pred_opt().unwrap());
    let (this_month, next_month) = (this.format("%Y-%m").to_string(), next_first.format("%Y-%m").to_string());
    let mut db = Db::open_in_memory().unwrap();
    let r = db.generate_demo(n, seed).unwrap();
    assert_eq!((r.products, r.courses), (27, 6));
    let groups: std::collections::BTreeSet<String> = db.products().unwrap().into_iter().map(|p| p.group).collect();
    assert_eq!(groups.len(), 7, "{groups:?}");
    let settings = db.shop_settings().unwrap();

    let subs = all_subscriptions(&db);
    assert_eq!(subs.len(), r.subscriptions as usize);
    let share = subs.len() as f64 / n as f64;
    assert!((0.15..0.30).contains(&share), "subscriptions per member {share}");
    let active = subs.iter().filter(|s| s.status == SubscriptionStatus::Active).count();
    assert_eq!(active, r.active_subscriptions as usize);
    let active_share = active as f64 / subs.len() as f64;
    assert!((0.40..0.70).contains(&active_share), "active share {active_share}");
    let members: HashMap<String, crate::members::Member> =
        subs.iter().map(|s| (s.member.clone(), db.member(&s.member).unwrap())).collect();

    // Every order: totals as the rules compute them; subscription orders on their schedule.
    let page = db.orders(&OrderFilter { limit: Some(1_000_000), ..Default::default() }).unwrap();
    assert_eq!(page.total, r.orders as u64);
    let mut delivered: HashMap<i64, Vec<(NaiveDate, i64)>> = HashMap::new();
    let mut kinds: BTreeMap<&str, u32> = BTreeMap::new();
    for summary in &page.orders {
        let o = db.order(&summary.number).unwrap();
        let again = OrderTotals::compute(&o.lines, o.totals.shipping_fee, o.totals.cod_fee, &settings);
        assert_eq!(again, o.totals, "{}", o.number);
        *kinds.entry(o.kind.as_str()).or_default() += 1;
        match o.subscription_id {
            Some(sub) => {
                assert_ne!(o.kind, OrderKind::OneOff);
                assert_eq!((o.scheduled_for, o.channel.as_str()), (Some(o.ordered_on), "定期"));
                assert!(o.ordered_on <= horizon, "{} is after this month", o.number);
                delivered.entry(sub).or_default().push((o.ordered_on, o.delivery_no.unwrap()));
            }
            None => {
                assert_eq!(o.kind, OrderKind::OneOff);
                assert!(o.ordered_on <= today);
                assert!(["電話", "FAX", "はがき", "Web"].contains(&o.channel.as_str()));
                assert!((1..=4).contains(&o.lines.len()));
            }
        }
    }
    assert!(kinds.len() == 3 && kinds.values().all(|n| *n > 0), "{kinds:?}");

    let mut ever_skipped = 0;
    let mut switched = 0;
    for s in &subs {
        let mut mine = delivered.remove(&s.id).unwrap_or_default();
        mine.sort();
        assert_eq!(mine.len() as i64, s.deliveries, "subscription {}", s.id);
        assert_eq!(mine.iter().map(|x| x.1).collect::<Vec<_>>(), (1..=s.deliveries).collect::<Vec<_>>(), "delivery numbers of {}", s.id);
        let detail = db.subscription(s.id).unwrap();
        for e in &detail.events {
            if e.kind == EventKind::Skip {
                ever_skipped += 1;
                let t = e.target_date.unwrap();
                assert!(!mine.iter().any(|x| x.0 == t), "a skipped date has an order: {} {t}", s.id);
                assert!(e.happened_on <= today && e.happened_on < t);
            }
            switched += (e.kind == EventKind::Switch) as u32;
        }
        let member = &members[&s.member];
        match member.status {
            MemberStatus::Withdrawn => assert_ne!(s.status, SubscriptionStatus::Active, "{}: withdrawn member", s.id),
            MemberStatus::Suspended => assert_ne!(s.status, SubscriptionStatus::Active, "{}: suspended member", s.id),
            MemberStatus::Active => {}
        }
        if member.status == MemberStatus::Withdrawn {
            assert_eq!(s.status, SubscriptionStatus::Stopped);
        }
        match s.status {
            SubscriptionStatus::Active => assert!(s.next_date.unwrap() > horizon, "{}: next {:?} not after this month", s.id, s.next_date),
            SubscriptionStatus::Stopped => assert!(!s.stop_reason.is_empty()),
            SubscriptionStatus::Paused => {}
        }
        if s.course.as_deref() == Some(shop::NENKAI) && s.deliveries > 0 {
            assert!(s.valid_until.is_some());
            if s.status == SubscriptionStatus::Active {
                assert_eq!(member.valid_until, s.valid_until, "the membership's 有効期限 is the member's");
            }
        }
    }
    assert!(delivered.is_empty(), "orders of unknown subscriptions");
    assert!(ever_skipped > 0 && switched > 0, "skips {ever_skipped}, switches {switched}");

    // This month is done: running it again makes nothing.
    let now = db.month_preview(&this_month).unwrap();
    assert_eq!((now.orders_created, now.bulletin_slips), (0, 0), "{:?}", now.orders.first());
    assert_eq!(now.earlier_runs.len(), 1);

    // Next month: one order per delivery due of each active subscription, none for the stopped.
    let preview = db.month_preview(&next_month).unwrap();
    let mut planned: HashMap<i64, usize> = HashMap::new();
    for o in &preview.orders {
        *planned.entry(o.subscription).or_default() += 1;
        assert!(!o.late, "{o:?}");
    }
    let mut expected_slips = 0;
    for s in &subs {
        let member = &members[&s.member];
        let n = planned.get(&s.id).copied().unwrap_or(0);
        match s.status {
            SubscriptionStatus::Stopped => assert_eq!(n, 0),
            SubscriptionStatus::Paused if s.paused_until.is_none_or(|u| u > next_end) => assert_eq!(n, 0),
            SubscriptionStatus::Paused => {}
            SubscriptionStatus::Active => {
                let detail = db.subscription(s.id).unwrap();
                let due = detail.upcoming.iter().filter(|u| u.date <= next_end && u.skipped.is_none()).count();
                let due = if member.status == MemberStatus::Active { due } else { 0 };
                assert_eq!(n, due, "subscription {} ({:?})", s.id, detail.upcoming);
                if s.course.as_deref() == Some(shop::NENKAI) && member.status == MemberStatus::Active && !member.dm_opt_out {
                    expected_slips += 1;
                }
            }
        }
    }
    assert!(preview.orders_created > 0);
    let bulletin_skips: Vec<_> = preview.skipped.iter().filter(|s| s.reason.starts_with("会報誌")).collect();
    assert_eq!(preview.bulletin_slips, expected_slips, "{bulletin_skips:?}");
    assert!(expected_slips > 0);

    // Commit, then again: nothing new.
    let run = db.month_run(&next_month, "テスト", &mut |_| {}).unwrap();
    assert_eq!((run.orders_created, run.bulletin_slips), (preview.orders_created, preview.bulletin_slips));
    let again = db.month_run(&next_month, "テスト", &mut |_| {}).unwrap();
    assert_eq!((again.orders_created, again.bulletin_slips), (0, 0));
    assert!(db.check_integrity(false).unwrap().is_empty());
    pretend_today(None);
}

#[test]
fn retention_falls_fastest_in_the_first_deliveries() {
    pretend_today(Some(d(2026, 5, 31)));
    let mut db = Db::open_in_memory().unwrap();
    db.generate_demo(6000, 11).unwrap();
    let subs: Vec<Subscription> = all_subscriptions(&db).into_iter().filter(|s| s.course.as_deref() != Some(shop::NENKAI)).collect();
    // Among subscriptions whose fate at delivery n is known (stopped, or already past n).
    let reach = |n: i64| {
        let known: Vec<&Subscription> = subs.iter().filter(|s| s.deliveries >= n || (s.deliveries >= n - 1 && s.status == SubscriptionStatus::Stopped)).collect();
        let past = known.iter().filter(|s| s.deliveries >= n).count();
        past as f64 / known.len().max(1) as f64
    };
    let (r2, r3, r8) = (reach(2), reach(3), reach(8));
    assert!((0.6..0.8).contains(&r2), "reach the 2nd delivery: {r2}");
    assert!((0.65..0.9).contains(&r3), "reach the 3rd after the 2nd: {r3}");
    assert!(r2 < r3 && r3 < r8, "churn falls with the deliveries: {r2} {r3} {r8}");
    pretend_today(None);
}

#[test]
fn the_same_seed_makes_the_same_shop() {
    pretend_today(Some(d(2026, 3, 3)));
    let make = || {
        let mut db = Db::open_in_memory().unwrap();
        let r = db.generate_demo(400, 99).unwrap();
        let orders: Vec<(String, String, i64)> = db
            .orders(&OrderFilter { limit: Some(100_000), ..Default::default() })
            .unwrap()
            .orders
            .into_iter()
            .map(|o| (o.number, o.member, o.total))
            .collect();
        let subs: Vec<(String, Option<NaiveDate>, i64)> = all_subscriptions(&db).into_iter().map(|s| (s.member, s.next_date, s.deliveries)).collect();
        (r.subscriptions, r.orders, orders, subs)
    };
    assert_eq!(make(), make());
    pretend_today(None);
}

#[test]
fn demo_subscribers_make_a_busy_month() {
    pretend_today(Some(d(2026, 11, 18)));
    let mut db = Db::open_in_memory().unwrap();
    db.generate_demo(300, 1).unwrap();
    let before = db.month_preview("2026-12").unwrap();
    assert_eq!(db.add_demo_subscribers("AOJIRU", 1, "2026-10", 5).unwrap_err().field.as_deref(), Some("month"));
    assert!(db.add_demo_subscribers("NOPE", 1, "2026-12", 5).is_err());
    let r = db.add_demo_subscribers("AOJIRU", 40, "2026-12", 5).unwrap();
    assert_eq!((r.members, r.subscriptions, r.active_subscriptions, r.orders), (40, 40, 40, 0));
    let after = db.month_preview("2026-12").unwrap();
    assert_eq!(after.orders_created, before.orders_created + 40);
    let new: Vec<_> = after.orders.iter().filter(|o| !before.orders.iter().any(|b| b.subscription == o.subscription)).collect();
    assert_eq!(new.len(), 40);
    assert!(new.iter().all(|o| o.delivery_no == 1 && o.date >= d(2026, 12, 1) && o.date <= d(2026, 12, 31)), "{new:?}");
    let r = db.add_demo_subscribers("NENKAI", 10, "2026-12", 6).unwrap();
    assert_eq!(r.subscriptions, 10);
    let after = db.month_preview("2026-12").unwrap();
    assert!(after.bulletin_slips > before.bulletin_slips);
    pretend_today(None);
}
