//! Payment reminders (督促状 / お支払いのお願い): A4 portrait letters, many in one PDF, each
//! starting on a new page. The words are the caller's (title, body with names and amounts filled
//! in, the closing line); this draws them with the fixed table titles and labels only.
//!
//! Page 1: the recipient where documents put theirs (one window envelope for both), the date and
//! a small reference top right, the issuer under them, the title centred, the body, the unpaid
//! invoices in a boxed table with the total, then お支払期限 and お振込先 in a box. Body lines and
//! table rows that do not fit flow onto further pages, each with a short header (title,
//! recipient, page "2/3") and the table's column titles repeated.
use super::{
    cell_lines, continuation_header, draw_table, fit, info_layout, info_rows, issuer_block, jdate, page_numbers,
    recipient_block, wrap, Align, Canvas, Col, Issuer, Pdf, Recipient, Row, A4_H, A4_W, ADDRESS, BLACK, BOTTOM, CONT_TOP,
    HEAD_ROW, ISSUER_AT, L, LABEL_FILL, MIN_ROW, MM_PER_PT, PAD, R, W,
};
use crate::error::{CoreError, ErrorCode, Result};
use crate::tax::yen;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::ops::Range;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Letter {
    pub issued_on: NaiveDate,
    pub issuer: Issuer,
    pub recipient: Recipient,
    /// e.g. "お支払いのお願い", "お支払いについて（再度のお願い）", "最終のご通知".
    pub title: String,
    /// Paragraphs separated by blank lines, names and amounts already filled in; a single line
    /// break is kept as one.
    pub body: String,
    /// The unpaid invoices.
    pub lines: Vec<LetterLine>,
    /// Sum of the balances.
    pub total: i64,
    /// お支払期限 for this letter.
    pub pay_by: Option<NaiveDate>,
    /// Small print top right, e.g. "督促 第2回".
    pub reference: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LetterLine {
    pub number: String,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub amount: i64,
    pub paid: i64,
    pub balance: i64,
    pub days_overdue: i64,
}

/// Renders `letters` into one PDF, in order, each starting on a new page; `progress(n)` after
/// the n-th letter.
pub fn render_letters(letters: &[Letter], progress: &mut dyn FnMut(usize)) -> Result<Vec<u8>> {
    if letters.is_empty() {
        return Err(CoreError::new(ErrorCode::Validation, "印刷する督促状がありません。"));
    }
    let mut pdf = Pdf::new("お支払いのお願い")?;
    for (i, letter) in letters.iter().enumerate() {
        render_one(&mut pdf, letter).map_err(|e| {
            let r = &letter.recipient;
            let who = [r.member_code.trim(), r.company.trim(), r.name.trim()].into_iter().find(|s| !s.is_empty()).unwrap_or("");
            CoreError { message: format!("{}通目の督促状（{}）: {}", i + 1, who, e.message), ..e }
        })?;
        progress(i + 1);
    }
    pdf.finish()
}

const BODY_PT: f32 = 10.5;
/// Body line pitch: 1.6 lines, the loose setting of a printed letter.
const BODY_LH: f32 = BODY_PT * MM_PER_PT * 1.6;
const PARA_GAP: f32 = BODY_LH * 0.5;
const TOTAL_ROW: f32 = 9.0;
const PAY_PT: f32 = 10.5;

const COLS: [Col; 7] = [
    Col { title: "請求書番号", width: 34.0, align: Align::Left },
    Col { title: "請求日", width: 24.0, align: Align::Center },
    Col { title: "お支払期限", width: 24.0, align: Align::Center },
    Col { title: "ご請求額", width: 26.0, align: Align::Right },
    Col { title: "ご入金額", width: 26.0, align: Align::Right },
    Col { title: "未払残高", width: 28.0, align: Align::Right },
    Col { title: "経過日数", width: 18.0, align: Align::Right },
];

/// What a page carries below its header, each at its top (mm).
enum Block {
    Body(String),
    /// Column titles and these rows.
    Table(Range<usize>),
    Total,
    Pay,
}

/// Blocks placed down the pages: a block that does not fit what is left goes to a new page.
struct Flow {
    pages: Vec<Vec<(f32, Block)>>,
    y: f32,
}

impl Flow {
    fn room(&mut self, h: f32) {
        if self.y + h > BOTTOM {
            self.pages.push(Vec::new());
            self.y = CONT_TOP;
        }
    }

    fn put(&mut self, h: f32, block: Block) {
        self.room(h);
        self.pages.last_mut().expect("a page").push((self.y, block));
        self.y += h;
    }
}

fn pay_rows(letter: &Letter) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    if let Some(d) = letter.pay_by {
        rows.push(("お支払期限", jdate(d)));
    }
    if !letter.issuer.bank_account.trim().is_empty() {
        rows.push(("お振込先", letter.issuer.bank_account.trim().to_string()));
    }
    rows
}

fn render_one(pdf: &mut Pdf, letter: &Letter) -> Result<()> {
    let date = |d: NaiveDate| d.format("%Y/%m/%d").to_string();
    let rows: Vec<Row> = letter
        .lines
        .iter()
        .map(|l| {
            let texts = [
                l.number.trim().to_string(),
                date(l.issued_on),
                date(l.due_on),
                yen(l.amount),
                yen(l.paid),
                yen(l.balance),
                format!("{}日", l.days_overdue),
            ];
            Row::new(&texts, &COLS)
        })
        .collect();
    let pay = pay_rows(letter);
    let pay_h: f32 = info_layout(W, PAY_PT, &pay).1.iter().map(|(_, h)| h).sum();
    if pay_h > BOTTOM - CONT_TOP {
        return Err(CoreError::field("bank_account", "振込先が長すぎて1ページに収まりません。"));
    }

    let mut first = pdf.canvas(A4_W, A4_H);
    let head_end = header(&mut first, letter);
    if head_end > 200.0 {
        return Err(CoreError::new(
            ErrorCode::Validation,
            "宛名か発行元、表題の文字が多すぎて、1ページ目に収まりません。住所や名前を短くしてください。",
        ));
    }
    let mut flow = Flow { pages: vec![Vec::new()], y: head_end + 4.0 };

    // The body, line by line; a blank line between paragraphs.
    let mut gap = false;
    for line in letter.body.lines() {
        if line.trim().is_empty() {
            gap = true;
            continue;
        }
        if std::mem::take(&mut gap) {
            flow.y += PARA_GAP;
        }
        for l in wrap(line.trim_end(), W, BODY_PT) {
            flow.put(BODY_LH, Block::Body(l));
        }
    }

    // The table: column titles with at least one row under them; the last row with the total.
    flow.y += 5.0;
    let n = rows.len();
    let need = |i: usize| if n == 0 { MIN_ROW + TOTAL_ROW } else { rows[i].height + if i + 1 == n { TOTAL_ROW } else { 0.0 } };
    for i in 0..n {
        if HEAD_ROW + need(i) > BOTTOM - CONT_TOP {
            return Err(CoreError::field("lines", format!("{}行目の請求書番号が長すぎて1ページに収まりません。", i + 1)));
        }
    }
    let mut i = 0;
    loop {
        flow.room(HEAD_ROW + need(i));
        let top = flow.y;
        flow.y += HEAD_ROW;
        let start = i;
        while i < n && flow.y + need(i) <= BOTTOM {
            flow.y += rows[i].height;
            i += 1;
        }
        if n == 0 {
            flow.y += MIN_ROW;
        }
        flow.pages.last_mut().expect("a page").push((top, Block::Table(start..i)));
        if i >= n {
            break;
        }
    }
    flow.put(TOTAL_ROW, Block::Total);
    if !pay.is_empty() {
        flow.y += 6.0;
        flow.put(pay_h, Block::Pay);
    }

    let pages = flow.pages.len();
    let heading = format!("{}（続き）", letter.title.trim());
    let mut first = Some(first);
    for (p, blocks) in flow.pages.into_iter().enumerate() {
        let mut c = first.take().unwrap_or_else(|| {
            let mut c = pdf.canvas(A4_W, A4_H);
            continuation_header(&mut c, &heading, letter.reference.trim(), &letter.recipient, p + 1, pages);
            c
        });
        page_numbers(&mut c, p + 1, pages);
        for (top, block) in blocks {
            match block {
                Block::Body(l) => c.text(L, top + BODY_LH * 0.5 + BODY_PT * MM_PER_PT * 0.34, BODY_PT, Align::Left, &l),
                Block::Table(range) => {
                    draw_table(&mut c, &COLS, top, rows[range].iter(), n == 0);
                }
                Block::Total => total_row(&mut c, top, letter.total),
                Block::Pay => {
                    info_rows(&mut c, L, top, W, PAY_PT, &pay);
                }
            }
        }
        pdf.push(c);
    }
    Ok(())
}

/// Reference, date, recipient, issuer and the title; returns the bottom.
fn header(c: &mut Canvas, letter: &Letter) -> f32 {
    let reference = letter.reference.trim();
    if !reference.is_empty() {
        let s = fit(reference, 80.0, 8.5, 6.0).unwrap_or(6.0);
        c.text(R, 12.5, s, Align::Right, reference);
    }
    c.text(R, 18.0, 10.0, Align::Right, &jdate(letter.issued_on));
    let (x, y, w) = ADDRESS;
    let left = recipient_block(c, &letter.recipient, x, y, w, true);
    // A letter is no invoice: the issuer without its 登録番号.
    let issuer = Issuer { registration_number: String::new(), ..letter.issuer.clone() };
    let right = issuer_block(c, &issuer, ISSUER_AT.0, ISSUER_AT.1, R - ISSUER_AT.0);
    let mut y = left.max(right) + 10.0;
    let (s, lines) = cell_lines(letter.title.trim(), W, 16.0, 11.0);
    for l in lines {
        y += s * MM_PER_PT * 1.4;
        c.text_styled(L + W / 2.0, y, s, Align::Center, &l, BLACK, true);
    }
    y + 4.0
}

/// お支払いいただく金額 合計 and the total under the 未払残高 column.
fn total_row(c: &mut Canvas, y: f32, total: i64) {
    let days_w = COLS[6].width;
    let value_w = COLS[5].width;
    let label_w = W - value_w - days_w;
    c.fill(L, y, label_w, TOTAL_ROW, LABEL_FILL);
    c.text_styled(L + label_w / 2.0, y + 6.0, 10.0, Align::Center, "お支払いいただく金額 合計", BLACK, true);
    let amount = yen(total);
    let s = fit(&amount, value_w - 2.0 * PAD, 12.0, 7.0).unwrap_or(7.0);
    c.text_styled(R - days_w - PAD, y + TOTAL_ROW / 2.0 + s * MM_PER_PT * 0.36, s, Align::Right, &amount, BLACK, true);
    c.line(L + label_w, y, L + label_w, y + TOTAL_ROW, 0.3);
    c.line(R - days_w, y, R - days_w, y + TOTAL_ROW, 0.3);
    c.rect(L, y, W, TOTAL_ROW, 0.8);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::testutil::{assert_subset_font, keep, pages, pdftotext, sample_issuer, sample_recipient};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const BODY: &str = concat!(
        "拝啓　時下ますますご清祥のこととお喜び申し上げます。平素は格別のお引き立てを賜り、厚く御礼申し上げます。\n\n",
        "　さて、下記のご請求につきまして、本日現在ご入金の確認がとれておりません。お手数ではございますが、お支払期限までに下記の口座へお振り込みくださいますようお願い申し上げます。\n\n",
        "　本状と行き違いにご入金いただいている場合は、ご容赦ください。\n敬具",
    );

    fn letter(n_lines: usize, first_number: usize, title: &str, reference: &str) -> Letter {
        let lines: Vec<LetterLine> = (0..n_lines)
            .map(|i| LetterLine {
                number: format!("I{:07}", first_number + i),
                issued_on: d(2026, 8, 31),
                due_on: d(2026, 9, 30),
                amount: 12_345 + i as i64 * 1_000,
                paid: if i == 1 { 5_000 } else { 0 },
                balance: 12_345 + i as i64 * 1_000 - if i == 1 { 5_000 } else { 0 },
                days_overdue: 66,
            })
            .collect();
        let total = lines.iter().map(|l| l.balance).sum();
        Letter {
            issued_on: d(2026, 12, 5),
            issuer: sample_issuer(),
            recipient: sample_recipient(),
            title: title.into(),
            body: BODY.into(),
            lines,
            total,
            pay_by: Some(d(2026, 12, 20)),
            reference: reference.into(),
        }
    }

    /// The text without any whitespace, so sentences wrapped over lines still match.
    fn flat(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    fn assert_items(page: &str, needles: &[&str]) {
        let hay = flat(page);
        for n in needles {
            assert!(hay.contains(&flat(n)), "missing {n:?} in:\n{page}");
        }
    }

    #[test]
    fn three_letters_carry_every_item_and_a_long_one_flows_onto_a_second_page() {
        let letters = vec![
            letter(1, 1, "お支払いのお願い", "督促 第1回"),
            letter(3, 101, "お支払いについて（再度のお願い）", "督促 第2回"),
            letter(45, 201, "最終のご通知", "督促 第3回"),
        ];
        let mut done = Vec::new();
        let pdf = render_letters(&letters, &mut |n| done.push(n)).unwrap();
        assert_eq!(done, vec![1, 2, 3]);
        keep("letters", &pdf);
        assert_subset_font(&pdf, 250_000);
        let Some(raw) = pdftotext(&pdf, &["-layout"]) else { return };
        assert_eq!(pages(&pdf), Some(4));
        let p: Vec<&str> = raw.split('\u{c}').collect();
        let common = [
            "拝啓　時下ますますご清祥のこととお喜び申し上げます。",
            "平素は格別のお引き立てを賜り、厚く御礼申し上げます。",
            "さて、下記のご請求につきまして、本日現在ご入金の確認がとれておりません。",
            "お手数ではございますが、お支払期限までに下記の口座へお振り込みくださいますようお願い申し上げます。",
            "本状と行き違いにご入金いただいている場合は、ご容赦ください。",
            "敬具",
            "山田 花子",
            "様",
            "〒150-0002",
            "東京都渋谷区渋谷2丁目21-1",
            "渋谷ハイツ 1203号室",
            "M000123",
            "2026年12月5日",
            "株式会社テイキビン",
            "東京都千代田区千代田1-1 テイキビルディング3階",
            "TEL 03-1234-5678",
            "請求書番号",
            "請求日",
            "ご請求額",
            "ご入金額",
            "未払残高",
            "経過日数",
        ];
        let pay = ["お支払期限 2026年12月20日", "お振込先 ○○銀行 本店 普通 1234567 カ）テイキビン"];
        // Letter 1: one page, one invoice.
        assert_items(p[0], &common);
        assert_items(p[0], &pay);
        assert_items(p[0], &["お支払いのお願い", "督促 第1回", "I0000001", "2026/08/31", "2026/09/30", "¥12,345", "66日"]);
        assert_items(p[0], &["お支払いいただく金額 合計 ¥12,345"]);
        assert!(!p[0].contains("T1234567890123"), "a letter carries no 登録番号");
        assert!(!p[0].contains("ページ"), "one page needs no page number");
        // Letter 2: three invoices, one partly paid.
        assert_items(p[1], &common);
        assert_items(p[1], &pay);
        assert_items(p[1], &["お支払いについて（再度のお願い）", "督促 第2回", "I0000101", "I0000102", "I0000103"]);
        assert_items(p[1], &["I0000102 2026/08/31 2026/09/30 ¥13,345 ¥5,000 ¥8,345 66日"]);
        assert_items(p[1], &["お支払いいただく金額 合計 ¥35,035"]);
        // Letter 3: 45 invoices over two pages; page 2 has the short header and the column titles.
        let (p3, p4) = (p[2], p[3]);
        assert_items(p3, &common);
        assert_items(p3, &["最終のご通知", "督促 第3回", "ページ 1/2", "1 / 2"]);
        assert_items(p4, &["最終のご通知（続き）", "督促 第3回", "山田 花子 様", "ページ 2/2", "2 / 2", "請求書番号", "未払残高"]);
        assert_items(p4, &pay);
        let total: i64 = (0..45).map(|i| 12_345 + i * 1_000).sum::<i64>() - 5_000;
        assert_items(p4, &[&format!("お支払いいただく金額 合計 {}", yen(total))]);
        assert_eq!(yen(total), "¥1,540,525");
        let both = format!("{p3}{p4}");
        for i in 201..246 {
            let number = format!("I{i:07}");
            assert_eq!(both.matches(&number).count(), 1, "{number} once in letter 3");
        }
        assert!(p3.contains("I0000201") && p4.contains("I0000245"));
    }

    #[test]
    fn nothing_to_print_and_odd_input() {
        let err = render_letters(&[], &mut |_| {}).unwrap_err();
        assert_eq!(err.code, ErrorCode::Validation);
        assert!(err.message.contains("督促状がありません"), "{}", err.message);

        // No invoices, no address, no bank account, no date: still a letter, never a panic.
        let mut odd = letter(0, 1, "お支払いのお願い", "");
        odd.recipient = Recipient::default();
        odd.issuer = Issuer::default();
        odd.pay_by = None;
        odd.body = "\t改行\r\nと絵文字😀".into();
        let pdf = render_letters(&[odd.clone()], &mut |_| {}).unwrap();
        if let Some(t) = pdftotext(&pdf, &[]) {
            assert_items(&t, &["（明細はありません）", "お支払いいただく金額 合計 ¥0"]);
            assert!(!t.contains("お振込先"));
        }
        // A very long body flows over pages; nothing is lost.
        odd.body = (1..=120).map(|i| format!("第{i}段落の文章です。")).collect::<Vec<_>>().join("\n\n");
        let pdf = render_letters(&[odd.clone()], &mut |_| {}).unwrap();
        keep("letter-long-body", &pdf);
        if let Some(t) = pdftotext(&pdf, &[]) {
            assert!(pages(&pdf).unwrap() >= 3);
            for i in 1..=120 {
                assert!(flat(&t).contains(&format!("第{i}段落の文章です。")), "paragraph {i}");
            }
        }
        // A bank account longer than a page is refused by field, naming the letter.
        odd.issuer.bank_account = "長".repeat(40_000);
        let err = render_letters(&[odd], &mut |_| {}).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("bank_account"));
        assert!(err.message.starts_with("1通目の督促状"), "{}", err.message);
    }
}
