//! The CLI's reports: `report <kind>` prints the report as text tables (or its typed result with
//! `--json`), writes the CSV or the PDF, or the members behind a cell.
use crate::{out, write_file, Output};
use clap::Args;
use std::path::PathBuf;
use teikibin_core::reports::{ReportFilter, ReportKind, ReportView, Unit};
use teikibin_core::{CoreError, Db};

#[derive(Args)]
pub struct ReportArgs {
    /// members | retention | cohorts | 3s | sales | forecast | rfm | cpm | receivables
    kind: String,
    /// 開始月 YYYY-MM（省略時: 直近12か月、継続率・コホートは24か月、見込みは次の月次処理の月から）
    #[arg(long)]
    from: Option<String>,
    /// 終了月 YYYY-MM
    #[arg(long)]
    to: Option<String>,
    /// 定期コースのID（courses list で確認）
    #[arg(long)]
    course: Option<i64>,
    /// CSV（Shift_JIS）に書き出す
    #[arg(long, value_name = "FILE", conflicts_with = "pdf")]
    csv: Option<PathBuf>,
    /// PDF（A4横）に書き出す
    #[arg(long, value_name = "FILE")]
    pdf: Option<PathBuf>,
    /// 表の数字の後ろにいる会員の一覧（例: cpm:loyal:active、rfm:5:3）。--csv で宛名CSV
    #[arg(long, value_name = "KEY")]
    list: Option<String>,
}

/// Columns as wide as their widest text, counting full-width characters twice.
fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() || ('\u{FF61}'..='\u{FF9F}').contains(&c) { 1 } else { 2 }).sum()
}

fn pad(s: &str, w: usize, right: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

fn text(v: &ReportView) -> String {
    let mut t = format!("{}　{}", v.title, v.period);
    if let Some(c) = &v.course {
        t += &format!("　コース: {c}");
    }
    t += &format!("（{} 集計、{} ms）\n", v.as_of, v.millis);
    for f in &v.figures {
        t += &format!("  {}: {}{}\n", f.label, f.text, if f.change.is_empty() { String::new() } else { format!("　{}", f.change) });
    }
    for s in &v.sections {
        t += &format!("\n■ {}\n", s.title);
        let cols = &s.table.columns;
        let widths: Vec<usize> = (0..cols.len())
            .map(|i| s.table.rows.iter().filter_map(|r| r.cells.get(i)).map(|c| width(&c.text)).chain([width(&cols[i].label)]).max().unwrap_or(0))
            .collect();
        let line = |cells: Vec<(String, bool)>| cells.iter().zip(&widths).map(|((s, right), w)| pad(s, *w, *right)).collect::<Vec<_>>().join("  ").trim_end().to_string();
        t += &line(cols.iter().map(|c| (c.label.clone(), c.unit != Unit::Text)).collect());
        t.push('\n');
        for r in &s.table.rows {
            t += &line(r.cells.iter().zip(cols).map(|(c, col)| (c.text.clone(), col.unit != Unit::Text)).collect());
            t.push('\n');
        }
    }
    t
}

pub fn report(db: &mut Db, a: &ReportArgs, json: bool) -> Result<Output, CoreError> {
    let kind = ReportKind::parse(&a.kind).ok_or_else(|| {
        CoreError::field("kind", format!("集計の種類「{}」はありません（{} のどれか）", a.kind, ReportKind::ALL.map(|k| k.key()).join(" | ")))
    })?;
    let f = ReportFilter { from: a.from.clone(), to: a.to.clone(), course: a.course };
    if let Some(key) = &a.list {
        if let Some(path) = &a.csv {
            let r = db.report_members_csv(kind, &f, key)?;
            write_file(path, &r.file.as_ref().expect("written").bytes)?;
            return Ok(out(&r, format!("{}人を {} に書き出しました（退会・DM不要の{}人を除く、{}）", r.written, path.display(), r.left_out, r.encoding.label())));
        }
        let l = db.report_members(kind, &f, key)?;
        let mut t: Vec<String> = l
            .rows
            .iter()
            .map(|m| format!("{}  {}  {}  {}  {}回  {}  最終 {}", m.code, m.name, m.phone, m.segment, m.orders, teikibin_core::tax::yen(m.amount), m.last_order.map(|d| d.to_string()).unwrap_or_default()))
            .collect();
        t.push(format!("{}: {}人", l.title, l.count));
        return Ok(out(&l, t.join("\n")));
    }
    if let Some(path) = &a.csv {
        let file = db.report_csv(kind, &f)?;
        write_file(path, &file.bytes)?;
        let enc = file.encoding.unwrap_or_default();
        return Ok(out(&serde_json::json!({"file": path.display().to_string(), "bytes": file.bytes.len(), "encoding": enc}), format!("{} を書き出しました（{}）", path.display(), enc.label())));
    }
    if let Some(path) = &a.pdf {
        let file = db.report_pdf(kind, &f)?;
        write_file(path, &file.bytes)?;
        return Ok(out(&serde_json::json!({"file": path.display().to_string(), "bytes": file.bytes.len()}), format!("{} を書き出しました", path.display())));
    }
    // The typed result for scripts; the drawn tables for people.
    if json {
        return Ok(out(&db.report_json(kind, &f)?, String::new()));
    }
    let v = db.report(kind, &f)?;
    Ok(out(&v, text(&v)))
}
