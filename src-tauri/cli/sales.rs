//! The CLI's products, courses, subscriptions, orders and monthly-run commands.
use crate::{out, Output};
use clap::{Subcommand, ValueEnum};
use teikibin_core::orders::{OrderFilter, OrderKind, OrderStatus};
use teikibin_core::schedule::interval_label;
use teikibin_core::subscriptions::{SubscriptionAction, SubscriptionDetail, SubscriptionFilter, SubscriptionInput, SubscriptionStatus};
use teikibin_core::tax::yen;
use teikibin_core::{CoreError, Db};

#[derive(Subcommand)]
pub enum ProductsCommand {
    /// 商品の一覧（コード順）
    List,
}

#[derive(Subcommand)]
pub enum CoursesCommand {
    /// 定期コースの一覧
    List,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SubStatusArg {
    Active,
    Paused,
    Stopped,
}

impl From<SubStatusArg> for SubscriptionStatus {
    fn from(s: SubStatusArg) -> Self {
        match s {
            SubStatusArg::Active => SubscriptionStatus::Active,
            SubStatusArg::Paused => SubscriptionStatus::Paused,
            SubStatusArg::Stopped => SubscriptionStatus::Stopped,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PaymentArg {
    BankTransfer,
    DirectDebit,
    Cod,
    Card,
}

#[derive(Subcommand)]
pub enum SubscriptionsCommand {
    /// 定期契約の一覧（会員番号順）
    List {
        #[arg(long, value_name = "CODE")]
        member: Option<String>,
        #[arg(long)]
        status: Option<SubStatusArg>,
        #[arg(long, value_name = "CODE")]
        course: Option<String>,
    },
    /// 定期契約の詳細（次回以降のお届けと履歴）
    Show { id: i64 },
    /// 定期を申し込む
    New {
        #[arg(long, value_name = "CODE")]
        member: String,
        #[arg(long, value_name = "CODE")]
        course: String,
        /// 初回お届け日（省略時: コースの決まりで申込日以降の最初の日）
        #[arg(long, default_value = "")]
        first: String,
        #[arg(long, value_enum, default_value = "bank-transfer")]
        payment: PaymentArg,
        #[arg(long, default_value_t = 1)]
        quantity: i64,
        /// 申込経路（電話、Web、はがき、紹介 …）
        #[arg(long, default_value = "")]
        channel: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 次回（または --date の回）のお届けをスキップする
    Skip {
        id: i64,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// コースを変更する（次回のお届けから）
    Switch {
        id: i64,
        #[arg(long = "to", value_name = "COURSE")]
        course: String,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 休止する（--until の日から再開、省略時: 再開日未定）
    Pause {
        id: i64,
        #[arg(long)]
        until: Option<String>,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 休止を終えて再開する
    Resume {
        id: i64,
        /// 次回お届け日（省略時: 今日以降の最初のお届け日）
        #[arg(long)]
        next: Option<String>,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 解約する
    Stop {
        id: i64,
        #[arg(long)]
        reason: String,
        /// 最低継続回数に満たなくても解約する
        #[arg(long)]
        force: bool,
        #[arg(long, default_value = "")]
        staff: String,
    },
    /// 解約した定期を再開する
    Restart {
        id: i64,
        #[arg(long)]
        next: Option<String>,
        #[arg(long, default_value = "")]
        staff: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OrderStatusArg {
    Received,
    Ready,
    Shipped,
    Invoiced,
    Paid,
    Cancelled,
}

impl From<OrderStatusArg> for OrderStatus {
    fn from(s: OrderStatusArg) -> Self {
        match s {
            OrderStatusArg::Received => OrderStatus::Received,
            OrderStatusArg::Ready => OrderStatus::Ready,
            OrderStatusArg::Shipped => OrderStatus::Shipped,
            OrderStatusArg::Invoiced => OrderStatus::Invoiced,
            OrderStatusArg::Paid => OrderStatus::Paid,
            OrderStatusArg::Cancelled => OrderStatus::Cancelled,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OrderKindArg {
    OneOff,
    Subscription,
    Membership,
}

#[derive(Subcommand)]
pub enum OrdersCommand {
    /// 受注の一覧（新しい順）
    List {
        /// 受注月 YYYY-MM
        #[arg(long)]
        month: Option<String>,
        #[arg(long, value_name = "CODE")]
        member: Option<String>,
        #[arg(long)]
        status: Option<OrderStatusArg>,
        #[arg(long)]
        kind: Option<OrderKindArg>,
        /// 最大件数
        #[arg(long, default_value_t = 5000)]
        limit: u32,
    },
    /// 受注の明細（税率ごとの合計を含む）
    Show { number: String },
}

#[derive(Subcommand)]
pub enum MonthCommand {
    /// 月次処理: その月に届く定期の受注と会報誌の発送分を作る（同じ月をもう一度実行しても重複しない）
    Run {
        /// YYYY-MM
        month: String,
        /// 書き込まずに内容だけ表示する
        #[arg(long)]
        dry_run: bool,
        #[arg(long, default_value = "")]
        staff: String,
    },
}

pub fn products(db: &mut Db, cmd: &ProductsCommand) -> Result<Output, CoreError> {
    match cmd {
        ProductsCommand::List => {
            let list = db.products()?;
            let mut text: Vec<String> = list
                .iter()
                .map(|p| {
                    let mark = if p.tax_rate == 8 { "※8%" } else { "10%" };
                    format!("{}\t{}\t{}\t{}\t{mark}\t在庫 {}{}", p.code, p.name, p.group, yen(p.unit_price), p.stock, if p.active { "" } else { "\t販売終了" })
                })
                .collect();
            text.push(format!("{}件", list.len()));
            Ok(out(&list, text.join("\n")))
        }
    }
}

pub fn courses(db: &mut Db, cmd: &CoursesCommand) -> Result<Output, CoreError> {
    match cmd {
        CoursesCommand::List => {
            let list = db.courses()?;
            let mut text: Vec<String> = list
                .iter()
                .map(|c| {
                    format!(
                        "{}\t{}\t{}\t{}\t最低{}回\t契約 {}件{}",
                        c.code,
                        c.name,
                        c.interval_label,
                        c.price_label(),
                        c.min_deliveries,
                        c.subscribers,
                        if c.active { "" } else { "\t受付終了" }
                    )
                })
                .collect();
            text.push(format!("{}件", list.len()));
            Ok(out(&list, text.join("\n")))
        }
    }
}

fn detail_text(d: &SubscriptionDetail) -> String {
    let s = &d.subscription;
    let mut t = format!(
        "定期契約 {}（{}）会員 {} {}\nコース {}（{}）　お届け {}回　支払 {}",
        s.id,
        s.status.label(),
        s.member,
        s.member_name,
        s.course_name,
        interval_label(s.interval_unit, s.interval_count),
        s.deliveries,
        s.payment_method.label()
    );
    if !s.channel.is_empty() {
        t += &format!("　申込経路 {}", s.channel);
    }
    if let Some(u) = s.paused_until {
        t += &format!("\n{u} まで休止");
    }
    for u in &d.upcoming {
        let what = match (&u.skipped, u.amount, &u.order) {
            (Some(r), _, _) => format!("スキップ（{r}）"),
            (_, _, Some(n)) => format!("受注 {n} 作成済み"),
            (_, Some(a), _) => format!("{}回目 {}", u.delivery_no, yen(a)),
            _ => String::new(),
        };
        t += &format!("\n  {} {what}", u.date);
    }
    for e in &d.events {
        t += &format!("\n  [{}] {} {} {}{}", e.happened_on, e.kind.label(), e.reason, e.detail, if e.cancelled { "（取消）" } else { "" });
    }
    t
}

pub fn subscriptions(db: &mut Db, cmd: &SubscriptionsCommand) -> Result<Output, CoreError> {
    let (id, action, staff) = match cmd {
        SubscriptionsCommand::List { member, status, course } => {
            let page = db.subscriptions(&SubscriptionFilter {
                member: member.clone(),
                status: status.map(Into::into),
                course: course.clone(),
                limit: None,
            })?;
            let mut text: Vec<String> = page
                .subscriptions
                .iter()
                .map(|s| {
                    format!(
                        "{}\t{}\t{}\t{}\t{}\t次回 {}\t{}回",
                        s.id,
                        s.member,
                        s.member_name,
                        s.course_name,
                        s.status.label(),
                        s.next_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                        s.deliveries
                    )
                })
                .collect();
            text.push(format!("{}件", page.total));
            return Ok(out(&page.subscriptions, text.join("\n")));
        }
        SubscriptionsCommand::Show { id } => {
            let d = db.subscription(*id)?;
            return Ok(out(&d, detail_text(&d)));
        }
        SubscriptionsCommand::New { member, course, first, payment, quantity, channel, staff } => {
            let d = db.create_subscription(&SubscriptionInput {
                member: member.clone(),
                course: course.clone(),
                first_delivery: first.clone(),
                payment_method: match payment {
                    PaymentArg::BankTransfer => teikibin_core::orders::PaymentMethod::BankTransfer,
                    PaymentArg::DirectDebit => teikibin_core::orders::PaymentMethod::DirectDebit,
                    PaymentArg::Cod => teikibin_core::orders::PaymentMethod::Cod,
                    PaymentArg::Card => teikibin_core::orders::PaymentMethod::Card,
                },
                quantity: *quantity,
                channel: channel.clone(),
                staff: staff.clone(),
                ..Default::default()
            })?;
            let text = format!("定期契約 {} を登録しました\n{}", d.subscription.id, detail_text(&d));
            return Ok(out(&d, text));
        }
        SubscriptionsCommand::Skip { id, date, reason, staff } => {
            (*id, SubscriptionAction::Skip { date: date.clone(), reason: reason.clone() }, staff)
        }
        SubscriptionsCommand::Switch { id, course, reason, staff } => {
            (*id, SubscriptionAction::Switch { course: course.clone(), reason: reason.clone() }, staff)
        }
        SubscriptionsCommand::Pause { id, until, reason, staff } => {
            (*id, SubscriptionAction::Pause { until: until.clone(), reason: reason.clone() }, staff)
        }
        SubscriptionsCommand::Resume { id, next, staff } => (*id, SubscriptionAction::Resume { next_date: next.clone() }, staff),
        SubscriptionsCommand::Stop { id, reason, force, staff } => {
            (*id, SubscriptionAction::Stop { reason: reason.clone(), allow_early: *force }, staff)
        }
        SubscriptionsCommand::Restart { id, next, staff } => (*id, SubscriptionAction::Restart { next_date: next.clone() }, staff),
    };
    let d = db.subscription_action(id, &action, staff)?;
    let head = d.events.first().map(|e| format!("{}しました", e.kind.label())).unwrap_or_default();
    Ok(out(&d, format!("{head}\n{}", detail_text(&d))))
}

pub fn orders(db: &mut Db, cmd: &OrdersCommand) -> Result<Output, CoreError> {
    match cmd {
        OrdersCommand::List { month, member, status, kind, limit } => {
            let page = db.orders(&OrderFilter {
                month: month.clone(),
                member: member.clone(),
                status: status.map(Into::into),
                kind: kind.map(|k| match k {
                    OrderKindArg::OneOff => OrderKind::OneOff,
                    OrderKindArg::Subscription => OrderKind::Subscription,
                    OrderKindArg::Membership => OrderKind::Membership,
                }),
                limit: Some(*limit),
            })?;
            let mut text: Vec<String> = page
                .orders
                .iter()
                .map(|o| {
                    format!(
                        "{}\t{}\t{}\t{} {}\t{}\t{}\t{}{}",
                        o.number,
                        o.ordered_on,
                        o.kind.label(),
                        o.member,
                        o.member_name,
                        o.items,
                        yen(o.total),
                        o.status.label(),
                        o.bundle.as_ref().map(|b| format!("\t同梱 {b}")).unwrap_or_default()
                    )
                })
                .collect();
            text.push(format!("{}件{}", page.total, if (page.orders.len() as u64) < page.total { format!("（うち{}件を表示）", page.orders.len()) } else { String::new() }));
            Ok(out(&page.orders, text.join("\n")))
        }
        OrdersCommand::Show { number } => {
            let o = db.order(number)?;
            let mut t = format!("受注 {}（{}・{}）{} 会員 {} {}\nお届け先 {}", o.number, o.kind.label(), o.status.label(), o.ordered_on, o.member, o.member_name, o.ship_to);
            for l in &o.lines {
                t += &format!("\n  {}{}\t{}\t{} × {}\t{}", if l.tax_rate == 8 { "※" } else { "" }, l.product_code, l.name, yen(l.unit_price), l.quantity, yen(l.amount));
            }
            let x = &o.totals;
            t += &format!("\n送料 {}　代引手数料 {}\n10%対象 {}（消費税 {}）\n8%対象 {}（消費税 {}）※軽減税率\n合計 {}", yen(x.shipping_fee), yen(x.cod_fee), yen(x.total_10), yen(x.tax_10), yen(x.total_8), yen(x.tax_8), yen(x.total));
            Ok(out(&o, t))
        }
    }
}

pub fn month(db: &mut Db, cmd: &MonthCommand) -> Result<Output, CoreError> {
    let MonthCommand::Run { month, dry_run, staff } = cmd;
    let r = if *dry_run { db.month_preview(month)? } else { db.month_run(month, staff, &mut |_| {})? };
    let mut t = vec![format!(
        "{}{}: 受注 {}件（{}）、会報誌 {}部、スキップ・対象外 {}件",
        if r.dry_run { "【プレビュー】" } else { "" },
        r.month,
        r.orders_created,
        yen(r.total_amount),
        r.bulletin_slips,
        r.skipped.len()
    )];
    if !r.earlier_runs.is_empty() {
        t.push(format!("  この月は処理済みです（{}）。今回作成したのはその後に対象となった分だけです。", r.earlier_runs.join("、")));
    }
    for (course, n) in &r.by_course {
        t.push(format!("  {course}: {n}件"));
    }
    for s in &r.skipped {
        t.push(format!("  スキップ 定期{} {} {} {}: {}", s.subscription, s.member, s.member_name, s.date.map(|d| d.to_string()).unwrap_or_default(), s.reason));
    }
    for s in &r.stock {
        t.push(format!("  必要数 {} {}: {}（在庫 {}{}）", s.code, s.name, s.needed, s.in_stock, if s.short > 0 { format!("、{}不足", s.short) } else { String::new() }));
    }
    for n in &r.renewals_due {
        t.push(format!("  更新案内 {} {} {}: 有効期限 {}", n.member, n.member_name, n.course, n.valid_until));
    }
    if r.dry_run {
        t.push("（書き込みはしていません）".into());
    }
    Ok(out(&r, t.join("\n")))
}
