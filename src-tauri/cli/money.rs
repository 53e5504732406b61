//! The CLI's money commands: bank-statement import and reconciliation, payments, direct debit
//! and reminders.
use crate::{out, read_file, write_file, Output};
use clap::{Subcommand, ValueEnum};
use std::path::PathBuf;
use teikibin_core::bank::{BankImportOptions, BankLine, DepositConfirmation, LineState};
use teikibin_core::debit::{DebitAccount, DebitResultOptions, NextStep};
use teikibin_core::dunning::ReminderRequest;
use teikibin_core::orders::PaymentMethod;
use teikibin_core::receivables::{PaymentFilter, PaymentInput};
use teikibin_core::tax::yen;
use teikibin_core::zengin::bank_csv::CsvMapping;
use teikibin_core::{CoreError, Db};

#[derive(Subcommand)]
pub enum BankCommand {
    /// 銀行の入金明細（全銀 01/03 またはネットバンキングのCSV）を取り込み、請求と照合する
    Import {
        file: PathBuf,
        /// 照合結果を表示するだけで、何も書き込まない
        #[arg(long)]
        dry_run: bool,
        /// CSVの列: 日付,摘要,入金,出金[,残高] の見出し名をカンマ区切りで（この銀行の見出しとして記憶）
        #[arg(long, value_name = "日付,摘要,入金,出金[,残高]")]
        columns: Option<String>,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 要確認・未照合の入金を会員（と請求書）に消し込む
    Confirm {
        import: i64,
        line: u32,
        #[arg(long)]
        member: String,
        /// 請求書番号（カンマ区切り）。省略時は古い請求から
        #[arg(long, value_delimiter = ',')]
        invoices: Vec<String>,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 消込を取り消す（入金は未照合に戻る）
    Undo {
        import: i64,
        line: u32,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 取込の一覧、または1つの取込の明細
    List { import: Option<i64> },
    /// 消込結果をCSVに書き出す
    Report {
        import: i64,
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MethodArg {
    BankTransfer,
    DirectDebit,
    Cash,
    PostalTransfer,
    Card,
    Cod,
    Other,
}

impl From<MethodArg> for PaymentMethod {
    fn from(m: MethodArg) -> Self {
        match m {
            MethodArg::BankTransfer => PaymentMethod::BankTransfer,
            MethodArg::DirectDebit => PaymentMethod::DirectDebit,
            MethodArg::Cash => PaymentMethod::Cash,
            MethodArg::PostalTransfer => PaymentMethod::PostalTransfer,
            MethodArg::Card => PaymentMethod::Card,
            MethodArg::Cod => PaymentMethod::Cod,
            MethodArg::Other => PaymentMethod::Other,
        }
    }
}

#[derive(Subcommand)]
pub enum PaymentsCommand {
    /// 入金の一覧（新しい順）
    List {
        #[arg(long)]
        member: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        /// 取り消した入金も表示する
        #[arg(long)]
        all: bool,
    },
    /// 入金を手で登録する（現金・郵便振替など）
    Add {
        #[arg(long)]
        member: String,
        #[arg(long)]
        amount: i64,
        #[arg(long, value_enum, default_value = "cash")]
        method: MethodArg,
        /// 入金日 YYYY-MM-DD（省略時: 今日）
        #[arg(long, default_value = "")]
        date: String,
        #[arg(long, value_delimiter = ',')]
        invoices: Vec<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 入金を取り消す（消込も取り消される）
    Void {
        id: i64,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 前受金を未払いの請求に充当する
    ApplyCredit {
        member: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 会員の売掛: 未払いの請求、前受金、入金履歴
    Account { member: String },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FailedArg {
    /// 翌月の依頼に載せる
    Carry,
    /// 振込での支払いに切り替える
    Transfer,
    /// あとで決める
    Decide,
}

impl From<FailedArg> for NextStep {
    fn from(f: FailedArg) -> Self {
        match f {
            FailedArg::Carry => NextStep::Carry,
            FailedArg::Transfer => NextStep::Transfer,
            FailedArg::Decide => NextStep::Decide,
        }
    }
}

#[derive(Subcommand)]
pub enum DebitCommand {
    /// 会員の振替口座を登録する（登録済みの口座は終了して残る）
    Account {
        member: String,
        #[arg(long)]
        bank: String,
        #[arg(long, default_value = "")]
        bank_name: String,
        #[arg(long)]
        branch: String,
        #[arg(long, default_value = "")]
        branch_name: String,
        /// 1 普通、2 当座、3 納税準備
        #[arg(long, default_value = "1")]
        kind: String,
        #[arg(long)]
        number: String,
        /// 口座名義（カナ）
        #[arg(long)]
        holder: String,
        /// 依頼書の受付日 YYYY-MM-DD
        #[arg(long)]
        mandate: Option<String>,
        /// 顧客番号（省略時: 会員番号）
        #[arg(long, default_value = "")]
        customer_number: String,
    },
    /// その月の口座振替依頼データ（全銀 91）を書き出す
    Export {
        month: String,
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 振替結果ファイルを取り込む
    ImportResult {
        file: PathBuf,
        /// 振替不能の扱い
        #[arg(long, value_enum, default_value = "decide")]
        failed: FailedArg,
        #[arg(long)]
        dry_run: bool,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 依頼と結果の一覧、または1か月の明細
    List { month: Option<String> },
    /// 振替不能の扱いを決める
    Next {
        month: String,
        member: String,
        #[arg(value_enum)]
        step: FailedArg,
    },
}

#[derive(Subcommand)]
pub enum DunningCommand {
    /// 支払期限を過ぎた請求（経過日数の長い順）
    List {
        /// この日数以上過ぎたものだけ
        #[arg(long, default_value_t = 0)]
        days: u32,
    },
    /// 督促状（PDF）を作り、対応履歴に記録する
    Letters {
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long, default_value_t = 0)]
        days: u32,
        /// 会員番号（カンマ区切り）。省略時は一覧の全員
        #[arg(long, value_delimiter = ',')]
        members: Vec<String>,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 督促状の封筒用の宛名ラベル（PDF）
    Labels {
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long, default_value_t = 0)]
        days: u32,
        #[arg(long, value_delimiter = ',')]
        members: Vec<String>,
        #[arg(long, default_value_t = 1)]
        start: u32,
    },
}

fn line_text(l: &BankLine) -> String {
    let state = if l.state == LineState::Matched && l.auto { "自動消込" } else { l.state.label() };
    let booked = l.booked.as_ref().map(|b| format!(" → {} {} {}", b.member, b.member_name, b.invoices.join(" "))).unwrap_or_default();
    format!("{:>4}  {}  {:>10}  {}  [{state}]{booked}  {}", l.line, l.value_date, yen(l.amount), l.remitter, l.reason)
}

fn mapping(columns: &str) -> Result<CsvMapping, CoreError> {
    let c: Vec<&str> = columns.split(',').map(str::trim).collect();
    if !(4..=5).contains(&c.len()) {
        return Err(CoreError::field("columns", "--columns は 日付,摘要,入金,出金[,残高] の見出し名を順にカンマ区切りで指定してください"));
    }
    Ok(CsvMapping { date: c[0].into(), description: c[1].into(), deposit: c[2].into(), withdrawal: c[3].into(), balance: c.get(4).unwrap_or(&"").to_string() })
}

pub fn bank(db: &mut Db, cmd: &BankCommand) -> Result<Output, CoreError> {
    Ok(match cmd {
        BankCommand::Import { file, dry_run, columns, staff } => {
            let (bytes, name) = read_file(file)?;
            let opts = BankImportOptions { dry_run: *dry_run, mapping: columns.as_deref().map(mapping).transpose()?, staff: staff.clone() };
            let r = db.bank_import(&bytes, &name, &opts)?;
            let mut t = vec![if r.duplicate {
                format!("{name} は取込済みです。何も消し込んでいません。")
            } else {
                format!(
                    "{name}{}: 入金 {}件（自動消込 {}、要確認 {}、未照合 {}）、出金 {}件（対象外）、取込済みの明細 {}件{}",
                    r.import.map(|i| format!("（取込番号 {i}）")).unwrap_or_default(),
                    r.deposits,
                    r.auto.len(),
                    r.suggested.len(),
                    r.unmatched.len(),
                    r.ignored,
                    r.repeated,
                    if r.dry_run { "（試行: 何も書き込んでいません）" } else { "" }
                )
            }];
            t.extend(r.notes.iter().cloned());
            t.extend(r.lines.iter().filter(|l| l.deposit).map(line_text));
            let json = serde_json::json!({
                "import": r.import, "deposits": r.deposits, "ignored": r.ignored, "duplicate": r.duplicate, "repeated": r.repeated,
                "auto": r.auto, "suggested": r.suggested, "unmatched": r.unmatched, "notes": r.notes, "dry_run": r.dry_run,
            });
            crate::Output { json, text: t.join("\n"), failed: false }
        }
        BankCommand::Confirm { import, line, member, invoices, staff } => {
            let done = db.bank_confirm(&[DepositConfirmation { import: *import, line: *line, member: member.clone(), invoices: invoices.clone(), staff: staff.clone() }])?;
            out(&done[0], format!("消し込みました\n{}", line_text(&done[0])))
        }
        BankCommand::Undo { import, line, reason, staff } => {
            let l = db.bank_undo(*import, *line, reason, staff)?;
            out(&l, format!("消込を取り消しました\n{}", line_text(&l)))
        }
        BankCommand::List { import: None } => {
            let list = db.bank_imports()?;
            let t: Vec<String> = list
                .iter()
                .map(|i| format!("{:>4}  {}  {}  入金 {}件 {}  消込済 {}  未処理 {}  {}", i.id, i.imported_at, i.file_name, i.deposits, yen(i.amount), i.matched, i.waiting, i.account))
                .collect();
            out(&list, if t.is_empty() { "取り込んだ明細はありません".into() } else { t.join("\n") })
        }
        BankCommand::List { import: Some(id) } => {
            let lines = db.bank_lines(*id)?;
            out(&lines, lines.iter().map(line_text).collect::<Vec<_>>().join("\n"))
        }
        BankCommand::Report { import, output } => {
            let bytes = db.bank_report_csv(*import)?;
            write_file(output, &bytes)?;
            out(&serde_json::json!({"import": import, "bytes": bytes.len()}), format!("{} に書き出しました", output.display()))
        }
    })
}

fn payment_text(p: &teikibin_core::receivables::Payment) -> String {
    let live: Vec<String> = p.allocations.iter().filter(|a| a.undone_at.is_none()).map(|a| format!("{} {}", a.invoice, yen(a.amount))).collect();
    format!(
        "{:>6}  {}  {}  {:>10}  {}  {}{}{}{}",
        p.id,
        p.paid_on,
        p.member,
        yen(p.amount),
        p.method.label(),
        live.join("、"),
        if p.fee > 0 { format!("（手数料 {}）", yen(p.fee)) } else { String::new() },
        if p.credit > 0 { format!("（前受金 {}）", yen(p.credit)) } else { String::new() },
        if p.voided_at.is_some() { format!("  取消: {}", p.void_reason) } else { String::new() }
    )
}

pub fn payments(db: &mut Db, cmd: &PaymentsCommand) -> Result<Output, CoreError> {
    let date = |s: &Option<String>| -> Result<Option<chrono::NaiveDate>, CoreError> {
        s.as_deref().map(|d| d.parse().map_err(|_| CoreError::field("date", format!("日付は YYYY-MM-DD で指定してください（{d}）")))).transpose()
    };
    Ok(match cmd {
        PaymentsCommand::List { member, from, to, all } => {
            let f = PaymentFilter { member: member.clone().unwrap_or_default(), from: date(from)?, to: date(to)?, include_void: *all, ..Default::default() };
            let page = db.payments(&f)?;
            let mut t: Vec<String> = page.payments.iter().map(payment_text).collect();
            t.push(format!("{}件 合計 {}", page.total, yen(page.amount)));
            out(&page, t.join("\n"))
        }
        PaymentsCommand::Add { member, amount, method, date, invoices, note, staff } => {
            let p = db.record_payment(&PaymentInput { member: member.clone(), paid_on: date.clone(), amount: *amount, method: (*method).into(), note: note.clone(), invoices: invoices.clone(), staff: staff.clone() })?;
            out(&p, format!("入金を登録しました\n{}", payment_text(&p)))
        }
        PaymentsCommand::Void { id, reason, staff } => {
            let p = db.void_payment(*id, reason, staff)?;
            out(&p, format!("入金を取り消しました\n{}", payment_text(&p)))
        }
        PaymentsCommand::ApplyCredit { member, staff } => {
            let a = db.apply_credit(member, staff)?;
            out(&a, format!("前受金を充当しました: 未払い {}、前受金の残り {}", yen(a.balance), yen(a.credit)))
        }
        PaymentsCommand::Account { member } => {
            let a = db.member_account(member)?;
            let mut t = vec![format!("{} {}  未払い {}（{}件）  前受金 {}", a.member, a.member_name, yen(a.balance), a.open_invoices.len(), yen(a.credit))];
            t.extend(a.open_invoices.iter().map(|i| format!("  {}  {}  期限 {}  {}", i.number, i.issued_on, i.due_on, yen(i.balance))));
            t.extend(a.payments.iter().map(payment_text));
            out(&a, t.join("\n"))
        }
    })
}

pub fn debit(db: &mut Db, cmd: &DebitCommand) -> Result<Output, CoreError> {
    Ok(match cmd {
        DebitCommand::Account { member, bank, bank_name, branch, branch_name, kind, number, holder, mandate, customer_number } => {
            let mandate_on = mandate.as_deref().map(|d| d.parse().map_err(|_| CoreError::field("mandate_on", format!("日付は YYYY-MM-DD で指定してください（{d}）")))).transpose()?;
            let a = db.save_debit_account(&DebitAccount {
                member: member.clone(),
                bank_code: bank.clone(),
                bank_name: bank_name.clone(),
                branch_code: branch.clone(),
                branch_name: branch_name.clone(),
                kind: kind.clone(),
                number: number.clone(),
                holder: holder.clone(),
                mandate_on,
                customer_number: customer_number.clone(),
                ..Default::default()
            })?;
            out(&a, format!("振替口座を登録しました: {} {} {}-{} {} {}", a.member, a.holder, a.bank_code, a.branch_code, a.kind, a.number))
        }
        DebitCommand::Export { month, output, staff } => {
            let (plan, bytes) = db.debit_export(month, staff)?;
            write_file(output, &bytes)?;
            out(&plan, format!("{} に {month} の口座振替依頼（振替日 {}）{}件 {} を書き出しました", output.display(), plan.debit_on, plan.items.len(), yen(plan.total)))
        }
        DebitCommand::ImportResult { file, failed, dry_run, staff } => {
            let (bytes, name) = read_file(file)?;
            let r = db.debit_import_result(&bytes, &name, &DebitResultOptions { dry_run: *dry_run, failed: (*failed).into(), staff: staff.clone() })?;
            let mut t = vec![if r.duplicate {
                format!("{name} は取込済みです。何も変えていません。")
            } else {
                format!("{} の振替結果: 振替済 {}件 {}、振替不能 {}件 {}{}", r.month, r.collected, yen(r.collected_total), r.failed.len(), yen(r.failed_total), if r.dry_run { "（試行: 何も書き込んでいません）" } else { "" })
            }];
            t.extend(r.failed.iter().map(|i| format!("  {} {}  {}  {}", i.member, i.member_name, yen(i.amount), i.result_label)));
            out(&r, t.join("\n"))
        }
        DebitCommand::List { month: None } => {
            let list = db.debit_requests()?;
            let t: Vec<String> = list
                .iter()
                .map(|r| {
                    let result = match &r.result_at {
                        Some(_) => format!("振替済 {}件 {} / 不能 {}件 {}", r.collected, yen(r.collected_total), r.failed, yen(r.failed_total)),
                        None => "結果待ち".into(),
                    };
                    format!("{}  振替日 {}  {}件 {}  {result}", r.month, r.debit_on, r.records, yen(r.total))
                })
                .collect();
            out(&list, if t.is_empty() { "口座振替の依頼はまだありません".into() } else { t.join("\n") })
        }
        DebitCommand::List { month: Some(m) } => {
            let plan = db.debit_plan(m)?;
            let mut t = vec![format!("{m}  振替日 {}  {}件 {}{}", plan.debit_on, plan.items.len(), yen(plan.total), if plan.written.is_none() { "（未作成）" } else { "" })];
            t.extend(plan.items.iter().map(|i| format!("  {:>3}  {} {}  {}  {}  {}", i.line, i.member, i.member_name, yen(i.amount), i.invoices.join(" "), i.result_label)));
            out(&plan, t.join("\n"))
        }
        DebitCommand::Next { month, member, step } => {
            let i = db.debit_next_step(month, member, (*step).into())?;
            out(&i, format!("{} {}: {}", i.member, i.member_name, match i.next_step { NextStep::Carry => "翌月の依頼に載せます", NextStep::Transfer => "振込でのお支払いに切り替えました", NextStep::Decide => "保留にしました" }))
        }
    })
}

pub fn dunning(db: &mut Db, cmd: &DunningCommand) -> Result<Output, CoreError> {
    Ok(match cmd {
        DunningCommand::List { days } => {
            let l = db.overdue(*days)?;
            let mut t: Vec<String> = l
                .members
                .iter()
                .map(|m| format!("{}  {}  {}  {}件 {}  最長 {}日  次は{}", m.member, m.member_name, m.phone, m.invoices.len(), yen(m.total), m.max_days, ["1回目", "2回目", "最終"][m.next_level as usize - 1]))
                .collect();
            t.push(format!("{}人 {}件 合計 {}（{}）", l.members.len(), l.invoices, yen(l.total), l.buckets.iter().map(|b| format!("{} {}", b.label, yen(b.amount))).collect::<Vec<_>>().join("、")));
            out(&l, t.join("\n"))
        }
        DunningCommand::Letters { output, days, members, staff } => {
            let (pdf, run) = db.dunning_letters(&ReminderRequest { members: members.clone(), min_days: *days, staff: staff.clone() }, &mut |_| {})?;
            write_file(output, &pdf)?;
            out(&run, format!("督促状 {}通（1回目 {}、2回目 {}、最終 {}）合計 {} を {} に書き出し、対応履歴に記録しました", run.letters, run.by_level[0], run.by_level[1], run.by_level[2], yen(run.total), output.display()))
        }
        DunningCommand::Labels { output, days, members, start } => {
            let sheet = db.label_sheets()?.address;
            let (pdf, n) = db.dunning_labels(&ReminderRequest { members: members.clone(), min_days: *days, staff: String::new() }, &sheet, *start, &mut |_| {})?;
            write_file(output, &pdf)?;
            out(&serde_json::json!({"labels": n, "bytes": pdf.len()}), format!("宛名ラベル {n}枚を {} に書き出しました", output.display()))
        }
    })
}
