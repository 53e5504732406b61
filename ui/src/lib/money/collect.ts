//! Pure helpers of 口座振替 (DebitTab), 督促 (DunningTab) and the member page's money card: the
//! default debit month, the request file's name, labels for the core's codes, days past a due date,
//! the checked members of the overdue list. Display only: every amount comes from the core.
//! Unit-tested in collect.test.ts.
import type { DebitItem } from "../../bindings/DebitItem";
import type { DebitRequest } from "../../bindings/DebitRequest";
import type { NextStep } from "../../bindings/NextStep";

/** The month whose debit staff work on: this month until its debit day, then the next one. */
export function defaultDebitMonth(today: string, debitDay: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(today);
  if (!m) return today.slice(0, 7);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const last = new Date(y, mo, 0).getDate();
  const day = Math.min(Math.max(1, Math.trunc(debitDay) || 27), last);
  if (d <= day) return `${m[1]}-${m[2]}`;
  const n = y * 12 + mo; // the next month, 0-based month index + 1
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;
}

/** `2026-12` → `kouza_furikae_202612.txt` (the name the save dialog offers). */
export function requestFileName(month: string): string {
  return `kouza_furikae_${month.replace(/[^0-9]/g, "")}.txt`;
}

/** 新規コード of a request record: 1 first debit from this account, 2 changed account. */
export function newCodeLabel(code: string): string {
  return code === "1" ? "新規" : code === "2" ? "変更" : "";
}

export const NEXT_STEP_LABEL: Record<NextStep, string> = { decide: "あとで決める", carry: "翌月に再振替", transfer: "振込に切替" };

/** What a failed debit's row says about the decision. */
export const NEXT_STEP_STATE: Record<NextStep, string> = { decide: "対応未定", carry: "翌月に再振替", transfer: "振込に切替済" };

/** The item's result: waiting (no result yet), collected, or failed with the bank's reason. */
export function debitOutcome(i: Pick<DebitItem, "result">): "waiting" | "collected" | "failed" {
  if (i.result === null) return "waiting";
  return i.result === "0" ? "collected" : "failed";
}

/** Collected share of a request's records in percent (one decimal), null before the result. */
export function collectionRate(r: Pick<DebitRequest, "result_at" | "records" | "collected">): number | null {
  if (!r.result_at || r.records <= 0) return null;
  return Math.round((r.collected / r.records) * 1000) / 10;
}

/** 1 → 1回目, 2 → 2回目, 3 → 最終. */
export function levelLabel(level: number): string {
  return level >= 3 ? "最終" : `${Math.max(1, level)}回目`;
}

/** The overdue-list filters (days past due). */
export const DAY_FILTERS = [
  { days: 0, label: "すべて" },
  { days: 30, label: "30日以上" },
  { days: 60, label: "60日以上" },
  { days: 90, label: "90日以上" },
] as const;

/** Whole days from `due` to `today` (both YYYY-MM-DD); negative before the due date. */
export function daysPast(due: string, today: string): number {
  const a = Date.UTC(Number(due.slice(0, 4)), Number(due.slice(5, 7)) - 1, Number(due.slice(8, 10)));
  const b = Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1, Number(today.slice(8, 10)));
  if (!Number.isFinite(a) || !Number.isFinite(b)) return 0;
  return Math.round((b - a) / 86400000);
}

/** The checked codes still on the list, in the list's order. */
export function checkedCodes(list: readonly { member: string }[], checked: Record<string, boolean>): string[] {
  return list.filter((m) => checked[m.member]).map((m) => m.member);
}

/** Ctrl+A: all on unless all are on already (then all off). */
export function toggleAllChecked(list: readonly { member: string }[], checked: Record<string, boolean>): Record<string, boolean> {
  const all = list.length > 0 && list.every((m) => checked[m.member]);
  return all ? {} : Object.fromEntries(list.map((m) => [m.member, true]));
}

/** How many of each reminder level the members would get: [1回目, 2回目, 最終]. */
export function levelCounts(list: readonly { next_level: number }[]): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  for (const m of list) out[Math.min(3, Math.max(1, m.next_level)) - 1]++;
  return out;
}

/** 預金種目 of a debit account (1 普通, 2 当座, 3 納税準備). */
export const DEPOSIT_KIND: Record<string, string> = { "1": "普通", "2": "当座", "3": "納税準備" };

/** The placeholders a reminder template may use, filled per member by the core. */
export const REMINDER_PLACEHOLDERS = ["氏名", "会員番号", "合計", "件数", "期限", "店名"] as const;

/** Puts `{name}` into `text` in place of the selection [start, end); returns the text and the caret. */
export function insertPlaceholder(text: string, start: number, end: number, name: string): { text: string; caret: number } {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  const token = `{${name}}`;
  return { text: text.slice(0, s) + token + text.slice(e), caret: s + token.length };
}

/**
 * A date typed as staff type it (`2026-11-20`, `2026/11/20`, `2026年11月20日`, `11/20` — the latest
 * such day up to today) as YYYY-MM-DD; empty → null; anything else → an error message.
 */
export function typedDate(text: string, today: string): { value: string | null; error: string | null } {
  const t = text.normalize("NFKC").replace(/\s+/g, "");
  if (!t) return { value: null, error: null };
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  let d: string | null = null;
  if (m) d = `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}`;
  else if ((m = /^(\d{1,2})[-/.月](\d{1,2})日?$/.exec(t))) {
    const md = `${m[1].padStart(2, "0")}-${m[2].padStart(2, "0")}`;
    const y = Number(today.slice(0, 4));
    d = `${md <= today.slice(5, 10) ? y : y - 1}-${md}`;
  }
  const ok = d !== null && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
  return ok ? { value: d, error: null } : { value: null, error: "日付は 2026-11-20 や 11/20 の形で入力してください" };
}
