//! 口座振替 (direct debit): members' debit accounts, the monthly request file (Zengin 91) for
//! their open invoices, and the result file that marks them collected or failed with the
//! bank's reason. A failed debit waits for staff: onto next month's request, or switched to
//! payment by transfer (the invoice then stays open for the bank statement and the reminders).
use crate::error::{CoreError, ErrorCode, Result};
use crate::normalize;
use crate::store::{debit as sql, now_stamp, receivables as rsql, Db};
use crate::zengin::debit::{self as zd, DebitHeader, DebitRecord};
use crate::zengin::{zengin_field_problem, zengin_kana};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct DebitAccount {
    pub member: String,
    pub bank_code: String,
    pub bank_name: String,
    pub branch_code: String,
    pub branch_name: String,
    /// 1 普通, 2 当座, 3 納税準備.
    pub kind: String,
    pub number: String,
    /// 口座名義 (half-width kana as the bank holds it).
    pub holder: String,
    pub mandate_on: Option<NaiveDate>,
    /// 顧客番号 in the request file (digits); empty: the digits of the member code.
    pub customer_number: String,
    pub created_at: String,
    pub ended_at: Option<String>,
    pub staff: String,
}

/// What happens to a failed debit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum NextStep {
    /// Not decided yet (the invoice waits, out of the next request).
    #[default]
    Decide,
    /// Debit again on next month's request.
    Carry,
    /// The member pays this by bank transfer.
    Transfer,
}

impl NextStep {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            NextStep::Decide => "",
            NextStep::Carry => "carry",
            NextStep::Transfer => "transfer",
        }
    }
    pub(crate) fn parse(s: &str) -> NextStep {
        match s {
            "carry" => NextStep::Carry,
            "transfer" => NextStep::Transfer,
            _ => NextStep::Decide,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DebitItem {
    pub line: u32,
    pub member: String,
    pub member_name: String,
    pub holder: String,
    /// Bank and branch as printed.
    pub bank: String,
    #[ts(type = "number")]
    pub amount: i64,
    pub invoices: Vec<String>,
    /// 1 first debit from this account, 2 changed account, 0 other.
    pub new_code: String,
    /// None until the result arrives; "0" collected.
    pub result: Option<String>,
    pub result_label: String,
    pub next_step: NextStep,
    #[serde(skip)]
    #[ts(skip)]
    pub(crate) account_id: i64,
    /// (invoice id, amount) debited.
    #[serde(skip)]
    #[ts(skip)]
    pub(crate) parts: Vec<(i64, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DebitRequest {
    pub month: String,
    pub debit_on: NaiveDate,
    #[ts(type = "number")]
    pub records: u64,
    #[ts(type = "number")]
    pub total: i64,
    pub created_at: String,
    pub result_at: Option<String>,
    #[ts(type = "number")]
    pub collected: u64,
    #[ts(type = "number")]
    pub collected_total: i64,
    #[ts(type = "number")]
    pub failed: u64,
    #[ts(type = "number")]
    pub failed_total: i64,
}

/// The month's request before (or as) it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DebitPlan {
    pub month: String,
    pub debit_on: NaiveDate,
    pub items: Vec<DebitItem>,
    #[ts(type = "number")]
    pub total: i64,
    /// The request already written for the month (then `items` are its records).
    pub written: Option<DebitRequest>,
    /// Members left out and why (an account field the bank file cannot hold …).
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DebitResultReport {
    pub month: String,
    pub debit_on: NaiveDate,
    pub duplicate: bool,
    pub dry_run: bool,
    #[ts(type = "number")]
    pub collected: u64,
    #[ts(type = "number")]
    pub collected_total: i64,
    pub failed: Vec<DebitItem>,
    #[ts(type = "number")]
    pub failed_total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct DebitResultOptions {
    pub dry_run: bool,
    /// What to do with the failed ones (staff may decide each later).
    pub failed: NextStep,
    pub staff: String,
}

pub(crate) fn month_bounds(month: &str) -> Result<(NaiveDate, NaiveDate)> {
    crate::schedule::month_bounds(month).ok_or_else(|| CoreError::field("month", format!("月は YYYY-MM の形で指定してください（{month}）")))
}

/// The debit day of a month: the set day, or the month's last day when it is shorter.
pub fn debit_date(month: &str, day: u32) -> Result<NaiveDate> {
    let (first, last) = month_bounds(month)?;
    Ok(NaiveDate::from_ymd_opt(first.year(), first.month(), day.min(last.day())).unwrap_or(last))
}

fn digits_of(field: &str, label: &str, s: &str, len: usize, pad: bool) -> Result<String> {
    let d = normalize::digits(s);
    let d = if pad && !d.is_empty() && d.len() < len { format!("{d:0>len$}") } else { d };
    if d.len() != len {
        return Err(CoreError::field(field, format!("{label}は{len}桁の数字で入力してください（入力: {s}）")));
    }
    Ok(d)
}

fn kana_field(field: &str, label: &str, s: &str, max: usize) -> Result<String> {
    let k = zengin_kana(&normalize::tidy(s));
    if let Some(c) = zengin_field_problem(&k) {
        return Err(CoreError::field(field, format!("{label}の「{c}」は銀行のファイルに使えません（半角カナ・英大文字・数字で入力してください）")));
    }
    if k.chars().count() > max {
        return Err(CoreError::field(field, format!("{label}は半角{max}文字までです（{}文字あります）", k.chars().count())));
    }
    Ok(k)
}

impl Db {
    pub fn debit_account(&self, member: &str) -> Result<Option<DebitAccount>> {
        let (id, _, _) = self.member_ref(member)?;
        Ok(sql::accounts(&self.conn, id)?.into_iter().find(|a| a.ended_at.is_none()))
    }

    /// Every account the member ever had, current first.
    pub fn debit_accounts(&self, member: &str) -> Result<Vec<DebitAccount>> {
        let (id, _, _) = self.member_ref(member)?;
        sql::accounts(&self.conn, id)
    }

    /// Registers the member's debit account; a current one is ended (kept) and replaced.
    pub fn save_debit_account(&mut self, a: &DebitAccount) -> Result<DebitAccount> {
        let (id, code, _) = self.member_ref(&a.member)?;
        let mut p = crate::error::Problems::default();
        let clean = DebitAccount {
            member: code.clone(),
            bank_code: p.check(digits_of("bank_code", "銀行コード", &a.bank_code, 4, false)).unwrap_or_default(),
            bank_name: p.check(kana_field("bank_name", "銀行名", &a.bank_name, 15)).unwrap_or_default(),
            branch_code: p.check(digits_of("branch_code", "支店コード", &a.branch_code, 3, false)).unwrap_or_default(),
            branch_name: p.check(kana_field("branch_name", "支店名", &a.branch_name, 15)).unwrap_or_default(),
            kind: if ["1", "2", "3"].contains(&a.kind.trim()) { a.kind.trim().to_string() } else { p.add("kind", "預金種目は 1（普通）・2（当座）・3（納税準備）のどれかです"); String::new() },
            number: p.check(digits_of("number", "口座番号", &a.number, 7, true)).unwrap_or_default(),
            holder: p.check(kana_field("holder", "口座名義", &a.holder, 30)).unwrap_or_default(),
            mandate_on: a.mandate_on,
            customer_number: {
                // The bank's 顧客番号 is digits only: the member code's digits unless staff give one.
                let n = normalize::digits(if a.customer_number.trim().is_empty() { &code } else { &a.customer_number });
                if n.is_empty() || n.len() > 20 {
                    p.add("customer_number", format!("顧客番号は20桁までの数字で入力してください（会員番号 {code} から作れません）"));
                }
                n
            },
            created_at: now_stamp(),
            ended_at: None,
            staff: normalize::tidy(&a.staff),
        };
        if clean.holder.is_empty() && normalize::tidy(&a.holder).is_empty() {
            p.add("holder", "口座名義（カナ）を入力してください");
        }
        p.finish()?;
        self.write_as(&a.staff, |tx| {
            sql::end_current(tx, id, &clean.created_at)?;
            sql::insert_account(tx, id, &clean)
        })?;
        Ok(self.debit_account(&code)?.expect("just saved"))
    }

    /// Ends the member's debit (the account is kept in the history).
    pub fn end_debit_account(&mut self, member: &str) -> Result<()> {
        let (id, code, _) = self.member_ref(member)?;
        if self.write(|tx| sql::end_current(tx, id, &now_stamp()))? == 0 {
            return Err(CoreError::not_found(format!("会員 {code} には口座振替の登録がありません")));
        }
        Ok(())
    }

    /// The month's request: the written one, or what would be written now.
    pub fn debit_plan(&self, month: &str) -> Result<DebitPlan> {
        let day = self.shop_settings()?.money.debit.debit_day;
        let debit_on = debit_date(month, day)?;
        if let Some((id, req)) = sql::request(&self.conn, month)? {
            let items = sql::items(&self.conn, id)?;
            return Ok(DebitPlan { month: month.into(), debit_on: req.debit_on, total: req.total, items, written: Some(req), problems: Vec::new() });
        }
        let (items, problems) = sql::due_items(&self.conn, debit_on)?;
        Ok(DebitPlan { month: month.into(), debit_on, total: items.iter().map(|i| i.amount).sum(), items, written: None, problems })
    }

    /// Writes the month's request file (Zengin 91). Asked again before the result came, it
    /// writes the same request again; new invoices then wait for next month.
    pub fn debit_export(&mut self, month: &str, staff: &str) -> Result<(DebitPlan, Vec<u8>)> {
        let s = self.shop_settings()?.money.debit;
        if s.collector_code.len() != 10 || s.collector_name.is_empty() {
            return Err(CoreError::field("money.debit.collector_code", "設定の「口座振替」で委託者コード（10桁）と委託者名を入力してください"));
        }
        let plan = self.debit_plan(month)?;
        if plan.written.as_ref().is_some_and(|r| r.result_at.is_some()) {
            return Err(CoreError::new(ErrorCode::Conflict, format!("{month} の振替結果は取込済みです（依頼データは作り直せません）")));
        }
        if plan.items.is_empty() {
            return Err(CoreError::new(ErrorCode::NotFound, format!("{month} に口座振替で請求するものはありません")));
        }
        let header = DebitHeader {
            collector_code: s.collector_code.clone(),
            collector_name: s.collector_name.clone(),
            debit_month: plan.debit_on.month(),
            debit_day: plan.debit_on.day(),
            bank_code: s.bank_code.clone(),
            bank_name: s.bank_name.clone(),
            branch_code: s.branch_code.clone(),
            branch_name: s.branch_name.clone(),
            account_kind: s.account_kind.clone(),
            account_number: s.account_number.clone(),
        };
        let accounts = sql::accounts_for(&self.conn, &plan.items)?;
        let records: Vec<DebitRecord> = plan
            .items
            .iter()
            .zip(&accounts)
            .map(|(i, a)| DebitRecord {
                line: i.line,
                bank_code: a.bank_code.clone(),
                bank_name: a.bank_name.clone(),
                branch_code: a.branch_code.clone(),
                branch_name: a.branch_name.clone(),
                account_kind: a.kind.clone(),
                account_number: a.number.clone(),
                holder: a.holder.clone(),
                amount: i.amount,
                new_code: i.new_code.clone(),
                customer_number: a.customer_number.clone(),
                result: "0".into(),
            })
            .collect();
        let bytes = zd::write_debit_request(&header, &records)?;
        if plan.written.is_none() {
            let hash: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            let staff = normalize::tidy(staff);
            self.write_as(&staff, |tx| sql::insert_request(tx, &plan, &hash, &staff, &now_stamp()))?;
        }
        Ok((self.debit_plan(month)?, bytes))
    }

    pub fn debit_requests(&self) -> Result<Vec<DebitRequest>> {
        sql::requests(&self.conn)
    }

    /// Reads the agency's result file: collected debits become payments on their invoices,
    /// failed ones keep the bank's reason and wait for staff (or go as `opts.failed` says).
    pub fn debit_import_result(&mut self, bytes: &[u8], file: &str, opts: &DebitResultOptions) -> Result<DebitResultReport> {
        let parsed = zd::parse_debit_file(bytes, file)?;
        let settings = self.shop_settings()?.money.debit;
        if !settings.collector_code.is_empty() && parsed.header.collector_code != settings.collector_code {
            return Err(CoreError::new(
                ErrorCode::Validation,
                format!("{file}: 委託者コード {} は設定の {} と違います（別の委託者の結果ファイルです）", parsed.header.collector_code, settings.collector_code),
            ));
        }
        let (request_id, req) = sql::request_by_debit_day(&self.conn, parsed.header.debit_month, parsed.header.debit_day)?.ok_or_else(|| {
            CoreError::new(ErrorCode::NotFound, format!("{file}: 振替日 {}月{}日 の依頼データが見つかりません（先に依頼データを作成してください）", parsed.header.debit_month, parsed.header.debit_day))
        })?;
        let hash: String = sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
        let mut report = DebitResultReport { month: req.month.clone(), debit_on: req.debit_on, duplicate: false, dry_run: opts.dry_run, collected: 0, collected_total: 0, failed: Vec::new(), failed_total: 0 };
        if req.result_at.is_some() {
            if sql::result_hash(&self.conn, request_id)?.as_deref() == Some(hash.as_str()) {
                report.duplicate = true;
                return Ok(report);
            }
            return Err(CoreError::new(ErrorCode::Conflict, format!("{file}: {} の振替結果は別のファイルで取込済みです", req.month)));
        }
        let items = sql::items(&self.conn, request_id)?;
        // Each result record answers one request record: same customer number (a number: the
        // file pads it with zeros) and amount.
        let same = |a: &str, b: &str| a.trim_start_matches('0') == b.trim_start_matches('0');
        let mut answers: Vec<(usize, &DebitRecord)> = Vec::new();
        let mut problems = Vec::new();
        let mut used = vec![false; items.len()];
        let accounts = sql::accounts_for(&self.conn, &items)?;
        for r in &parsed.records {
            let found = (0..items.len()).find(|&k| !used[k] && same(&accounts[k].customer_number, &r.customer_number) && items[k].amount == r.amount);
            match found {
                Some(k) => {
                    used[k] = true;
                    answers.push((k, r));
                }
                None => problems.push(format!("{}件目: 顧客番号 {} ・金額 {} の依頼がありません", r.line, r.customer_number, r.amount)),
            }
        }
        for (_, i) in items.iter().enumerate().filter(|(k, _)| !used[*k]) {
            problems.push(format!("依頼 {}件目（会員 {}、{}）の結果がファイルにありません", i.line, i.member, crate::tax::yen(i.amount)));
        }
        if !problems.is_empty() {
            return Err(CoreError::new(ErrorCode::Validation, format!("{file}: 振替結果が依頼データと合いません。何も取り込んでいません。\n{}", problems.join("\n"))));
        }
        for (k, r) in &answers {
            let mut it = items[*k].clone();
            it.result = Some(r.result.clone());
            it.result_label = zd::result_label(&r.result).into();
            if r.result == "0" {
                report.collected += 1;
                report.collected_total += it.amount;
            } else {
                it.next_step = opts.failed;
                report.failed_total += it.amount;
                report.failed.push(it);
            }
        }
        if opts.dry_run {
            return Ok(report);
        }
        let staff = normalize::tidy(&opts.staff);
        self.write_as(&staff, |tx| {
            // Another window may have taken the same result in meanwhile.
            if sql::result_hash(tx, request_id)?.is_some() {
                return Err(CoreError::new(ErrorCode::Conflict, format!("{file}: {} の振替結果は取込済みです", req.month)));
            }
            let now = now_stamp();
            for (k, r) in &answers {
                let item_id = sql::item_id(tx, request_id, items[*k].line)?;
                let payment = if r.result == "0" {
                    let member_id = rsql::member_id(tx, &items[*k].member)?.map(|m| m.0).unwrap_or_default();
                    let parts = sql::item_settlement(tx, item_id)?;
                    let note = format!("口座振替 {}", req.month);
                    let row = rsql::PaymentRow { member_id, paid_on: req.debit_on, amount: r.amount, fee: 0, method: "direct_debit", note: &note, staff: &staff, import_batch: None, bank_line: None };
                    Some(rsql::insert_payment(tx, &row, &parts, &now)?)
                } else {
                    let body = format!("口座振替不能（{}）: {} 振替分 {}", zd::result_label(&r.result), req.debit_on, crate::tax::yen(r.amount));
                    let member_id = rsql::member_id(tx, &items[*k].member)?.map(|m| m.0).unwrap_or_default();
                    crate::store::members::add_contact(tx, member_id, req.debit_on, "口座振替", &staff, &body, &now)?;
                    None
                };
                sql::set_result(tx, item_id, &r.result, payment, if r.result == "0" { "" } else { opts.failed.as_str() })?;
            }
            sql::set_request_result(tx, request_id, &hash, &now)
        })?;
        Ok(report)
    }

    /// Staff's decision on a failed debit of a month: next month's request, or transfer.
    pub fn debit_next_step(&mut self, month: &str, member: &str, step: NextStep) -> Result<DebitItem> {
        let (member_id, code, _) = self.member_ref(member)?;
        let (request_id, _) = sql::request(&self.conn, month)?.ok_or_else(|| CoreError::not_found(format!("{month} の依頼データはありません")))?;
        if self.write(|tx| sql::set_next_step(tx, request_id, member_id, step.as_str()))? == 0 {
            return Err(CoreError::new(ErrorCode::Conflict, format!("{month} に会員 {code} の振替不能はありません")));
        }
        Ok(sql::items(&self.conn, request_id)?.into_iter().find(|i| i.member == code).expect("the item is there"))
    }
}

#[cfg(test)]
mod tests;
