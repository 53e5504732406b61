//! PDF benchmark: (a) 4,500 bulletin address labels on A4 12面 sheets into one PDF; (b) 1,000
//! one-page invoices (3–8 lines, both tax rates, varied Japanese names) into one PDF; (c) the
//! same 1,000 invoices as one HTML file (a simple but comparable layout, page breaks between
//! invoices) printed to PDF by headless Chromium, beside (b). Times are the median of a few runs
//! (`BENCH_RUNS`, default 3; Chromium runs once); the first call also parses the embedded font,
//! which is reported separately. Prints a Markdown report; targets: labels < 1.5 s and < 1 MB,
//! invoices < 3 s. `BENCH_LABELS`, `BENCH_INVOICES` change the sizes; `BENCH_REPORT=FILE` also
//! writes the report there; `BENCH_KEEP=DIR` keeps the PDFs.
use chrono::{Datelike, Duration, NaiveDate};
use std::process::Command;
use std::time::Instant;
use teikibin_core::pdf::{
    render_documents, render_labels, DocKind, DocLine, Document, Issuer, Label, LabelSheet, RateTotal, Recipient,
};
use teikibin_core::tax::yen;

fn env(key: &str, default: u32) -> u32 {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn ms(secs: f64) -> String {
    format!("{:.0}", secs * 1000.0)
}

fn kb(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.2} MB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{:.0} KB", bytes as f64 / 1024.0)
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// A small deterministic generator (no rand dependency in the core).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.next() as usize % v.len()]
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

const SURNAMES: &[&str] = &[
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口",
    "松本", "井上", "木村", "林", "斎藤", "清水", "長谷川", "五十嵐", "小野寺", "勅使河原", "東海林", "齋藤", "髙橋",
];
const GIVEN: &[&str] = &[
    "花子", "太郎", "陽菜", "蓮", "結衣", "大翔", "美咲", "翔太", "さくら", "健一", "恵美子", "和子", "博", "由美",
    "ひなた", "悠真", "千代", "左衛門", "みどり", "アンナ",
];
const PREFS: &[(&str, &str)] = &[
    ("東京都", "渋谷区渋谷"),
    ("大阪府", "大阪市北区梅田"),
    ("北海道", "札幌市中央区北一条西"),
    ("福岡県", "福岡市博多区博多駅前"),
    ("愛知県", "名古屋市中村区名駅"),
    ("神奈川県", "横浜市西区みなとみらい"),
    ("京都府", "京都市下京区四条通烏丸東入長刀鉾町"),
    ("沖縄県", "那覇市久茂地"),
];
const BUILDINGS: &[&str] = &["", "", "ハイツ青葉 203号室", "グランドメゾン桜ヶ丘 1105", "コーポ山田 2F", "サンシャインマンション西館 801号室"];
const PRODUCTS: &[(&str, i64, i64)] = &[
    ("国産大麦若葉の青汁 30包", 3_980, 8),
    ("黒酢にんにく卵黄 90粒", 2_480, 8),
    ("有機ルイボスティー ティーバッグ 40袋", 1_620, 8),
    ("北海道産 無添加ドライフルーツ詰め合わせ", 2_160, 8),
    ("グルコサミン＆コンドロイチン", 4_320, 8),
    ("シェイカーボトル（500ml）", 1_100, 10),
    ("送料", 660, 10),
    ("代引手数料", 330, 10),
    ("専用保存ケース", 880, 10),
];

fn name(r: &mut Rng) -> String {
    format!("{} {}", r.pick(SURNAMES), r.pick(GIVEN))
}

fn address(r: &mut Rng) -> (String, Vec<String>) {
    let (pref, city) = *r.pick(PREFS);
    let postal = format!("{:03}-{:04}", r.range(100, 999), r.range(0, 9999));
    let mut lines = vec![format!("{pref}{city}{}丁目{}-{}", r.range(1, 9), r.range(1, 30), r.range(1, 20))];
    let b = *r.pick(BUILDINGS);
    if !b.is_empty() {
        lines.push(b.to_string());
    }
    (postal, lines)
}

fn labels(n: usize) -> Vec<Label> {
    let mut r = Rng(7);
    (0..n)
        .map(|i| {
            let (postal_code, address_lines) = address(&mut r);
            Label {
                postal_code,
                address_lines,
                company: if i % 17 == 0 { "株式会社みどり商事 総務部".into() } else { String::new() },
                name: name(&mut r),
                honorific: "様".into(),
                code: format!("M{:06}", i + 1),
                notes: Vec::new(),
                sender: Vec::new(),
            }
        })
        .collect()
}

fn invoices(n: usize) -> Vec<Document> {
    let mut r = Rng(11);
    let issuer = Issuer {
        name: "株式会社テイキビン".into(),
        postal_code: "100-0001".into(),
        address: "東京都千代田区千代田1-1 テイキビルディング3階".into(),
        phone: "03-1234-5678".into(),
        registration_number: "T1234567890123".into(),
        bank_account: "○○銀行 本店 普通 1234567 カ）テイキビン".into(),
    };
    let issued = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    (0..n)
        .map(|i| {
            let count = r.range(3, 8) as usize;
            let mut lines = Vec::new();
            // Both rates on every invoice: one reduced-rate item, one standard-rate item first.
            for k in 0..count {
                let (pname, price, rate) = match k {
                    0 => PRODUCTS[r.range(0, 4) as usize],
                    1 => PRODUCTS[r.range(5, 8) as usize],
                    _ => *r.pick(PRODUCTS),
                };
                let qty = r.range(1, 3) as i64;
                lines.push(DocLine {
                    date: Some(NaiveDate::from_ymd_opt(2026, 11, r.range(1, 28) as u32).unwrap()),
                    code: format!("P{:04}", r.range(1, 9999)),
                    name: pname.into(),
                    quantity: qty,
                    unit_price: price,
                    amount: price * qty,
                    tax_rate: rate,
                });
            }
            let mut rate_totals = Vec::new();
            for rate in [10, 8] {
                let amount: i64 = lines.iter().filter(|l| l.tax_rate == rate).map(|l| l.amount).sum();
                if amount > 0 {
                    rate_totals.push(RateTotal { rate, amount, tax: amount * rate / (100 + rate) });
                }
            }
            let total = rate_totals.iter().map(|t| t.amount).sum();
            let (postal_code, address_lines) = address(&mut r);
            Document {
                kind: DocKind::Invoice,
                number: format!("I{:07}", i + 1),
                issued_on: issued,
                transaction_period: "2026年11月1日〜2026年11月30日".into(),
                due_on: Some(issued + Duration::days(31)),
                issuer: issuer.clone(),
                recipient: Recipient {
                    postal_code,
                    address_lines,
                    company: String::new(),
                    name: name(&mut r),
                    honorific: "様".into(),
                    member_code: format!("M{:06}", i + 1),
                },
                lines,
                prices_include_tax: true,
                rate_totals,
                total,
                notes: Vec::new(),
                voided: false,
            }
        })
        .collect()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The invoices as one HTML file: the same blocks as the PDF engine draws (title, recipient,
/// issuer, boxed amount, dates, line table, per-rate table, 振込先), one per printed page.
fn html(docs: &[Document]) -> String {
    let mut h = String::from(
        r#"<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 15mm; }
body { font-family: "IPAexGothic", "IPAGothic", "Noto Sans CJK JP", sans-serif; font-size: 9pt; margin: 0; }
.inv { page-break-after: always; position: relative; }
.no { text-align: right; } h1 { text-align: center; font-size: 20pt; margin: 4mm 0 8mm; text-decoration: underline double; }
.top { display: flex; justify-content: space-between; } .to { width: 95mm; } .from { width: 70mm; }
.name { font-size: 15pt; font-weight: bold; border-bottom: 1px solid #000; display: flex; justify-content: space-between; }
.amount { border: 2px solid #000; width: 95mm; display: flex; margin: 4mm 0; } .amount div { padding: 2mm; }
.amount .l { background: #e0e0e0; width: 30mm; text-align: center; } .amount .v { flex: 1; text-align: right; font-size: 18pt; font-weight: bold; }
table { border-collapse: collapse; width: 100%; } th { background: #e0e0e0; } td, th { border: 1px solid #999; padding: 1mm 1.5mm; }
td.r { text-align: right; } .sum { width: 85mm; margin-left: auto; margin-top: 3mm; } .bank { margin-top: 3mm; border: 1px solid #000; padding: 2mm; width: 85mm; }
</style></head><body>
"#,
    );
    for d in docs {
        h += "<div class=\"inv\">";
        h += &format!("<div class=\"no\">No. {}<br>発行日 {}年{}月{}日</div>", d.number, d.issued_on.year(), d.issued_on.month(), d.issued_on.day());
        h += "<h1>適格請求書</h1><div class=\"top\"><div class=\"to\">";
        h += &format!("〒{}<br>{}<br>", d.recipient.postal_code, d.recipient.address_lines.iter().map(|l| esc(l)).collect::<Vec<_>>().join("<br>"));
        h += &format!("<div class=\"name\"><span>{}</span><span>{}</span></div>会員番号 {}</div>", esc(&d.recipient.name), d.recipient.honorific, d.recipient.member_code);
        h += &format!(
            "<div class=\"from\"><b>{}</b><br>〒{}<br>{}<br>TEL {}<br>登録番号 {}</div></div>",
            esc(&d.issuer.name), d.issuer.postal_code, esc(&d.issuer.address), d.issuer.phone, d.issuer.registration_number
        );
        h += "<p>下記のとおりご請求申し上げます。</p>";
        h += &format!("<div class=\"amount\"><div class=\"l\">ご請求金額<br>（税込）</div><div class=\"v\">{}-</div></div>", yen(d.total));
        h += &format!("<p>取引年月日 {}　お支払期限 {}</p>", d.transaction_period, d.due_on.map(|x| x.to_string()).unwrap_or_default());
        h += "<table><tr><th>日付</th><th>品番</th><th>品名</th><th>数量</th><th>単価（税込）</th><th>金額（税込）</th></tr>";
        for l in &d.lines {
            h += &format!(
                "<tr><td>{}</td><td>{}</td><td>{}{}</td><td class=\"r\">{}</td><td class=\"r\">{}</td><td class=\"r\">{}</td></tr>",
                l.date.map(|x| x.format("%m/%d").to_string()).unwrap_or_default(),
                l.code,
                esc(&l.name),
                if l.tax_rate == 8 { " ※" } else { "" },
                l.quantity,
                yen(l.unit_price),
                yen(l.amount)
            );
        }
        h += "</table><p>※は軽減税率（8%）対象商品です</p><table class=\"sum\">";
        for t in &d.rate_totals {
            h += &format!("<tr><th>{}%対象</th><td class=\"r\">{}</td><td>消費税</td><td class=\"r\">{}</td></tr>", t.rate, yen(t.amount), yen(t.tax));
        }
        h += &format!("<tr><th colspan=\"2\">合計金額（税込）</th><td colspan=\"2\" class=\"r\"><b>{}</b></td></tr></table>", yen(d.total));
        h += &format!("<div class=\"bank\">お振込先　{}</div></div>\n", esc(&d.issuer.bank_account));
    }
    h += "</body></html>\n";
    h
}

fn pdf_pages(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.pdf");
    std::fs::write(&p, bytes).unwrap();
    match Command::new("pdfinfo").arg(&p).output() {
        Ok(o) => String::from_utf8_lossy(&o.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().to_string()))
            .unwrap_or_else(|| "?".into()),
        Err(_) => "?".into(),
    }
}

fn main() {
    let n_labels = env("BENCH_LABELS", 4_500) as usize;
    let n_invoices = env("BENCH_INVOICES", 1_000) as usize;
    let runs = env("BENCH_RUNS", 3).max(1) as usize;
    let keep = std::env::var("BENCH_KEEP").ok();
    let mut report = format!("# PDF benchmark (median of {runs} runs, release build)\n\n");
    report += "| what | time | size | pages | target |\n|---|---|---|---|---|\n";

    // The first render parses the embedded font (once per process).
    let t = Instant::now();
    let _ = render_labels(&LabelSheet::presets()[0], 1, &labels(1), &mut |_| {}).unwrap();
    report += &format!("| first use: parse the embedded IPAexGothic (once per process) + one label | {} ms | | | |\n", ms(t.elapsed().as_secs_f64()));

    // (a) labels
    let sheet = LabelSheet::presets().into_iter().find(|s| s.per_sheet() == 12).unwrap();
    let ls = labels(n_labels);
    let mut secs = Vec::new();
    let mut out = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        out = render_labels(&sheet, 1, &ls, &mut |_| {}).unwrap();
        secs.push(t.elapsed().as_secs_f64());
    }
    report += &format!(
        "| (a) {n_labels} bulletin address labels, {} | {} ms | {} | {} | < 1500 ms, < 1 MB |\n",
        sheet.name,
        ms(median(secs)),
        kb(out.len()),
        pdf_pages(&out)
    );
    if let Some(dir) = &keep {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(format!("{dir}/labels.pdf"), &out).unwrap();
    }

    // (b) invoices
    let docs = invoices(n_invoices);
    let lines: usize = docs.iter().map(|d| d.lines.len()).sum();
    let mut secs = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        out = render_documents(&docs, &mut |_| {}).unwrap();
        secs.push(t.elapsed().as_secs_f64());
    }
    let ours = median(secs);
    report += &format!(
        "| (b) {n_invoices} invoices ({lines} lines, 2 rates each), printpdf | {} ms | {} | {} | < 3000 ms |\n",
        ms(ours),
        kb(out.len()),
        pdf_pages(&out)
    );
    if let Some(dir) = &keep {
        std::fs::write(format!("{dir}/invoices.pdf"), &out).unwrap();
    }

    // (c) the same invoices through headless Chromium
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()));
    match chromium {
        None => report += "| (c) the same invoices as HTML, headless Chromium | skipped: no chromium on this machine | | | |\n",
        Some(bin) => {
            let dir = tempfile::tempdir().unwrap();
            let input = dir.path().join("invoices.html");
            let output = dir.path().join("invoices.pdf");
            let t = Instant::now();
            std::fs::write(&input, html(&docs)).unwrap();
            let gen = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let status = Command::new(bin)
                .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
                .arg(format!("--print-to-pdf={}", output.display()))
                .arg(format!("file://{}", input.display()))
                .output();
            let secs = t.elapsed().as_secs_f64();
            match (status, std::fs::read(&output)) {
                (Ok(_), Ok(bytes)) => {
                    report += &format!(
                        "| (c) the same invoices as one HTML (generated in {} ms), `{bin} --headless --print-to-pdf` (one run) | {} ms | {} | {} | |\n",
                        ms(gen),
                        ms(secs),
                        kb(bytes.len()),
                        pdf_pages(&bytes)
                    );
                    report += &format!("| Chromium / printpdf | {:.1}× the time | | | |\n", secs / ours);
                    if let Some(d) = &keep {
                        std::fs::write(format!("{d}/invoices-chromium.pdf"), &bytes).unwrap();
                    }
                }
                (r, _) => {
                    report += &format!("| (c) headless Chromium | failed: {:?} | | | |\n", r.map(|o| String::from_utf8_lossy(&o.stderr).to_string()));
                }
            }
        }
    }
    report += &b2_export(env("BENCH_SHIPMENTS", 5_000) as usize);
    println!("{report}");
    if let Ok(path) = std::env::var("BENCH_REPORT") {
        std::fs::write(path, &report).unwrap();
    }
}

/// (d) B2 Cloud export: `n` members each with an order waiting, made into parcels (one per
/// member and address, bundling what the demo had waiting too), then the CSV written: rows,
/// JIS check, CP932 and the batch recorded. Target < 500 ms for 5,000 parcels.
fn b2_export(n: usize) -> String {
    use teikibin_core::orders::{OrderInput, OrderLineInput, PaymentMethod};
    use teikibin_core::shipping::b2::CarrierExportRequest;
    use teikibin_core::shipping::ShipmentRequest;
    let dir = tempfile::tempdir().unwrap();
    let mut db = teikibin_core::Db::open(&dir.path().join("b2.db")).unwrap();
    db.save_shop_settings(teikibin_core::demo::demo_shop_settings()).unwrap();
    // Some demo members have withdrawn and take no orders: ask for a few more to reach `n` parcels.
    let demo = db.generate_demo((n + n / 8) as u32, 11).unwrap();
    let product = db.products().unwrap().into_iter().find(|p| p.shipped && p.active).unwrap().code;
    let first: u32 = demo.first_code.trim_start_matches(|c: char| !c.is_ascii_digit()).parse().unwrap();
    let prefix: String = demo.first_code.chars().take_while(|c| !c.is_ascii_digit()).collect();
    let digits = demo.first_code.len() - prefix.len();
    for i in 0..(n + n / 8) as u32 {
        let member = format!("{prefix}{:0digits$}", first + i);
        let input = OrderInput {
            member,
            lines: vec![OrderLineInput { product: product.clone(), quantity: 1, unit_price: None }],
            payment_method: if i % 7 == 0 { PaymentMethod::Cod } else { PaymentMethod::BankTransfer },
            ..Default::default()
        };
        // Withdrawn demo members take no orders; they are simply not in the set.
        let _ = db.create_order(&input);
    }
    let t = Instant::now();
    let plan = db.create_shipments(&ShipmentRequest { due_by: "2099-12-31".into(), ..Default::default() }).unwrap();
    let made = t.elapsed().as_secs_f64();
    let parcels = plan.shipments.len();
    let probe = CarrierExportRequest::default();
    let t = Instant::now();
    let check = db.b2_check(&probe).unwrap();
    let checked = t.elapsed().as_secs_f64();
    let replacements = check.odd_chars.iter().map(|o| (o.ch.clone(), if o.suggestion.is_empty() { "〓".to_string() } else { o.suggestion.clone() })).collect();
    let t = Instant::now();
    let file = db.b2_export(&CarrierExportRequest { replacements, ..probe }).unwrap();
    let exported = t.elapsed().as_secs_f64();
    format!(
        "| (d) B2 Cloud CSV for {parcels} parcels ({} orders): make the parcels | {} ms | | | |\n\
         | (d) B2 Cloud CSV: check (rows, lengths, JIS X 0208) | {} ms | | | |\n\
         | (d) B2 Cloud CSV: write ({} rows, CP932, batch recorded) | {} ms | {} | | < 500 ms for 5,000 |\n",
        plan.orders,
        ms(made),
        ms(checked),
        file.rows,
        ms(exported),
        kb(file.bytes.len())
    )
}
