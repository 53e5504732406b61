//! `teikibin-cli`: the headless companion for batch jobs and scripts. A thin adapter over
//! `teikibin_core`, like the desktop commands: parse, call the core, print.
//!
//! Contract: `teikibin-cli [--db PATH] [--json] <command>`; exit 0 on success, 1 when the
//! core refuses (bad data, not found), 2 on usage errors. Japanese text by default, JSON with
//! `--json`.
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use teikibin_core::members::search::SearchQuery;
use teikibin_core::members::{Member, MemberInput, MemberKind, MemberStatus, MemberSummary, StatusChange};
use teikibin_core::import::{ImportKind, ImportOptions, ImportReport, Source};
use teikibin_core::demo::DemoScale;
use teikibin_core::{paths, CoreError, Db};

mod access;
mod money;
mod papers;
mod portability;
mod reports;
mod safety;
mod sales;

#[derive(Parser)]
#[command(name = "teikibin-cli", version, about = "Teikibin（定期便）のコマンドライン版", long_about = None)]
struct Cli {
    /// データベースファイル（省略時: TEIKIBIN_DB、なければ既定の場所）
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// 結果をJSONで出力する
    #[arg(long, global = true)]
    json: bool,
    /// 操作する人（スタッフアカウントがあるときは必須。パスワードは TEIKIBIN_PASSWORD か標準入力）。
    /// コマンド名の前に書く: `audit list --user` は担当者での絞り込みのため
    /// （省略時: TEIKIBIN_USER）
    #[arg(long, value_name = "NAME")]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// データベースを作成する（既にあれば最新の形式に更新する）
    Init {
        /// デモ会員（1,000人）を入れる
        #[arg(long)]
        demo: bool,
    },
    /// デモ会員を追加する
    Demo {
        #[arg(long, default_value_t = 1000)]
        members: u32,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// 何年分の履歴を作るか
        #[arg(long, default_value_t = 2)]
        years: u32,
        /// 都度購入の多い店にする（集計のベンチマーク用: 10万人・3年で約100万明細）
        #[arg(long)]
        busy: bool,
    },
    /// 会員台帳
    #[command(subcommand)]
    Members(MembersCommand),
    /// データベースの整合性を検査する
    Check,
    /// 郵便番号データ（日本郵便の KEN_ALL.CSV）
    #[command(subcommand)]
    Postal(PostalCommand),
    /// 旧システムのCSVを取り込む（会員・商品・定期購入・受注履歴・入金履歴・未収の請求）
    #[command(subcommand)]
    Import(ImportCommand),
    /// 請求書の検索・一覧・まとめて印刷（旧システムの未収を含む）
    #[command(subcommand)]
    Invoices(papers::InvoicesCommand),
    /// 適格請求書の発行・PDF・取消・再発行
    #[command(subcommand)]
    Invoice(papers::InvoiceCommand),
    /// 出荷: 荷物づくり、B2クラウド・他社の送り状データ、伝票番号の取込、ラベル、納品書
    #[command(subcommand)]
    Ship(papers::ShipCommand),
    /// 会報誌の発送: 印刷会社向けの宛名CSV、宛名ラベル
    #[command(subcommand)]
    Bulletin(papers::BulletinCommand),
    /// 商品
    #[command(subcommand)]
    Products(sales::ProductsCommand),
    /// 定期コース
    #[command(subcommand)]
    Courses(sales::CoursesCommand),
    /// 定期契約（スキップ・コース変更・休止・再開・解約）
    #[command(subcommand)]
    Subscriptions(sales::SubscriptionsCommand),
    /// 受注
    #[command(subcommand)]
    Orders(sales::OrdersCommand),
    /// 月次処理
    #[command(subcommand)]
    Month(sales::MonthCommand),
    /// 銀行の入金明細の取込と一括消込
    #[command(subcommand)]
    Bank(money::BankCommand),
    /// 入金（手入力・一覧・取消・前受金の充当・会員の売掛）
    #[command(subcommand)]
    Payments(money::PaymentsCommand),
    /// 口座振替: 振替口座、依頼データ（全銀 91）、振替結果
    #[command(subcommand)]
    Debit(money::DebitCommand),
    /// 督促: 期限切れの一覧、督促状、宛名ラベル
    #[command(subcommand)]
    Dunning(money::DunningCommand),
    /// 全データの書き出し（どの表もCSVで1つのZIPに）
    #[command(subcommand)]
    Export(portability::ExportCommand),
    /// 集計: 会員数・継続率・コホート・3S・売上・見込み・RFM・CPM・売掛金
    Report(reports::ReportArgs),
    /// バックアップ: 作成・一覧・検査・復元
    #[command(subcommand)]
    Backup(safety::BackupCommand),
    /// データベースの検査（db check）
    #[command(subcommand)]
    Db(safety::DbCommand),
    /// スタッフアカウント（追加・一覧・無効化・権限・パスワード）
    #[command(subcommand)]
    Users(access::UsersCommand),
    /// 操作履歴（だれが・いつ・何を変えたか）
    #[command(subcommand)]
    Audit(access::AuditCommand),
}

#[derive(Subcommand)]
enum ImportCommand {
    /// 会員（対応履歴・カルテを含む）
    Members(ImportArgs),
    /// 商品
    Products(ImportArgs),
    /// 継続中の定期購入
    Subscriptions(ImportArgs),
    /// 受注履歴
    Orders(ImportArgs),
    /// 入金履歴
    Payments(ImportArgs),
    /// 移行時点で未入金の請求
    Receivables(ImportArgs),
    /// 取込バッチを取り消す（取込後に依存する登録がない場合のみ）
    Undo {
        batch: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 取込バッチの一覧
    Batches,
}

#[derive(Args)]
struct ImportArgs {
    file: PathBuf,
    /// 書き込まずに検査だけする
    #[arg(long)]
    dry_run: bool,
    /// エラーの行を除いて取り込む（既定: 1行でもエラーがあれば何も書き込まない）
    #[arg(long)]
    skip_invalid: bool,
    /// 登録済みのコード（会員・商品）は上書き更新する
    #[arg(long)]
    update_existing: bool,
    /// 列の対応づけファイル（JSON: {"kind": "members", "columns": {"見出し": "項目", …}}）
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// 以前に取り込んだのと同じファイルでも取り込む
    #[arg(long)]
    force: bool,
    /// エラーの行を理由つきでこのCSVに書き出す（Excelで直して取り込み直せます）
    #[arg(long, value_name = "FILE")]
    rejected: Option<PathBuf>,
    #[arg(long, default_value = "")]
    staff: String,
}


#[derive(Clone, Copy, ValueEnum)]
enum StatusArg {
    Active,
    Suspended,
    Withdrawn,
}

impl From<StatusArg> for MemberStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Active => MemberStatus::Active,
            StatusArg::Suspended => MemberStatus::Suspended,
            StatusArg::Withdrawn => MemberStatus::Withdrawn,
        }
    }
}

#[derive(Subcommand)]
enum MembersCommand {
    /// 会員の一覧（フリガナ順、検索語があれば関連度順）
    List {
        #[arg(long)]
        status: Option<StatusArg>,
        #[arg(long, value_name = "Q")]
        search: Option<String>,
    },
    /// 会員の詳細（履歴・対応履歴・お届け先を含む）
    Show { code: String },
    /// 名寄せ候補（同じ電話・フリガナと郵便番号・メール）
    Duplicates,
    /// 宛先不明（郵便が戻ってきた）の印を付ける／外す（会報誌の発送から外れる）
    MailReturned {
        code: String,
        /// 印を外す
        #[arg(long)]
        clear: bool,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 会員を登録する
    Add(Box<AddArgs>),
    /// 会員の状態を変える（休止・退会・再開）
    SetStatus {
        code: String,
        #[arg(long = "to")]
        status: StatusArg,
        #[arg(long, default_value = "")]
        reason: String,
        /// 適用日 YYYY-MM-DD（省略時: 今日）
        #[arg(long, default_value = "")]
        on: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// ABSORBED を KEPT に統合する（ABSORBED は統合済みとして残る）
    Merge {
        kept: String,
        absorbed: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 会員本人のデータをすべてJSONで書き出す（開示請求）
    ExportData {
        code: String,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// 削除請求: 個人情報を匿名化して退会にする（請求書・金額・日付は法定保存のため残る）
    Erase {
        code: String,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
}

#[derive(Subcommand)]
enum PostalCommand {
    /// KEN_ALL.CSV を読み込む（今ある郵便番号データと置き換える）
    Import { file: PathBuf },
    /// 郵便番号から住所を引く
    Lookup { code: String },
}

#[derive(Args)]
struct AddArgs {
    #[arg(long, default_value = "")]
    code: String,
    #[arg(long)]
    name: String,
    #[arg(long, default_value = "")]
    kana: String,
    #[arg(long)]
    company: bool,
    #[arg(long = "postal-code", default_value = "")]
    postal_code: String,
    #[arg(long, default_value = "")]
    prefecture: String,
    #[arg(long, default_value = "")]
    city: String,
    #[arg(long, default_value = "")]
    street: String,
    #[arg(long, default_value = "")]
    building: String,
    #[arg(long, default_value = "")]
    phone: String,
    #[arg(long, default_value = "")]
    mobile: String,
    #[arg(long, default_value = "")]
    email: String,
    #[arg(long, default_value = "")]
    birthday: String,
    #[arg(long = "joined-on", default_value = "")]
    joined_on: String,
    #[arg(long, default_value = "")]
    notes: String,
    #[arg(long, default_value = "")]
    staff: String,
}

/// What a command produced: JSON for `--json`, text for people. `failed`: print it, but exit 1
/// (an import refused because of bad rows still reports every row).
pub(crate) struct Output {
    json: serde_json::Value,
    text: String,
    failed: bool,
}

/// Reads a file named on the command line: its bytes and its name for messages.
pub(crate) fn read_file(path: &std::path::Path) -> Result<(Vec<u8>, String), CoreError> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|e| CoreError::new(teikibin_core::ErrorCode::Io, format!("{name} を読めません: {e}")))?;
    Ok((bytes, name))
}

pub(crate) fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), CoreError> {
    std::fs::write(path, bytes).map_err(|e| CoreError::new(teikibin_core::ErrorCode::Io, format!("{} に書き込めません: {e}", path.display())))
}

pub(crate) fn out<T: Serialize>(value: &T, text: String) -> Output {
    Output { json: serde_json::to_value(value).expect("serialisable"), text, failed: false }
}

fn summary_line(m: &MemberSummary) -> String {
    let phone = if m.phone.is_empty() { &m.mobile } else { &m.phone };
    format!("{}\t{}\t{}\t{}\t{}\t〒{} {}{}", m.code, m.status.label(), m.name, m.kana, phone, m.postal_code, m.address1, m.address2)
}

fn member_text(m: &Member) -> String {
    let mut t = format!("会員番号 {}（{}）\n氏名 {}（{}）\n", m.code, m.status.label(), m.name, m.kana);
    if !m.company.is_empty() {
        t += &format!("会社 {} {}\n", m.company, m.department);
    }
    t += &format!("〒{} {}{}\n", m.postal_code, m.address1(), m.building);
    for (label, v) in [("電話", &m.phone), ("携帯", &m.mobile), ("FAX", &m.fax), ("メール", &m.email)] {
        if !v.is_empty() {
            t += &format!("{label} {v}\n");
        }
    }
    t += &format!("入会日 {}", m.joined_on);
    if let Some(v) = m.valid_until {
        t += &format!("　有効期限 {v}");
    }
    if let Some(into) = &m.merged_into {
        t += &format!("\n（会員 {into} に統合済み）");
    }
    t
}

fn db_path(cli: &Cli) -> Result<PathBuf, CoreError> {
    match cli.db.clone().or_else(paths::db_from_env) {
        Some(p) => Ok(p),
        None => paths::default_db_path(),
    }
}

fn run(cli: &Cli) -> Result<Output, CoreError> {
    let path = db_path(cli)?;
    let mut secrets = access::Secrets::new();
    let user = cli.user.clone().or_else(|| std::env::var("TEIKIBIN_USER").ok());
    let mut sign_in = |db: &mut Db| access::sign_in(db, user.as_deref(), &mut secrets);
    // Backups and `db check` work on the file, so a damaged database can still be checked and
    // restored (opening it the usual way would migrate it first); where the file opens, the
    // accounts are asked as for any command.
    let mut db = match &cli.command {
        Command::Backup(cmd) => return safety::backup(&path, cmd, &mut sign_in),
        Command::Db(cmd) => return safety::db(&path, cmd),
        _ => Db::open(&path)?,
    };
    sign_in(&mut db)?;
    Ok(match &cli.command {
        Command::Users(cmd) => access::users(&mut db, cmd, &mut secrets)?,
        Command::Audit(cmd) => access::audit(&mut db, cmd)?,
        Command::Init { demo } => {
            let report = if *demo && db.member_counts()?.iter().all(|(_, n)| *n == 0) {
                if !db.shop_settings_saved()? {
                    let demo_shop = teikibin_core::demo::demo_shop_settings();
                    db.save_shop_settings(demo_shop)?;
                }
                Some(db.generate_demo(1000, 2026)?)
            } else {
                None
            };
            let json = serde_json::json!({
                "db": path.display().to_string(),
                "schema_version": db.schema_version()?,
                "demo": report,
            });
            let mut text = format!("データベースを用意しました: {}（スキーマ {}）", path.display(), db.schema_version()?);
            if let Some(r) = &report {
                text += &format!("\nデモ会員 {}人を追加しました（{}〜{}）", r.members, r.first_code, r.last_code);
            }
            Output { json, text, failed: false }
        }
        Command::Demo { members, seed, years, busy } => {
            let scale = if *busy { DemoScale::busy(*years) } else { DemoScale { years: (*years).clamp(1, 10), ..DemoScale::default() } };
            let r = db.generate_demo_scaled(*members, *seed, scale)?;
            let text = format!(
                "デモ会員 {}人を追加しました（{}〜{}、{} ms）\n商品 {}、定期コース {}、定期契約 {}（継続中 {}）、受注 {}、会報誌 {}部",
                r.members, r.first_code, r.last_code, r.millis, r.products, r.courses, r.subscriptions, r.active_subscriptions, r.orders, r.bulletin_slips
            );
            out(&r, text)
        }
        Command::Check => {
            let problems = db.check_integrity(false)?;
            let text = if problems.is_empty() { "問題はありません。".to_string() } else { problems.join("\n") };
            let ok = problems.is_empty();
            let o = Output { json: serde_json::json!({ "ok": ok, "problems": problems }), text, failed: false };
            if !ok {
                return Err(CoreError::new(teikibin_core::ErrorCode::Database, format!("整合性の検査で問題が見つかりました:\n{}", o.text)));
            }
            o
        }
        Command::Members(cmd) => members(&mut db, cmd)?,
        Command::Import(cmd) => import(&mut db, cmd)?,
        Command::Products(cmd) => sales::products(&mut db, cmd)?,
        Command::Courses(cmd) => sales::courses(&mut db, cmd)?,
        Command::Subscriptions(cmd) => sales::subscriptions(&mut db, cmd)?,
        Command::Orders(cmd) => sales::orders(&mut db, cmd)?,
        Command::Month(cmd) => sales::month(&mut db, cmd)?,
        Command::Invoices(cmd) => papers::invoices(&mut db, cmd)?,
        Command::Invoice(cmd) => papers::invoice(&mut db, cmd)?,
        Command::Ship(cmd) => papers::ship(&mut db, cmd)?,
        Command::Bank(cmd) => money::bank(&mut db, cmd)?,
        Command::Payments(cmd) => money::payments(&mut db, cmd)?,
        Command::Debit(cmd) => money::debit(&mut db, cmd)?,
        Command::Dunning(cmd) => money::dunning(&mut db, cmd)?,
        Command::Report(args) => reports::report(&mut db, args, cli.json)?,
        Command::Bulletin(cmd) => papers::bulletin(&mut db, cmd)?,
        Command::Backup(_) | Command::Db(_) => unreachable!("dispatched above, before the database is opened"),
        Command::Export(cmd) => portability::export(&mut db, cmd)?,
        Command::Postal(PostalCommand::Import { file }) => {
            let r = db.import_postal_codes(file)?;
            let text = format!("郵便番号データを読み込みました（{}行、住所 {}件）", r.rows, r.addresses);
            out(&r, text)
        }
        Command::Postal(PostalCommand::Lookup { code }) => {
            let found = db.lookup_postal_code(code)?;
            let mut text: Vec<String> =
                found.iter().map(|a| format!("〒{} {}{}{}", a.postal_code, a.prefecture, a.city, a.town)).collect();
            if text.is_empty() {
                text.push(format!("郵便番号 {code} の住所は見つかりません"));
            }
            out(&found, text.join("\n"))
        }
    })
}

fn members(db: &mut Db, cmd: &MembersCommand) -> Result<Output, CoreError> {
    Ok(match cmd {
        MembersCommand::List { status, search } => {
            let page = db.search_members(&SearchQuery {
                text: search.clone().unwrap_or_default(),
                status: status.map(MemberStatus::from),
                offset: 0,
                limit: 0,
            })?;
            let mut text: Vec<String> = page.rows.iter().map(summary_line).collect();
            text.push(format!("{}件", page.total));
            out(&page.rows, text.join("\n"))
        }
        MembersCommand::Show { code } => {
            let d = db.member_detail(code)?;
            let mut json = serde_json::to_value(&d.member).expect("serialisable");
            json["history"] = serde_json::to_value(&d.history).expect("serialisable");
            json["contacts"] = serde_json::to_value(&d.contacts).expect("serialisable");
            json["addresses"] = serde_json::to_value(&d.addresses).expect("serialisable");
            let mut text = member_text(&d.member);
            for h in &d.history {
                let change = match (h.from_status, h.to_status) {
                    (Some(a), Some(b)) => format!("{} → {} ", a.label(), b.label()),
                    _ => String::new(),
                };
                text += &format!("\n  {} {}{} {}", h.at, change, h.reason, h.detail.replace('\n', "、"));
            }
            Output { json, text, failed: false }
        }
        MembersCommand::MailReturned { code, clear, staff } => {
            let m = db.set_mail_returned(code, !clear, staff)?;
            out(&m, format!("{} {}: 宛先不明の印を{}", m.code, m.name, if m.mail_returned { "付けました" } else { "外しました" }))
        }
        MembersCommand::Duplicates => {
            let pairs = db.duplicate_candidates()?;
            let codes: Vec<[String; 2]> = pairs.iter().map(|p| [p.a.code.clone(), p.b.code.clone()]).collect();
            let mut text: Vec<String> = pairs
                .iter()
                .map(|p| format!("{} {} ⇔ {} {}（{:?}）", p.a.code, p.a.name, p.b.code, p.b.name, p.reasons))
                .collect();
            text.push(format!("{}組", pairs.len()));
            out(&codes, text.join("\n"))
        }
        MembersCommand::Add(a) => {
            let input = MemberInput {
                code: a.code.clone(),
                kind: if a.company { MemberKind::Company } else { MemberKind::Person },
                name: a.name.clone(),
                kana: a.kana.clone(),
                postal_code: a.postal_code.clone(),
                prefecture: a.prefecture.clone(),
                city: a.city.clone(),
                street: a.street.clone(),
                building: a.building.clone(),
                phone: a.phone.clone(),
                mobile: a.mobile.clone(),
                email: a.email.clone(),
                birthday: a.birthday.clone(),
                joined_on: a.joined_on.clone(),
                notes: a.notes.clone(),
                ..Default::default()
            };
            let m = db.create_member(&input, &a.staff)?;
            let text = format!("会員 {} を登録しました\n{}", m.code, member_text(&m));
            out(&m, text)
        }
        MembersCommand::SetStatus { code, status, reason, on, staff } => {
            let change = StatusChange { status: (*status).into(), effective_on: on.clone(), reason: reason.clone(), staff: staff.clone() };
            let m = db.change_member_status(code, &change)?;
            let text = format!("会員 {} を「{}」にしました", m.code, m.status.label());
            out(&m, text)
        }
        MembersCommand::Merge { kept, absorbed, staff } => {
            let m = db.merge_members(kept, absorbed, staff)?;
            let text = format!("会員 {absorbed} を会員 {} に統合しました", m.code);
            out(&m, text)
        }
        MembersCommand::ExportData { code, output } => portability::export_data(db, code, output)?,
        MembersCommand::Erase { code, reason, staff } => portability::erase(db, code, reason, staff)?,
    })
}

fn report_text(r: &ImportReport, file: &str) -> String {
    let mut t = Vec::new();
    let head = if r.dry_run {
        format!("【検査のみ】{file}: 追加 {}件、更新 {}件、エラー {}件、警告 {}件（書き込みはしていません）", r.imported, r.updated, r.skipped, r.warnings.len())
    } else if r.refused() {
        format!("{file}: エラーが {}件あるため、何も取り込みませんでした（--skip-invalid でエラーの行を除いて取り込めます）", r.skipped)
    } else {
        format!(
            "{file}: 追加 {}件、更新 {}件、スキップ {}件、警告 {}件（取込バッチ {}）",
            r.imported, r.updated, r.skipped, r.warnings.len(), r.batch.as_deref().unwrap_or("-")
        )
    };
    t.push(head);
    for e in &r.errors {
        t.push(format!("  エラー {}行目 {}: {}", e.line, e.column, e.message));
    }
    for w in &r.warnings {
        t.push(format!("  警告 {}行目 {}: {}", w.line, w.column, w.message));
    }
    if !r.duplicates.is_empty() {
        t.push(format!("  同一人物の可能性（名寄せ画面で確認してください）: {}組", r.duplicates.len()));
        for [a, b] in &r.duplicates {
            t.push(format!("    {a} ⇔ {b}"));
        }
    }
    t.join("\n")
}

fn import(db: &mut Db, cmd: &ImportCommand) -> Result<Output, CoreError> {
    let (kind, a) = match cmd {
        ImportCommand::Members(a) => (ImportKind::Members, a),
        ImportCommand::Products(a) => (ImportKind::Products, a),
        ImportCommand::Subscriptions(a) => (ImportKind::Subscriptions, a),
        ImportCommand::Orders(a) => (ImportKind::Orders, a),
        ImportCommand::Payments(a) => (ImportKind::Payments, a),
        ImportCommand::Receivables(a) => (ImportKind::Receivables, a),
        ImportCommand::Undo { batch, staff } => {
            let b = db.undo_import(batch, staff)?;
            let text = format!("取込バッチ {}（{} {}）を取り消しました", b.id, b.kind.label(), b.file_name);
            return Ok(out(&b, text));
        }
        ImportCommand::Batches => {
            let list = db.import_batches()?;
            let mut text: Vec<String> = list
                .iter()
                .map(|b| {
                    let undone = b.undone_at.as_ref().map(|t| format!("（{t} 取消）")).unwrap_or_default();
                    format!("{}\t{}\t{}\t{}\t追加 {} 更新 {} スキップ {}{undone}", b.id, b.imported_at, b.kind.label(), b.file_name, b.imported, b.updated, b.skipped)
                })
                .collect();
            text.push(format!("{}件", list.len()));
            return Ok(out(&list, text.join("\n")));
        }
    };
    let source = Source::read(&a.file)?;
    let mapping = match &a.mapping {
        Some(f) => {
            let json = std::fs::read_to_string(f)
                .map_err(|e| CoreError::new(teikibin_core::ErrorCode::Io, format!("{} を読めません: {e}", f.display())))?;
            let headers = teikibin_core::import::file_headers(&source)?;
            Some(teikibin_core::import::mapping_from_file(db, kind, &json, &headers)?)
        }
        None => None,
    };
    let opts = ImportOptions {
        skip_invalid: a.skip_invalid,
        update_existing: a.update_existing,
        allow_same_file: a.force,
        mapping,
        staff: a.staff.clone(),
    };
    let report = db.import(kind, &source, &opts, a.dry_run, &mut |_| {})?;
    if let Some(target) = &a.rejected {
        let csv = teikibin_core::import::rejected_rows_csv(&source, &report.errors)?;
        std::fs::write(target, &csv.bytes)
            .map_err(|e| CoreError::new(teikibin_core::ErrorCode::Io, format!("{} に書き込めません: {e}", target.display())))?;
    }
    let mut o = out(&report, report_text(&report, &source.file_name));
    o.failed = report.refused();
    Ok(o)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(o) => {
            use std::io::Write;
            let text = if cli.json { serde_json::to_string_pretty(&o.json).expect("serialisable") } else { o.text };
            // A reader that stops early (`| head`) is not an error of ours: no panic, no message.
            let _ = writeln!(std::io::stdout().lock(), "{text}");
            if o.failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            if cli.json {
                eprintln!("{}", serde_json::json!({ "error": e }));
            } else {
                let field = e.fields.iter().map(|f| format!("\n  {}: {}", f.field, f.message)).collect::<String>();
                eprintln!("エラー: {}{}", e.message, if e.fields.len() > 1 { field } else { String::new() });
            }
            ExitCode::from(1)
        }
    }
}
