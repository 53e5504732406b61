use super::*;
use crate::invoices::{InvoiceRequest, InvoiceStatus};

/// The shipping fixture's shop with one invoice per bank-transfer order: M1 owes two
/// (oldest first), M3 one. Returns the invoice numbers and amounts.
pub(crate) fn money_shop() -> (Db, Vec<(String, String, i64)>) {
    let mut db = crate::shipping::tests::shop();
    let mut out = Vec::new();
    let orders = db.orders(&crate::orders::OrderFilter::default()).unwrap().orders;
    let mut orders: Vec<_> = orders.into_iter().filter(|o| o.payment_method == Some(PaymentMethod::BankTransfer)).collect();
    orders.sort_by(|a, b| a.number.cmp(&b.number));
    for o in orders {
        let i = db.issue_invoice(&InvoiceRequest { order: o.number.clone(), ..Default::default() }).unwrap();
        out.push((i.member.clone(), i.number.clone(), i.amount));
    }
    (db, out)
}

fn status(db: &Db, number: &str) -> (InvoiceStatus, i64) {
    let i = db.invoice(number).unwrap();
    (i.status, i.balance)
}

#[test]
fn settle_counts_a_known_fee_as_paid_pays_oldest_first_and_keeps_the_rest() {
    assert_eq!(settle(&[3000, 5000], 8000, &[]), Settlement { parts: vec![(0, 3000), (1, 5000)], fee: 0, credit: 0 });
    assert_eq!(settle(&[3000, 5000], 7560, &[110, 440]), Settlement { parts: vec![(0, 3000), (1, 5000)], fee: 440, credit: 0 });
    assert_eq!(settle(&[3000, 5000], 4000, &[110]), Settlement { parts: vec![(0, 3000), (1, 1000)], fee: 0, credit: 0 });
    assert_eq!(settle(&[3000], 3500, &[110]), Settlement { parts: vec![(0, 3000)], fee: 0, credit: 500 });
    assert_eq!(settle(&[], 1000, &[110]), Settlement { parts: vec![], fee: 0, credit: 1000 });
}

#[test]
fn a_payment_settles_the_oldest_first_and_an_overpayment_becomes_credit_used_on_the_next_invoice() {
    let (mut db, inv) = money_shop();
    let m1: Vec<_> = inv.iter().filter(|i| i.0 == "M1").collect();
    let (first, second) = (m1[0], m1[1]);
    let p = db.record_payment(&PaymentInput { member: "M1".into(), amount: first.2 + 100, method: PaymentMethod::Cash, staff: "佐藤".into(), ..Default::default() }).unwrap();
    assert_eq!((p.allocations.len(), p.credit, p.paid_on), (2, 0, crate::clock::today()));
    assert_eq!(status(&db, &first.1), (InvoiceStatus::Paid, 0));
    assert_eq!(status(&db, &second.1), (InvoiceStatus::Partial, second.2 - 100));
    // Paying more than everything open keeps the rest as credit…
    let p = db.record_payment(&PaymentInput { member: "M1".into(), amount: second.2 - 100 + 2000, method: PaymentMethod::PostalTransfer, ..Default::default() }).unwrap();
    assert_eq!(p.credit, 2000);
    let acct = db.member_account("M1").unwrap();
    assert_eq!((acct.balance, acct.credit, acct.open_invoices.len()), (0, 2000, 0));
    // …which the next invoice uses when staff apply it.
    db.create_order(&crate::orders::OrderInput {
        member: "M1".into(),
        lines: vec![crate::orders::OrderLineInput { product: "CUP".into(), quantity: 10, unit_price: None }],
        payment_method: PaymentMethod::BankTransfer,
        ..Default::default()
    })
    .unwrap();
    let next = db.issue_invoice(&InvoiceRequest { member: "M1".into(), period: "2026-11".into(), ..Default::default() }).unwrap();
    let acct = db.apply_credit("M1", "佐藤").unwrap();
    assert_eq!((acct.credit, acct.balance), (0, next.amount - 2000));
    assert!(db.apply_credit("M1", "").is_err(), "nothing left to apply");
}

#[test]
fn voiding_a_payment_reopens_its_invoices_and_keeps_the_history() {
    let (mut db, inv) = money_shop();
    let m3 = inv.iter().find(|i| i.0 == "M3").unwrap();
    let p = db.record_payment(&PaymentInput { member: "M3".into(), amount: m3.2, method: PaymentMethod::BankTransfer, invoices: vec![m3.1.clone()], ..Default::default() }).unwrap();
    assert_eq!(status(&db, &m3.1).0, InvoiceStatus::Paid);
    assert!(db.void_payment(p.id, " ", "").is_err(), "a reason is needed");
    let v = db.void_payment(p.id, "二重登録", "佐藤").unwrap();
    assert!(v.voided_at.is_some() && v.allocations[0].undone_at.is_some());
    assert_eq!(v.allocations[0].undo_reason, "二重登録");
    assert_eq!(status(&db, &m3.1), (InvoiceStatus::Open, m3.2));
    assert!(db.void_payment(p.id, "もう一度", "").is_err());
    // The voided payment stays in the list (marked) and no longer counts.
    let page = db.payments(&PaymentFilter { member: "M3".into(), include_void: true, ..Default::default() }).unwrap();
    assert_eq!((page.total, page.amount), (1, 0));
    assert_eq!(db.payments(&PaymentFilter { member: "M3".into(), ..Default::default() }).unwrap().total, 0);
}

#[test]
fn undoing_one_allocation_turns_it_into_credit_and_wrong_invoices_are_refused() {
    let (mut db, inv) = money_shop();
    let m1: Vec<_> = inv.iter().filter(|i| i.0 == "M1").collect();
    let m3 = inv.iter().find(|i| i.0 == "M3").unwrap();
    let e = db.record_payment(&PaymentInput { member: "M1".into(), amount: 100, method: PaymentMethod::Cash, invoices: vec![m3.1.clone()], ..Default::default() }).unwrap_err();
    assert!(e.message.contains("会員 M1 の請求書ではありません"), "{}", e.message);
    assert!(db.record_payment(&PaymentInput { member: "M1".into(), amount: 0, ..Default::default() }).is_err());
    let p = db.record_payment(&PaymentInput { member: "M1".into(), amount: m1[1].2, method: PaymentMethod::Cash, invoices: vec![m1[1].1.clone()], ..Default::default() }).unwrap();
    assert_eq!(status(&db, &m1[0].1).0, InvoiceStatus::Open, "only the chosen invoice");
    let p = db.undo_allocation(p.allocations[0].id, "請求書違い", "").unwrap();
    assert_eq!(p.credit, m1[1].2);
    assert_eq!(db.member_account("M1").unwrap().credit, m1[1].2);
    assert!(db.undo_allocation(p.allocations[0].id, "again", "").is_err());
}
