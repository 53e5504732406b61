// The paper commands of the fake Rust side (dev only): shipments made from about 40 orders waiting
// today (some bundled, two cash on delivery, three names with characters the B2 file cannot print,
// one without a phone number, which B2 refuses), yesterday's parcels already shipped, carrier
// templates, tracking import (the first file has two bad lines, the next one attaches), label sheets
// like the core's presets, about 600 invoices over half a year (a correction, two from the old
// system), the month's bulletin mailing from the members (two returned to sender, three incomplete
// addresses, three characters Shift_JIS cannot hold), and small real PDFs (mock-pdf.ts) for the preview.
import type { CarrierExportRequest } from "../src/bindings/CarrierExportRequest";
import type { CarrierTemplate } from "../src/bindings/CarrierTemplate";
import type { CoreError } from "../src/bindings/CoreError";
import type { DocKind } from "../src/bindings/DocKind";
import type { InvoiceSearch } from "../src/bindings/InvoiceSearch";
import type { InvoiceSummary } from "../src/bindings/InvoiceSummary";
import type { LabelSheet } from "../src/bindings/LabelSheet";
import type { MailingExclusion } from "../src/bindings/MailingExclusion";
import type { MailingRow } from "../src/bindings/MailingRow";
import type { Member } from "../src/bindings/Member";
import type { OddChar } from "../src/bindings/OddChar";
import type { PaperProgress } from "../src/bindings/PaperProgress";
import type { Shipment } from "../src/bindings/Shipment";
import type { ShipmentChange } from "../src/bindings/ShipmentChange";
import type { ShipmentFilter } from "../src/bindings/ShipmentFilter";
import type { ShipmentProblem } from "../src/bindings/ShipmentProblem";
import type { ShipmentRequest } from "../src/bindings/ShipmentRequest";
import type { ShopSettings } from "../src/bindings/ShopSettings";
import type { TemplateColumn } from "../src/bindings/TemplateColumn";
import { PREFECTURES } from "../src/bindings/prefectures";
import { documentPage, labelPages, Page, pdfBase64 } from "./mock-pdf";

export interface PapersMockDeps {
  fail: (code: CoreError["code"], message: string, fields?: [string, string][]) => never;
  sleep: (ms: number) => Promise<unknown>;
  nowStamp: () => string;
  members: () => Member[];
  settings: () => ShopSettings;
}

export const PAPER_COMMANDS = [
  "shipments_plan", "shipments_create", "shipments_list", "shipment_change", "shipments_ship", "shipment_cancel", "carrier_check", "carrier_export", "carrier_templates",
  "save_carrier_templates", "carrier_fields", "import_tracking", "label_sheets", "save_label_sheets", "shipping_labels_pdf",
  "delivery_slips_pdf", "invoices_search", "invoice_issue", "invoices_issue_period", "invoice_void", "invoice_reissue", "invoice_pdf",
  "invoices_pdf", "paper_progress", "save_pdf", "mailing_list", "mailing_template", "save_mailing_template", "mailing_fields",
  "mailing_export", "mailing_labels_pdf", "set_mail_returned",
];

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const RETURNED = "宛先不明で返送されています（住所を確かめて印を外してください）";

/** Characters the files cannot hold, with the core's suggestion ("" = none known). */
const B2_ODD: Record<string, string> = { 髙: "高", 﨑: "崎", 彅: "" };
const CP932_ODD: Record<string, string> = { 𠮷: "吉", 鷗: "鴎", 㐂: "" };

function sheet(name: string, columns: number, rows: number, w: number, h: number, top: number, left: number): LabelSheet {
  return { name, columns, rows, label_width_mm: w, label_height_mm: h, margin_top_mm: top, margin_left_mm: left, gap_x_mm: 0, gap_y_mm: 0, offset_x_mm: 0, offset_y_mm: 0 };
}
const PRESETS: LabelSheet[] = [
  sheet("A4 2面（210×148.5mm）", 1, 2, 210, 148.5, 0, 0),
  sheet("A4 4面（105×148.5mm）", 2, 2, 105, 148.5, 0, 0),
  sheet("A4 6面（105×99mm）", 2, 3, 105, 99, 0, 0),
  sheet("A4 8面（105×74.25mm）", 2, 4, 105, 74.25, 0, 0),
  sheet("A4 10面（86.4×50.8mm）", 2, 5, 86.4, 50.8, 21.5, 18.6),
  sheet("A4 12面（86.4×42.3mm）", 2, 6, 86.4, 42.3, 21.5, 18.6),
  sheet("A4 24面（70×33.9mm）", 3, 8, 70, 33.9, 12.9, 0),
];

const CARRIER_FIELDS = [
  ["number", "出荷番号（お客様管理番号）"], ["ship_date", "出荷予定日"], ["delivery_date", "お届け予定日"], ["time_slot", "配達時間帯"],
  ["postal_code", "お届け先郵便番号"], ["address", "お届け先住所"], ["building", "お届け先建物名"], ["company", "お届け先会社名"],
  ["name", "お届け先名"], ["phone", "お届け先電話番号"], ["description", "品名"], ["parcels", "個数"], ["collect_amount", "代引金額"],
  ["shop_name", "ご依頼主名"], ["shop_phone", "ご依頼主電話番号"], ["shop_postal_code", "ご依頼主郵便番号"], ["shop_address", "ご依頼主住所"],
].map(([key, label]) => ({ key, label }));

const MAILING_FIELDS = [
  ["postal_code", "郵便番号"], ["address1", "住所1（都道府県〜番地）"], ["address2", "住所2（建物名）"], ["prefecture", "都道府県"],
  ["company", "会社名"], ["department", "部署名"], ["name", "氏名"], ["kana", "フリガナ"], ["honorific", "敬称"], ["member", "会員番号"],
  ["phone", "電話番号"], ["course", "コース"],
].map(([key, label]) => ({ key, label }));

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`;
};
const addDays = (iso: string, n: number) => {
  const d = new Date(`${iso}T00:00:00`);
  d.setDate(d.getDate() + n);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`;
};
const normDate = (s: string) => {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(s.trim());
  return m ? `${m[1]}-${pad(+m[2], 2)}-${pad(+m[3], 2)}` : null;
};

/** 「12/5」 as the form may send it → this year's (or next year's) date; anything else as it is. */
const completeMd = (s: string) => {
  const m = /^(\d{1,2})[/-](\d{1,2})$/.exec(s.normalize("NFKC").trim());
  if (!m) return s;
  const t = today();
  const md = `${pad(+m[1], 2)}-${pad(+m[2], 2)}`;
  return `${Number(t.slice(0, 4)) + (md < t.slice(5) ? 1 : 0)}-${md}`;
};
/** 配達時間帯: Yamato's codes, and the labels the core also takes. */
const SLOT_CODES: Record<string, string> = {
  "": "", "0812": "0812", "1416": "1416", "1618": "1618", "1820": "1820", "1921": "1921",
  午前中: "0812", "14〜16時": "1416", "16〜18時": "1618", "18〜20時": "1820", "19〜21時": "1921",
};

interface Waiting {
  order: string;
  member: Member;
  name: string;
  phone: string;
  cod: number;
  due: string;
  item: string;
}

export function createPapersMock(deps: PapersMockDeps) {
  const fail: PapersMockDeps["fail"] = deps.fail;
  const sleep = deps.sleep;
  let progress: PaperProgress | null = null;
  let lastPdf = 0;
  let nextShipment = 1;
  let nextExport = 1;
  let trackingImports = 0;
  let shipments: Shipment[] | null = null;
  let waiting: Waiting[] = [];
  let templates: CarrierTemplate[] = [
    {
      name: "佐川 e飛伝", header: true, jis_only: true,
      columns: [
        { header: "お客様管理番号", field: "number" }, { header: "お届け先電話番号", field: "phone" }, { header: "お届け先郵便番号", field: "postal_code" },
        { header: "お届け先住所１", field: "address" }, { header: "お届け先住所２", field: "building" }, { header: "お届け先名称１", field: "name" },
        { header: "品名１", field: "description" }, { header: "出荷個数", field: "parcels" }, { header: "便種", field: "=000" },
      ],
    },
  ];
  let mailingColumns: TemplateColumn[] = [
    { header: "郵便番号", field: "postal_code" }, { header: "住所1", field: "address1" }, { header: "住所2", field: "address2" },
    { header: "会社名", field: "company" }, { header: "氏名", field: "name" }, { header: "敬称", field: "honorific" }, { header: "会員番号", field: "member" },
  ];
  let sheets = { shipping: { ...PRESETS[1] }, address: { ...PRESETS[5] } };
  let invoices: InvoiceSummary[] | null = null;
  let nextInvoice = 1;

  function pdf(pages: Page[], count: number) {
    const p = pdfBase64(pages);
    lastPdf = p.bytes;
    return { base64: p.base64, count, bytes: p.bytes };
  }

  /** Progress for a job of `total` steps over about `ms`. */
  async function job(what: string, total: number, ms: number) {
    const steps = Math.min(total, 12);
    for (let i = 0; i <= steps; i++) {
      progress = { what, done: Math.round((total * i) / steps), total };
      await sleep(ms / steps);
    }
    progress = null;
  }

  // ---- shipments ----

  function seedShipments() {
    if (shipments) return shipments;
    shipments = [];
    const ms = deps.members().filter((m) => m.status === "active" && !m.merged_into);
    const day = today();
    const items = ["国産 大麦若葉の青汁 30包", "熟成黒酢カプセル 90粒", "有機ブレンドコーヒー 200g", "はちみつ生姜湯 12包"];
    // Today's orders waiting for a parcel; members 3 and 11 ordered twice (同梱).
    const pick = ms.slice(0, 40);
    waiting = pick.map((m, i) => ({
      order: `J${pad(100100 + i, 7)}`,
      member: m,
      name: i === 2 ? "髙橋 恵子" : i === 5 ? "山﨑 一郎" : i === 7 ? "草彅 洋子" : m.name,
      phone: i === 20 ? "" : m.phone || m.mobile || "03-1234-5678",
      cod: i === 4 || i === 9 ? 4280 + i * 100 : 0,
      due: addDays(day, i % 5),
      item: items[i % items.length],
    }));
    waiting.push({ ...waiting[3], order: "J0100140", item: items[3] }, { ...waiting[11], order: "J0100141", item: items[2] });
    // Yesterday's parcels: written in file #1 and shipped.
    const yesterday = addDays(day, -1);
    for (let i = 0; i < 24; i++) {
      const m = ms[60 + i];
      const s = makeShipment({ order: `J${pad(100000 + i, 7)}`, member: m, name: m.name, phone: m.phone || "03-5555-0101", cod: 0, due: yesterday, item: items[i % 4] }, [], yesterday, "");
      s.number = `S${pad(nextShipment++, 7)}`;
      s.id = nextShipment;
      s.status = i < 21 ? "shipped" : "exported";
      s.export_id = 1;
      s.tracking_number = i < 21 ? `4${pad(12345678000 + i * 7, 11)}` : null;
      s.shipped_at = i < 21 ? `${day} 09:12:00` : null;
      shipments.push(s);
    }
    nextExport = 2;
    return shipments;
  }

  function makeShipment(w: Waiting, more: Waiting[], shipDate: string, staff: string, req?: ShipmentRequest): Shipment {
    const m = w.member;
    const orders = [w, ...more];
    const cod = orders.reduce((a, o) => a + o.cod, 0);
    return {
      id: 0, number: "", member: m.code, member_name: m.name, orders: orders.map((o) => o.order), address_id: null,
      slip_type: req?.slip_type ?? (cod ? "collect" : "hatsubarai"), cool: req?.cool ?? "normal", ship_date: shipDate,
      delivery_date: w.due > shipDate ? w.due : null, time_slot: orders.length > 1 ? "1416" : "", description: orders.map((o) => o.item).join("・"),
      parcels: 1, collect_amount: cod, collect_tax: Math.floor((cod * 10) / 110), name: w.name, kana: m.kana, company: m.company,
      department: m.department, postal_code: m.postal_code, address: `${m.prefecture}${m.city}${m.street}`, building: m.building,
      phone: w.phone, honorific: "様", status: "planned", export_id: null, tracking_number: null, shipped_at: null, cancelled_at: null,
      cancel_reason: "", staff, created_at: deps.nowStamp(),
    };
  }

  function plan(req: ShipmentRequest) {
    seedShipments();
    const shipDate = (req.ship_date.trim() ? normDate(req.ship_date) : today()) ?? fail("validation", "出荷予定日は YYYY-MM-DD の形で入力してください", [["ship_date", `出荷予定日「${req.ship_date}」を日付として読めません（例: 2026-11-23）`]]);
    const due = (req.due_by.trim() ? normDate(req.due_by) : addDays(shipDate, 7)) ?? fail("validation", "期日は YYYY-MM-DD の形で入力してください", [["due_by", `「${req.due_by}」を日付として読めません（例: 2026-11-30）`]]);
    const refused: string[] = [];
    let pool = waiting.filter((w) => w.due <= due);
    if (req.orders.length) {
      for (const n of req.orders) if (!pool.some((w) => w.order === n)) refused.push(`${n}: 出荷待ちの受注ではありません（受付のまま、または出荷済み）`);
      pool = pool.filter((w) => req.orders.includes(w.order));
    }
    const groups = new Map<string, Waiting[]>();
    for (const w of pool) groups.set(w.member.code, [...(groups.get(w.member.code) ?? []), w]);
    const list = [...groups.values()].map(([first, ...rest]) => makeShipment(first, rest, shipDate, req.staff, req));
    return {
      plan: { ship_date: shipDate, due_by: due, shipments: list, orders: pool.length, bundled: list.filter((s) => s.orders.length > 1).length, refused },
      used: pool,
    };
  }

  /** The parcels a carrier request covers (like the core's export_set). */
  function exportSet(req: CarrierExportRequest): Shipment[] {
    const all = seedShipments();
    let list: Shipment[];
    if (req.export_id !== null) {
      list = all.filter((s) => s.export_id === req.export_id && s.status !== "cancelled");
      if (!list.length) fail("not_found", `送り状データの出力 ${req.export_id} は見つかりません`);
    } else if (req.shipments.length) {
      list = all.filter((s) => req.shipments.includes(s.number));
      const cancelled = list.find((s) => s.status === "cancelled");
      if (cancelled) fail("conflict", `出荷 ${cancelled.number} は取り消されています`, [["shipments", `出荷 ${cancelled.number} は取り消されています`]]);
    } else {
      list = all.filter((s) => s.ship_date === req.ship_date && s.status === "planned");
    }
    if (!list.length) fail("not_found", "送り状データに書き出す出荷がありません（先に出荷を作成してください）", [["ship_date", "送り状データに書き出す出荷がありません（先に出荷を作成してください）"]]);
    return list;
  }

  function oddChars(texts: [place: string, text: string][], table: Record<string, string>): OddChar[] {
    const found = new Map<string, OddChar>();
    for (const [place, text] of texts) {
      for (const ch of text) {
        if (!(ch in table)) continue;
        const o = found.get(ch) ?? { ch, code_point: `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`, suggestion: table[ch], count: 0, places: [] };
        o.count++;
        if (o.places.length < 5) o.places.push(`${place}: ${text}`);
        found.set(ch, o);
      }
    }
    return [...found.values()];
  }

  function check(template: string, req: CarrierExportRequest) {
    const list = exportSet(req);
    if (template && !templates.some((t) => t.name === template)) fail("not_found", `送り状テンプレート「${template}」はありません`, [["template", `送り状テンプレート「${template}」はありません`]]);
    const odd = oddChars(list.map((s) => [`${s.number} お届け先名`, s.name]), B2_ODD);
    const problems: ShipmentProblem[] = list.filter((s) => !s.phone).map((s) => ({ shipment: s.number, field: "お届け先電話番号", message: "電話番号がありません（B2クラウドでは必須です）" }));
    if (!template && !deps.settings().shipping.b2_customer_code) problems.unshift({ shipment: "設定", field: "請求先顧客コード", message: "設定の「請求先顧客コード」を入力してください" });
    const unanswered = odd.filter((o) => !(req.replacements[o.ch] ?? "").trim()).map((o) => o.ch);
    return { list, check: { shipments: list.map((s) => s.number), odd_chars: odd, unanswered, problems, replacements: { ...req.replacements } } };
  }

  // ---- invoices ----

  function seedInvoices(): InvoiceSummary[] {
    if (invoices) return invoices;
    const ms = deps.members().filter((m) => !m.merged_into).slice(0, 400);
    invoices = [];
    const now = today();
    for (let k = 0; k < 600; k++) {
      const m = ms[(k * 7) % ms.length];
      const monthsAgo = Math.floor(k / 100);
      const d = new Date(`${now.slice(0, 7)}-01T00:00:00`);
      d.setMonth(d.getMonth() - monthsAgo);
      const issued = `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}-${pad(1 + (k % 27), 2)}`;
      const amount = 1980 + ((k * 1373) % 12000);
      const paid = monthsAgo > 1 ? amount : k % 3 === 0 ? amount : k % 7 === 0 ? Math.floor(amount / 2) : 0;
      const periodMonth = issued.slice(0, 7);
      invoices.push({
        number: `I${pad(nextInvoice++, 7)}`, member: m.code, member_name: m.name, issued: k > 1, issued_on: issued,
        due_on: addDays(issued, deps.settings().invoice_due_days), period_from: k % 4 ? `${periodMonth}-01` : null, period_to: k % 4 ? addDays(`${periodMonth}-01`, 27) : null,
        amount, paid, balance: amount - paid, status: paid >= amount ? "paid" : paid > 0 ? "partial" : "open", voided_at: null, void_reason: "",
        replaces: null, replaced_by: null, orders: [`J${pad(90000 + k, 7)}`, ...(k % 4 ? [`J${pad(95000 + k, 7)}`] : [])],
      });
    }
    // A correction: I0000011 voided and replaced by a new one.
    const old = invoices[10];
    const fixed = { ...old, number: `I${pad(nextInvoice++, 7)}`, replaces: old.number, amount: old.amount - 500, balance: old.amount - 500 - old.paid };
    Object.assign(old, { status: "void", voided_at: `${old.issued_on} 15:20:00`, void_reason: "金額の訂正", replaced_by: fixed.number, balance: 0 });
    invoices.push(fixed);
    return invoices;
  }

  function matching(s: InvoiceSearch): InvoiceSummary[] {
    const list = seedInvoices();
    const from = s.from ? normDate(s.from) : "";
    const to = s.to ? normDate(s.to) : "";
    const errs: [string, string][] = [];
    if (from === null) errs.push(["from", `請求日「${s.from}」を日付として読めません`]);
    if (to === null) errs.push(["to", `請求日「${s.to}」を日付として読めません`]);
    if (s.member && !deps.members().some((m) => m.code === s.member)) errs.push(["member", `会員 ${s.member} は見つかりません`]);
    if (errs.length) fail("validation", "検索条件を確認してください", errs);
    return list
      .filter((i) => (!from || i.issued_on >= from) && (!to || i.issued_on <= to))
      .filter((i) => (s.min === null || i.amount >= s.min) && (s.max === null || i.amount <= s.max))
      .filter((i) => (!s.member || i.member === s.member) && (!s.status || i.status === s.status))
      .sort((a, b) => (a.issued_on < b.issued_on ? 1 : a.issued_on > b.issued_on ? -1 : a.number < b.number ? 1 : -1));
  }

  function findInvoice(number: string) {
    return seedInvoices().find((x) => x.number === number) ?? fail("not_found", `請求書 ${number} は見つかりません`);
  }

  function invoicePage(i: InvoiceSummary, kind: DocKind) {
    const title = kind === "invoice" ? "INVOICE" : kind === "delivery_slip" ? "DELIVERY SLIP" : "RECEIPT";
    return documentPage(title, i.number, [`Customer: ${i.member}`, `Issued: ${i.issued_on}   Due: ${i.due_on}`, `Amount: JPY ${i.amount.toLocaleString("en-US")}`, `Orders: ${i.orders.join(", ")}`]);
  }

  // ---- mailing ----

  let returnedSeeded = false;
  function mailing(month: string) {
    if (!/^\d{4}-\d{2}$/.test(month)) fail("validation", `月は YYYY-MM の形で指定してください（${month}）`, [["month", `月は YYYY-MM の形で指定してください（${month}）`]]);
    const thisMonth = today().slice(0, 7);
    if (month > thisMonth) fail("not_found", `${month} の会報誌の発送対象がありません（先に ${month} の月次処理を実行してください）`, [["month", `${month} の会報誌の発送対象がありません（先に ${month} の月次処理を実行してください）`]]);
    const ms = deps.members().filter((m, i) => m.status === "active" && !m.merged_into && i % 22 === 0);
    if (!returnedSeeded && ms.length > 40) {
      ms[17].mail_returned = true;
      ms[33].mail_returned = true;
      returnedSeeded = true;
    }
    const rows: MailingRow[] = [];
    const excluded: MailingExclusion[] = [];
    ms.forEach((m, i) => {
      if (m.mail_returned) return excluded.push({ member: m.code, name: m.name, reason: RETURNED, returned: true });
      if (i === 8 || i === 27 || i === 51) return excluded.push({ member: m.code, name: m.name, reason: "住所が不完全です（番地がありません）", returned: false });
      const name = i === 4 ? "𠮷田 花子" : i === 12 ? "森 鷗子" : i === 19 ? "㐂多 一郎" : m.name;
      rows.push({
        member: m.code, name, kana: m.kana, company: m.company, department: m.department, honorific: "様", postal_code: m.postal_code,
        prefecture: m.prefecture, address1: `${m.prefecture}${m.city}${m.street}`, address2: m.building, phone: m.phone,
        course: i % 3 ? "森の会 年会員" : "青汁 毎月お届けコース",
      });
    });
    rows.sort((a, b) => (a.postal_code < b.postal_code ? -1 : 1));
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.prefecture, (counts.get(r.prefecture) ?? 0) + 1);
    const by_prefecture = PREFECTURES.filter((p) => counts.has(p)).map((p) => ({ prefecture: p, count: counts.get(p)! }));
    const odd_chars = oddChars(rows.map((r) => [`${r.member} 氏名`, r.name]), CP932_ODD);
    return { month, rows, by_prefecture, excluded, odd_chars };
  }

  async function handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    switch (cmd) {
      case "paper_progress":
        return progress;
      case "shipments_plan":
        return plan(args.request as ShipmentRequest).plan;
      case "shipments_create": {
        const req = args.request as ShipmentRequest;
        const { plan: p, used } = plan(req);
        if (p.refused.length) fail("conflict", p.refused.join("\n"), [["orders", p.refused.join("\n")]]);
        if (!p.shipments.length) fail("not_found", `${p.due_by}までにお届けする出荷待ちの受注はありません`, [["due_by", `${p.due_by}までにお届けする出荷待ちの受注はありません`]]);
        await sleep(300);
        for (const s of p.shipments) {
          s.id = nextShipment;
          s.number = `S${pad(nextShipment++, 7)}`;
          shipments!.push(s);
        }
        waiting = waiting.filter((w) => !used.includes(w));
        return p;
      }
      case "shipments_list": {
        const f = args.filter as ShipmentFilter;
        return seedShipments()
          .filter((s) => (!f.ship_date || s.ship_date === f.ship_date) && (!f.status || s.status === f.status) && (f.export_id === null || s.export_id === f.export_id))
          .map((s) => ({ ...s }));
      }
      case "shipment_change": {
        // Like the core's change_shipment: every field error at once; an exported parcel goes back to 出荷予定.
        const s = seedShipments().find((x) => x.number === args.number);
        if (!s) return fail("not_found", `出荷番号 ${args.number} は見つかりません`);
        if (s.status === "shipped" || s.status === "cancelled") fail("conflict", `出荷 ${s.number} は${s.status === "shipped" ? "出荷済" : "取消"}のため変更できません`, [["status", `出荷 ${s.number} は変更できません`]]);
        const c = args.change as ShipmentChange;
        const errs: [string, string][] = [];
        const ship = normDate(completeMd(c.ship_date));
        if (!ship) errs.push(["ship_date", `出荷予定日「${c.ship_date}」を日付として読めません（例: 2026-11-23）`]);
        else if (ship < today() || ship > addDays(today(), 30)) errs.push(["ship_date", "出荷予定日は今日から30日後までの日付にしてください（B2クラウドの決まり）"]);
        const delivery = c.delivery_date.trim() ? normDate(completeMd(c.delivery_date)) : "";
        if (delivery === null) errs.push(["delivery_date", `お届け予定日「${c.delivery_date}」を日付として読めません（例: 2026-11-25）`]);
        else if (delivery && ship && delivery < ship) errs.push(["delivery_date", "お届け予定日が出荷予定日より前です"]);
        const slot = Object.hasOwn(SLOT_CODES, c.time_slot.trim()) ? SLOT_CODES[c.time_slot.trim()] : null;
        if (slot === null) errs.push(["time_slot", `配達時間帯「${c.time_slot}」は使えません（午前中・14〜16時・16〜18時・18〜20時・19〜21時）`]);
        const description = c.description.normalize("NFKC").trim();
        const width = [...description].reduce((n, ch) => n + (ch.charCodeAt(0) > 0xff ? 2 : 1), 0);
        if (!description) errs.push(["description", "品名を入力してください"]);
        else if (width > 50) errs.push(["description", "品名は全角25文字までで入力してください（B2クラウドの決まり）"]);
        if (!Number.isInteger(c.parcels) || c.parcels < 1 || c.parcels > 99) errs.push(["parcels", "個数は1〜99で入力してください"]);
        const collects = (t: string) => t === "collect" || t === "compact_collect";
        if (collects(c.slip_type) !== collects(s.slip_type)) errs.push(["slip_type", "コレクト（代金引換）と他の送り状種類は切り替えられません（受注の支払方法を変えて出荷を作り直してください）"]);
        else if ((c.slip_type === "yu_mail" || c.slip_type === "nekopos") && (delivery || slot || c.cool !== "normal")) errs.push(["slip_type", "投函型の送り状ではお届け日・時間帯・クールは指定できません"]);
        if (errs.length) fail("validation", errs.map((e) => e[1]).join("\n"), errs);
        await sleep(150);
        Object.assign(s, {
          slip_type: c.slip_type, cool: c.cool, ship_date: ship, delivery_date: delivery || null, time_slot: slot, description, parcels: c.parcels,
          staff: c.staff.trim() || s.staff, status: s.status === "exported" ? "planned" : s.status,
        });
        return { ...s };
      }
      case "shipments_ship": {
        const numbers = args.numbers as string[];
        if (!numbers.length) fail("validation", "出荷済にする出荷を選んでください", [["shipments", "出荷済にする出荷を選んでください"]]);
        const list = numbers.map((n) => seedShipments().find((x) => x.number === n) ?? fail("not_found", `出荷番号 ${n} は見つかりません`));
        for (const s of list) if (s.status !== "shipped" && s.status !== "cancelled") Object.assign(s, { status: "shipped", shipped_at: deps.nowStamp() });
        return list.map((s) => ({ ...s }));
      }
      case "shipment_cancel": {
        const s = seedShipments().find((x) => x.number === args.number);
        if (!s) return fail("not_found", `出荷番号 ${args.number} は見つかりません`);
        if (!String(args.reason).trim()) fail("validation", "取消の理由を入力してください", [["reason", "取消の理由を入力してください"]]);
        if (s.status === "shipped" || s.status === "cancelled") fail("conflict", `出荷 ${s.number} は${s.status === "shipped" ? "出荷済み" : "取消済み"}のため取り消せません`);
        Object.assign(s, { status: "cancelled", cancelled_at: deps.nowStamp(), cancel_reason: String(args.reason) });
        return { ...s };
      }
      case "carrier_check":
        await sleep(150);
        return check(String(args.template), args.request as CarrierExportRequest).check;
      case "carrier_export": {
        const tpl = String(args.template);
        const req = args.request as CarrierExportRequest;
        const { list, check: c } = check(tpl, req);
        if (c.problems.length) fail("validation", `送り状にできない出荷があります: ${c.problems.map((p) => `${p.shipment} ${p.field}`).join("、")}`, [["shipments", "送り状にできない出荷があります"]]);
        if (c.unanswered.length) fail("validation", `印字できない文字があります。置き換える文字を確認してください: ${c.unanswered.join(" ")}`, [["replacements", "置き換える文字を確認してください"]]);
        await sleep(300);
        const id = req.export_id ?? nextExport++;
        for (const s of list) if (s.status === "planned") Object.assign(s, { status: "exported", export_id: id });
        return { export_id: id, carrier: tpl || "ヤマト運輸 B2クラウド", rows: list.length, shipments: list.map((s) => s.number), replacements: req.replacements };
      }
      case "carrier_templates":
        return structuredClone(templates);
      case "save_carrier_templates": {
        const ts = JSON.parse(JSON.stringify(args.templates)) as CarrierTemplate[];
        const names = new Set<string>();
        ts.forEach((t, i) => {
          if (!t.name.trim() || names.has(t.name.trim())) fail("validation", "テンプレート名は空にせず、重ならないようにしてください", [[`templates.${i}.name`, "テンプレート名は空にせず、重ならないようにしてください"]]);
          names.add(t.name.trim());
          if (!t.columns.length) fail("validation", "列を1つ以上指定してください", [[`templates.${i}.columns`, "列を1つ以上指定してください"]]);
        });
        templates = ts;
        return structuredClone(templates);
      }
      case "carrier_fields":
        return CARRIER_FIELDS;
      case "import_tracking": {
        const name = String(args.path).split(/[\\/]/).pop() ?? "";
        await sleep(250);
        if (trackingImports++ === 0) {
          return { file_name: name, attached: [], unchanged: 0, rejected: [`${name} の 7 行目: 伝票番号「4123-4567-89」が12桁の数字ではありません`, `${name} の 12 行目: お客様管理番号「S9999999」の出荷はありません`] };
        }
        const exported = seedShipments().filter((s) => s.status === "exported");
        exported.forEach((s, i) => Object.assign(s, { status: "shipped", tracking_number: `4${pad(23456789000 + i * 13, 11)}`, shipped_at: deps.nowStamp() }));
        return { file_name: name, attached: exported.map((s) => s.number), unchanged: 3, rejected: [] };
      }
      case "label_sheets":
        return { ...structuredClone(sheets), presets: structuredClone(PRESETS) };
      case "save_label_sheets": {
        const sh = JSON.parse(JSON.stringify(args.shipping)) as LabelSheet;
        const ad = JSON.parse(JSON.stringify(args.address)) as LabelSheet;
        for (const s of [sh, ad]) {
          if (Math.abs(s.offset_x_mm) > 20) fail("validation", "横のずれは±20mmまでにしてください", [["offset_x_mm", "横のずれは±20mmまでにしてください"]]);
          if (Math.abs(s.offset_y_mm) > 20) fail("validation", "縦のずれは±20mmまでにしてください", [["offset_y_mm", "縦のずれは±20mmまでにしてください"]]);
        }
        sheets = { shipping: sh, address: ad };
        return { ...structuredClone(sheets), presets: structuredClone(PRESETS) };
      }
      case "shipping_labels_pdf": {
        const list = exportSet(args.request as CarrierExportRequest);
        const s = args.sheet as LabelSheet;
        await job("ラベルを作成しています", list.length, 500);
        const texts = list.map((x) => [x.number, x.postal_code.replace(/^(\d{3})(\d{4})$/, "$1-$2"), x.member, `${x.parcels} pc  ${x.description.length} items`]);
        return pdf(labelPages(s, Number(args.start_position), texts), list.length);
      }
      case "delivery_slips_pdf": {
        const list = exportSet(args.request as CarrierExportRequest);
        await job("納品書を作成しています", list.length, 500);
        return pdf(list.map((s) => documentPage("DELIVERY SLIP", s.number, [`Customer: ${s.member}`, `Ship date: ${s.ship_date}`, `Orders: ${s.orders.join(", ")}`])), list.length);
      }
      case "invoices_search": {
        const s = args.search as InvoiceSearch;
        const all = matching(s);
        const limit = s.limit ?? 5000;
        return { invoices: all.slice(0, limit), total: all.length, amount: all.filter((i) => i.status !== "void").reduce((a, i) => a + i.amount, 0) };
      }
      case "invoice_issue": {
        const r = args.request as { order: string; member: string; period: string; issued_on: string; staff: string };
        if (!r.order && !r.member) fail("validation", "受注番号か会員番号を入力してください", [["order", "受注番号を入力してください"]]);
        if (r.order && !/^J\d{7}$/.test(r.order)) fail("not_found", `受注 ${r.order} は見つかりません`, [["order", `受注 ${r.order} は見つかりません`]]);
        const m = r.member ? deps.members().find((x) => x.code === r.member) : deps.members()[5];
        if (!m) return fail("not_found", `会員 ${r.member} は見つかりません`, [["member", `会員 ${r.member} は見つかりません`]]);
        const issued = r.issued_on || today();
        const inv: InvoiceSummary = {
          number: `I${pad(nextInvoice++, 7)}`, member: m.code, member_name: m.name, issued: true, issued_on: issued, due_on: addDays(issued, deps.settings().invoice_due_days),
          period_from: r.period ? `${r.period}-01` : null, period_to: r.period ? addDays(`${r.period}-01`, 27) : null, amount: 6380, paid: 0, balance: 6380,
          status: "open", voided_at: null, void_reason: "", replaces: null, replaced_by: null, orders: [r.order || "J0100200"],
        };
        seedInvoices().push(inv);
        return inv;
      }
      case "invoices_issue_period": {
        const period = String(args.period);
        await job("請求書を発行しています", 128, 1500);
        const ms = deps.members().filter((m) => m.status === "active").slice(1000, 1128);
        const issued = ms.map((m, k): InvoiceSummary => ({
          number: `I${pad(nextInvoice++, 7)}`, member: m.code, member_name: m.name, issued: true, issued_on: today(), due_on: addDays(today(), deps.settings().invoice_due_days),
          period_from: `${period}-01`, period_to: addDays(`${period}-01`, 27), amount: 3580 + (k % 5) * 1000, paid: 0, balance: 3580 + (k % 5) * 1000,
          status: "open", voided_at: null, void_reason: "", replaces: null, replaced_by: null, orders: [`J${pad(120000 + k, 7)}`],
        }));
        seedInvoices().push(...issued);
        return { period, issued, amount: issued.reduce((a, i) => a + i.amount, 0) };
      }
      case "invoice_void":
      case "invoice_reissue": {
        const i = findInvoice(String(args.number));
        if (!String(args.reason).trim()) fail("validation", "理由を入力してください", [["reason", "理由を入力してください"]]);
        if (i.status === "void") fail("conflict", `請求書 ${i.number} はすでに取り消されています`);
        Object.assign(i, { status: "void", voided_at: deps.nowStamp(), void_reason: String(args.reason), balance: 0 });
        if (cmd === "invoice_void") return { ...i };
        const n: InvoiceSummary = { ...i, number: `I${pad(nextInvoice++, 7)}`, status: "open", voided_at: null, void_reason: "", replaces: i.number, replaced_by: null, issued_on: today(), balance: i.amount, paid: 0 };
        i.replaced_by = n.number;
        seedInvoices().push(n);
        return n;
      }
      case "invoice_pdf": {
        const i = findInvoice(String(args.number));
        if (!i.issued) fail("not_found", `請求書 ${i.number} は旧システムから取り込んだためPDFがありません`);
        return pdf([invoicePage(i, args.kind as DocKind)], 1);
      }
      case "invoices_pdf": {
        const list = matching(args.search as InvoiceSearch).filter((i) => i.issued);
        if (!list.length) fail("not_found", "印刷する請求書がありません");
        await job("請求書をまとめています", list.length, 1200);
        return pdf(list.map((i) => invoicePage(i, args.kind as DocKind)), list.length);
      }
      case "save_pdf":
        if (!lastPdf) fail("not_found", "保存するPDFがありません（先にプレビューを開いてください）");
        return lastPdf;
      case "mailing_list":
        await sleep(120);
        return mailing(String(args.month));
      case "mailing_template":
        return structuredClone(mailingColumns);
      case "save_mailing_template": {
        const cols = JSON.parse(JSON.stringify(args.columns)) as TemplateColumn[];
        if (!cols.length) fail("validation", "列を1つ以上指定してください", [["columns", "列を1つ以上指定してください"]]);
        const bad = cols.findIndex((c) => !c.field.startsWith("=") && !MAILING_FIELDS.some((f) => f.key === c.field));
        if (bad >= 0) fail("validation", `${bad + 1}列目: 項目がありません`, [[`columns.${bad}.field`, `${bad + 1}列目「${cols[bad].header}」: 項目「${cols[bad].field}」はありません`]]);
        mailingColumns = cols;
        return structuredClone(mailingColumns);
      }
      case "mailing_fields":
        return MAILING_FIELDS;
      case "mailing_export": {
        const l = mailing(String(args.month));
        const rep = args.replacements as Record<string, string>;
        const missing = l.odd_chars.filter((o) => !(rep[o.ch] ?? "").trim());
        if (missing.length) fail("validation", `Shift_JIS（CP932）で書けない文字があります。置き換える文字を確認してください: ${missing.map((o) => `「${o.ch}」`).join(" ")}`, [["replacements", "置き換える文字を確認してください"]]);
        await sleep(300);
        return { rows: l.rows.length, by_prefecture: l.by_prefecture, excluded: l.excluded.length, replacements: rep };
      }
      case "mailing_labels_pdf": {
        const l = mailing(String(args.month));
        await job("宛名ラベルを作成しています", l.rows.length, 900);
        const texts = l.rows.map((r) => [r.postal_code.replace(/^(\d{3})(\d{4})$/, "$1-$2"), r.member, r.course.length > 6 ? "Member" : "Course"]);
        return pdf(labelPages(args.sheet as LabelSheet, Number(args.start_position), texts), l.rows.length);
      }
      case "set_mail_returned": {
        const m = deps.members().find((x) => x.code === args.code);
        if (!m) return fail("not_found", `会員 ${args.code} は見つかりません`);
        m.mail_returned = Boolean(args.returned);
        m.updated_at = deps.nowStamp();
        return { ...m };
      }
      default:
        return fail("io", `mock: unknown command ${cmd}`);
    }
  }

  return { handle, handles: (cmd: string) => PAPER_COMMANDS.includes(cmd) };
}
