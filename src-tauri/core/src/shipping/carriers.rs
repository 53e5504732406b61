//! Carriers other than B2 Cloud (Sagawa e飛伝, Japan Post ゆうプリR / Click Post …) read a CSV
//! in their own column order. The shop describes it once as a column template (header and
//! field per column), saved in the settings; the same parcels then go out in that layout.
//! Only a general template ships: the carriers' own layouts could not be checked against
//! their current specifications here, and a wrong preset is worse than none.
use super::b2::{CarrierRows, refuse_unready, CarrierCheck, CarrierExportRequest, CarrierFile, ShipmentProblem};
use super::Shipment;
use crate::csv_template::{self, col, FieldChoice, TemplateColumn};
use crate::error::{CoreError, Result};
use crate::normalize;
use crate::orders::time_slot_label;
use crate::printable::{width, Charset};
use crate::settings::ShopSettings;
use crate::store::Db;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CarrierTemplate {
    /// Shown in the picker and kept on the export batch (佐川 e飛伝 …).
    pub name: String,
    /// Whether the first row holds the headers.
    pub header: bool,
    /// JIS X 0208 only (what label printers print); off: anything CP932 holds.
    pub jis_only: bool,
    pub columns: Vec<TemplateColumn>,
}

/// The fields a carrier template may use.
pub const FIELDS: &[(&str, &str)] = &[
    ("number", "出荷番号（お客様管理番号）"),
    ("orders", "受注番号"),
    ("member", "会員番号"),
    ("ship_date", "出荷予定日（YYYY/MM/DD）"),
    ("delivery_date", "お届け予定日（YYYY/MM/DD）"),
    ("time_slot", "配達時間帯（コード 0812 など）"),
    ("time_slot_label", "配達時間帯（午前中 など）"),
    ("postal_code", "郵便番号（NNN-NNNN）"),
    ("postal_digits", "郵便番号（7桁）"),
    ("address", "住所（都道府県から番地まで）"),
    ("building", "建物名"),
    ("address_line1", "住所1行目（全角20文字まで）"),
    ("address_line2", "住所2行目"),
    ("address_line3", "住所3行目"),
    ("address_line4", "住所4行目"),
    ("name", "お届け先名"),
    ("kana", "お届け先名カナ"),
    ("honorific", "敬称"),
    ("company", "会社名"),
    ("department", "部署名"),
    ("phone", "電話番号"),
    ("description", "品名"),
    ("parcels", "個数"),
    ("collect_amount", "代金引換額（税込）"),
    ("collect_tax", "代金引換額の内消費税"),
    ("shop_name", "ご依頼主名"),
    ("shop_postal_code", "ご依頼主郵便番号"),
    ("shop_address", "ご依頼主住所"),
    ("shop_phone", "ご依頼主電話番号"),
];

pub fn field_choices() -> Vec<FieldChoice> {
    csv_template::choices(FIELDS)
}

impl CarrierTemplate {
    /// The template offered before the shop saves its own.
    pub fn general() -> CarrierTemplate {
        CarrierTemplate {
            name: "汎用（宛名・品名）".into(),
            header: true,
            jis_only: true,
            columns: vec![
                col("お客様管理番号", "number"),
                col("出荷予定日", "ship_date"),
                col("お届け予定日", "delivery_date"),
                col("配達時間帯", "time_slot_label"),
                col("郵便番号", "postal_code"),
                col("住所", "address"),
                col("建物名", "building"),
                col("会社名", "company"),
                col("お届け先名", "name"),
                col("敬称", "honorific"),
                col("電話番号", "phone"),
                col("品名", "description"),
                col("個数", "parcels"),
                col("代引金額", "collect_amount"),
            ],
        }
    }
}

/// Address lines of at most 20 full-width characters, split where `b2::split_address` would.
fn address_lines(s: &Shipment) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rest = [s.address.trim(), s.building.trim()]
        .iter()
        .filter(|x| !x.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    while !rest.is_empty() && lines.len() < 4 {
        match super::b2::split_address(&rest, 40) {
            Some((head, tail)) => {
                lines.push(head);
                rest = tail;
            }
            None => {
                lines.push(rest.clone());
                rest.clear();
            }
        }
    }
    if !rest.is_empty() {
        if let Some(last) = lines.last_mut() {
            last.push_str(&rest);
        }
    }
    lines
}

fn value(s: &Shipment, shop: &ShopSettings, key: &str) -> String {
    let slash = |d: Option<chrono::NaiveDate>| {
        d.map(|d| d.format("%Y/%m/%d").to_string())
            .unwrap_or_default()
    };
    match key {
        "number" => s.number.clone(),
        "orders" => s.orders.join(" "),
        "member" => s.member.clone(),
        "ship_date" => slash(Some(s.ship_date)),
        "delivery_date" => slash(s.delivery_date),
        "time_slot" => s.time_slot.clone(),
        "time_slot_label" if s.time_slot.is_empty() => String::new(),
        "time_slot_label" => time_slot_label(&s.time_slot).into(),
        "postal_code" => s.postal_code.clone(),
        "postal_digits" => normalize::digits(&s.postal_code),
        "address" => s.address.clone(),
        "building" => s.building.clone(),
        "address_line1" | "address_line2" | "address_line3" | "address_line4" => {
            let i = key.as_bytes()[key.len() - 1] - b'1';
            address_lines(s)
                .get(i as usize)
                .cloned()
                .unwrap_or_default()
        }
        "name" => s.name.clone(),
        "kana" => s.kana.clone(),
        "honorific" => s.honorific.clone(),
        "company" => s.company.clone(),
        "department" => s.department.clone(),
        "phone" => s.phone.clone(),
        "description" => s.description.clone(),
        "parcels" => s.parcels.to_string(),
        "collect_amount" if s.slip_type.collects() => s.collect_amount.to_string(),
        "collect_tax" if s.slip_type.collects() => s.collect_tax.to_string(),
        "shop_name" => shop.company_name.clone(),
        "shop_postal_code" => shop.postal_code.clone(),
        "shop_address" => shop.address.clone(),
        "shop_phone" => shop.phone.clone(),
        _ => String::new(),
    }
}

const KEY: &str = "carrier_templates";

impl Db {
    /// The shop's carrier templates (the general one until it saves its own).
    pub fn carrier_templates(&self) -> Result<Vec<CarrierTemplate>> {
        Ok(match crate::store::settings::get(&self.conn, KEY)? {
            Some(json) => {
                serde_json::from_str(&json).unwrap_or_else(|_| vec![CarrierTemplate::general()])
            }
            None => vec![CarrierTemplate::general()],
        })
    }

    pub fn save_carrier_templates(
        &mut self,
        templates: Vec<CarrierTemplate>,
    ) -> Result<Vec<CarrierTemplate>> {
        let mut names = std::collections::HashSet::new();
        for (i, t) in templates.iter().enumerate() {
            let name = normalize::tidy(&t.name);
            if name.is_empty() || !names.insert(name.clone()) {
                return Err(CoreError::field(
                    &format!("templates.{i}.name"),
                    "テンプレート名は空にせず、重ならないようにしてください",
                ));
            }
            csv_template::check(&t.columns, FIELDS).map_err(|e| CoreError {
                field: e.field.map(|f| format!("templates.{i}.{f}")),
                ..e
            })?;
        }
        let templates: Vec<CarrierTemplate> = templates
            .into_iter()
            .map(|t| CarrierTemplate {
                name: normalize::tidy(&t.name),
                ..t
            })
            .collect();
        self.put_setting_json(
            KEY,
            &serde_json::to_string(&templates).expect("templates serialise"),
        )?;
        Ok(templates)
    }

    fn carrier_template(&self, name: &str) -> Result<CarrierTemplate> {
        self.carrier_templates()?
            .into_iter()
            .find(|t| t.name == normalize::tidy(name))
            .ok_or_else(|| {
                CoreError::not_found(format!("送り状テンプレート「{name}」はありません"))
                    .at("template")
            })
    }

    fn carrier_rows(
        &self,
        template: &CarrierTemplate,
        req: &CarrierExportRequest,
    ) -> Result<CarrierRows> {
        let (list, replacements) = self.export_set(req, true)?;
        let shop = self.shop_settings()?;
        let rows = csv_template::cells(&template.columns, &list, |s, k| value(s, &shop, k));
        let keys: Vec<String> = list.iter().map(|s| s.number.clone()).collect();
        let charset = if template.jis_only {
            Charset::Jis0208
        } else {
            Charset::Cp932
        };
        let odd = csv_template::scan(&template.columns, &keys, &rows, charset);
        let mut problems = Vec::new();
        for (s, lines) in list.iter().map(|s| (s, address_lines(s))) {
            if template
                .columns
                .iter()
                .any(|c| c.field.starts_with("address_line"))
                && lines.iter().any(|l| width(l) > 40)
            {
                problems.push(ShipmentProblem {
                    shipment: s.number.clone(),
                    field: "address".into(),
                    message: "住所が4行に収まりません（住所を短くしてください）".into(),
                });
            }
        }
        let unanswered = odd.unanswered(&replacements, charset);
        Ok((
            list,
            rows,
            CarrierCheck {
                shipments: keys,
                odd_chars: odd.all(),
                unanswered,
                problems,
                replacements,
            },
        ))
    }

    pub fn carrier_check(
        &self,
        template: &str,
        req: &CarrierExportRequest,
    ) -> Result<CarrierCheck> {
        let t = self.carrier_template(template)?;
        Ok(self.carrier_rows(&t, req)?.2)
    }

    /// The parcels as the template's CSV (CP932, CRLF), recorded as an export batch.
    pub fn carrier_export(
        &mut self,
        template: &str,
        req: &CarrierExportRequest,
    ) -> Result<CarrierFile> {
        let t = self.carrier_template(template)?;
        let (list, rows, check) = self.carrier_rows(&t, req)?;
        let replacements = check.replacements.clone();
        refuse_unready(&check)?;
        let used: std::collections::BTreeMap<String, String> = replacements
            .into_iter()
            .filter(|(k, _)| check.odd_chars.iter().any(|o| &o.ch == k))
            .collect();
        let bytes = csv_template::write(&t.columns, t.header, &rows, &used)?;
        let export_id = self.record_export(&t.name, req, &list, &used)?;
        Ok(CarrierFile {
            bytes,
            export_id,
            carrier: t.name,
            rows: rows.len() as u64,
            shipments: check.shipments,
            replacements: used,
        })
    }
}
