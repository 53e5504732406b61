//! Pure helpers of the 商品 screen (and of amount inputs elsewhere): yen display and parsing, the
//! list filter, product groups, tax labels. Unit-tested in products.test.ts.
import type { Product } from "../../bindings/Product";
import type { ProductInput } from "../../bindings/ProductInput";
import type { TaxRounding } from "../../bindings/TaxRounding";
import { fmtNumber } from "../format";

/** 3980 → `¥3,980`; -100 → `-¥100`. */
export function fmtYen(n: number): string {
  if (!Number.isFinite(n)) return "";
  return n < 0 ? `-¥${fmtNumber(-n)}` : `¥${fmtNumber(n)}`;
}

/**
 * What was typed into an amount box as an integer: full-width digits, `¥`, `円`, separators and
 * spaces are accepted (`￥３，９８０円` → 3980); empty → 0; anything else (or a fraction) → NaN.
 */
export function parseAmount(text: string): number {
  const t = text.normalize("NFKC").replace(/[\s,，、¥￥円]/g, "").replace(/^[−ー－]/, "-");
  if (t === "") return 0;
  if (!/^-?\d+$/.test(t)) return NaN;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : NaN;
}

/** Text folded for matching: NFKC, lower case, hiragana as katakana. */
export function fold(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

/**
 * The products the list shows: every word of `text` in the code, name or group; the group when
 * one is chosen; products no longer sold (販売終了) only when asked for.
 */
export function filterProducts(products: readonly Product[], text: string, group: string, showInactive: boolean): Product[] {
  const words = fold(text).split(/\s+/).filter(Boolean);
  return products.filter((p) => {
    if (!showInactive && !p.active) return false;
    if (group && p.group !== group) return false;
    if (words.length === 0) return true;
    const hay = fold(`${p.code}\n${p.name}\n${p.group}`);
    return words.every((w) => hay.includes(w));
  });
}

/** The product groups in use, in Japanese collation order. */
export function productGroups(products: readonly Product[]): string[] {
  const set = new Set(products.map((p) => p.group.trim()).filter(Boolean));
  return [...set].sort((a, b) => a.localeCompare(b, "ja"));
}

/** `8%` plus whether it is the reduced rate (軽減税率). */
export function taxLabel(rate: number): { text: string; reduced: boolean } {
  return { text: `${rate}%`, reduced: rate === 8 };
}

function roundBy(x: number, mode: TaxRounding): number {
  if (mode === "ceil") return Math.ceil(x - 1e-9);
  if (mode === "round") return Math.round(x);
  return Math.floor(x + 1e-9);
}

/**
 * The unit price on the other side of tax, for a hint next to the price (the real tax is computed
 * per document and rate): tax-excluded → tax-included, or tax-included → tax-excluded.
 */
export function otherSidePrice(price: number, rate: number, pricesExcludeTax: boolean, rounding: TaxRounding): number {
  if (!Number.isFinite(price) || price < 0) return NaN;
  if (pricesExcludeTax) return price + roundBy((price * rate) / 100, rounding);
  return price - roundBy((price * rate) / (100 + rate), rounding);
}

/** A new product as the form starts it: 10%, sold, shipped. */
export function blankProduct(): ProductInput {
  return {
    code: "", name: "", group: "", unit_price: 0, tax_rate: 10, unit: "", active: true, stock: 0, size_class: "", weight_g: 0,
    shipped: true,
  };
}

export function productInput(p: Product): ProductInput {
  return {
    code: p.code, name: p.name, group: p.group, unit_price: p.unit_price, tax_rate: p.tax_rate, unit: p.unit, active: p.active,
    stock: p.stock, size_class: p.size_class, weight_g: p.weight_g, shipped: p.shipped,
  };
}

/** Size classes offered in the form (the shop may type its own). */
export const SIZE_CLASSES = ["ネコポス", "ゆうパケット", "60", "80", "100", "120", "140", "160"] as const;
