//! Regular courses (定期コース): the template a subscription follows — items, rhythm, price per
//! delivery number (初回 ¥980, 2回目以降 ¥3,980, or a discount), minimum deliveries, membership
//! courses (a yearly fee with valid-until and a renewal notice) and the bulletin (会報誌) that
//! members of a course receive each month.
use crate::error::{CoreError, Problems, Result};
use crate::normalize;
use crate::products::Product;
use crate::schedule::{interval_label, IntervalUnit};
use crate::store::{courses as sql, now_stamp, products as psql, Db};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CourseKind {
    /// 定期お届け
    #[default]
    Regular,
    /// 会員制（年会費など）: each "delivery" renews the membership until the next one.
    Membership,
}

impl CourseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CourseKind::Regular => "regular",
            CourseKind::Membership => "membership",
        }
    }
    pub fn parse(s: &str) -> CourseKind {
        if s == "membership" { CourseKind::Membership } else { CourseKind::Regular }
    }
}

/// The price from delivery number `from_delivery` on: a price for the whole delivery, or a
/// discount off the items' list prices. Exactly one of the two is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CoursePrice {
    #[ts(type = "number")]
    pub from_delivery: i64,
    #[ts(type = "number | null")]
    pub price: Option<i64>,
    #[ts(type = "number | null")]
    pub discount_percent: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CourseItemInput {
    /// Product code.
    pub product: String,
    #[ts(type = "number")]
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct CourseInput {
    pub code: String,
    pub name: String,
    pub kind: CourseKind,
    pub interval_unit: IntervalUnit,
    #[ts(type = "number")]
    pub interval_count: i64,
    /// Monthly: a fixed delivery day (1-31); null: each subscription's start day.
    #[ts(type = "number | null")]
    pub day_of_month: Option<i64>,
    /// Weekly: a fixed weekday (0 = Monday); null: each subscription's start weekday.
    #[ts(type = "number | null")]
    pub weekday: Option<i64>,
    #[ts(type = "number")]
    pub min_deliveries: i64,
    pub free_shipping: bool,
    #[ts(type = "number")]
    pub renewal_notice_days: i64,
    /// Product code of the bulletin members of this course receive monthly; empty: none.
    pub bulletin_product: String,
    pub active: bool,
    pub note: String,
    pub items: Vec<CourseItemInput>,
    pub prices: Vec<CoursePrice>,
}

impl Default for CourseInput {
    fn default() -> Self {
        CourseInput {
            code: String::new(),
            name: String::new(),
            kind: CourseKind::Regular,
            interval_unit: IntervalUnit::Month,
            interval_count: 1,
            day_of_month: None,
            weekday: None,
            min_deliveries: 0,
            free_shipping: true,
            renewal_notice_days: 30,
            bulletin_product: String::new(),
            active: true,
            note: String::new(),
            items: Vec::new(),
            prices: Vec::new(),
        }
    }
}

/// A course item with its product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CourseItem {
    pub product: Product,
    #[ts(type = "number")]
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Course {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: CourseKind,
    pub interval_unit: IntervalUnit,
    #[ts(type = "number")]
    pub interval_count: i64,
    /// 「毎月」「4週ごと」…
    pub interval_label: String,
    #[ts(type = "number | null")]
    pub day_of_month: Option<i64>,
    #[ts(type = "number | null")]
    pub weekday: Option<i64>,
    #[ts(type = "number")]
    pub min_deliveries: i64,
    pub free_shipping: bool,
    #[ts(type = "number")]
    pub renewal_notice_days: i64,
    pub bulletin_product: Option<Product>,
    pub active: bool,
    pub note: String,
    pub items: Vec<CourseItem>,
    /// By `from_delivery`.
    pub prices: Vec<CoursePrice>,
    /// Subscriptions on this course that are active or paused.
    #[ts(type = "number")]
    pub subscribers: i64,
}

impl Course {
    /// The price rule for delivery number `n` (1 = first): the row with the greatest
    /// `from_delivery` not after `n`; none: the items' list prices.
    pub fn price_for(&self, n: i64) -> Option<&CoursePrice> {
        self.prices.iter().filter(|p| p.from_delivery <= n).max_by_key(|p| p.from_delivery)
    }

    /// 「初回 ¥980 / 2回目以降 ¥3,980」.
    pub fn price_label(&self) -> String {
        if self.prices.is_empty() {
            return "通常価格".into();
        }
        let mut out = Vec::new();
        for (i, p) in self.prices.iter().enumerate() {
            let next = self.prices.get(i + 1).map(|q| q.from_delivery);
            let when = match (p.from_delivery, next) {
                (1, Some(2)) => "初回".to_string(),
                (n, Some(m)) if m == n + 1 => format!("{n}回目"),
                (1, None) => "毎回".to_string(),
                (n, _) => format!("{n}回目以降"),
            };
            let what = match (p.price, p.discount_percent) {
                (Some(v), _) => crate::tax::yen(v),
                (_, Some(d)) => format!("{d}%引き"),
                _ => String::new(),
            };
            out.push(format!("{when} {what}"));
        }
        out.join(" / ")
    }
}

/// A course input that passed its checks, with its products resolved to ids.
struct CheckedCourse {
    input: CourseInput,
    /// (product id, quantity)
    items: Vec<(i64, i64)>,
    bulletin: Option<i64>,
}

impl CourseInput {
    fn validated(mut self, db: &Db) -> Result<CheckedCourse> {
        let mut p = Problems::default();
        self.code = normalize::nfkc(&self.code).trim().to_string();
        if self.code.is_empty() {
            p.add("code", "コースコードを入力してください");
        } else if self.code.chars().count() > 30 || self.code.chars().any(char::is_whitespace) {
            p.add("code", "コースコードは空白なしの30文字までで入力してください");
        }
        self.name = normalize::tidy(&self.name);
        if self.name.is_empty() {
            p.add("name", "コース名を入力してください");
        }
        self.note = self.note.trim().to_string();
        if !(1..=366).contains(&self.interval_count) {
            p.add("interval_count", "お届け間隔は1以上で入力してください");
        }
        match self.interval_unit {
            IntervalUnit::Month => {
                self.weekday = None;
                if self.day_of_month.is_some_and(|d| !(1..=31).contains(&d)) {
                    p.add("day_of_month", "お届け日は1〜31日で指定してください（31日は月末になります）");
                }
            }
            IntervalUnit::Week => {
                self.day_of_month = None;
                if self.weekday.is_some_and(|d| !(0..=6).contains(&d)) {
                    p.add("weekday", "曜日の指定が正しくありません");
                }
            }
            IntervalUnit::Day => {
                self.day_of_month = None;
                self.weekday = None;
            }
        }
        if self.min_deliveries < 0 {
            p.add("min_deliveries", "最低継続回数は0以上で入力してください");
        }
        if self.renewal_notice_days < 0 {
            p.add("renewal_notice_days", "更新案内の日数は0以上で入力してください");
        }
        let mut items = Vec::new();
        if self.items.is_empty() {
            p.add("items", "お届けする商品を1つ以上登録してください");
        }
        for (i, it) in self.items.iter_mut().enumerate() {
            it.product = normalize::nfkc(&it.product).trim().to_string();
            match psql::by_code(&db.conn, &it.product)? {
                None => p.add(&format!("items.{i}.product"), format!("{}行目: 商品コード「{}」は登録されていません", i + 1, it.product)),
                Some(prod) => items.push((prod.id, it.quantity)),
            }
            if it.quantity <= 0 {
                p.add(&format!("items.{i}.quantity"), format!("{}行目: 数量は1以上で入力してください", i + 1));
            }
        }
        self.prices.sort_by_key(|x| x.from_delivery);
        for (i, pr) in self.prices.iter().enumerate() {
            let f = format!("prices.{i}");
            if pr.from_delivery < 1 {
                p.add(&f, "価格の適用回数は1回目以降で指定してください");
            }
            if i > 0 && self.prices[i - 1].from_delivery == pr.from_delivery {
                p.add(&f, format!("{}回目の価格が2つあります", pr.from_delivery));
            }
            match (pr.price, pr.discount_percent) {
                (Some(v), None) if v >= 0 => {}
                (None, Some(d)) if (0..=100).contains(&d) => {}
                (Some(_), Some(_)) => p.add(&f, "価格と割引率はどちらか一方を指定してください"),
                (None, None) => p.add(&f, format!("{}回目以降の価格か割引率を入力してください", pr.from_delivery)),
                _ => p.add(&f, "価格は0円以上、割引率は0〜100%で入力してください"),
            }
        }
        if !self.prices.is_empty() && self.prices[0].from_delivery != 1 {
            p.add("prices.0", "価格は1回目（初回）から指定してください");
        }
        self.bulletin_product = normalize::nfkc(&self.bulletin_product).trim().to_string();
        let bulletin = if self.bulletin_product.is_empty() {
            None
        } else {
            match psql::by_code(&db.conn, &self.bulletin_product)? {
                Some(b) => Some(b.id),
                None => {
                    p.add("bulletin_product", format!("会報誌の商品コード「{}」は登録されていません", self.bulletin_product));
                    None
                }
            }
        };
        p.finish()?;
        Ok(CheckedCourse { input: self, items, bulletin })
    }
}

impl Db {
    /// Every course, active first, by code.
    pub fn courses(&self) -> Result<Vec<Course>> {
        sql::all(&self.conn)
    }

    pub fn course(&self, code: &str) -> Result<Course> {
        let code = normalize::nfkc(code).trim().to_string();
        sql::by_code(&self.conn, &code)?.ok_or_else(|| CoreError::not_found(format!("コース {code} は登録されていません")))
    }

    /// Creates a course, or updates the one whose code is `existing`. Changes apply to deliveries
    /// made from now on; orders already made keep their lines and prices. Never deleted: a course
    /// no longer offered is set inactive and its subscribers carry on.
    pub fn save_course(&mut self, existing: Option<&str>, input: CourseInput) -> Result<Course> {
        let CheckedCourse { input, items, bulletin } = input.validated(self)?;
        let now = now_stamp();
        let old = match existing {
            Some(c) => Some(self.course(c)?),
            None => None,
        };
        if old.as_ref().is_none_or(|o| o.code != input.code) && sql::by_code(&self.conn, &input.code)?.is_some() {
            return Err(CoreError::conflict("code", format!("コースコード {} はすでに使われています", input.code)));
        }
        self.write(|tx| {
            let id = match &old {
                None => sql::insert(tx, &input, bulletin, &now)?,
                Some(o) => {
                    sql::update(tx, o.id, &input, bulletin, &now)?;
                    o.id
                }
            };
            sql::replace_items(tx, id, &items, &input.prices)
        })?;
        self.course(&input.code)
    }
}

/// 「毎月10日」「2週ごと 金曜」「45日ごと」.
pub fn rhythm_label(unit: IntervalUnit, count: i64, day: Option<i64>, weekday: Option<i64>) -> String {
    let base = interval_label(unit, count);
    match (unit, day, weekday) {
        (IntervalUnit::Month, Some(31), _) => format!("{base} 月末"),
        (IntervalUnit::Month, Some(d), _) => format!("{base} {d}日"),
        (IntervalUnit::Week, _, Some(w)) => format!("{base} {}曜", crate::schedule::WEEKDAYS[w.clamp(0, 6) as usize]),
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::products::ProductInput;

    pub(crate) fn product(db: &mut Db, code: &str, price: i64, rate: i64) {
        db.save_product(None, ProductInput { code: code.into(), name: format!("商品{code}"), unit_price: price, tax_rate: rate, ..Default::default() })
            .unwrap();
    }

    #[test]
    fn a_course_with_first_and_later_prices() {
        let mut db = Db::open_in_memory().unwrap();
        product(&mut db, "AO", 4280, 8);
        let e = db
            .save_course(None, CourseInput {
                code: "T1".into(),
                name: "青汁定期".into(),
                items: vec![CourseItemInput { product: "XX".into(), quantity: 1 }],
                prices: vec![CoursePrice { from_delivery: 2, price: None, discount_percent: None }],
                ..Default::default()
            })
            .unwrap_err();
        let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["items.0.product", "prices.0", "prices.0"]);
        let c = db
            .save_course(None, CourseInput {
                code: "T1".into(),
                name: "青汁定期".into(),
                day_of_month: Some(31),
                min_deliveries: 3,
                items: vec![CourseItemInput { product: "AO".into(), quantity: 1 }],
                prices: vec![
                    CoursePrice { from_delivery: 2, price: Some(3980), discount_percent: None },
                    CoursePrice { from_delivery: 1, price: Some(980), discount_percent: None },
                ],
                ..Default::default()
            })
            .unwrap();
        assert_eq!(c.price_label(), "初回 ¥980 / 2回目以降 ¥3,980");
        assert_eq!(c.price_for(1).unwrap().price, Some(980));
        assert_eq!(c.price_for(7).unwrap().price, Some(3980));
        assert_eq!(c.items[0].product.code, "AO");
        assert_eq!(rhythm_label(c.interval_unit, c.interval_count, c.day_of_month, c.weekday), "毎月 月末");
        let c = db.save_course(Some("T1"), CourseInput { code: "T1".into(), name: "青汁定期（改）".into(), items: vec![CourseItemInput { product: "AO".into(), quantity: 2 }], ..Default::default() }).unwrap();
        assert_eq!((c.name.as_str(), c.items[0].quantity, c.prices.len()), ("青汁定期（改）", 2, 0));
        assert_eq!(db.courses().unwrap().len(), 1);
    }
}
