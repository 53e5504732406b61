//! Erasure on request (削除請求・匿名化): a member's personal data is blanked everywhere it is
//! kept, in one transaction, while what the law requires stays. Nothing is deleted: the member
//! row stays (as 「削除済み会員 000123」, withdrawn), so orders, payments and invoices keep
//! their member and every report still adds up.
//!
//! Kept on purpose: issued invoices exactly as issued, recipient name included (適格請求書 and
//! 電子帳簿保存法: 7 years; the database refuses to alter them), amounts and dates of orders and
//! payments, bank statement lines (the bank's record of a transfer), subscription events and
//! their 解約理由 (picked from the shop's list; the churn report counts them), tags.
use crate::error::{CoreError, ErrorCode, Result};
use crate::members::{CleanMember, HistoryKind, MemberStatus};
use crate::store::{now_stamp, portability as sql, Db};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What an erasure did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Erasure {
    pub member: String,
    /// The name the member now has.
    pub name: String,
    pub erased_on: String,
    pub reason: String,
    pub staff: String,
    /// What was blanked, in words with counts.
    pub anonymised: Vec<String>,
    /// What was kept and still names the person, in words.
    pub kept: Vec<String>,
}

/// The history line that marks an erased member (also how a second erasure is refused).
pub const ERASED_MARK: &str = "削除請求により個人情報を匿名化";
/// What blanked texts say instead.
pub const BLANKED: &str = "（削除請求により消去）";

impl Db {
    /// Anonymises the member `code` on request. Refused while subscriptions run, orders wait to
    /// ship or invoices are unpaid: those need the name and address, so they are settled first.
    pub fn erase_member(&mut self, code: &str, reason: &str, staff: &str) -> Result<Erasure> {
        let (id, m) = self.member_with_id(code)?;
        let reason = crate::normalize::tidy(reason);
        let staff = crate::normalize::tidy(staff);
        if reason.is_empty() {
            return Err(CoreError::field("reason", "削除請求の理由（例: ご本人からの電話 12/3）を入力してください"));
        }
        if let Some(into) = &m.merged_into {
            return Err(CoreError::new(
                ErrorCode::Conflict,
                format!("会員 {} は会員 {into} に統合済みです。統合先の会員 {into} を削除してください", m.code),
            ));
        }
        if let Some(on) = sql::erased_on(&self.conn, id, ERASED_MARK)? {
            return Err(CoreError::new(ErrorCode::Conflict, format!("会員 {} は {on} にすでに匿名化されています", m.code)));
        }
        let (subs, orders) = sql::erase_blockers(&self.conn, id)?;
        if !subs.is_empty() {
            let ids: Vec<String> = subs.iter().map(|s| s.to_string()).collect();
            return Err(CoreError::new(
                ErrorCode::Conflict,
                format!("会員 {} には継続中・休止中の定期契約（{}）があります。先に解約してください", m.code, ids.join("、")),
            ));
        }
        if !orders.is_empty() {
            return Err(CoreError::new(
                ErrorCode::Conflict,
                format!("会員 {} には出荷前の受注（{}）があります。出荷するか取り消してから削除してください", m.code, orders.join("、")),
            ));
        }
        let account = self.member_account(&m.code)?;
        if account.balance > 0 {
            return Err(CoreError::new(
                ErrorCode::Conflict,
                format!(
                    "会員 {} には未払いの請求が {}円（{}件）あります。入金を消し込むか請求を取り消してから削除してください",
                    m.code,
                    account.balance,
                    account.open_invoices.len()
                ),
            ));
        }
        let name = format!("削除済み会員 {}", m.code);
        let mut anon = m.clone();
        anon.name = name.clone();
        for f in [
            &mut anon.kana, &mut anon.company, &mut anon.department, &mut anon.postal_code, &mut anon.prefecture, &mut anon.city,
            &mut anon.street, &mut anon.building, &mut anon.phone, &mut anon.mobile, &mut anon.fax, &mut anon.email, &mut anon.notes,
        ] {
            f.clear();
        }
        anon.birthday = None;
        anon.gender = None;
        anon.dm_opt_out = true;
        let today = crate::clock::today();
        let before = serde_json::to_string(&anon).expect("member JSON");
        let clean = CleanMember::from_stored(anon);
        let done = self.write_as(&staff, |tx| {
            let now = now_stamp();
            // Blank the copies first: the history's old values go, then the new lines are added.
            let n = sql::anonymise(tx, id, &name, BLANKED, &before)?;
            crate::store::members::update(tx, id, &clean, &now)?;
            if m.status != MemberStatus::Withdrawn {
                crate::store::members::set_status(tx, id, MemberStatus::Withdrawn, today.max(m.joined_on), &now)?;
                // Nothing runs (checked above); this keeps stopped subscriptions as they are.
                crate::subscriptions::follow_member_status(tx, id, MemberStatus::Withdrawn, today, &staff, &now)?;
            }
            crate::store::members::add_history(
                tx, id, HistoryKind::StatusChanged, Some(today), Some(m.status), Some(MemberStatus::Withdrawn),
                &format!("削除請求: {reason}"), &staff, ERASED_MARK,
            )?;
            let audit = sql::redact_audit(tx, id, BLANKED, &now)?;
            Ok((n, audit))
        })?;
        let (done, audit) = done;
        self.search_refresh(id)?;
        let mut anonymised = vec!["氏名・フリガナ・会社名・住所・電話・FAX・メール・生年月日・性別・カルテ".to_string()];
        for (what, k) in [
            ("変更履歴・状態変更の理由", done.history),
            ("対応履歴の内容", done.contacts),
            ("お届け先", done.addresses),
            ("出荷（送り状）の宛名・住所", done.shipments),
            ("受注のメモ", done.orders),
            ("振込依頼人名の学習", done.remitter_names),
            ("口座振替の口座", done.debit_accounts),
            ("取込の取り消し用に保存していた旧データ", done.import_changes),
            ("操作履歴に残っていた個人情報", audit),
        ] {
            if k > 0 {
                anonymised.push(format!("{what} {k}件"));
            }
        }
        let issued = sql::issued_invoice_count(&self.conn, id)?;
        let mut kept = Vec::new();
        if issued > 0 {
            kept.push(format!("発行済みの請求書 {issued}件（宛名を含め発行時のまま。法定の保存期間7年）"));
        }
        kept.push("受注・入金の金額と日付、銀行明細の振込依頼人名、定期契約の履歴と解約理由、タグ".to_string());
        Ok(Erasure { member: m.code, name, erased_on: today.to_string(), reason, staff, anonymised, kept })
    }
}
