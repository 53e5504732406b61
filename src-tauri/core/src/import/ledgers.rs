//! The kinds that hang off members and products: running subscriptions, order history, payment
//! history and open receivables. Each row names its member by code; the member (and product) must
//! already be in Teikibin, so the usual order is members → products → the rest.
use super::{values, ImportKind, ImportOptions, Issues, Plan, SampleRow, Sheet, WriteCtx, SAMPLE_ROWS};
use crate::tax::yen;
use crate::error::Result;
use crate::normalize;
use crate::products::Product;
use crate::store::{imports as sql, ledgers as lsql, Db};
use crate::tax;
use chrono::{Datelike, NaiveDate};
use rusqlite::Transaction;
use std::collections::HashMap;

pub(crate) enum Records {
    Subscriptions(Vec<lsql::NewSubscription>),
    Orders(Vec<lsql::NewOrder>),
    Payments(Vec<lsql::NewPayment>),
    Receivables(Vec<lsql::NewInvoice>),
}

/// Lookups every row needs, loaded once.
struct Refs {
    members: HashMap<String, i64>,
    statuses: HashMap<i64, crate::members::MemberStatus>,
    products: HashMap<String, Product>,
}

impl Refs {
    fn load(db: &Db) -> Result<Refs> {
        Ok(Refs {
            members: sql::member_ids(&db.conn)?,
            statuses: sql::member_statuses(&db.conn)?,
            products: db.products()?.into_iter().map(|p| (p.code.clone(), p)).collect(),
        })
    }
    fn member(&self, sheet: &Sheet, issues: &mut Issues, line: u32, raw: &str) -> Option<i64> {
        let code = normalize::nfkc(raw).trim().to_string();
        if code.is_empty() {
            issues.error(sheet, line, "member", "会員番号が空です");
            return None;
        }
        let id = self.members.get(&code).copied();
        if id.is_none() {
            issues.error(sheet, line, "member", format!("会員番号 {code} は登録されていません（先に会員を取り込んでください）"));
        }
        id
    }
}

fn date_field(sheet: &Sheet, issues: &mut Issues, line: u32, key: &str, raw: &str, required: bool) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        if required {
            issues.error(sheet, line, key, "日付が空です");
        }
        return None;
    }
    values::date(raw).map_err(|e| issues.error(sheet, line, key, e)).ok()
}

fn yen_field(sheet: &Sheet, issues: &mut Issues, line: u32, key: &str, raw: &str) -> Option<i64> {
    if raw.trim().is_empty() {
        return None;
    }
    values::yen(raw).map_err(|e| issues.error(sheet, line, key, e)).ok()
}

pub(crate) fn check(db: &Db, sheet: &Sheet, _opts: &ImportOptions, issues: &mut Issues) -> Result<Plan> {
    let refs = Refs::load(db)?;
    match sheet.kind {
        ImportKind::Subscriptions => subscriptions(db, &refs, sheet, issues),
        ImportKind::Orders => orders(db, &refs, sheet, issues),
        ImportKind::Payments => payments(db, &refs, sheet, issues),
        ImportKind::Receivables => receivables(db, &refs, sheet, issues),
        ImportKind::Members | ImportKind::Products => unreachable!("members and products have their own importers"),
    }
}

fn plan(records: Records, n: usize, sample_columns: Vec<&'static str>, sample: Vec<SampleRow>) -> Plan {
    Plan { records: super::Records::Ledger(records), new: n as u32, updates: 0, sample_columns, sample }
}

fn subscriptions(db: &Db, refs: &Refs, sheet: &Sheet, issues: &mut Issues) -> Result<Plan> {
    let mut out = Vec::new();
    let mut sample = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for row in &sheet.table.rows {
        let line = row.row;
        let get = |k: &str| sheet.get(row, k);
        let member_id = refs.member(sheet, issues, line, get("member"));
        let member_status = member_id.and_then(|id| refs.statuses.get(&id).copied());
        let legacy_id = Some(normalize::nfkc(get("legacy_id")).trim().to_string()).filter(|s| !s.is_empty());
        if let Some(l) = &legacy_id {
            if let Some(first) = seen.get(l) {
                issues.error(sheet, line, "legacy_id", format!("定期番号 {l} はこのファイルの {first} 行目でも使われています"));
            } else {
                seen.insert(l.clone(), line);
                if lsql::subscription_legacy_exists(&db.conn, l)? {
                    issues.error(sheet, line, "legacy_id", format!("定期番号 {l} はすでに取り込まれています"));
                }
            }
        }
        let course_name = normalize::tidy(get("course"));
        let product_code = normalize::nfkc(get("product")).trim().to_string();
        let product = if product_code.is_empty() {
            None
        } else {
            let p = refs.products.get(&product_code);
            if p.is_none() {
                issues.error(sheet, line, "product", format!("商品コード {product_code} は登録されていません（先に商品を取り込んでください）"));
            }
            p
        };
        if course_name.is_empty() && product_code.is_empty() {
            issues.error(sheet, line, "course", "コースか商品コードのどちらかが必要です");
        }
        let quantity = if get("quantity").trim().is_empty() {
            1
        } else {
            match values::count(get("quantity")) {
                Ok(q) if q > 0 => q,
                Ok(_) => {
                    issues.error(sheet, line, "quantity", "数量は1以上です");
                    1
                }
                Err(e) => {
                    issues.error(sheet, line, "quantity", e);
                    1
                }
            }
        };
        let interval = values::interval(get("interval")).map_err(|e| issues.error(sheet, line, "interval", e)).ok();
        let raw_status = normalize::nfkc(get("status")).trim().to_string();
        let status = match raw_status.as_str() {
            "" | "継続" | "有効" | "継続中" | "active" | "稼働" => "active",
            "休止" | "一時停止" | "お休み" | "休止中" | "paused" => "paused",
            "停止" | "解約" | "中止" | "終了" | "退会" | "stopped" => "stopped",
            other => {
                issues.error(sheet, line, "status", format!("状態は 継続・休止・停止（空欄は継続）で書いてください（{other}）"));
                "active"
            }
        };
        // 退会 stops a member's subscriptions, 休止 pauses them (as the register does).
        let status = match (member_status, status) {
            (Some(crate::members::MemberStatus::Withdrawn), s) if s != "stopped" => {
                issues.warn(sheet, line, "status", "退会済みの会員のため「停止」として取り込みます");
                "stopped"
            }
            (Some(crate::members::MemberStatus::Suspended), "active") => {
                issues.warn(sheet, line, "status", "休止中の会員のため「休止」として取り込みます");
                "paused"
            }
            (_, s) => s,
        };
        let next_date = date_field(sheet, issues, line, "next_date", get("next_date"), status == "active");
        let unit_price = yen_field(sheet, issues, line, "price", get("price"));
        if unit_price.is_some_and(|p| p < 0) {
            issues.error(sheet, line, "price", "価格がマイナスです");
        }
        let payment_method = if get("payment_method").trim().is_empty() {
            issues.warn(sheet, line, "payment_method", "支払方法が空欄のため「振込」としました");
            "bank_transfer"
        } else {
            values::payment_method(get("payment_method"))
                .map_err(|e| issues.error(sheet, line, "payment_method", e))
                .unwrap_or("bank_transfer")
        };
        if payment_method == "cash" || payment_method == "postal_transfer" || payment_method == "other" {
            issues.error(sheet, line, "payment_method", "定期購入の支払方法は 振込・口座振替・代引・カード のいずれかです");
        }
        let started_on = date_field(sheet, issues, line, "started_on", get("started_on"), false);
        let deliveries = if get("deliveries").trim().is_empty() {
            0
        } else {
            values::count(get("deliveries")).map_err(|e| issues.error(sheet, line, "deliveries", e)).unwrap_or(0)
        };
        if issues.is_rejected(line) {
            continue;
        }
        let (Some(member_id), Some((unit, count))) = (member_id, interval) else { continue };
        if sample.len() < SAMPLE_ROWS {
            sample.push(SampleRow {
                line,
                cells: vec![
                    normalize::nfkc(get("member")).trim().to_string(),
                    if course_name.is_empty() { product.map(|p| p.name.clone()).unwrap_or_default() } else { course_name.clone() },
                    quantity.to_string(),
                    format!("{count}{}", match unit { "month" => "ヶ月ごと", "week" => "週ごと", _ => "日ごと" }),
                    next_date.map(|d| d.to_string()).unwrap_or_default(),
                    unit_price.map(yen).unwrap_or_default(),
                    payment_method_label(payment_method).into(),
                    match status { "active" => "継続", "paused" => "休止", _ => "停止" }.into(),
                ],
            });
        }
        out.push(lsql::NewSubscription {
            legacy_id,
            member_id,
            course_name,
            product_id: product.map(|p| p.id),
            quantity,
            interval_unit: unit,
            interval_count: count,
            anchor_day: (unit == "month").then(|| next_date.map(|d| d.day() as i64)).flatten(),
            next_date,
            unit_price,
            payment_method,
            status,
            started_on,
            deliveries,
            channel: normalize::tidy(get("channel")),
        });
    }
    let n = out.len();
    Ok(plan(Records::Subscriptions(out), n, vec!["member", "course", "quantity", "interval", "next_date", "price", "payment_method", "status"], sample))
}

pub(crate) fn payment_method_label(m: &str) -> &'static str {
    match m {
        "bank_transfer" => "振込",
        "direct_debit" => "口座振替",
        "cod" => "代引",
        "card" => "カード",
        "cash" => "現金",
        "postal_transfer" => "郵便振替",
        _ => "その他",
    }
}

fn orders(db: &Db, refs: &Refs, sheet: &Sheet, issues: &mut Issues) -> Result<Plan> {
    let settings = db.shop_settings()?;
    // Orders by number, in the file's order; each row is one line of its order.
    let mut order_of: HashMap<String, usize> = HashMap::new();
    let mut orders: Vec<(lsql::NewOrder, Vec<u32>)> = Vec::new();
    for row in &sheet.table.rows {
        let line = row.row;
        let get = |k: &str| sheet.get(row, k);
        let number = normalize::nfkc(get("number")).trim().to_string();
        if number.is_empty() {
            issues.error(sheet, line, "number", "受注番号が空です");
            continue;
        }
        let ordered_on = date_field(sheet, issues, line, "ordered_on", get("ordered_on"), true);
        let member_id = refs.member(sheet, issues, line, get("member"));
        let shipping_fee = yen_field(sheet, issues, line, "shipping_fee", get("shipping_fee"));
        let raw_status = normalize::nfkc(get("status")).trim().to_string();
        let status = match raw_status.as_str() {
            "" | "完了" | "出荷済" | "出荷済み" | "発送済" | "発送済み" | "納品済" | "delivered" | "shipped" => "shipped",
            "キャンセル" | "取消" | "取り消し" | "cancelled" => "cancelled",
            "受付" | "未出荷" | "受注" | "open" | "received" => "received",
            other => {
                issues.error(sheet, line, "status", format!("状態は 完了・キャンセル・未出荷 のいずれかです（{other}）"));
                "shipped"
            }
        };
        // The line.
        let product_code = normalize::nfkc(get("product")).trim().to_string();
        let product = refs.products.get(&product_code);
        if !product_code.is_empty() && product.is_none() {
            issues.warn(sheet, line, "product", format!("商品コード {product_code} は登録されていません（商品名のまま取り込みます）"));
        }
        let mut name = normalize::tidy(get("name"));
        if name.is_empty() {
            name = product.map(|p| p.name.clone()).unwrap_or_default();
        }
        let quantity = if get("quantity").trim().is_empty() {
            1
        } else {
            values::count(get("quantity")).map_err(|e| issues.error(sheet, line, "quantity", e)).unwrap_or(1)
        };
        let unit_price = yen_field(sheet, issues, line, "unit_price", get("unit_price"));
        let amount = yen_field(sheet, issues, line, "amount", get("amount"));
        let amount = match (unit_price, amount) {
            (_, Some(a)) => {
                if let Some(u) = unit_price {
                    if u * quantity != a {
                        issues.warn(sheet, line, "amount", format!("金額 {} が 数量×単価（{}）と合いません。金額を採用します", yen(a), yen(u * quantity)));
                    }
                }
                Some(a)
            }
            (Some(u), None) => Some(u * quantity),
            (None, None) => {
                if !issues.is_rejected(line) {
                    issues.error(sheet, line, "amount", "金額か単価のどちらかが必要です");
                }
                None
            }
        };
        if name.is_empty() {
            name = "（品名なし）".into();
            if product_code.is_empty() {
                issues.warn(sheet, line, "name", "商品名も商品コードもないため「（品名なし）」として取り込みます");
            }
        }
        let tax_rate = match values::tax_rate(get("tax_rate")) {
            Ok(Some(r)) => r,
            Ok(None) => match product {
                Some(p) => p.tax_rate,
                None => {
                    issues.warn(sheet, line, "tax_rate", "税率が空欄のため10%としました");
                    10
                }
            },
            Err(e) => {
                issues.error(sheet, line, "tax_rate", e);
                10
            }
        };
        let idx = match order_of.get(&number) {
            Some(&i) => {
                let (o, _) = &orders[i];
                if ordered_on.is_some_and(|d| d.to_string() != o.ordered_on) {
                    issues.error(sheet, line, "ordered_on", format!("受注番号 {number} の受注日が {} 行目と違います", orders[i].1[0]));
                }
                if member_id.is_some_and(|m| m != o.member_id) {
                    issues.error(sheet, line, "member", format!("受注番号 {number} の会員番号が {} 行目と違います", orders[i].1[0]));
                }
                i
            }
            None => {
                if lsql::order_exists(&db.conn, &number)? {
                    issues.error(sheet, line, "number", format!("受注番号 {number} はすでに登録されています"));
                }
                order_of.insert(number.clone(), orders.len());
                orders.push((
                    lsql::NewOrder {
                        number: number.clone(),
                        member_id: member_id.unwrap_or(0),
                        ordered_on: ordered_on.map(|d| d.to_string()).unwrap_or_default(),
                        channel: normalize::tidy(get("channel")),
                        status,
                        shipping_fee: 0,
                        lines: Vec::new(),
                        totals: Default::default(),
                        total: 0,
                    },
                    Vec::new(),
                ));
                orders.len() - 1
            }
        };
        let (o, lines) = &mut orders[idx];
        lines.push(line);
        if let Some(fee) = shipping_fee {
            if o.shipping_fee != 0 && o.shipping_fee != fee {
                issues.error(sheet, line, "shipping_fee", format!("受注番号 {number} の送料が前の行と違います"));
            }
            o.shipping_fee = fee;
        }
        if let Some(amount) = amount {
            o.lines.push(lsql::NewOrderLine {
                product_id: product.map(|p| p.id),
                product_code,
                name,
                quantity,
                unit_price: unit_price.unwrap_or(if quantity != 0 { amount / quantity } else { amount }),
                amount,
                tax_rate,
            });
        }
    }
    // An order with one bad line is not imported at all: half an order is worse than none.
    let mut out = Vec::new();
    let mut sample = Vec::new();
    for (mut o, lines) in orders {
        if let Some(bad) = lines.iter().find(|l| issues.is_rejected(**l)) {
            let good: Vec<u32> = lines.iter().copied().filter(|l| !issues.is_rejected(*l)).collect();
            for l in &good {
                issues.error(sheet, *l, "number", format!("受注番号 {} の {bad} 行目にエラーがあるため、この受注は取り込みません", o.number));
            }
            continue;
        }
        let sum = |rate: i64| o.lines.iter().filter(|l| l.tax_rate == rate).map(|l| l.amount).sum::<i64>();
        let (ten, eight) = (sum(10) + o.shipping_fee, sum(8));
        o.totals = [tax::per_rate(ten, 10, settings.prices_exclude_tax, settings.tax_rounding), tax::per_rate(eight, 8, settings.prices_exclude_tax, settings.tax_rounding)];
        o.total = o.totals[0].total + o.totals[1].total;
        if sample.len() < SAMPLE_ROWS {
            sample.push(SampleRow {
                line: lines[0],
                cells: vec![
                    o.number.clone(), o.ordered_on.clone(), sheet.get(sheet.table.rows.iter().find(|r| r.row == lines[0]).expect("row"), "member").to_string(),
                    o.lines.iter().map(|l| format!("{}{} ×{}", if l.tax_rate == 8 { "※" } else { "" }, l.name, l.quantity)).collect::<Vec<_>>().join("、"),
                    yen(o.shipping_fee), yen(o.total),
                ],
            });
        }
        out.push(o);
    }
    let n = out.len();
    Ok(plan(Records::Orders(out), n, vec!["number", "ordered_on", "member", "name", "shipping_fee", "amount"], sample))
}

fn payments(db: &Db, refs: &Refs, sheet: &Sheet, issues: &mut Issues) -> Result<Plan> {
    let mut out = Vec::new();
    let mut sample = Vec::new();
    // Balances as the rows before this one leave them.
    let mut balances: HashMap<String, (i64, i64, i64)> = HashMap::new();
    for row in &sheet.table.rows {
        let line = row.row;
        let get = |k: &str| sheet.get(row, k);
        let member_id = refs.member(sheet, issues, line, get("member"));
        let paid_on = date_field(sheet, issues, line, "paid_on", get("paid_on"), true);
        let amount = match values::yen(get("amount")) {
            Ok(a) if a > 0 => Some(a),
            Ok(_) => {
                issues.error(sheet, line, "amount", "入金額は1円以上です");
                None
            }
            Err(e) => {
                issues.error(sheet, line, "amount", e);
                None
            }
        };
        let method = if get("method").trim().is_empty() {
            "bank_transfer"
        } else {
            values::payment_method(get("method")).map_err(|e| issues.error(sheet, line, "method", e)).unwrap_or("other")
        };
        let number = normalize::nfkc(get("invoice")).trim().to_string();
        let mut allocation = None;
        if !number.is_empty() {
            let known = match balances.get(&number) {
                Some(b) => Some(*b),
                None => lsql::invoice_balance(&db.conn, &number)?,
            };
            match known {
                None => issues.error(sheet, line, "invoice", format!("請求番号 {number} は登録されていません（先に未収の請求を取り込んでください）")),
                Some((invoice_id, invoice_member, balance)) => {
                    if member_id.is_some_and(|m| m != invoice_member) {
                        issues.error(sheet, line, "invoice", format!("請求番号 {number} は別の会員の請求です"));
                    } else if let Some(a) = amount {
                        let applied = a.min(balance);
                        if applied < a {
                            issues.warn(sheet, line, "amount", format!("請求 {number} の残高 {} を超える {} は前受金（次回以降の請求に充当）として残ります", yen(balance), yen(a - applied)));
                        }
                        if applied > 0 && !issues.is_rejected(line) {
                            allocation = Some((invoice_id, applied));
                            balances.insert(number.clone(), (invoice_id, invoice_member, balance - applied));
                        }
                    }
                }
            }
        }
        if issues.is_rejected(line) {
            continue;
        }
        let (Some(member_id), Some(paid_on), Some(amount)) = (member_id, paid_on, amount) else { continue };
        if sample.len() < SAMPLE_ROWS {
            sample.push(SampleRow {
                line,
                cells: vec![normalize::nfkc(get("member")).trim().to_string(), paid_on.to_string(), yen(amount), payment_method_label(method).into(), number.clone(), normalize::tidy(get("note"))],
            });
        }
        out.push(lsql::NewPayment { member_id, paid_on, amount, method, note: normalize::tidy(get("note")), allocation });
    }
    let n = out.len();
    Ok(plan(Records::Payments(out), n, vec!["member", "paid_on", "amount", "method", "invoice", "note"], sample))
}

fn receivables(db: &Db, refs: &Refs, sheet: &Sheet, issues: &mut Issues) -> Result<Plan> {
    let rounding = db.shop_settings()?.tax_rounding;
    let mut out = Vec::new();
    let mut sample = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for row in &sheet.table.rows {
        let line = row.row;
        let get = |k: &str| sheet.get(row, k);
        let member_id = refs.member(sheet, issues, line, get("member"));
        let number = normalize::nfkc(get("number")).trim().to_string();
        if number.is_empty() {
            issues.error(sheet, line, "number", "請求番号が空です");
        } else if let Some(first) = seen.get(&number) {
            issues.error(sheet, line, "number", format!("請求番号 {number} はこのファイルの {first} 行目でも使われています"));
        } else {
            seen.insert(number.clone(), line);
            if lsql::invoice_balance(&db.conn, &number)?.is_some() {
                issues.error(sheet, line, "number", format!("請求番号 {number} はすでに登録されています"));
            }
        }
        let issued_on = date_field(sheet, issues, line, "issued_on", get("issued_on"), true);
        let due_on = date_field(sheet, issues, line, "due_on", get("due_on"), true);
        if let (Some(i), Some(d)) = (issued_on, due_on) {
            if d < i {
                issues.error(sheet, line, "due_on", format!("支払期限 {d} が請求日 {i} より前です"));
            }
        }
        let amount = match values::yen(get("amount")) {
            Ok(a) if a >= 0 => Some(a),
            Ok(_) => {
                issues.error(sheet, line, "amount", "請求額がマイナスです（返金は入金履歴で扱います）");
                None
            }
            Err(e) => {
                issues.error(sheet, line, "amount", e);
                None
            }
        };
        let a10 = yen_field(sheet, issues, line, "amount_10", get("amount_10"));
        let a8 = yen_field(sheet, issues, line, "amount_8", get("amount_8"));
        let per_rate = match (amount, a10, a8) {
            (_, None, None) | (None, _, _) => None,
            (Some(a), Some(x), None) => Some((x, a - x)),
            (Some(a), None, Some(y)) => Some((a - y, y)),
            (Some(_), Some(x), Some(y)) => Some((x, y)),
        };
        if let (Some(a), Some((x, y))) = (amount, per_rate) {
            if x < 0 || y < 0 || x + y != a {
                issues.error(sheet, line, "amount_10", format!("税率ごとの金額（10%: {}、8%: {}）の合計が請求額 {} と合いません", yen(x), yen(y), yen(a)));
            }
        }
        let paid = yen_field(sheet, issues, line, "paid", get("paid")).unwrap_or(0);
        if let Some(a) = amount {
            if paid < 0 || paid > a {
                issues.error(sheet, line, "paid", format!("入金済額 {} が請求額 {} の範囲外です", yen(paid), yen(a)));
            } else if paid == a && a > 0 {
                issues.warn(sheet, line, "paid", format!("請求 {number} は全額入金済みです（入金済として取り込みます）"));
            }
        }
        if issues.is_rejected(line) {
            continue;
        }
        let (Some(member_id), Some(issued_on), Some(due_on), Some(amount)) = (member_id, issued_on, due_on, amount) else { continue };
        if sample.len() < SAMPLE_ROWS {
            sample.push(SampleRow {
                line,
                cells: vec![
                    normalize::nfkc(get("member")).trim().to_string(), number.clone(), issued_on.to_string(), due_on.to_string(),
                    yen(amount), per_rate.map(|(x, _)| yen(x)).unwrap_or_default(), per_rate.map(|(_, y)| yen(y)).unwrap_or_default(),
                    yen(paid),
                ],
            });
        }
        out.push(lsql::NewInvoice {
            number,
            member_id,
            issued_on,
            due_on,
            amount,
            per_rate: per_rate.map(|(x, y)| [tax::AtRate { total: x, tax: tax::included(x, 10, rounding) }, tax::AtRate { total: y, tax: tax::included(y, 8, rounding) }]),
            paid,
        });
    }
    let n = out.len();
    Ok(plan(Records::Receivables(out), n, vec!["member", "number", "issued_on", "due_on", "amount", "amount_10", "amount_8", "paid"], sample))
}

pub(crate) fn write(tx: &Transaction, records: &Records, ctx: &WriteCtx) -> Result<()> {
    match records {
        Records::Subscriptions(r) => r.iter().try_for_each(|s| lsql::insert_subscription(tx, s, ctx.now, ctx.batch)),
        Records::Orders(r) => r.iter().try_for_each(|o| lsql::insert_order(tx, o, ctx.now, ctx.batch)),
        Records::Payments(r) => r.iter().try_for_each(|p| lsql::insert_payment(tx, p, ctx.now, ctx.batch).map(|_| ())),
        Records::Receivables(r) => r.iter().try_for_each(|i| lsql::insert_invoice(tx, i, ctx.now, ctx.batch)),
    }
}
