use super::*;
use crate::invoices::{InvoiceRequest, InvoiceStatus};
use crate::orders::{OrderInput, OrderLineInput, PaymentMethod};
use crate::zengin::testfiles::{debit_file, Sep};

/// The money shop with a debit contract, debit accounts for M1 and M3 and one debit order
/// each, invoiced on 2026-11-23. Returns the invoices (member, number, amount).
fn debit_shop() -> (Db, Vec<(String, String, i64)>) {
    let (mut db, _) = crate::receivables::tests::money_shop();
    let mut s = db.shop_settings().unwrap();
    s.money.debit = crate::settings::DebitSettings { collector_code: "1234567890".into(), collector_name: "カ）テイキビン".into(), bank_code: "0005".into(), branch_code: "001".into(), account_number: "1234567".into(), ..Default::default() };
    db.save_shop_settings(s).unwrap();
    let mut out = Vec::new();
    for (member, holder) in [("M1", "ヤマダ ハナコ"), ("M3", "ﾀｶﾊｼ ｼﾞﾛｳ")] {
        db.save_debit_account(&DebitAccount { member: member.into(), bank_code: "0001".into(), bank_name: "ミズホ".into(), branch_code: "100".into(), kind: "1".into(), number: "12345".into(), holder: holder.into(), ..Default::default() }).unwrap();
        let o = db
            .create_order(&OrderInput { member: member.into(), lines: vec![OrderLineInput { product: "AO".into(), quantity: 2, unit_price: None }], payment_method: PaymentMethod::DirectDebit, ..Default::default() })
            .unwrap();
        let i = db.issue_invoice(&InvoiceRequest { order: o.number, ..Default::default() }).unwrap();
        out.push((member.to_string(), i.number, i.amount));
    }
    (db, out)
}

#[test]
fn accounts_are_checked_for_the_bank_file_and_a_change_keeps_the_old_one() {
    let (mut db, _) = debit_shop();
    let a = db.debit_account("M1").unwrap().unwrap();
    assert_eq!((a.number.as_str(), a.holder.as_str(), a.bank_name.as_str(), a.customer_number.as_str()), ("0012345", "ﾔﾏﾀﾞ ﾊﾅｺ", "ﾐｽﾞﾎ", "1"));
    let e = db.save_debit_account(&DebitAccount { member: "M1".into(), bank_code: "12".into(), branch_code: "100".into(), kind: "1".into(), number: "1".into(), holder: "山田".into(), ..Default::default() }).unwrap_err();
    let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["bank_code", "holder"], "{e:?}");
    db.save_debit_account(&DebitAccount { member: "M1".into(), bank_code: "0009".into(), branch_code: "200".into(), kind: "2".into(), number: "7654321".into(), holder: "ﾔﾏﾀﾞ ﾊﾅｺ".into(), ..Default::default() }).unwrap();
    let all = db.debit_accounts("M1").unwrap();
    assert_eq!((all.len(), all[0].bank_code.as_str(), all[1].ended_at.is_some()), (2, "0009", true));
}

#[test]
fn the_request_file_debits_the_months_open_invoices_and_the_result_marks_them() {
    let (mut db, inv) = debit_shop();
    let plan = db.debit_plan("2026-11").unwrap();
    assert_eq!(plan.debit_on, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
    assert_eq!(plan.items.iter().map(|i| (i.member.as_str(), i.amount, i.new_code.as_str())).collect::<Vec<_>>(), [("M1", inv[0].2, "1"), ("M3", inv[1].2, "1")]);
    assert!(plan.written.is_none());
    let (written, bytes) = db.debit_export("2026-11", "佐藤").unwrap();
    assert!(written.written.is_some());
    assert_eq!(bytes.len(), 5 * 122, "header, 2 records, trailer, end; CRLF");
    let parsed = crate::zengin::debit::parse_debit_file(&bytes, "req.txt").unwrap();
    assert_eq!((parsed.header.debit_day, parsed.records[0].holder.as_str(), parsed.records[0].account_number.as_str()), (27, "ﾔﾏﾀﾞ ﾊﾅｺ", "0012345"));
    // Asked again before the result: the same file.
    assert_eq!(db.debit_export("2026-11", "").unwrap().1, bytes);
    // Pending debits are being collected: no reminder for them.
    crate::clock::pretend_today(Some(NaiveDate::from_ymd_opt(2026, 12, 26).unwrap()));
    assert!(db.overdue(0).unwrap().members.iter().all(|m| !m.invoices.iter().any(|i| i.number == inv[0].1)));

    let mut records = parsed.records.clone();
    records[1].result = "1".into();
    let result = debit_file(&parsed.header, &records, true, Sep::CrLf);
    let dry = db.debit_import_result(&result, "res.txt", &DebitResultOptions { dry_run: true, ..Default::default() }).unwrap();
    assert_eq!((dry.collected, dry.failed.len()), (1, 1));
    assert_eq!(db.invoice(&inv[0].1).unwrap().status, InvoiceStatus::Open, "dry run");
    let r = db.debit_import_result(&result, "res.txt", &DebitResultOptions { staff: "佐藤".into(), ..Default::default() }).unwrap();
    assert_eq!((r.collected, r.collected_total, r.failed[0].member.as_str(), r.failed[0].result_label.as_str()), (1, inv[0].2, "M3", "資金不足"));
    assert_eq!(db.invoice(&inv[0].1).unwrap().status, InvoiceStatus::Paid);
    assert_eq!(db.invoice(&inv[1].1).unwrap().status, InvoiceStatus::Open);
    let contacts = db.member_detail("M3").unwrap().contacts;
    assert!(contacts.iter().any(|c| c.body.contains("口座振替不能（資金不足）")), "{contacts:?}");
    // The same result twice changes nothing; the request cannot be rewritten.
    assert!(db.debit_import_result(&result, "res.txt", &Default::default()).unwrap().duplicate);
    assert!(db.debit_export("2026-11", "").is_err());
    // The failure waits for staff, then goes onto next month's request.
    assert!(db.debit_plan("2026-12").unwrap().items.is_empty());
    db.debit_next_step("2026-11", "M3", NextStep::Carry).unwrap();
    let dec = db.debit_plan("2026-12").unwrap();
    assert_eq!(dec.items.iter().map(|i| (i.member.as_str(), i.new_code.as_str())).collect::<Vec<_>>(), [("M3", "1")]);
    db.debit_next_step("2026-11", "M3", NextStep::Transfer).unwrap();
    assert!(db.debit_plan("2026-12").unwrap().items.is_empty());
}

#[test]
fn a_result_that_does_not_answer_the_request_is_refused_whole() {
    let (mut db, _) = debit_shop();
    let (_, bytes) = db.debit_export("2026-11", "").unwrap();
    let parsed = crate::zengin::debit::parse_debit_file(&bytes, "req.txt").unwrap();
    let mut records = parsed.records.clone();
    records[0].amount += 1;
    let e = db.debit_import_result(&debit_file(&parsed.header, &records, true, Sep::Lf), "res.txt", &Default::default()).unwrap_err();
    assert!(e.message.contains("依頼データと合いません") && e.message.contains("2件目"), "{}", e.message);
    let mut other = parsed.header.clone();
    other.collector_code = "9999999999".into();
    let e = db.debit_import_result(&debit_file(&other, &parsed.records, true, Sep::Lf), "res.txt", &Default::default()).unwrap_err();
    assert!(e.message.contains("委託者コード"), "{}", e.message);
    assert_eq!(db.debit_requests().unwrap()[0].result_at, None);
}
