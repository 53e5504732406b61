//! 督促 (dunning): the overdue list by days past due, reminder letters in three steps (first,
//! second, final; wording from the shop's templates) with an address-label sheet for the
//! envelopes, and every reminder written on the member's contact log. Invoices waiting for a
//! direct-debit result are being collected and stay off the list.
use crate::clock::today;
use crate::error::{CoreError, ErrorCode, Result};
use crate::invoices::{issuer, PaperProgress};
use crate::normalize;
use crate::pdf::labels::{Label, LabelSheet};
use crate::pdf::letter::{render_letters, Letter, LetterLine};
use crate::store::{dunning as sql, now_stamp, Db};
use crate::tax::yen;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OverdueInvoice {
    pub number: String,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    #[ts(type = "number")]
    pub amount: i64,
    #[ts(type = "number")]
    pub balance: i64,
    /// Days past the due date.
    #[ts(type = "number")]
    pub days: i64,
    /// Reminders already sent naming this invoice.
    pub reminders: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OverdueMember {
    pub member: String,
    pub member_name: String,
    pub phone: String,
    pub invoices: Vec<OverdueInvoice>,
    #[ts(type = "number")]
    pub total: i64,
    #[ts(type = "number")]
    pub max_days: i64,
    /// The reminder a letter now would be: 1 first, 2 second, 3 final.
    pub next_level: u8,
    pub last_reminder: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgeBucket {
    pub label: String,
    #[ts(type = "number")]
    pub invoices: u64,
    #[ts(type = "number")]
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OverdueList {
    pub as_of: NaiveDate,
    /// Most days overdue first.
    pub members: Vec<OverdueMember>,
    #[ts(type = "number")]
    pub invoices: u64,
    #[ts(type = "number")]
    pub total: i64,
    /// 1-30, 31-60, 61-90, over 90 days.
    pub buckets: Vec<AgeBucket>,
}

/// Which members get a letter (empty: everyone on the list at `min_days`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct ReminderRequest {
    pub members: Vec<String>,
    #[ts(type = "number")]
    pub min_days: u32,
    pub staff: String,
}

/// Letters made and logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReminderRun {
    #[ts(type = "number")]
    pub letters: u64,
    #[ts(type = "number")]
    pub total: i64,
    /// Letters per level: [first, second, final].
    #[ts(type = "[number, number, number]")]
    pub by_level: [u64; 3],
}

fn fill(template: &str, values: &[(&str, String)]) -> String {
    values.iter().fold(template.to_string(), |t, (k, v)| t.replace(&format!("{{{k}}}"), v))
}

/// The ages of overdue invoices, in days past due (the dunning list and the receivables report).
pub(crate) const AGE_LABELS: [&str; 4] = ["1～30日", "31～60日", "61～90日", "91日以上"];

/// Which of [`AGE_LABELS`] `days` past due falls in.
pub(crate) fn age_bucket(days: i64) -> usize {
    match days {
        ..=30 => 0,
        31..=60 => 1,
        61..=90 => 2,
        _ => 3,
    }
}

impl Db {
    pub fn overdue(&self, min_days: u32) -> Result<OverdueList> {
        let as_of = today();
        let after = self.shop_settings()?.money.overdue_after_days.max(min_days) as i64;
        let rows = sql::overdue(&self.conn, as_of - chrono::Duration::days(after - 1).max(chrono::Duration::zero()))?;
        let mut members: Vec<OverdueMember> = Vec::new();
        let mut buckets: Vec<AgeBucket> = AGE_LABELS.iter().map(|l| AgeBucket { label: l.to_string(), invoices: 0, amount: 0 }).collect();
        for r in rows {
            let days = (as_of - r.invoice.due_on).num_days();
            if days < after.max(1) {
                continue;
            }
            let b = &mut buckets[age_bucket(days)];
            b.invoices += 1;
            b.amount += r.invoice.balance;
            if members.last().map(|m| m.member != r.member).unwrap_or(true) {
                members.push(OverdueMember { member: r.member.clone(), member_name: r.member_name.clone(), phone: r.phone.clone(), invoices: Vec::new(), total: 0, max_days: 0, next_level: 1, last_reminder: r.last_reminder });
            }
            let m = members.last_mut().expect("pushed");
            m.total += r.invoice.balance;
            m.max_days = m.max_days.max(days);
            m.next_level = m.next_level.max((r.max_level + 1).min(3));
            m.last_reminder = m.last_reminder.max(r.last_reminder);
            m.invoices.push(OverdueInvoice { number: r.invoice.number, issued_on: r.invoice.issued_on, due_on: r.invoice.due_on, amount: r.invoice.amount, balance: r.invoice.balance, days, reminders: r.reminders });
        }
        members.sort_by(|a, b| b.max_days.cmp(&a.max_days).then(a.member.cmp(&b.member)));
        Ok(OverdueList {
            as_of,
            invoices: members.iter().map(|m| m.invoices.len() as u64).sum(),
            total: members.iter().map(|m| m.total).sum(),
            members,
            buckets,
        })
    }

    fn chosen_overdue(&self, req: &ReminderRequest) -> Result<Vec<OverdueMember>> {
        let list = self.overdue(req.min_days)?.members;
        if req.members.is_empty() {
            return Ok(list);
        }
        req.members
            .iter()
            .map(|code| {
                let code = normalize::nfkc(code).trim().to_string();
                list.iter().find(|m| m.member == code).cloned().ok_or_else(|| CoreError::new(ErrorCode::NotFound, format!("会員 {code} には期限を過ぎた未払いの請求がありません")))
            })
            .collect()
    }

    /// Reminder letters as one PDF; each is logged (reminders, contact log) in one transaction.
    pub fn dunning_letters(&mut self, req: &ReminderRequest, progress: &mut dyn FnMut(PaperProgress)) -> Result<(Vec<u8>, ReminderRun)> {
        let chosen = self.chosen_overdue(req)?;
        if chosen.is_empty() {
            return Err(CoreError::new(ErrorCode::NotFound, "督促状を出す未払いの請求はありません"));
        }
        let s = self.shop_settings()?;
        let on = today();
        let pay_by = on + chrono::Duration::days(s.money.reminder_pay_within_days as i64);
        let issuer = issuer(&s);
        let mut letters = Vec::with_capacity(chosen.len());
        let mut run = ReminderRun { letters: 0, total: 0, by_level: [0; 3] };
        for m in &chosen {
            let t = &s.money.reminders[(m.next_level as usize - 1).min(s.money.reminders.len() - 1)];
            let recipient = self.recipient(&m.member)?;
            let values = [
                ("氏名", [recipient.company.as_str(), recipient.name.as_str()].iter().filter(|x| !x.is_empty()).cloned().collect::<Vec<_>>().join(" ")),
                ("会員番号", m.member.clone()),
                ("合計", yen(m.total)),
                ("件数", m.invoices.len().to_string()),
                ("期限", pay_by.format("%Y年%-m月%-d日").to_string()),
                ("店名", s.company_name.clone()),
            ];
            letters.push(Letter {
                issued_on: on,
                issuer: issuer.clone(),
                recipient,
                title: fill(&t.title, &values),
                body: fill(&t.body, &values),
                lines: m.invoices.iter().map(|i| LetterLine { number: i.number.clone(), issued_on: i.issued_on, due_on: i.due_on, amount: i.amount, paid: i.amount - i.balance, balance: i.balance, days_overdue: i.days }).collect(),
                total: m.total,
                pay_by: Some(pay_by),
                reference: format!("督促 {}", ["第1回", "第2回", "最終"][m.next_level as usize - 1]),
            });
            run.letters += 1;
            run.total += m.total;
            run.by_level[m.next_level as usize - 1] += 1;
        }
        let total = letters.len() as u64;
        let pdf = render_letters(&letters, &mut |n| progress(PaperProgress { what: "督促状".into(), done: n as u64, total }))?;
        let staff = normalize::tidy(&req.staff);
        self.write_as(&staff, |tx| {
            let now = now_stamp();
            for (m, l) in chosen.iter().zip(&letters) {
                let body = format!("{}（{}）を送付: 未払い {} 件 {}、お支払期限 {}", l.title, l.reference, m.invoices.len(), yen(m.total), pay_by);
                sql::log_reminder(tx, &m.member, m.next_level, on, m.total, &m.invoices.iter().map(|i| (i.number.clone(), i.balance)).collect::<Vec<_>>(), &body, &staff, &now)?;
            }
            Ok(())
        })?;
        Ok((pdf, run))
    }

    /// Address labels for the reminder envelopes, in the list's order.
    pub fn dunning_labels(&self, req: &ReminderRequest, sheet: &LabelSheet, start_position: u32, progress: &mut dyn FnMut(PaperProgress)) -> Result<(Vec<u8>, u64)> {
        let chosen = self.chosen_overdue(req)?;
        let labels = chosen
            .iter()
            .map(|m| {
                let r = self.recipient(&m.member)?;
                Ok(Label { postal_code: r.postal_code, address_lines: r.address_lines, company: r.company, name: r.name, honorific: r.honorific, code: m.member.clone(), notes: Vec::new(), sender: Vec::new() })
            })
            .collect::<Result<Vec<_>>>()?;
        crate::labels::labels_pdf(sheet, start_position, &labels, progress)
    }
}

#[cfg(test)]
mod tests;
