//! Yamato B2 Cloud: the 送り状発行データ CSV (CP932, CRLF, the official column order in
//! formats.md) and the issued-slip export read back for tracking numbers.
//!
//! Lengths are B2's: an address over 32 full-width characters is split into the building
//! column at a space or between a word and a number, never cut; what still does not fit is a
//! problem the user fixes. Characters B2 cannot print (outside JIS X 0208) must each have a
//! replacement the user confirmed before the file is written.
use super::{Shipment, ShipmentStatus};
use crate::error::{CoreError, ErrorCode, Result};
use crate::normalize;
use crate::printable::{self, width, Charset, OddChar, OddChars};
use crate::settings::ShopSettings;
use crate::store::{now_stamp, shipments as sql, Db};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// Columns in the file (B2's current template ends at 95; trailing blanks are accepted).
pub const COLUMNS: usize = 95;

/// Titles of the header row for the columns formats.md names (1-based); the rest stay blank.
const TITLES: &[(usize, &str)] = &[
    (1, "お客様管理番号"),
    (2, "送り状種類"),
    (3, "クール区分"),
    (4, "伝票番号"),
    (5, "出荷予定日"),
    (6, "お届け予定日"),
    (7, "配達時間帯"),
    (8, "お届け先コード"),
    (9, "お届け先電話番号"),
    (10, "お届け先電話番号枝番"),
    (11, "お届け先郵便番号"),
    (12, "お届け先住所"),
    (13, "お届け先アパートマンション名"),
    (14, "お届け先会社・部門１"),
    (15, "お届け先会社・部門２"),
    (16, "お届け先名"),
    (17, "お届け先名(ｶﾅ)"),
    (18, "敬称"),
    (19, "ご依頼主コード"),
    (20, "ご依頼主電話番号"),
    (21, "ご依頼主電話番号枝番"),
    (22, "ご依頼主郵便番号"),
    (23, "ご依頼主住所"),
    (24, "ご依頼主アパートマンション"),
    (25, "ご依頼主名"),
    (26, "ご依頼主名(ｶﾅ)"),
    (27, "品名コード１"),
    (28, "品名１"),
    (29, "品名コード２"),
    (30, "品名２"),
    (31, "荷扱い１"),
    (32, "荷扱い２"),
    (33, "記事"),
    (34, "ｺﾚｸﾄ代金引換額（税込)"),
    (35, "内消費税額等"),
    (36, "止置き"),
    (37, "営業所コード"),
    (38, "発行枚数"),
    (39, "個数口表示フラグ"),
    (40, "請求先顧客コード"),
    (41, "請求先分類コード"),
    (42, "運賃管理番号"),
];

/// B2's limits in display width (full-width = 2): (column, limit, what).
const LIMITS: &[(usize, usize, &str)] = &[
    (1, 50, "お客様管理番号"),
    (9, 15, "お届け先電話番号"),
    (12, 64, "お届け先住所"),
    (13, 32, "お届け先アパートマンション名"),
    (14, 50, "会社・部門１"),
    (15, 50, "会社・部門２"),
    (16, 32, "お届け先名"),
    (17, 50, "お届け先名（カナ）"),
    (20, 15, "ご依頼主電話番号"),
    (23, 64, "ご依頼主住所"),
    (24, 32, "ご依頼主アパートマンション"),
    (25, 32, "ご依頼主名"),
    (28, 50, "品名１"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct CarrierExportRequest {
    /// Parcels to ship on this day (YYYY-MM-DD) not yet in a file; empty: every such parcel.
    pub ship_date: String,
    /// Only these shipment numbers.
    pub shipments: Vec<String>,
    /// Writes an earlier batch again (same parcels, same replacements unless new ones are given).
    #[ts(type = "number | null")]
    pub export_id: Option<i64>,
    /// Confirmed stand-ins for characters the carrier cannot print: {"髙": "高"}.
    pub replacements: BTreeMap<String, String>,
    pub staff: String,
}

/// The parcels of a carrier file, their rows (before replacements) and what the file needs first.
pub(crate) type CarrierRows = (Vec<Shipment>, Vec<Vec<String>>, CarrierCheck);

/// A row the carrier would refuse, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShipmentProblem {
    pub shipment: String,
    pub field: String,
    pub message: String,
}

/// What writing the file needs from the user first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CarrierCheck {
    pub shipments: Vec<String>,
    /// Characters the carrier cannot print, each with places and a suggested stand-in.
    pub odd_chars: Vec<OddChar>,
    /// The ones still without a confirmed replacement.
    pub unanswered: Vec<String>,
    pub problems: Vec<ShipmentProblem>,
    /// Replacements already confirmed (given, or kept with the batch written again).
    pub replacements: BTreeMap<String, String>,
}

/// A written carrier file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CarrierFile {
    #[serde(skip)]
    #[ts(skip)]
    pub bytes: Vec<u8>,
    #[ts(type = "number")]
    pub export_id: i64,
    pub carrier: String,
    #[ts(type = "number")]
    pub rows: u64,
    pub shipments: Vec<String>,
    /// The replacements applied.
    pub replacements: BTreeMap<String, String>,
}

fn slash(d: chrono::NaiveDate) -> String {
    d.format("%Y/%m/%d").to_string()
}

/// Splits an address too wide for its column where people would: at a space, else after the
/// block number (…3号, …番地), else where a number ends or a building name begins; the head
/// within `limit`. None: no such place (the user shortens the address; nothing is cut).
pub(crate) fn split_address(address: &str, limit: usize) -> Option<(String, String)> {
    if width(address) <= limit {
        return Some((address.to_string(), String::new()));
    }
    let chars: Vec<char> = address.chars().collect();
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c) || "一二三四五六七八九十".contains(c);
    let dash = |c: char| matches!(c, '-' | '－' | 'ー' | '―' | '‐');
    let katakana = |c: char| ('\u{30A1}'..='\u{30FA}').contains(&c) || ('\u{FF66}'..='\u{FF9D}').contains(&c);
    // (rank, position): the best-ranked boundary, the last one of that rank.
    let mut best: Option<(u8, usize)> = None;
    let mut head_width = 0;
    for i in 1..chars.len() {
        head_width += width(&chars[i - 1].to_string());
        if head_width > limit {
            break;
        }
        let (a, b) = (chars[i - 1], chars[i]);
        let rank = if b == ' ' || b == '\u{3000}' {
            3
        } else if (a == '号' || a == '地' || (a == '番' && !digit(b))) && !digit(b) && !dash(b) {
            2
        } else if (digit(a) && !digit(b) && !dash(b)) || (!katakana(a) && katakana(b) && !dash(a)) {
            1
        } else {
            0
        };
        if rank > 0 && best.is_none_or(|(r, _)| rank >= r) {
            best = Some((rank, i));
        }
    }
    let (_, i) = best?;
    let head: String = chars[..i].iter().collect::<String>().trim_end().to_string();
    let tail: String = chars[i..].iter().collect::<String>().trim_start().to_string();
    Some((head, tail))
}

fn tidy(s: &str) -> String {
    s.replace(['\r', '\n', '\t'], " ").trim().to_string()
}

/// One B2 row for a parcel (strings in file order, before replacements), with its problems.
pub(crate) fn row(
    s: &Shipment,
    shop: &ShopSettings,
    problems: &mut Vec<ShipmentProblem>,
) -> Vec<String> {
    let mut r = vec![String::new(); COLUMNS];
    let mut set = |col: usize, v: String| r[col - 1] = tidy(&v);
    let mut problem = |field: &str, message: String| {
        problems.push(ShipmentProblem {
            shipment: s.number.clone(),
            field: field.into(),
            message,
        })
    };
    set(1, s.number.clone());
    set(2, s.slip_type.b2_code().into());
    set(3, s.cool.b2_code().into());
    set(5, slash(s.ship_date));
    set(6, s.delivery_date.map(slash).unwrap_or_default());
    set(7, s.time_slot.clone());
    set(9, s.phone.clone());
    if s.phone.is_empty() {
        problem(
            "phone",
            "お届け先の電話番号がありません（B2では必須です）".into(),
        );
    }
    set(11, s.postal_code.clone());
    if !crate::normalize::is_postal_code(&s.postal_code) {
        problem(
            "postal_code",
            format!(
                "お届け先の郵便番号「{}」が NNN-NNNN の形ではありません",
                s.postal_code
            ),
        );
    }
    match split_address(&tidy(&s.address), 64) {
        Some((head, tail)) => {
            set(12, head);
            set(
                13,
                [tail.as_str(), s.building.trim()]
                    .iter()
                    .filter(|x| !x.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        None => {
            set(12, s.address.clone());
            set(13, s.building.clone());
        }
    }
    set(14, s.company.clone());
    set(15, s.department.clone());
    set(16, s.name.clone());
    set(17, crate::normalize::half_width_kana(&s.kana));
    set(18, s.honorific.clone());
    set(20, shop.phone.clone());
    set(22, shop.postal_code.clone());
    match split_address(&tidy(&shop.address), 64) {
        Some((head, tail)) => {
            set(23, head);
            set(24, tail);
        }
        None => set(23, shop.address.clone()),
    }
    set(25, shop.company_name.clone());
    set(28, s.description.clone());
    if s.slip_type.collects() {
        set(34, s.collect_amount.to_string());
        set(35, s.collect_tax.to_string());
    }
    set(38, s.parcels.to_string());
    set(
        39,
        if s.parcels > 1 {
            "3".into()
        } else {
            "1".into()
        },
    );
    set(40, shop.shipping.b2_customer_code.clone());
    set(41, shop.shipping.b2_customer_class.clone());
    set(42, shop.shipping.b2_freight_no.clone());
    for (col, limit, what) in LIMITS {
        let v = &r[col - 1];
        if width(v) > *limit {
            let hint = if matches!(col, 12 | 13) {
                "（建物名の欄にも入りきりません。住所を短くしてください）"
            } else {
                ""
            };
            problems.push(ShipmentProblem {
                shipment: s.number.clone(),
                field: what.to_string(),
                message: format!(
                    "{what}「{v}」が長すぎます（全角{}文字まで）{hint}",
                    limit / 2
                ),
            });
        }
    }
    if s.slip_type.collects() && s.collect_amount <= 0 {
        problems.push(ShipmentProblem {
            shipment: s.number.clone(),
            field: "collect_amount".into(),
            message: "コレクトの代金引換額がありません".into(),
        });
    }
    r
}

fn shop_problems(shop: &ShopSettings) -> Vec<ShipmentProblem> {
    let mut out = Vec::new();
    let mut need = |ok: bool, field: &str, what: &str| {
        if !ok {
            out.push(ShipmentProblem {
                shipment: String::new(),
                field: field.into(),
                message: format!("設定の{what}が未登録です（B2クラウドで必須）"),
            });
        }
    };
    need(
        !shop.company_name.is_empty(),
        "company_name",
        "会社名（ご依頼主名）",
    );
    need(
        !shop.phone.is_empty(),
        "phone",
        "電話番号（ご依頼主電話番号）",
    );
    need(
        crate::normalize::is_postal_code(&shop.postal_code),
        "postal_code",
        "郵便番号（ご依頼主郵便番号）",
    );
    need(!shop.address.is_empty(), "address", "住所（ご依頼主住所）");
    need(
        !shop.shipping.b2_customer_code.is_empty(),
        "shipping.b2_customer_code",
        "請求先顧客コード",
    );
    need(
        shop.shipping.b2_freight_no.len() == 2,
        "shipping.b2_freight_no",
        "運賃管理番号",
    );
    out
}

impl Db {
    /// The parcels a carrier export covers: an earlier batch, the numbers asked for, or the
    /// day's parcels (for a carrier file only those not yet in one: `only_new`).
    pub(crate) fn export_set(
        &self,
        req: &CarrierExportRequest,
        only_new: bool,
    ) -> Result<(Vec<Shipment>, BTreeMap<String, String>)> {
        let mut replacements = req.replacements.clone();
        let list = if let Some(id) = req.export_id {
            let Some(json) = sql::export_replacements(&self.conn, id)? else {
                return Err(CoreError::not_found(format!(
                    "送り状データの出力 {id} は見つかりません"
                )));
            };
            let earlier: BTreeMap<String, String> = serde_json::from_str(&json).unwrap_or_default();
            for (k, v) in earlier {
                replacements.entry(k).or_insert(v);
            }
            sql::list(&self.conn, None, None, Some(id), &[], u32::MAX)?
                .into_iter()
                .filter(|s| s.status != ShipmentStatus::Cancelled)
                .collect()
        } else {
            let date = normalize::date("ship_date", "出荷予定日", &req.ship_date)?;
            let numbers: Vec<String> = req
                .shipments
                .iter()
                .map(|n| normalize::nfkc(n).trim().to_string())
                .collect();
            let status = if numbers.is_empty() && only_new { Some(ShipmentStatus::Planned) } else { None };
            let mut list = sql::list(&self.conn, date, status, None, &numbers, u32::MAX)?;
            if numbers.is_empty() {
                list.retain(|s| s.status != ShipmentStatus::Cancelled);
            }
            for n in &numbers {
                match list.iter().find(|s| &s.number == n) {
                    None => {
                        return Err(
                            CoreError::not_found(format!("出荷番号 {n} は見つかりません"))
                                .at("shipments"),
                        )
                    }
                    Some(s) if s.status == ShipmentStatus::Cancelled => {
                        return Err(CoreError::conflict(
                            "shipments",
                            format!("出荷 {n} は取り消されています"),
                        ))
                    }
                    _ => {}
                }
            }
            list
        };
        if list.is_empty() {
            let what = if only_new { "送り状データに書き出す" } else { "対象の" };
            return Err(CoreError::new(ErrorCode::NotFound, format!("{what}出荷がありません（先に出荷を作成してください）")).at("ship_date"));
        }
        let mut list = list;
        list.sort_by(|a, b| a.number.cmp(&b.number));
        Ok((list, replacements))
    }

    /// Records a carrier file as a batch (or the earlier batch written again) and its parcels
    /// as exported, in one transaction.
    pub(crate) fn record_export(
        &mut self,
        carrier: &str,
        req: &CarrierExportRequest,
        list: &[Shipment],
        used: &BTreeMap<String, String>,
    ) -> Result<i64> {
        let staff = normalize::tidy(&req.staff);
        self.write_as(&staff, |tx| {
            let id = match req.export_id {
                Some(id) => id,
                None => sql::new_export(tx, carrier, list.len(), &serde_json::to_string(used).expect("map serialises"), &staff, &now_stamp())?,
            };
            for s in list {
                sql::mark_exported(tx, s.id, id)?;
            }
            Ok(id)
        })
    }

    fn b2_rows(&self, req: &CarrierExportRequest) -> Result<CarrierRows> {
        let (list, replacements) = self.export_set(req, true)?;
        let shop = self.shop_settings()?;
        let mut problems = shop_problems(&shop);
        let mut odd = OddChars::default();
        let mut rows = Vec::with_capacity(list.len());
        for s in &list {
            let r = row(s, &shop, &mut problems);
            for (i, v) in r.iter().enumerate() {
                odd.scan(
                    Charset::Jis0208,
                    || format!("{} {}", s.number, title(i + 1)),
                    v,
                );
            }
            rows.push(r);
        }
        let unanswered = odd.unanswered(&replacements, Charset::Jis0208);
        let check = CarrierCheck {
            shipments: list.iter().map(|s| s.number.clone()).collect(),
            odd_chars: odd.all(),
            unanswered,
            problems,
            replacements,
        };
        Ok((list, rows, check))
    }

    /// What the B2 file needs before it can be written; nothing written.
    pub fn b2_check(&self, req: &CarrierExportRequest) -> Result<CarrierCheck> {
        Ok(self.b2_rows(req)?.2)
    }

    /// Writes the B2 Cloud CSV for the parcels, as a batch that can be written again; refuses
    /// while a row has a problem or a character lacks a confirmed replacement.
    pub fn b2_export(&mut self, req: &CarrierExportRequest) -> Result<CarrierFile> {
        let (list, rows, check) = self.b2_rows(req)?;
        let replacements = check.replacements.clone();
        refuse_unready(&check)?;
        let used: BTreeMap<String, String> = replacements
            .into_iter()
            .filter(|(k, _)| check.odd_chars.iter().any(|o| &o.ch == k))
            .collect();
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::with_capacity(rows.len() * 400));
        let header: Vec<String> = (1..=COLUMNS).map(|c| title(c).to_string()).collect();
        let csv_err =
            |e: csv::Error| CoreError::new(ErrorCode::Io, format!("CSVを書けません: {e}"));
        w.write_record(&header).map_err(csv_err)?;
        for r in &rows {
            w.write_record(r.iter().map(|v| printable::replace(v, &used)))
                .map_err(csv_err)?;
        }
        let text = String::from_utf8(w.into_inner().map_err(|e| csv_err(e.into_error().into()))?)
            .expect("csv writes UTF-8");
        let bytes = printable::cp932(&text).ok_or_else(|| {
            CoreError::new(
                ErrorCode::Validation,
                "Shift_JIS（CP932）で書けない文字が残っています",
            )
        })?;
        let export_id = self.record_export("yamato_b2", req, &list, &used)?;
        Ok(CarrierFile {
            bytes,
            export_id,
            carrier: "yamato_b2".into(),
            rows: rows.len() as u64,
            shipments: check.shipments,
            replacements: used,
        })
    }
}

pub(crate) fn refuse_unready(check: &CarrierCheck) -> Result<()> {
    if !check.problems.is_empty() {
        let lines: Vec<String> = check
            .problems
            .iter()
            .map(|p| {
                if p.shipment.is_empty() {
                    p.message.clone()
                } else {
                    format!("{}: {}", p.shipment, p.message)
                }
            })
            .collect();
        return Err(CoreError::new(
            ErrorCode::Validation,
            format!("送り状データを書き出せません:\n{}", lines.join("\n")),
        ));
    }
    printable::refuse_unanswered(&check.odd_chars, &check.unanswered, "印字できない文字があります")?;
    Ok(())
}

fn title(col: usize) -> &'static str {
    TITLES
        .iter()
        .find(|t| t.0 == col)
        .map(|t| t.1)
        .unwrap_or("")
}

/// What a tracking import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TrackingReport {
    pub file_name: String,
    /// Parcels that got their tracking number now.
    pub attached: Vec<String>,
    /// Rows that repeat a number already recorded.
    #[ts(type = "number")]
    pub unchanged: u64,
    /// Rows refused, with line number and reason (nothing is written while there are any).
    pub rejected: Vec<String>,
}

/// One row of B2's issued-slip file: the row Excel shows, お客様管理番号 and 伝票番号 as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingRow {
    pub line: u32,
    pub key: String,
    pub slip: String,
}

/// Reads B2's issued-slip export (CP932 or UTF-8) into its rows, blank rows left out. Pure, so it
/// can be fuzzed; `Db::import_tracking` checks the rows against the parcels.
pub fn read_tracking(bytes: &[u8], file_name: &str) -> Result<Vec<TrackingRow>> {
    let (text, _) = crate::textfile::decode(bytes, file_name)?;
    let layout = crate::import::table::layout(&text);
    crate::import::table::check_quotes(file_name, &layout)?;
    let mut rd = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = Vec::new();
    for rec in rd.records() {
        // Rows are numbered as Excel shows them: csv skips blank lines and counts none of them.
        let rec = rec.map_err(|e| {
            let row = e.position().map(|p| layout.row_at(text.as_bytes(), p.byte())).unwrap_or(0);
            CoreError::new(ErrorCode::Validation, format!("{file_name} の {row} 行目: CSVとして読めません（{e}）"))
        })?;
        let row = layout.row_at(text.as_bytes(), rec.position().map(|p| p.byte()).unwrap_or(0));
        records.push((row, rec));
    }
    // Columns by their titles when the file has a header row, else B2's positions (1 and 4).
    let find = |rec: &csv::StringRecord, names: &[&str]| rec.iter().position(|h| names.iter().any(|n| normalize::nfkc(h).trim() == *n));
    let (mut key_col, mut slip_col, mut start) = (0, 3, 0);
    if let Some((_, first)) = records.first() {
        if let (Some(k), Some(t)) = (find(first, &["お客様管理番号"]), find(first, &["伝票番号", "送り状番号", "問合せ番号", "お問合せ番号"])) {
            (key_col, slip_col, start) = (k, t, 1);
        }
    }
    let mut rows = Vec::new();
    for (line, rec) in &records[start..] {
        let key = normalize::nfkc(rec.get(key_col).unwrap_or("")).trim().to_string();
        let slip = rec.get(slip_col).unwrap_or("").trim().to_string();
        if key.is_empty() && slip.is_empty() {
            continue;
        }
        rows.push(TrackingRow { line: *line, key, slip });
    }
    if rows.is_empty() {
        let what = if start == 1 { "見出し行だけで、伝票番号の行がありません" } else { "伝票番号の行がありません（空のファイルです）" };
        return Err(CoreError::new(ErrorCode::Validation, format!("{file_name}: {what}。B2クラウドの発行済データを選んでください")));
    }
    Ok(rows)
}

impl Db {
    /// Reads B2's issued-slip export (発行済データ, CP932 or UTF-8) and attaches each 伝票番号 to
    /// the parcel whose お客様管理番号 it carries; those parcels and their orders are shipped.
    /// All or nothing: one bad row and nothing is written.
    pub fn import_tracking(&mut self, bytes: &[u8], file_name: &str) -> Result<TrackingReport> {
        let rows = read_tracking(bytes, file_name)?;
        let mut report = TrackingReport {
            file_name: file_name.into(),
            attached: Vec::new(),
            unchanged: 0,
            rejected: Vec::new(),
        };
        let mut updates = Vec::new();
        // Parcels already given a number by an earlier row (a set: a file may have many rows).
        let mut seen = std::collections::HashSet::new();
        for TrackingRow { line, key, slip: written } in &rows {
            let slip = normalize::digits(written);
            let reject = |m: String| format!("{file_name} の {line} 行目: {m}");
            if slip.len() != 12 {
                report.rejected.push(reject(format!("伝票番号「{written}」が12桁の数字ではありません")));
                continue;
            }
            let Some(s) = sql::by_number(&self.conn, key)? else {
                report
                    .rejected
                    .push(reject(format!("お客様管理番号「{key}」の出荷はありません")));
                continue;
            };
            match (&s.status, s.tracking_number.as_deref()) {
                (ShipmentStatus::Cancelled, _) => report
                    .rejected
                    .push(reject(format!("出荷 {key} は取り消されています"))),
                (_, Some(t)) if t == slip => report.unchanged += 1,
                (_, Some(t)) => report.rejected.push(reject(format!(
                    "出荷 {key} にはすでに別の伝票番号 {t} があります"
                ))),
                _ if !seen.insert(s.id) => report
                    .rejected
                    .push(reject(format!("出荷 {key} が2回出てきます"))),
                _ => updates.push((s.id, s.number.clone(), slip)),
            }
        }
        if !report.rejected.is_empty() {
            return Ok(report);
        }
        let now = now_stamp();
        self.write(|tx| {
            for (id, _, slip) in &updates {
                sql::mark_shipped(tx, *id, Some(slip), &now)?;
            }
            Ok(())
        })?;
        report.attached = updates.into_iter().map(|u| u.1).collect();
        Ok(report)
    }
}
