//! Invoices (適格請求書), delivery slips (納品書) and receipts (領収書), all drawn from the same
//! [`Document`]. A4 portrait. The figures are the caller's: nothing here computes tax, it only
//! lays the numbers out so that every item the インボイス制度 asks for is on the paper.
//!
//! Page 1 carries the full header (title, recipient, issuer with 登録番号, number, dates, the
//! boxed amount); lines that do not fit flow onto further pages, each with a short header
//! (title, number, recipient, page "2/3") and the table's column titles repeated. The summary
//! (per-rate totals, total, 振込先, notes) follows the last line, on a page of its own if needed.
use super::{
    cell_lines, continuation_header, draw_table, fit, info_rows, issuer_block, jdate, line_height, page_numbers, recipient_block, width_mm,
    wrap, Align, Canvas, Col, Pdf, Row, ADDRESS, BOTTOM, CONT_TOP, GREY, HEAD_ROW, ISSUER_AT, L, LABEL_FILL, MIN_ROW,
    MM_PER_PT, PAD, R, RED, W,
};
use crate::error::{CoreError, ErrorCode, Result};
use crate::tax::yen;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DocKind {
    /// 適格請求書
    Invoice,
    /// 納品書
    DeliverySlip,
    /// 領収書
    Receipt,
}

/// The shop, as printed on its documents.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Issuer {
    pub name: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    /// 適格請求書発行事業者の登録番号: "T" + 13 digits; may be empty on slips.
    pub registration_number: String,
    /// 振込先 on one line, e.g. "○○銀行 本店 普通 1234567 カ）テイキビン"; may be empty.
    pub bank_account: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Recipient {
    pub postal_code: String,
    pub address_lines: Vec<String>,
    pub company: String,
    pub name: String,
    /// "様" or "御中".
    pub honorific: String,
    pub member_code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocLine {
    pub date: Option<chrono::NaiveDate>,
    pub code: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub amount: i64,
    /// 8 (軽減税率) or 10.
    pub tax_rate: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RateTotal {
    pub rate: i64,
    /// Tax-included total of the lines at that rate.
    pub amount: i64,
    pub tax: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub kind: DocKind,
    pub number: String,
    pub issued_on: chrono::NaiveDate,
    /// 取引年月日: "2026年11月5日" or "2026年11月1日〜2026年11月30日".
    pub transaction_period: String,
    pub due_on: Option<chrono::NaiveDate>,
    pub issuer: Issuer,
    pub recipient: Recipient,
    pub lines: Vec<DocLine>,
    /// Whether unit_price and amount include tax (the columns say 税込 or 税抜).
    pub prices_include_tax: bool,
    pub rate_totals: Vec<RateTotal>,
    /// Grand total, tax included.
    pub total: i64,
    /// e.g. "本書は請求書 I0000012 を訂正したものです。"
    pub notes: Vec<String>,
    /// Prints a clear 無効 mark: "この請求書は取り消されました".
    pub voided: bool,
}

/// Renders `docs` into one PDF, in order, each starting on a new page; `progress(n)` after the
/// n-th document.
pub fn render_documents(docs: &[Document], progress: &mut dyn FnMut(usize)) -> Result<Vec<u8>> {
    if docs.is_empty() {
        return Err(CoreError::new(ErrorCode::Validation, "印刷する書類がありません。"));
    }
    let title = match docs[0].kind {
        DocKind::Invoice => "請求書",
        DocKind::DeliverySlip => "納品書",
        DocKind::Receipt => "領収書",
    };
    let mut pdf = Pdf::new(title)?;
    for (i, doc) in docs.iter().enumerate() {
        render_one(&mut pdf, doc).map_err(|mut e| {
            if !doc.number.is_empty() {
                e.message = format!("{}（{}）", e.message, doc.number);
            }
            e
        })?;
        progress(i + 1);
    }
    pdf.finish()
}

fn kind_word(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Invoice => "請求書",
        DocKind::DeliverySlip => "納品書",
        DocKind::Receipt => "領収書",
    }
}

fn title(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Invoice => "適格請求書",
        DocKind::DeliverySlip => "納品書",
        DocKind::Receipt => "領収書",
    }
}

/// Thousands separators without the yen sign (quantities).
fn group(n: i64) -> String {
    yen(n).replacen('¥', "", 1)
}

fn columns(doc: &Document) -> Vec<Col> {
    let tax = if doc.prices_include_tax { "（税込）" } else { "（税抜）" };
    let (unit, amount): (&'static str, &'static str) = if doc.prices_include_tax {
        ("単価（税込）", "金額（税込）")
    } else {
        ("単価（税抜）", "金額（税抜）")
    };
    let _ = tax;
    match doc.kind {
        DocKind::Receipt => {
            let fixed = 20.0 + 16.0 + 28.0;
            vec![
                Col { title: "日付", width: 20.0, align: Align::Center },
                Col { title: "品名", width: W - fixed, align: Align::Left },
                Col { title: "数量", width: 16.0, align: Align::Right },
                Col { title: amount, width: 28.0, align: Align::Right },
            ]
        }
        _ => {
            let fixed = 20.0 + 26.0 + 14.0 + 25.0 + 27.0;
            vec![
                Col { title: "日付", width: 20.0, align: Align::Center },
                Col { title: "品番", width: 26.0, align: Align::Left },
                Col { title: "品名", width: W - fixed, align: Align::Left },
                Col { title: "数量", width: 14.0, align: Align::Right },
                Col { title: unit, width: 25.0, align: Align::Right },
                Col { title: amount, width: 27.0, align: Align::Right },
            ]
        }
    }
}

fn short_date(d: Option<chrono::NaiveDate>, issued: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match d {
        None => String::new(),
        Some(d) if d.year() == issued.year() => d.format("%m/%d").to_string(),
        Some(d) => d.format("%Y/%m/%d").to_string(),
    }
}

fn lay_rows(doc: &Document, cols: &[Col]) -> Vec<Row> {
    let mut rows = Vec::with_capacity(doc.lines.len());
    for l in &doc.lines {
        let name = if l.tax_rate == 8 { format!("{} ※", l.name.trim()) } else { l.name.trim().to_string() };
        let texts: Vec<String> = match doc.kind {
            DocKind::Receipt => {
                vec![short_date(l.date, doc.issued_on), name, group(l.quantity), yen(l.amount)]
            }
            _ => vec![
                short_date(l.date, doc.issued_on),
                l.code.clone(),
                name,
                group(l.quantity),
                yen(l.unit_price),
                yen(l.amount),
            ],
        };
        rows.push(Row::new(&texts, cols));
    }
    rows
}

/// The rates worth a row: those some line uses (all of them when there are no lines).
fn shown_rates(doc: &Document) -> Vec<&RateTotal> {
    doc.rate_totals
        .iter()
        .filter(|r| doc.lines.is_empty() || doc.lines.iter().any(|l| l.tax_rate == r.rate))
        .collect()
}

fn has_reduced(doc: &Document) -> bool {
    doc.lines.iter().any(|l| l.tax_rate == 8)
}

const NOTE_PT: f32 = 8.5;
const RATE_ROW: f32 = 6.6;
const TOTAL_ROW: f32 = 8.5;
const BANK_LABEL_W: f32 = 20.0;
const LEFT_W: f32 = 88.0;

fn bank_lines(doc: &Document) -> Option<(f32, Vec<String>)> {
    if doc.kind != DocKind::Invoice || doc.issuer.bank_account.trim().is_empty() {
        return None;
    }
    Some(cell_lines(doc.issuer.bank_account.trim(), LEFT_W - BANK_LABEL_W - 2.0 * PAD, 9.0, 7.0))
}

fn note_lines(doc: &Document) -> Vec<String> {
    doc.notes
        .iter()
        .filter(|n| !n.trim().is_empty())
        .flat_map(|n| wrap(n.trim(), W - 2.0 * PAD - 14.0, 9.0))
        .collect()
}

/// Height of the summary block under the table.
fn summary_height(doc: &Document) -> f32 {
    let right = 4.0 + shown_rates(doc).len() as f32 * RATE_ROW + TOTAL_ROW;
    let mut left = if has_reduced(doc) { 6.0 } else { 0.0 };
    if let Some((s, lines)) = bank_lines(doc) {
        left += (lines.len() as f32 * line_height(s) + 3.0).max(9.0) + 2.0;
    }
    let notes = note_lines(doc);
    let notes_h = if notes.is_empty() { 0.0 } else { 5.0 + notes.len() as f32 * line_height(9.0) + 3.0 };
    3.0 + right.max(left) + notes_h
}

fn render_one(pdf: &mut Pdf, doc: &Document) -> Result<()> {
    let cols = columns(doc);
    let rows = lay_rows(doc, &cols);
    let summary_h = summary_height(doc);

    let mut first = pdf.canvas(super::A4_W, super::A4_H);
    if doc.voided {
        watermark(&mut first);
    }
    let head_end = match doc.kind {
        DocKind::Receipt => receipt_header(&mut first, doc),
        _ => invoice_header(&mut first, doc),
    };
    if head_end > 200.0 {
        return Err(CoreError::new(
            ErrorCode::Validation,
            "宛名か発行元の文字が多すぎて、1ページ目に収まりません。住所や名前を短くしてください。",
        ));
    }
    let first_top = head_end + 5.0;

    // Paginate: which rows go on which page, and where the summary goes.
    let capacity = BOTTOM - CONT_TOP - HEAD_ROW;
    let mut pages: Vec<(f32, Vec<usize>)> = vec![(first_top, Vec::new())];
    let mut y = first_top + HEAD_ROW;
    for (i, row) in rows.iter().enumerate() {
        if row.height > capacity {
            return Err(CoreError::field("lines", format!("{}行目の品名が長すぎて1ページに収まりません。", i + 1)));
        }
        if y + row.height > BOTTOM {
            pages.push((CONT_TOP, Vec::new()));
            y = CONT_TOP + HEAD_ROW;
        }
        pages.last_mut().expect("one page at least").1.push(i);
        y += row.height;
    }
    if rows.is_empty() {
        y += MIN_ROW;
    }
    if summary_h > BOTTOM - CONT_TOP {
        return Err(CoreError::field("notes", "備考が長すぎて1ページに収まりません。"));
    }
    let summary_on_new_page = y + summary_h > BOTTOM;
    let total_pages = pages.len() + usize::from(summary_on_new_page);

    let mut canvas = Some(first);
    let mut summary_y = 0.0;
    for (p, (top, idx)) in pages.iter().enumerate() {
        let mut c = match canvas.take() {
            Some(c) => c,
            None => {
                let mut c = pdf.canvas(super::A4_W, super::A4_H);
                if doc.voided {
                    watermark(&mut c);
                }
                continuation(&mut c, doc, p + 1, total_pages);
                c
            }
        };
        let end = draw_table(&mut c, &cols, *top, idx.iter().map(|&i| &rows[i]), rows.is_empty());
        page_numbers(&mut c, p + 1, total_pages);
        if p + 1 == pages.len() && !summary_on_new_page {
            summary_y = end;
            draw_summary(&mut c, doc, end + 3.0);
        }
        pdf.push(c);
    }
    if summary_on_new_page {
        let mut c = pdf.canvas(super::A4_W, super::A4_H);
        if doc.voided {
            watermark(&mut c);
        }
        continuation(&mut c, doc, total_pages, total_pages);
        page_numbers(&mut c, total_pages, total_pages);
        draw_summary(&mut c, doc, CONT_TOP);
        pdf.push(c);
    }
    let _ = summary_y;
    Ok(())
}

/// A pale diagonal 無効 behind everything on a voided document's pages.
fn watermark(c: &mut Canvas) {
    let size = 150.0;
    let w = width_mm("無効", size);
    let (cx, cy) = (105.0f32, 165.0f32);
    let a = 30.0f32.to_radians();
    let x = cx - w / 2.0 * a.cos();
    let y = cy + w / 2.0 * a.sin() + size * MM_PER_PT * 0.35;
    c.text_rotated(x, y, size, 30.0, "無効", super::Ink { r: 1.0, g: 0.86, b: 0.86 });
}

/// The red stamp at the top left of a voided document.
fn void_stamp(c: &mut Canvas, doc: &Document) {
    let msg = format!("この{}は取り消されました", kind_word(doc.kind));
    let w = (width_mm(&msg, 8.5) + 6.0).max(40.0);
    c.rect_ink(L, 7.0, w, 18.0, 1.2, RED);
    c.text_styled(L + w / 2.0, 16.5, 18.0, Align::Center, "無　効", RED, true);
    c.text_styled(L + w / 2.0, 22.5, 8.5, Align::Center, &msg, RED, false);
}

/// Title, number, issue date (and the void stamp): the top strip of page 1.
fn top_strip(c: &mut Canvas, doc: &Document, title_pt: f32) {
    let t = title(doc.kind);
    let ty = 21.0;
    c.text_styled(105.0, ty, title_pt, Align::Center, t, super::BLACK, true);
    let tw = width_mm(t, title_pt) + 12.0;
    c.line(105.0 - tw / 2.0, ty + 2.6, 105.0 + tw / 2.0, ty + 2.6, 0.9);
    c.line(105.0 - tw / 2.0, ty + 3.5, 105.0 + tw / 2.0, ty + 3.5, 0.35);
    if !doc.number.is_empty() {
        c.text(R, 12.5, 9.0, Align::Right, &format!("No. {}", doc.number));
    }
    c.text(R, 18.0, 9.0, Align::Right, &format!("発行日 {}", jdate(doc.issued_on)));
    if doc.voided {
        void_stamp(c, doc);
    }
}

fn invoice_header(c: &mut Canvas, doc: &Document) -> f32 {
    top_strip(c, doc, 20.0);
    let left_end = recipient_block(c, &doc.recipient, ADDRESS.0, ADDRESS.1, ADDRESS.2, true);
    let right_end = issuer_block(c, &doc.issuer, ISSUER_AT.0, ISSUER_AT.1, R - ISSUER_AT.0);
    let mut y = left_end.max(right_end) + 5.0;

    let message = match doc.kind {
        DocKind::Invoice => "下記のとおりご請求申し上げます。",
        _ => "下記のとおり納品いたしました。",
    };
    c.text(L, y + 3.5, 10.0, Align::Left, message);
    y += 6.5;

    // The boxed amount.
    let (label, box_w, label_w, h) = match doc.kind {
        DocKind::Invoice => ("ご請求金額", 95.0, 34.0, 14.0),
        _ => ("合計金額", 95.0, 34.0, 14.0),
    };
    c.fill(L, y, label_w, h, LABEL_FILL);
    c.rect(L, y, box_w, h, 1.0);
    c.line(L + label_w, y, L + label_w, y + h, 0.5);
    c.text_styled(L + label_w / 2.0, y + 6.6, 11.0, Align::Center, label, super::BLACK, true);
    c.text(L + label_w / 2.0, y + 11.0, 8.0, Align::Center, "（税込）");
    let amount = format!("{}-", yen(doc.total));
    let s = fit(&amount, box_w - label_w - 6.0, 18.0, 9.0).unwrap_or(9.0);
    c.text_styled(L + box_w - 4.0, y + h / 2.0 + s * MM_PER_PT * 0.36, s, Align::Right, &amount, super::BLACK, true);

    let mut info = vec![("取引年月日", doc.transaction_period.trim().to_string())];
    if doc.kind == DocKind::Invoice {
        if let Some(due) = doc.due_on {
            info.push(("お支払期限", jdate(due)));
        }
    }
    let info_end = info_rows(c, ISSUER_AT.0, y, R - ISSUER_AT.0, 9.5, &info);
    (y + h).max(info_end)
}

fn receipt_header(c: &mut Canvas, doc: &Document) -> f32 {
    top_strip(c, doc, 24.0);
    let mut y = recipient_block(c, &doc.recipient, L, 38.0, 110.0, false) + 6.0;

    // The amount, centred and large.
    let (x, w, label_w, h) = (35.0, 140.0, 34.0, 18.0);
    c.fill(x, y, label_w, h, LABEL_FILL);
    c.rect(x, y, w, h, 1.2);
    c.line(x + label_w, y, x + label_w, y + h, 0.5);
    c.text_styled(x + label_w / 2.0, y + 8.6, 12.0, Align::Center, "領収金額", super::BLACK, true);
    c.text(x + label_w / 2.0, y + 13.8, 8.0, Align::Center, "（税込）");
    let amount = format!("{}-", yen(doc.total));
    let s = fit(&amount, w - label_w - 8.0, 24.0, 10.0).unwrap_or(10.0);
    c.text_styled(x + label_w + (w - label_w) / 2.0, y + h / 2.0 + s * MM_PER_PT * 0.36, s, Align::Center, &amount, super::BLACK, true);
    y += h + 7.0;
    c.text(x, y, 11.0, Align::Left, "但し　お品代として");
    y += 6.5;
    c.text(x, y, 11.0, Align::Left, "上記正に領収いたしました。");
    y += 7.0;

    // 収入印紙 box (receipts of ¥50,000 or more), 取引年月日, the issuer.
    let mut left_x = L;
    let mut left_end = y;
    if doc.total >= 50_000 {
        c.rect_dashed(L, y, 24.0, 28.0, 0.6);
        c.text_styled(L + 12.0, y + 13.0, 8.0, Align::Center, "収入", GREY, false);
        c.text_styled(L + 12.0, y + 17.5, 8.0, Align::Center, "印紙", GREY, false);
        left_x = L + 29.0;
        left_end = y + 28.0;
    }
    let info_end = info_rows(c, left_x, y, 118.0 - left_x, 9.5, &[("取引年月日", doc.transaction_period.trim().to_string())]);
    let issuer_end = issuer_block(c, &doc.issuer, 125.0, y, R - 125.0);
    c.text(L, left_end.max(info_end).max(issuer_end) + 6.0, 10.0, Align::Left, "内訳");
    left_end.max(info_end).max(issuer_end) + 7.5
}

fn continuation(c: &mut Canvas, doc: &Document, page: usize, pages: usize) {
    let heading = format!("{}（続き）", title(doc.kind));
    let number = if doc.number.is_empty() { String::new() } else { format!("No. {}", doc.number) };
    continuation_header(c, &heading, &number, &doc.recipient, page, pages);
    if doc.voided {
        let x = L + width_mm(&heading, 13.0) + 5.0;
        let msg = format!("無効：この{}は取り消されました", kind_word(doc.kind));
        c.rect_ink(x - 1.5, 10.0, width_mm(&msg, 9.0) + 3.0, 7.0, 0.8, RED);
        c.text_styled(x, 15.0, 9.0, Align::Left, &msg, RED, false);
    }
}

/// ※ note, 振込先, per-rate totals, total, notes from `y`.
fn draw_summary(c: &mut Canvas, doc: &Document, y: f32) {
    // Right: per-rate table and the total.
    let rx = 110.0;
    let rw = R - rx;
    let (c1, c2) = (22.0, 30.0);
    let rates = shown_rates(doc);
    let mut ry = y;
    c.text_styled(R, ry + 3.0, 7.5, Align::Right, "税率ごとの内訳（金額は税込）", GREY, false);
    ry += 4.0;
    let rates_top = ry;
    for r in &rates {
        c.fill(rx, ry, c1, RATE_ROW, LABEL_FILL);
        c.text(rx + c1 / 2.0, ry + 4.5, 9.0, Align::Center, &format!("{}%対象", r.rate));
        c.text(rx + c1 + c2 - PAD, ry + 4.5, 9.0, Align::Right, &yen(r.amount));
        c.text(rx + c1 + c2 + PAD, ry + 4.5, 8.5, Align::Left, "消費税");
        c.text(R - PAD, ry + 4.5, 9.0, Align::Right, &yen(r.tax));
        ry += RATE_ROW;
        c.line(rx, ry, R, ry, 0.3);
    }
    // Total.
    c.fill(rx, ry, c1 + c2, TOTAL_ROW, LABEL_FILL);
    let label = if doc.kind == DocKind::Receipt { "領収金額（税込）" } else { "合計金額（税込）" };
    c.text_styled(rx + (c1 + c2) / 2.0, ry + 5.6, 9.5, Align::Center, label, super::BLACK, true);
    c.text_styled(R - PAD, ry + 6.0, 12.0, Align::Right, &yen(doc.total), super::BLACK, true);
    ry += TOTAL_ROW;
    if !rates.is_empty() {
        c.line(rx + c1, rates_top, rx + c1, rates_top + rates.len() as f32 * RATE_ROW, 0.3);
        c.line(rx + c1 + c2, rates_top, rx + c1 + c2, ry, 0.3);
    } else {
        c.line(rx + c1 + c2, rates_top, rx + c1 + c2, ry, 0.3);
    }
    c.rect(rx, rates_top, rw, ry - rates_top, 0.8);

    // Left: ※ note, then the bank account.
    let mut ly = y;
    if has_reduced(doc) {
        c.text(L, ly + 4.0, NOTE_PT, Align::Left, "※は軽減税率（8%）対象商品です");
        ly += 6.0;
    }
    if let Some((s, lines)) = bank_lines(doc) {
        let lh = line_height(s);
        let h = (lines.len() as f32 * lh + 3.0).max(9.0);
        ly += 1.0;
        c.fill(L, ly, BANK_LABEL_W, h, LABEL_FILL);
        c.rect(L, ly, LEFT_W, h, 0.6);
        c.line(L + BANK_LABEL_W, ly, L + BANK_LABEL_W, ly + h, 0.3);
        c.text(L + BANK_LABEL_W / 2.0, ly + h / 2.0 + 1.2, 8.5, Align::Center, "お振込先");
        let first = ly + (h - lines.len() as f32 * lh) / 2.0 + lh * 0.5 + s * MM_PER_PT * 0.34;
        for (i, l) in lines.iter().enumerate() {
            c.text(L + BANK_LABEL_W + PAD, first + i as f32 * lh, s, Align::Left, l);
        }
        ly += h + 1.0;
    }

    // Notes across the page.
    let notes = note_lines(doc);
    if !notes.is_empty() {
        let top = ry.max(ly) + 5.0;
        let lh = line_height(9.0);
        let h = notes.len() as f32 * lh + 3.0;
        c.fill(L, top, 14.0, h, LABEL_FILL);
        c.rect(L, top, W, h, 0.6);
        c.line(L + 14.0, top, L + 14.0, top + h, 0.3);
        c.text(L + 7.0, top + h / 2.0 + 1.2, 8.5, Align::Center, "備考");
        for (i, n) in notes.iter().enumerate() {
            c.text(L + 14.0 + PAD, top + 1.5 + lh * 0.5 + 9.0 * MM_PER_PT * 0.34 + i as f32 * lh, 9.0, Align::Left, n);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::pdf::testutil::{assert_has, assert_subset_font, keep, pages, sample_issuer, sample_recipient, text_of};
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub(crate) fn sample(kind: DocKind) -> Document {
        let lines = vec![
            DocLine {
                date: Some(d(2026, 11, 5)),
                code: "AOJ-30".into(),
                name: "国産大麦若葉の青汁 30包".into(),
                quantity: 2,
                unit_price: 3_980,
                amount: 7_960,
                tax_rate: 8,
            },
            DocLine {
                date: Some(d(2026, 11, 5)),
                code: "SHK-01".into(),
                name: "シェイカーボトル（500ml）".into(),
                quantity: 1,
                unit_price: 1_100,
                amount: 1_100,
                tax_rate: 10,
            },
            DocLine {
                date: Some(d(2026, 11, 12)),
                code: "SOU-9".into(),
                name: "送料".into(),
                quantity: 1,
                unit_price: 660,
                amount: 660,
                tax_rate: 10,
            },
        ];
        Document {
            kind,
            number: "I0000012".into(),
            issued_on: d(2026, 11, 30),
            transaction_period: "2026年11月1日〜2026年11月30日".into(),
            due_on: Some(d(2026, 12, 31)),
            issuer: sample_issuer(),
            recipient: sample_recipient(),
            lines,
            prices_include_tax: true,
            rate_totals: vec![
                RateTotal { rate: 10, amount: 1_760, tax: 160 },
                RateTotal { rate: 8, amount: 7_960, tax: 589 },
            ],
            total: 9_720,
            notes: vec!["いつもご利用いただきありがとうございます。".into()],
            voided: false,
        }
    }

    fn render(doc: Document) -> Vec<u8> {
        let mut done = Vec::new();
        let pdf = render_documents(&[doc], &mut |n| done.push(n)).unwrap();
        assert_eq!(done, vec![1]);
        pdf
    }

    #[test]
    fn a_two_rate_invoice_has_every_legal_item() {
        let pdf = render(sample(DocKind::Invoice));
        keep("invoice", &pdf);
        assert_subset_font(&pdf, 200_000);
        let Some((raw, t)) = text_of(&pdf) else { return };
        assert_has(
            &t,
            &[
                "適格請求書",
                "株式会社テイキビン",
                "T1234567890123",
                "2026年11月30日",
                "2026年11月1日〜2026年11月30日",
                "2026年12月31日",
                "国産大麦若葉の青汁 30包 ※",
                "シェイカーボトル（500ml）",
                "送料",
                "※は軽減税率（8%）対象商品です",
                "10%対象 ¥1,760 消費税 ¥160",
                "8%対象 ¥7,960 消費税 ¥589",
                "¥9,720",
                "山田 花子",
                "様",
                "〒150-0002",
                "M000123",
                "I0000012",
                "○○銀行 本店 普通 1234567 カ）テイキビン",
                "いつもご利用いただきありがとうございます。",
                "単価（税込）",
            ],
        );
        // ※ is on the 8% line only.
        let aojiru = raw.lines().find(|l| l.contains("国産大麦若葉")).unwrap();
        assert!(aojiru.contains('※') && aojiru.contains("¥7,960"), "{aojiru}");
        let shaker = raw.lines().find(|l| l.contains("シェイカー")).unwrap();
        assert!(!shaker.contains('※'), "{shaker}");
        assert_eq!(pages(&pdf).unwrap_or(1), 1);
    }

    #[test]
    fn a_delivery_slip_and_a_receipt_carry_the_same_items() {
        let mut slip = sample(DocKind::DeliverySlip);
        slip.prices_include_tax = false;
        let pdf = render(slip);
        keep("slip", &pdf);
        assert_subset_font(&pdf, 200_000);
        if let Some((_, t)) = text_of(&pdf) {
            assert_has(
                &t,
                &[
                    "納品書",
                    "株式会社テイキビン",
                    "T1234567890123",
                    "2026年11月30日",
                    "2026年11月1日〜2026年11月30日",
                    "国産大麦若葉の青汁 30包 ※",
                    "シェイカーボトル（500ml）",
                    "※は軽減税率（8%）対象商品です",
                    "10%対象 ¥1,760 消費税 ¥160",
                    "8%対象 ¥7,960 消費税 ¥589",
                    "¥9,720",
                    "山田 花子",
                    "単価（税抜）",
                    "下記のとおり納品いたしました。",
                ],
            );
            assert!(!t.contains("お振込先") && !t.contains("お支払期限"), "{t}");
        }

        let mut receipt = sample(DocKind::Receipt);
        receipt.total = 55_000;
        receipt.rate_totals = vec![
            RateTotal { rate: 10, amount: 47_040, tax: 4_276 },
            RateTotal { rate: 8, amount: 7_960, tax: 589 },
        ];
        let pdf = render(receipt.clone());
        keep("receipt", &pdf);
        assert_subset_font(&pdf, 200_000);
        if let Some((_, t)) = text_of(&pdf) {
            assert_has(
                &t,
                &[
                    "領収書",
                    "¥55,000",
                    "但し お品代として",
                    "上記正に領収いたしました。",
                    "収入",
                    "株式会社テイキビン",
                    "T1234567890123",
                    "2026年11月30日",
                    "2026年11月1日〜2026年11月30日",
                    "国産大麦若葉の青汁 30包 ※",
                    "シェイカーボトル（500ml）",
                    "※は軽減税率（8%）対象商品です",
                    "10%対象 ¥47,040 消費税 ¥4,276",
                    "8%対象 ¥7,960 消費税 ¥589",
                    "山田 花子",
                ],
            );
            assert!(!t.contains("お振込先"), "{t}");
        }
        // Under ¥50,000 there is no 収入印紙 box.
        receipt.total = 9_720;
        if let Some((_, t)) = text_of(&render(receipt)) {
            assert!(!t.contains("印紙"), "{t}");
        }
    }

    #[test]
    fn forty_lines_flow_onto_a_second_page_with_the_header_repeated() {
        let mut doc = sample(DocKind::Invoice);
        let base = doc.lines.clone();
        doc.lines = (0..40)
            .map(|i| {
                let mut l = base[i % 3].clone();
                l.name = format!("{} 第{}便", l.name, i + 1);
                l
            })
            .collect();
        // One very long name: it must shrink or wrap, never run into the next column.
        doc.lines[5].name = "北海道十勝産の有機栽培大豆だけを使った昔ながらの木桶仕込み天然醸造味噌 詰め合わせ 特大お徳用セット".into();
        let pdf = render(doc);
        keep("invoice40", &pdf);
        assert_subset_font(&pdf, 250_000);
        let Some((raw, t)) = text_of(&pdf) else { return };
        assert_eq!(pages(&pdf), Some(2));
        let pages: Vec<&str> = raw.split('\u{c}').collect();
        assert!(pages.len() >= 2);
        // Page 2 repeats the title, the number, the page count and the column titles.
        assert_has(pages[1], &["適格請求書（続き）", "I0000012", "ページ 2/2", "品名", "金額（税込）"]);
        assert_has(pages[0], &["ページ 1/2"]);
        for i in (1..=40).filter(|&i| i != 6) {
            assert!(t.contains(&format!("第{i}便")), "line {i} is missing");
        }
        assert_has(&t, &["北海道十勝産", "特大お徳用セット", "10%対象", "8%対象", "¥9,720"]);
    }

    #[test]
    fn a_voided_invoice_says_so() {
        let mut doc = sample(DocKind::Invoice);
        doc.voided = true;
        let pdf = render(doc);
        keep("voided", &pdf);
        if let Some((_, t)) = text_of(&pdf) {
            assert_has(&t, &["この請求書は取り消されました", "無", "効", "I0000012"]);
        }
    }

    #[test]
    fn several_documents_make_one_pdf_and_bad_input_is_refused_in_japanese() {
        let docs = vec![sample(DocKind::Invoice), sample(DocKind::DeliverySlip), sample(DocKind::Receipt)];
        let mut done = Vec::new();
        let pdf = render_documents(&docs, &mut |n| done.push(n)).unwrap();
        assert_eq!(done, vec![1, 2, 3]);
        if let Some(n) = pages(&pdf) {
            assert_eq!(n, 3);
        }
        let err = render_documents(&[], &mut |_| {}).unwrap_err();
        assert!(err.message.contains("書類"));

        // Odd input renders or is refused, never panics.
        let mut odd = sample(DocKind::Invoice);
        odd.lines.clear();
        odd.recipient = Recipient::default();
        odd.issuer = Issuer::default();
        odd.number.clear();
        odd.notes = vec!["\t改行\nと絵文字😀".into()];
        assert!(render_documents(&[odd.clone()], &mut |_| {}).is_ok());
        odd.notes = vec!["長".repeat(20_000)];
        let err = render_documents(&[odd], &mut |_| {}).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("notes"));
    }
}
