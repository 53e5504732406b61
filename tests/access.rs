//! The CLI contract of staff accounts and the audit log, on real SQLite files: who may do what
//! (refused by the core, exit 1 with the reason), the audit rows an edit leaves, and the log's
//! refusal to be rewritten.
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const TODAY: &str = "2026-11-23";

/// The CLI on `db`, as `user` with `password` (in `TEIKIBIN_PASSWORD`) when given, `stdin` fed.
fn cli(db: &Path, user: Option<(&str, &str)>, stdin: &str, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_teikibin-cli"));
    c.arg("--db").arg(db);
    c.env_remove("TEIKIBIN_DB").env_remove("TEIKIBIN_PASSWORD").env_remove("TEIKIBIN_NEW_PASSWORD").env_remove("TEIKIBIN_USER");
    c.env("TEIKIBIN_TODAY", TODAY);
    if let Some((u, p)) = user {
        c.arg("--user").arg(u).env("TEIKIBIN_PASSWORD", p);
    }
    c.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().expect("run teikibin-cli");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn ok(o: Output) -> Value {
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap_or(Value::Null)
}

/// Exit 1 with the core's code in the JSON error.
fn refused(o: Output, code: &str) -> String {
    assert_eq!(o.status.code(), Some(1), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    let e: Value = serde_json::from_slice(&o.stderr).expect("JSON error on stderr");
    assert_eq!(e["error"]["code"], code, "{e}");
    e["error"]["message"].as_str().unwrap().to_string()
}

#[test]
fn accounts_roles_and_the_audit_log_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let admin = Some(("店長", "tencho-pass"));
    let staff = Some(("田中", "tanaka-pass"));
    let viewer = Some(("経理", "keiri-pass1"));
    // Without accounts: as before, and `--user` names who writes.
    ok(cli(&db, None, "", &["--json", "init", "--demo"]));
    let members = ok(cli(&db, None, "", &["--json", "members", "list"]));
    let code = members[0]["code"].as_str().unwrap().to_string();
    ok(cli(&db, Some(("佐藤", "")), "", &["--json", "members", "mail-returned", &code]));

    // The first account must be an admin; its password on stdin.
    let o = cli(&db, None, "tanaka-pass\n", &["--json", "users", "add", "田中", "--role", "staff"]);
    refused(o, "validation");
    ok(cli(&db, None, "tencho-pass\n", &["--json", "users", "add", "店長", "--role", "admin"]));

    // Now every command needs a user and the right password.
    let m = refused(cli(&db, None, "", &["--json", "members", "list"]), "forbidden");
    assert!(m.contains("--user"), "{m}");
    refused(cli(&db, Some(("店長", "wrong-pass")), "", &["--json", "members", "list"]), "forbidden");
    // The admin's own password from TEIKIBIN_PASSWORD, the new account's on stdin.
    ok(cli(&db, admin, "tanaka-pass\n", &["--json", "users", "add", "田中", "--role", "staff"]));
    ok(cli(&db, admin, "keiri-pass1\n", &["--json", "users", "add", "経理", "--role", "readonly"]));
    let list = ok(cli(&db, admin, "", &["--json", "users", "list"]));
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert!(list.as_array().unwrap().iter().all(|a| a.get("password_hash").is_none()));

    // Read-only: reads, never writes.
    ok(cli(&db, viewer, "", &["--json", "members", "list"]));
    let m = refused(
        cli(&db, viewer, "", &["--json", "members", "add", "--name", "新井 一郎", "--kana", "アライ イチロウ", "--phone", "03-1111-2222", "--postal-code", "1540015",
          "--prefecture", "東京都", "--city", "世田谷区", "--street", "桜新町2-3-4", "--joined-on", "2024/4/1"]),
        "forbidden",
    );
    assert!(m.contains("閲覧"), "{m}");

    // Staff: daily work yes, voiding an invoice or managing accounts no.
    ok(cli(&db, staff, "", &["--json", "members", "mail-returned", &code, "--clear"]));
    let issued = ok(cli(&db, staff, "", &["--json", "invoice", "issue", "--all", "--period", "2026-10"]));
    let number = issued["issued"][0]["number"].as_str().expect("an invoice").to_string();
    let m = refused(cli(&db, staff, "", &["--json", "invoice", "void", &number, "--reason", "誤り"]), "forbidden");
    assert!(m.contains("管理者"), "{m}");
    refused(cli(&db, staff, "", &["--json", "users", "disable", "経理"]), "forbidden");
    ok(cli(&db, admin, "", &["--json", "invoice", "void", &number, "--reason", "誤り"]));

    // The last admin stays.
    refused(cli(&db, admin, "", &["--json", "users", "disable", "店長"]), "conflict");
    refused(cli(&db, admin, "", &["--json", "users", "role", "店長", "staff"]), "conflict");
    ok(cli(&db, admin, "", &["--json", "users", "disable", "経理"]));
    refused(cli(&db, viewer, "", &["--json", "members", "list"]), "forbidden");

    // The audit log: who, when, what, before and after of the changed columns only.
    let page = ok(cli(&db, admin, "", &["--json", "audit", "list", "--table", "members", "--user", "田中"]));
    let rows = page["rows"].as_array().unwrap();
    let edit = rows.iter().find(|r| r["action"] == "update").expect("田中's change");
    assert_eq!(edit["staff"], "田中");
    assert_eq!(edit["table_label"], "会員");
    let returned = edit["changes"].as_array().unwrap().iter().find(|c| c["column"] == "mail_returned").expect("mail_returned changed");
    assert_eq!((returned["before"].as_str(), returned["after"].as_str()), (Some("1"), Some("0")));
    assert_eq!(edit["row_key"].as_str().map(|k| !k.is_empty()), Some(true));
    assert!(edit["changes"].as_array().unwrap().iter().all(|c| c["column"] != "name"), "only changed columns");
    // Before accounts, the staff name of the operation.
    let sato = ok(cli(&db, admin, "", &["--json", "audit", "list", "--user", "佐藤", "--table", "members"]));
    assert!(!sato["rows"].as_array().unwrap().is_empty());
    // The void, by the admin; the text form too. (Audit times are the real clock, not TEIKIBIN_TODAY.)
    let o = cli(&db, admin, "", &["audit", "list", "--table", "invoices", "--from", "2026-01-01", "--limit", "5"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && text.contains("店長") && text.contains("請求書") && text.contains("voided_at"), "{text}");
    // Paging.
    let p1 = ok(cli(&db, admin, "", &["--json", "audit", "list", "--limit", "2"]));
    let next = p1["next_before_id"].as_i64().expect("more pages");
    let p2 = ok(cli(&db, admin, "", &["--json", "audit", "list", "--limit", "2", "--before", &next.to_string()]));
    assert!(p2["rows"][0]["id"].as_i64().unwrap() < next);
    let m = refused(cli(&db, admin, "", &["--json", "audit", "list", "--from", "2026-13-01"]), "validation");
    assert!(!m.is_empty());

    // The log refuses updates and deletes, even from a plain connection.
    let c = rusqlite::Connection::open(&db).unwrap();
    assert!(c.execute("UPDATE audit_log SET staff = '誰か'", []).is_err());
    assert!(c.execute("DELETE FROM audit_log", []).is_err());
    assert!(c.execute("DELETE FROM staff_accounts WHERE name = '経理'", []).is_err(), "accounts are disabled, never deleted");

    // A new password: the old one stops working.
    ok(cli(&db, admin, "tanaka-pass2\n", &["--json", "users", "password", "田中"]));
    refused(cli(&db, staff, "", &["--json", "members", "list"]), "forbidden");
    ok(cli(&db, Some(("田中", "tanaka-pass2")), "", &["--json", "members", "list"]));
}
