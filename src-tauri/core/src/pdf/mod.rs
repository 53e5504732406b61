//! PDFs the shop prints and mails: invoices (適格請求書), delivery slips (納品書), receipts
//! (領収書), payment reminders (督促状) and labels (shipping labels, bulletin address labels). Pure Rust (printpdf), one
//! embedded font subset per PDF, no browser and no system fonts.
//!
//! Everything here draws in millimetres from the top-left corner of the page, the way a person
//! measures a sheet; [`Canvas`] turns that into PDF points from the bottom-left.
pub mod document;
pub mod font;
pub mod labels;
pub mod letter;
mod report;

pub use document::{render_documents, DocKind, DocLine, Document, Issuer, RateTotal, Recipient};
pub use labels::{render_labels, Label, LabelSheet};
pub use letter::{render_letters, Letter, LetterLine};
pub use report::render_report;

use crate::error::{CoreError, ErrorCode, Result};
use printpdf::{
    Color, FontId, Greyscale, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, TextMatrix, TextRenderingMode,
};

pub(crate) const A4_W: f32 = 210.0;
pub(crate) const A4_H: f32 = 297.0;
/// Millimetres per typographic point.
pub(crate) const MM_PER_PT: f32 = 25.4 / 72.0;

/// Width of `text` set at `size` points, in millimetres.
pub(crate) fn width_mm(text: &str, size: f32) -> f32 {
    font::width_em(text) * size * MM_PER_PT
}

/// The largest size from `size` down to `min` (in half points) at which `text` fits `max_w` on
/// one line; `None` when it does not fit even at `min`.
pub(crate) fn fit(text: &str, max_w: f32, size: f32, min: f32) -> Option<f32> {
    let em = font::width_em(text);
    if em <= 0.0 {
        return Some(size);
    }
    // The exact size that fits, floored to half a point.
    let exact = max_w / (em * MM_PER_PT);
    if exact >= size {
        return Some(size);
    }
    let s = (exact * 2.0).floor() / 2.0;
    if s >= min {
        Some(s)
    } else {
        None
    }
}

/// Characters that must not start a line (行頭禁則), kept with the line before.
fn no_line_start(c: char) -> bool {
    "、。，．,.)）」』】〕〉》!！?？ーゃゅょっぁぃぅぇぉャュョッァィゥェォ々・：:；;％%".contains(c)
}

/// `text` broken into lines no wider than `max_w` at `size`: anywhere between Japanese
/// characters, preferably at a space, never inside a Latin word when avoidable, never before
/// closing punctuation or small kana; the lines balanced (no lone character on the last line).
pub(crate) fn wrap(text: &str, max_w: f32, size: f32) -> Vec<String> {
    let greedy = wrap_greedy(text, max_w, size);
    let n = greedy.len();
    // Balance only a short last line (a break at a space already made sensible lines).
    if n < 2 || width_mm(&greedy[n - 1], size) > max_w * 0.35 {
        return greedy;
    }
    // The narrowest width that still needs no more lines gives even lines.
    let step = size * MM_PER_PT;
    let mut target = width_mm(text, size) / n as f32;
    while target < max_w {
        let balanced = wrap_greedy(text, target, size);
        if balanced.len() <= n {
            return balanced;
        }
        target += step;
    }
    greedy
}

fn wrap_greedy(text: &str, max_w: f32, size: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut start = 0;
    while start < chars.len() {
        // Longest prefix that fits (at least one character, so very narrow boxes still progress).
        let mut end = start;
        let mut w = 0.0;
        while end < chars.len() {
            let cw = width_mm(chars[end].encode_utf8(&mut [0; 4]), size);
            if end > start && w + cw > max_w + 0.01 {
                break;
            }
            w += cw;
            end += 1;
        }
        if end < chars.len() && chars[end] != ' ' {
            // Break at a space on the line's second half (between address parts, between Latin
            // words); inside a Latin word, at any space on the line.
            let in_word = chars[end].is_ascii_alphanumeric() && chars[end - 1].is_ascii_alphanumeric();
            let from = if in_word { start + 1 } else { start + (end - start) * 2 / 5 + 1 };
            if let Some(sp) = (from..end).rev().find(|&i| chars[i] == ' ' || chars[i] == '\u{3000}') {
                end = sp + 1;
            }
            // Kinsoku: pull one character down rather than start a line with 」 or 。.
            let mut guard = 0;
            while end > start + 1 && end < chars.len() && no_line_start(chars[end]) && guard < 2 {
                end -= 1;
                guard += 1;
            }
        }
        let line: String = chars[start..end].iter().collect();
        lines.push(line.trim_end_matches([' ', '\u{3000}']).to_string());
        start = end;
        while start < chars.len() && (chars[start] == ' ' || chars[start] == '\u{3000}') {
            start += 1;
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// A date the Japanese way: 2026年11月5日.
pub(crate) fn jdate(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
    Center,
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) struct Ink {
    pub r: f32,
    pub g: f32,
    pub b: f32,
}

pub(crate) const BLACK: Ink = Ink { r: 0.0, g: 0.0, b: 0.0 };
pub(crate) const RED: Ink = Ink { r: 0.80, g: 0.05, b: 0.05 };
pub(crate) const GREY: Ink = Ink { r: 0.35, g: 0.35, b: 0.35 };

fn color(ink: Ink) -> Color {
    if ink.r == ink.g && ink.g == ink.b {
        Color::Greyscale(Greyscale::new(ink.r, None))
    } else {
        Color::Rgb(Rgb::new(ink.r, ink.g, ink.b, None))
    }
}

/// One page being drawn, in millimetres from the top-left corner.
pub(crate) struct Canvas {
    ops: Vec<Op>,
    font: FontId,
    height: f32,
    width: f32,
    /// The font size last set (printpdf keeps one text state per page).
    size: f32,
}

fn pt(mm: f32) -> Pt {
    Pt(mm / MM_PER_PT)
}

impl Canvas {
    fn point(&self, x: f32, y: f32) -> Point {
        Point { x: pt(x), y: pt(self.height - y) }
    }

    /// `text` with its baseline at `y`, starting at, ending at or centred on `x`.
    pub fn text(&mut self, x: f32, y: f32, size: f32, align: Align, text: &str) {
        self.text_styled(x, y, size, align, text, BLACK, false);
    }

    #[allow(clippy::too_many_arguments)]
    pub fn text_styled(&mut self, x: f32, y: f32, size: f32, align: Align, text: &str, ink: Ink, bold: bool) {
        if text.is_empty() {
            return;
        }
        let text = font::printable(text);
        let w = width_mm(&text, size);
        let x = match align {
            Align::Left => x,
            Align::Right => x - w,
            Align::Center => x - w / 2.0,
        };
        let p = self.point(x, y);
        self.ops.push(Op::StartTextSection);
        if size != self.size {
            self.ops.push(Op::SetFont { font: PdfFontHandle::External(self.font.clone()), size: Pt(size) });
            self.size = size;
        }
        if ink != BLACK {
            self.ops.push(Op::SetFillColor { col: color(ink) });
        }
        if bold {
            // IPAexGothic has one weight: a thin outline in the same ink makes a faux bold.
            self.ops.push(Op::SetOutlineColor { col: color(ink) });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(size * 0.035) });
            self.ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::FillStroke });
        }
        self.ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(p.x, p.y) });
        self.ops.push(Op::ShowText { items: vec![TextItem::Text(text)] });
        if bold {
            self.ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::Fill });
            self.ops.push(Op::SetOutlineColor { col: color(BLACK) });
        }
        if ink != BLACK {
            self.ops.push(Op::SetFillColor { col: color(BLACK) });
        }
        self.ops.push(Op::EndTextSection);
    }

    /// Text turned `degrees` anticlockwise about its start (watermarks).
    pub fn text_rotated(&mut self, x: f32, y: f32, size: f32, degrees: f32, text: &str, ink: Ink) {
        let p = self.point(x, y);
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetFont { font: PdfFontHandle::External(self.font.clone()), size: Pt(size) });
        self.size = size;
        self.ops.push(Op::SetFillColor { col: color(ink) });
        self.ops.push(Op::SetTextMatrix { matrix: TextMatrix::TranslateRotate(p.x, p.y, degrees) });
        self.ops.push(Op::ShowText { items: vec![TextItem::Text(font::printable(text))] });
        self.ops.push(Op::SetFillColor { col: color(BLACK) });
        self.ops.push(Op::EndTextSection);
    }

    fn rect_op(&mut self, x: f32, y: f32, w: f32, h: f32, mode: PaintMode) {
        let mut r = Rect::from_xywh(pt(x), pt(self.height - y - h), pt(w), pt(h));
        r.mode = Some(mode);
        self.ops.push(Op::DrawRectangle { rectangle: r });
    }

    /// A rectangle's outline, `weight` points thick.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, weight: f32) {
        self.ops.push(Op::SetOutlineThickness { pt: Pt(weight) });
        self.rect_op(x, y, w, h, PaintMode::Stroke);
    }

    pub fn rect_ink(&mut self, x: f32, y: f32, w: f32, h: f32, weight: f32, ink: Ink) {
        self.ops.push(Op::SetOutlineColor { col: color(ink) });
        self.rect(x, y, w, h, weight);
        self.ops.push(Op::SetOutlineColor { col: color(BLACK) });
    }

    /// A dashed outline (the 収入印紙 box).
    pub fn rect_dashed(&mut self, x: f32, y: f32, w: f32, h: f32, weight: f32) {
        self.ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, &[3.0, 2.0]) });
        self.rect(x, y, w, h, weight);
        self.ops.push(Op::SetLineDashPattern { dash: LineDashPattern::solid() });
    }

    /// A filled rectangle in grey `level` (0 black … 1 white).
    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, level: f32) {
        self.ops.push(Op::SetFillColor { col: Color::Greyscale(Greyscale::new(level, None)) });
        self.rect_op(x, y, w, h, PaintMode::Fill);
        self.ops.push(Op::SetFillColor { col: color(BLACK) });
    }

    /// A filled rectangle in colour (chart bars).
    pub fn fill_ink(&mut self, x: f32, y: f32, w: f32, h: f32, ink: Ink) {
        self.ops.push(Op::SetFillColor { col: color(ink) });
        self.rect_op(x, y, w, h, PaintMode::Fill);
        self.ops.push(Op::SetFillColor { col: color(BLACK) });
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, weight: f32) {
        self.ops.push(Op::SetOutlineThickness { pt: Pt(weight) });
        let points = vec![
            LinePoint { p: self.point(x1, y1), bezier: false },
            LinePoint { p: self.point(x2, y2), bezier: false },
        ];
        self.ops.push(Op::DrawLine { line: Line { points, is_closed: false } });
    }

    pub fn line_ink(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, weight: f32, ink: Ink) {
        self.ops.push(Op::SetOutlineColor { col: color(ink) });
        self.line(x1, y1, x2, y2, weight);
        self.ops.push(Op::SetOutlineColor { col: color(BLACK) });
    }

    #[allow(dead_code)]
    pub fn width(&self) -> f32 {
        self.width
    }
}

/// A PDF being assembled: one font, pages in order.
pub(crate) struct Pdf {
    doc: PdfDocument,
    font: FontId,
    pages: Vec<PdfPage>,
}

impl Pdf {
    pub fn new(title: &str) -> Result<Self> {
        let mut doc = PdfDocument::new(title);
        let font = doc.add_font(font::parsed()?);
        Ok(Pdf { doc, font, pages: Vec::new() })
    }

    pub fn canvas(&self, width: f32, height: f32) -> Canvas {
        Canvas { ops: Vec::with_capacity(256), font: self.font.clone(), height, width, size: 0.0 }
    }

    pub fn push(&mut self, c: Canvas) {
        self.pages.push(PdfPage::new(Mm(c.width), Mm(c.height), c.ops));
    }

    pub fn finish(mut self) -> Result<Vec<u8>> {
        if self.pages.is_empty() {
            return Err(CoreError::new(ErrorCode::Validation, "印刷するページがありません。"));
        }
        self.doc.with_pages(std::mem::take(&mut self.pages));
        let opts = PdfSaveOptions { subset_fonts: true, ..Default::default() };
        let mut warnings = Vec::new();
        let bytes = self.doc.save(&opts, &mut warnings);
        if !bytes.starts_with(b"%PDF") {
            return Err(CoreError::new(ErrorCode::Io, "PDFを作成できませんでした。"));
        }
        Ok(bytes)
    }
}

// ---- A4 business paper: what documents (document.rs) and letters (letter.rs) share ----------

/// Left and right margins (mm) and the width between them.
pub(crate) const L: f32 = 15.0;
pub(crate) const R: f32 = 195.0;
pub(crate) const W: f32 = R - L;
/// Content ends above this; the page number sits below.
pub(crate) const BOTTOM: f32 = 279.0;
/// Where content starts on continuation pages.
pub(crate) const CONT_TOP: f32 = 29.0;
/// The recipient's block on page 1 (x, top, width): the same place on every document and
/// letter, so one window envelope takes them all.
pub(crate) const ADDRESS: (f32, f32, f32) = (L, 36.0, 95.0);
/// The issuer's block on page 1 (x, top); it runs to the right margin.
pub(crate) const ISSUER_AT: (f32, f32) = (122.0, 36.0);
pub(crate) const HEAD_ROW: f32 = 7.0;
pub(crate) const MIN_ROW: f32 = 6.6;
pub(crate) const PAD: f32 = 1.6;
const CELL_PT: f32 = 9.0;
const CELL_MIN_PT: f32 = 7.0;
pub(crate) const LABEL_FILL: f32 = 0.88;

pub(crate) fn line_height(size: f32) -> f32 {
    size * MM_PER_PT * 1.3
}

/// Text that fits `w` mm: at `size` if it can, shrunk towards `min`, else wrapped at `min`.
pub(crate) fn cell_lines(text: &str, w: f32, size: f32, min: f32) -> (f32, Vec<String>) {
    match fit(text, w, size, min) {
        Some(s) => (s, vec![text.to_string()]),
        None => (min, wrap(text, w, min)),
    }
}

/// Draws a paragraph from top `y` (fit, else wrap) and returns the top of the next line.
#[allow(clippy::too_many_arguments)]
pub(crate) fn para(c: &mut Canvas, x: f32, y: f32, w: f32, text: &str, size: f32, min: f32, bold: bool) -> f32 {
    let (s, lines) = cell_lines(text, w, size, min);
    let lh = line_height(s).max(line_height(size) * 0.85);
    let mut y = y;
    for l in lines {
        c.text_styled(x, y + s * MM_PER_PT * 0.92, s, Align::Left, &l, BLACK, bold);
        y += lh;
    }
    y + 0.6
}

/// A table column: its title, width (the widths add up to [`W`]) and alignment.
#[derive(Clone, Copy)]
pub(crate) struct Col {
    pub title: &'static str,
    pub width: f32,
    pub align: Align,
}

/// A table row laid out: each cell's size and lines, the row's height.
pub(crate) struct Row {
    cells: Vec<(f32, Vec<String>)>,
    pub height: f32,
}

impl Row {
    /// `texts` under `cols`: each cell at 9 pt if it fits, shrunk towards 7 pt, else wrapped.
    pub fn new(texts: &[String], cols: &[Col]) -> Row {
        let mut height = MIN_ROW;
        let mut cells = Vec::with_capacity(cols.len());
        for (t, col) in texts.iter().zip(cols) {
            let (s, lines) = cell_lines(t, col.width - 2.0 * PAD, CELL_PT, CELL_MIN_PT);
            height = height.max(lines.len() as f32 * line_height(s) + 2.4);
            cells.push((s, lines));
        }
        Row { cells, height }
    }
}

/// The table's column titles at `top`, then `rows`; returns the bottom of the table.
pub(crate) fn draw_table<'a>(c: &mut Canvas, cols: &[Col], top: f32, rows: impl Iterator<Item = &'a Row>, empty: bool) -> f32 {
    c.fill(L, top, W, HEAD_ROW, LABEL_FILL);
    let mut x = L;
    for col in cols {
        let s = fit(col.title, col.width - 2.0, 8.5, 6.0).unwrap_or(6.0);
        c.text(x + col.width / 2.0, top + 4.7, s, Align::Center, col.title);
        x += col.width;
    }
    c.line(L, top + HEAD_ROW, R, top + HEAD_ROW, 0.6);
    let mut y = top + HEAD_ROW;
    let mut stripe = false;
    for row in rows {
        if stripe {
            c.fill(L, y, W, row.height, 0.965);
        }
        stripe = !stripe;
        let mut x = L;
        for ((s, lines), col) in row.cells.iter().zip(cols) {
            let lh = line_height(*s);
            let block = lines.len() as f32 * lh;
            let first_base = y + (row.height - block) / 2.0 + lh * 0.5 + s * MM_PER_PT * 0.34;
            for (i, l) in lines.iter().enumerate() {
                let base = first_base + i as f32 * lh;
                let tx = match col.align {
                    Align::Left => x + PAD,
                    Align::Right => x + col.width - PAD,
                    Align::Center => x + col.width / 2.0,
                };
                c.text(tx, base, *s, col.align, l);
            }
            x += col.width;
        }
        y += row.height;
        c.line_ink(L, y, R, y, 0.25, Ink { r: 0.6, g: 0.6, b: 0.6 });
    }
    // Column rules (not through the "no lines" note) and the frame.
    let mut x = L;
    for col in &cols[..cols.len() - 1] {
        x += col.width;
        c.line(x, top, x, y, 0.3);
    }
    if empty {
        c.text(L + W / 2.0, y + 4.6, 9.0, Align::Center, "（明細はありません）");
        y += MIN_ROW;
    }
    c.rect(L, top, W, y - top, 0.8);
    y
}

/// 〒, address, company, name + 様, 会員番号 from `y`; returns the bottom.
pub(crate) fn recipient_block(c: &mut Canvas, r: &Recipient, x: f32, y: f32, w: f32, with_address: bool) -> f32 {
    let mut y = y;
    if with_address {
        if !r.postal_code.trim().is_empty() {
            y = para(c, x, y, w, &format!("〒{}", r.postal_code.trim()), 10.0, 8.0, false);
        }
        for line in r.address_lines.iter().filter(|l| !l.trim().is_empty()) {
            y = para(c, x, y, w, line.trim(), 10.0, 7.5, false);
        }
        y += 1.5;
    }
    let honorific = r.honorific.trim();
    let (company, name) = match (r.company.trim(), r.name.trim()) {
        (co, "") => ("", co),
        (co, n) => (co, n),
    };
    if !company.is_empty() {
        y = para(c, x, y, w, company, 11.0, 7.5, false);
    }
    // Name large, honorific a little smaller after it, the whole line underlined.
    let hon_w = if honorific.is_empty() { 0.0 } else { width_mm(honorific, 12.0) + 3.0 };
    let (s, lines) = cell_lines(name, w - hon_w - 1.0, 15.0, 9.0);
    let lh = line_height(s);
    y += 1.0;
    let n = lines.len();
    for (i, l) in lines.iter().enumerate() {
        let base = y + s * MM_PER_PT * 0.92;
        c.text_styled(x, base, s, Align::Left, l, BLACK, true);
        if i + 1 == n && !honorific.is_empty() {
            c.text(x + w, base, 12.0, Align::Right, honorific);
        }
        y += lh;
    }
    if n == 0 && !honorific.is_empty() {
        y += 6.0;
        c.text(x + w, y, 12.0, Align::Right, honorific);
    }
    c.line(x, y + 0.6, x + w, y + 0.6, 0.7);
    y += 2.5;
    if !r.member_code.trim().is_empty() {
        y = para(c, x, y + 0.5, w, &format!("会員番号　{}", r.member_code.trim()), 8.5, 7.0, false);
    }
    y
}

/// Name, address, phone, 登録番号 (when given) from `y`; returns the bottom.
pub(crate) fn issuer_block(c: &mut Canvas, is: &Issuer, x: f32, y: f32, w: f32) -> f32 {
    let mut y = para(c, x, y, w, is.name.trim(), 12.0, 8.0, true) + 0.8;
    if !is.postal_code.trim().is_empty() {
        y = para(c, x, y, w, &format!("〒{}", is.postal_code.trim()), 9.0, 7.0, false);
    }
    if !is.address.trim().is_empty() {
        y = para(c, x, y, w, is.address.trim(), 9.0, 7.5, false);
    }
    if !is.phone.trim().is_empty() {
        y = para(c, x, y, w, &format!("TEL {}", is.phone.trim()), 9.0, 7.0, false);
    }
    if !is.registration_number.trim().is_empty() {
        y = para(c, x, y, w, &format!("登録番号　{}", is.registration_number.trim()), 9.0, 7.0, false);
    }
    y
}

/// Label | value rows in a box (取引年月日, お支払期限, お振込先) from `y`; returns the bottom.
/// Every value at one size, `size` or smaller down to 6 pt; a value too long even then wraps
/// and its row grows.
pub(crate) fn info_rows(c: &mut Canvas, x: f32, y: f32, w: f32, size: f32, rows: &[(&str, String)]) -> f32 {
    let (s, laid) = info_layout(w, size, rows);
    let lh = line_height(s);
    let mut top = y;
    for ((label, _), (lines, h)) in rows.iter().zip(laid) {
        c.fill(x, top, INFO_LABEL_W, h, LABEL_FILL);
        c.text(x + INFO_LABEL_W / 2.0, top + h / 2.0 + 1.2, 8.5, Align::Center, label);
        let first = top + (h - lines.len() as f32 * lh) / 2.0 + lh * 0.5 + s * MM_PER_PT * 0.34;
        for (i, l) in lines.iter().enumerate() {
            c.text(x + INFO_LABEL_W + PAD, first + i as f32 * lh, s, Align::Left, l);
        }
        top += h;
        c.line(x, top, x + w, top, 0.3);
    }
    if top > y {
        c.rect(x, y, w, top - y, 0.6);
        c.line(x + INFO_LABEL_W, y, x + INFO_LABEL_W, top, 0.3);
    }
    top
}

const INFO_LABEL_W: f32 = 22.0;

/// The values' size and each row's lines and height, for [`info_rows`].
pub(crate) fn info_layout(w: f32, size: f32, rows: &[(&str, String)]) -> (f32, Vec<(Vec<String>, f32)>) {
    let vw = w - INFO_LABEL_W - 2.0 * PAD;
    let s = rows.iter().map(|(_, v)| fit(v, vw, size, 6.0).unwrap_or(6.0)).fold(size, f32::min);
    let laid = rows
        .iter()
        .map(|(_, v)| {
            let lines = if fit(v, vw, s, s).is_some() { vec![v.clone()] } else { wrap(v, vw, s) };
            let h = (lines.len() as f32 * line_height(s) + 2.4).max(7.0);
            (lines, h)
        })
        .collect();
    (s, laid)
}

/// The short header of page 2 onwards: `title` bold at the left, `corner` (a number) and
/// ページ n/m at the right, the recipient under the title, a rule.
pub(crate) fn continuation_header(c: &mut Canvas, title: &str, corner: &str, r: &Recipient, page: usize, pages: usize) {
    c.text_styled(L, 15.0, 13.0, Align::Left, title, BLACK, true);
    if !corner.is_empty() {
        let s = fit(corner, 60.0, 9.0, 6.0).unwrap_or(6.0);
        c.text(R, 12.5, s, Align::Right, corner);
    }
    c.text(R, 18.0, 8.5, Align::Right, &format!("ページ {page}/{pages}"));
    let who = [r.company.trim(), r.name.trim(), r.honorific.trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let s = fit(&who, 120.0, 9.0, 6.0).unwrap_or(6.0);
    c.text(L, 21.5, s, Align::Left, &who);
    c.line(L, 24.0, R, 24.0, 0.5);
}

/// Page numbers when there is more than one page: "n / m" at the foot, and "ページ 1/m" under
/// the date on page 1 (later pages carry theirs in [`continuation_header`]).
pub(crate) fn page_numbers(c: &mut Canvas, page: usize, pages: usize) {
    if pages > 1 {
        if page == 1 {
            c.text(R, 23.5, 8.5, Align::Right, &format!("ページ 1/{pages}"));
        }
        c.text(A4_W / 2.0, 289.0, 8.0, Align::Center, &format!("{page} / {pages}"));
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    //! pdftotext / pdftoppm helpers for the tests beside the renderers.
    use std::path::Path;
    use std::process::Command;

    /// The shop and the customer the document and letter tests print.
    pub fn sample_issuer() -> super::document::Issuer {
        super::document::Issuer {
            name: "株式会社テイキビン".into(),
            postal_code: "100-0001".into(),
            address: "東京都千代田区千代田1-1 テイキビルディング3階".into(),
            phone: "03-1234-5678".into(),
            registration_number: "T1234567890123".into(),
            bank_account: "○○銀行 本店 普通 1234567 カ）テイキビン".into(),
        }
    }

    pub fn sample_recipient() -> super::document::Recipient {
        super::document::Recipient {
            postal_code: "150-0002".into(),
            address_lines: vec!["東京都渋谷区渋谷2丁目21-1".into(), "渋谷ハイツ 1203号室".into()],
            company: String::new(),
            name: "山田 花子".into(),
            honorific: "様".into(),
            member_code: "M000123".into(),
        }
    }

    /// `pdftotext` output (with `args`, e.g. `-layout`), or `None` when poppler is missing.
    pub fn pdftotext(pdf: &[u8], args: &[&str]) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = match Command::new("pdftotext").args(args).arg(&path).arg("-").output() {
            Ok(o) => o,
            Err(_) => {
                eprintln!("pdftotext is not installed: text assertions skipped");
                return None;
            }
        };
        assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
        Some(String::from_utf8(out.stdout).unwrap())
    }

    /// pdftotext output with every run of spaces squeezed to one (so "¥ 1,760" vs "¥1,760"
    /// spacing does not matter) and the raw layout text.
    pub fn text_of(pdf: &[u8]) -> Option<(String, String)> {
        let raw = pdftotext(pdf, &["-layout"])?;
        let squeezed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        Some((raw, squeezed))
    }

    pub fn assert_has(text: &str, needles: &[&str]) {
        for n in needles {
            assert!(text.contains(n), "missing {n:?} in:\n{text}");
        }
    }

    /// Pages in the PDF according to poppler (`pdfinfo`), if installed.
    pub fn pages(pdf: &[u8]) -> Option<usize> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new("pdfinfo").arg(&path).output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        text.lines().find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
    }

    /// Writes the PDF and its PNG pages under `PDF_CHECK_DIR` when that is set (for looking).
    pub fn keep(name: &str, pdf: &[u8]) {
        let Ok(dir) = std::env::var("PDF_CHECK_DIR") else { return };
        let dir = Path::new(&dir);
        std::fs::create_dir_all(dir).unwrap();
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, pdf).unwrap();
        let _ = Command::new("pdftoppm").args(["-png", "-r", "60"]).arg(&path).arg(dir.join(name)).status();
    }

    /// The PDF embeds a font program, subset (a fraction of the 6 MB file).
    pub fn assert_subset_font(pdf: &[u8], max_bytes: usize) {
        assert!(pdf.starts_with(b"%PDF"));
        assert!(pdf.windows(10).any(|w| w == b"/FontFile2"), "no embedded TrueType font");
        assert!(pdf.len() < max_bytes, "{} bytes: the font was not subset", pdf.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_punctuation_with_its_line() {
        let lines = wrap("東京都千代田区千代田一丁目一番一号、皇居前広場。", 30.0, 10.0);
        assert!(lines.len() > 1);
        for l in &lines[1..] {
            assert!(!l.starts_with('、') && !l.starts_with('。'), "{lines:?}");
        }
        assert_eq!(lines.concat(), "東京都千代田区千代田一丁目一番一号、皇居前広場。");
        for l in &lines {
            assert!(width_mm(l, 10.0) <= 30.0 + 3.6, "{l}");
        }
    }

    #[test]
    fn wrapping_prefers_spaces_and_even_lines() {
        let text = "北海道札幌市中央区北一条西二丁目一番地 札幌市役所前ビルディング本館";
        let w = width_mm(text, 8.0) * 0.8;
        let lines = wrap(text, w, 8.0);
        assert_eq!(lines, vec!["北海道札幌市中央区北一条西二丁目一番地", "札幌市役所前ビルディング本館"]);
        // No lone character on the last line.
        let lines = wrap("あいうえおかきくけこさ", width_mm("あいうえおかきくけこ", 10.0), 10.0);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].chars().count() >= 5, "{lines:?}");
    }

    #[test]
    fn fitting_shrinks_to_a_floor() {
        assert_eq!(fit("あ", 100.0, 10.0, 6.0), Some(10.0));
        let s = fit("あいうえおかきくけこ", 30.0, 12.0, 6.0).unwrap();
        assert!(s < 12.0 && width_mm("あいうえおかきくけこ", s) <= 30.0);
        assert_eq!(fit("あいうえおかきくけこ", 5.0, 12.0, 6.0), None);
    }
}
