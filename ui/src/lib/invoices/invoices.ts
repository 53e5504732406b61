//! Pure helpers of the 請求 screen: the search form as the core's `InvoiceSearch` (dates typed as
//! staff type them, amounts with ¥ and commas), and the period of an invoice. Tested in invoices.test.ts.
import type { FieldError } from "../../bindings/FieldError";
import type { InvoiceSearch } from "../../bindings/InvoiceSearch";
import type { InvoiceStatus } from "../../bindings/InvoiceStatus";
import type { InvoiceSummary } from "../../bindings/InvoiceSummary";
import { fmtDate } from "../format";
import { completeDate } from "../orders/orders";
import { parseAmount } from "../products/products";

export interface SearchForm {
  from: string;
  to: string;
  min: string;
  max: string;
  member: string;
  status: InvoiceStatus | "";
}

/** A date typed without its year (`11/1`) as the latest such day up to `today`; anything else as completeDate reads it. */
export function pastDate(text: string, today: string): string {
  const d = completeDate(text, today);
  const typedYear = /\d{4}/.test(text.normalize("NFKC"));
  if (typedYear || !/^\d{4}-\d{2}-\d{2}$/.test(d) || d <= today) return d;
  return `${Number(d.slice(0, 4)) - 1}${d.slice(4)}`;
}

export const emptySearch = (member = ""): SearchForm => ({ from: "", to: "", min: "", max: "", member, status: "" });

/** The form as the core's search; amounts that are not whole yen come back as field errors instead. */
export function toSearch(f: SearchForm, today: string): { search: InvoiceSearch; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const amount = (name: "min" | "max", text: string): number | null => {
    if (!text.trim()) return null;
    const n = parseAmount(text);
    if (!Number.isFinite(n) || n < 0) {
      errors.push({ field: name, message: "金額は円の整数で入力してください（例: 10,000）" });
      return null;
    }
    return n;
  };
  const search: InvoiceSearch = {
    number: "",
    from: f.from.trim() ? pastDate(f.from, today) : "",
    to: f.to.trim() ? pastDate(f.to, today) : "",
    min: amount("min", f.min),
    max: amount("max", f.max),
    member: f.member.normalize("NFKC").trim(),
    status: f.status || null,
    limit: null,
  };
  return { search, errors };
}

/** `2026/11/01〜2026/11/30`, or `` for an invoice of one order. */
export function periodLabel(i: Pick<InvoiceSummary, "period_from" | "period_to">): string {
  if (!i.period_from && !i.period_to) return "";
  return `${fmtDate(i.period_from)}〜${fmtDate(i.period_to)}`;
}

/** The period for a list cell: `2026年11月分` for a calendar month's invoice, else `11/01〜11/15`. */
export function periodShort(i: Pick<InvoiceSummary, "period_from" | "period_to">): string {
  const f = i.period_from, t = i.period_to;
  if (!f || !t) return "";
  if (f.slice(0, 7) === t.slice(0, 7) && f.endsWith("-01")) return `${f.slice(0, 4)}年${Number(f.slice(5, 7))}月分`;
  return `${f.slice(5).replace("-", "/")}〜${t.slice(5).replace("-", "/")}`;
}
