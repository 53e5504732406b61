//! The commands the window may call. Each one only unpacks its arguments and calls the core;
//! errors travel to the UI as structured `CoreError` values (code, message, field).
//!
//! The `commands!` table below is the single declaration of every command: it defines the
//! Tauri handlers *and* generates `ui/src/bindings/commands.ts`, so the UI's calls are typed
//! from Rust and never written twice.
use crate::state::{AppState, AppStatus};
use std::path::PathBuf;
use tauri::State;
use teikibin_core::demo::DemoReport;
use teikibin_core::members::duplicates::DuplicatePair;
use teikibin_core::members::search::{SearchPage, SearchQuery};
use teikibin_core::members::{
    AddressInput, ContactEntry, ContactInput, DeliveryAddress, Member, MemberDetail, MemberInput, StatusChange,
};
use teikibin_core::import::{
    mapping_from_file, rejected_rows_csv, ImportBatch, ImportIssue, ImportKind, ImportOptions, ImportPreview, ImportProgress, ImportReport, MappingFile,
    Source,
};
use teikibin_core::courses::{Course, CourseInput};
use teikibin_core::month::{MonthProgress, MonthRunReport};
use teikibin_core::orders::{CallerContext, Order, OrderFilter, OrderInput, OrderPage, OrderQuote, OrderStatusChange};
use teikibin_core::products::{Product, ProductInput};
use teikibin_core::subscriptions::{SubscriptionAction, SubscriptionDetail, SubscriptionFilter, SubscriptionInput, SubscriptionPage};
use teikibin_core::postal::{PostalAddress, PostalImportReport};
use teikibin_core::settings::ShopSettings;
use teikibin_core::bulletin::{MailingFile, MailingList};
use teikibin_core::csv_template::{FieldChoice, TemplateColumn};
use teikibin_core::invoices::{BillingReport, InvoicePage, InvoiceRequest, InvoiceSearch, InvoiceSummary, PaperProgress};
use teikibin_core::labels::LabelSheets;
use teikibin_core::pdf::document::DocKind;
use teikibin_core::pdf::labels::LabelSheet;
use teikibin_core::shipping::b2::{CarrierCheck, CarrierExportRequest, CarrierFile, TrackingReport};
use teikibin_core::shipping::carriers::CarrierTemplate;
use teikibin_core::shipping::{Shipment, ShipmentChange, ShipmentFilter, ShipmentPlan, ShipmentRequest};
use std::collections::BTreeMap;
use teikibin_core::bank::{BankImportInfo, BankImportOptions, BankImportReport, BankLine, DepositConfirmation};
use teikibin_core::debit::{DebitAccount, DebitItem, DebitPlan, DebitRequest, DebitResultOptions, DebitResultReport, NextStep};
use teikibin_core::dunning::{OverdueList, ReminderRequest};
use teikibin_core::receivables::{MemberAccount, Payment, PaymentFilter, PaymentInput, PaymentPage};
use teikibin_core::export::CsvEncoding;
use teikibin_core::reports::{Dashboard, MailingCsv, MemberList, ReportFilter, ReportKind, ReportView};
use teikibin_core::backup::{BackupCheck, BackupInfo, BackupOverview, BackupReason, RestoreReport};
use teikibin_core::portability::{Erasure, FullExport, MemberDataExport};
use teikibin_core::access::{AccessStatus, AuditPage, AuditQuery, AuditTable, Role, Session, StaffAccount};
use teikibin_core::CoreError;
use ts_rs::TS;

macro_rules! commands {
    ($( $(#[doc = $doc:literal])* fn $name:ident($st:ident $(, $arg:ident : $ty:ty)*) -> $ret:ty $body:block )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command(rename_all = "snake_case")]
            pub async fn $name($st: State<'_, AppState> $(, $arg: $ty)*) -> Result<$ret, CoreError> $body
        )*

        pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// The TypeScript wrappers of every command, typed by the ts-rs bindings.
        pub fn typescript_bindings() -> String {
            let cfg = ts_rs::Config::from_env();
            let mut imports = std::collections::BTreeSet::new();
            let mut body = String::new();
            $(
                #[allow(unused_mut)]
                let mut params = Vec::<String>::new();
                #[allow(unused_mut)]
                let mut args = Vec::<String>::new();
                $(
                    imports.extend(type_imports(&<$ty as TS>::name(&cfg)));
                    params.push(format!("{}: {}", stringify!($arg), <$ty as TS>::name(&cfg)));
                    args.push(stringify!($arg).to_string());
                )*
                imports.extend(type_imports(&<$ret as TS>::name(&cfg)));
                let doc: Vec<&str> = vec![$($doc.trim()),*];
                if !doc.is_empty() {
                    body.push_str(&format!("/** {} */\n", doc.join(" ")));
                }
                let payload = if args.is_empty() { String::new() } else { format!(", {{ {} }}", args.join(", ")) };
                body.push_str(&format!(
                    "export const {} = ({}): Promise<{}> =>\n  invoke(\"{}\"{});\n\n",
                    camel(stringify!($name)), params.join(", "), <$ret as TS>::name(&cfg), stringify!($name), payload
                ));
            )*
            let mut out = String::from("// Generated from src-tauri/commands.rs by `cargo test`. Do not edit.\nimport { invoke } from \"@tauri-apps/api/core\";\n");
            for t in imports {
                out.push_str(&format!("import type {{ {t} }} from \"./{t}\";\n"));
            }
            out.push('\n');
            out.push_str(&body);
            out
        }
    };
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The generated type names inside a TypeScript type expression (`Array<Member> | null` → Member).
fn type_imports(ts: &str) -> Vec<String> {
    const BUILTIN: &[&str] = &["Array", "Record", "Promise", "string", "number", "boolean", "null", "void", "bigint", "never", "unknown"];
    ts.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !BUILTIN.contains(w))
        .map(String::from)
        .collect()
}

commands! {
    /// Which database is open, its counts, and whether this is the first start.
    fn app_status(state) -> AppStatus {
        state.status()
    }

    /// Opens (or creates) the database file the user chose in a dialog, and remembers it.
    fn open_database(state, path: String) -> AppStatus {
        state.open(&PathBuf::from(path), true)?;
        state.status()
    }

    /// First start: saves the shop's name and, when asked, fills the database with demo members.
    fn finish_first_start(state, settings: ShopSettings, demo_members: u32) -> AppStatus {
        state.with_db(|db| {
            db.save_shop_settings(settings)?;
            if demo_members > 0 {
                db.generate_demo(demo_members, 2026)?;
            }
            Ok(())
        })?;
        state.finish_first_start();
        state.status()
    }

    /// Adds demo members (for trying the app out).
    fn generate_demo(state, members: u32) -> DemoReport {
        state.with_db(|db| db.generate_demo(members, rand_seed()))
    }

    /// One page of the member list for the search box.
    fn search_members(state, query: SearchQuery) -> SearchPage {
        state.with_db(|db| db.search_members(&query))
    }

    /// Everything the member page shows.
    fn member_detail(state, code: String) -> MemberDetail {
        state.with_db(|db| db.member_detail(&code))
    }

    /// The code a new member would get.
    fn next_member_code(state) -> String {
        state.with_db(|db| db.next_member_code())
    }

    fn create_member(state, input: MemberInput, staff: String) -> Member {
        state.with_db(|db| db.create_member(&input, &staff))
    }

    fn update_member(state, code: String, input: MemberInput, staff: String) -> Member {
        state.with_db(|db| db.update_member(&code, &input, &staff))
    }

    /// Suspend, withdraw or reactivate, with date and reason kept in the history.
    fn change_member_status(state, code: String, change: StatusChange) -> Member {
        state.with_db(|db| db.change_member_status(&code, &change))
    }

    /// Every table as CSV in one zip at `target` (chosen in a save dialog): the shop's way out.
    fn export_all(state, target: String) -> FullExport {
        state.with_db(|db| db.export_all(std::path::Path::new(&target)))
    }

    /// 開示請求: everything about the member as JSON at `target` (chosen in a save dialog).
    fn member_data_export(state, code: String, target: String) -> MemberDataExport {
        state.with_db(|db| db.export_member_data(&code, std::path::Path::new(&target)))
    }

    /// 削除請求: anonymises the member (invoices and amounts stay, as the law requires).
    fn member_erase(state, code: String, reason: String, staff: String) -> Erasure {
        state.with_db(|db| db.erase_member(&code, &reason, &staff))
    }

    fn add_contact(state, code: String, input: ContactInput) -> ContactEntry {
        state.with_db(|db| db.add_contact(&code, &input))
    }

    fn add_address(state, code: String, input: AddressInput) -> DeliveryAddress {
        state.with_db(|db| db.add_address(&code, &input))
    }

    fn update_address(state, id: i32, input: AddressInput) -> DeliveryAddress {
        state.with_db(|db| db.update_address(id as i64, &input))
    }

    /// Hides a delivery address from pickers (it stays on file), or brings it back.
    fn archive_address(state, id: i32, archived: bool) -> DeliveryAddress {
        state.with_db(|db| db.archive_address(id as i64, archived))
    }

    /// Likely duplicate pairs (名寄せ).
    fn duplicate_candidates(state) -> Vec<DuplicatePair> {
        state.with_db(|db| db.duplicate_candidates())
    }

    /// Merges `absorbed` into `kept`; both stay on file.
    fn merge_members(state, kept: String, absorbed: String, staff: String) -> Member {
        state.with_db(|db| db.merge_members(&kept, &absorbed, &staff))
    }

    /// The addresses of a postal code from the imported Japan Post directory (empty if unknown).
    fn lookup_postal_code(state, code: String) -> Vec<PostalAddress> {
        state.with_db(|db| db.lookup_postal_code(&code))
    }

    /// Replaces the postal directory with a KEN_ALL.CSV the user chose in a dialog.
    fn import_postal_codes(state, path: String) -> PostalImportReport {
        state.with_db(|db| db.import_postal_codes(&PathBuf::from(path)))
    }

    /// Reads the file the user chose and shows what importing it would do (nothing is written).
    fn import_preview(state, kind: ImportKind, path: String, options: ImportOptions) -> ImportPreview {
        let source = Source::read(&PathBuf::from(path))?;
        state.with_db(|db| db.preview_import(kind, &source, &options))
    }

    /// Imports the file: all rows or none (unless `skip_invalid`), as one batch.
    fn import_run(state, kind: ImportKind, path: String, options: ImportOptions) -> ImportReport {
        let source = Source::read(&PathBuf::from(path))?;
        let out = state.with_db(|db| db.import(kind, &source, &options, false, &mut |p| state.set_progress(Some(p))));
        state.set_progress(None);
        out
    }

    /// The running import's progress (`null` when none runs).
    fn import_progress(state) -> Option<ImportProgress> {
        Ok(state.progress())
    }

    /// Every import, newest first.
    fn import_batches(state) -> Vec<ImportBatch> {
        state.with_db(|db| db.import_batches())
    }

    /// Takes a whole import back, if nothing entered since depends on it.
    fn undo_import(state, batch: String, staff: String) -> ImportBatch {
        state.with_db(|db| db.undo_import(&batch, &staff))
    }

    /// Writes the rejected rows of a file, with the reasons from its preview or import, to
    /// `target` (chosen in a save dialog) in the file's own encoding, for fixing in Excel.
    /// Returns the number of rows.
    fn save_rejected_rows(state, path: String, errors: Vec<ImportIssue>, target: String) -> u32 {
        let _ = &state;
        let same = |a: &str, b: &str| std::fs::canonicalize(a).ok().zip(std::fs::canonicalize(b).ok()).is_some_and(|(a, b)| a == b);
        if same(&path, &target) {
            return Err(CoreError::field("target", "取り込んだ元のファイルには上書きできません。別の名前で保存してください"));
        }
        let source = Source::read(&PathBuf::from(path))?;
        let csv = rejected_rows_csv(&source, &errors)?;
        std::fs::write(&target, &csv.bytes).map_err(|e| CoreError::new(teikibin_core::ErrorCode::Io, format!("{target} に書き込めません: {e}")))?;
        Ok(csv.rows)
    }

    /// Saves the column mapping to a file (chosen in a save dialog) for reuse.
    fn save_import_mapping(state, kind: ImportKind, headers: Vec<String>, mapping: Vec<Option<String>>, target: String) -> String {
        let _ = &state;
        let json = serde_json::to_string_pretty(&MappingFile::new(kind, &headers, &mapping)).expect("mapping json");
        std::fs::write(&target, json).map_err(|e| CoreError::new(teikibin_core::ErrorCode::Io, format!("{target} に書き込めません: {e}")))?;
        Ok(target)
    }

    /// Applies a saved mapping file to the headers of the data file `path`.
    fn load_import_mapping(state, kind: ImportKind, path: String, mapping_file: String) -> Vec<Option<String>> {
        let source = Source::read(&PathBuf::from(path))?;
        let headers = teikibin_core::import::file_headers(&source)?;
        let json = std::fs::read_to_string(&mapping_file).map_err(|e| CoreError::new(teikibin_core::ErrorCode::Io, format!("{mapping_file} を読めません: {e}")))?;
        state.with_db(|db| mapping_from_file(db, kind, &json, &headers))
    }

    /// Every product, by code.
    fn products_list(state) -> Vec<Product> {
        state.with_db(|db| db.products())
    }

    /// Creates a product (`existing` null) or updates the product whose code is `existing`.
    fn save_product(state, existing: Option<String>, input: ProductInput) -> Product {
        state.with_db(|db| db.save_product(existing.as_deref(), input))
    }

    /// Every course, active first.
    fn courses_list(state) -> Vec<Course> {
        state.with_db(|db| db.courses())
    }

    /// Creates a course (`existing` null) or updates the course whose code is `existing`.
    fn save_course(state, existing: Option<String>, input: CourseInput) -> Course {
        state.with_db(|db| db.save_course(existing.as_deref(), input))
    }

    fn subscriptions_list(state, filter: SubscriptionFilter) -> SubscriptionPage {
        state.with_db(|db| db.subscriptions(&filter))
    }

    /// A subscription with its course, events and next deliveries.
    fn subscription_detail(state, id: i32) -> SubscriptionDetail {
        state.with_db(|db| db.subscription(id as i64))
    }

    fn create_subscription(state, input: SubscriptionInput) -> SubscriptionDetail {
        state.with_db(|db| db.create_subscription(&input))
    }

    /// Skip, switch, pause, resume, stop, restart or change; the event is kept.
    fn subscription_action(state, id: i32, action: SubscriptionAction, staff: String) -> SubscriptionDetail {
        state.with_db(|db| db.subscription_action(id as i64, &action, &staff))
    }

    /// The caller's member record, addresses, subscriptions, latest orders and open balance.
    fn caller_context(state, code: String) -> CallerContext {
        state.with_db(|db| db.caller(&code))
    }

    /// Lines and totals (tax per rate, fees) of an order being typed; nothing is written.
    fn quote_order(state, input: OrderInput) -> OrderQuote {
        state.with_db(|db| db.quote_order(&input))
    }

    fn create_order(state, input: OrderInput) -> Order {
        state.with_db(|db| db.create_order(&input))
    }

    fn orders_list(state, filter: OrderFilter) -> OrderPage {
        state.with_db(|db| db.orders(&filter))
    }

    fn order_detail(state, number: String) -> Order {
        state.with_db(|db| db.order(&number))
    }

    /// Moves an order along its states, or cancels it with a reason.
    fn change_order_status(state, number: String, change: OrderStatusChange) -> Order {
        state.with_db(|db| db.change_order_status(&number, &change))
    }

    /// What the monthly run would create and skip (nothing is written).
    fn month_preview(state, month: String) -> MonthRunReport {
        state.with_db(|db| db.month_preview(&month))
    }

    /// Runs the month in one transaction; progress through `month_progress`.
    fn month_run(state, month: String, staff: String) -> MonthRunReport {
        let set = |p: Option<MonthProgress>| *state.month_progress.lock().unwrap_or_else(|e| e.into_inner()) = p;
        let out = state.with_db(|db| db.month_run(&month, &staff, &mut |p| set(Some(p))));
        set(None);
        out
    }

    /// The running monthly run's progress (`null` when none runs).
    fn month_progress(state) -> Option<MonthProgress> {
        Ok(*state.month_progress.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The parcels a request would make from the orders waiting (nothing written).
    fn shipments_plan(state, request: ShipmentRequest) -> ShipmentPlan {
        state.with_db(|db| db.plan_shipments(&request))
    }

    /// Makes the parcels (同梱 per member and address) in one transaction.
    fn shipments_create(state, request: ShipmentRequest) -> ShipmentPlan {
        state.with_db(|db| db.create_shipments(&request))
    }

    fn shipments_list(state, filter: ShipmentFilter) -> Vec<Shipment> {
        state.with_db(|db| db.shipments(&filter))
    }

    /// Changes a parcel not yet shipped (slip type, cool, dates, time slot, 品名, parcels).
    fn shipment_change(state, number: String, change: ShipmentChange) -> Shipment {
        state.with_db(|db| db.change_shipment(&number, &change))
    }

    /// Marks parcels as handed to the carrier (own labels, no tracking file); stock goes down.
    fn shipments_ship(state, numbers: Vec<String>) -> Vec<Shipment> {
        state.with_db(|db| db.ship_shipments(&numbers))
    }

    fn shipment_cancel(state, number: String, reason: String, staff: String) -> Shipment {
        state.with_db(|db| db.cancel_shipment(&number, &reason, &staff))
    }

    /// What a carrier file needs first: characters to replace, rows the carrier would refuse.
    /// `template` empty: Yamato B2 Cloud; else a carrier template's name.
    fn carrier_check(state, template: String, request: CarrierExportRequest) -> CarrierCheck {
        state.with_db(|db| if template.is_empty() { db.b2_check(&request) } else { db.carrier_check(&template, &request) })
    }

    /// Writes the carrier file to `target` (chosen in a save dialog) and records the batch.
    fn carrier_export(state, template: String, request: CarrierExportRequest, target: String) -> CarrierFile {
        state.with_db(|db| {
            let file = if template.is_empty() { db.b2_export(&request)? } else { db.carrier_export(&template, &request)? };
            write_file(&target, &file.bytes)?;
            Ok(file)
        })
    }

    fn carrier_templates(state) -> Vec<CarrierTemplate> {
        state.with_db(|db| db.carrier_templates())
    }

    fn save_carrier_templates(state, templates: Vec<CarrierTemplate>) -> Vec<CarrierTemplate> {
        state.with_db(|db| db.save_carrier_templates(templates))
    }

    fn carrier_fields(state) -> Vec<FieldChoice> {
        let _ = state;
        Ok(teikibin_core::shipping::carriers::field_choices())
    }

    /// Reads B2's issued-slip file (chosen in a dialog) and attaches tracking numbers.
    fn import_tracking(state, path: String) -> TrackingReport {
        let (bytes, name) = read_file(&path)?;
        state.with_db(|db| db.import_tracking(&bytes, &name))
    }

    fn label_sheets(state) -> LabelSheets {
        state.with_db(|db| db.label_sheets())
    }

    fn save_label_sheets(state, shipping: LabelSheet, address: LabelSheet) -> LabelSheets {
        state.with_db(|db| db.save_label_sheets(shipping, address))
    }

    /// Shipping labels for the parcels, shown in the preview.
    fn shipping_labels_pdf(state, request: CarrierExportRequest, sheet: LabelSheet, start_position: u32) -> PdfDoc {
        let pdf = state.with_db(|db| db.shipping_labels(&request, &sheet, start_position, &mut |p| state.paper(Some(p))));
        state.keep_pdf(pdf)
    }

    /// Delivery slips (納品書) for the parcels, one PDF, shown in the preview.
    fn delivery_slips_pdf(state, request: CarrierExportRequest) -> PdfDoc {
        let pdf = state.with_db(|db| db.delivery_slips_pdf(&request, &mut |p| state.paper(Some(p))));
        state.keep_pdf(pdf)
    }

    /// Invoices by date range, amount range and member, combined (電子帳簿保存法).
    fn invoices_search(state, search: InvoiceSearch) -> InvoicePage {
        state.with_db(|db| db.invoices(&search))
    }

    /// Issues a qualified invoice for an order, or a member's month.
    fn invoice_issue(state, request: InvoiceRequest) -> InvoiceSummary {
        state.with_db(|db| db.issue_invoice(&request))
    }

    /// Invoices every member with orders of the month to bill; progress through `paper_progress`.
    fn invoices_issue_period(state, period: String, staff: String) -> BillingReport {
        let out = state.with_db(|db| db.issue_period_invoices(&period, &staff, &mut |p| state.paper(Some(p))));
        state.paper(None);
        out
    }

    fn invoice_void(state, number: String, reason: String, staff: String) -> InvoiceSummary {
        state.with_db(|db| db.void_invoice(&number, &reason, &staff))
    }

    /// Voids the invoice and issues its correction, which names it.
    fn invoice_reissue(state, number: String, reason: String, staff: String) -> InvoiceSummary {
        state.with_db(|db| db.reissue_invoice(&number, &reason, &staff))
    }

    /// An invoice as issued, or its delivery slip or receipt, shown in the preview.
    fn invoice_pdf(state, number: String, kind: DocKind) -> PdfDoc {
        let pdf = state.with_db(|db| Ok((db.invoice_document_pdf(&number, kind)?, 1)));
        state.keep_pdf(pdf)
    }

    /// The search's invoices (or their slips) in one PDF to print; progress through `paper_progress`.
    fn invoices_pdf(state, search: InvoiceSearch, kind: DocKind) -> PdfDoc {
        let pdf = state.with_db(|db| db.invoices_pdf(&search, kind, &mut |p| state.paper(Some(p))));
        state.keep_pdf(pdf)
    }

    /// The running billing run's or batch's progress (`null` when none runs).
    fn paper_progress(state) -> Option<PaperProgress> {
        Ok(state.paper_progress.lock().unwrap_or_else(|e| e.into_inner()).clone())
    }

    /// Saves the PDF last shown in the preview to `target` (chosen in a save dialog).
    fn save_pdf(state, target: String) -> u32 {
        let pdf = state.last_pdf.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let pdf = pdf.ok_or_else(|| CoreError::new(teikibin_core::ErrorCode::NotFound, "保存するPDFがありません（先にプレビューを開いてください）"))?;
        write_file(&target, &pdf)?;
        Ok(pdf.len() as u32)
    }

    /// The month's bulletin mailing: addresses by postal code, counts by prefecture, exclusions.
    fn mailing_list(state, month: String) -> MailingList {
        state.with_db(|db| db.mailing_list(&month))
    }

    fn mailing_template(state) -> Vec<TemplateColumn> {
        state.with_db(|db| db.mailing_template())
    }

    fn save_mailing_template(state, columns: Vec<TemplateColumn>) -> Vec<TemplateColumn> {
        state.with_db(|db| db.save_mailing_template(columns))
    }

    fn mailing_fields(state) -> Vec<FieldChoice> {
        let _ = state;
        Ok(teikibin_core::bulletin::field_choices())
    }

    /// Writes the printing company's CSV (CP932) to `target` (chosen in a save dialog).
    fn mailing_export(state, month: String, replacements: BTreeMap<String, String>, target: String) -> MailingFile {
        state.with_db(|db| {
            let file = db.mailing_export(&month, &replacements)?;
            write_file(&target, &file.bytes)?;
            Ok(file)
        })
    }

    /// Address labels for the month's mailing, shown in the preview.
    fn mailing_labels_pdf(state, month: String, sheet: LabelSheet, start_position: u32) -> PdfDoc {
        let pdf = state.with_db(|db| db.mailing_labels(&month, &sheet, start_position, &mut |p| state.paper(Some(p))));
        state.keep_pdf(pdf)
    }

    /// Marks or clears 宛先不明 (returned mail) on a member.
    fn set_mail_returned(state, code: String, returned: bool, staff: String) -> Member {
        state.with_db(|db| db.set_mail_returned(&code, returned, &staff))
    }

    /// Imports a bank statement (Zengin 01/03 or a bank's CSV) at `path`, chosen in an open dialog.
    fn bank_import(state, path: String, options: BankImportOptions) -> BankImportReport {
        let (bytes, name) = read_file(&path)?;
        state.with_db(|db| db.bank_import(&bytes, &name, &options))
    }

    /// The header cells of a bank CSV whose columns were not recognised (the import's error has
    /// field `mapping`), for staff to say which column is which.
    fn bank_csv_headers(state, path: String) -> Vec<String> {
        let _ = state;
        let (bytes, name) = read_file(&path)?;
        teikibin_core::zengin::bank_csv::header_row(&bytes, &name)
    }

    fn bank_imports(state) -> Vec<BankImportInfo> {
        state.with_db(|db| db.bank_imports())
    }

    fn bank_lines(state, import_id: u32) -> Vec<BankLine> {
        state.with_db(|db| db.bank_lines(import_id as i64))
    }

    /// Deposits of every import still waiting for staff.
    fn bank_waiting(state) -> Vec<BankLine> {
        state.with_db(|db| db.bank_waiting())
    }

    /// Books the deposits as staff decided, all in one transaction.
    fn bank_confirm(state, confirmations: Vec<DepositConfirmation>) -> Vec<BankLine> {
        state.with_db(|db| db.bank_confirm(&confirmations))
    }

    fn bank_undo(state, import_id: u32, line: u32, reason: String, staff: String) -> BankLine {
        state.with_db(|db| db.bank_undo(import_id as i64, line, &reason, &staff))
    }

    /// Writes the import's reconciliation report CSV to `target` (chosen in a save dialog).
    fn bank_report_csv(state, import_id: u32, target: String) -> u32 {
        let bytes = state.with_db(|db| db.bank_report_csv(import_id as i64))?;
        write_file(&target, &bytes)?;
        Ok(bytes.len() as u32)
    }

    fn payments_list(state, filter: PaymentFilter) -> PaymentPage {
        state.with_db(|db| db.payments(&filter))
    }

    fn payment_record(state, input: PaymentInput) -> Payment {
        state.with_db(|db| db.record_payment(&input))
    }

    fn payment_void(state, id: u32, reason: String, staff: String) -> Payment {
        state.with_db(|db| db.void_payment(id as i64, &reason, &staff))
    }

    fn allocation_undo(state, id: u32, reason: String, staff: String) -> Payment {
        state.with_db(|db| db.undo_allocation(id as i64, &reason, &staff))
    }

    /// A member's open invoices, credit and payments.
    fn member_account(state, member: String) -> MemberAccount {
        state.with_db(|db| db.member_account(&member))
    }

    /// Uses the member's credit on their open invoices, oldest first.
    fn credit_apply(state, member: String, staff: String) -> MemberAccount {
        state.with_db(|db| db.apply_credit(&member, &staff))
    }

    /// The member's current debit account and the ended ones (current first).
    fn debit_accounts(state, member: String) -> Vec<DebitAccount> {
        state.with_db(|db| db.debit_accounts(&member))
    }

    fn debit_account_save(state, account: DebitAccount) -> DebitAccount {
        state.with_db(|db| db.save_debit_account(&account))
    }

    fn debit_account_end(state, member: String) -> bool {
        state.with_db(|db| db.end_debit_account(&member).map(|_| true))
    }

    /// The month's debit request: the one written, or what would be written now.
    fn debit_plan(state, month: String) -> DebitPlan {
        state.with_db(|db| db.debit_plan(&month))
    }

    /// Writes the month's request file (Zengin 91) to `target` (chosen in a save dialog).
    fn debit_export(state, month: String, staff: String, target: String) -> DebitPlan {
        let (plan, bytes) = state.with_db(|db| db.debit_export(&month, &staff))?;
        write_file(&target, &bytes)?;
        Ok(plan)
    }

    fn debit_requests(state) -> Vec<DebitRequest> {
        state.with_db(|db| db.debit_requests())
    }

    /// Reads the agency's result file at `path` (chosen in an open dialog).
    fn debit_import_result(state, path: String, options: DebitResultOptions) -> DebitResultReport {
        let (bytes, name) = read_file(&path)?;
        state.with_db(|db| db.debit_import_result(&bytes, &name, &options))
    }

    fn debit_next_step(state, month: String, member: String, step: NextStep) -> DebitItem {
        state.with_db(|db| db.debit_next_step(&month, &member, step))
    }

    /// Invoices past their due date, by member, most overdue first.
    fn overdue(state, min_days: u32) -> OverdueList {
        state.with_db(|db| db.overdue(min_days))
    }

    /// Reminder letters, logged on each member's contact log, shown in the preview.
    fn dunning_letters_pdf(state, request: ReminderRequest) -> PdfDoc {
        let pdf = state.with_db(|db| db.dunning_letters(&request, &mut |p| state.paper(Some(p))).map(|(pdf, run)| (pdf, run.letters)));
        state.keep_pdf(pdf)
    }

    /// Address labels for the reminder envelopes, shown in the preview.
    fn dunning_labels_pdf(state, request: ReminderRequest, sheet: LabelSheet, start_position: u32) -> PdfDoc {
        let pdf = state.with_db(|db| db.dunning_labels(&request, &sheet, start_position, &mut |p| state.paper(Some(p))));
        state.keep_pdf(pdf)
    }

    /// One report (集計) as the window draws it: figures, charts and tables.
    fn report(state, kind: ReportKind, filter: ReportFilter) -> ReportView {
        state.with_db(|db| db.report(kind, &filter))
    }

    /// Writes the report's CSV (Shift_JIS unless a name needs UTF-8) to `target` (a save dialog's).
    fn report_csv(state, kind: ReportKind, filter: ReportFilter, target: String) -> CsvEncoding {
        let file = state.with_db(|db| db.report_csv(kind, &filter))?;
        write_file(&target, &file.bytes)?;
        Ok(file.encoding.unwrap_or_default())
    }

    /// The report on A4 landscape, shown in the preview.
    fn report_pdf(state, kind: ReportKind, filter: ReportFilter) -> PdfDoc {
        let pdf = state.with_db(|db| db.report_pdf(kind, &filter).map(|f| (f.bytes, 1)));
        state.keep_pdf(pdf)
    }

    /// The members behind a cell of the CPM or RFM table.
    fn report_members(state, kind: ReportKind, filter: ReportFilter, drill: String) -> MemberList {
        state.with_db(|db| db.report_members(kind, &filter, &drill))
    }

    /// Those members as an address CSV for a mailing (withdrawn and DM不要 left out), to `target`.
    fn report_members_csv(state, kind: ReportKind, filter: ReportFilter, drill: String, target: String) -> MailingCsv {
        let r = state.with_db(|db| db.report_members_csv(kind, &filter, &drill))?;
        write_file(&target, &r.file.as_ref().expect("written").bytes)?;
        Ok(r)
    }

    /// The start screen's figures of this month.
    fn dashboard(state) -> Dashboard {
        state.with_db(|db| db.dashboard())
    }

    fn get_settings(state) -> ShopSettings {
        state.with_db(|db| db.shop_settings())
    }

    fn save_settings(state, settings: ShopSettings) -> ShopSettings {
        state.with_db(|db| db.save_shop_settings(settings))
    }

    /// 設定 → バックアップ: the folder in use and its backups, newest first.
    fn backup_overview(state) -> BackupOverview {
        state.with_db(|db| db.backup_overview())
    }

    /// 今すぐバックアップ: a verified copy in the backup folder.
    fn backup_create(state) -> Option<BackupInfo> {
        state.with_db(|db| db.backup_now(BackupReason::Manual))
    }

    /// Checks a backup file (integrity, schema; decrypted with the shop's passphrase).
    fn backup_verify(state, path: String) -> BackupCheck {
        state.with_db(|db| db.backup_verify(&PathBuf::from(path)))
    }

    /// Restores a backup into the open database, after a backup of the current state.
    fn backup_restore(state, path: String) -> RestoreReport {
        state.with_db(|db| db.backup_restore(&PathBuf::from(path), None))
    }

    /// The damaged screen at start: restores a backup over the damaged database (kept first in
    /// the backup folder) and opens it.
    fn restore_damaged(state, path: String) -> AppStatus {
        state.restore_damaged(&PathBuf::from(path))?;
        state.status()
    }

    /// Whether staff accounts exist (the login screen first) and who is logged in.
    fn access_status(state) -> AccessStatus {
        state.with_db(|db| db.access_status())
    }

    fn login(state, name: String, password: String) -> Session {
        state.with_db(|db| db.login(&name, &password))
    }

    /// The window's lock: the core forgets the session until the next login.
    fn logout(state) -> bool {
        state.with_db(|db| {
            db.logout();
            Ok(true)
        })
    }

    /// The staff picker's name, for the audit log while no accounts exist.
    fn set_staff(state, name: String) -> bool {
        state.with_db(|db| {
            db.set_staff(&name);
            Ok(true)
        })
    }

    fn staff_accounts(state) -> Vec<StaffAccount> {
        state.with_db(|db| db.staff_accounts())
    }

    /// Adds an account (the first must be an admin, and logs its creator in).
    fn staff_account_add(state, name: String, password: String, role: Role) -> StaffAccount {
        state.with_db(|db| db.add_staff_account(&name, &password, role))
    }

    fn staff_account_role(state, name: String, role: Role) -> StaffAccount {
        state.with_db(|db| db.set_staff_role(&name, role))
    }

    fn staff_account_disable(state, name: String) -> StaffAccount {
        state.with_db(|db| db.disable_staff_account(&name))
    }

    fn staff_account_password(state, name: String, password: String) -> StaffAccount {
        state.with_db(|db| db.set_staff_password(&name, &password))
    }

    /// One page of the audit log (操作履歴), newest first.
    fn audit_list(state, query: AuditQuery) -> AuditPage {
        state.with_db(|db| db.audit_list(&query))
    }

    /// The idle minutes before the window locks (admin only).
    fn set_lock_minutes(state, minutes: u32) -> u32 {
        state.with_db(|db| db.set_lock_minutes(minutes))
    }

    fn audit_tables(state) -> Vec<AuditTable> {
        state.with_db(|db| db.audit_tables())
    }
}

/// A PDF for the preview: the file as base64 (the window renders it with pdf.js) and how many
/// documents or labels it holds.
#[derive(Debug, Clone, serde::Serialize, TS)]
#[ts(export)]
pub struct PdfDoc {
    pub base64: String,
    #[ts(type = "number")]
    pub count: u64,
    #[ts(type = "number")]
    pub bytes: u64,
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| path.to_string())
}

/// Reads a file the user chose in an open dialog: its bytes and its name for messages.
fn read_file(path: &str) -> teikibin_core::Result<(Vec<u8>, String)> {
    let name = file_name(path);
    let bytes = std::fs::read(path).map_err(|e| CoreError::new(teikibin_core::ErrorCode::Io, format!("{name} を読めません: {e}")))?;
    Ok((bytes, name))
}

/// Writes a file the user chose in a save dialog.
fn write_file(target: &str, bytes: &[u8]) -> teikibin_core::Result<()> {
    std::fs::write(target, bytes).map_err(|e| CoreError::new(teikibin_core::ErrorCode::Io, format!("{} に書き込めません: {e}", file_name(target))))
}

impl AppState {
    fn paper(&self, p: Option<PaperProgress>) {
        *self.paper_progress.lock().unwrap_or_else(|e| e.into_inner()) = p;
    }

    /// Keeps the PDF for `save_pdf` and hands it to the preview.
    fn keep_pdf(&self, pdf: teikibin_core::Result<(Vec<u8>, u64)>) -> teikibin_core::Result<PdfDoc> {
        use base64::Engine;
        self.paper(None);
        let (pdf, count) = pdf?;
        let doc = PdfDoc { base64: base64::engine::general_purpose::STANDARD.encode(&pdf), count, bytes: pdf.len() as u64 };
        *self.last_pdf.lock().unwrap_or_else(|e| e.into_inner()) = Some(pdf);
        Ok(doc)
    }
}

fn rand_seed() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    /// Writes the command wrappers and the prefecture list next to the ts-rs bindings; CI fails
    /// when the committed files differ (`git status --porcelain ui/src/bindings`).
    #[test]
    fn export_typescript_commands() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("commands.ts"), super::typescript_bindings()).unwrap();
        let prefectures: Vec<String> = teikibin_core::address::PREFECTURES.iter().map(|p| format!("\"{p}\"")).collect();
        let ts = format!(
            "// Generated from teikibin_core::address::PREFECTURES by `cargo test`. Do not edit.\nexport const PREFECTURES = [{}] as const;\n",
            prefectures.join(", ")
        );
        std::fs::write(dir.join("prefectures.ts"), ts).unwrap();
    }
}
