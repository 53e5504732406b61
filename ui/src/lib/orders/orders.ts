//! Pure helpers of 電話受注 and 受注一覧: Japanese labels of the order enums, the status steps,
//! product suggestions, the order being typed as an `OrderInput`, months, and the list filter.
//! No money is computed here (tax and fees come from the core's quote). Unit-tested in orders.test.ts.
import type { OrderInput } from "../../bindings/OrderInput";
import type { OrderKind } from "../../bindings/OrderKind";
import type { OrderStatus } from "../../bindings/OrderStatus";
import type { OrderSummary } from "../../bindings/OrderSummary";
import type { PaymentMethod } from "../../bindings/PaymentMethod";
import type { Product } from "../../bindings/Product";

export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = {
  received: "受付",
  ready: "出荷待ち",
  shipped: "出荷済",
  invoiced: "請求済",
  paid: "入金済",
  cancelled: "キャンセル",
};

/** The steps an order goes through, in order (キャンセル is not one of them). */
export const ORDER_STEPS: OrderStatus[] = ["received", "ready", "shipped", "invoiced", "paid"];

/** The status one step on, or null at the end (入金済) and for a cancelled order. */
export function nextStatus(s: OrderStatus): OrderStatus | null {
  const i = ORDER_STEPS.indexOf(s);
  return i >= 0 && i < ORDER_STEPS.length - 1 ? ORDER_STEPS[i + 1] : null;
}

/** The status one step back (to correct a slip), or null. */
export function previousStatus(s: OrderStatus): OrderStatus | null {
  const i = ORDER_STEPS.indexOf(s);
  return i > 0 ? ORDER_STEPS[i - 1] : null;
}

/** An order can be cancelled until it has been shipped (the core refuses later ones). */
export function canCancel(s: OrderStatus): boolean {
  return s === "received" || s === "ready";
}

/** The button that moves an order on: 「出荷待ちにする」. */
export function nextStepLabel(s: OrderStatus): string | null {
  const n = nextStatus(s);
  return n ? `${ORDER_STATUS_LABEL[n]}にする` : null;
}

export const ORDER_KIND_LABEL: Record<OrderKind, string> = {
  one_off: "都度",
  subscription: "定期",
  membership: "会費",
};

export const PAYMENT_LABEL: Record<PaymentMethod, string> = {
  bank_transfer: "銀行振込",
  direct_debit: "口座振替",
  cod: "代金引換",
  card: "クレジットカード",
  cash: "現金",
  postal_transfer: "郵便振替",
  other: "その他",
};

/** The payment methods in the order the select offers them (the usual ones first). */
export const PAYMENT_METHODS: PaymentMethod[] = ["bank_transfer", "cod", "postal_transfer", "direct_debit", "card", "cash", "other"];

/** 配達時間帯: Yamato's codes and how staff say them (the core's TIME_SLOTS). */
export const TIME_SLOTS: [code: string, label: string][] = [
  ["", "指定なし"],
  ["0812", "午前中"],
  ["1416", "14〜16時"],
  ["1618", "16〜18時"],
  ["1820", "18〜20時"],
  ["1921", "19〜21時"],
];

export function timeSlotLabel(code: string | null | undefined): string {
  return TIME_SLOTS.find((t) => t[0] === (code ?? ""))?.[1] ?? code ?? "";
}

/** How the order came in (受付方法). */
export const CHANNELS = ["電話", "FAX", "はがき", "Web"] as const;

/** Text folded for matching: NFKC, lower case, hiragana as katakana, no spaces. */
export function fold(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))
    .replace(/\s+/g, "");
}

/**
 * The products offered for what was typed in a line's product field: products on sale whose code
 * or name holds every word, best first (exact code, code prefix, name prefix, the rest by code).
 */
export function suggestProducts(products: readonly Product[], text: string, limit = 8): Product[] {
  const words = text.normalize("NFKC").trim().split(/\s+/).map(fold).filter(Boolean);
  if (words.length === 0) return [];
  const q = words.join("");
  const rank = (p: Product): number => {
    const code = fold(p.code);
    const name = fold(p.name);
    if (code === q) return 0;
    if (code.startsWith(q)) return 1;
    if (name.startsWith(q)) return 2;
    return 3;
  };
  const hits: [number, Product][] = [];
  for (const p of products) {
    if (!p.active) continue;
    const hay = `${fold(p.code)}\n${fold(p.name)}\n${fold(p.group)}`;
    if (words.every((w) => hay.includes(w))) hits.push([rank(p), p]);
  }
  hits.sort((a, b) => a[0] - b[0] || (a[1].code < b[1].code ? -1 : a[1].code > b[1].code ? 1 : 0));
  return hits.slice(0, limit).map((h) => h[1]);
}

/** A quantity as typed (full-width digits too) → a whole number, or NaN. Empty → NaN. */
export function parseQuantity(text: string): number {
  const t = text.normalize("NFKC").replace(/[\s,]/g, "");
  if (!/^\d+$/.test(t)) return NaN;
  return Number(t);
}

/** One line of the order being typed. `product` is the code (or exact name) sent to the core. */
export interface DraftLine {
  key: number;
  product: string;
  /** The product's name as picked (shown until the quote answers). */
  name: string;
  quantity: string;
  /** A price agreed on the phone; null: the product's. */
  unitPrice: number | null;
}

export interface Draft {
  member: string;
  lines: DraftLine[];
  addressId: number | null;
  deliveryDate: string;
  timeSlot: string;
  payment: PaymentMethod;
  /** Text of the 送料 box: empty for the shop's rule. */
  shippingFee: string;
  channel: string;
  note: string;
}

/** The order being typed as the core wants it. A quantity that is not a number goes as 0 (the core says so on the line). */
export function toOrderInput(d: Draft, staff: string): OrderInput {
  const fee = d.shippingFee.normalize("NFKC").replace(/[\s,¥￥円]/g, "");
  return {
    member: d.member,
    lines: d.lines.map((l) => {
      const q = parseQuantity(l.quantity);
      return { product: l.product, quantity: Number.isFinite(q) ? q : 0, unit_price: l.unitPrice };
    }),
    address_id: d.addressId,
    delivery_date: d.deliveryDate.trim(),
    time_slot: d.timeSlot,
    payment_method: d.payment,
    shipping_fee: fee === "" ? null : /^\d+$/.test(fee) ? Number(fee) : -1,
    channel: d.channel,
    note: d.note.trim(),
    staff,
  };
}

/** Field errors of line `i` (`lines.3.quantity` → `quantity`). */
export function lineErrors(errors: Record<string, string>, i: number): Record<string, string> {
  const out: Record<string, string> = {};
  const prefix = `lines.${i}.`;
  for (const [k, v] of Object.entries(errors)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/** The order in which the entry form shows its fields (the first bad one gets the focus). */
export function entryFieldOrder(lineCount: number): string[] {
  const out = ["member", "lines"];
  for (let i = 0; i < lineCount; i++) out.push(`lines.${i}.product`, `lines.${i}.quantity`, `lines.${i}.unit_price`);
  out.push("address_id", "delivery_date", "time_slot", "payment_method", "shipping_fee", "channel", "note");
  return out;
}

/** `2026-11` of a `YYYY-MM-DD` date. */
export function monthOf(iso: string): string {
  return iso.slice(0, 7);
}

/** `2026-11` moved by `delta` months. */
export function shiftMonth(month: string, delta: number): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  const n = Number(m[1]) * 12 + (Number(m[2]) - 1) + delta;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;
}

/** `2026-11` → `2026年11月`. */
export function monthLabel(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${m[1]}年${Number(m[2])}月` : month;
}

export type StatusTab = OrderStatus | "all";

/** What the list shows besides the month: member or order text, kind. */
export interface ListFilter {
  text: string;
  kind: OrderKind | null;
}

/** The orders of the page matching the text (order number, member code, name) and the kind. */
export function filterOrders(orders: readonly OrderSummary[], f: ListFilter): OrderSummary[] {
  const words = f.text.normalize("NFKC").trim().split(/\s+/).map(fold).filter(Boolean);
  return orders.filter((o) => {
    if (f.kind && o.kind !== f.kind) return false;
    if (words.length === 0) return true;
    const hay = `${fold(o.number)}\n${fold(o.member)}\n${fold(o.member_name)}`;
    return words.every((w) => hay.includes(w));
  });
}

/** Counts per status tab of the given orders. */
export function statusCounts(orders: readonly OrderSummary[]): Record<StatusTab, number> {
  const c: Record<StatusTab, number> = { all: 0, received: 0, ready: 0, shipped: 0, invoiced: 0, paid: 0, cancelled: 0 };
  for (const o of orders) {
    c.all++;
    c[o.status]++;
  }
  return c;
}

/** How many orders of the list share each 同梱 group. */
export function bundleSizes(orders: readonly OrderSummary[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const o of orders) if (o.bundle) m.set(o.bundle, (m.get(o.bundle) ?? 0) + 1);
  return m;
}

/**
 * A delivery date typed without the year (`12/5`, `12月5日`, full-width too) as the next such day
 * from `today` (YYYY-MM-DD); anything else is returned as typed, for the core to read or refuse.
 */
export function completeDate(text: string, today: string): string {
  const t = text.normalize("NFKC").replace(/\s+/g, "");
  const m = /^(\d{1,2})[/月.-](\d{1,2})日?$/.exec(t);
  if (!m) return text.trim();
  const [month, day] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return text.trim();
  let year = Number(today.slice(0, 4));
  const md = `${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  if (md < today.slice(5)) year++;
  return `${year}-${md}`;
}
