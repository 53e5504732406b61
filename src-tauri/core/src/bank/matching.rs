//! Matching a deposit to a member and open invoices, with the reason in words staff use.
//!
//! Who paid: a member code written in the remitter name (or the remitter code), a remitter name
//! staff confirmed before for a member (learned), or the member's kana equal to the remitter
//! name after the bank's folding (small kana, legal-entity marks, spaces). What it pays: one
//! open invoice, or the oldest several together, to the yen; or that short by one of the shop's
//! transfer fees; or more than everything open (the rest is credit); or less (oldest first).
//!
//! Only one exact fit, found the strongest way, is applied without a person: whenever two
//! members or two invoice sets fit equally, the deposit waits for staff.
use crate::receivables::{settle, OpenInvoice};
use crate::tax::yen;
use crate::zengin::name_key;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// How a member was found for a deposit, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Found {
    /// 会員番号 in the remitter name or code.
    Code,
    /// A remitter name confirmed before.
    Learned,
    /// フリガナ equal to the remitter name.
    Kana,
    /// Chosen by staff.
    Staff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Fit {
    /// The amount is one open invoice, or the oldest several, to the yen.
    Exact,
    /// Short by one of the shop's transfer fees.
    Fee,
    /// More than all that is open: the rest becomes credit.
    Over,
    /// Less than what is open: the oldest first, the last one partly.
    Partial,
}

/// One way to book a deposit: the member, the invoices it settles and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Candidate {
    #[serde(skip)]
    #[ts(skip)]
    pub member_id: i64,
    pub member: String,
    pub member_name: String,
    pub invoices: Vec<String>,
    #[serde(skip)]
    #[ts(skip)]
    pub invoice_ids: Vec<i64>,
    /// What each invoice gets, in the order of `invoices`.
    #[ts(type = "number[]")]
    pub amounts: Vec<i64>,
    #[ts(type = "number")]
    pub fee: i64,
    #[ts(type = "number")]
    pub credit: i64,
    pub found: Found,
    pub fit: Fit,
    pub reason: String,
}

pub(crate) struct MemberEntry {
    pub code: String,
    pub name: String,
    pub open: Vec<OpenInvoice>,
}

/// Everything the matcher knows, loaded once per import and kept up to date as deposits in
/// the same file are applied (a member who pays twice finds the invoice already settled).
pub(crate) struct Book {
    pub members: HashMap<i64, MemberEntry>,
    by_code: HashMap<String, i64>,
    by_number: HashMap<u64, i64>,
    by_kana: HashMap<String, Vec<i64>>,
    learned: HashMap<String, Vec<i64>>,
    fees: Vec<i64>,
    auto_fee: bool,
}

pub(crate) enum Outcome {
    Auto(Candidate),
    /// Candidates best first; the note says why a person must decide.
    Suggested(Vec<Candidate>, String),
    Unmatched,
}

/// The part of a remitter name that is a name: tokens with digits (codes, phone numbers) left out.
pub fn remitter_key(remitter: &str) -> String {
    let name: Vec<&str> = remitter.split(' ').filter(|t| !t.chars().any(|c| c.is_ascii_digit())).collect();
    name_key(&name.join(" "))
}

impl Book {
    /// `members`: (id, code, name, kana); `open`: open invoices, oldest first per member;
    /// `learned`: (name key, member id); `number_of`: the number inside a code of the shop's format.
    pub fn new(
        members: Vec<(i64, String, String, String)>,
        open: Vec<OpenInvoice>,
        learned: Vec<(String, i64)>,
        fees: Vec<i64>,
        auto_fee: bool,
        number_of: impl Fn(&str) -> Option<u64>,
    ) -> Book {
        let mut b = Book { members: HashMap::with_capacity(members.len()), by_code: HashMap::new(), by_number: HashMap::new(), by_kana: HashMap::new(), learned: HashMap::new(), fees, auto_fee };
        for (id, code, name, kana) in members {
            b.by_code.insert(code.to_uppercase(), id);
            if let Some(n) = number_of(&code).or_else(|| code.parse().ok()) {
                b.by_number.insert(n, id);
            }
            let key = name_key(&kana);
            if !key.is_empty() {
                b.by_kana.entry(key).or_default().push(id);
            }
            b.members.insert(id, MemberEntry { code, name, open: Vec::new() });
        }
        for o in open {
            if let Some(m) = b.members.get_mut(&o.member_id) {
                m.open.push(o);
            }
        }
        for (key, id) in learned {
            b.learned.entry(key).or_default().push(id);
        }
        b
    }

    /// Who the deposit may be from, each member once with the strongest way found.
    fn who(&self, remitter: &str, remitter_code: &str) -> Vec<(i64, Found)> {
        let mut found: Vec<(i64, Found)> = Vec::new();
        let mut add = |id: i64, how: Found| match found.iter_mut().find(|f| f.0 == id) {
            Some(f) => f.1 = f.1.min(how),
            None => found.push((id, how)),
        };
        let tokens = remitter.split(|c: char| !c.is_ascii_alphanumeric() && c != '-').chain([remitter_code.trim()]);
        // A code as written (M12), or its number alone when it has 3 digits or more (12 could be anything).
        for t in tokens.filter(|t| t.len() >= 2 && t.chars().any(|c| c.is_ascii_digit())) {
            let by_number = (t.len() >= 3 && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse::<u64>().ok()).flatten().filter(|n| *n > 0).and_then(|n| self.by_number.get(&n));
            if let Some(id) = self.by_code.get(&t.to_uppercase()).or(by_number) {
                add(*id, Found::Code);
            }
        }
        let key = remitter_key(remitter);
        if !key.is_empty() {
            for id in self.learned.get(&key).into_iter().flatten() {
                add(*id, Found::Learned);
            }
            for id in self.by_kana.get(&key).into_iter().flatten() {
                add(*id, Found::Kana);
            }
        }
        found.sort_by_key(|f| f.1);
        found
    }

    fn candidate(&self, id: i64, found: Found, fit: Fit, set: &[usize], amount: i64, fee: i64) -> Candidate {
        let m = &self.members[&id];
        let balances: Vec<i64> = set.iter().map(|i| m.open[*i].balance).collect();
        let s = settle(&balances, amount + fee, &[]);
        let who = match found {
            Found::Code => format!("振込依頼人に会員番号 {} があります", m.code),
            Found::Learned => format!("以前に会員 {} の入金と確認した振込依頼人名です", m.code),
            Found::Kana => format!("振込依頼人名が会員 {} のフリガナと一致します", m.code),
            Found::Staff => format!("会員 {} を担当者が選びました", m.code),
        };
        let what = match fit {
            Fit::Exact if set.len() == 1 => format!("金額が請求書 {} の残高 {} と一致します", m.open[set[0]].number, yen(balances[0])),
            Fit::Exact => format!("金額が古い順の請求書 {} 件の合計 {} と一致します", set.len(), yen(balances.iter().sum())),
            Fit::Fee => format!("請求 {} から振込手数料 {} を差し引いた金額です（手数料は当店負担として消し込みます）", yen(balances.iter().sum()), yen(fee)),
            Fit::Over if set.is_empty() => format!("未払いの請求がありません（{} を前受金として預かります）", yen(s.credit)),
            Fit::Over => format!("未払いの合計 {} より {} 多い入金です（差額は前受金）", yen(balances.iter().sum()), yen(s.credit)),
            Fit::Partial => format!("未払いの合計 {} に足りない入金です（古い請求から一部入金）", yen(balances.iter().sum())),
        };
        Candidate {
            member_id: id,
            member: m.code.clone(),
            member_name: m.name.clone(),
            invoices: s.parts.iter().map(|(i, _)| m.open[set[*i]].number.clone()).collect(),
            invoice_ids: s.parts.iter().map(|(i, _)| m.open[set[*i]].id).collect(),
            amounts: s.parts.iter().map(|p| p.1).collect(),
            fee,
            credit: s.credit,
            found,
            fit,
            reason: format!("{who}。{what}"),
        }
    }

    /// The invoice sets of a member that `amount` pays to the yen: single invoices, and the
    /// oldest k together.
    fn exact_sets(open: &[OpenInvoice], amount: i64) -> Vec<Vec<usize>> {
        let mut sets: Vec<Vec<usize>> = open.iter().enumerate().filter(|(_, o)| o.balance == amount).map(|(i, _)| vec![i]).collect();
        let mut sum = 0;
        for (k, o) in open.iter().enumerate() {
            sum += o.balance;
            if sum > amount {
                break;
            }
            if k >= 1 && sum == amount {
                sets.push((0..=k).collect());
            }
        }
        sets
    }

    pub fn decide(&self, remitter: &str, remitter_code: &str, amount: i64) -> Outcome {
        let who = self.who(remitter, remitter_code);
        if who.is_empty() {
            return Outcome::Unmatched;
        }
        let mut exact = Vec::new();
        let mut fee = Vec::new();
        for &(id, found) in &who {
            let open = &self.members[&id].open;
            exact.extend(Self::exact_sets(open, amount).iter().map(|s| self.candidate(id, found, Fit::Exact, s, amount, 0)));
            for f in &self.fees {
                fee.extend(Self::exact_sets(open, amount + f).iter().map(|s| self.candidate(id, found, Fit::Fee, s, amount, *f)));
            }
        }
        let strongest = |list: &[Candidate]| -> Vec<Candidate> {
            let best = list.iter().map(|c| c.found).min();
            list.iter().filter(|c| Some(c.found) == best).cloned().collect()
        };
        let best = strongest(&exact);
        if best.len() == 1 {
            return Outcome::Auto(best.into_iter().next().expect("one"));
        }
        if !exact.is_empty() {
            return Outcome::Suggested(exact, "同じように当てはまる会員または請求の組み合わせが複数あるため、自動では消し込みません".into());
        }
        let best = strongest(&fee);
        if best.len() == 1 && self.auto_fee {
            return Outcome::Auto(best.into_iter().next().expect("one"));
        }
        let mut list = fee;
        for &(id, found) in &who {
            let open = &self.members[&id].open;
            let all: Vec<usize> = (0..open.len()).collect();
            let total: i64 = open.iter().map(|o| o.balance).sum();
            if amount > total {
                list.push(self.candidate(id, found, Fit::Over, &all, amount, 0));
            } else if !list.iter().any(|c| c.member == self.members[&id].code) {
                list.push(self.candidate(id, found, Fit::Partial, &all, amount, 0));
            }
        }
        let note = match (list.first().map(|c| c.fit), who.len()) {
            (_, n) if n > 1 => "当てはまる会員が複数います。確認してください",
            (Some(Fit::Fee), _) => "振込手数料を差し引いた入金です。確認して消し込んでください",
            (Some(Fit::Over), _) => "請求より多い入金です。確認して消し込んでください（差額は前受金）",
            _ => "請求額と合いません。確認して消し込んでください",
        };
        Outcome::Suggested(list, note.into())
    }

    /// Books `c` in memory so later deposits of the same file see what is left.
    pub fn apply(&mut self, c: &Candidate) {
        let Some(m) = self.members.get_mut(&c.member_id) else { return };
        for (n, a) in c.invoices.iter().zip(&c.amounts) {
            if let Some(o) = m.open.iter_mut().find(|o| &o.number == n) {
                o.balance -= a;
            }
        }
        m.open.retain(|o| o.balance > 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn inv(id: i64, member: i64, number: &str, day: u32, balance: i64) -> OpenInvoice {
        let d = NaiveDate::from_ymd_opt(2026, 10, day).unwrap();
        OpenInvoice { id, number: number.into(), member_id: member, issued_on: d, due_on: d, amount: balance, balance }
    }

    /// Members: 1 ヤマダ ハナコ (000101) with two invoices of 3,000 and 5,000; 2 スズキ イチロウ
    /// (000102) with two of 4,000; 3 and 4 both サトウ ケイコ, each with one of 2,500; 5 株式会社テイキビン.
    fn book(fees: Vec<i64>, auto_fee: bool) -> Book {
        let members = vec![
            (1, "000101".into(), "山田 花子".into(), "ヤマダ ハナコ".into()),
            (2, "000102".into(), "鈴木 一郎".into(), "スズキ イチロウ".into()),
            (3, "000103".into(), "佐藤 恵子".into(), "サトウ ケイコ".into()),
            (4, "000104".into(), "佐藤 恵子".into(), "サトウ ケイコ".into()),
            (5, "000105".into(), "株式会社テイキビン".into(), "テイキビン".into()),
        ];
        let open = vec![
            inv(1, 1, "I1", 1, 3000),
            inv(2, 1, "I2", 2, 5000),
            inv(3, 2, "I3", 1, 4000),
            inv(4, 2, "I4", 2, 4000),
            inv(5, 3, "I5", 1, 2500),
            inv(6, 4, "I6", 1, 2500),
            inv(7, 5, "I7", 1, 11000),
        ];
        Book::new(members, open, vec![("ﾔﾏﾀﾞﾀﾛｳ".into(), 1)], fees, auto_fee, |c| c.parse().ok())
    }

    fn auto(o: Outcome) -> Candidate {
        match o {
            Outcome::Auto(c) => c,
            Outcome::Suggested(c, n) => panic!("suggested: {n} {c:?}"),
            Outcome::Unmatched => panic!("unmatched"),
        }
    }

    fn suggested(o: Outcome) -> (Vec<Candidate>, String) {
        match o {
            Outcome::Suggested(c, n) => (c, n),
            Outcome::Auto(c) => panic!("auto: {c:?}"),
            Outcome::Unmatched => panic!("unmatched"),
        }
    }

    #[test]
    fn rule_1_member_code_and_one_invoice_or_the_oldest_together() {
        let b = book(vec![110], false);
        let c = auto(b.decide("101 ﾔﾏﾀﾞ ﾊﾅｺ", "", 5000));
        assert_eq!((c.member.as_str(), c.invoices.clone(), c.found, c.fit), ("000101", vec!["I2".to_string()], Found::Code, Fit::Exact));
        assert!(c.reason.contains("会員番号 000101") && c.reason.contains("I2"), "{}", c.reason);
        let c = auto(b.decide("ｽｽﾞｷ 000101", "", 8000));
        assert_eq!((c.member.as_str(), c.invoices.len(), c.amounts.clone()), ("000101", 2, vec![3000, 5000]));
        // The remitter code field (振込依頼人コード) counts too.
        assert_eq!(auto(b.decide("ｶﾞｸｾｲ", "0000000101", 3000)).invoices, ["I1"]);
    }

    #[test]
    fn rule_2_kana_after_the_banks_folding_and_legal_marks() {
        let b = book(vec![], false);
        assert_eq!(auto(b.decide("ﾔﾏﾀﾞ ﾊﾅｺ", "", 3000)).found, Found::Kana);
        let c = auto(b.decide("ｶ)ﾃｲｷﾋﾞﾝ", "", 11000));
        assert_eq!((c.member.as_str(), c.found), ("000105", Found::Kana));
    }

    #[test]
    fn two_invoice_sets_or_two_members_that_fit_equally_stay_manual() {
        let b = book(vec![], false);
        // Member 2 has two invoices of 4,000: which one is paid is for staff to say.
        let (c, note) = suggested(b.decide("ｽｽﾞｷ ｲﾁﾛｳ", "", 4000));
        assert_eq!(c.iter().map(|c| c.invoices.clone()).collect::<Vec<_>>(), [vec!["I3".to_string()], vec!["I4".to_string()]]);
        assert!(note.contains("複数"), "{note}");
        // Two members named サトウ ケイコ, each owing 2,500.
        let (c, _) = suggested(b.decide("ｻﾄｳ ｹｲｺ", "", 2500));
        assert_eq!(c.iter().map(|c| c.member.as_str()).collect::<Vec<_>>(), ["000103", "000104"]);
        // With the code written, it is decided.
        assert_eq!(auto(b.decide("104 ｻﾄｳ ｹｲｺ", "", 2500)).member, "000104");
    }

    #[test]
    fn rule_3_transfer_fee_deducted_is_suggested_or_applied_when_the_shop_allows() {
        let b = book(vec![110, 440], false);
        let (c, note) = suggested(b.decide("ｶ)ﾃｲｷﾋﾞﾝ", "", 10560));
        assert_eq!((c[0].fit, c[0].fee, c[0].amounts.clone(), c[0].credit), (Fit::Fee, 440, vec![11000], 0));
        assert!(note.contains("手数料"), "{note}");
        let b = book(vec![110, 440], true);
        assert_eq!(auto(b.decide("ｶ)ﾃｲｷﾋﾞﾝ", "", 10560)).fee, 440);
        // A shortfall that is not a fee is a partial payment, for staff.
        let (c, _) = suggested(b.decide("ｶ)ﾃｲｷﾋﾞﾝ", "", 10000));
        assert_eq!((c[0].fit, c[0].amounts.clone()), (Fit::Partial, vec![10000]));
    }

    #[test]
    fn rule_4_overpayment_keeps_the_rest_as_credit() {
        let b = book(vec![], false);
        let (c, note) = suggested(b.decide("ﾔﾏﾀﾞ ﾊﾅｺ", "", 10000));
        assert_eq!((c[0].fit, c[0].invoices.len(), c[0].credit), (Fit::Over, 2, 2000));
        assert!(note.contains("前受金"), "{note}");
    }

    #[test]
    fn rule_5_learned_names_and_the_strongest_way_wins() {
        let mut b = book(vec![], false);
        let c = auto(b.decide("ﾔﾏﾀﾞ ﾀﾛｳ", "", 3000));
        assert_eq!((c.member.as_str(), c.found), ("000101", Found::Learned));
        // A code beats a kana match of someone else.
        b.learned.insert(name_key("ｽｽﾞｷ ｲﾁﾛｳ"), vec![3]);
        assert_eq!(auto(b.decide("ｽｽﾞｷ ｲﾁﾛｳ 101", "", 3000)).member, "000101");
    }

    #[test]
    fn unknown_remitters_are_unmatched_and_a_second_payment_finds_the_invoice_settled() {
        let mut b = book(vec![], false);
        assert!(matches!(b.decide("ﾀﾅｶ ｼﾞﾛｳ", "", 3000), Outcome::Unmatched));
        let c = auto(b.decide("ﾔﾏﾀﾞ ﾊﾅｺ", "", 3000));
        b.apply(&c);
        let (c, _) = suggested(b.decide("ﾔﾏﾀﾞ ﾊﾅｺ", "", 3000));
        assert_eq!((c[0].fit, c[0].invoices.clone()), (Fit::Partial, vec!["I2".to_string()]));
    }
}
