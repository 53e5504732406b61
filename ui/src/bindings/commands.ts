// Generated from src-tauri/commands.rs by `cargo test`. Do not edit.
import { invoke } from "@tauri-apps/api/core";
import type { AccessStatus } from "./AccessStatus";
import type { AddressInput } from "./AddressInput";
import type { AppStatus } from "./AppStatus";
import type { AuditPage } from "./AuditPage";
import type { AuditQuery } from "./AuditQuery";
import type { AuditTable } from "./AuditTable";
import type { BackupCheck } from "./BackupCheck";
import type { BackupInfo } from "./BackupInfo";
import type { BackupOverview } from "./BackupOverview";
import type { BankImportInfo } from "./BankImportInfo";
import type { BankImportOptions } from "./BankImportOptions";
import type { BankImportReport } from "./BankImportReport";
import type { BankLine } from "./BankLine";
import type { BillingReport } from "./BillingReport";
import type { CallerContext } from "./CallerContext";
import type { CarrierCheck } from "./CarrierCheck";
import type { CarrierExportRequest } from "./CarrierExportRequest";
import type { CarrierFile } from "./CarrierFile";
import type { CarrierTemplate } from "./CarrierTemplate";
import type { ContactEntry } from "./ContactEntry";
import type { ContactInput } from "./ContactInput";
import type { Course } from "./Course";
import type { CourseInput } from "./CourseInput";
import type { CsvEncoding } from "./CsvEncoding";
import type { Dashboard } from "./Dashboard";
import type { DebitAccount } from "./DebitAccount";
import type { DebitItem } from "./DebitItem";
import type { DebitPlan } from "./DebitPlan";
import type { DebitRequest } from "./DebitRequest";
import type { DebitResultOptions } from "./DebitResultOptions";
import type { DebitResultReport } from "./DebitResultReport";
import type { DeliveryAddress } from "./DeliveryAddress";
import type { DemoReport } from "./DemoReport";
import type { DepositConfirmation } from "./DepositConfirmation";
import type { DocKind } from "./DocKind";
import type { DuplicatePair } from "./DuplicatePair";
import type { Erasure } from "./Erasure";
import type { FieldChoice } from "./FieldChoice";
import type { FullExport } from "./FullExport";
import type { ImportBatch } from "./ImportBatch";
import type { ImportIssue } from "./ImportIssue";
import type { ImportKind } from "./ImportKind";
import type { ImportOptions } from "./ImportOptions";
import type { ImportPreview } from "./ImportPreview";
import type { ImportProgress } from "./ImportProgress";
import type { ImportReport } from "./ImportReport";
import type { InvoicePage } from "./InvoicePage";
import type { InvoiceRequest } from "./InvoiceRequest";
import type { InvoiceSearch } from "./InvoiceSearch";
import type { InvoiceSummary } from "./InvoiceSummary";
import type { LabelSheet } from "./LabelSheet";
import type { LabelSheets } from "./LabelSheets";
import type { MailingCsv } from "./MailingCsv";
import type { MailingFile } from "./MailingFile";
import type { MailingList } from "./MailingList";
import type { Member } from "./Member";
import type { MemberAccount } from "./MemberAccount";
import type { MemberDataExport } from "./MemberDataExport";
import type { MemberDetail } from "./MemberDetail";
import type { MemberInput } from "./MemberInput";
import type { MemberList } from "./MemberList";
import type { MonthProgress } from "./MonthProgress";
import type { MonthRunReport } from "./MonthRunReport";
import type { NextStep } from "./NextStep";
import type { Order } from "./Order";
import type { OrderFilter } from "./OrderFilter";
import type { OrderInput } from "./OrderInput";
import type { OrderPage } from "./OrderPage";
import type { OrderQuote } from "./OrderQuote";
import type { OrderStatusChange } from "./OrderStatusChange";
import type { OverdueList } from "./OverdueList";
import type { PaperProgress } from "./PaperProgress";
import type { Payment } from "./Payment";
import type { PaymentFilter } from "./PaymentFilter";
import type { PaymentInput } from "./PaymentInput";
import type { PaymentPage } from "./PaymentPage";
import type { PdfDoc } from "./PdfDoc";
import type { PostalAddress } from "./PostalAddress";
import type { PostalImportReport } from "./PostalImportReport";
import type { Product } from "./Product";
import type { ProductInput } from "./ProductInput";
import type { ReminderRequest } from "./ReminderRequest";
import type { ReportFilter } from "./ReportFilter";
import type { ReportKind } from "./ReportKind";
import type { ReportView } from "./ReportView";
import type { RestoreReport } from "./RestoreReport";
import type { Role } from "./Role";
import type { SearchPage } from "./SearchPage";
import type { SearchQuery } from "./SearchQuery";
import type { Session } from "./Session";
import type { Shipment } from "./Shipment";
import type { ShipmentChange } from "./ShipmentChange";
import type { ShipmentFilter } from "./ShipmentFilter";
import type { ShipmentPlan } from "./ShipmentPlan";
import type { ShipmentRequest } from "./ShipmentRequest";
import type { ShopSettings } from "./ShopSettings";
import type { StaffAccount } from "./StaffAccount";
import type { StatusChange } from "./StatusChange";
import type { SubscriptionAction } from "./SubscriptionAction";
import type { SubscriptionDetail } from "./SubscriptionDetail";
import type { SubscriptionFilter } from "./SubscriptionFilter";
import type { SubscriptionInput } from "./SubscriptionInput";
import type { SubscriptionPage } from "./SubscriptionPage";
import type { TemplateColumn } from "./TemplateColumn";
import type { TrackingReport } from "./TrackingReport";

/** Which database is open, its counts, and whether this is the first start. */
export const appStatus = (): Promise<AppStatus> =>
  invoke("app_status");

/** Opens (or creates) the database file the user chose in a dialog, and remembers it. */
export const openDatabase = (path: string): Promise<AppStatus> =>
  invoke("open_database", { path });

/** First start: saves the shop's name and, when asked, fills the database with demo members. */
export const finishFirstStart = (settings: ShopSettings, demo_members: number): Promise<AppStatus> =>
  invoke("finish_first_start", { settings, demo_members });

/** Adds demo members (for trying the app out). */
export const generateDemo = (members: number): Promise<DemoReport> =>
  invoke("generate_demo", { members });

/** One page of the member list for the search box. */
export const searchMembers = (query: SearchQuery): Promise<SearchPage> =>
  invoke("search_members", { query });

/** Everything the member page shows. */
export const memberDetail = (code: string): Promise<MemberDetail> =>
  invoke("member_detail", { code });

/** The code a new member would get. */
export const nextMemberCode = (): Promise<string> =>
  invoke("next_member_code");

export const createMember = (input: MemberInput, staff: string): Promise<Member> =>
  invoke("create_member", { input, staff });

export const updateMember = (code: string, input: MemberInput, staff: string): Promise<Member> =>
  invoke("update_member", { code, input, staff });

/** Suspend, withdraw or reactivate, with date and reason kept in the history. */
export const changeMemberStatus = (code: string, change: StatusChange): Promise<Member> =>
  invoke("change_member_status", { code, change });

/** Every table as CSV in one zip at `target` (chosen in a save dialog): the shop's way out. */
export const exportAll = (target: string): Promise<FullExport> =>
  invoke("export_all", { target });

/** 開示請求: everything about the member as JSON at `target` (chosen in a save dialog). */
export const memberDataExport = (code: string, target: string): Promise<MemberDataExport> =>
  invoke("member_data_export", { code, target });

/** 削除請求: anonymises the member (invoices and amounts stay, as the law requires). */
export const memberErase = (code: string, reason: string, staff: string): Promise<Erasure> =>
  invoke("member_erase", { code, reason, staff });

export const addContact = (code: string, input: ContactInput): Promise<ContactEntry> =>
  invoke("add_contact", { code, input });

export const addAddress = (code: string, input: AddressInput): Promise<DeliveryAddress> =>
  invoke("add_address", { code, input });

export const updateAddress = (id: number, input: AddressInput): Promise<DeliveryAddress> =>
  invoke("update_address", { id, input });

/** Hides a delivery address from pickers (it stays on file), or brings it back. */
export const archiveAddress = (id: number, archived: boolean): Promise<DeliveryAddress> =>
  invoke("archive_address", { id, archived });

/** Likely duplicate pairs (名寄せ). */
export const duplicateCandidates = (): Promise<Array<DuplicatePair>> =>
  invoke("duplicate_candidates");

/** Merges `absorbed` into `kept`; both stay on file. */
export const mergeMembers = (kept: string, absorbed: string, staff: string): Promise<Member> =>
  invoke("merge_members", { kept, absorbed, staff });

/** The addresses of a postal code from the imported Japan Post directory (empty if unknown). */
export const lookupPostalCode = (code: string): Promise<Array<PostalAddress>> =>
  invoke("lookup_postal_code", { code });

/** Replaces the postal directory with a KEN_ALL.CSV the user chose in a dialog. */
export const importPostalCodes = (path: string): Promise<PostalImportReport> =>
  invoke("import_postal_codes", { path });

/** Reads the file the user chose and shows what importing it would do (nothing is written). */
export const importPreview = (kind: ImportKind, path: string, options: ImportOptions): Promise<ImportPreview> =>
  invoke("import_preview", { kind, path, options });

/** Imports the file: all rows or none (unless `skip_invalid`), as one batch. */
export const importRun = (kind: ImportKind, path: string, options: ImportOptions): Promise<ImportReport> =>
  invoke("import_run", { kind, path, options });

/** The running import's progress (`null` when none runs). */
export const importProgress = (): Promise<ImportProgress | null> =>
  invoke("import_progress");

/** Every import, newest first. */
export const importBatches = (): Promise<Array<ImportBatch>> =>
  invoke("import_batches");

/** Takes a whole import back, if nothing entered since depends on it. */
export const undoImport = (batch: string, staff: string): Promise<ImportBatch> =>
  invoke("undo_import", { batch, staff });

/** Writes the rejected rows of a file, with the reasons from its preview or import, to `target` (chosen in a save dialog) in the file's own encoding, for fixing in Excel. Returns the number of rows. */
export const saveRejectedRows = (path: string, errors: Array<ImportIssue>, target: string): Promise<number> =>
  invoke("save_rejected_rows", { path, errors, target });

/** Saves the column mapping to a file (chosen in a save dialog) for reuse. */
export const saveImportMapping = (kind: ImportKind, headers: Array<string>, mapping: Array<string | null>, target: string): Promise<string> =>
  invoke("save_import_mapping", { kind, headers, mapping, target });

/** Applies a saved mapping file to the headers of the data file `path`. */
export const loadImportMapping = (kind: ImportKind, path: string, mapping_file: string): Promise<Array<string | null>> =>
  invoke("load_import_mapping", { kind, path, mapping_file });

/** Every product, by code. */
export const productsList = (): Promise<Array<Product>> =>
  invoke("products_list");

/** Creates a product (`existing` null) or updates the product whose code is `existing`. */
export const saveProduct = (existing: string | null, input: ProductInput): Promise<Product> =>
  invoke("save_product", { existing, input });

/** Every course, active first. */
export const coursesList = (): Promise<Array<Course>> =>
  invoke("courses_list");

/** Creates a course (`existing` null) or updates the course whose code is `existing`. */
export const saveCourse = (existing: string | null, input: CourseInput): Promise<Course> =>
  invoke("save_course", { existing, input });

export const subscriptionsList = (filter: SubscriptionFilter): Promise<SubscriptionPage> =>
  invoke("subscriptions_list", { filter });

/** A subscription with its course, events and next deliveries. */
export const subscriptionDetail = (id: number): Promise<SubscriptionDetail> =>
  invoke("subscription_detail", { id });

export const createSubscription = (input: SubscriptionInput): Promise<SubscriptionDetail> =>
  invoke("create_subscription", { input });

/** Skip, switch, pause, resume, stop, restart or change; the event is kept. */
export const subscriptionAction = (id: number, action: SubscriptionAction, staff: string): Promise<SubscriptionDetail> =>
  invoke("subscription_action", { id, action, staff });

/** The caller's member record, addresses, subscriptions, latest orders and open balance. */
export const callerContext = (code: string): Promise<CallerContext> =>
  invoke("caller_context", { code });

/** Lines and totals (tax per rate, fees) of an order being typed; nothing is written. */
export const quoteOrder = (input: OrderInput): Promise<OrderQuote> =>
  invoke("quote_order", { input });

export const createOrder = (input: OrderInput): Promise<Order> =>
  invoke("create_order", { input });

export const ordersList = (filter: OrderFilter): Promise<OrderPage> =>
  invoke("orders_list", { filter });

export const orderDetail = (number: string): Promise<Order> =>
  invoke("order_detail", { number });

/** Moves an order along its states, or cancels it with a reason. */
export const changeOrderStatus = (number: string, change: OrderStatusChange): Promise<Order> =>
  invoke("change_order_status", { number, change });

/** What the monthly run would create and skip (nothing is written). */
export const monthPreview = (month: string): Promise<MonthRunReport> =>
  invoke("month_preview", { month });

/** Runs the month in one transaction; progress through `month_progress`. */
export const monthRun = (month: string, staff: string): Promise<MonthRunReport> =>
  invoke("month_run", { month, staff });

/** The running monthly run's progress (`null` when none runs). */
export const monthProgress = (): Promise<MonthProgress | null> =>
  invoke("month_progress");

/** The parcels a request would make from the orders waiting (nothing written). */
export const shipmentsPlan = (request: ShipmentRequest): Promise<ShipmentPlan> =>
  invoke("shipments_plan", { request });

/** Makes the parcels (同梱 per member and address) in one transaction. */
export const shipmentsCreate = (request: ShipmentRequest): Promise<ShipmentPlan> =>
  invoke("shipments_create", { request });

export const shipmentsList = (filter: ShipmentFilter): Promise<Array<Shipment>> =>
  invoke("shipments_list", { filter });

/** Changes a parcel not yet shipped (slip type, cool, dates, time slot, 品名, parcels). */
export const shipmentChange = (number: string, change: ShipmentChange): Promise<Shipment> =>
  invoke("shipment_change", { number, change });

/** Marks parcels as handed to the carrier (own labels, no tracking file); stock goes down. */
export const shipmentsShip = (numbers: Array<string>): Promise<Array<Shipment>> =>
  invoke("shipments_ship", { numbers });

export const shipmentCancel = (number: string, reason: string, staff: string): Promise<Shipment> =>
  invoke("shipment_cancel", { number, reason, staff });

/** What a carrier file needs first: characters to replace, rows the carrier would refuse. `template` empty: Yamato B2 Cloud; else a carrier template's name. */
export const carrierCheck = (template: string, request: CarrierExportRequest): Promise<CarrierCheck> =>
  invoke("carrier_check", { template, request });

/** Writes the carrier file to `target` (chosen in a save dialog) and records the batch. */
export const carrierExport = (template: string, request: CarrierExportRequest, target: string): Promise<CarrierFile> =>
  invoke("carrier_export", { template, request, target });

export const carrierTemplates = (): Promise<Array<CarrierTemplate>> =>
  invoke("carrier_templates");

export const saveCarrierTemplates = (templates: Array<CarrierTemplate>): Promise<Array<CarrierTemplate>> =>
  invoke("save_carrier_templates", { templates });

export const carrierFields = (): Promise<Array<FieldChoice>> =>
  invoke("carrier_fields");

/** Reads B2's issued-slip file (chosen in a dialog) and attaches tracking numbers. */
export const importTracking = (path: string): Promise<TrackingReport> =>
  invoke("import_tracking", { path });

export const labelSheets = (): Promise<LabelSheets> =>
  invoke("label_sheets");

export const saveLabelSheets = (shipping: LabelSheet, address: LabelSheet): Promise<LabelSheets> =>
  invoke("save_label_sheets", { shipping, address });

/** Shipping labels for the parcels, shown in the preview. */
export const shippingLabelsPdf = (request: CarrierExportRequest, sheet: LabelSheet, start_position: number): Promise<PdfDoc> =>
  invoke("shipping_labels_pdf", { request, sheet, start_position });

/** Delivery slips (納品書) for the parcels, one PDF, shown in the preview. */
export const deliverySlipsPdf = (request: CarrierExportRequest): Promise<PdfDoc> =>
  invoke("delivery_slips_pdf", { request });

/** Invoices by date range, amount range and member, combined (電子帳簿保存法). */
export const invoicesSearch = (search: InvoiceSearch): Promise<InvoicePage> =>
  invoke("invoices_search", { search });

/** Issues a qualified invoice for an order, or a member's month. */
export const invoiceIssue = (request: InvoiceRequest): Promise<InvoiceSummary> =>
  invoke("invoice_issue", { request });

/** Invoices every member with orders of the month to bill; progress through `paper_progress`. */
export const invoicesIssuePeriod = (period: string, staff: string): Promise<BillingReport> =>
  invoke("invoices_issue_period", { period, staff });

export const invoiceVoid = (number: string, reason: string, staff: string): Promise<InvoiceSummary> =>
  invoke("invoice_void", { number, reason, staff });

/** Voids the invoice and issues its correction, which names it. */
export const invoiceReissue = (number: string, reason: string, staff: string): Promise<InvoiceSummary> =>
  invoke("invoice_reissue", { number, reason, staff });

/** An invoice as issued, or its delivery slip or receipt, shown in the preview. */
export const invoicePdf = (number: string, kind: DocKind): Promise<PdfDoc> =>
  invoke("invoice_pdf", { number, kind });

/** The search's invoices (or their slips) in one PDF to print; progress through `paper_progress`. */
export const invoicesPdf = (search: InvoiceSearch, kind: DocKind): Promise<PdfDoc> =>
  invoke("invoices_pdf", { search, kind });

/** The running billing run's or batch's progress (`null` when none runs). */
export const paperProgress = (): Promise<PaperProgress | null> =>
  invoke("paper_progress");

/** Saves the PDF last shown in the preview to `target` (chosen in a save dialog). */
export const savePdf = (target: string): Promise<number> =>
  invoke("save_pdf", { target });

/** The month's bulletin mailing: addresses by postal code, counts by prefecture, exclusions. */
export const mailingList = (month: string): Promise<MailingList> =>
  invoke("mailing_list", { month });

export const mailingTemplate = (): Promise<Array<TemplateColumn>> =>
  invoke("mailing_template");

export const saveMailingTemplate = (columns: Array<TemplateColumn>): Promise<Array<TemplateColumn>> =>
  invoke("save_mailing_template", { columns });

export const mailingFields = (): Promise<Array<FieldChoice>> =>
  invoke("mailing_fields");

/** Writes the printing company's CSV (CP932) to `target` (chosen in a save dialog). */
export const mailingExport = (month: string, replacements: { [key in string]: string }, target: string): Promise<MailingFile> =>
  invoke("mailing_export", { month, replacements, target });

/** Address labels for the month's mailing, shown in the preview. */
export const mailingLabelsPdf = (month: string, sheet: LabelSheet, start_position: number): Promise<PdfDoc> =>
  invoke("mailing_labels_pdf", { month, sheet, start_position });

/** Marks or clears 宛先不明 (returned mail) on a member. */
export const setMailReturned = (code: string, returned: boolean, staff: string): Promise<Member> =>
  invoke("set_mail_returned", { code, returned, staff });

/** Imports a bank statement (Zengin 01/03 or a bank's CSV) at `path`, chosen in an open dialog. */
export const bankImport = (path: string, options: BankImportOptions): Promise<BankImportReport> =>
  invoke("bank_import", { path, options });

/** The header cells of a bank CSV whose columns were not recognised (the import's error has field `mapping`), for staff to say which column is which. */
export const bankCsvHeaders = (path: string): Promise<Array<string>> =>
  invoke("bank_csv_headers", { path });

export const bankImports = (): Promise<Array<BankImportInfo>> =>
  invoke("bank_imports");

export const bankLines = (import_id: number): Promise<Array<BankLine>> =>
  invoke("bank_lines", { import_id });

/** Deposits of every import still waiting for staff. */
export const bankWaiting = (): Promise<Array<BankLine>> =>
  invoke("bank_waiting");

/** Books the deposits as staff decided, all in one transaction. */
export const bankConfirm = (confirmations: Array<DepositConfirmation>): Promise<Array<BankLine>> =>
  invoke("bank_confirm", { confirmations });

export const bankUndo = (import_id: number, line: number, reason: string, staff: string): Promise<BankLine> =>
  invoke("bank_undo", { import_id, line, reason, staff });

/** Writes the import's reconciliation report CSV to `target` (chosen in a save dialog). */
export const bankReportCsv = (import_id: number, target: string): Promise<number> =>
  invoke("bank_report_csv", { import_id, target });

export const paymentsList = (filter: PaymentFilter): Promise<PaymentPage> =>
  invoke("payments_list", { filter });

export const paymentRecord = (input: PaymentInput): Promise<Payment> =>
  invoke("payment_record", { input });

export const paymentVoid = (id: number, reason: string, staff: string): Promise<Payment> =>
  invoke("payment_void", { id, reason, staff });

export const allocationUndo = (id: number, reason: string, staff: string): Promise<Payment> =>
  invoke("allocation_undo", { id, reason, staff });

/** A member's open invoices, credit and payments. */
export const memberAccount = (member: string): Promise<MemberAccount> =>
  invoke("member_account", { member });

/** Uses the member's credit on their open invoices, oldest first. */
export const creditApply = (member: string, staff: string): Promise<MemberAccount> =>
  invoke("credit_apply", { member, staff });

/** The member's current debit account and the ended ones (current first). */
export const debitAccounts = (member: string): Promise<Array<DebitAccount>> =>
  invoke("debit_accounts", { member });

export const debitAccountSave = (account: DebitAccount): Promise<DebitAccount> =>
  invoke("debit_account_save", { account });

export const debitAccountEnd = (member: string): Promise<boolean> =>
  invoke("debit_account_end", { member });

/** The month's debit request: the one written, or what would be written now. */
export const debitPlan = (month: string): Promise<DebitPlan> =>
  invoke("debit_plan", { month });

/** Writes the month's request file (Zengin 91) to `target` (chosen in a save dialog). */
export const debitExport = (month: string, staff: string, target: string): Promise<DebitPlan> =>
  invoke("debit_export", { month, staff, target });

export const debitRequests = (): Promise<Array<DebitRequest>> =>
  invoke("debit_requests");

/** Reads the agency's result file at `path` (chosen in an open dialog). */
export const debitImportResult = (path: string, options: DebitResultOptions): Promise<DebitResultReport> =>
  invoke("debit_import_result", { path, options });

export const debitNextStep = (month: string, member: string, step: NextStep): Promise<DebitItem> =>
  invoke("debit_next_step", { month, member, step });

/** Invoices past their due date, by member, most overdue first. */
export const overdue = (min_days: number): Promise<OverdueList> =>
  invoke("overdue", { min_days });

/** Reminder letters, logged on each member's contact log, shown in the preview. */
export const dunningLettersPdf = (request: ReminderRequest): Promise<PdfDoc> =>
  invoke("dunning_letters_pdf", { request });

/** Address labels for the reminder envelopes, shown in the preview. */
export const dunningLabelsPdf = (request: ReminderRequest, sheet: LabelSheet, start_position: number): Promise<PdfDoc> =>
  invoke("dunning_labels_pdf", { request, sheet, start_position });

/** One report (集計) as the window draws it: figures, charts and tables. */
export const report = (kind: ReportKind, filter: ReportFilter): Promise<ReportView> =>
  invoke("report", { kind, filter });

/** Writes the report's CSV (Shift_JIS unless a name needs UTF-8) to `target` (a save dialog's). */
export const reportCsv = (kind: ReportKind, filter: ReportFilter, target: string): Promise<CsvEncoding> =>
  invoke("report_csv", { kind, filter, target });

/** The report on A4 landscape, shown in the preview. */
export const reportPdf = (kind: ReportKind, filter: ReportFilter): Promise<PdfDoc> =>
  invoke("report_pdf", { kind, filter });

/** The members behind a cell of the CPM or RFM table. */
export const reportMembers = (kind: ReportKind, filter: ReportFilter, drill: string): Promise<MemberList> =>
  invoke("report_members", { kind, filter, drill });

/** Those members as an address CSV for a mailing (withdrawn and DM不要 left out), to `target`. */
export const reportMembersCsv = (kind: ReportKind, filter: ReportFilter, drill: string, target: string): Promise<MailingCsv> =>
  invoke("report_members_csv", { kind, filter, drill, target });

/** The start screen's figures of this month. */
export const dashboard = (): Promise<Dashboard> =>
  invoke("dashboard");

export const getSettings = (): Promise<ShopSettings> =>
  invoke("get_settings");

export const saveSettings = (settings: ShopSettings): Promise<ShopSettings> =>
  invoke("save_settings", { settings });

/** 設定 → バックアップ: the folder in use and its backups, newest first. */
export const backupOverview = (): Promise<BackupOverview> =>
  invoke("backup_overview");

/** 今すぐバックアップ: a verified copy in the backup folder. */
export const backupCreate = (): Promise<BackupInfo | null> =>
  invoke("backup_create");

/** Checks a backup file (integrity, schema; decrypted with the shop's passphrase). */
export const backupVerify = (path: string): Promise<BackupCheck> =>
  invoke("backup_verify", { path });

/** Restores a backup into the open database, after a backup of the current state. */
export const backupRestore = (path: string): Promise<RestoreReport> =>
  invoke("backup_restore", { path });

/** The damaged screen at start: restores a backup over the damaged database (kept first in the backup folder) and opens it. */
export const restoreDamaged = (path: string): Promise<AppStatus> =>
  invoke("restore_damaged", { path });

/** Whether staff accounts exist (the login screen first) and who is logged in. */
export const accessStatus = (): Promise<AccessStatus> =>
  invoke("access_status");

export const login = (name: string, password: string): Promise<Session> =>
  invoke("login", { name, password });

/** The window's lock: the core forgets the session until the next login. */
export const logout = (): Promise<boolean> =>
  invoke("logout");

/** The staff picker's name, for the audit log while no accounts exist. */
export const setStaff = (name: string): Promise<boolean> =>
  invoke("set_staff", { name });

export const staffAccounts = (): Promise<Array<StaffAccount>> =>
  invoke("staff_accounts");

/** Adds an account (the first must be an admin, and logs its creator in). */
export const staffAccountAdd = (name: string, password: string, role: Role): Promise<StaffAccount> =>
  invoke("staff_account_add", { name, password, role });

export const staffAccountRole = (name: string, role: Role): Promise<StaffAccount> =>
  invoke("staff_account_role", { name, role });

export const staffAccountDisable = (name: string): Promise<StaffAccount> =>
  invoke("staff_account_disable", { name });

export const staffAccountPassword = (name: string, password: string): Promise<StaffAccount> =>
  invoke("staff_account_password", { name, password });

/** One page of the audit log (操作履歴), newest first. */
export const auditList = (query: AuditQuery): Promise<AuditPage> =>
  invoke("audit_list", { query });

/** The idle minutes before the window locks (admin only). */
export const setLockMinutes = (minutes: number): Promise<number> =>
  invoke("set_lock_minutes", { minutes });

export const auditTables = (): Promise<Array<AuditTable>> =>
  invoke("audit_tables");

