//! Pure helpers of the 月次処理 screen: the month as typed and shown, yen, the skipped deliveries
//! grouped by reason, the earlier runs as the core reports them, the progress bar. Unit-tested in
//! month.test.ts.
import type { MonthProgress } from "../../bindings/MonthProgress";
import type { SkippedDelivery } from "../../bindings/SkippedDelivery";
import { fmtDateTime, fmtNumber } from "../format";

/** `YYYY-MM` of the month after `now` (staff run next month's deliveries around the cut-off day). */
export function nextMonth(now: Date = new Date()): string {
  return shiftMonth(`${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`, 1);
}

/** `2025-12` + 1 → `2026-01`; a month that is not `YYYY-MM` comes back unchanged. */
export function shiftMonth(month: string, by: number): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  const n = Number(m[1]) * 12 + (Number(m[2]) - 1) + by;
  const y = Math.floor(n / 12);
  return `${String(y).padStart(4, "0")}-${String(n - y * 12 + 1).padStart(2, "0")}`;
}

/**
 * A month as staff type it, as `YYYY-MM`; null when it cannot be read. Accepts full-width digits and
 * `2025-07`, `2025/7`, `2025.7`, `202507`, `2025年7月`, `R7年7月`/`令和7年7月`, and a month alone
 * (`7`, `7月`: the next such month from `thisMonth` on, `thisMonth` itself included).
 */
export function parseMonth(text: string, thisMonth: string = shiftMonth(nextMonth(), -1)): string | null {
  const s = text
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .replace(/分$/, "");
  if (!s) return null;
  const ok = (y: number, m: number) => (y >= 1900 && y <= 2999 && m >= 1 && m <= 12 ? `${y}-${String(m).padStart(2, "0")}` : null);
  let m = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(s) ?? /^(\d{4})(\d{2})$/.exec(s);
  if (m) return ok(Number(m[1]), Number(m[2]));
  m = /^(?:R|令和)(\d{1,2})[-/.年](\d{1,2})月?$/i.exec(s);
  if (m) return ok(2018 + Number(m[1]), Number(m[2]));
  m = /^(\d{1,2})月?$/.exec(s);
  if (m) {
    const month = Number(m[1]);
    const f = /^(\d{4})-(\d{2})$/.exec(thisMonth);
    if (!f || month < 1 || month > 12) return null;
    const year = Number(f[1]) + (month < Number(f[2]) ? 1 : 0);
    return ok(year, month);
  }
  return null;
}

/** `2025-07` → `2025年7月`. */
export function monthLabel(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${m[1]}年${Number(m[2])}月` : month;
}

/** 1234567 → `¥1,234,567`. */
export function fmtYen(n: number): string {
  if (!Number.isFinite(n)) return "";
  return n < 0 ? `-¥${fmtNumber(-n)}` : `¥${fmtNumber(n)}`;
}

/** One earlier run as the core reports it (`2025-06-20 14:32:10（佐藤）`), split for display. */
export interface EarlierRun {
  /** `2025-06-20 14:32` */
  at: string;
  staff: string;
}

export function parseRun(run: string): EarlierRun {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::\d{2})?\s*(?:（(.*)）)?$/.exec(run.trim());
  if (!m) return { at: run, staff: "" };
  return { at: `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}`, staff: m[6] ?? "" };
}

/** The same run as `2025/06/20 14:32`. */
export function runLabel(run: EarlierRun): string {
  return fmtDateTime(run.at) || run.at;
}

/**
 * The group a skip reason is counted under: the reason itself, or, when it carries a date
 * (`休止中（2025-08-15 から再開）`, `会報誌: 会員の有効期限切れ（2025-05-31）`), the reason without it.
 */
export function reasonGroup(reason: string): string {
  if (!/\d{4}-\d{2}-\d{2}/.test(reason)) return reason;
  const head = reason.replace(/[（(][^）)]*\d{4}-\d{2}-\d{2}[^）)]*[）)]/g, "").trim();
  if (head === "休止中") return "休止中（再開日あり）";
  return head || reason;
}

/** A reason with its dates as YYYY/MM/DD. */
export function fmtReason(reason: string): string {
  return reason.replace(/(\d{4})-(\d{2})-(\d{2})/g, "$1/$2/$3");
}

export interface ReasonGroup {
  reason: string;
  count: number;
  /** True for the bulletin's exclusions (会報誌: …), false for deliveries. */
  bulletin: boolean;
}

/** The skipped deliveries counted by reason group: deliveries first, then the bulletin; larger groups first. */
export function groupSkipped(skipped: readonly SkippedDelivery[]): ReasonGroup[] {
  const counts = new Map<string, number>();
  for (const s of skipped) {
    const g = reasonGroup(s.reason);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return [...counts]
    .map(([reason, count]) => ({ reason, count, bulletin: isBulletinReason(reason) }))
    .sort((a, b) => Number(a.bulletin) - Number(b.bulletin) || b.count - a.count || a.reason.localeCompare(b.reason, "ja"));
}

export function isBulletinReason(reason: string): boolean {
  return reason.startsWith("会報誌");
}

/** Courses by their number of orders, largest first, with each one's share of the largest (0–100) and of the whole. */
export function courseBars(byCourse: Record<string, number>): { course: string; count: number; width: number; share: number }[] {
  const rows = Object.entries(byCourse).filter(([, n]) => n > 0);
  const max = Math.max(0, ...rows.map(([, n]) => n));
  const sum = rows.reduce((a, [, n]) => a + n, 0);
  return rows
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "ja"))
    .map(([course, count]) => ({
      course,
      count,
      width: max > 0 ? Math.max(1, Math.round((count / max) * 1000) / 10) : 0,
      share: sum > 0 ? Math.round((count / sum) * 1000) / 10 : 0,
    }));
}

/** The progress bar's label and percentage (null: not known yet, the bar runs without a number). */
export function progressView(p: MonthProgress | null): { label: string; percent: number | null } {
  if (!p) return { label: "準備しています…", percent: null };
  const label = p.phase === "writing" ? "受注と会報誌を書き込んでいます" : "定期契約を確認しています";
  if (p.total <= 0) return { label, percent: null };
  const part = Math.max(0, Math.min(1, p.done / p.total));
  // Checking is the first fifth of the work, writing the rest.
  const percent = p.phase === "writing" ? 20 + part * 80 : part * 20;
  return { label, percent: Math.round(percent) };
}

/** The first and last order number of a run (`J0001201`〜`J0003012`), or "" when none was made. */
export function numberRange(numbers: readonly (string | null)[]): string {
  const made = numbers.filter((n): n is string => !!n).sort();
  if (made.length === 0) return "";
  return made.length === 1 ? made[0] : `${made[0]}〜${made[made.length - 1]}`;
}
