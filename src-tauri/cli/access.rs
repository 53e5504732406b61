//! The CLI's staff accounts and audit log: `users …`, `audit list`, and signing in before any
//! command when accounts exist (`teikibin-cli --user NAME <command>`, the password in
//! `TEIKIBIN_PASSWORD` or on the first line of stdin). The rules are the core's (`access.rs`).
use crate::{out, Output};
use clap::Subcommand;
use std::io::BufRead;
use teikibin_core::access::{AuditEntry, AuditQuery, Role, StaffAccount};
use teikibin_core::{CoreError, Db, ErrorCode};

#[derive(Subcommand)]
pub enum UsersCommand {
    /// アカウントを追加する（最初のアカウントは admin。パスワードは TEIKIBIN_PASSWORD か標準入力、
    /// ログイン中は TEIKIBIN_NEW_PASSWORD か標準入力の次の行）
    Add {
        name: String,
        /// admin | staff | readonly
        #[arg(long)]
        role: String,
    },
    /// アカウントの一覧
    List,
    /// アカウントを無効にする（削除はしません）
    Disable { name: String },
    /// 権限を変える（admin | staff | readonly）
    Role { name: String, role: String },
    /// パスワードを設定し直す（新しいパスワードは TEIKIBIN_NEW_PASSWORD か標準入力）
    Password { name: String },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// 操作履歴（新しい順）
    List {
        /// この日から（2026-12-01、2026/12/1 など）
        #[arg(long, value_name = "D")]
        from: Option<String>,
        /// この日まで
        #[arg(long, value_name = "D")]
        to: Option<String>,
        /// この担当者の操作だけ
        #[arg(long, value_name = "U")]
        user: Option<String>,
        /// この表の操作だけ（members、orders、settings など）
        #[arg(long, value_name = "T")]
        table: Option<String>,
        /// 最大件数（既定 100）
        #[arg(long, value_name = "N", default_value_t = 100)]
        limit: u32,
        /// この番号より古い履歴（前の出力の最後に表示される番号）
        #[arg(long, value_name = "ID")]
        before: Option<i64>,
    },
}

/// Passwords, in the order they are asked for: the first from `TEIKIBIN_PASSWORD`, a second
/// (a new account's or a new password while signed in) from `TEIKIBIN_NEW_PASSWORD`, each else
/// from the next line of stdin. Never from the command line, where `ps` shows it.
pub struct Secrets {
    asked: usize,
    stdin: Option<std::io::StdinLock<'static>>,
}

impl Secrets {
    pub fn new() -> Self {
        Secrets { asked: 0, stdin: None }
    }

    pub fn next(&mut self) -> Result<String, CoreError> {
        let var = if self.asked == 0 { "TEIKIBIN_PASSWORD" } else { "TEIKIBIN_NEW_PASSWORD" };
        self.asked += 1;
        if let Ok(v) = std::env::var(var) {
            return Ok(v);
        }
        let stdin = self.stdin.get_or_insert_with(|| std::io::stdin().lock());
        let mut line = String::new();
        stdin.read_line(&mut line).map_err(|e| CoreError::new(ErrorCode::Io, format!("パスワードを読めません: {e}")))?;
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        if line.is_empty() {
            return Err(CoreError::new(ErrorCode::Validation, format!("パスワードがありません（{var} か標準入力で渡してください）")).at("password"));
        }
        Ok(line)
    }
}

/// Before any command: with accounts, `--user` and its password are required and checked;
/// without, `--user` (if given) names who writes.
pub fn sign_in(db: &mut Db, user: Option<&str>, secrets: &mut Secrets) -> Result<(), CoreError> {
    if !db.accounts_exist()? {
        if let Some(u) = user {
            db.set_staff(u);
        }
        return Ok(());
    }
    let Some(user) = user.filter(|u| !u.trim().is_empty()) else {
        return Err(CoreError::new(
            ErrorCode::Forbidden,
            "スタッフアカウントがあります。teikibin-cli --user 名前 … のようにコマンドの前に名前を付け、パスワードを TEIKIBIN_PASSWORD か標準入力で渡してください",
        ));
    };
    let password = secrets.next()?;
    db.login(user, &password)?;
    Ok(())
}

fn account_line(a: &StaffAccount) -> String {
    let state = match &a.disabled_at {
        Some(d) => format!("無効（{d}）"),
        None => "有効".to_string(),
    };
    format!("{}\t{}\t{}\t作成 {}", a.name, a.role.label(), state, a.created_at)
}

pub fn users(db: &mut Db, cmd: &UsersCommand, secrets: &mut Secrets) -> Result<Output, CoreError> {
    Ok(match cmd {
        UsersCommand::Add { name, role } => {
            let role = Role::parse(role)?;
            let password = secrets.next()?;
            let a = db.add_staff_account(name, &password, role)?;
            let text = format!("アカウント「{}」（{}）を追加しました", a.name, a.role.label());
            out(&a, text)
        }
        UsersCommand::List => {
            let list = db.staff_accounts()?;
            let mut text: Vec<String> = list.iter().map(account_line).collect();
            if list.is_empty() {
                text.push("アカウントはありません（パスワードなしの1人用として動いています）".into());
            }
            out(&list, text.join("\n"))
        }
        UsersCommand::Disable { name } => {
            let a = db.disable_staff_account(name)?;
            out(&a, format!("アカウント「{}」を無効にしました", a.name))
        }
        UsersCommand::Role { name, role } => {
            let a = db.set_staff_role(name, Role::parse(role)?)?;
            out(&a, format!("「{}」の権限を{}にしました", a.name, a.role.label()))
        }
        UsersCommand::Password { name } => {
            let password = secrets.next()?;
            let a = db.set_staff_password(name, &password)?;
            out(&a, format!("「{}」のパスワードを設定しました", a.name))
        }
    })
}

fn action_label(a: &str) -> &str {
    match a {
        "insert" => "追加",
        "update" => "変更",
        "delete" => "削除",
        "bulk" => "一括",
        other => other,
    }
}

fn entry_text(e: &AuditEntry) -> String {
    let who = if e.staff.is_empty() { "（不明）" } else { &e.staff };
    let key = e.row_key.as_deref().map(|k| format!(" {k}")).unwrap_or_default();
    let mut t = format!("#{} {} {} {}{} {}", e.id, e.at, who, e.table_label, key, action_label(&e.action));
    for c in &e.changes {
        let v = |s: &Option<String>| s.clone().unwrap_or_else(|| "（なし）".into());
        match e.action.as_str() {
            "update" => t += &format!("\n    {}: {} → {}", c.column, v(&c.before), v(&c.after)),
            "delete" => t += &format!("\n    {}: {}", c.column, v(&c.before)),
            _ => t += &format!("\n    {}: {}", c.column, v(&c.after)),
        }
    }
    t
}

pub fn audit(db: &mut Db, cmd: &AuditCommand) -> Result<Output, CoreError> {
    let AuditCommand::List { from, to, user, table, limit, before } = cmd;
    let page = db.audit_list(&AuditQuery {
        from: from.clone(),
        to: to.clone(),
        staff: user.clone(),
        table: table.clone(),
        before_id: *before,
        limit: Some(*limit),
    })?;
    let mut text: Vec<String> = page.rows.iter().map(entry_text).collect();
    text.push(match page.next_before_id {
        Some(id) => format!("{}件（続きは --before {id}）", page.rows.len()),
        None => format!("{}件", page.rows.len()),
    });
    Ok(out(&page, text.join("\n")))
}
