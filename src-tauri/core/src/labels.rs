//! Label sheets the shop prints on (A4, 2 to 12 labels a sheet), remembered with the printer's
//! offsets, one for parcels and one for the bulletin's address labels; and shipping labels for
//! shops that do not use the carrier's software. One label engine (`pdf::labels`) prints both.
use crate::error::Result;
use crate::invoices::PaperProgress;
use crate::orders::time_slot_label;
use crate::pdf::labels::{render_labels, Label, LabelSheet};
use crate::shipping::b2::CarrierExportRequest;
use crate::store::Db;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LabelSheets {
    pub shipping: LabelSheet,
    pub address: LabelSheet,
    /// The sheets the shop can start from.
    pub presets: Vec<LabelSheet>,
}

const KEY: &str = "label_sheets";

#[derive(Serialize, Deserialize)]
struct Saved {
    shipping: LabelSheet,
    address: LabelSheet,
}

impl Db {
    pub fn label_sheets(&self) -> Result<LabelSheets> {
        let presets = LabelSheet::presets();
        let saved: Option<Saved> = crate::store::settings::get(&self.conn, KEY)?
            .and_then(|j| serde_json::from_str(&j).ok());
        let (shipping, address) = match saved {
            Some(s) => (s.shipping, s.address),
            None => {
                // Parcels on 4 a sheet, bulletin addresses on 12 a sheet, until the shop chooses.
                let pick = |n: u32| {
                    presets
                        .iter()
                        .find(|p| p.per_sheet() == n)
                        .or(presets.first())
                        .cloned()
                        .expect("presets")
                };
                (pick(4), pick(12))
            }
        };
        Ok(LabelSheets {
            shipping,
            address,
            presets,
        })
    }

    /// Remembers the sheets (with their offsets) after checking they fit on A4.
    pub fn save_label_sheets(
        &mut self,
        shipping: LabelSheet,
        address: LabelSheet,
    ) -> Result<LabelSheets> {
        shipping.check().map_err(|e| CoreError {
            field: e.field.map(|f| format!("shipping.{f}")),
            ..e
        })?;
        address.check().map_err(|e| CoreError {
            field: e.field.map(|f| format!("address.{f}")),
            ..e
        })?;
        self.put_setting_json(
            KEY,
            &serde_json::to_string(&Saved { shipping, address }).expect("sheets serialise"),
        )?;
        self.label_sheets()
    }

    /// Shipping labels for parcels (the same choice of parcels as a carrier file), on `sheet`
    /// from `start_position`, with the shop as sender.
    pub fn shipping_labels(
        &self,
        req: &CarrierExportRequest,
        sheet: &LabelSheet,
        start_position: u32,
        progress: &mut dyn FnMut(PaperProgress),
    ) -> Result<(Vec<u8>, u64)> {
        let (list, _) = self.export_set(req, false)?;
        let shop = self.shop_settings()?;
        let sender: Vec<String> = [
            shop.company_name.clone(),
            format!("〒{} {}", shop.postal_code, shop.address),
            format!("TEL {}", shop.phone),
        ]
        .into_iter()
        .collect();
        let labels: Vec<Label> = list
            .iter()
            .map(|s| {
                let mut notes = vec![format!("品名: {}", s.description)];
                if let Some(d) = s.delivery_date {
                    notes.push(format!("お届け日: {}", d.format("%-m月%-d日")));
                }
                if !s.time_slot.is_empty() {
                    notes.push(format!("時間帯: {}", time_slot_label(&s.time_slot)));
                }
                if s.slip_type.collects() {
                    notes.push(format!("代金引換: {}", crate::tax::yen(s.collect_amount)));
                }
                Label {
                    postal_code: s.postal_code.clone(),
                    address_lines: [s.address.clone(), s.building.clone()]
                        .into_iter()
                        .filter(|x| !x.is_empty())
                        .collect(),
                    company: [s.company.as_str(), s.department.as_str()]
                        .iter()
                        .filter(|x| !x.is_empty())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" "),
                    name: s.name.clone(),
                    honorific: s.honorific.clone(),
                    code: s.number.clone(),
                    notes,
                    sender: sender.clone(),
                }
            })
            .collect();
        labels_pdf(sheet, start_position, &labels, progress)
    }
}

use crate::error::CoreError;

/// Labels into one PDF, reporting progress every 100 labels.
pub(crate) fn labels_pdf(
    sheet: &LabelSheet,
    start_position: u32,
    labels: &[Label],
    progress: &mut dyn FnMut(PaperProgress),
) -> Result<(Vec<u8>, u64)> {
    let total = labels.len() as u64;
    let pdf = render_labels(sheet, start_position, labels, &mut |n| {
        if n % 100 == 0 || n as u64 == total {
            progress(PaperProgress {
                what: "ラベルの作成".into(),
                done: n as u64,
                total,
            })
        }
    })?;
    Ok((pdf, total))
}
