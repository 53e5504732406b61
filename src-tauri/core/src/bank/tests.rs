use super::*;
use crate::invoices::InvoiceStatus;
use crate::receivables::tests::money_shop;
use crate::zengin::testfiles::{statement_03, transfers_01, Sep, StatementRow, TransferRow};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn deposit(no: u32, d: u32, amount: i64, name: &str) -> StatementRow {
    StatementRow::new(no, day(d), Direction::In, amount, name)
}

fn import(db: &mut Db, bytes: &[u8], name: &str) -> BankImportReport {
    db.bank_import(bytes, name, &BankImportOptions { staff: "佐藤".into(), ..Default::default() }).unwrap()
}

#[test]
fn a_statement_books_the_sure_deposits_suggests_the_fee_and_lists_the_rest() {
    let (mut db, inv) = money_shop();
    let (m1, m3) = (&inv[0], inv.iter().find(|i| i.0 == "M3").unwrap());
    let rows = [
        deposit(1, 20, m1.2, "ﾔﾏﾀﾞ ﾊﾅｺ"),
        StatementRow::new(2, day(20), Direction::Out, 5000, "ﾃﾞﾝｷﾘﾖｳｷﾝ"),
        deposit(3, 21, m3.2 - 440, "ﾀｶﾊｼ ｼﾞﾛｳ"),
        deposit(4, 21, 7777, "ﾀﾅｶ ｼﾞﾛｳ"),
    ];
    let bytes = statement_03(&rows, Sep::CrLf);
    let dry = db.bank_import(&bytes, "nov.txt", &BankImportOptions { dry_run: true, ..Default::default() }).unwrap();
    assert_eq!((dry.import, dry.auto.len()), (None, 1));
    assert!(db.bank_imports().unwrap().is_empty(), "a dry run writes nothing");
    let r = import(&mut db, &bytes, "nov.txt");
    assert_eq!((r.format.as_str(), r.deposits, r.ignored, r.duplicate), ("zengin03", 3, 1, false));
    assert_eq!((r.auto[0].line, r.auto[0].member.as_str(), r.auto[0].invoices.clone()), (2, "M1", vec![m1.1.clone()]));
    assert!(r.auto[0].reason.contains("フリガナと一致"), "{}", r.auto[0].reason);
    assert_eq!(r.suggested[0].line, 4);
    let c = &r.suggested[0].candidates[0];
    assert_eq!((c.member.as_str(), c.fit, c.fee), ("M3", matching::Fit::Fee, 440));
    assert_eq!((r.unmatched[0].line, r.unmatched[0].amount), (5, 7777));
    assert_eq!(db.invoice(&m1.1).unwrap().status, InvoiceStatus::Paid);
    assert_eq!(db.invoice(&m3.1).unwrap().status, InvoiceStatus::Open);

    // Confirming the suggestion books the fee and settles the invoice in full.
    let id = r.import.unwrap();
    let done = db.bank_confirm(&[DepositConfirmation { import: id, line: 4, member: "M3".into(), staff: "佐藤".into(), ..Default::default() }]).unwrap();
    let b = done[0].booked.as_ref().unwrap();
    assert_eq!((b.fee, b.invoices.clone(), b.credit), (440, vec![m3.1.clone()], 0));
    assert_eq!(db.invoice(&m3.1).unwrap().status, InvoiceStatus::Paid);
    let again = db.bank_confirm(&[DepositConfirmation { import: id, line: 4, member: "M3".into(), ..Default::default() }]).unwrap_err();
    assert!(again.message.contains("すでに消し込まれています"), "{}", again.message);
    let out = db.bank_confirm(&[DepositConfirmation { import: id, line: 3, member: "M3".into(), ..Default::default() }]).unwrap_err();
    assert!(out.message.contains("出金"), "{}", out.message);

    // The same file again changes nothing; an overlapping file books only its new line.
    let same = import(&mut db, &bytes, "nov-copy.txt");
    assert!(same.duplicate && same.import.is_none() && same.auto.is_empty());
    let next = statement_03(&[rows[0].clone(), deposit(9, 25, 1000, "ﾔﾏﾀﾞ ﾊﾅｺ")], Sep::Lf);
    let r2 = import(&mut db, &next, "nov-2.txt");
    assert_eq!((r2.repeated, r2.deposits, r2.auto.len(), r2.suggested.len()), (1, 1, 0, 1));
    assert_eq!(r2.lines[0].state, LineState::Duplicate);
    assert_eq!(db.payments(&Default::default()).unwrap().total, 2, "the repeated deposit is not booked twice");

    // Everything reconciled is in the report CSV.
    let csv = String::from_utf8(db.bank_report_csv(id).unwrap()).unwrap();
    assert!(csv.contains("ﾀｶﾊｼ ｼﾞﾛｳ") && csv.contains("消込済") && csv.contains("未照合") && csv.contains("出金"), "{csv}");
}

#[test]
fn a_confirmed_remitter_name_is_learned_and_an_undone_match_waits_again() {
    let (mut db, inv) = money_shop();
    let m3 = inv.iter().find(|i| i.0 == "M3").unwrap();
    // The wife pays: no member has her name.
    let r = import(&mut db, &statement_03(&[deposit(1, 20, 100, "ﾀｶﾊｼ ﾐﾁｺ")], Sep::None), "a.txt");
    assert_eq!(r.unmatched.len(), 1);
    db.bank_confirm(&[DepositConfirmation { import: r.import.unwrap(), line: 2, member: "M3".into(), ..Default::default() }]).unwrap();
    let r = import(&mut db, &statement_03(&[deposit(2, 22, m3.2 - 100, "ﾀｶﾊｼ ﾐﾁｺ")], Sep::CrLf), "b.txt");
    let line = r.import.unwrap();
    assert_eq!(r.auto.len(), 1, "{:?}", r.suggested);
    assert!(r.auto[0].reason.contains("以前に会員 M3 の入金と確認した"), "{}", r.auto[0].reason);
    assert_eq!(db.invoice(&m3.1).unwrap().status, InvoiceStatus::Paid);
    // Undo: the payment is voided (kept), the invoice open again, the deposit waits.
    let l = db.bank_undo(line, 2, "別の請求分", "佐藤").unwrap();
    assert_eq!((l.state, l.payment), (LineState::Unmatched, None));
    assert_eq!(db.invoice(&m3.1).unwrap().status, InvoiceStatus::Partial);
    assert_eq!(db.payments(&crate::receivables::PaymentFilter { include_void: true, ..Default::default() }).unwrap().total, 2);
    assert_eq!(db.bank_waiting().unwrap().len(), 1);
}

#[test]
fn cancel_records_take_back_their_transfer_in_the_same_file_or_one_booked_before() {
    let (mut db, inv) = money_shop();
    let m1 = &inv[0];
    let t = TransferRow::new(1, day(20), m1.2, "ﾔﾏﾀﾞ ﾊﾅｺ");
    let cancel = TransferRow { inquiry_no: 2, cancel: true, ..t.clone() };
    let r = import(&mut db, &transfers_01(&[t.clone(), cancel.clone()], false, Sep::CrLf), "01a.txt");
    assert_eq!((r.format.as_str(), r.cancelled, r.auto.len()), ("zengin01", 1, 0));
    assert!(r.lines.iter().all(|l| l.state == LineState::Cancelled));
    assert_eq!(db.invoice(&m1.1).unwrap().status, InvoiceStatus::Open);
    // Booked in one file (format B), cancelled in the next.
    let t2 = TransferRow { inquiry_no: 3, date: day(24), ..t.clone() };
    let r = import(&mut db, &transfers_01(std::slice::from_ref(&t2), true, Sep::Lf), "01b.txt");
    assert_eq!(r.auto.len(), 1);
    assert_eq!(db.invoice(&m1.1).unwrap().status, InvoiceStatus::Paid);
    let r = import(&mut db, &transfers_01(&[TransferRow { inquiry_no: 4, cancel: true, ..t2 }], false, Sep::None), "01c.txt");
    assert!(r.notes.iter().any(|n| n.contains("振込取消により取り消しました")), "{:?}", r.notes);
    assert_eq!(db.invoice(&m1.1).unwrap().status, InvoiceStatus::Open);
}

#[test]
fn a_bank_csv_in_cp932_is_read_with_its_columns_remembered() {
    let (mut db, inv) = money_shop();
    let m3 = inv.iter().find(|i| i.0 == "M3").unwrap();
    let text = format!("日付,摘要,お引出金額,お預入金額,残高\r\n2026/11/20,振込 ﾀｶﾊｼ ｼﾞﾛｳ,,\"{}\",\"100,000\"\r\n2026/11/21,ATM,\"3,000\",,\"97,000\"\r\n", m3.2);
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let r = import(&mut db, &bytes, "meisai.csv");
    assert_eq!((r.format.as_str(), r.deposits, r.ignored, r.auto.len()), ("csv", 1, 1, 1));
    assert_eq!(r.auto[0].line, 2);
    assert_eq!(db.invoice(&m3.1).unwrap().status, InvoiceStatus::Paid);
    assert!(import(&mut db, &bytes, "meisai (1).csv").duplicate);
}
