//! 名寄せ: likely pairs of records of one person (same phone, same kana and postal code, same
//! e-mail), and the merge that moves everything onto the record the staff keep.
use super::{HistoryKind, Member, MemberSummary};
use crate::error::{CoreError, ErrorCode, Result};
use crate::store::{members as sql, now_stamp, Db};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DuplicateReason {
    SamePhone,
    SameMobile,
    SameKanaAndPostalCode,
    SameEmail,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DuplicatePair {
    pub a: MemberSummary,
    pub b: MemberSummary,
    pub reasons: Vec<DuplicateReason>,
}

impl Db {
    /// Likely duplicates, the pairs with most reasons first, then by code.
    pub fn duplicate_candidates(&self) -> Result<Vec<DuplicatePair>> {
        let mut pairs: BTreeMap<(i64, i64), Vec<DuplicateReason>> = BTreeMap::new();
        for (a, b, why) in sql::duplicate_pairs(&self.conn)? {
            let reason = match why {
                "phone" => DuplicateReason::SamePhone,
                "mobile" => DuplicateReason::SameMobile,
                "kana_postal" => DuplicateReason::SameKanaAndPostalCode,
                _ => DuplicateReason::SameEmail,
            };
            pairs.entry((a, b)).or_default().push(reason);
        }
        let mut out = Vec::with_capacity(pairs.len());
        for ((a, b), mut reasons) in pairs {
            reasons.sort();
            let (Some(a), Some(b)) = (sql::summary_by_id(&self.conn, a)?, sql::summary_by_id(&self.conn, b)?) else { continue };
            out.push(DuplicatePair { a, b, reasons });
        }
        out.sort_by(|x, y| y.reasons.len().cmp(&x.reasons.len()).then_with(|| x.a.code.cmp(&y.a.code)));
        Ok(out)
    }

    /// Merges `absorbed` into `kept`: history, contact log, delivery addresses and tags move to
    /// `kept`, blank fields of `kept` are filled from `absorbed`, notes are joined. `absorbed`
    /// stays on file marked as merged, and both histories say so.
    pub fn merge_members(&mut self, kept: &str, absorbed: &str, staff: &str) -> Result<Member> {
        let (kid, k) = self.member_with_id(kept)?;
        let (aid, a) = self.member_with_id(absorbed)?;
        if kid == aid {
            return Err(CoreError::new(ErrorCode::Validation, "同じ会員どうしは統合できません"));
        }
        if let Some(into) = a.merged_into.as_ref().or(k.merged_into.as_ref()) {
            return Err(CoreError::new(ErrorCode::Conflict, format!("すでに会員 {into} に統合済みの会員は統合できません")));
        }
        let mut input = super::MemberInput {
            code: k.code.clone(),
            kind: k.kind,
            name: k.name.clone(),
            kana: or(&k.kana, &a.kana),
            company: or(&k.company, &a.company),
            department: or(&k.department, &a.department),
            postal_code: k.postal_code.clone(),
            prefecture: k.prefecture.clone(),
            city: k.city.clone(),
            street: k.street.clone(),
            building: k.building.clone(),
            phone: or(&k.phone, &a.phone),
            mobile: or(&k.mobile, &a.mobile),
            fax: or(&k.fax, &a.fax),
            email: or(&k.email, &a.email),
            birthday: k.birthday.or(a.birthday).map(|d| d.to_string()).unwrap_or_default(),
            gender: k.gender.or(a.gender),
            joined_on: k.joined_on.min(a.joined_on).to_string(),
            valid_until: k.valid_until.max(a.valid_until).map(|d| d.to_string()).unwrap_or_default(),
            dm_opt_out: k.dm_opt_out || a.dm_opt_out,
            notes: match (k.notes.is_empty(), a.notes.is_empty()) {
                (_, true) => k.notes.clone(),
                (true, false) => a.notes.clone(),
                (false, false) => format!("{}\n--- 会員 {} から統合 ---\n{}", k.notes, a.code, a.notes),
            },
            tags: k.tags.iter().chain(a.tags.iter()).cloned().collect(),
        };
        if k.postal_code.is_empty() && k.street.is_empty() {
            input.postal_code = a.postal_code.clone();
            input.prefecture = a.prefecture.clone();
            input.city = a.city.clone();
            input.street = a.street.clone();
            input.building = a.building.clone();
        }
        let clean = super::clean(&input, k.code.clone(), super::today())?;
        let staff = super::text(staff);
        self.write_as(&staff, |tx| {
            let now = now_stamp();
            sql::merge(tx, kid, aid, &now)?;
            sql::update(tx, kid, &clean, &now)?;
            let detail = format!("会員 {}（{}）を統合", a.code, a.name);
            sql::add_history(tx, kid, HistoryKind::Merged, None, None, None, "名寄せ", &staff, &detail)?;
            let away = format!("会員 {}（{}）へ統合", k.code, k.name);
            sql::add_history(tx, aid, HistoryKind::MergedAway, None, None, None, "名寄せ", &staff, &away)
        })?;
        self.search_refresh(kid)?;
        self.search_refresh(aid)?;
        self.member(kept)
    }
}

fn or(a: &str, b: &str) -> String {
    if a.is_empty() { b.to_string() } else { a.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::{ContactInput, MemberInput};
    use crate::members::search::SearchQuery;

    fn input(code: &str, kana: &str, phone: &str, email: &str) -> MemberInput {
        MemberInput {
            code: code.into(),
            name: "鈴木 一郎".into(),
            kana: kana.into(),
            phone: phone.into(),
            email: email.into(),
            postal_code: "980-0021".into(),
            ..Default::default()
        }
    }

    #[test]
    fn finds_pairs_and_merges_everything() {
        let mut db = Db::open_in_memory().unwrap();
        db.create_member(&input("1", "スズキ イチロウ", "022-111-2222", ""), "").unwrap();
        db.create_member(&MemberInput { notes: "旧カルテ".into(), tags: vec!["会報誌".into()], ..input("2", "ｽｽﾞｷ ｲﾁﾛｳ", "", "ichiro@example.jp") }, "").unwrap();
        db.create_member(&input("3", "サトウ ハナコ", "022-111-2222", "ichiro@example.jp"), "").unwrap();
        db.create_member(&input("4", "タカハシ", "", ""), "").unwrap();
        let pairs = db.duplicate_candidates().unwrap();
        let found: Vec<_> = pairs.iter().map(|p| (p.a.code.as_str(), p.b.code.as_str(), p.reasons.clone())).collect();
        assert_eq!(
            found,
            [
                ("1", "2", vec![DuplicateReason::SameKanaAndPostalCode]),
                ("1", "3", vec![DuplicateReason::SamePhone]),
                ("2", "3", vec![DuplicateReason::SameEmail]),
            ]
        );
        db.add_contact("2", &ContactInput { channel: "電話".into(), body: "住所変更の連絡".into(), ..Default::default() }).unwrap();
        let kept = db.merge_members("1", "2", "佐藤").unwrap();
        assert_eq!(kept.email, "ichiro@example.jp");
        assert_eq!(kept.tags, ["会報誌"]);
        assert_eq!(kept.notes, "旧カルテ");
        let d = db.member_detail("1").unwrap();
        assert_eq!(d.contacts.len(), 1);
        assert!(d.history.iter().any(|h| h.kind == HistoryKind::Merged && h.detail.contains("会員 2")));
        // The absorbed record stays on file, marked, and leaves the list and the candidates.
        assert_eq!(db.member("2").unwrap().merged_into.as_deref(), Some("1"));
        let all = db.search_members(&SearchQuery::default()).unwrap();
        assert_eq!(all.total, 3);
        assert!(db.duplicate_candidates().unwrap().iter().all(|p| p.a.code != "2" && p.b.code != "2"));
        assert!(db.merge_members("1", "2", "").is_err());
    }
}
