//! One label engine for shipping labels (宛名ラベル with ご依頼主) and bulletin address labels:
//! A4 label sheets (A-one style presets or the shop's own measurements), a start position for a
//! half-used first sheet, and the shop's printer-drift correction added to every label.
//!
//! Text never overflows a label and is never cut: each line shrinks to fit the label's width
//! (down to a floor), then wraps; if the whole block is still too tall, every size steps down
//! together; a label that cannot fit even at the smallest readable size is refused by name.
use super::{fit, width_mm, wrap, Align, Canvas, Pdf, A4_H, A4_W, MM_PER_PT};
use crate::error::{CoreError, ErrorCode, Problems, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A sheet of labels: the grid, each label's size and the sheet's margins, in millimetres.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LabelSheet {
    pub name: String,
    pub columns: u32,
    pub rows: u32,
    pub label_width_mm: f32,
    pub label_height_mm: f32,
    pub margin_top_mm: f32,
    pub margin_left_mm: f32,
    pub gap_x_mm: f32,
    pub gap_y_mm: f32,
    /// Printer drift correction the shop adjusts, added to every label (right / down positive).
    pub offset_x_mm: f32,
    pub offset_y_mm: f32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Label {
    pub postal_code: String,
    pub address_lines: Vec<String>,
    pub company: String,
    pub name: String,
    /// "様" or "御中".
    pub honorific: String,
    /// Small, bottom right: a member code or an order number.
    pub code: String,
    /// Small lines: item, delivery date, time slot.
    pub notes: Vec<String>,
    /// Shipping labels: the ご依頼主 block; empty for bulletin labels.
    pub sender: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
fn sheet(name: &str, columns: u32, rows: u32, w: f32, h: f32, top: f32, left: f32, gap_x: f32, gap_y: f32) -> LabelSheet {
    LabelSheet {
        name: name.into(),
        columns,
        rows,
        label_width_mm: w,
        label_height_mm: h,
        margin_top_mm: top,
        margin_left_mm: left,
        gap_x_mm: gap_x,
        gap_y_mm: gap_y,
        offset_x_mm: 0.0,
        offset_y_mm: 0.0,
    }
}

impl LabelSheet {
    /// Common A4 sheets (A-one and compatible products).
    pub fn presets() -> Vec<LabelSheet> {
        vec![
            sheet("A4 2面（210×148.5mm）", 1, 2, 210.0, 148.5, 0.0, 0.0, 0.0, 0.0),
            sheet("A4 4面（105×148.5mm）", 2, 2, 105.0, 148.5, 0.0, 0.0, 0.0, 0.0),
            sheet("A4 6面（105×99mm）", 2, 3, 105.0, 99.0, 0.0, 0.0, 0.0, 0.0),
            sheet("A4 8面（105×74.25mm）", 2, 4, 105.0, 74.25, 0.0, 0.0, 0.0, 0.0),
            sheet("A4 10面（86.4×50.8mm）", 2, 5, 86.4, 50.8, 21.5, 18.6, 0.0, 0.0),
            sheet("A4 12面（86.4×42.3mm）", 2, 6, 86.4, 42.3, 21.5, 18.6, 0.0, 0.0),
            sheet("A4 24面（70×33.9mm）", 3, 8, 70.0, 33.9, 12.9, 0.0, 0.0, 0.0),
        ]
    }

    pub fn per_sheet(&self) -> u32 {
        self.columns.saturating_mul(self.rows)
    }

    /// The sheet makes sense: positive sizes, and every label lies on the A4 page.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::default();
        if self.columns == 0 || self.columns > 10 {
            p.add("columns", "列数は1〜10で指定してください。");
        }
        if self.rows == 0 || self.rows > 30 {
            p.add("rows", "行数は1〜30で指定してください。");
        }
        let sizes = [
            ("label_width_mm", "ラベルの幅", self.label_width_mm),
            ("label_height_mm", "ラベルの高さ", self.label_height_mm),
        ];
        for (field, what, v) in sizes {
            if !v.is_finite() || v < 10.0 {
                p.add(field, format!("{what}は10mm以上で指定してください。"));
            }
        }
        let spacing = [
            ("margin_top_mm", "上余白", self.margin_top_mm),
            ("margin_left_mm", "左余白", self.margin_left_mm),
            ("gap_x_mm", "横の間隔", self.gap_x_mm),
            ("gap_y_mm", "縦の間隔", self.gap_y_mm),
        ];
        for (field, what, v) in spacing {
            if !v.is_finite() || v < 0.0 {
                p.add(field, format!("{what}は0mm以上で指定してください。"));
            }
        }
        for (field, what, v) in [("offset_x_mm", "横の補正", self.offset_x_mm), ("offset_y_mm", "縦の補正", self.offset_y_mm)] {
            if !v.is_finite() || v.abs() > 20.0 {
                p.add(field, format!("{what}は-20〜20mmで指定してください。"));
            }
        }
        p.finish()?;
        let right = self.margin_left_mm + self.columns as f32 * self.label_width_mm + (self.columns - 1) as f32 * self.gap_x_mm;
        if right > A4_W + 0.05 {
            return Err(CoreError::field(
                "label_width_mm",
                format!("ラベルがA4の幅（210mm）に収まりません（左余白＋幅×列数＋間隔＝{right:.1}mm）。"),
            ));
        }
        let bottom = self.margin_top_mm + self.rows as f32 * self.label_height_mm + (self.rows - 1) as f32 * self.gap_y_mm;
        if bottom > A4_H + 0.05 {
            return Err(CoreError::field(
                "label_height_mm",
                format!("ラベルがA4の高さ（297mm）に収まりません（上余白＋高さ×行数＋間隔＝{bottom:.1}mm）。"),
            ));
        }
        Ok(())
    }

    /// Top-left corner of label `slot` (0-based, left to right then top to bottom), drift included.
    fn origin(&self, slot: u32) -> (f32, f32) {
        let (col, row) = (slot % self.columns, slot / self.columns);
        (
            self.margin_left_mm + col as f32 * (self.label_width_mm + self.gap_x_mm) + self.offset_x_mm,
            self.margin_top_mm + row as f32 * (self.label_height_mm + self.gap_y_mm) + self.offset_y_mm,
        )
    }
}

/// Renders `labels` onto as many sheets as needed, the first at `start_position` (1-based);
/// `progress(n)` after every label.
pub fn render_labels(
    sheet: &LabelSheet,
    start_position: u32,
    labels: &[Label],
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<u8>> {
    sheet.check()?;
    let per_sheet = sheet.per_sheet();
    if start_position == 0 || start_position > per_sheet {
        return Err(CoreError::field("start_position", format!("開始位置は1〜{per_sheet}で指定してください。")));
    }
    if labels.is_empty() {
        return Err(CoreError::new(ErrorCode::Validation, "印刷するラベルがありません。"));
    }
    let mut pdf = Pdf::new("宛名ラベル")?;
    let mut page: Option<Canvas> = None;
    let mut slot = start_position - 1;
    for (i, label) in labels.iter().enumerate() {
        if slot == per_sheet {
            if let Some(c) = page.take() {
                pdf.push(c);
            }
            slot = 0;
        }
        let c = page.get_or_insert_with(|| pdf.canvas(A4_W, A4_H));
        let (x, y) = sheet.origin(slot);
        draw_label(c, x, y, sheet.label_width_mm, sheet.label_height_mm, label).map_err(|e| {
            let who = [label.company.trim(), label.name.trim()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
            CoreError { message: format!("{}件目のラベル（{}）: {}", i + 1, who, e.message), ..e }
        })?;
        slot += 1;
        progress(i + 1);
    }
    if let Some(c) = page.take() {
        pdf.push(c);
    }
    pdf.finish()
}

/// One line of a laid-out label.
struct Line {
    text: String,
    size: f32,
    bold: bool,
    /// Space above the line (mm), besides its own height.
    gap: f32,
    /// Text after the line on the same baseline, half a character apart (the honorific).
    tail: Option<(String, f32)>,
}

/// The smallest size any label text is set at (points).
const FLOOR_PT: f32 = 5.0;

fn lines_of(text: &str, w: f32, size: f32, floor: f32, bold: bool, gap: f32, out: &mut Vec<Line>) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let floor = floor.min(size);
    match fit(text, w, size, floor) {
        Some(s) => out.push(Line { text: text.to_string(), size: s, bold, gap, tail: None }),
        None => {
            for (i, l) in wrap(text, w, floor).into_iter().enumerate() {
                out.push(Line { text: l, size: floor, bold, gap: if i == 0 { gap } else { 0.0 }, tail: None });
            }
        }
    }
}

fn lh(size: f32) -> f32 {
    size * MM_PER_PT * 1.28
}

/// Lays the label out at `scale` (1 = the sizes for this label's height); returns the lines of
/// the address block, of the sender block, and the total height.
fn lay_out(label: &Label, w: f32, scale: f32, k: f32) -> (Vec<Line>, Vec<Line>, f32) {
    let s = |pt: f32| (pt * k * scale).max(FLOOR_PT);
    // Shrinking a single line goes to 80% of its size before wrapping.
    let floor = |pt: f32| (s(pt) * 0.8).max(FLOOR_PT);
    let mut out = Vec::new();
    if !label.postal_code.trim().is_empty() {
        lines_of(&format!("〒{}", label.postal_code.trim()), w, s(9.5), floor(9.5), false, 0.0, &mut out);
    }
    // Address lines share one size (the largest at which all fit), so they read as one block.
    let addr_pt = label
        .address_lines
        .iter()
        .filter(|a| !a.trim().is_empty())
        .map(|a| fit(a.trim(), w, s(9.5), floor(9.5)).unwrap_or(s(9.5)))
        .fold(s(9.5), f32::min);
    for a in &label.address_lines {
        lines_of(a, w, addr_pt, floor(9.5), false, 0.0, &mut out);
    }
    let (company, name) = match (label.company.trim(), label.name.trim()) {
        (co, "") => ("", co),
        (co, n) => (co, n),
    };
    let gap = s(9.5) * MM_PER_PT * 0.6;
    if !company.is_empty() {
        lines_of(company, w, s(10.5), floor(10.5), false, gap, &mut out);
    }
    // The name, large, with its honorific at the right end of its last line.
    let honorific = label.honorific.trim();
    let name_pt = s(13.5);
    let hon_pt = (name_pt * 0.8).max(FLOOR_PT);
    let hon_w = if honorific.is_empty() { 0.0 } else { width_mm(honorific, hon_pt) + name_pt * MM_PER_PT * 0.5 };
    let before = out.len();
    lines_of(name, (w - hon_w).max(w * 0.3), name_pt, floor(13.5), true, if company.is_empty() { gap } else { gap * 0.3 }, &mut out);
    if !honorific.is_empty() {
        if out.len() > before {
            out.last_mut().expect("a name line").tail = Some((honorific.to_string(), hon_pt));
        } else {
            out.push(Line { text: String::new(), size: hon_pt, bold: false, gap, tail: Some((honorific.to_string(), hon_pt)) });
        }
    }
    let small = s(7.0);
    let small_floor = floor(7.0);
    let note_gap = small * MM_PER_PT * 0.5;
    for (i, n) in label.notes.iter().enumerate() {
        lines_of(n, w, small, small_floor, false, if i == 0 { note_gap } else { 0.0 }, &mut out);
    }
    let mut sender = Vec::new();
    let senders: Vec<&String> = label.sender.iter().filter(|l| !l.trim().is_empty()).collect();
    if !senders.is_empty() {
        lines_of("ご依頼主", w, small, small_floor, true, 0.0, &mut sender);
        for l in senders {
            lines_of(l, w, small, small_floor, false, 0.0, &mut sender);
        }
    }
    let mut h: f32 = out.iter().map(|l| l.gap + lh(l.size)).sum();
    if !sender.is_empty() {
        h += 1.5 + sender.iter().map(|l| l.gap + lh(l.size)).sum::<f32>();
    }
    if !label.code.trim().is_empty() {
        h += lh(s(6.5));
    }
    (out, sender, h)
}

fn draw_label(c: &mut Canvas, x: f32, y: f32, w: f32, h: f32, label: &Label) -> Result<()> {
    let pad = (w.min(h) * 0.08).clamp(2.5, 7.0);
    let (iw, ih) = (w - 2.0 * pad, h - 2.0 * pad);
    // Sizes grow with the label: 1 for a 42.3 mm high label, up to 1.6 on a half sheet.
    let k = (h / 42.3).min(w / 86.4).clamp(0.7, 1.6);
    let mut scale = 1.0;
    let (lines, sender, used) = loop {
        let (lines, sender, used) = lay_out(label, iw, scale, k);
        if used <= ih {
            break (lines, sender, used);
        }
        if scale * k * 13.5 <= FLOOR_PT {
            return Err(CoreError::field(
                "labels",
                "文字が多すぎてラベルに収まりません。住所や備考を短くするか、大きいラベルを選んでください。",
            ));
        }
        scale *= 0.92;
    };
    let _ = used;
    let mut ty = y + pad;
    for l in &lines {
        ty += l.gap + lh(l.size);
        let base = ty - l.size * MM_PER_PT * 0.33;
        if !l.text.is_empty() {
            c.text_styled(x + pad, base, l.size, Align::Left, &l.text, super::BLACK, l.bold);
        }
        if let Some((hon, size)) = &l.tail {
            // The honorific right after the name, half a character apart.
            let after = if l.text.is_empty() { 0.0 } else { width_mm(&l.text, l.size) + l.size * MM_PER_PT * 0.5 };
            c.text(x + pad + after, base, *size, Align::Left, hon);
        }
    }
    let code_pt = (6.5 * k * scale).max(FLOOR_PT);
    let code_h = if label.code.trim().is_empty() { 0.0 } else { lh(code_pt) };
    if !sender.is_empty() {
        // The sender sits at the bottom, above the code, under a thin rule.
        let sh: f32 = sender.iter().map(|l| l.gap + lh(l.size)).sum();
        let mut sy = y + h - pad - code_h - sh;
        c.line_ink(x + pad, sy - 0.8, x + w - pad, sy - 0.8, 0.3, super::GREY);
        for l in &sender {
            sy += l.gap + lh(l.size);
            c.text_styled(x + pad, sy - l.size * MM_PER_PT * 0.33, l.size, Align::Left, &l.text, super::BLACK, l.bold);
        }
    }
    if !label.code.trim().is_empty() {
        let code = label.code.trim();
        let size = fit(code, iw, code_pt, FLOOR_PT).unwrap_or(FLOOR_PT);
        c.text_styled(x + w - pad, y + h - pad - size * MM_PER_PT * 0.3, size, Align::Right, code, super::GREY, false);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::testutil::{assert_subset_font, keep, pages, pdftotext};

    fn twelve() -> LabelSheet {
        LabelSheet::presets().into_iter().find(|s| s.per_sheet() == 12).unwrap()
    }

    fn label(i: usize) -> Label {
        Label {
            postal_code: format!("150-{:04}", i),
            address_lines: vec!["東京都渋谷区渋谷2丁目21-1".into(), format!("渋谷ハイツ{}号室", 100 + i)],
            company: String::new(),
            name: format!("宛名{i:02}太郎"),
            honorific: "様".into(),
            code: format!("M{:06}", i),
            notes: Vec::new(),
            sender: Vec::new(),
        }
    }

    #[test]
    fn presets_fit_a4() {
        for s in LabelSheet::presets() {
            s.check().unwrap_or_else(|e| panic!("{}: {}", s.name, e.message));
        }
        let mut s = twelve();
        s.label_width_mm = 100.0;
        let e = s.check().unwrap_err();
        assert_eq!(e.field.as_deref(), Some("label_width_mm"));
        assert!(e.message.contains("210mm"), "{}", e.message);
        s.label_width_mm = -1.0;
        assert_eq!(s.check().unwrap_err().field.as_deref(), Some("label_width_mm"));
        s = twelve();
        s.rows = 7;
        assert_eq!(s.check().unwrap_err().field.as_deref(), Some("label_height_mm"));
        s.columns = 0;
        assert_eq!(s.check().unwrap_err().field.as_deref(), Some("columns"));
        assert_eq!(twelve().per_sheet(), 12);
    }

    #[test]
    fn start_position_three_puts_the_first_label_in_slot_three() {
        let sheet = twelve();
        let labels: Vec<Label> = (1..=13).map(label).collect();
        let mut done = 0;
        let pdf = render_labels(&sheet, 3, &labels, &mut |n| done = n).unwrap();
        assert_eq!(done, 13);
        keep("labels12", &pdf);
        assert_subset_font(&pdf, 200_000);
        // 10 labels on the first sheet (slots 3–12), 3 on the second.
        if let Some(n) = pages(&pdf) {
            assert_eq!(n, 2);
        }
        let Some(bbox) = pdftotext(&pdf, &["-bbox"]) else { return };
        let word = |needle: &str| -> (f32, f32, usize) {
            let mut page = 0;
            for line in bbox.lines() {
                if line.contains("<page ") {
                    page += 1;
                }
                if line.contains(needle) {
                    let attr = |k: &str| -> f32 {
                        let i = line.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
                        line[i..].split('"').next().unwrap().parse().unwrap()
                    };
                    // points → mm
                    return (attr("xMin") * MM_PER_PT, attr("yMin") * MM_PER_PT, page);
                }
            }
            panic!("{needle} not found in:\n{bbox}");
        };
        // Slot 3 = second row, left column: y within 21.5+42.3 … 21.5+2×42.3 mm, x on the left.
        let (x, y, page) = word("宛名01太郎");
        assert_eq!(page, 1);
        assert!(x > 18.6 && x < 18.6 + 86.4 / 2.0, "x = {x}");
        assert!(y > 21.5 + 42.3 && y < 21.5 + 2.0 * 42.3, "y = {y}");
        // The second label is beside it, the 10th at the bottom right, the 11th on sheet 2 slot 1.
        let (x2, y2, _) = word("宛名02太郎");
        assert!(x2 > 105.0 && (y2 - y).abs() < 0.5, "{x2} {y2}");
        let (x10, y10, p10) = word("宛名10太郎");
        assert!(p10 == 1 && x10 > 105.0 && y10 > 21.5 + 5.0 * 42.3, "{x10} {y10}");
        let (x11, y11, p11) = word("宛名11太郎");
        assert!(p11 == 2 && x11 < 105.0 && y11 < 21.5 + 42.3, "{x11} {y11}");
        // Everything on the label is there.
        let text = pdftotext(&pdf, &["-layout"]).unwrap();
        for needle in ["〒150-0001", "東京都渋谷区渋谷2丁目21-1", "渋谷ハイツ101号室", "M000001", "様"] {
            assert!(text.contains(needle), "{needle} missing");
        }
    }

    #[test]
    fn long_text_shrinks_and_wraps_instead_of_overflowing() {
        let sheet = LabelSheet::presets().into_iter().find(|s| s.per_sheet() == 24).unwrap();
        let mut long = label(1);
        long.address_lines = vec![
            "北海道札幌市中央区北一条西二丁目一番地 札幌市役所前ビルディング本館".into(),
            "サッポロファクトリー・レンガ館 三階 株式会社テイキビン北海道支社 気付".into(),
        ];
        long.company = "株式会社テイキビン・ホールディングス北海道支社 定期便事業部".into();
        long.name = "長谷川 左衛門之介".into();
        long.notes = vec!["会報 2026年12月号 12月5日 午前中".into()];
        let pdf = render_labels(&sheet, 1, &[long.clone(), label(2)], &mut |_| {}).unwrap();
        keep("labels24", &pdf);
        if let Some(t) = pdftotext(&pdf, &[]) {
            let squeezed: String = t.split_whitespace().collect();
            for needle in ["札幌市役所前ビルディング本館", "気付", "定期便事業部", "長谷川", "午前中"] {
                assert!(squeezed.contains(&needle.replace(' ', "")), "{needle} missing from {squeezed}");
            }
        }
        // Every line of the laid-out label is inside the label.
        let w = sheet.label_width_mm - 2.0 * 2.7;
        let (lines, sender, _) = lay_out(&long, w, 1.0, 0.8);
        for l in lines.iter().chain(&sender) {
            let tail = l.tail.as_ref().map_or(0.0, |(t, s)| width_mm(t, *s));
            assert!(width_mm(&l.text, l.size) + tail <= w + 0.01, "{} overflows", l.text);
        }

        // Absurd text is refused by name, not cut.
        let mut absurd = label(3);
        absurd.address_lines = vec!["あ".repeat(3000)];
        let e = render_labels(&sheet, 1, &[absurd], &mut |_| {}).unwrap_err();
        assert!(e.message.contains("1件目") && e.message.contains("宛名03太郎"), "{}", e.message);
    }

    #[test]
    fn shipping_labels_on_a_four_up_sheet() {
        let sheet = LabelSheet::presets().into_iter().find(|s| s.per_sheet() == 4).unwrap();
        let mut l = label(7);
        l.notes = vec!["品名: 国産大麦若葉の青汁 30包 ×2".into(), "お届け日: 12月5日 午前中".into()];
        l.sender = vec!["株式会社テイキビン".into(), "〒100-0001 東京都千代田区千代田1-1".into(), "TEL 03-1234-5678".into()];
        l.code = "O2026120001".into();
        let mut co = label(8);
        co.company = "有限会社みどり商店".into();
        co.name = String::new();
        co.honorific = "御中".into();
        let pdf = render_labels(&sheet, 1, &[l, co], &mut |_| {}).unwrap();
        keep("labels4", &pdf);
        if let Some(t) = pdftotext(&pdf, &["-layout"]) {
            for needle in ["ご依頼主", "品名: 国産大麦若葉の青汁 30包 ×2", "O2026120001", "有限会社みどり商店", "御中"] {
                assert!(t.contains(needle), "{needle} missing:\n{t}");
            }
        }
        let e = render_labels(&sheet, 5, &[label(1)], &mut |_| {}).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("start_position"));
        assert!(render_labels(&sheet, 1, &[], &mut |_| {}).is_err());
    }
}
