//! Members from a legacy customer list: each row through the same checks and normalisation as
//! the member form (`members::clean`), after repairing what Excel did to it (dates as serials,
//! phones without their 0, one-cell addresses), plus status, notes and an old contact log.
use super::{values, ImportOptions, Issues, Plan, Records, SampleRow, Sheet, WriteCtx, SAMPLE_ROWS};
use crate::error::Result;
use crate::members::{self, Gender, Member, MemberInput, MemberKind, MemberStatus};
use crate::normalize;
use crate::store::{imports as sql, members as msql, Db};
use chrono::NaiveDate;
use rusqlite::Transaction;
use std::collections::{HashMap, HashSet};

pub(crate) struct Record {
    line: u32,
    clean: members::CleanMember,
    status: MemberStatus,
    contacts: Vec<Contact>,
    /// The stored member this row updates (with `update_existing`).
    existing: Option<Box<(i64, Member)>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Contact {
    on: NaiveDate,
    channel: String,
    body: String,
}

const CHANNELS: [&str; 6] = ["電話", "メール", "FAX", "手紙", "来店", "その他"];

/// An old system's contact log in one cell: lines that start with a date begin a new entry
/// (「2023/4/1 電話 配送日の変更」), other lines continue the entry before them.
fn contacts(cell: &str, default_on: NaiveDate) -> Vec<Contact> {
    let mut out: Vec<Contact> = Vec::new();
    for line in cell.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (first, rest) = line.split_once(|c: char| c.is_whitespace()).unwrap_or((line, ""));
        match values::date(first) {
            Ok(on) if first.chars().count() >= 6 => {
                let rest = rest.trim();
                let (word, body) = rest.split_once(|c: char| c.is_whitespace()).unwrap_or((rest, ""));
                let word = normalize::nfkc(word);
                let (channel, body) = match CHANNELS.iter().find(|c| **c == word) {
                    Some(c) => (c.to_string(), body.trim().to_string()),
                    None => ("その他".to_string(), rest.to_string()),
                };
                out.push(Contact { on, channel, body });
            }
            _ => match out.last_mut() {
                Some(c) => {
                    c.body.push('\n');
                    c.body.push_str(line);
                }
                None => out.push(Contact { on: default_on, channel: "その他".into(), body: line.to_string() }),
            },
        }
    }
    out.retain(|c| !c.body.is_empty());
    out
}

fn gender(raw: &str) -> Result<Option<Gender>, String> {
    match normalize::nfkc(raw).trim().to_lowercase().as_str() {
        "" => Ok(None),
        "女" | "女性" | "f" | "female" | "2" => Ok(Some(Gender::Female)),
        "男" | "男性" | "m" | "male" | "1" => Ok(Some(Gender::Male)),
        "その他" | "other" | "回答しない" => Ok(Some(Gender::Other)),
        _ => Err(format!("性別として読めません（{raw}）。男・女・その他で書いてください")),
    }
}

/// A date cell as ISO text for the member form (which reads ISO and 和暦, not Excel serials).
fn date_cell(sheet: &Sheet, issues: &mut Issues, line: u32, key: &str, raw: &str) -> String {
    if raw.trim().is_empty() {
        return String::new();
    }
    match values::date(raw) {
        Ok(d) => d.to_string(),
        Err(e) => {
            issues.error(sheet, line, key, e);
            String::new()
        }
    }
}

/// `keep_records`: false for a preview, which only counts and shows a sample (a 100,000-row file
/// would otherwise hold every checked member in memory for nothing).
pub(crate) fn check(db: &Db, sheet: &Sheet, opts: &ImportOptions, issues: &mut Issues, keep_records: bool) -> Result<Plan> {
    let today = members::today();
    let fmt = db.shop_settings()?.member_code;
    let mut next_number = db.max_member_number(&fmt)?;
    let existing: HashMap<String, i64> = sql::member_ids(&db.conn)?;
    let postal = db.postal_code_set()?;
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut records = Vec::with_capacity(if keep_records { sheet.table.rows.len() } else { 0 });
    let mut sample = Vec::new();
    let (mut new, mut updates) = (0, 0);
    // Codes the file gives, so automatic numbers never collide with a later row.
    let given: HashSet<String> = sheet
        .table
        .rows
        .iter()
        .filter_map(|r| members::clean_code(sheet.get(r, "code")).ok())
        .collect();
    for row in &sheet.table.rows {
        let line = row.row;
        let get = |k: &str| sheet.get(row, k);
        let mut input = MemberInput {
            name: get("name").into(),
            kana: get("kana").into(),
            company: get("company").into(),
            department: get("department").into(),
            postal_code: get("postal_code").into(),
            building: get("building").into(),
            email: get("email").into(),
            notes: get("notes").into(),
            ..Default::default()
        };
        if input.name.trim().is_empty() && !input.company.trim().is_empty() {
            input.name = input.company.clone();
            input.kind = MemberKind::Company;
        }
        if !get("address").trim().is_empty() {
            let a = crate::address::split(get("address"));
            (input.prefecture, input.city, input.street) = (a.prefecture, a.city, a.rest);
        }
        for (key, slot) in [("prefecture", &mut input.prefecture), ("city", &mut input.city), ("street", &mut input.street)] {
            if !get(key).trim().is_empty() {
                *slot = get(key).to_string();
            }
        }
        for (key, slot) in [("phone", &mut input.phone), ("mobile", &mut input.mobile), ("fax", &mut input.fax)] {
            let (v, warning) = values::phone(get(key));
            if let Some(w) = warning {
                issues.warn(sheet, line, key, w);
            }
            *slot = v;
        }
        // A mobile number in the phone column is filed as the mobile when that one is empty.
        if input.mobile.is_empty() && !sheet.has("mobile") && normalize::digits(&input.phone).starts_with(['0']) {
            let d = normalize::digits(&input.phone);
            if d.len() == 11 && ["070", "080", "090"].iter().any(|p| d.starts_with(p)) {
                input.mobile = std::mem::take(&mut input.phone);
            }
        }
        input.birthday = date_cell(sheet, issues, line, "birthday", get("birthday"));
        input.joined_on = date_cell(sheet, issues, line, "joined_on", get("joined_on"));
        input.valid_until = date_cell(sheet, issues, line, "valid_until", get("valid_until"));
        match gender(get("gender")) {
            Ok(g) => input.gender = g,
            Err(e) => issues.error(sheet, line, "gender", e),
        }
        match values::flag(get("dm_opt_out")) {
            Ok(v) => input.dm_opt_out = v,
            Err(e) => issues.error(sheet, line, "dm_opt_out", e),
        }
        input.tags = get("tags").split(['、', ',', '，', '/', '／', ' ', '　']).map(str::to_string).collect();
        let status = MemberStatus::parse(&normalize::nfkc(get("status"))).or(match normalize::nfkc(get("status")).trim() {
            "継続" | "会員" | "通常" | "正会員" => Some(MemberStatus::Active),
            "停止" | "休会" | "一時停止" => Some(MemberStatus::Suspended),
            "解約" | "退会済" | "退会済み" | "削除" => Some(MemberStatus::Withdrawn),
            _ => None,
        });
        let status = match status {
            Some(s) => s,
            None => {
                issues.error(sheet, line, "status", format!("状態は 有効・休止・退会（空欄は有効）で書いてください（{}）", get("status")));
                MemberStatus::Active
            }
        };
        // The code: given, or the next automatic number.
        let raw_code = get("code");
        let code = if raw_code.trim().is_empty() {
            loop {
                next_number += 1;
                let c = fmt.format(next_number);
                if !existing.contains_key(&c) && !given.contains(&c) {
                    break Some(c);
                }
            }
        } else {
            match members::clean_code(raw_code) {
                Ok(c) => Some(c),
                Err(e) => {
                    issues.error(sheet, line, "code", e.message.clone());
                    None
                }
            }
        };
        let mut existing_member = None;
        if let Some(code) = &code {
            if let Some(first) = seen.get(code) {
                issues.error(sheet, line, "code", format!("会員番号 {code} はこのファイルの {first} 行目でも使われています（最初の行を取り込みます）"));
            } else {
                seen.insert(code.clone(), line);
                if existing.contains_key(code) {
                    if opts.update_existing {
                        existing_member = msql::by_code(&db.conn, code)?;
                        if existing_member.as_ref().is_some_and(|(_, m)| m.merged_into.is_some()) {
                            issues.error(sheet, line, "code", format!("会員番号 {code} は名寄せで統合済みのため更新できません"));
                        }
                    } else {
                        issues.error(sheet, line, "code", format!("会員番号 {code} はすでに登録されています（上書きするには「登録済みのコードは上書き更新する」を選んでください。CLIでは --update-existing）"));
                    }
                }
            }
        }
        let clean = match members::clean(&input, code.clone().unwrap_or_default(), today) {
            Ok(c) => Some(c),
            Err(e) => {
                for f in &e.fields {
                    let key = if f.field == "company" { "name" } else { f.field.as_str() };
                    issues.error(sheet, line, key, f.message.clone());
                }
                None
            }
        };
        if let Some(c) = &clean {
            if !c.postal_code.is_empty() && !postal.is_empty() && !postal.contains(&c.postal_code) {
                issues.warn(sheet, line, "postal_code", format!("〒{} は郵便番号データにありません（そのまま取り込みます）", c.postal_code));
            }
            if c.prefecture.is_empty() && (!c.city.is_empty() || !c.street.is_empty()) {
                issues.warn(sheet, line, "address", "都道府県を読み取れませんでした（住所はそのまま取り込みます）");
            }
        }
        let Some(clean) = clean else { continue };
        if code.is_none() || issues.is_rejected(line) {
            continue;
        }
        let contact_log = contacts(get("contacts"), clean.joined_on);
        if existing_member.is_some() {
            updates += 1;
        } else {
            new += 1;
        }
        if sample.len() < SAMPLE_ROWS {
            let m = &clean.m;
            sample.push(SampleRow {
                line,
                cells: vec![
                    m.code.clone(), m.name.clone(), m.kana.clone(), m.postal_code.clone(),
                    format!("{}{}{}", m.prefecture, m.city, m.street), m.building.clone(), m.phone.clone(), m.mobile.clone(),
                    m.email.clone(), m.birthday.map(|d| d.to_string()).unwrap_or_default(), m.joined_on.to_string(),
                    status.label().to_string(),
                ],
            });
        }
        if keep_records {
            records.push(Record { line, clean, status, contacts: contact_log, existing: existing_member.map(Box::new) });
        }
    }
    Ok(Plan {
        records: Records::Members(records),
        new,
        updates,
        sample_columns: vec!["code", "name", "kana", "postal_code", "address", "building", "phone", "mobile", "email", "birthday", "joined_on", "status"],
        sample,
    })
}

pub(crate) fn write(tx: &Transaction, records: &[Record], ctx: &WriteCtx, step: &mut dyn FnMut(u32)) -> Result<()> {
    // A first import into a (nearly) empty register: rebuild the indexes once instead of updating them per row.
    let stored: i64 = tx.query_row("SELECT count(*) FROM members", [], |r| r.get(0))?;
    if stored < records.len() as i64 {
        return msql::with_indexes_rebuilt(tx, || write_rows(tx, records, ctx, step));
    }
    write_rows(tx, records, ctx, step)
}

fn write_rows(tx: &Transaction, records: &[Record], ctx: &WriteCtx, step: &mut dyn FnMut(u32)) -> Result<()> {
    let mut first_new: Option<i64> = None;
    for (i, r) in records.iter().enumerate() {
        if i % 5000 == 0 {
            step(i as u32);
        }
        let since = (r.status != MemberStatus::Active).then_some(r.clean.joined_on);
        let id = match &r.existing {
            None => {
                let id = msql::insert_with_status(tx, &r.clean, r.status, since, ctx.now, Some(ctx.batch))?;
                first_new.get_or_insert(id);
                id
            }
            Some(existing) => {
                let (id, old) = &**existing;
                sql::record_before(tx, ctx.batch, "members", *id, &serde_json::to_string(old).expect("member json"))?;
                if r.status != old.status {
                    let on = members::today();
                    msql::set_status(tx, *id, r.status, on, ctx.now)?;
                    msql::add_history(tx, *id, members::HistoryKind::StatusChanged, Some(on), Some(old.status), Some(r.status), "取込", ctx.staff, "")?;
                }
                msql::update(tx, *id, &r.clean, ctx.now)?;
                let detail = members::describe_changes(old, &r.clean);
                let detail = if detail.is_empty() { "（変更なし）".to_string() } else { detail };
                // Written last: undo looks for history after this row (see store::imports).
                msql::add_history(tx, *id, members::HistoryKind::Updated, None, None, None, "", ctx.staff, &format!("取込 {}（バッチ {}、{}行目）\n{detail}", ctx.file_name, ctx.batch, r.line))?;
                *id
            }
        };
        for c in &r.contacts {
            msql::add_contact_from_import(tx, id, c.on, &c.channel, ctx.staff, &c.body, ctx.now, ctx.batch)?;
        }
    }
    if let Some(first) = first_new {
        msql::add_created_history_from_id(tx, first, &format!("取込 {}（バッチ {}）", ctx.file_name, ctx.batch))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_log_cell_becomes_entries() {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let got = contacts("2023/4/1 電話 配送日の変更\n午後指定を希望\n令和5年5月2日 メール 住所変更の連絡\nメモのみ", d);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], Contact { on: NaiveDate::from_ymd_opt(2023, 4, 1).unwrap(), channel: "電話".into(), body: "配送日の変更\n午後指定を希望".into() });
        assert_eq!(got[1].channel, "メール");
        assert_eq!(got[1].body, "住所変更の連絡\nメモのみ");
        let plain = contacts("昔からのお客様", d);
        assert_eq!(plain, [Contact { on: d, channel: "その他".into(), body: "昔からのお客様".into() }]);
    }
}
