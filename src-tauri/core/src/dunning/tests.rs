use super::*;
use crate::clock::pretend_today;
use crate::orders::PaymentMethod;
use crate::receivables::PaymentInput;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn the_overdue_list_ages_what_is_unpaid_and_letters_step_up_and_are_logged() {
    let (mut db, inv) = crate::receivables::tests::money_shop();
    assert!(db.overdue(0).unwrap().members.is_empty(), "nothing is due yet on the day of issue");
    pretend_today(Some(day("2027-01-10")));
    // M3 paid half: the rest is overdue all the same.
    let m3 = inv.iter().find(|i| i.0 == "M3").unwrap();
    db.record_payment(&PaymentInput { member: "M3".into(), amount: 1000, method: PaymentMethod::Cash, ..Default::default() }).unwrap();
    let l = db.overdue(0).unwrap();
    let due = day("2026-12-07");
    assert_eq!(l.members.iter().map(|m| m.member.as_str()).collect::<Vec<_>>(), ["M1", "M3"]);
    let m1 = &l.members[0];
    assert_eq!((m1.invoices.len(), m1.total, m1.max_days, m1.next_level), (2, inv[0].2 + inv[1].2, (day("2027-01-10") - due).num_days(), 1));
    assert_eq!(l.members[1].total, m3.2 - 1000);
    assert_eq!(l.total, l.buckets.iter().map(|b| b.amount).sum::<i64>(), "the buckets add up to the total");
    assert_eq!(l.buckets[1].invoices, 3, "34 days: 31〜60日");
    assert!(db.overdue(60).unwrap().members.is_empty());

    let (pdf, run) = db.dunning_letters(&ReminderRequest { members: vec!["M1".into()], staff: "佐藤".into(), ..Default::default() }, &mut |_| {}).unwrap();
    assert_eq!((run.letters, run.by_level), (1, [1, 0, 0]));
    if let Some(text) = crate::pdf::testutil::pdftotext(&pdf, &[]) {
        let flat: String = text.split_whitespace().collect();
        assert!(flat.contains("お支払いのお願い") && flat.contains("山田花子") && flat.contains(&inv[0].1), "{text}");
        assert!(flat.contains("2027年1月20日"), "pay-by date: {text}");
    }
    let contacts = db.member_detail("M1").unwrap().contacts;
    assert!(contacts.iter().any(|c| c.channel == "督促状" && c.body.contains("お支払いのお願い")), "{contacts:?}");
    // The next letter to M1 is the second; M3 still gets the first.
    let l = db.overdue(0).unwrap();
    assert_eq!((l.members[0].next_level, l.members[0].invoices[0].reminders, l.members[1].next_level), (2, 1, 1));
    let (_, run) = db.dunning_letters(&ReminderRequest::default(), &mut |_| {}).unwrap();
    assert_eq!(run.by_level, [1, 1, 0]);
    db.dunning_letters(&ReminderRequest { members: vec!["M1".into()], ..Default::default() }, &mut |_| {}).unwrap();
    let (_, run) = db.dunning_letters(&ReminderRequest { members: vec!["M1".into()], ..Default::default() }, &mut |_| {}).unwrap();
    assert_eq!(run.by_level, [0, 0, 1], "the final one stays final");
    let e = db.dunning_letters(&ReminderRequest { members: vec!["M2".into()], ..Default::default() }, &mut |_| {}).unwrap_err();
    assert!(e.message.contains("M2"), "{}", e.message);
    let sheet = db.label_sheets().unwrap().address;
    let (labels, n) = db.dunning_labels(&ReminderRequest::default(), &sheet, 1, &mut |_| {}).unwrap();
    assert!(n == 2 && labels.starts_with(b"%PDF"));
}
