//! The members' register (会員台帳): who the shop sells to, how to reach them, what happened to
//! them. Every write is validated and normalised here, then handed to the store as one
//! transaction; nothing is ever deleted (withdrawal, suspension and merging only mark).
pub mod duplicates;
pub mod search;

use crate::error::{CoreError, ErrorCode, Problems, Result};
use crate::normalize;
use crate::store::{now_stamp, Db};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MemberStatus {
    /// 有効
    #[default]
    Active,
    /// 休止: kept, can return.
    Suspended,
    /// 退会: kept forever.
    Withdrawn,
}

impl MemberStatus {
    pub const ALL: [MemberStatus; 3] = [MemberStatus::Active, MemberStatus::Suspended, MemberStatus::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Active => "active",
            MemberStatus::Suspended => "suspended",
            MemberStatus::Withdrawn => "withdrawn",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            MemberStatus::Active => "有効",
            MemberStatus::Suspended => "休止",
            MemberStatus::Withdrawn => "退会",
        }
    }
    /// Reads the stored word, the Japanese label, or a blank (= active, as legacy files mean it).
    pub fn parse(s: &str) -> Option<MemberStatus> {
        match normalize::tidy(s).as_str() {
            "active" | "有効" | "" => Some(MemberStatus::Active),
            "suspended" | "休止" => Some(MemberStatus::Suspended),
            "withdrawn" | "退会" => Some(MemberStatus::Withdrawn),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MemberKind {
    /// 個人
    #[default]
    Person,
    /// 法人
    Company,
}

impl MemberKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::Person => "person",
            MemberKind::Company => "company",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Gender {
    Female,
    Male,
    Other,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::Other => "other",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<Gender> {
        match s {
            "female" => Some(Gender::Female),
            "male" => Some(Gender::Male),
            "other" => Some(Gender::Other),
            _ => None,
        }
    }
}

/// What the member form sends: text as typed; the core checks and normalises it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct MemberInput {
    /// Empty: the next number in the shop's member-code format. Ignored on edit.
    pub code: String,
    pub kind: MemberKind,
    pub name: String,
    pub kana: String,
    pub company: String,
    pub department: String,
    pub postal_code: String,
    pub prefecture: String,
    pub city: String,
    /// 町域・番地
    pub street: String,
    /// 建物名・部屋番号
    pub building: String,
    pub phone: String,
    pub mobile: String,
    pub fax: String,
    pub email: String,
    pub birthday: String,
    pub gender: Option<Gender>,
    /// Empty: today.
    pub joined_on: String,
    pub valid_until: String,
    pub dm_opt_out: bool,
    /// カルテ: free notes.
    pub notes: String,
    pub tags: Vec<String>,
}

/// A member as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Member {
    pub code: String,
    pub kind: MemberKind,
    pub name: String,
    pub kana: String,
    pub company: String,
    pub department: String,
    pub postal_code: String,
    pub prefecture: String,
    pub city: String,
    pub street: String,
    pub building: String,
    pub phone: String,
    pub mobile: String,
    pub fax: String,
    pub email: String,
    pub birthday: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub joined_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub status: MemberStatus,
    /// The day the current status took effect.
    pub status_since: Option<NaiveDate>,
    pub dm_opt_out: bool,
    pub notes: String,
    pub tags: Vec<String>,
    /// Set when this record was merged into another member (名寄せ); it is then hidden from lists.
    pub merged_into: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// 宛先不明: mail came back; the bulletin mailing leaves the member out until this is cleared.
    pub mail_returned: bool,
}

impl Member {
    /// 住所1 as legacy files and printers expect it: prefecture, city and street.
    pub fn address1(&self) -> String {
        format!("{}{}{}", self.prefecture, self.city, self.street)
    }
}

/// One line of the member list; also the CLI's `members list` JSON shape (keep the keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberSummary {
    pub code: String,
    pub name: String,
    pub kana: String,
    pub postal_code: String,
    pub address1: String,
    pub address2: String,
    pub phone: String,
    pub mobile: String,
    pub email: String,
    pub birthday: Option<NaiveDate>,
    pub joined_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub status: MemberStatus,
    pub notes: String,
}

impl From<&Member> for MemberSummary {
    fn from(m: &Member) -> Self {
        MemberSummary {
            code: m.code.clone(),
            name: m.name.clone(),
            kana: m.kana.clone(),
            postal_code: m.postal_code.clone(),
            address1: m.address1(),
            address2: m.building.clone(),
            phone: m.phone.clone(),
            mobile: m.mobile.clone(),
            email: m.email.clone(),
            birthday: m.birthday,
            joined_on: m.joined_on,
            valid_until: m.valid_until,
            status: m.status,
            notes: m.notes.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusChange {
    pub status: MemberStatus,
    /// The day it takes effect (YYYY-MM-DD); empty: today.
    pub effective_on: String,
    pub reason: String,
    pub staff: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HistoryKind {
    Created,
    Updated,
    StatusChanged,
    /// Another member was merged into this one.
    Merged,
    /// This member was merged into another one.
    MergedAway,
}

impl HistoryKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            HistoryKind::Created => "created",
            HistoryKind::Updated => "updated",
            HistoryKind::StatusChanged => "status_changed",
            HistoryKind::Merged => "merged",
            HistoryKind::MergedAway => "merged_away",
        }
    }
    pub(crate) fn parse(s: &str) -> HistoryKind {
        match s {
            "created" => HistoryKind::Created,
            "status_changed" => HistoryKind::StatusChanged,
            "merged" => HistoryKind::Merged,
            "merged_away" => HistoryKind::MergedAway,
            _ => HistoryKind::Updated,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    /// When it was recorded (local time, YYYY-MM-DD HH:MM:SS).
    pub at: String,
    pub kind: HistoryKind,
    pub effective_on: Option<NaiveDate>,
    pub from_status: Option<MemberStatus>,
    pub to_status: Option<MemberStatus>,
    pub reason: String,
    pub staff: String,
    /// For edits: the changed fields, old → new.
    pub detail: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ContactInput {
    /// YYYY-MM-DD; empty: today.
    pub contacted_on: String,
    /// 電話 / メール / FAX / 手紙 / 来店 / その他
    pub channel: String,
    pub staff: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub contacted_on: NaiveDate,
    pub channel: String,
    pub staff: String,
    pub body: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct AddressInput {
    /// e.g. 「実家」「ギフト: 田中様」
    pub label: String,
    pub name: String,
    pub kana: String,
    pub postal_code: String,
    pub prefecture: String,
    pub city: String,
    pub street: String,
    pub building: String,
    pub phone: String,
}

/// An extra delivery address (gift recipient). Archived, never deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeliveryAddress {
    #[ts(type = "number")]
    pub id: i64,
    pub label: String,
    pub name: String,
    pub kana: String,
    pub postal_code: String,
    pub prefecture: String,
    pub city: String,
    pub street: String,
    pub building: String,
    pub phone: String,
    pub archived: bool,
}

/// Everything the member page shows.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberDetail {
    pub member: Member,
    pub history: Vec<HistoryEntry>,
    pub contacts: Vec<ContactEntry>,
    pub addresses: Vec<DeliveryAddress>,
}

/// A member form after checks and normalisation, ready to store, with its derived search keys.
/// The status and time stamps of `m` are not used: the store keeps those itself.
#[derive(Debug, Clone)]
pub(crate) struct CleanMember {
    pub m: Member,
    pub keys: MemberKeys,
}

impl CleanMember {
    /// A stored member as a clean form again (e.g. to put back the values an import replaced).
    pub(crate) fn from_stored(m: Member) -> CleanMember {
        let address = format!("{}{}{}{}", m.prefecture, m.city, m.street, m.building);
        let keys = MemberKeys::derive(
            &m.code, &m.name, &m.kana, &m.company, &m.department, &m.postal_code, &address, &m.phone, &m.mobile, &m.fax, &m.email,
        );
        CleanMember { m, keys }
    }
}

impl std::ops::Deref for CleanMember {
    type Target = Member;
    fn deref(&self) -> &Member {
        &self.m
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct MemberKeys {
    pub kana: String,
    pub name: String,
    pub phone: String,
    pub mobile: String,
    pub fax: String,
    pub email: String,
    pub search_text: String,
}

impl MemberKeys {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn derive(
        code: &str, name: &str, kana: &str, company: &str, department: &str, postal_code: &str,
        address: &str, phone: &str, mobile: &str, fax: &str, email: &str,
    ) -> MemberKeys {
        let name_key = normalize::search_key(name);
        let kana_key = normalize::search_key(kana);
        let email_key = email.to_lowercase();
        let phone = normalize::digits(phone);
        let mobile = normalize::digits(mobile);
        let fax = normalize::digits(fax);
        // One line per field: queries never contain a newline, so a match never spans two fields.
        let search_text = [
            normalize::search_key(code),
            name_key.clone(),
            kana_key.clone(),
            normalize::search_key(company),
            normalize::search_key(department),
            phone.clone(),
            mobile.clone(),
            fax.clone(),
            postal_code.replace('-', ""),
            email_key.clone(),
            normalize::search_key(address),
        ]
        .join("\n");
        MemberKeys { kana: kana_key, name: name_key, phone, mobile, fax, email: email_key, search_text }
    }
}

fn text(s: &str) -> String {
    normalize::tidy(s)
}

/// A member code typed by hand: NFKC, then letters, digits, `-` and `_`, up to 20 characters.
pub fn clean_code(s: &str) -> Result<String> {
    let c = normalize::nfkc(s).trim().to_string();
    if c.is_empty() || c.chars().count() > 20 || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
        return Err(CoreError::field("code", format!("会員番号は英数字・ハイフン20文字までで入力してください（入力: {c}）")));
    }
    Ok(c)
}

/// Checks and normalises a member form; reports every bad field at once.
pub(crate) fn clean(input: &MemberInput, code: String, today: NaiveDate) -> Result<CleanMember> {
    let mut p = Problems::default();
    let name = text(&input.name);
    if name.is_empty() {
        p.add("name", "氏名（会社名）を入力してください");
    }
    let kana = normalize::kana(&input.kana);
    if !kana.is_empty() {
        p.check(normalize::validate_kana(&kana));
    }
    let postal_code = p.check(normalize::postal_code(&input.postal_code)).unwrap_or_default();
    let (phone, _) = p.check(normalize::phone("phone", "電話番号", &input.phone)).unwrap_or_default();
    let (mobile, _) = p.check(normalize::phone("mobile", "携帯電話", &input.mobile)).unwrap_or_default();
    let (fax, _) = p.check(normalize::phone("fax", "FAX番号", &input.fax)).unwrap_or_default();
    let email = p.check(normalize::email(&input.email)).unwrap_or_default();
    let birthday = p.check(normalize::date("birthday", "生年月日", &input.birthday)).flatten();
    if birthday.is_some_and(|b| b > today) {
        p.add("birthday", "生年月日が未来の日付になっています");
    }
    let joined_on = p.check(normalize::date("joined_on", "入会日", &input.joined_on)).flatten().unwrap_or(today);
    let valid_until = p.check(normalize::date("valid_until", "有効期限", &input.valid_until)).flatten();
    if valid_until.is_some_and(|v| v < joined_on) {
        p.add("valid_until", "有効期限が入会日より前になっています");
    }
    let company = text(&input.company);
    if input.kind == MemberKind::Company && company.is_empty() && name.is_empty() {
        p.add("company", "法人の場合は会社名を入力してください");
    }
    let mut tags: Vec<String> = input.tags.iter().map(|t| text(t)).filter(|t| !t.is_empty()).collect();
    tags.sort();
    tags.dedup();
    p.finish()?;
    let department = text(&input.department);
    let (prefecture, city, street, building) =
        (text(&input.prefecture), text(&input.city), text(&input.street), text(&input.building));
    let address = format!("{prefecture}{city}{street}{building}");
    let keys = MemberKeys::derive(
        &code, &name, &kana, &company, &department, &postal_code, &address, &phone, &mobile, &fax, &email,
    );
    let m = Member {
        code,
        kind: input.kind,
        name,
        kana,
        company,
        department,
        postal_code,
        prefecture,
        city,
        street,
        building,
        phone,
        mobile,
        fax,
        email,
        birthday,
        gender: input.gender,
        joined_on,
        valid_until,
        status: MemberStatus::Active,
        status_since: None,
        dm_opt_out: input.dm_opt_out,
        notes: input.notes.trim_end().to_string(),
        tags,
        merged_into: None,
        created_at: String::new(),
        updated_at: String::new(),
        mail_returned: false,
    };
    Ok(CleanMember { m, keys })
}

/// The edits between a stored member and its new form, as 「項目: 旧 → 新」 lines for the history.
pub(crate) fn describe_changes(old: &Member, new: &Member) -> String {
    fn d(v: &Option<NaiveDate>) -> String {
        v.map(|d| d.to_string()).unwrap_or_default()
    }
    let pairs: Vec<(&str, String, String)> = vec![
        ("種別", old.kind.as_str().into(), new.kind.as_str().into()),
        ("氏名", old.name.clone(), new.name.clone()),
        ("フリガナ", old.kana.clone(), new.kana.clone()),
        ("会社名", old.company.clone(), new.company.clone()),
        ("部署", old.department.clone(), new.department.clone()),
        ("郵便番号", old.postal_code.clone(), new.postal_code.clone()),
        ("都道府県", old.prefecture.clone(), new.prefecture.clone()),
        ("市区町村", old.city.clone(), new.city.clone()),
        ("町域・番地", old.street.clone(), new.street.clone()),
        ("建物名", old.building.clone(), new.building.clone()),
        ("電話番号", old.phone.clone(), new.phone.clone()),
        ("携帯電話", old.mobile.clone(), new.mobile.clone()),
        ("FAX", old.fax.clone(), new.fax.clone()),
        ("メール", old.email.clone(), new.email.clone()),
        ("生年月日", d(&old.birthday), d(&new.birthday)),
        ("性別", old.gender.map(|g| g.as_str()).unwrap_or("").into(), new.gender.map(|g| g.as_str()).unwrap_or("").into()),
        ("入会日", old.joined_on.to_string(), new.joined_on.to_string()),
        ("有効期限", d(&old.valid_until), d(&new.valid_until)),
        ("DM不要", old.dm_opt_out.to_string(), new.dm_opt_out.to_string()),
        ("タグ", old.tags.join("、"), new.tags.join("、")),
    ];
    let mut lines: Vec<String> = pairs
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(label, a, b)| format!("{label}: {} → {}", if a.is_empty() { "（なし）" } else { &a }, if b.is_empty() { "（なし）" } else { &b }))
        .collect();
    if old.notes != new.notes {
        lines.push("カルテを更新".into());
    }
    lines.join("\n")
}

pub(crate) use crate::clock::today;

impl Db {
    /// The next free automatic member code.
    pub fn next_member_code(&self) -> Result<String> {
        let fmt = self.shop_settings()?.member_code;
        let max = self.max_member_number(&fmt)?;
        Ok(fmt.format(max + 1))
    }

    pub fn create_member(&mut self, input: &MemberInput, staff: &str) -> Result<Member> {
        let code = if input.code.trim().is_empty() { self.next_member_code()? } else { clean_code(&input.code)? };
        let clean = clean(input, code, today())?;
        if self.member_id(&clean.code)?.is_some() {
            return Err(CoreError::conflict("code", format!("会員番号 {} はすでに使われています", clean.code)));
        }
        let id = self.write_as(staff, |tx| {
            let id = crate::store::members::insert(tx, &clean, &now_stamp())?;
            crate::store::members::add_history(tx, id, HistoryKind::Created, None, None, None, "", &text(staff), "")?;
            Ok(id)
        })?;
        self.search_refresh(id)?;
        self.member(&clean.code)
    }

    /// Saves an edited member and records which fields changed. The code never changes.
    pub fn update_member(&mut self, code: &str, input: &MemberInput, staff: &str) -> Result<Member> {
        let (id, old) = self.member_with_id(code)?;
        let clean = clean(input, old.code.clone(), today())?;
        let detail = describe_changes(&old, &clean);
        if detail.is_empty() {
            return Ok(old);
        }
        self.write_as(staff, |tx| {
            crate::store::members::update(tx, id, &clean, &now_stamp())?;
            crate::store::members::add_history(tx, id, HistoryKind::Updated, None, None, None, "", &text(staff), &detail)
        })?;
        self.search_refresh(id)?;
        self.member(code)
    }

    /// Suspends, withdraws or reactivates a member; the change is kept in the history with its
    /// effective date and reason. Nothing is deleted.
    pub fn change_member_status(&mut self, code: &str, change: &StatusChange) -> Result<Member> {
        let (id, m) = self.member_with_id(code)?;
        if m.merged_into.is_some() {
            return Err(CoreError::new(ErrorCode::Conflict, format!("会員 {code} は名寄せで統合済みのため変更できません")));
        }
        let mut p = Problems::default();
        if change.status == m.status {
            p.add("status", format!("すでに「{}」です", m.status.label()));
        }
        let effective = p.check(normalize::date("effective_on", "適用日", &change.effective_on)).flatten().unwrap_or_else(today);
        if effective < m.joined_on {
            p.add("effective_on", format!("適用日が入会日（{}）より前です", m.joined_on));
        }
        let reason = text(&change.reason);
        if change.status != MemberStatus::Active && reason.is_empty() {
            p.add("reason", format!("{}の理由を入力してください", change.status.label()));
        }
        p.finish()?;
        self.write_as(&change.staff, |tx| {
            let now = now_stamp();
            crate::store::members::set_status(tx, id, change.status, effective, &now)?;
            crate::subscriptions::follow_member_status(tx, id, change.status, effective, &text(&change.staff), &now)?;
            crate::store::members::add_history(
                tx, id, HistoryKind::StatusChanged, Some(effective), Some(m.status), Some(change.status),
                &reason, &text(&change.staff), "",
            )
        })?;
        self.search_refresh(id)?;
        self.member(code)
    }

    /// Marks (or clears) 宛先不明 after the post office returned mail; kept in the history.
    pub fn set_mail_returned(&mut self, code: &str, returned: bool, staff: &str) -> Result<Member> {
        let (id, m) = self.member_with_id(code)?;
        if m.mail_returned == returned {
            return Ok(m);
        }
        self.write_as(staff, |tx| {
            let now = now_stamp();
            crate::store::members::set_mail_returned(tx, id, returned, &now)?;
            let detail = if returned { "宛先不明: 返送あり" } else { "宛先不明: 解除" };
            crate::store::members::add_history(tx, id, HistoryKind::Updated, None, None, None, "", &text(staff), detail)
        })?;
        self.member(code)
    }

    pub fn member(&self, code: &str) -> Result<Member> {
        Ok(self.member_with_id(code)?.1)
    }

    pub(crate) fn member_with_id(&self, code: &str) -> Result<(i64, Member)> {
        let code = normalize::nfkc(code).trim().to_string();
        crate::store::members::by_code(&self.conn, &code)?
            .ok_or_else(|| CoreError::not_found(format!("会員番号 {code} の会員は見つかりません")))
    }

    pub fn member_detail(&self, code: &str) -> Result<MemberDetail> {
        let (id, member) = self.member_with_id(code)?;
        Ok(MemberDetail {
            history: crate::store::members::history(&self.conn, id)?,
            contacts: crate::store::members::contacts(&self.conn, id)?,
            addresses: crate::store::members::addresses(&self.conn, id)?,
            member,
        })
    }

    pub fn add_contact(&mut self, code: &str, input: &ContactInput) -> Result<ContactEntry> {
        let (id, _) = self.member_with_id(code)?;
        let mut p = Problems::default();
        let on = p.check(normalize::date("contacted_on", "対応日", &input.contacted_on)).flatten().unwrap_or_else(today);
        let body = input.body.trim().to_string();
        if body.is_empty() {
            p.add("body", "対応内容を入力してください");
        }
        let channel = text(&input.channel);
        if channel.is_empty() {
            p.add("channel", "対応の手段（電話・メールなど）を選んでください");
        }
        p.finish()?;
        let cid = self.write_as(&input.staff, |tx| crate::store::members::add_contact(tx, id, on, &channel, &text(&input.staff), &body, &now_stamp()))?;
        crate::store::members::contacts(&self.conn, id)?
            .into_iter()
            .find(|c| c.id == cid)
            .ok_or_else(|| CoreError::not_found("対応履歴が見つかりません"))
    }

    fn clean_address(input: &AddressInput) -> Result<AddressInput> {
        let mut p = Problems::default();
        let name = text(&input.name);
        if name.is_empty() {
            p.add("name", "お届け先の氏名を入力してください");
        }
        let kana = normalize::kana(&input.kana);
        if !kana.is_empty() {
            p.check(normalize::validate_kana(&kana));
        }
        let postal_code = p.check(normalize::postal_code(&input.postal_code)).unwrap_or_default();
        if postal_code.is_empty() && input.postal_code.trim().is_empty() {
            p.add("postal_code", "お届け先の郵便番号を入力してください");
        }
        if text(&input.street).is_empty() && text(&input.city).is_empty() {
            p.add("street", "お届け先の住所を入力してください");
        }
        let (phone, _) = p.check(normalize::phone("phone", "電話番号", &input.phone)).unwrap_or_default();
        p.finish()?;
        Ok(AddressInput {
            label: text(&input.label),
            name,
            kana,
            postal_code,
            prefecture: text(&input.prefecture),
            city: text(&input.city),
            street: text(&input.street),
            building: text(&input.building),
            phone,
        })
    }

    pub fn add_address(&mut self, code: &str, input: &AddressInput) -> Result<DeliveryAddress> {
        let (id, _) = self.member_with_id(code)?;
        let a = Self::clean_address(input)?;
        let aid = self.write(|tx| crate::store::members::add_address(tx, id, &a, &now_stamp()))?;
        self.address(aid)
    }

    pub fn update_address(&mut self, address_id: i64, input: &AddressInput) -> Result<DeliveryAddress> {
        self.address(address_id)?;
        let a = Self::clean_address(input)?;
        self.write(|tx| crate::store::members::update_address(tx, address_id, &a))?;
        self.address(address_id)
    }

    /// Hides an address from pickers (or brings it back); it stays on file.
    pub fn archive_address(&mut self, address_id: i64, archived: bool) -> Result<DeliveryAddress> {
        self.address(address_id)?;
        self.write(|tx| crate::store::members::archive_address(tx, address_id, archived))?;
        self.address(address_id)
    }

    fn address(&self, address_id: i64) -> Result<DeliveryAddress> {
        crate::store::members::address(&self.conn, address_id)?
            .ok_or_else(|| CoreError::not_found(format!("お届け先 {address_id} は見つかりません")))
    }

    /// Counts per status (merged records excluded), for the list's filter tabs.
    pub fn member_counts(&self) -> Result<Vec<(MemberStatus, u64)>> {
        crate::store::members::counts(&self.conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taro() -> MemberInput {
        MemberInput {
            name: "山田 太郎".into(),
            kana: "ﾔﾏﾀﾞ ﾀﾛｳ".into(),
            postal_code: "〒100-0005".into(),
            prefecture: "東京都".into(),
            city: "千代田区".into(),
            street: "丸の内1-1-1".into(),
            phone: "03-1234-5678".into(),
            email: "taro@example.jp".into(),
            joined_on: "2024-04-01".into(),
            tags: vec!["会報誌".into(), "会報誌".into()],
            ..Default::default()
        }
    }

    #[test]
    fn create_normalises_and_numbers() {
        let mut db = Db::open_in_memory().unwrap();
        let m = db.create_member(&taro(), "佐藤").unwrap();
        assert_eq!(m.code, "000001");
        assert_eq!(m.kana, "ヤマダ タロウ");
        assert_eq!(m.postal_code, "100-0005");
        assert_eq!(m.tags, ["会報誌"]);
        assert_eq!(m.status, MemberStatus::Active);
        assert_eq!(db.create_member(&taro(), "").unwrap().code, "000002");
        let given = MemberInput { code: "A-77".into(), ..taro() };
        assert_eq!(db.create_member(&given, "").unwrap().code, "A-77");
        let e = db.create_member(&given, "").unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::Conflict, Some("code")));
    }

    #[test]
    fn typed_text_is_kept_for_printing() {
        let mut db = Db::open_in_memory().unwrap();
        let m = db.create_member(&MemberInput { name: "髙橋 ①子".into(), ..taro() }, "").unwrap();
        assert_eq!(m.name, "髙橋 ①子");
    }

    #[test]
    fn every_bad_field_is_reported_and_nothing_written() {
        let mut db = Db::open_in_memory().unwrap();
        let bad = MemberInput {
            name: " ".into(),
            kana: "山田".into(),
            phone: "3-1234-5678".into(),
            email: "taro@".into(),
            birthday: "2001-02-30".into(),
            ..taro()
        };
        let e = db.create_member(&bad, "").unwrap_err();
        let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "kana", "phone", "email", "birthday"]);
        assert!(db.member_counts().unwrap().iter().all(|(_, n)| *n == 0));
    }

    #[test]
    fn status_changes_are_kept_as_history() {
        let mut db = Db::open_in_memory().unwrap();
        let m = db.create_member(&taro(), "佐藤").unwrap();
        let no_reason = StatusChange { status: MemberStatus::Suspended, effective_on: "2025-01-10".into(), reason: "".into(), staff: "佐藤".into() };
        assert_eq!(db.change_member_status(&m.code, &no_reason).unwrap_err().field.as_deref(), Some("reason"));
        let s = db
            .change_member_status(&m.code, &StatusChange { reason: "長期入院のため".into(), ..no_reason.clone() })
            .unwrap();
        assert_eq!(s.status, MemberStatus::Suspended);
        assert_eq!(s.status_since, NaiveDate::from_ymd_opt(2025, 1, 10));
        let w = StatusChange { status: MemberStatus::Withdrawn, effective_on: "2025-03-31".into(), reason: "転居".into(), staff: "鈴木".into() };
        db.change_member_status(&m.code, &w).unwrap();
        let d = db.member_detail(&m.code).unwrap();
        // Newest first, as the member page shows it.
        let changes: Vec<_> = d
            .history
            .iter()
            .rev()
            .filter(|h| h.kind == HistoryKind::StatusChanged)
            .map(|h| (h.from_status.unwrap(), h.to_status.unwrap(), h.reason.as_str()))
            .collect();
        assert_eq!(
            changes,
            [(MemberStatus::Active, MemberStatus::Suspended, "長期入院のため"), (MemberStatus::Suspended, MemberStatus::Withdrawn, "転居")]
        );
        assert_eq!(d.member.status, MemberStatus::Withdrawn);
    }

    #[test]
    fn edits_record_the_changed_fields() {
        let mut db = Db::open_in_memory().unwrap();
        let m = db.create_member(&taro(), "").unwrap();
        let same = db.update_member(&m.code, &taro(), "佐藤").unwrap();
        assert_eq!(same, m);
        db.update_member(&m.code, &MemberInput { phone: "090-1111-2222".into(), ..taro() }, "佐藤").unwrap();
        let h = db.member_detail(&m.code).unwrap().history;
        let last = h.iter().find(|h| h.kind == HistoryKind::Updated).unwrap();
        assert_eq!(last.detail, "電話番号: 03-1234-5678 → 090-1111-2222");
        assert_eq!(last.staff, "佐藤");
    }

    #[test]
    fn contacts_and_addresses() {
        let mut db = Db::open_in_memory().unwrap();
        let m = db.create_member(&taro(), "").unwrap();
        let c = db
            .add_contact(&m.code, &ContactInput { contacted_on: "2025-05-01".into(), channel: "電話".into(), staff: "佐藤".into(), body: "配送日の変更希望".into() })
            .unwrap();
        assert_eq!(c.channel, "電話");
        assert!(db.add_contact(&m.code, &ContactInput::default()).is_err());
        let a = db
            .add_address(&m.code, &AddressInput { label: "ギフト".into(), name: "田中 花子".into(), postal_code: "5300001".into(), prefecture: "大阪府".into(), city: "大阪市北区".into(), street: "梅田1-1".into(), ..Default::default() })
            .unwrap();
        assert_eq!(a.postal_code, "530-0001");
        let archived = db.archive_address(a.id, true).unwrap();
        assert!(archived.archived);
        let d = db.member_detail(&m.code).unwrap();
        assert_eq!((d.contacts.len(), d.addresses.len()), (1, 1));
    }
}
