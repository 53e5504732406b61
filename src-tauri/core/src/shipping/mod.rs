//! Shipments (出荷): orders ready to go become parcels, one per member and delivery address
//! (同梱), with the carrier's slip type, cool class, dates and what is collected on delivery.
//! A parcel copies who and where from its orders when it is made, so its slip says what was
//! sent. Parcels leave as a carrier CSV (Yamato B2 Cloud, or any carrier through a column
//! template) or as printed labels; the carrier's tracking numbers come back by import.
pub mod b2;
pub mod carriers;

use crate::clock::today;
use crate::error::{CoreError, ErrorCode, Result};
use crate::normalize;
use crate::orders::PaymentMethod;
use crate::printable::width;
use crate::store::{now_stamp, shipments as sql, Db};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// 送り状種類 (formats.md gives B2's codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SlipType {
    /// 発払い
    #[default]
    Hatsubarai,
    /// コレクト (代金引換)
    Collect,
    /// クロネコゆうメール
    YuMail,
    /// ネコポス
    Nekopos,
    /// 宅急便コンパクト
    Compact,
    /// 宅急便コンパクトコレクト
    CompactCollect,
}

impl SlipType {
    pub const ALL: [SlipType; 6] = [
        SlipType::Hatsubarai,
        SlipType::Collect,
        SlipType::YuMail,
        SlipType::Nekopos,
        SlipType::Compact,
        SlipType::CompactCollect,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            SlipType::Hatsubarai => "hatsubarai",
            SlipType::Collect => "collect",
            SlipType::YuMail => "yu_mail",
            SlipType::Nekopos => "nekopos",
            SlipType::Compact => "compact",
            SlipType::CompactCollect => "compact_collect",
        }
    }
    pub fn parse(s: &str) -> Option<SlipType> {
        SlipType::ALL.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            SlipType::Hatsubarai => "発払い",
            SlipType::Collect => "コレクト",
            SlipType::YuMail => "クロネコゆうメール",
            SlipType::Nekopos => "ネコポス",
            SlipType::Compact => "宅急便コンパクト",
            SlipType::CompactCollect => "宅急便コンパクトコレクト",
        }
    }
    /// B2 Cloud's 送り状種類 code.
    pub fn b2_code(self) -> &'static str {
        match self {
            SlipType::Hatsubarai => "0",
            SlipType::Collect => "2",
            SlipType::YuMail => "3",
            SlipType::Nekopos => "7",
            SlipType::Compact => "8",
            SlipType::CompactCollect => "9",
        }
    }
    pub fn collects(self) -> bool {
        matches!(self, SlipType::Collect | SlipType::CompactCollect)
    }
    /// Mail-box services take no delivery date, time slot or cool class.
    fn is_mailbox(self) -> bool {
        matches!(self, SlipType::YuMail | SlipType::Nekopos)
    }
}

/// クール区分.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CoolClass {
    #[default]
    Normal,
    /// クール冷凍
    Frozen,
    /// クール冷蔵
    Chilled,
}

impl CoolClass {
    pub fn as_str(self) -> &'static str {
        match self {
            CoolClass::Normal => "normal",
            CoolClass::Frozen => "frozen",
            CoolClass::Chilled => "chilled",
        }
    }
    pub fn parse(s: &str) -> Option<CoolClass> {
        [CoolClass::Normal, CoolClass::Frozen, CoolClass::Chilled]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            CoolClass::Normal => "通常",
            CoolClass::Frozen => "冷凍",
            CoolClass::Chilled => "冷蔵",
        }
    }
    pub fn b2_code(self) -> &'static str {
        match self {
            CoolClass::Normal => "0",
            CoolClass::Frozen => "1",
            CoolClass::Chilled => "2",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ShipmentStatus {
    /// 出荷予定 (not yet in a carrier file)
    Planned,
    /// 送り状データ出力済
    Exported,
    /// 出荷済 (tracking number known)
    Shipped,
    /// 取消
    Cancelled,
}

impl ShipmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ShipmentStatus::Planned => "planned",
            ShipmentStatus::Exported => "exported",
            ShipmentStatus::Shipped => "shipped",
            ShipmentStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<ShipmentStatus> {
        [
            ShipmentStatus::Planned,
            ShipmentStatus::Exported,
            ShipmentStatus::Shipped,
            ShipmentStatus::Cancelled,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            ShipmentStatus::Planned => "出荷予定",
            ShipmentStatus::Exported => "送り状出力済",
            ShipmentStatus::Shipped => "出荷済",
            ShipmentStatus::Cancelled => "取消",
        }
    }
}

/// One parcel; also the CLI's JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Shipment {
    #[ts(type = "number")]
    pub id: i64,
    /// S0000001: B2's お客様管理番号, how tracking numbers find their parcel.
    pub number: String,
    /// Member code and name.
    pub member: String,
    pub member_name: String,
    /// The order numbers in the parcel.
    pub orders: Vec<String>,
    #[ts(type = "number | null")]
    pub address_id: Option<i64>,
    pub slip_type: SlipType,
    pub cool: CoolClass,
    pub ship_date: NaiveDate,
    pub delivery_date: Option<NaiveDate>,
    /// "" or a Yamato code (0812, 1416, …).
    pub time_slot: String,
    /// 品名 as printed on the slip.
    pub description: String,
    #[ts(type = "number")]
    pub parcels: i64,
    /// What the driver collects (コレクト), tax included, and the tax in it.
    #[ts(type = "number")]
    pub collect_amount: i64,
    #[ts(type = "number")]
    pub collect_tax: i64,
    pub name: String,
    pub kana: String,
    pub company: String,
    pub department: String,
    pub postal_code: String,
    /// Prefecture, city and street.
    pub address: String,
    pub building: String,
    pub phone: String,
    /// 様 or 御中.
    pub honorific: String,
    pub status: ShipmentStatus,
    #[ts(type = "number | null")]
    pub export_id: Option<i64>,
    pub tracking_number: Option<String>,
    pub shipped_at: Option<String>,
    pub cancelled_at: Option<String>,
    pub cancel_reason: String,
    pub staff: String,
    pub created_at: String,
}

/// Which orders to put into parcels, and how the parcels go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct ShipmentRequest {
    /// 出荷予定日 (YYYY-MM-DD); empty: today.
    pub ship_date: String,
    /// Orders due (delivery date, else scheduled date, else order date) on or before this day;
    /// empty: the ship date plus seven days.
    pub due_by: String,
    /// Only these order numbers; empty: every order waiting and due.
    pub orders: Vec<String>,
    /// null: by payment (代引 → コレクト, else 発払い).
    pub slip_type: Option<SlipType>,
    pub cool: CoolClass,
    pub staff: String,
}

/// Parcels that would be made (the preview) or were made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShipmentPlan {
    pub ship_date: NaiveDate,
    pub due_by: NaiveDate,
    pub shipments: Vec<Shipment>,
    /// Orders in the parcels (more than parcels when orders are bundled).
    #[ts(type = "number")]
    pub orders: u64,
    /// Parcels holding more than one order.
    #[ts(type = "number")]
    pub bundled: u64,
    /// Orders asked for by number that cannot go: why.
    pub refused: Vec<String>,
}

/// A parcel's changeable part, as a whole (the form shows the current values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct ShipmentChange {
    pub slip_type: SlipType,
    pub cool: CoolClass,
    /// YYYY-MM-DD
    pub ship_date: String,
    /// YYYY-MM-DD or empty.
    pub delivery_date: String,
    pub time_slot: String,
    pub description: String,
    #[ts(type = "number")]
    pub parcels: i64,
    pub staff: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct ShipmentFilter {
    /// YYYY-MM-DD
    pub ship_date: Option<String>,
    pub status: Option<ShipmentStatus>,
    #[ts(type = "number | null")]
    pub export_id: Option<i64>,
    #[ts(type = "number | null")]
    pub limit: Option<u32>,
}

fn day(field: &str, label: &str, s: &str) -> Result<Option<NaiveDate>> {
    normalize::date(field, label, s)
}

/// 品名 for the slip: the first item, and how many more, within B2's 25 full-width characters.
pub(crate) fn description(first: &str, more: i64) -> String {
    let tail = if more > 0 {
        format!(" ほか{more}点")
    } else {
        String::new()
    };
    let room = 50usize.saturating_sub(width(&tail));
    let mut name = String::new();
    for c in first.chars() {
        if width(&name) + width(&c.to_string()) > room {
            break;
        }
        name.push(c);
    }
    format!("{name}{tail}")
}

impl Db {
    fn plan(&self, req: &ShipmentRequest) -> Result<(ShipmentPlan, Vec<Vec<i64>>)> {
        let ship_date = day("ship_date", "出荷予定日", &req.ship_date)?.unwrap_or_else(today);
        if ship_date < today() || ship_date > today() + chrono::Days::new(30) {
            return Err(CoreError::field(
                "ship_date",
                "出荷予定日は今日から30日後までの日付にしてください（B2クラウドの決まり）",
            ));
        }
        let due_by = day("due_by", "対象のお届け日", &req.due_by)?
            .unwrap_or(ship_date + chrono::Days::new(7));
        let numbers: Vec<String> = req
            .orders
            .iter()
            .map(|n| normalize::nfkc(n).trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        let waiting = sql::waiting(
            &self.conn,
            if numbers.is_empty() {
                due_by
            } else {
                NaiveDate::MAX
            },
            &numbers,
        )?;
        let mut refused = Vec::new();
        for n in &numbers {
            if !waiting.iter().any(|w| &w.number == n) {
                let why = match self.order(n) {
                    Err(_) => "見つかりません".to_string(),
                    Ok(o) => format!(
                        "{}のため出荷できません（発送する商品がない、または出荷作業中）",
                        o.status.label()
                    ),
                };
                refused.push(format!("受注 {n}: {why}"));
            }
        }
        let staff = normalize::tidy(&req.staff);
        let mut shipments = Vec::new();
        let mut groups = Vec::new();
        let mut i = 0;
        while i < waiting.len() {
            let first = &waiting[i];
            let mut j = i + 1;
            while j < waiting.len()
                && waiting[j].member_id == first.member_id
                && waiting[j].address_id == first.address_id
            {
                j += 1;
            }
            let group = &waiting[i..j];
            let cod: Vec<_> = group
                .iter()
                .filter(|w| w.payment_method == Some(PaymentMethod::Cod))
                .collect();
            let slip_type = req.slip_type.unwrap_or(if cod.is_empty() {
                SlipType::Hatsubarai
            } else {
                SlipType::Collect
            });
            if !cod.is_empty() && !slip_type.collects() {
                refused.push(format!(
                    "{}: 代金引換の受注（{}）は{}では送れません（コレクトにしてください）",
                    first.member_code,
                    cod.iter()
                        .map(|w| w.number.as_str())
                        .collect::<Vec<_>>()
                        .join("・"),
                    slip_type.label()
                ));
                i = j;
                continue;
            }
            let items: i64 = group.iter().map(|w| w.items).sum();
            let delivery_date = if slip_type.is_mailbox() {
                None
            } else {
                group
                    .iter()
                    .filter_map(|w| w.delivery_date)
                    .filter(|d| *d >= ship_date)
                    .min()
            };
            let time_slot = if slip_type.is_mailbox() {
                String::new()
            } else {
                group
                    .iter()
                    .map(|w| w.time_slot.clone())
                    .find(|t| !t.is_empty())
                    .unwrap_or_default()
            };
            let company_only = first.name.trim().is_empty() && !first.company.is_empty();
            shipments.push(Shipment {
                id: 0,
                number: String::new(),
                member: first.member_code.clone(),
                member_name: first.name.clone(),
                orders: group.iter().map(|w| w.number.clone()).collect(),
                address_id: first.address_id,
                slip_type,
                cool: if slip_type.is_mailbox() {
                    CoolClass::Normal
                } else {
                    req.cool
                },
                ship_date,
                delivery_date,
                time_slot,
                description: description(&first.first_item, items - 1),
                parcels: 1,
                collect_amount: if slip_type.collects() {
                    cod.iter().map(|w| w.total).sum()
                } else {
                    0
                },
                collect_tax: if slip_type.collects() {
                    cod.iter().map(|w| w.tax).sum()
                } else {
                    0
                },
                name: if company_only {
                    first.company.clone()
                } else {
                    first.name.clone()
                },
                kana: first.kana.clone(),
                company: if company_only {
                    String::new()
                } else {
                    first.company.clone()
                },
                department: first.department.clone(),
                postal_code: first.postal_code.clone(),
                address: first.address.clone(),
                building: first.building.clone(),
                phone: first.phone.clone(),
                honorific: if company_only {
                    "御中".into()
                } else {
                    "様".into()
                },
                status: ShipmentStatus::Planned,
                export_id: None,
                tracking_number: None,
                shipped_at: None,
                cancelled_at: None,
                cancel_reason: String::new(),
                staff: staff.clone(),
                created_at: String::new(),
            });
            groups.push(group.iter().map(|w| w.order_id).collect());
            i = j;
        }
        let orders = groups.iter().map(|g: &Vec<i64>| g.len() as u64).sum();
        let bundled = groups.iter().filter(|g| g.len() > 1).count() as u64;
        Ok((
            ShipmentPlan {
                ship_date,
                due_by,
                shipments,
                orders,
                bundled,
                refused,
            },
            groups,
        ))
    }

    /// The parcels the request would make; nothing written.
    pub fn plan_shipments(&self, req: &ShipmentRequest) -> Result<ShipmentPlan> {
        Ok(self.plan(req)?.0)
    }

    /// Makes the parcels in one transaction; their orders become 出荷待ち. Orders asked for by
    /// number that cannot go refuse the whole request.
    pub fn create_shipments(&mut self, req: &ShipmentRequest) -> Result<ShipmentPlan> {
        let (mut plan, groups) = self.plan(req)?;
        if !plan.refused.is_empty() {
            return Err(CoreError::new(ErrorCode::Conflict, plan.refused.join("\n")).at("orders"));
        }
        if plan.shipments.is_empty() {
            return Err(CoreError::new(
                ErrorCode::NotFound,
                format!("{}までにお届けする出荷待ちの受注はありません", plan.due_by),
            )
            .at("due_by"));
        }
        let now = now_stamp();
        let numbers = self.write_as(&req.staff, |tx| {
            let numbers = sql::next_numbers(tx, plan.shipments.len())?;
            for ((s, n), ids) in plan.shipments.iter_mut().zip(&numbers).zip(&groups) {
                s.number = n.clone();
                sql::insert(tx, s, ids, &now)?;
            }
            Ok(numbers)
        })?;
        plan.shipments = sql::list(&self.conn, None, None, None, &numbers, u32::MAX)?;
        plan.shipments.sort_by(|a, b| a.number.cmp(&b.number));
        Ok(plan)
    }

    pub fn shipment(&self, number: &str) -> Result<Shipment> {
        let number = normalize::nfkc(number).trim().to_string();
        sql::by_number(&self.conn, &number)?
            .ok_or_else(|| CoreError::not_found(format!("出荷番号 {number} は見つかりません")))
    }

    pub fn shipments(&self, filter: &ShipmentFilter) -> Result<Vec<Shipment>> {
        let ship_date = match filter.ship_date.as_deref() {
            Some(d) => day("ship_date", "出荷予定日", d)?,
            None => None,
        };
        sql::list(
            &self.conn,
            ship_date,
            filter.status,
            filter.export_id,
            &[],
            filter.limit.unwrap_or(5000),
        )
    }

    /// Changes how a parcel goes while it is not shipped (slip type, cool class, dates, time
    /// slot, 品名, parcel count). A parcel already in a carrier file goes back to 出荷予定 so the
    /// changed row is written again.
    pub fn change_shipment(&mut self, number: &str, change: &ShipmentChange) -> Result<Shipment> {
        let s = self.shipment(number)?;
        if matches!(s.status, ShipmentStatus::Shipped | ShipmentStatus::Cancelled) {
            return Err(CoreError::conflict("status", format!("出荷 {} は{}のため変更できません", s.number, s.status.label())));
        }
        let mut p = crate::error::Problems::default();
        let ship_date = p.check(day("ship_date", "出荷予定日", &change.ship_date)).flatten().unwrap_or(s.ship_date);
        if ship_date < today() || ship_date > today() + chrono::Days::new(30) {
            p.add("ship_date", "出荷予定日は今日から30日後までの日付にしてください（B2クラウドの決まり）");
        }
        let delivery_date = p.check(day("delivery_date", "お届け予定日", &change.delivery_date)).flatten();
        if delivery_date.is_some_and(|d| d < ship_date) {
            p.add("delivery_date", "お届け予定日が出荷予定日より前です");
        }
        let time_slot = crate::orders::check_time_slot(&mut p, "time_slot", &change.time_slot);
        let description = normalize::tidy(&change.description);
        if description.is_empty() {
            p.add("description", "品名を入力してください");
        } else if width(&description) > 50 {
            p.add("description", "品名は全角25文字までで入力してください（B2クラウドの決まり）");
        }
        if !(1..=99).contains(&change.parcels) {
            p.add("parcels", "個数は1〜99で入力してください");
        }
        if change.slip_type.collects() != s.slip_type.collects() {
            p.add("slip_type", "コレクト（代金引換）と他の送り状種類は切り替えられません（受注の支払方法を変えて出荷を作り直してください）");
        }
        if change.slip_type.is_mailbox() && (delivery_date.is_some() || !time_slot.is_empty() || change.cool != CoolClass::Normal) {
            p.add("slip_type", format!("{}ではお届け日・時間帯・クールは指定できません", change.slip_type.label()));
        }
        p.finish()?;
        let c = ShipmentChange { ship_date: ship_date.to_string(), delivery_date: delivery_date.map(|d| d.to_string()).unwrap_or_default(), time_slot, description, ..change.clone() };
        self.write_as(&change.staff, |tx| sql::change(tx, s.id, &c, &normalize::tidy(&change.staff)))?;
        self.shipment(&s.number)
    }

    /// Records parcels as handed to the carrier without a tracking file (shops printing their own
    /// labels): the parcels and their orders are shipped and their goods leave the stock. A
    /// tracking file read later still attaches its numbers.
    pub fn ship_shipments(&mut self, numbers: &[String]) -> Result<Vec<Shipment>> {
        if numbers.is_empty() {
            return Err(CoreError::field("shipments", "出荷済にする出荷を選んでください"));
        }
        let mut list = Vec::new();
        for n in numbers {
            let s = self.shipment(n).map_err(|e| e.at("shipments"))?;
            if s.status == ShipmentStatus::Cancelled {
                return Err(CoreError::conflict("shipments", format!("出荷 {} は取り消されています", s.number)));
            }
            list.push(s);
        }
        let now = now_stamp();
        self.write(|tx| {
            for s in list.iter().filter(|s| s.status != ShipmentStatus::Shipped) {
                sql::mark_shipped(tx, s.id, None, &now)?;
            }
            Ok(())
        })?;
        list.iter().map(|s| self.shipment(&s.number)).collect()
    }

    /// Cancels a parcel not yet shipped; its orders wait for a parcel again.
    pub fn cancel_shipment(&mut self, number: &str, reason: &str, staff: &str) -> Result<Shipment> {
        let s = self.shipment(number)?;
        if matches!(
            s.status,
            ShipmentStatus::Shipped | ShipmentStatus::Cancelled
        ) {
            return Err(CoreError::conflict(
                "status",
                format!(
                    "出荷 {} は{}のため取り消せません",
                    s.number,
                    s.status.label()
                ),
            ));
        }
        let reason = normalize::tidy(reason);
        if reason.is_empty() {
            return Err(CoreError::field("reason", "取り消す理由を入力してください"));
        }
        self.write_as(staff, |tx| sql::cancel(tx, s.id, &reason, &normalize::tidy(staff), &now_stamp()))?;
        self.shipment(&s.number)
    }
}

#[cfg(test)]
pub(crate) mod tests;
