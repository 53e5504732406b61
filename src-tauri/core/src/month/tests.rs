//! The monthly run and the subscription lifecycle, walked through a year of a small shop.
use super::*;
use crate::clock::pretend_today;
use crate::courses::{CourseInput, CourseItemInput, CoursePrice};
use crate::members::{MemberInput, StatusChange};
use crate::orders::{OrderFilter, PaymentMethod};
use crate::products::ProductInput;
use crate::schedule::IntervalUnit;
use crate::settings::SwitchPrice;
use crate::subscriptions::{SubscriptionAction as A, SubscriptionInput};
use crate::ErrorCode;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn shop() -> Db {
    pretend_today(Some(d(2026, 1, 10)));
    let mut db = Db::open_in_memory().unwrap();
    for (code, name, price, rate, shipped) in [
        ("AO", "青汁 30包", 3980, 8, true),
        ("CUP", "シェイカー", 550, 10, true),
        ("KAIHO", "会報誌", 0, 10, true),
        ("NENKAI", "年会費", 5000, 10, false),
    ] {
        db.save_product(None, ProductInput { code: code.into(), name: name.into(), unit_price: price, tax_rate: rate, shipped, stock: 5, ..Default::default() })
            .unwrap();
    }
    let course = |code: &str, unit, count, items: Vec<(&str, i64)>, prices: Vec<(i64, Option<i64>, Option<i64>)>| CourseInput {
        code: code.into(),
        name: format!("{code}コース"),
        interval_unit: unit,
        interval_count: count,
        items: items.into_iter().map(|(p, q)| CourseItemInput { product: p.into(), quantity: q }).collect(),
        prices: prices.into_iter().map(|(n, p, r)| CoursePrice { from_delivery: n, price: p, discount_percent: r }).collect(),
        ..Default::default()
    };
    db.save_course(None, CourseInput { min_deliveries: 3, ..course("T1", IntervalUnit::Month, 1, vec![("AO", 1)], vec![(1, Some(980), None), (2, Some(3980), None)]) }).unwrap();
    db.save_course(None, course("T2", IntervalUnit::Month, 2, vec![("AO", 1), ("CUP", 1)], vec![(1, None, Some(10))])).unwrap();
    db.save_course(None, course("W4", IntervalUnit::Week, 4, vec![("AO", 1)], vec![])).unwrap();
    db.save_course(None, CourseInput {
        kind: crate::courses::CourseKind::Membership,
        bulletin_product: "KAIHO".into(),
        ..course("MEM", IntervalUnit::Month, 12, vec![("NENKAI", 1)], vec![])
    })
    .unwrap();
    for (code, name) in [("M1", "山田 花子"), ("M2", "佐藤 一郎"), ("M3", "鈴木 次郎")] {
        db.create_member(
            &MemberInput {
                code: code.into(),
                name: name.into(),
                kana: "テスト".into(),
                postal_code: "100-0001".into(),
                prefecture: "東京都".into(),
                city: "千代田区".into(),
                street: "1-1".into(),
                phone: "03-1234-5678".into(),
                joined_on: "2025-01-01".into(),
                dm_opt_out: code == "M3",
                ..Default::default()
            },
            "",
        )
        .unwrap();
    }
    db
}

fn subscribe(db: &mut Db, member: &str, course: &str, first: &str) -> i64 {
    db.create_subscription(&SubscriptionInput {
        member: member.into(),
        course: course.into(),
        first_delivery: first.into(),
        payment_method: PaymentMethod::BankTransfer,
        staff: "佐藤".into(),
        ..Default::default()
    })
    .unwrap()
    .subscription
    .id
}

fn run(db: &mut Db, month: &str) -> MonthRunReport {
    db.month_run(month, "佐藤", &mut |_| {}).unwrap()
}

fn dates(r: &MonthRunReport) -> Vec<NaiveDate> {
    r.orders.iter().map(|o| o.date).collect()
}

#[test]
fn month_end_anchor_prices_by_delivery_number_and_idempotence() {
    let mut db = shop();
    let id = subscribe(&mut db, "M1", "T1", "2026-01-31");
    let preview = db.month_preview("2026-01").unwrap();
    assert_eq!((preview.dry_run, preview.orders_created, preview.orders[0].total), (true, 1, 980));
    assert!(db.orders(&OrderFilter::default()).unwrap().orders.is_empty(), "the preview writes nothing");
    let r = run(&mut db, "2026-01");
    assert_eq!((r.dry_run, r.orders_created, dates(&r)), (false, 1, vec![d(2026, 1, 31)]));
    assert_eq!(r.by_course.get("T1コース"), Some(&1));
    assert_eq!(r.stock_needed.get("AO"), Some(&1));
    let again = run(&mut db, "2026-01");
    assert_eq!((again.orders_created, again.earlier_runs.len()), (0, 1));
    let r = run(&mut db, "2026-02");
    assert_eq!((dates(&r), r.orders[0].total, r.orders[0].delivery_no), (vec![d(2026, 2, 28)], 3980, 2));
    let s = db.subscription(id).unwrap().subscription;
    assert_eq!((s.next_date, s.deliveries), (Some(d(2026, 3, 31)), 2));
    // The order carries its tax per rate: ¥3,980 at 8% → ¥294.
    let o = db.order(r.orders[0].number.as_deref().unwrap()).unwrap();
    assert_eq!((o.totals.total_8, o.totals.tax_8, o.totals.shipping_fee, o.kind), (3980, 294, 0, crate::orders::OrderKind::Subscription));
}

#[test]
fn skips_missed_months_and_pauses_do_not_shift_the_rhythm() {
    let mut db = shop();
    let id = subscribe(&mut db, "M1", "T1", "2026-01-31");
    run(&mut db, "2026-01");
    run(&mut db, "2026-02");
    pretend_today(Some(d(2026, 3, 1)));
    let e = db.subscription_action(id, &A::Skip { date: Some("2026-03-30".into()), reason: "旅行".into() }, "佐藤").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("date"), "not a delivery day: {e:?}");
    let detail = db.subscription_action(id, &A::Skip { date: None, reason: "商品が余っている".into() }, "佐藤").unwrap();
    assert_eq!(detail.upcoming[0].skipped.as_deref(), Some("商品が余っている"));
    assert_eq!(detail.upcoming[1].delivery_no, 3, "a skip is no delivery");
    let r = run(&mut db, "2026-03");
    assert_eq!(r.orders_created, 0);
    assert_eq!((r.skipped[0].date, r.skipped[0].reason.as_str()), (Some(d(2026, 3, 31)), "スキップ（商品が余っている）"));
    // April is not run; May's run makes April's order late, dated as scheduled, and May's.
    pretend_today(Some(d(2026, 5, 20)));
    let r = run(&mut db, "2026-05");
    assert_eq!(dates(&r), vec![d(2026, 4, 30), d(2026, 5, 31)]);
    assert_eq!(r.orders.iter().map(|o| o.late).collect::<Vec<_>>(), vec![true, false]);
    assert_eq!(db.subscription(id).unwrap().subscription.next_date, Some(d(2026, 6, 30)));
    // Pause until July 15: June is skipped, July 31 is delivered and the pause ends by itself.
    db.subscription_action(id, &A::Pause { until: Some("2026-07-15".into()), reason: "入院・体調".into() }, "佐藤").unwrap();
    let r = run(&mut db, "2026-06");
    assert_eq!((r.orders_created, r.skipped[0].reason.as_str()), (0, "休止中（2026-07-15 から再開）"));
    let r = run(&mut db, "2026-07");
    assert_eq!(dates(&r), vec![d(2026, 7, 31)]);
    let detail = db.subscription(id).unwrap();
    assert_eq!((detail.subscription.status, detail.subscription.next_date), (SubscriptionStatus::Active, Some(d(2026, 8, 31))));
    let kinds: Vec<_> = detail.events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Resume, EventKind::Pause, EventKind::Skip, EventKind::Started]);
}

#[test]
fn weekly_and_two_monthly_rhythms_and_discounts() {
    let mut db = shop();
    let w = subscribe(&mut db, "M1", "W4", "2026-01-05");
    let t2 = subscribe(&mut db, "M2", "T2", "2026-01-20");
    let r = run(&mut db, "2026-02");
    let mine = |sub: i64| r.orders.iter().filter(|o| o.subscription == sub).map(|o| o.date).collect::<Vec<_>>();
    assert_eq!(mine(w), vec![d(2026, 1, 5), d(2026, 2, 2)]);
    assert_eq!(mine(t2), vec![d(2026, 1, 20)]);
    // 10% off ¥3,980 and ¥550: ¥3,582 at 8% and ¥495 at 10%.
    let o = r.orders.iter().find(|o| o.subscription == t2).unwrap();
    assert_eq!(o.total, 3582 + 495);
    assert_eq!(db.subscription(t2).unwrap().subscription.next_date, Some(d(2026, 3, 20)));
}

#[test]
fn switch_keeps_or_restarts_the_price_position_and_stop_respects_the_minimum() {
    let mut db = shop();
    let id = subscribe(&mut db, "M1", "T2", "2026-01-31");
    run(&mut db, "2026-01");
    let e = db.subscription_action(id, &A::Stop { reason: "経済的な理由".into(), allow_early: false }, "佐藤");
    assert!(e.is_ok(), "T2 has no minimum");
    db.subscription_action(id, &A::Restart { next_date: Some("2026-03-31".into()) }, "佐藤").unwrap();
    let detail = db.subscription_action(id, &A::Switch { course: "T1".into(), reason: "効果を実感できない".into() }, "佐藤").unwrap();
    // Continue (default): delivery 2 of T1 is at the later price.
    assert_eq!(detail.upcoming[0].amount, Some(3980));
    let mut s = db.shop_settings().unwrap();
    s.switch_price = SwitchPrice::Restart;
    db.save_shop_settings(s).unwrap();
    let id2 = subscribe(&mut db, "M2", "T2", "2026-01-31");
    run(&mut db, "2026-01");
    let detail = db.subscription_action(id2, &A::Switch { course: "T1".into(), reason: "x".into() }, "").unwrap();
    assert_eq!(detail.upcoming[0].amount, Some(980), "the new course from its first price");
    let e = db.subscription_action(id2, &A::Stop { reason: "x".into(), allow_early: false }, "").unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::Conflict, Some("allow_early")));
    let detail = db.subscription_action(id2, &A::Stop { reason: "他社商品に切り替え".into(), allow_early: true }, "").unwrap();
    assert_eq!(detail.subscription.status, SubscriptionStatus::Stopped);
    let r = run(&mut db, "2026-03");
    assert!(r.orders.iter().all(|o| o.subscription != id2));
}

#[test]
fn member_status_moves_the_subscriptions_and_the_bulletin_goes_to_entitled_members() {
    let mut db = shop();
    let a = subscribe(&mut db, "M1", "MEM", "2026-01-15");
    let b = subscribe(&mut db, "M2", "MEM", "2026-01-15");
    subscribe(&mut db, "M3", "MEM", "2026-01-15");
    let r = run(&mut db, "2026-01");
    // Three fees (nothing shipped, so no stock for 年会費), two bulletin copies.
    assert_eq!((r.orders_created, r.bulletin_slips), (3, 2));
    assert_eq!(r.stock_needed.get("NENKAI"), None);
    assert_eq!(r.stock_needed.get("KAIHO"), Some(&2));
    assert!(r.skipped.iter().any(|s| s.member == "M3" && s.reason == "会報誌: DM不要の会員"));
    assert_eq!(db.member("M1").unwrap().valid_until, Some(d(2027, 1, 14)));
    assert_eq!(run(&mut db, "2026-01").bulletin_slips, 0, "one copy a month");
    assert_eq!(run(&mut db, "2026-02").bulletin_slips, 2);
    // Suspension pauses, withdrawal stops, return resumes what the suspension paused.
    let change = |s: crate::members::MemberStatus| StatusChange { status: s, effective_on: String::new(), reason: "ご本人より".into(), staff: "".into() };
    db.change_member_status("M1", &change(crate::members::MemberStatus::Suspended)).unwrap();
    db.change_member_status("M2", &change(crate::members::MemberStatus::Withdrawn)).unwrap();
    assert_eq!(db.subscription(a).unwrap().subscription.status, SubscriptionStatus::Paused);
    assert_eq!(db.subscription(b).unwrap().subscription.status, SubscriptionStatus::Stopped);
    assert_eq!(run(&mut db, "2026-03").bulletin_slips, 0);
    db.change_member_status("M1", &change(crate::members::MemberStatus::Active)).unwrap();
    assert_eq!(db.subscription(a).unwrap().subscription.status, SubscriptionStatus::Active);
    assert_eq!(run(&mut db, "2026-04").bulletin_slips, 1);
    // Renewal notices: valid until 2027-01-14 with 30 days' notice shows in December's run.
    pretend_today(Some(d(2026, 12, 1)));
    let r = db.month_preview("2026-12").unwrap();
    assert_eq!(r.renewals_due.iter().map(|n| n.member.as_str()).collect::<Vec<_>>(), ["M1", "M3"], "M2 withdrew");
}

#[test]
fn the_month_is_checked() {
    let db = shop();
    assert_eq!(db.month_preview("2026/01").unwrap_err().field.as_deref(), Some("month"));
    assert_eq!(db.month_preview("2026-06").unwrap_err().field.as_deref(), Some("month"), "more than three months ahead");
    assert!(db.month_preview("2026-04").is_ok());
}
