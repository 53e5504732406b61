//! Staff accounts, roles and the audit log (操作履歴).
//!
//! Accounts are optional. While none exists the shop works as one user, as before: no password,
//! the staff picker names who did what. Once one exists, every write needs a logged-in session
//! (`Db::login`), checked inside the write's own transaction by `Db::write` (so a role changed
//! or an account disabled in another window counts at once); read-only sessions write nothing,
//! and the admin-only operations call `Db::require_admin`. The adapters only show or hide: the
//! rule lives here.
//!
//! The audit log is written by database triggers on every table (migration 8), not by this
//! module, so a write nobody remembered to log is logged anyway. This module reads it back.
use crate::error::{CoreError, ErrorCode, Result};
use crate::normalize;
use crate::store::{access as sql, now_stamp, Db};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    /// 管理者: settings, accounts, voiding and reissuing invoices, undoing imports, restore.
    Admin,
    /// スタッフ: the daily work.
    Staff,
    /// 閲覧のみ: reads, never writes.
    Readonly,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Readonly => "readonly",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "管理者",
            Role::Staff => "スタッフ",
            Role::Readonly => "閲覧のみ",
        }
    }
    /// Reads a role as stored or as typed (admin, 管理者 …).
    pub fn parse(s: &str) -> Result<Role> {
        match s.trim() {
            "admin" | "管理者" => Ok(Role::Admin),
            "staff" | "スタッフ" => Ok(Role::Staff),
            "readonly" | "read-only" | "閲覧のみ" => Ok(Role::Readonly),
            other => Err(CoreError::field("role", format!("権限は admin・staff・readonly のどれかです（入力: {other}）"))),
        }
    }
}

/// Who is logged in on this `Db`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Session {
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StaffAccount {
    pub name: String,
    pub role: Role,
    pub created_at: String,
    /// Set when disabled; accounts are never deleted.
    pub disabled_at: Option<String>,
}

/// What the window needs at start: whether to show the login screen, and who is in.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AccessStatus {
    pub accounts: bool,
    pub session: Option<Session>,
    /// The window locks after this many idle minutes (while accounts exist).
    pub lock_minutes: u32,
}

/// The lock's idle minutes when the shop never set them.
pub const DEFAULT_LOCK_MINUTES: u32 = 10;
const LOCK_KEY: &str = "access.lock_minutes";

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct AuditQuery {
    /// First day (as typed: 2026-12-01, 2026/12/1 …), inclusive.
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    pub staff: Option<String>,
    pub table: Option<String>,
    /// Paging: rows older than this id (the last one of the previous page).
    #[ts(type = "number | null")]
    pub before_id: Option<i64>,
    /// Rows per page (default 100, at most 1,000).
    pub limit: Option<u32>,
}

/// One column of a logged row: its value before and after, as text to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AuditChange {
    pub column: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub at: String,
    /// Empty when the write came from outside Teikibin (or before anyone was named).
    pub staff: String,
    pub table: String,
    /// The table in staff's words (会員, 受注 …).
    pub table_label: String,
    pub row_key: Option<String>,
    /// insert, update, delete, or bulk (one row for a whole load: postal codes, demo data).
    pub action: String,
    pub changes: Vec<AuditChange>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditPage {
    pub rows: Vec<AuditEntry>,
    /// Pass as `before_id` for the next page; `None` when this was the last.
    #[ts(type = "number | null")]
    pub next_before_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditTable {
    pub table: String,
    pub label: String,
}

/// Tables in staff's words; a table missing here shows its own name.
pub fn table_label(t: &str) -> &str {
    match t {
        "members" => "会員",
        "member_addresses" => "お届け先",
        "member_contacts" => "対応履歴",
        "member_history" => "会員の変更履歴",
        "member_tags" => "会員タグ",
        "settings" => "設定",
        "postal_codes" => "郵便番号",
        "import_batches" => "取込",
        "import_changes" => "取込の変更記録",
        "products" => "商品",
        "courses" => "定期コース",
        "course_items" => "コースの商品",
        "course_prices" => "コースの価格",
        "subscriptions" => "定期契約",
        "subscription_events" => "定期契約の履歴",
        "orders" => "受注",
        "order_lines" => "受注明細",
        "month_runs" => "月次処理",
        "bulletin_slips" => "会報誌",
        "shipments" => "出荷",
        "shipment_orders" => "出荷の受注",
        "shipment_exports" => "送り状データ",
        "invoices" => "請求書",
        "invoice_orders" => "請求書の受注",
        "payments" => "入金",
        "payment_allocations" => "入金の充当",
        "bank_imports" => "入金明細の取込",
        "bank_lines" => "入金明細",
        "remitter_names" => "振込依頼人名",
        "debit_accounts" => "振替口座",
        "debit_requests" => "口座振替の依頼",
        "debit_items" => "口座振替の明細",
        "debit_item_invoices" => "口座振替の請求書",
        "reminders" => "督促",
        "reminder_invoices" => "督促の請求書",
        "staff_accounts" => "スタッフアカウント",
        other => other,
    }
}

const MIN_PASSWORD: usize = 8;

fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(CoreError::field("password", format!("パスワードは{MIN_PASSWORD}文字以上にしてください")));
    }
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| CoreError::new(ErrorCode::Io, format!("乱数を取得できません: {e}")))?;
    let salt = SaltString::encode_b64(&bytes).map_err(|e| CoreError::new(ErrorCode::Io, format!("パスワードを保存できません: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::new(ErrorCode::Io, format!("パスワードを保存できません: {e}")))
}

fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

fn account_name(name: &str) -> Result<String> {
    let n = normalize::tidy(name);
    if n.is_empty() {
        return Err(CoreError::field("name", "名前を入力してください"));
    }
    if n.chars().count() > 40 {
        return Err(CoreError::field("name", "名前は40文字までです"));
    }
    Ok(n)
}

fn login_refused() -> CoreError {
    sql::forbidden("名前またはパスワードが違います").at("password")
}

/// Turns a stored row into what is shown: JSON values as text, a row's columns in its order.
#[allow(clippy::too_many_arguments)]
pub(crate) fn entry(
    id: i64,
    at: String,
    staff: String,
    table: String,
    row_key: Option<String>,
    action: String,
    before: Option<String>,
    after: Option<String>,
) -> Result<AuditEntry> {
    fn parse(s: &Option<String>) -> Vec<(String, serde_json::Value)> {
        match s.as_deref().map(serde_json::from_str::<serde_json::Value>) {
            Some(Ok(serde_json::Value::Object(m))) => m.into_iter().collect(),
            _ => Vec::new(),
        }
    }
    fn text(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }
    let b = parse(&before);
    let a = parse(&after);
    let mut changes: Vec<AuditChange> = Vec::new();
    for (k, v) in &b {
        changes.push(AuditChange { column: k.clone(), before: text(v), after: None });
    }
    for (k, v) in &a {
        match changes.iter_mut().find(|c| &c.column == k) {
            Some(c) => c.after = text(v),
            None => changes.push(AuditChange { column: k.clone(), before: None, after: text(v) }),
        }
    }
    let table_label = table_label(&table).to_string();
    Ok(AuditEntry { id, at, staff, table, table_label, row_key, action, changes })
}

impl Db {
    /// Whether staff accounts exist (then the login screen comes first and writes need a session).
    pub fn accounts_exist(&self) -> Result<bool> {
        if !self.audited {
            return Ok(false);
        }
        sql::accounts_exist(&self.conn)
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    pub fn access_status(&self) -> Result<AccessStatus> {
        Ok(AccessStatus { accounts: self.accounts_exist()?, session: self.session.clone(), lock_minutes: self.lock_minutes()? })
    }

    /// Idle minutes before the window locks (a setting of its own, so the shop settings' type
    /// stays as it is).
    pub fn lock_minutes(&self) -> Result<u32> {
        Ok(self.setting_json(LOCK_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_LOCK_MINUTES))
    }

    /// Admin-only, like every setting.
    pub fn set_lock_minutes(&mut self, minutes: u32) -> Result<u32> {
        self.require_admin()?;
        if !(1..=240).contains(&minutes) {
            return Err(CoreError::field("lock_minutes", "ロックまでの時間は1〜240分で指定してください"));
        }
        self.put_setting_json(LOCK_KEY, &minutes.to_string())?;
        Ok(minutes)
    }

    /// Names who writes while no accounts exist (the window's staff picker, the CLI's `--user`);
    /// an operation's own staff name still wins, and a logged-in session always does.
    pub fn set_staff(&mut self, name: &str) {
        self.staff = normalize::tidy(name);
    }

    /// Checks the password and opens a session on this `Db`.
    pub fn login(&mut self, name: &str, password: &str) -> Result<Session> {
        let name = normalize::tidy(name);
        let Some((hash, role)) = sql::password_hash(&self.conn, &name)? else {
            // The same work and the same answer whether or not the name exists.
            let _ = verify(password, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
            return Err(login_refused());
        };
        if !verify(password, &hash) {
            return Err(login_refused());
        }
        let s = Session { name: name.clone(), role };
        self.session = Some(s.clone());
        self.staff = name;
        Ok(s)
    }

    /// Ends the session (the window's lock, the end of a CLI command).
    pub fn logout(&mut self) {
        self.session = None;
    }

    /// Refuses unless this may do an admin's work: no accounts (one user, as before), or an
    /// active admin logged in. Restore, settings, accounts, voiding invoices and undoing imports
    /// call it first.
    pub fn require_admin(&self) -> Result<()> {
        if !self.accounts_exist()? {
            return Ok(());
        }
        let Some(s) = &self.session else {
            return Err(sql::forbidden("ログインしてください"));
        };
        match sql::active_role(&self.conn, &s.name)? {
            Some(Role::Admin) => Ok(()),
            Some(_) => Err(sql::forbidden("この操作は管理者だけができます")),
            None => Err(sql::forbidden(format!("アカウント「{}」は無効です", s.name))),
        }
    }

    /// Refuses reading what only staff may see (the audit log, the accounts) without a session.
    fn require_session(&self) -> Result<()> {
        if self.accounts_exist()? && self.session.is_none() {
            return Err(sql::forbidden("ログインしてください"));
        }
        Ok(())
    }

    pub fn staff_accounts(&self) -> Result<Vec<StaffAccount>> {
        if !self.audited {
            return Ok(Vec::new());
        }
        self.require_session()?;
        sql::accounts(&self.conn)
    }

    /// Adds an account. The first one must be an admin (and its creator is logged in as it);
    /// after that only an admin adds accounts.
    pub fn add_staff_account(&mut self, name: &str, password: &str, role: Role) -> Result<StaffAccount> {
        let name = account_name(name)?;
        let first = !self.accounts_exist()?;
        if first && role != Role::Admin {
            return Err(CoreError::field("role", "最初のアカウントは管理者にしてください"));
        }
        self.require_admin()?;
        let hash = hash_password(password)?;
        let now = now_stamp();
        self.write_as(name.clone(), |tx| {
            if sql::account_by_name(tx, &name)?.is_some() {
                return Err(CoreError::conflict("name", format!("アカウント「{name}」は既にあります")));
            }
            sql::insert_account(tx, &name, &hash, role, &now)
        })?;
        if first {
            self.session = Some(Session { name: name.clone(), role });
            self.staff = name.clone();
        }
        sql::account_by_name(&self.conn, &name)?.ok_or_else(|| CoreError::not_found(format!("アカウント「{name}」は見つかりません")))
    }

    fn existing(tx: &rusqlite::Connection, name: &str) -> Result<StaffAccount> {
        sql::account_by_name(tx, name)?.ok_or_else(|| CoreError::not_found(format!("アカウント「{name}」は見つかりません")).at("name"))
    }

    fn last_admin_check(tx: &rusqlite::Connection, a: &StaffAccount, what: &str) -> Result<()> {
        if a.role == Role::Admin && a.disabled_at.is_none() && sql::other_active_admins(tx, &a.name)? == 0 {
            return Err(CoreError::new(ErrorCode::Conflict, format!("「{}」は最後の管理者なので{what}できません。先に別の管理者を作ってください", a.name)));
        }
        Ok(())
    }

    pub fn set_staff_role(&mut self, name: &str, role: Role) -> Result<StaffAccount> {
        self.require_admin()?;
        let name = normalize::tidy(name);
        self.write(|tx| {
            let a = Self::existing(tx, &name)?;
            if a.disabled_at.is_some() {
                return Err(CoreError::new(ErrorCode::Conflict, format!("アカウント「{name}」は無効です")));
            }
            if role != Role::Admin {
                Self::last_admin_check(tx, &a, "権限を変更")?;
            }
            sql::set_role(tx, &name, role)
        })?;
        Self::existing(&self.conn, &name)
    }

    /// Disables an account (kept, with the date; its name stays in the audit log).
    pub fn disable_staff_account(&mut self, name: &str) -> Result<StaffAccount> {
        self.require_admin()?;
        let name = normalize::tidy(name);
        let now = now_stamp();
        self.write(|tx| {
            let a = Self::existing(tx, &name)?;
            Self::last_admin_check(tx, &a, "無効に")?;
            sql::disable(tx, &name, &now)
        })?;
        Self::existing(&self.conn, &name)
    }

    /// Sets a password: an admin for anyone, everyone for their own.
    pub fn set_staff_password(&mut self, name: &str, password: &str) -> Result<StaffAccount> {
        let name = normalize::tidy(name);
        let own = self.session.as_ref().is_some_and(|s| s.name == name);
        if !own {
            self.require_admin()?;
        }
        let hash = hash_password(password)?;
        self.write(|tx| {
            Self::existing(tx, &name)?;
            sql::set_password(tx, &name, &hash)
        })?;
        Self::existing(&self.conn, &name)
    }

    /// One page of the audit log, newest first, filtered by day range, staff and table.
    pub fn audit_list(&self, q: &AuditQuery) -> Result<AuditPage> {
        if !self.audited {
            return Ok(AuditPage { rows: Vec::new(), next_before_id: None });
        }
        self.require_session()?;
        let from = normalize::date("from", "開始日", q.from.as_deref().unwrap_or(""))?;
        let to = normalize::date("to", "終了日", q.to.as_deref().unwrap_or(""))?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(CoreError::field("to", "終了日が開始日より前です"));
            }
        }
        let limit = q.limit.unwrap_or(100).clamp(1, 1000);
        let from_s = from.map(|d| d.format("%Y-%m-%d").to_string());
        let to_s = to.and_then(|d| d.succ_opt()).map(|d| d.format("%Y-%m-%d").to_string());
        let mut rows = sql::audit_page(&self.conn, q, from_s.as_deref(), to_s.as_deref(), limit + 1)?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next_before_id = if more { rows.last().map(|r| r.id) } else { None };
        Ok(AuditPage { rows, next_before_id })
    }

    /// The audited tables with their names in staff's words, for the filter.
    pub fn audit_tables(&self) -> Result<Vec<AuditTable>> {
        if !self.audited {
            return Ok(Vec::new());
        }
        let mut v: Vec<AuditTable> = sql::audited_tables(&self.conn)?
            .into_iter()
            .map(|t| AuditTable { label: table_label(&t).to_string(), table: t })
            .collect();
        v.sort_by(|a, b| a.label.cmp(&b.label));
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Db {
        Db::open_in_memory().unwrap()
    }

    #[test]
    fn every_table_is_audited() {
        let db = db();
        let exempt = ["schema_migrations", "audit_log", "audit_context"];
        let tables = sql::tables_and_triggers(&db.conn).unwrap();
        assert!(tables.len() > 30, "{tables:?}");
        for (t, triggers) in tables {
            if exempt.contains(&t.as_str()) {
                continue;
            }
            for action in ["insert", "update", "delete"] {
                let want = format!("audit_{t}_{action}");
                assert!(
                    triggers.contains(&want),
                    "table {t} has no {want} trigger: a new table must be audited (scripts/audit_triggers.py writes its triggers)"
                );
            }
        }
    }

    #[test]
    fn writes_are_logged_with_who_and_only_the_changed_columns() {
        let mut db = db();
        db.set_staff("佐藤");
        let mut s = db.shop_settings().unwrap();
        s.company_name = "健康の森".into();
        db.save_shop_settings(s).unwrap();
        let page = db.audit_list(&AuditQuery { table: Some("settings".into()), ..Default::default() }).unwrap();
        assert_eq!(page.rows.len(), 1);
        let r = &page.rows[0];
        assert_eq!((r.staff.as_str(), r.action.as_str(), r.table_label.as_str()), ("佐藤", "insert", "設定"));
        let mut s = db.shop_settings().unwrap();
        s.company_name = "健康の森2".into();
        db.save_shop_settings(s).unwrap();
        let page = db.audit_list(&AuditQuery { table: Some("settings".into()), ..Default::default() }).unwrap();
        let r = &page.rows[0];
        assert_eq!(r.action, "update");
        assert_eq!(r.changes.len(), 1, "only the value changed: {:?}", r.changes);
        assert_eq!(r.changes[0].column, "value");
        assert!(r.changes[0].before.as_deref().unwrap().contains("健康の森\""));
        assert!(r.changes[0].after.as_deref().unwrap().contains("健康の森2"));
        // The context is cleared after each transaction: a write from outside names nobody.
        db.conn.execute("INSERT INTO member_tags (member_id, tag) VALUES (1, 'x')", []).ok();
        let (staff,): (String,) = db.conn.query_row("SELECT staff FROM audit_context", [], |r| Ok((r.get(0)?,))).unwrap();
        assert_eq!(staff, "");
    }

    #[test]
    fn the_log_refuses_updates_and_deletes() {
        let mut db = db();
        db.set_staff("佐藤");
        db.save_shop_settings(db.shop_settings().unwrap()).unwrap();
        let e = db.conn.execute("UPDATE audit_log SET staff = 'x'", []).unwrap_err();
        assert!(e.to_string().contains("操作履歴は変更できません"), "{e}");
        let e = db.conn.execute("DELETE FROM audit_log", []).unwrap_err();
        assert!(e.to_string().contains("操作履歴は削除できません"), "{e}");
        assert!(db.conn.execute("DELETE FROM staff_accounts", []).is_ok(), "an empty delete is fine");
    }

    #[test]
    fn roles_are_enforced_in_the_core() {
        let mut db = db();
        assert!(!db.accounts_exist().unwrap());
        let e = db.add_staff_account("田中", "password1", Role::Staff).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("role"));
        db.add_staff_account("店長", "password1", Role::Admin).unwrap();
        assert_eq!(db.session().unwrap().name, "店長");
        db.add_staff_account("田中", "password2", Role::Staff).unwrap();
        db.add_staff_account("見る人", "password3", Role::Readonly).unwrap();
        assert_eq!(db.add_staff_account("田中", "password2", Role::Staff).unwrap_err().code, ErrorCode::Conflict);

        // No session: nothing is written.
        db.logout();
        let s = db.shop_settings().unwrap();
        assert_eq!(db.save_shop_settings(s.clone()).unwrap_err().code, ErrorCode::Forbidden);
        assert_eq!(db.login("田中", "wrong-pass").unwrap_err().code, ErrorCode::Forbidden);
        assert_eq!(db.login("だれ", "password2").unwrap_err().code, ErrorCode::Forbidden);

        db.login("見る人", "password3").unwrap();
        let e = db.put_setting_json("x", "1").unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        assert!(e.message.contains("閲覧"), "{}", e.message);
        assert!(db.audit_list(&AuditQuery::default()).is_ok(), "read-only may read the log");

        db.login("田中", "password2").unwrap();
        db.put_setting_json("x", "1").unwrap();
        assert_eq!(db.save_shop_settings(s.clone()).unwrap_err().code, ErrorCode::Forbidden);
        assert_eq!(db.require_admin().unwrap_err().code, ErrorCode::Forbidden);
        assert_eq!(db.disable_staff_account("見る人").unwrap_err().code, ErrorCode::Forbidden);
        // Own password: allowed.
        db.set_staff_password("田中", "password22").unwrap();
        let last = db.audit_list(&AuditQuery::default()).unwrap().rows.remove(0);
        assert_eq!(last.staff, "田中");
        assert_eq!(last.changes, vec![AuditChange { column: "password_hash".into(), before: Some("(変更)".into()), after: Some("(変更)".into()) }]);

        db.login("店長", "password1").unwrap();
        db.save_shop_settings(s).unwrap();
        let e = db.disable_staff_account("店長").unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert_eq!(db.set_staff_role("店長", Role::Staff).unwrap_err().code, ErrorCode::Conflict);
        db.set_staff_role("田中", Role::Admin).unwrap();
        db.disable_staff_account("見る人").unwrap();
        assert_eq!(db.login("見る人", "password3").unwrap_err().code, ErrorCode::Forbidden);
        // Demoting oneself leaves the session's writes to what the role now allows.
        db.set_staff_role("店長", Role::Readonly).unwrap();
        assert_eq!(db.put_setting_json("y", "1").unwrap_err().code, ErrorCode::Forbidden);
        assert_eq!(db.staff_accounts().unwrap().len(), 3);
    }

    #[test]
    fn audit_pages_and_filters() {
        let mut db = db();
        for i in 0..25 {
            db.set_staff(if i % 2 == 0 { "佐藤" } else { "鈴木" });
            db.put_setting_json(&format!("k{i}"), "1").unwrap();
        }
        let p1 = db.audit_list(&AuditQuery { staff: Some("佐藤".into()), limit: Some(10), ..Default::default() }).unwrap();
        assert_eq!(p1.rows.len(), 10);
        assert!(p1.rows.iter().all(|r| r.staff == "佐藤"));
        let p2 = db.audit_list(&AuditQuery { staff: Some("佐藤".into()), limit: Some(10), before_id: p1.next_before_id, ..Default::default() }).unwrap();
        assert_eq!(p2.rows.len(), 3);
        assert_eq!(p2.next_before_id, None);
        let today = crate::clock::today().format("%Y/%m/%d").to_string();
        let d = db.audit_list(&AuditQuery { from: Some(today.clone()), to: Some(today), ..Default::default() }).unwrap();
        assert_eq!(d.rows.len(), 25);
        assert_eq!(db.audit_list(&AuditQuery { from: Some("2099-01-01".into()), ..Default::default() }).unwrap().rows.len(), 0);
        let e = db.audit_list(&AuditQuery { from: Some("2026-02-01".into()), to: Some("2026-01-01".into()), ..Default::default() }).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("to"));
        assert!(db.audit_tables().unwrap().iter().any(|t| t.table == "members" && t.label == "会員"));
    }
}
