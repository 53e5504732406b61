//! The CLI's shipping, invoice and bulletin-mailing commands: carrier files, tracking numbers,
//! labels, delivery slips, qualified invoices and the printing company's address list.
use crate::{out, write_file, Output};
use clap::{Args, Subcommand, ValueEnum};
use std::collections::BTreeMap;
use std::path::PathBuf;
use teikibin_core::invoices::{InvoiceRequest, InvoiceSearch, InvoiceStatus, InvoiceSummary};
use teikibin_core::pdf::document::DocKind;
use teikibin_core::pdf::labels::LabelSheet;
use teikibin_core::printable::OddChar;
use teikibin_core::shipping::b2::{CarrierCheck, CarrierExportRequest, CarrierFile};
use teikibin_core::shipping::{CoolClass, Shipment, ShipmentChange, ShipmentFilter, ShipmentRequest, SlipType};
use teikibin_core::tax::yen;
use teikibin_core::{CoreError, Db, ErrorCode};

#[derive(Clone, Copy, ValueEnum)]
pub enum SlipArg {
    Hatsubarai,
    Collect,
    YuMail,
    Nekopos,
    Compact,
    CompactCollect,
}

impl From<SlipArg> for SlipType {
    fn from(s: SlipArg) -> Self {
        match s {
            SlipArg::Hatsubarai => SlipType::Hatsubarai,
            SlipArg::Collect => SlipType::Collect,
            SlipArg::YuMail => SlipType::YuMail,
            SlipArg::Nekopos => SlipType::Nekopos,
            SlipArg::Compact => SlipType::Compact,
            SlipArg::CompactCollect => SlipType::CompactCollect,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum CoolArg {
    Normal,
    Frozen,
    Chilled,
}

fn cool_class(c: CoolArg) -> CoolClass {
    match c {
        CoolArg::Normal => CoolClass::Normal,
        CoolArg::Frozen => CoolClass::Frozen,
        CoolArg::Chilled => CoolClass::Chilled,
    }
}

#[derive(Args)]
pub struct PlanArgs {
    /// 出荷予定日 YYYY-MM-DD（省略時: 今日）
    #[arg(long)]
    date: Option<String>,
    /// この日までにお届けする受注（省略時: 出荷日の7日後）
    #[arg(long)]
    due_by: Option<String>,
    /// この受注だけ（繰り返し指定可）
    #[arg(long = "order")]
    orders: Vec<String>,
    /// 送り状種類（省略時: 代引はコレクト、それ以外は発払い）
    #[arg(long)]
    slip: Option<SlipArg>,
    #[arg(long, value_enum, default_value = "normal")]
    cool: CoolArg,
    #[arg(long, default_value = "")]
    staff: String,
}

impl PlanArgs {
    fn request(&self) -> ShipmentRequest {
        ShipmentRequest {
            ship_date: self.date.clone().unwrap_or_default(),
            due_by: self.due_by.clone().unwrap_or_default(),
            orders: self.orders.clone(),
            slip_type: self.slip.map(SlipType::from),
            cool: cool_class(self.cool),
            staff: self.staff.clone(),
        }
    }
}

/// Which parcels a file or a PDF covers.
#[derive(Args)]
pub struct Selection {
    /// 出荷予定日 YYYY-MM-DD の、まだ送り状データにしていない出荷
    #[arg(long)]
    date: Option<String>,
    /// この出荷だけ（繰り返し指定可）
    #[arg(long = "shipment")]
    shipments: Vec<String>,
    /// 以前の出力（バッチ番号）をもう一度
    #[arg(long)]
    batch: Option<i64>,
}

/// Replacements for characters the reader cannot take.
#[derive(Args)]
pub struct Replacements {
    /// 置き換え 「髙=高」（繰り返し指定可）
    #[arg(long = "replace", value_name = "FROM=TO")]
    replace: Vec<String>,
    /// 候補のある文字はすべて候補で置き換える
    #[arg(long)]
    accept_suggestions: bool,
}

impl Replacements {
    fn map(&self, odd: &[OddChar]) -> Result<BTreeMap<String, String>, CoreError> {
        let mut out = BTreeMap::new();
        if self.accept_suggestions {
            for o in odd.iter().filter(|o| !o.suggestion.is_empty()) {
                out.insert(o.ch.clone(), o.suggestion.clone());
            }
        }
        for r in &self.replace {
            let Some((from, to)) = r.split_once('=') else {
                return Err(CoreError::field(
                    "replace",
                    format!("置き換えは「髙=高」の形で指定してください（{r}）"),
                ));
            };
            out.insert(from.to_string(), to.to_string());
        }
        Ok(out)
    }
}

/// A carrier file: which parcels, the confirmed replacements, where to write it.
#[derive(Args)]
pub struct CarrierFileArgs {
    #[command(flatten)]
    selection: Selection,
    #[command(flatten)]
    replacements: Replacements,
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    #[arg(long, default_value = "")]
    staff: String,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SheetArg {
    #[value(name = "2")]
    Two,
    #[value(name = "4")]
    Four,
    #[value(name = "6")]
    Six,
    #[value(name = "12")]
    Twelve,
}

#[derive(Args)]
pub struct SheetArgs {
    /// ラベル用紙の面数（省略時: 画面で保存した用紙）
    #[arg(long)]
    sheet: Option<SheetArg>,
    /// 使いかけの用紙の、最初に使う位置（1から）
    #[arg(long, default_value_t = 1)]
    start: u32,
}

impl SheetArgs {
    fn sheet(&self, saved: LabelSheet) -> Result<LabelSheet, CoreError> {
        let Some(n) = self.sheet else {
            return Ok(saved);
        };
        let n = match n {
            SheetArg::Two => 2,
            SheetArg::Four => 4,
            SheetArg::Six => 6,
            SheetArg::Twelve => 12,
        };
        LabelSheet::presets()
            .into_iter()
            .find(|p| p.per_sheet() == n)
            .ok_or_else(|| CoreError::field("sheet", format!("{n}面の用紙はありません")))
    }
}

#[derive(Subcommand)]
pub enum ShipCommand {
    /// 出荷の予定（同梱をまとめた荷物の一覧、書き込みなし）
    Plan(PlanArgs),
    /// 出荷待ちの受注から荷物を作る（会員・お届け先ごとに同梱）
    Create(PlanArgs),
    /// 出荷の一覧
    List {
        #[arg(long)]
        date: Option<String>,
    },
    /// 出荷を変更する（出荷前のみ。指定しない項目はそのまま）
    Edit {
        number: String,
        #[arg(long)]
        slip: Option<SlipArg>,
        #[arg(long)]
        cool: Option<CoolArg>,
        /// 出荷予定日
        #[arg(long)]
        date: Option<String>,
        /// お届け予定日（空文字で指定なし）
        #[arg(long)]
        delivery_date: Option<String>,
        /// 配達時間帯（0812, 午前中 …、空文字で指定なし）
        #[arg(long)]
        time_slot: Option<String>,
        /// 品名
        #[arg(long)]
        description: Option<String>,
        /// 個数
        #[arg(long)]
        parcels: Option<i64>,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 出荷済にする（自前のラベルで出した荷物。在庫が減る）
    Done { numbers: Vec<String> },
    /// 出荷を取り消す（受注は出荷待ちに戻る）
    Cancel {
        number: String,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// ヤマトB2クラウドの送り状発行データ（CP932）を書き出す。出荷日の出荷待ちの受注は先に荷物にする
    ExportB2(CarrierFileArgs),
    /// 送り状テンプレート（佐川・日本郵便など、画面で作成）でCSVを書き出す
    Export {
        #[arg(long)]
        template: String,
        #[command(flatten)]
        file: CarrierFileArgs,
    },
    /// B2クラウドの発行済データを読み、伝票番号（追跡番号）を出荷に付ける
    ImportTracking { file: PathBuf },
    /// 宛名ラベル（A4ラベル用紙）のPDF
    Labels {
        #[command(flatten)]
        selection: Selection,
        #[command(flatten)]
        sheet: SheetArgs,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// 納品書（荷物ごと）のPDF
    Slips {
        #[command(flatten)]
        selection: Selection,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DocArg {
    Invoice,
    Slip,
    Receipt,
}

impl From<DocArg> for DocKind {
    fn from(d: DocArg) -> Self {
        match d {
            DocArg::Invoice => DocKind::Invoice,
            DocArg::Slip => DocKind::DeliverySlip,
            DocArg::Receipt => DocKind::Receipt,
        }
    }
}

#[derive(Subcommand)]
pub enum InvoiceCommand {
    /// 適格請求書を発行する（受注ごと、会員の月ごと、または --all で月の全会員）
    Issue {
        #[arg(long)]
        order: Option<String>,
        #[arg(long)]
        member: Option<String>,
        /// 請求月 YYYY-MM
        #[arg(long)]
        period: Option<String>,
        /// 請求月に請求する受注のある会員全員
        #[arg(long)]
        all: bool,
        /// 請求日（省略時: 今日）
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 発行した請求書のPDF（発行時のまま）、または同じ内容の納品書・領収書
    Pdf {
        number: String,
        #[arg(long, value_enum, default_value = "invoice")]
        kind: DocArg,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// 請求書を取り消す（記録は残る）
    Void {
        number: String,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 請求書を取り消し、訂正版を発行する（訂正版は元の番号を記載）
    Reissue {
        number: String,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum InvoiceStatusArg {
    Open,
    Partial,
    Paid,
    Void,
}

impl From<InvoiceStatusArg> for InvoiceStatus {
    fn from(s: InvoiceStatusArg) -> Self {
        match s {
            InvoiceStatusArg::Open => InvoiceStatus::Open,
            InvoiceStatusArg::Partial => InvoiceStatus::Partial,
            InvoiceStatusArg::Paid => InvoiceStatus::Paid,
            InvoiceStatusArg::Void => InvoiceStatus::Void,
        }
    }
}

#[derive(Args)]
pub struct SearchArgs {
    /// 請求日（から）YYYY-MM-DD
    #[arg(long)]
    from: Option<String>,
    /// 請求日（まで）
    #[arg(long)]
    to: Option<String>,
    /// 金額の下限
    #[arg(long)]
    min: Option<i64>,
    /// 金額の上限
    #[arg(long)]
    max: Option<i64>,
    /// 会員番号
    #[arg(long)]
    member: Option<String>,
    #[arg(long)]
    status: Option<InvoiceStatusArg>,
}

impl SearchArgs {
    fn search(&self) -> InvoiceSearch {
        InvoiceSearch {
            number: String::new(),
            from: self.from.clone().unwrap_or_default(),
            to: self.to.clone().unwrap_or_default(),
            min: self.min,
            max: self.max,
            member: self.member.clone().unwrap_or_default(),
            status: self.status.map(InvoiceStatus::from),
            limit: None,
        }
    }
}

#[derive(Subcommand)]
pub enum InvoicesCommand {
    /// 請求書を探す（請求日・金額の範囲と会員を組み合わせて。電子帳簿保存法の検索要件）
    Search(SearchArgs),
    /// 請求の一覧（新しい順）
    List {
        #[arg(long)]
        status: Option<InvoiceStatusArg>,
    },
    /// 条件に合う請求書（取消を除く）を1つのPDFにまとめる（印刷用）
    Print {
        #[command(flatten)]
        search: SearchArgs,
        #[arg(long, value_enum, default_value = "invoice")]
        kind: DocArg,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum BulletinCommand {
    /// 会報誌の発送先一覧（郵便番号順、都道府県別の部数、除外した会員と理由）
    List { month: String },
    /// 印刷会社向けの宛名CSV（CP932、列は画面のテンプレート）
    Export {
        month: String,
        #[command(flatten)]
        replacements: Replacements,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// 宛名ラベル（A4ラベル用紙）のPDF
    Labels {
        month: String,
        #[command(flatten)]
        sheet: SheetArgs,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

fn selection(
    s: &Selection,
    replacements: BTreeMap<String, String>,
    staff: &str,
) -> CarrierExportRequest {
    CarrierExportRequest {
        ship_date: s.date.clone().unwrap_or_default(),
        shipments: s.shipments.clone(),
        export_id: s.batch,
        replacements,
        staff: staff.into(),
    }
}

fn shipment_line(s: &Shipment) -> String {
    format!(
        "{}\t{}\t{}\t{} {}{}\t〒{} {}{}\t{}\t{}{}",
        if s.number.is_empty() { "（未採番）" } else { &s.number },
        s.status.label(),
        s.ship_date,
        s.name,
        s.honorific,
        if s.orders.len() > 1 {
            format!("（同梱 {}件）", s.orders.len())
        } else {
            String::new()
        },
        s.postal_code,
        s.address,
        if s.building.is_empty() {
            String::new()
        } else {
            format!(" {}", s.building)
        },
        s.slip_type.label(),
        s.description,
        s.tracking_number
            .as_ref()
            .map(|t| format!("\t伝票 {t}"))
            .unwrap_or_default()
    )
}

fn check_text(c: &CarrierCheck) -> Vec<String> {
    let mut t = Vec::new();
    for p in &c.problems {
        t.push(format!(
            "  問題 {}: {}",
            if p.shipment.is_empty() {
                "設定"
            } else {
                &p.shipment
            },
            p.message
        ));
    }
    for o in &c.odd_chars {
        let state = if c.unanswered.contains(&o.ch) {
            "未確認"
        } else {
            "置換"
        };
        t.push(format!(
            "  印字できない文字「{}」({}) {}件 {}{}: {}",
            o.ch,
            o.code_point,
            o.count,
            state,
            if o.suggestion.is_empty() {
                String::new()
            } else {
                format!("（候補「{}」）", o.suggestion)
            },
            o.places.join("、")
        ));
    }
    t
}

/// Runs a carrier export; when the user still has to answer, prints what and fails.
fn carrier(db: &mut Db, template: Option<&str>, args: &CarrierFileArgs) -> Result<Output, CoreError> {
    let CarrierFileArgs { selection: sel, replacements: rep, output, staff } = args;
    let probe = selection(sel, BTreeMap::new(), staff);
    let check = match template {
        None => db.b2_check(&probe)?,
        Some(t) => db.carrier_check(t, &probe)?,
    };
    let req = selection(sel, rep.map(&check.odd_chars)?, staff);
    let result: Result<CarrierFile, CoreError> = match template {
        None => db.b2_export(&req),
        Some(t) => db.carrier_export(t, &req),
    };
    match result {
        Ok(file) => {
            write_file(output, &file.bytes)?;
            let mut t = vec![format!(
                "{} に {}件を書き出しました（出力バッチ {}）",
                output.display(),
                file.rows,
                file.export_id
            )];
            for (k, v) in &file.replacements {
                t.push(format!("  「{k}」→「{v}」に置き換えました"));
            }
            Ok(out(&file, t.join("\n")))
        }
        Err(e) => {
            let check = match template {
                None => db.b2_check(&req)?,
                Some(t) => db.carrier_check(t, &req)?,
            };
            let mut t = vec![e.message.clone()];
            t.extend(check_text(&check));
            t.push("（--replace 髙=高 で置き換えを指定するか、--accept-suggestions で候補を使ってください。ファイルは書いていません）".into());
            let mut o = out(&check, t.join("\n"));
            o.failed = true;
            Ok(o)
        }
    }
}

pub fn ship(db: &mut Db, cmd: &ShipCommand) -> Result<Output, CoreError> {
    Ok(match cmd {
        ShipCommand::Plan(a) | ShipCommand::Create(a) => {
            let create = matches!(cmd, ShipCommand::Create(_));
            let plan = if create {
                db.create_shipments(&a.request())?
            } else {
                db.plan_shipments(&a.request())?
            };
            let mut t = vec![format!(
                "{}出荷日 {}（{}までにお届けの分）: 荷物 {}個、受注 {}件（同梱 {}個）",
                if create { "" } else { "【予定】" },
                plan.ship_date,
                plan.due_by,
                plan.shipments.len(),
                plan.orders,
                plan.bundled
            )];
            t.extend(
                plan.shipments
                    .iter()
                    .map(|s| format!("  {}", shipment_line(s))),
            );
            t.extend(plan.refused.iter().map(|r| format!("  出荷できない: {r}")));
            out(&plan, t.join("\n"))
        }
        ShipCommand::List { date } => {
            let list = db.shipments(&ShipmentFilter {
                ship_date: date.clone(),
                ..Default::default()
            })?;
            let mut t: Vec<String> = list.iter().map(shipment_line).collect();
            t.push(format!("{}件", list.len()));
            out(&list, t.join("\n"))
        }
        ShipCommand::Done { numbers } => {
            let list = db.ship_shipments(numbers)?;
            let mut t: Vec<String> = list.iter().map(shipment_line).collect();
            t.push(format!("{}件を出荷済にしました", list.len()));
            out(&list, t.join("\n"))
        }
        ShipCommand::Edit { number, slip, cool, date, delivery_date, time_slot, description, parcels, staff } => {
            let s = db.shipment(number)?;
            let change = ShipmentChange {
                slip_type: slip.map(SlipType::from).unwrap_or(s.slip_type),
                cool: cool.map(cool_class).unwrap_or(s.cool),
                ship_date: date.clone().unwrap_or_else(|| s.ship_date.to_string()),
                delivery_date: delivery_date.clone().unwrap_or_else(|| s.delivery_date.map(|d| d.to_string()).unwrap_or_default()),
                time_slot: time_slot.clone().unwrap_or(s.time_slot.clone()),
                description: description.clone().unwrap_or(s.description.clone()),
                parcels: parcels.unwrap_or(s.parcels),
                staff: staff.clone(),
            };
            let s = db.change_shipment(number, &change)?;
            out(&s, format!("出荷を変更しました\n{}", shipment_line(&s)))
        }
        ShipCommand::Cancel {
            number,
            reason,
            staff,
        } => {
            let s = db.cancel_shipment(number, reason, staff)?;
            out(
                &s,
                format!(
                    "出荷 {} を取り消しました（受注 {} は出荷待ちに戻りました）",
                    s.number,
                    s.orders.join("・")
                ),
            )
        }
        ShipCommand::ExportB2(args) => {
            let (sel, staff) = (&args.selection, &args.staff);
            // The day's waiting orders become parcels first, unless specific parcels or a batch were named.
            if sel.shipments.is_empty() && sel.batch.is_none() {
                let req = ShipmentRequest {
                    ship_date: sel.date.clone().unwrap_or_default(),
                    staff: staff.clone(),
                    ..Default::default()
                };
                match db.create_shipments(&req) {
                    Ok(_) => {}
                    Err(e) if e.code == ErrorCode::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
            carrier(db, None, args)?
        }
        ShipCommand::Export { template, file } => carrier(db, Some(template), file)?,
        ShipCommand::ImportTracking { file } => {
            let (bytes, name) = crate::read_file(file)?;
            let r = db.import_tracking(&bytes, &name)?;
            let mut t = vec![format!(
                "伝票番号を {}件の出荷に付けました（登録済み {}件）",
                r.attached.len(),
                r.unchanged
            )];
            t.extend(r.rejected.iter().map(|x| format!("  {x}")));
            let failed = !r.rejected.is_empty();
            if failed {
                t[0] = format!(
                    "{}行に問題があるため、何も登録していません",
                    r.rejected.len()
                );
            }
            let mut o = out(&r, t.join("\n"));
            o.failed = failed;
            o
        }
        ShipCommand::Labels {
            selection: sel,
            sheet,
            output,
        } => {
            let saved = db.label_sheets()?.shipping;
            let (pdf, n) = db.shipping_labels(
                &selection(sel, BTreeMap::new(), ""),
                &sheet.sheet(saved)?,
                sheet.start,
                &mut |_| {},
            )?;
            write_file(output, &pdf)?;
            out(
                &serde_json::json!({"labels": n, "bytes": pdf.len()}),
                format!("{} にラベル {}枚分を書き出しました", output.display(), n),
            )
        }
        ShipCommand::Slips {
            selection: sel,
            output,
        } => {
            let (pdf, n) =
                db.delivery_slips_pdf(&selection(sel, BTreeMap::new(), ""), &mut |_| {})?;
            write_file(output, &pdf)?;
            out(
                &serde_json::json!({"slips": n, "bytes": pdf.len()}),
                format!("{} に納品書 {}枚を書き出しました", output.display(), n),
            )
        }
    })
}

fn invoice_line(i: &InvoiceSummary) -> String {
    format!(
        "{}\t{}\t{} {}\t{}\t期限 {}\t{}\t入金 {}\t残 {}\t{}{}{}",
        i.number,
        i.issued_on,
        i.member,
        i.member_name,
        if i.issued { "発行" } else { "移行" },
        i.due_on,
        yen(i.amount),
        yen(i.paid),
        yen(i.balance),
        i.status.label(),
        i.replaces
            .as_ref()
            .map(|r| format!("（{r} の訂正）"))
            .unwrap_or_default(),
        i.replaced_by
            .as_ref()
            .map(|r| format!("（{r} で訂正）"))
            .unwrap_or_default(),
    )
}

pub fn invoice(db: &mut Db, cmd: &InvoiceCommand) -> Result<Output, CoreError> {
    Ok(match cmd {
        InvoiceCommand::Issue {
            order,
            member,
            period,
            all,
            date,
            staff,
        } => {
            if *all {
                let Some(period) = period else {
                    return Err(CoreError::field(
                        "period",
                        "--all には --period YYYY-MM が必要です",
                    ));
                };
                let r = db.issue_period_invoices(period, staff, &mut |_| {})?;
                let mut t = vec![format!(
                    "{} の請求書を {}件発行しました（合計 {}）",
                    r.period,
                    r.issued.len(),
                    yen(r.amount)
                )];
                t.extend(r.issued.iter().map(|i| format!("  {}", invoice_line(i))));
                return Ok(out(&r, t.join("\n")));
            }
            let req = InvoiceRequest {
                order: order.clone().unwrap_or_default(),
                member: member.clone().unwrap_or_default(),
                period: period.clone().unwrap_or_default(),
                issued_on: date.clone().unwrap_or_default(),
                staff: staff.clone(),
            };
            let i = db.issue_invoice(&req)?;
            out(
                &i,
                format!(
                    "請求書を発行しました\n{}\n受注: {}",
                    invoice_line(&i),
                    i.orders.join("、")
                ),
            )
        }
        InvoiceCommand::Pdf {
            number,
            kind,
            output,
        } => {
            let pdf = db.invoice_document_pdf(number, (*kind).into())?;
            write_file(output, &pdf)?;
            out(
                &serde_json::json!({"number": number, "bytes": pdf.len()}),
                format!(
                    "{} に書き出しました（{} バイト）",
                    output.display(),
                    pdf.len()
                ),
            )
        }
        InvoiceCommand::Void {
            number,
            reason,
            staff,
        } => {
            let i = db.void_invoice(number, reason, staff)?;
            out(
                &i,
                format!("請求書 {} を取り消しました（記録は残ります）", i.number),
            )
        }
        InvoiceCommand::Reissue {
            number,
            reason,
            staff,
        } => {
            let i = db.reissue_invoice(number, reason, staff)?;
            out(
                &i,
                format!(
                    "請求書 {number} を取り消し、訂正版 {} を発行しました\n{}",
                    i.number,
                    invoice_line(&i)
                ),
            )
        }
    })
}

pub fn invoices(db: &mut Db, cmd: &InvoicesCommand) -> Result<Output, CoreError> {
    Ok(match cmd {
        InvoicesCommand::Search(a) => search(db, &a.search())?,
        InvoicesCommand::List { status } => search(
            db,
            &InvoiceSearch {
                status: status.map(InvoiceStatus::from),
                ..Default::default()
            },
        )?,
        InvoicesCommand::Print {
            search,
            kind,
            output,
        } => {
            let (pdf, n) = db.invoices_pdf(&search.search(), (*kind).into(), &mut |_| {})?;
            write_file(output, &pdf)?;
            out(
                &serde_json::json!({"documents": n, "bytes": pdf.len()}),
                format!("{} に {}件を書き出しました", output.display(), n),
            )
        }
    })
}

fn search(db: &Db, q: &InvoiceSearch) -> Result<Output, CoreError> {
    let page = db.invoices(q)?;
    let mut t: Vec<String> = page.invoices.iter().map(invoice_line).collect();
    t.push(format!("{}件 合計 {}", page.total, yen(page.amount)));
    Ok(out(&page.invoices, t.join("\n")))
}

pub fn bulletin(db: &mut Db, cmd: &BulletinCommand) -> Result<Output, CoreError> {
    Ok(match cmd {
        BulletinCommand::List { month } => {
            let l = db.mailing_list(month)?;
            let mut t = vec![format!(
                "{} 会報誌の発送 {}部（除外 {}人）",
                l.month,
                l.rows.len(),
                l.excluded.len()
            )];
            t.push(format!(
                "  {}",
                l.by_prefecture
                    .iter()
                    .map(|p| format!("{} {}", p.prefecture, p.count))
                    .collect::<Vec<_>>()
                    .join("、")
            ));
            t.extend(
                l.excluded
                    .iter()
                    .map(|x| format!("  除外 {} {}: {}", x.member, x.name, x.reason)),
            );
            for o in &l.odd_chars {
                t.push(format!(
                    "  CP932で書けない文字「{}」({}) {}件: {}",
                    o.ch,
                    o.code_point,
                    o.count,
                    o.places.join("、")
                ));
            }
            out(&l, t.join("\n"))
        }
        BulletinCommand::Export {
            month,
            replacements,
            output,
        } => {
            let l = db.mailing_list(month)?;
            let map = replacements.map(&l.odd_chars)?;
            let f = db.mailing_export(month, &map)?;
            write_file(output, &f.bytes)?;
            let mut t = vec![format!(
                "{} に {}件を書き出しました（除外 {}人）",
                output.display(),
                f.rows,
                f.excluded
            )];
            t.push(format!(
                "  {}",
                f.by_prefecture
                    .iter()
                    .map(|p| format!("{} {}", p.prefecture, p.count))
                    .collect::<Vec<_>>()
                    .join("、")
            ));
            out(&f, t.join("\n"))
        }
        BulletinCommand::Labels {
            month,
            sheet,
            output,
        } => {
            let saved = db.label_sheets()?.address;
            let (pdf, n) =
                db.mailing_labels(month, &sheet.sheet(saved)?, sheet.start, &mut |_| {})?;
            write_file(output, &pdf)?;
            out(
                &serde_json::json!({"labels": n, "bytes": pdf.len()}),
                format!(
                    "{} に宛名ラベル {}枚分を書き出しました",
                    output.display(),
                    n
                ),
            )
        }
    })
}
