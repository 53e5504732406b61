//! Pure helpers of the 定期コース screen: the price label (初回 ¥980 / 2回目以降 ¥3,980) as the core
//! writes it, the rhythm label, the form's editable rows and what they become for the core, and
//! the product picker's lookup. Unit-tested in courses.test.ts.
import type { Course } from "../../bindings/Course";
import type { CourseInput } from "../../bindings/CourseInput";
import type { CourseKind } from "../../bindings/CourseKind";
import type { CoursePrice } from "../../bindings/CoursePrice";
import type { IntervalUnit } from "../../bindings/IntervalUnit";
import type { Product } from "../../bindings/Product";
import { fmtYen } from "../products/products";

export const COURSE_KIND_LABEL: Record<CourseKind, string> = { regular: "定期お届け", membership: "会員制" };

export const UNIT_LABEL: Record<IntervalUnit, string> = { month: "ヶ月ごと", week: "週ごと", day: "日ごと" };

/** 0 = 月曜, as the core counts. */
export const WEEKDAY_NAMES = ["月", "火", "水", "木", "金", "土", "日"];

/** 「毎月」「2ヶ月ごと」「4週ごと」「45日ごと」 (the core's interval_label). */
export function intervalLabel(unit: IntervalUnit, count: number): string {
  if (unit === "month") return count === 1 ? "毎月" : `${count}ヶ月ごと`;
  if (unit === "week") return count === 1 ? "毎週" : `${count}週ごと`;
  return `${count}日ごと`;
}

/** 「毎月 10日」「毎月 月末」「2週ごと 金曜」 (the core's rhythm_label). */
export function rhythmLabel(unit: IntervalUnit, count: number, day: number | null, weekday: number | null): string {
  const base = intervalLabel(unit, count);
  if (unit === "month" && day === 31) return `${base} 月末`;
  if (unit === "month" && day !== null) return `${base} ${day}日`;
  if (unit === "week" && weekday !== null) return `${base} ${WEEKDAY_NAMES[Math.max(0, Math.min(6, weekday))]}曜`;
  return base;
}

/** 「初回 ¥980 / 2回目以降 ¥3,980」, 「毎回 10%引き」, 「通常価格」 (the core's price_label). */
export function priceLabel(prices: readonly CoursePrice[]): string {
  if (prices.length === 0) return "通常価格";
  const sorted = [...prices].sort((a, b) => a.from_delivery - b.from_delivery);
  return sorted
    .map((p, i) => {
      const next = sorted[i + 1]?.from_delivery;
      const n = p.from_delivery;
      let when: string;
      if (n === 1 && next === 2) when = "初回";
      else if (next !== undefined && next === n + 1) when = `${n}回目`;
      else if (n === 1 && next === undefined) when = "毎回";
      else when = `${n}回目以降`;
      const what = p.price !== null ? fmtYen(p.price) : p.discount_percent !== null ? `${p.discount_percent}%引き` : "";
      return `${when} ${what}`;
    })
    .join(" / ");
}

/** One row of the form's price table; amounts as numbers (NaN while not a whole number). */
export interface PriceRow {
  from: number;
  mode: "price" | "discount";
  price: number;
  discount: number;
}

export interface ItemRow {
  /** What was typed: a product code (or a name, resolved on save). */
  product: string;
  quantity: number;
}

/** The form's state: CourseInput with editable rows. */
export interface CourseDraft extends Omit<CourseInput, "items" | "prices"> {
  items: ItemRow[];
  prices: PriceRow[];
}

export function blankDraft(): CourseDraft {
  return {
    code: "", name: "", kind: "regular", interval_unit: "month", interval_count: 1, day_of_month: null, weekday: null,
    min_deliveries: 0, free_shipping: true, renewal_notice_days: 30, bulletin_product: "", active: true, note: "",
    items: [{ product: "", quantity: 1 }],
    prices: [],
  };
}

export function draftOf(c: Course): CourseDraft {
  return {
    code: c.code, name: c.name, kind: c.kind, interval_unit: c.interval_unit, interval_count: c.interval_count,
    day_of_month: c.day_of_month, weekday: c.weekday, min_deliveries: c.min_deliveries, free_shipping: c.free_shipping,
    renewal_notice_days: c.renewal_notice_days, bulletin_product: c.bulletin_product?.code ?? "", active: c.active, note: c.note,
    items: c.items.map((i) => ({ product: i.product.code, quantity: i.quantity })),
    prices: [...c.prices]
      .sort((a, b) => a.from_delivery - b.from_delivery)
      .map((p) => ({
        from: p.from_delivery,
        mode: p.price !== null ? "price" : "discount",
        price: p.price ?? 0,
        discount: p.discount_percent ?? 0,
      })),
  };
}

/** A new price row after the last one (from the next delivery number), at `price` to start with. */
export function nextPriceRow(rows: readonly PriceRow[], price = 0): PriceRow {
  const last = rows.length ? Math.max(...rows.map((r) => (Number.isFinite(r.from) ? r.from : 0))) : 0;
  return { from: last + 1, mode: "price", price, discount: 0 };
}

/** Text folded for matching: NFKC, lower case, hiragana as katakana, no spaces. */
function fold(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))
    .replace(/\s+/g, "");
}

/**
 * The product typed into a picker: an exact code (case and width folded), else the one product
 * whose name contains the text; null when none or several match.
 */
export function findProduct(products: readonly Product[], text: string): Product | null {
  const t = fold(text);
  if (!t) return null;
  const byCode = products.find((p) => fold(p.code) === t);
  if (byCode) return byCode;
  const byName = products.filter((p) => fold(p.name).includes(t));
  if (byName.length === 1) return byName[0];
  const active = byName.filter((p) => p.active);
  return active.length === 1 ? active[0] : null;
}

/** The draft as the core takes it: product names resolved to codes, each price row one kind. */
export function toInput(d: CourseDraft, products: readonly Product[]): CourseInput {
  const code = (text: string) => findProduct(products, text)?.code ?? text.normalize("NFKC").trim();
  return {
    code: d.code, name: d.name, kind: d.kind, interval_unit: d.interval_unit, interval_count: d.interval_count,
    day_of_month: d.interval_unit === "month" ? d.day_of_month : null,
    weekday: d.interval_unit === "week" ? d.weekday : null,
    min_deliveries: d.min_deliveries, free_shipping: d.free_shipping, renewal_notice_days: d.renewal_notice_days,
    bulletin_product: d.bulletin_product.trim() ? code(d.bulletin_product) : "",
    active: d.active, note: d.note,
    items: d.items.filter((i) => i.product.trim()).map((i) => ({ product: code(i.product), quantity: i.quantity })),
    prices: d.prices.map((p) => ({
      from_delivery: p.from,
      price: p.mode === "price" ? p.price : null,
      discount_percent: p.mode === "discount" ? p.discount : null,
    })),
  };
}

/** The items' list prices added up (what a delivery costs without a course price). */
export function listTotal(items: readonly ItemRow[], products: readonly Product[]): number {
  let sum = 0;
  for (const i of items) {
    const p = findProduct(products, i.product);
    if (p && Number.isFinite(i.quantity)) sum += p.unit_price * i.quantity;
  }
  return sum;
}

/** Fields that are not whole numbers, found before asking the core: [field, message]. */
export function numberProblems(d: CourseDraft): [string, string][] {
  const out: [string, string][] = [];
  const whole = (v: number) => Number.isInteger(v);
  if (!whole(d.interval_count)) out.push(["interval_count", "お届け間隔は数字で入力してください"]);
  if (!whole(d.min_deliveries)) out.push(["min_deliveries", "最低継続回数は数字で入力してください"]);
  if (!whole(d.renewal_notice_days)) out.push(["renewal_notice_days", "日数は数字で入力してください"]);
  d.items.forEach((it, i) => {
    if (it.product.trim() && !whole(it.quantity)) out.push([`items.${i}.quantity`, `${i + 1}行目: 数量は数字で入力してください`]);
  });
  d.prices.forEach((p, i) => {
    if (!whole(p.from)) out.push([`prices.${i}`, `${i + 1}行目: 何回目からかを数字で入力してください`]);
    else if (p.mode === "price" && !whole(p.price)) out.push([`prices.${i}.value`, `${i + 1}行目: 価格は数字で入力してください`]);
    else if (p.mode === "discount" && !whole(p.discount)) out.push([`prices.${i}.value`, `${i + 1}行目: 割引率は数字で入力してください`]);
  });
  return out;
}
