//! Products from a legacy price list: code, name, product group (商品群), unit price in yen,
//! tax rate 10% or reduced 8%, unit and whether it is still sold.
use super::{values, ImportOptions, Issues, Plan, Records, SampleRow, Sheet, WriteCtx, SAMPLE_ROWS};
use crate::error::Result;
use crate::normalize;
use crate::products::{Product, ProductInput};
use crate::store::{imports as sql, products as psql, Db};
use rusqlite::Transaction;
use std::collections::HashMap;

pub(crate) struct Record {
    input: ProductInput,
    existing: Option<Product>,
}

pub(crate) fn check(db: &Db, sheet: &Sheet, opts: &ImportOptions, issues: &mut Issues) -> Result<Plan> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let (mut records, mut sample) = (Vec::new(), Vec::new());
    let (mut new, mut updates) = (0, 0);
    for row in &sheet.table.rows {
        let line = row.row;
        let get = |k: &str| sheet.get(row, k);
        let code = normalize::nfkc(get("code")).trim().to_string();
        if code.is_empty() {
            issues.error(sheet, line, "code", "商品コードが空です");
        } else if code.chars().count() > 30 {
            issues.error(sheet, line, "code", format!("商品コードは30文字までです（{code}）"));
        }
        let name = normalize::tidy(get("name"));
        if name.is_empty() {
            issues.error(sheet, line, "name", "商品名が空です");
        }
        let price = match values::yen(get("price")) {
            Ok(p) if p >= 0 => p,
            Ok(p) => {
                issues.error(sheet, line, "price", format!("単価がマイナスです（{p}）"));
                0
            }
            Err(e) => {
                issues.error(sheet, line, "price", e);
                0
            }
        };
        let tax_rate = match values::tax_rate(get("tax_rate")) {
            Ok(Some(r)) => r,
            Ok(None) => {
                issues.warn(sheet, line, "tax_rate", "税率が空欄のため10%としました（食品は8%です）");
                10
            }
            Err(e) => {
                issues.error(sheet, line, "tax_rate", e);
                10
            }
        };
        let raw_active = normalize::nfkc(get("active")).trim().to_string();
        let active = match raw_active.as_str() {
            "" | "販売中" | "有効" | "販売" => true,
            "販売終了" | "終了" | "停止" | "廃番" | "無効" => false,
            other => match values::flag(other) {
                Ok(v) => v,
                Err(e) => {
                    issues.error(sheet, line, "active", e);
                    true
                }
            },
        };
        let mut existing = None;
        if !code.is_empty() {
            if let Some(first) = seen.get(&code) {
                issues.error(sheet, line, "code", format!("商品コード {code} はこのファイルの {first} 行目でも使われています（最初の行を取り込みます）"));
            } else {
                seen.insert(code.clone(), line);
                existing = psql::by_code(&db.conn, &code)?;
                if existing.is_some() && !opts.update_existing {
                    issues.error(sheet, line, "code", format!("商品コード {code} はすでに登録されています（上書きするには「登録済みのコードは上書き更新する」を選んでください。CLIでは --update-existing）"));
                }
            }
        }
        if issues.is_rejected(line) {
            continue;
        }
        // What the file does not carry (stock, size, weight) stays as it was on an update.
        let kept = existing.as_ref().map(|p: &Product| ProductInput { stock: p.stock, size_class: p.size_class.clone(), weight_g: p.weight_g, shipped: p.shipped, ..Default::default() }).unwrap_or_default();
        let input = ProductInput { code, name, group: normalize::tidy(get("group")), unit_price: price, tax_rate, unit: normalize::tidy(get("unit")), active, ..kept };
        if existing.is_some() {
            updates += 1;
        } else {
            new += 1;
        }
        if sample.len() < SAMPLE_ROWS {
            sample.push(SampleRow {
                line,
                cells: vec![
                    input.code.clone(), input.name.clone(), input.group.clone(), format!("¥{}", input.unit_price),
                    format!("{}%", input.tax_rate), input.unit.clone(), if input.active { "販売中" } else { "販売終了" }.into(),
                ],
            });
        }
        records.push(Record { input, existing });
    }
    Ok(Plan { records: Records::Products(records), new, updates, sample_columns: vec!["code", "name", "group", "price", "tax_rate", "unit", "active"], sample })
}

pub(crate) fn write(tx: &Transaction, records: &[Record], ctx: &WriteCtx) -> Result<()> {
    for r in records {
        match &r.existing {
            None => {
                psql::insert(tx, &r.input, ctx.now, Some(ctx.batch))?;
            }
            Some(old) => {
                sql::record_before(tx, ctx.batch, "products", old.id, &serde_json::to_string(old).expect("product json"))?;
                psql::update(tx, old.id, &r.input, ctx.now)?;
            }
        }
    }
    Ok(())
}
