//! Sales of the period (orders not cancelled, by order day), four ways that all add up to the same
//! total: by product group and product (商品群別売上集計表), 定期 / 会費 / 都度 (the two tracks),
//! by payment method, and per tax rate.
//!
//! Line amounts are as entered (tax included, or excluded when the shop prices without tax);
//! shipping and COD fees, the tax added on top of tax-excluded prices, and what an order's total
//! holds beyond its lines (orders brought from the old system without lines) are rows of their
//! own, so the group table's total is the orders' total to the yen.
use super::{month_axis, month_columns, Cell, Chart, ChartKind, Column, Figure, Period, ReportKind, ReportView, Table, TableRow, Unit};
use crate::error::Result;
use crate::orders::OrderKind;
use crate::store::{reports as sql, Db};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Amounts per month of the period.
pub type Monthly = Vec<i64>;

#[derive(Debug, Clone, Serialize)]
pub struct ProductSales {
    pub code: String,
    pub name: String,
    pub group: String,
    pub quantity: i64,
    pub amounts: Monthly,
}

#[derive(Debug, Clone, Serialize)]
pub struct SalesReport {
    pub months: Vec<String>,
    /// Goods by product group, largest first.
    pub groups: Vec<(String, Monthly)>,
    pub products: Vec<ProductSales>,
    /// 送料・手数料 (shipping and COD fees).
    pub fees: Monthly,
    /// Tax added on top of tax-excluded prices (zero when prices include tax).
    pub tax_added: Monthly,
    /// Order totals not explained by their lines (imported orders without lines).
    pub other: Monthly,
    /// 定期, 会費, 都度.
    pub tracks: Vec<(String, Monthly)>,
    pub methods: Vec<(String, Monthly)>,
    /// total_10, tax_10, total_8, tax_8 per month.
    pub tax: [Monthly; 4],
    /// The orders' totals: every table adds up to this.
    pub total: Monthly,
    pub orders: Vec<u64>,
}

fn sum(v: &[i64]) -> i64 {
    v.iter().sum()
}

impl Db {
    pub(super) fn sales_report_in(&self, p: &Period) -> Result<SalesReport> {
        let exclude = self.shop_settings()?.prices_exclude_tax;
        let n = p.months().len();
        let orders = sql::orders(&self.conn, p.from, p.to, p.course.as_ref().map(|c| c.0))?;
        let zero = || vec![0i64; n];
        let mut total = zero();
        let mut counts = vec![0u64; n];
        let mut fees = zero();
        let mut tax_added = zero();
        let mut tax = [zero(), zero(), zero(), zero()];
        let mut tracks: BTreeMap<&'static str, Monthly> = BTreeMap::new();
        let mut methods: BTreeMap<&'static str, Monthly> = BTreeMap::new();
        // order id − the first id → month index (ids are dense; a map would cost more than the scan)
        let first_id = orders.iter().map(|o| o.id).min().unwrap_or(0);
        let last_id = orders.iter().map(|o| o.id).max().unwrap_or(-1);
        let mut month_of: Vec<u8> = vec![u8::MAX; (last_id - first_id + 1).max(0) as usize];
        for o in &orders {
            let Some(i) = p.index(o.ordered_on) else { continue };
            month_of[(o.id - first_id) as usize] = i as u8;
            total[i] += o.total;
            counts[i] += 1;
            fees[i] += o.fees;
            if exclude {
                tax_added[i] += o.tax_10 + o.tax_8;
            }
            tax[0][i] += o.total_10;
            tax[1][i] += o.tax_10;
            tax[2][i] += o.total_8;
            tax[3][i] += o.tax_8;
            let track = match o.kind {
                OrderKind::Subscription => "定期",
                OrderKind::Membership => "会費",
                OrderKind::OneOff => "都度",
            };
            tracks.entry(track).or_insert_with(zero)[i] += o.total;
            methods.entry(o.payment_method.map(|m| m.label()).unwrap_or("（未設定）")).or_insert_with(zero)[i] += o.total;
        }
        let products = sql::products(&self.conn)?;
        let mut by_product: HashMap<Option<i64>, (i64, Monthly)> = HashMap::new();
        let mut goods = zero();
        if !orders.is_empty() {
            sql::each_line(&self.conn, first_id, last_id, |order, product, quantity, amount| {
                let i = month_of[(order - first_id) as usize] as usize;
                if i != u8::MAX as usize {
                    let e = by_product.entry(product).or_insert_with(|| (0, vec![0; n]));
                    e.0 += quantity;
                    e.1[i] += amount;
                    goods[i] += amount;
                }
            })?;
        }
        let mut product_rows: Vec<ProductSales> = by_product
            .into_iter()
            .map(|(id, (quantity, amounts))| {
                let p = id.and_then(|id| products.get(&id));
                ProductSales {
                    code: p.map(|p| p.code.clone()).unwrap_or_default(),
                    name: p.map(|p| p.name.clone()).unwrap_or_else(|| "（商品の登録なし）".into()),
                    group: p.map(|p| p.group.trim().to_string()).filter(|g| !g.is_empty()).unwrap_or_else(|| "（商品群なし）".into()),
                    quantity,
                    amounts,
                }
            })
            .collect();
        product_rows.sort_by(|a, b| a.group.cmp(&b.group).then(sum(&b.amounts).cmp(&sum(&a.amounts))).then(a.code.cmp(&b.code)));
        let mut groups: BTreeMap<String, Monthly> = BTreeMap::new();
        for pr in &product_rows {
            let g = groups.entry(pr.group.clone()).or_insert_with(zero);
            for (i, a) in pr.amounts.iter().enumerate() {
                g[i] += a;
            }
        }
        let mut groups: Vec<(String, Monthly)> = groups.into_iter().collect();
        groups.sort_by(|a, b| sum(&b.1).cmp(&sum(&a.1)).then(a.0.cmp(&b.0)));
        let other: Monthly = (0..n).map(|i| total[i] - goods[i] - fees[i] - tax_added[i]).collect();
        let order = ["定期", "会費", "都度"];
        let tracks = order.iter().filter_map(|k| tracks.remove(k).map(|v| (k.to_string(), v))).collect();
        let mut methods: Vec<(String, Monthly)> = methods.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        methods.sort_by_key(|m| std::cmp::Reverse(sum(&m.1)));
        Ok(SalesReport {
            months: p.months().into_iter().map(super::month_key).collect(),
            groups,
            products: product_rows,
            fees,
            tax_added,
            other,
            tracks,
            methods,
            tax,
            total,
            orders: counts,
        })
    }
}

fn money_row(label: &str, v: &[i64], total: bool) -> TableRow {
    let mut cells = vec![Cell::text(label)];
    cells.extend(v.iter().map(|a| Cell::yen(*a)));
    cells.push(Cell::yen(sum(v)));
    TableRow { cells, total }
}

impl SalesReport {
    pub(super) fn view(&self, p: &Period) -> ReportView {
        let mut v = ReportView::new(ReportKind::Sales, p);
        let total = sum(&self.total);
        v.figures.push(Figure::new("売上合計（税込）", Cell::yen(total), Unit::Yen));
        v.figures.push(Figure::new("受注件数", Cell::count(self.orders.iter().sum::<u64>() as i64), Unit::Count));
        for (name, m) in &self.tracks {
            v.figures.push(Figure::new(&format!("{name}の売上"), Cell::yen(sum(m)), Unit::Yen));
        }
        let n = self.months.len();
        if n >= 2 {
            v.figures.push(Figure::new("最終月の売上", Cell::yen(self.total[n - 1]), Unit::Yen).against(self.total[n - 2] as f64, true));
        }
        let axis = month_axis(p);
        let as_f = |m: &Monthly| m.iter().map(|x| *x as f64).collect::<Vec<f64>>();

        // 商品群別売上集計表
        let mut chart = Chart::new(ChartKind::StackedBar, Unit::Yen, axis.clone());
        for (g, m) in self.groups.iter().take(8) {
            chart = chart.series(g, as_f(m));
        }
        if self.groups.len() > 8 {
            let rest: Monthly = (0..n).map(|i| self.groups[8..].iter().map(|g| g.1[i]).sum()).collect();
            chart = chart.series("その他の商品群", as_f(&rest));
        }
        let mut cols = month_columns(("商品群", Unit::Text), p, Unit::Yen, Some("期間計"));
        cols.push(Column { label: "構成比".into(), unit: Unit::Percent });
        let mut t = Table::with_columns(cols);
        let with_share = |mut r: TableRow, v: &[i64]| {
            r.cells.push(Cell::pct(sum(v) as f64, total as f64));
            r
        };
        for (g, m) in &self.groups {
            t.rows.push(with_share(money_row(g, m, false), m));
        }
        let goods: Monthly = (0..n).map(|i| self.groups.iter().map(|g| g.1[i]).sum()).collect();
        t.rows.push(with_share(money_row("商品 小計", &goods, true), &goods));
        t.rows.push(with_share(money_row("送料・手数料", &self.fees, false), &self.fees));
        if self.tax_added.iter().any(|x| *x != 0) {
            t.rows.push(with_share(money_row("消費税（税抜価格への加算分）", &self.tax_added, false), &self.tax_added));
        }
        if self.other.iter().any(|x| *x != 0) {
            t.rows.push(with_share(money_row("明細のない受注（旧システムから）", &self.other, false), &self.other));
        }
        t.rows.push(with_share(money_row("売上合計", &self.total, true), &self.total));
        v.section("商品群別売上集計表", "取消を除く受注を受注日の月で集計（税込）。商品群は商品マスタの「商品群」です。", Some(chart), t);

        let mut cols = vec![Column { label: "商品コード".into(), unit: Unit::Text }];
        cols.extend(month_columns(("商品名", Unit::Text), p, Unit::Yen, Some("期間計")));
        cols.insert(2, Column { label: "商品群".into(), unit: Unit::Text });
        cols.insert(3, Column { label: "数量".into(), unit: Unit::Count });
        let mut t = Table::with_columns(cols);
        for pr in &self.products {
            let mut cells = vec![Cell::text(&pr.code), Cell::text(&pr.name), Cell::text(&pr.group), Cell::count(pr.quantity)];
            cells.extend(pr.amounts.iter().map(|a| Cell::yen(*a)));
            cells.push(Cell::yen(sum(&pr.amounts)));
            t.rows.push(TableRow::new(cells));
        }
        let mut cells = vec![Cell::text("合計"), Cell::empty(), Cell::empty(), Cell::count(self.products.iter().map(|p| p.quantity).sum())];
        cells.extend(goods.iter().map(|a| Cell::yen(*a)));
        cells.push(Cell::yen(sum(&goods)));
        t.rows.push(TableRow::total(cells));
        v.section("商品別", "商品の金額（送料・手数料を含まない）。", None, t);

        let mut chart = Chart::new(ChartKind::StackedBar, Unit::Yen, axis.clone());
        let mut t = Table::with_columns(month_columns(("区分", Unit::Text), p, Unit::Yen, Some("期間計")));
        for (name, m) in &self.tracks {
            chart = chart.series(name, as_f(m));
            t.rows.push(money_row(name, m, false));
        }
        t.rows.push(money_row("合計", &self.total, true));
        v.section("定期 / 都度（二つの柱）", "定期＝定期コースのお届け、会費＝会費コース、都度＝電話・Web・FAX・はがき等のご注文。", Some(chart), t);

        let mut t = Table::with_columns(month_columns(("支払方法", Unit::Text), p, Unit::Yen, Some("期間計")));
        let mut chart = Chart::new(ChartKind::StackedBar, Unit::Yen, axis);
        for (name, m) in &self.methods {
            chart = chart.series(name, as_f(m));
            t.rows.push(money_row(name, m, false));
        }
        t.rows.push(money_row("合計", &self.total, true));
        v.section("支払方法別", "", Some(chart), t);

        let mut t = Table::with_columns(month_columns(("", Unit::Text), p, Unit::Yen, Some("期間計")));
        t.rows.push(money_row("10%対象（税込）", &self.tax[0], false));
        t.rows.push(money_row("うち消費税 10%", &self.tax[1], false));
        t.rows.push(money_row("8%対象（税込・軽減税率）", &self.tax[2], false));
        t.rows.push(money_row("うち消費税 8%", &self.tax[3], false));
        let both: Monthly = (0..n).map(|i| self.tax[0][i] + self.tax[2][i]).collect();
        t.rows.push(money_row("合計", &both, true));
        v.section("税率別", "受注ごとに税率別に端数処理した金額の合計です（送料・手数料は10%対象）。", None, t);
        v
    }
}
