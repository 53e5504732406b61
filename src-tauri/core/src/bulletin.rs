//! The bulletin mailing (会報誌): the month's address list for the printing company and address
//! labels for shops that print themselves. Who gets the month's bulletin is decided by the
//! monthly run (a bulletin slip per entitled member: active, wanting mail, membership valid);
//! the mailing adds what only the address can tell: members whose address is incomplete or
//! whose mail came back (宛先不明) are listed apart, with the reason, never silently dropped.
use crate::csv_template::{self, col, FieldChoice, TemplateColumn};
use crate::error::{CoreError, ErrorCode, Result};
use crate::pdf::labels::{Label, LabelSheet};
use crate::printable::{self, Charset, OddChar};
use crate::store::Db;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// One address on the mailing list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailingRow {
    pub member: String,
    pub name: String,
    pub kana: String,
    pub company: String,
    pub department: String,
    pub honorific: String,
    pub postal_code: String,
    pub prefecture: String,
    /// Prefecture, city and street.
    pub address1: String,
    /// Building and room.
    pub address2: String,
    pub phone: String,
    pub course: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailingExclusion {
    pub member: String,
    pub name: String,
    pub reason: String,
    /// Left out because mail came back (宛先不明), which the staff can clear.
    pub returned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrefectureCount {
    pub prefecture: String,
    #[ts(type = "number")]
    pub count: u64,
}

/// The month's mailing: who gets the bulletin, sorted by postal code, and who does not and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailingList {
    pub month: String,
    pub rows: Vec<MailingRow>,
    /// In JIS order (北海道 first), only prefectures with mail.
    pub by_prefecture: Vec<PrefectureCount>,
    pub excluded: Vec<MailingExclusion>,
    /// Characters the printing company's CP932 file cannot hold.
    pub odd_chars: Vec<OddChar>,
}

/// The fields a mailing template may use.
pub const FIELDS: &[(&str, &str)] = &[
    ("postal_code", "郵便番号"),
    ("address1", "住所1（都道府県〜番地）"),
    ("address2", "住所2（建物名）"),
    ("prefecture", "都道府県"),
    ("company", "会社名"),
    ("department", "部署名"),
    ("name", "氏名"),
    ("kana", "フリガナ"),
    ("honorific", "敬称"),
    ("member", "会員番号"),
    ("phone", "電話番号"),
    ("course", "コース"),
];

pub fn field_choices() -> Vec<FieldChoice> {
    csv_template::choices(FIELDS)
}

/// The printing company's default layout.
pub fn default_template() -> Vec<TemplateColumn> {
    vec![
        col("郵便番号", "postal_code"),
        col("住所1", "address1"),
        col("住所2", "address2"),
        col("会社名", "company"),
        col("氏名", "name"),
        col("敬称", "honorific"),
        col("会員番号", "member"),
    ]
}

fn value(r: &MailingRow, key: &str) -> String {
    match key {
        "postal_code" => r.postal_code.clone(),
        "address1" => r.address1.clone(),
        "address2" => r.address2.clone(),
        "prefecture" => r.prefecture.clone(),
        "company" => r.company.clone(),
        "department" => r.department.clone(),
        "name" => r.name.clone(),
        "kana" => r.kana.clone(),
        "honorific" => r.honorific.clone(),
        "member" => r.member.clone(),
        "phone" => r.phone.clone(),
        "course" => r.course.clone(),
        _ => String::new(),
    }
}

/// The settings key of the mailing template.
const TEMPLATE_KEY: &str = "mailing_template";

/// A written mailing file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailingFile {
    #[serde(skip)]
    #[ts(skip)]
    pub bytes: Vec<u8>,
    #[ts(type = "number")]
    pub rows: u64,
    pub by_prefecture: Vec<PrefectureCount>,
    #[ts(type = "number")]
    pub excluded: u64,
    pub replacements: BTreeMap<String, String>,
}

fn check_month(month: &str) -> Result<String> {
    let m = crate::normalize::nfkc(month).trim().to_string();
    crate::schedule::month_bounds(&m).ok_or_else(|| {
        CoreError::field(
            "month",
            format!("月は YYYY-MM の形で指定してください（{m}）"),
        )
    })?;
    Ok(m)
}

impl Db {
    /// Everyone with the month's bulletin slip, sorted by postal code; incomplete addresses and
    /// returned mail set apart.
    pub fn mailing_list(&self, month: &str) -> Result<MailingList> {
        let month = check_month(month)?;
        let (rows, excluded_raw) = crate::store::bulletin::mailing(&self.conn, &month)?;
        if rows.is_empty() && excluded_raw.is_empty() {
            return Err(CoreError::new(
                ErrorCode::NotFound,
                format!("{month} の会報誌の発送対象がありません（先に {month} の月次処理を実行してください）"),
            )
            .at("month"));
        }
        let mut counts: HashMap<&str, u64> = HashMap::new();
        for r in &rows {
            *counts.entry(r.prefecture.as_str()).or_default() += 1;
        }
        let by_prefecture = crate::address::PREFECTURES
            .iter()
            .filter_map(|p| {
                counts.get(p).map(|n| PrefectureCount {
                    prefecture: p.to_string(),
                    count: *n,
                })
            })
            .collect();
        let columns = self.mailing_template()?;
        let cells = csv_template::cells(&columns, &rows, value);
        let keys: Vec<String> = rows.iter().map(|r| r.member.clone()).collect();
        let odd = csv_template::scan(&columns, &keys, &cells, Charset::Cp932).all();
        Ok(MailingList {
            month,
            rows,
            by_prefecture,
            excluded: excluded_raw,
            odd_chars: odd,
        })
    }

    pub fn mailing_template(&self) -> Result<Vec<TemplateColumn>> {
        Ok(
            match crate::store::settings::get(&self.conn, TEMPLATE_KEY)? {
                Some(json) => serde_json::from_str(&json).unwrap_or_else(|_| default_template()),
                None => default_template(),
            },
        )
    }

    pub fn save_mailing_template(
        &mut self,
        columns: Vec<TemplateColumn>,
    ) -> Result<Vec<TemplateColumn>> {
        csv_template::check(&columns, FIELDS)?;
        self.put_setting_json(
            TEMPLATE_KEY,
            &serde_json::to_string(&columns).expect("template serialises"),
        )?;
        Ok(columns)
    }

    /// The mailing list as the printing company's CSV (CP932, CRLF, header row, the shop's
    /// template); refuses while a character lacks a confirmed replacement.
    pub fn mailing_export(
        &self,
        month: &str,
        replacements: &BTreeMap<String, String>,
    ) -> Result<MailingFile> {
        let list = self.mailing_list(month)?;
        let missing = printable::unanswered(&list.odd_chars, replacements, Charset::Cp932);
        printable::refuse_unanswered(&list.odd_chars, &missing, "Shift_JIS（CP932）で書けない文字があります")?;
        let columns = self.mailing_template()?;
        let cells = csv_template::cells(&columns, &list.rows, value);
        let used: BTreeMap<String, String> = replacements
            .iter()
            .filter(|(k, _)| list.odd_chars.iter().any(|o| &o.ch == *k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let bytes = csv_template::write(&columns, true, &cells, &used)?;
        Ok(MailingFile {
            bytes,
            rows: list.rows.len() as u64,
            by_prefecture: list.by_prefecture,
            excluded: list.excluded.len() as u64,
            replacements: used,
        })
    }

    /// Address labels for the month's mailing, in postal-code order, from `start_position` on
    /// the first sheet.
    pub fn mailing_labels(
        &self,
        month: &str,
        sheet: &LabelSheet,
        start_position: u32,
        progress: &mut dyn FnMut(crate::invoices::PaperProgress),
    ) -> Result<(Vec<u8>, u64)> {
        let list = self.mailing_list(month)?;
        let labels: Vec<Label> = list
            .rows
            .iter()
            .map(|r| Label {
                postal_code: r.postal_code.clone(),
                address_lines: [r.address1.clone(), r.address2.clone()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect(),
                company: [r.company.as_str(), r.department.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" "),
                name: r.name.clone(),
                honorific: r.honorific.clone(),
                code: r.member.clone(),
                notes: Vec::new(),
                sender: Vec::new(),
            })
            .collect();
        crate::labels::labels_pdf(sheet, start_position, &labels, progress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::pretend_today;
    use crate::shipping::tests::shop;

    fn with_slips() -> Db {
        let mut db = shop();
        db.create_member(
            &crate::members::MemberInput {
                code: "M4".into(),
                name: "北 一郎".into(),
                postal_code: "060-0001".into(),
                prefecture: "北海道".into(),
                city: "札幌市中央区".into(),
                street: "北一条西2-1".into(),
                building: "札幌ハイツ〜201".into(),
                ..Default::default()
            },
            "",
        )
        .unwrap();
        db.conn
            .execute_batch(
                "INSERT INTO bulletin_slips (month, member_id, product_id, created_at)
                    SELECT '2026-12', id, (SELECT min(id) FROM products), '2026-11-23' FROM members;
                 UPDATE members SET postal_code = '' WHERE code = 'M3';",
            )
            .unwrap();
        db.set_mail_returned("M2", true, "佐藤").unwrap();
        db
    }

    #[test]
    fn the_mailing_is_sorted_by_postal_code_and_says_who_is_left_out() {
        let db = with_slips();
        let l = db.mailing_list("2026-12").unwrap();
        assert_eq!(l.rows.iter().map(|r| r.member.as_str()).collect::<Vec<_>>(), ["M4", "M1"], "060- before 150-");
        assert_eq!(l.by_prefecture.iter().map(|p| (p.prefecture.as_str(), p.count)).collect::<Vec<_>>(), [("北海道", 1), ("東京都", 1)]);
        let why: Vec<(&str, &str)> = l.excluded.iter().map(|x| (x.member.as_str(), x.reason.as_str())).collect();
        assert_eq!(why.len(), 2);
        assert!(why.iter().any(|(m, r)| *m == "M2" && r.contains("宛先不明")), "{why:?}");
        assert!(why.iter().any(|(m, r)| *m == "M3" && r.contains("郵便番号")), "{why:?}");
        assert_eq!(l.odd_chars[0].ch, "〜");
        assert_eq!(db.mailing_list("2027-01").unwrap_err().code, ErrorCode::NotFound);
        pretend_today(None);
    }

    #[test]
    fn the_printing_companys_csv_is_cp932_in_the_template_order() {
        let mut db = with_slips();
        let e = db.mailing_export("2026-12", &BTreeMap::new()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("replacements"));
        let fix = BTreeMap::from([("〜".to_string(), "～".to_string())]);
        let f = db.mailing_export("2026-12", &fix).unwrap();
        let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&f.bytes);
        assert!(!bad);
        assert_eq!(
            text,
            "郵便番号,住所1,住所2,会社名,氏名,敬称,会員番号\r\n060-0001,北海道札幌市中央区北一条西2-1,札幌ハイツ～201,,北 一郎,様,M4\r\n\
             150-0001,東京都渋谷区神宮前1-2-3,コーポ山田101,,山田 花子,様,M1\r\n"
        );
        db.save_mailing_template(vec![col("〒", "postal_code"), col("宛名", "name"), col("区分", "=会報誌")]).unwrap();
        let f = db.mailing_export("2026-12", &fix).unwrap();
        assert!(encoding_rs::SHIFT_JIS.decode(&f.bytes).0.starts_with("〒,宛名,区分\r\n060-0001,北 一郎,会報誌\r\n"));
        assert!(db.save_mailing_template(vec![col("x", "nope")]).is_err());
        let (pdf, n) = db.mailing_labels("2026-12", &db.label_sheets().unwrap().address, 1, &mut |_| {}).unwrap();
        assert_eq!(n, 2);
        assert!(pdf.starts_with(b"%PDF"));
        pretend_today(None);
    }
}
