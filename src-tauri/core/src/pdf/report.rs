//! A report on A4 landscape: title, the headline figures, then each section's chart (drawn as
//! vectors, so it prints sharp) and its table, continuing on further pages with the table's
//! header repeated.
use super::{fit, jdate, para, width_mm, wrap, Align, Canvas, Ink, Pdf, BLACK, GREY, MM_PER_PT};
use crate::error::Result;
use crate::reports::{Cell, Chart, ChartKind, ReportView, Table, Unit};

const PAGE_W: f32 = 297.0;
const PAGE_H: f32 = 210.0;
const LM: f32 = 12.0;
const RM: f32 = PAGE_W - 12.0;
const CW: f32 = RM - LM;
const TOP: f32 = 12.0;
const BOTTOM: f32 = PAGE_H - 12.0;
const CHART_H: f32 = 62.0;

/// Series colours: distinct in colour and still apart in greyscale (lightness steps).
const PALETTE: [Ink; 8] = [
    Ink { r: 0.16, g: 0.35, b: 0.62 },
    Ink { r: 0.90, g: 0.55, b: 0.20 },
    Ink { r: 0.45, g: 0.70, b: 0.45 },
    Ink { r: 0.55, g: 0.20, b: 0.25 },
    Ink { r: 0.65, g: 0.75, b: 0.90 },
    Ink { r: 0.35, g: 0.35, b: 0.35 },
    Ink { r: 0.95, g: 0.80, b: 0.45 },
    Ink { r: 0.60, g: 0.45, b: 0.70 },
];

struct Pages<'a> {
    pdf: Pdf,
    page: Canvas,
    y: f32,
    n: usize,
    header: &'a str,
}

impl Pages<'_> {
    fn ensure(&mut self, h: f32) -> bool {
        if self.y + h <= BOTTOM {
            return false;
        }
        self.n += 1;
        let next = self.pdf.canvas(PAGE_W, PAGE_H);
        let done = std::mem::replace(&mut self.page, next);
        self.pdf.push(done);
        self.page.text_styled(LM, TOP + 3.0, 8.0, Align::Left, self.header, GREY, false);
        self.page.text_styled(RM, TOP + 3.0, 8.0, Align::Right, &format!("{}ページ", self.n), GREY, false);
        self.y = TOP + 8.0;
        true
    }
}

fn axis_text(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Yen if v.abs() >= 100_000_000.0 => format!("{}億", trim(v / 100_000_000.0)),
        Unit::Yen if v.abs() >= 10_000.0 => format!("{}万", trim(v / 10_000.0)),
        Unit::Yen => format!("¥{}", crate::reports::grouped(v.round() as i64)),
        Unit::Percent => format!("{}%", trim(v)),
        _ => crate::reports::grouped(v.round() as i64),
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// A round top for the axis: 1, 2 or 5 times a power of ten.
fn nice(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= max {
            return m * p;
        }
    }
    10.0 * p
}

fn draw_chart(c: &mut Canvas, ch: &Chart, top: f32) {
    let stacked = matches!(ch.kind, ChartKind::StackedBar) || (ch.kind == ChartKind::HorizontalBar && ch.series.len() > 1);
    let n = ch.labels.len();
    let finite = |v: f64| if v.is_finite() { v.max(0.0) } else { 0.0 };
    let max = if stacked {
        (0..n).map(|i| ch.series.iter().map(|s| finite(s.values.get(i).copied().unwrap_or(0.0))).sum::<f64>()).fold(0.0, f64::max)
    } else {
        ch.series.iter().flat_map(|s| s.values.iter().copied().map(finite)).fold(0.0, f64::max)
    };
    let top_v = if ch.unit == Unit::Percent && max <= 100.0 { 100.0 } else { nice(max) };
    // Legend on the top line.
    let mut lx = RM;
    for (k, s) in ch.series.iter().enumerate().rev() {
        let w = width_mm(&s.name, 7.0);
        lx -= w + 6.0;
        c.fill_ink(lx, top + 0.6, 3.0, 2.4, PALETTE[k % PALETTE.len()]);
        c.text(lx + 4.0, top + 2.8, 7.0, Align::Left, &s.name);
    }
    if ch.kind == ChartKind::HorizontalBar {
        let label_w = ch.labels.iter().map(|l| width_mm(l, 7.0)).fold(10.0f32, f32::max).min(70.0) + 2.0;
        let (x0, x1, y0, y1) = (LM + label_w, RM - 4.0, top + 6.0, top + CHART_H - 6.0);
        let row = ((y1 - y0) / n.max(1) as f32).min(8.0);
        for g in 0..=4 {
            let v = top_v * g as f64 / 4.0;
            let x = x0 + (x1 - x0) * g as f32 / 4.0;
            c.line_ink(x, y0, x, y0 + row * n as f32, 0.2, Ink { r: 0.8, g: 0.8, b: 0.8 });
            c.text_styled(x, y0 + row * n as f32 + 3.5, 6.5, Align::Center, &axis_text(v, ch.unit), GREY, false);
        }
        for (i, l) in ch.labels.iter().enumerate() {
            let y = y0 + row * i as f32;
            let s = fit(l, label_w - 2.0, 7.0, 5.5).unwrap_or(5.5);
            c.text(x0 - 1.5, y + row * 0.62, s, Align::Right, l);
            let mut x = x0;
            for (k, se) in ch.series.iter().enumerate() {
                let v = finite(se.values.get(i).copied().unwrap_or(0.0));
                let w = ((x1 - x0) as f64 * v / top_v) as f32;
                c.fill_ink(x, y + row * 0.15, w, row * 0.7, PALETTE[k % PALETTE.len()]);
                x += w;
            }
        }
        return;
    }
    let (x0, x1, y0, y1) = (LM + 16.0, RM, top + 6.0, top + CHART_H - 7.0);
    for g in 0..=4 {
        let v = top_v * g as f64 / 4.0;
        let y = y1 - (y1 - y0) * g as f32 / 4.0;
        c.line_ink(x0, y, x1, y, 0.2, Ink { r: 0.8, g: 0.8, b: 0.8 });
        c.text_styled(x0 - 1.5, y + 1.0, 6.5, Align::Right, &axis_text(v, ch.unit), GREY, false);
    }
    c.line(x0, y1, x1, y1, 0.5);
    let slot = (x1 - x0) / n.max(1) as f32;
    let every = ((n as f32 * width_mm("2026/11", 6.5)) / (x1 - x0) + 0.999).max(1.0) as usize;
    for (i, l) in ch.labels.iter().enumerate() {
        if i % every == 0 {
            let s = fit(l, slot * every as f32 - 0.5, 6.5, 5.0).unwrap_or(5.0);
            c.text_styled(x0 + slot * (i as f32 + 0.5), y1 + 3.6, s, Align::Center, l, GREY, false);
        }
    }
    let yv = |v: f64| y1 - ((y1 - y0) as f64 * (v / top_v)).min((y1 - y0) as f64) as f32;
    match ch.kind {
        ChartKind::Line => {
            for (k, se) in ch.series.iter().enumerate() {
                let ink = PALETTE[k % PALETTE.len()];
                let mut prev: Option<(f32, f32)> = None;
                for (i, v) in se.values.iter().enumerate() {
                    if !v.is_finite() {
                        prev = None;
                        continue;
                    }
                    let p = (x0 + slot * (i as f32 + 0.5), yv(v.max(0.0)));
                    if let Some(q) = prev {
                        c.line_ink(q.0, q.1, p.0, p.1, 1.0, ink);
                    }
                    c.fill_ink(p.0 - 0.7, p.1 - 0.7, 1.4, 1.4, ink);
                    prev = Some(p);
                }
            }
        }
        _ => {
            let groups = if stacked { 1 } else { ch.series.len().max(1) };
            let bw = slot * 0.72 / groups as f32;
            for i in 0..n {
                let mut base = y1;
                for (k, se) in ch.series.iter().enumerate() {
                    let v = finite(se.values.get(i).copied().unwrap_or(0.0));
                    let h = y1 - yv(v);
                    let ink = PALETTE[k % PALETTE.len()];
                    if stacked {
                        c.fill_ink(x0 + slot * i as f32 + slot * 0.14, base - h, bw, h, ink);
                        base -= h;
                    } else {
                        c.fill_ink(x0 + slot * i as f32 + slot * 0.14 + bw * k as f32, y1 - h, bw, h, ink);
                    }
                }
            }
        }
    }
}

/// Column widths: text columns as wide as their longest text (within limits), the numbers share
/// the rest; the size shrinks until the table fits the page's width.
fn layout(t: &Table) -> (Vec<f32>, f32) {
    let mut size = 8.0f32;
    loop {
        let need: Vec<f32> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, col)| {
                let texts = t.rows.iter().filter_map(|r| r.cells.get(i)).map(|c| width_mm(&c.text, size)).fold(0.0f32, f32::max);
                let head = wrap(&col.label, 40.0, size).iter().map(|l| width_mm(l, size)).fold(0.0f32, f32::max);
                let w = texts.max(head.min(if col.unit == Unit::Text { 60.0 } else { 22.0 })) + 2.6;
                if col.unit == Unit::Text { w.clamp(10.0, 75.0) } else { w.max(9.0) }
            })
            .collect();
        let sum: f32 = need.iter().sum();
        if sum <= CW || size <= 5.5 {
            let scale = CW / sum;
            // Spread the spare width over the number columns; shrink everything when over.
            let widths = if sum <= CW {
                let numbers = t.columns.iter().filter(|c| c.unit != Unit::Text).count().max(1) as f32;
                let spare = (CW - sum).min(numbers * 12.0);
                need.iter().zip(&t.columns).map(|(w, c)| if c.unit != Unit::Text { w + spare / numbers } else { *w }).collect()
            } else {
                need.iter().map(|w| w * scale).collect()
            };
            return (widths, size);
        }
        size -= 0.5;
    }
}

fn heat(cell: &Cell) -> Option<f32> {
    cell.value.map(|v| (1.0 - (v as f32 / 100.0).clamp(0.0, 1.0) * 0.45).max(0.55))
}

fn draw_table(pages: &mut Pages, t: &Table) {
    let (widths, size) = layout(t);
    let table_w: f32 = widths.iter().sum();
    let lh = size * MM_PER_PT * 1.25;
    let head_lines: Vec<Vec<String>> = t.columns.iter().zip(&widths).map(|(c, w)| wrap(&c.label, w - 1.6, size)).collect();
    let head_h = head_lines.iter().map(|l| l.len()).max().unwrap_or(1) as f32 * lh + 2.0;
    let row_h = lh + 1.6;
    let header = |c: &mut Canvas, y: f32| {
        c.fill(LM, y, table_w, head_h, 0.88);
        let mut x = LM;
        for (lines, w) in head_lines.iter().zip(&widths) {
            for (i, l) in lines.iter().enumerate() {
                c.text(x + w / 2.0, y + 1.0 + lh * (i as f32 + 0.8), size, Align::Center, l);
            }
            x += w;
        }
        c.rect(LM, y, table_w, head_h, 0.5);
    };
    pages.ensure(head_h + row_h * 2.0);
    header(&mut pages.page, pages.y);
    pages.y += head_h;
    for (ri, r) in t.rows.iter().enumerate() {
        if pages.ensure(row_h) {
            header(&mut pages.page, pages.y);
            pages.y += head_h;
        }
        let y = pages.y;
        let c = &mut pages.page;
        if r.total {
            c.fill(LM, y, table_w, row_h, 0.93);
        } else if ri % 2 == 1 {
            c.fill(LM, y, table_w, row_h, 0.975);
        }
        let mut x = LM;
        for ((cell, col), w) in r.cells.iter().zip(&t.columns).zip(&widths) {
            if t.heat && col.unit == Unit::Percent {
                if let Some(level) = heat(cell) {
                    c.fill(x, y, *w, row_h, level);
                }
            }
            let s = fit(&cell.text, w - 1.6, size, 5.0).unwrap_or(5.0);
            let base = y + row_h * 0.5 + s * MM_PER_PT * 0.35;
            if col.unit == Unit::Text {
                c.text_styled(x + 0.8, base, s, Align::Left, &cell.text, BLACK, r.total);
            } else {
                c.text_styled(x + w - 0.8, base, s, Align::Right, &cell.text, BLACK, r.total);
            }
            x += w;
        }
        c.line_ink(LM, y + row_h, LM + table_w, y + row_h, 0.2, Ink { r: 0.7, g: 0.7, b: 0.7 });
        pages.y += row_h;
    }
    if t.rows.is_empty() {
        pages.page.text_styled(LM + 2.0, pages.y + 4.0, 8.0, Align::Left, "（該当するデータはありません）", GREY, false);
        pages.y += 6.0;
    }
}

/// `v` as a PDF; `shop` heads each page.
pub fn render_report(v: &ReportView, shop: &str) -> Result<Vec<u8>> {
    let pdf = Pdf::new(&v.title)?;
    let page = pdf.canvas(PAGE_W, PAGE_H);
    let header = format!("{}　{}", v.title, v.period);
    let mut pages = Pages { pdf, page, y: TOP, n: 1, header: &header };
    let c = &mut pages.page;
    c.text_styled(LM, TOP + 6.0, 15.0, Align::Left, &v.title, BLACK, true);
    c.text_styled(RM, TOP + 3.0, 8.0, Align::Right, shop, GREY, false);
    c.text_styled(RM, TOP + 7.5, 8.0, Align::Right, &format!("作成日 {}", jdate(v.as_of)), GREY, false);
    let mut sub = format!("期間: {}", v.period);
    if let Some(course) = &v.course {
        sub.push_str(&format!("　コース: {course}"));
    }
    c.text(LM, TOP + 12.5, 9.0, Align::Left, &sub);
    pages.y = TOP + 17.0;
    if !v.figures.is_empty() {
        let n = v.figures.len().min(6);
        let w = (CW - 3.0 * (n as f32 - 1.0)) / n as f32;
        for (i, f) in v.figures.iter().take(6).enumerate() {
            let x = LM + i as f32 * (w + 3.0);
            let c = &mut pages.page;
            c.rect_ink(x, pages.y, w, 15.0, 0.4, Ink { r: 0.7, g: 0.7, b: 0.7 });
            let s = fit(&f.label, w - 3.0, 7.5, 5.5).unwrap_or(5.5);
            c.text_styled(x + 1.5, pages.y + 4.0, s, Align::Left, &f.label, GREY, false);
            let s = fit(&f.text, w - 3.0, 13.0, 7.0).unwrap_or(7.0);
            c.text_styled(x + 1.5, pages.y + 10.5, s, Align::Left, &f.text, BLACK, true);
            if !f.change.is_empty() {
                let s = fit(&f.change, w - 3.0, 6.5, 5.0).unwrap_or(5.0);
                c.text_styled(x + 1.5, pages.y + 13.8, s, Align::Left, &f.change, GREY, false);
            }
        }
        pages.y += 20.0;
    }
    for s in &v.sections {
        let note_lines = if s.note.is_empty() { 0 } else { wrap(&s.note, CW, 7.5).len() };
        let chart_h = if s.chart.as_ref().is_some_and(|c| !c.series.is_empty() && !c.labels.is_empty()) { CHART_H } else { 0.0 };
        // A section starts on a new page unless its title, note, chart and a few rows fit.
        pages.ensure(8.0 + note_lines as f32 * 3.6 + chart_h + 20.0);
        let c = &mut pages.page;
        c.text_styled(LM, pages.y + 5.0, 11.0, Align::Left, &s.title, BLACK, true);
        pages.y += 7.0;
        if !s.note.is_empty() {
            pages.y = para(c, LM, pages.y, CW, &s.note, 7.5, 6.0, false) + 0.5;
        }
        if let (Some(ch), true) = (&s.chart, chart_h > 0.0) {
            draw_chart(&mut pages.page, ch, pages.y);
            pages.y += chart_h + 2.0;
        }
        draw_table(&mut pages, &s.table);
        pages.y += 6.0;
    }
    let last = std::mem::replace(&mut pages.page, pages.pdf.canvas(PAGE_W, PAGE_H));
    pages.pdf.push(last);
    pages.pdf.finish()
}
