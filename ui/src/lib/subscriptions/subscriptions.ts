//! Pure helpers of the 定期契約 screens: labels for the core's enum values, dates with the weekday,
//! typed dates, reasons (a list plus その他), the list filter and its counts. Unit-tested in
//! subscriptions.test.ts.
import type { EventKind } from "../../bindings/EventKind";
import type { PaymentMethod } from "../../bindings/PaymentMethod";
import type { Subscription } from "../../bindings/Subscription";
import type { SubscriptionStatus } from "../../bindings/SubscriptionStatus";

export const SUB_STATUS_LABEL: Record<SubscriptionStatus, string> = { active: "継続中", paused: "休止中", stopped: "解約" };

export const EVENT_LABEL: Record<EventKind, string> = {
  started: "申込",
  skip: "スキップ",
  skip_cancelled: "スキップ取消",
  switch: "コース変更",
  pause: "休止",
  resume: "再開",
  stop: "解約",
  restart: "再契約",
  changed: "変更",
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

/** What a subscription may be paid by (the core refuses the others). */
export const SUB_PAYMENTS: PaymentMethod[] = ["bank_transfer", "direct_debit", "cod", "card"];

/** 配達時間帯 as Yamato's codes and as staff say them (the core's TIME_SLOTS). */
export const TIME_SLOTS: [code: string, label: string][] = [
  ["", "指定なし"],
  ["0812", "午前中"],
  ["1416", "14〜16時"],
  ["1618", "16〜18時"],
  ["1820", "18〜20時"],
  ["1921", "19〜21時"],
];

/** 申込経路 of a subscription (not the order screen's CHANNELS): only suggestions, any text goes; empty = unknown. */
export const SUB_CHANNELS = ["電話", "Web", "はがき", "FAX", "紹介", "広告・チラシ", "その他"];

export function timeSlotLabel(code: string): string {
  return TIME_SLOTS.find((t) => t[0] === code)?.[1] ?? "指定なし";
}

const WEEKDAYS = ["日", "月", "火", "水", "木", "金", "土"];

function parts(iso: string | null | undefined): [number, number, number] | null {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** The weekday of a YYYY-MM-DD date as 月…日 (calendar arithmetic, no time zone). */
export function weekdayOf(iso: string): string {
  const p = parts(iso);
  if (!p) return "";
  return WEEKDAYS[new Date(Date.UTC(p[0], p[1] - 1, p[2])).getUTCDay()];
}

/** `2026-12-10` → `2026年12月10日(木)`; empty → ``. */
export function fmtDateLong(iso: string | null | undefined): string {
  const p = parts(iso);
  if (!p) return iso ?? "";
  return `${p[0]}年${p[1]}月${p[2]}日(${weekdayOf(iso as string)})`;
}

/** `2026-12-10` → `12/10(木)` in `today`'s year, `2027/1/10(日)` in another; empty → ``. */
export function fmtDay(iso: string | null | undefined, today: string): string {
  const p = parts(iso);
  if (!p) return iso ?? "";
  const w = weekdayOf(iso as string);
  const sameYear = today.slice(0, 4) === String(p[0]);
  return sameYear ? `${p[1]}/${p[2]}(${w})` : `${p[0]}/${p[1]}/${p[2]}(${w})`;
}

function iso(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * A date typed in a dialog, completed for the core: `12/10`, `12月10日` or `1210` mean the next such
 * day from `today` (this year or the next); full dates (`2026/12/10`, `2026年12月10日`,
 * `20261210`) become YYYY-MM-DD. Anything else is passed on as typed, so the core's message
 * says what is wrong. Empty → ``.
 */
export function typedDate(text: string, today: string): string {
  const t = text.normalize("NFKC").replace(/\s+/g, "");
  if (!t) return "";
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3])) ?? text.trim();
  m = /^(\d{1,2})[/.月](\d{1,2})日?$/.exec(t) ?? /^(\d{2})(\d{2})$/.exec(t);
  if (m) {
    const y = Number(today.slice(0, 4));
    const here = iso(y, Number(m[1]), Number(m[2]));
    if (here && here >= today) return here;
    return iso(y + 1, Number(m[1]), Number(m[2])) ?? text.trim();
  }
  return text.trim();
}

/** The choice in a reason list that asks for free text. */
export const OTHER = "その他";

/** The reasons a select offers: the shop's list, always ending with その他. */
export function reasonChoices(list: readonly string[] | undefined): string[] {
  const out = (list ?? []).filter((r) => r.trim() && r !== OTHER);
  return [...out, OTHER];
}

/** The reason sent to the core: the choice, or `その他（text）` for その他 with text. */
export function reasonText(choice: string, other: string): string {
  const extra = other.trim();
  if (choice !== OTHER) return choice;
  return extra ? `${OTHER}（${extra}）` : OTHER;
}

/** Text folded for matching: NFKC, lower case, hiragana as katakana, no spaces. */
export function foldText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))
    .replace(/\s+/g, "");
}

export interface SubFilter {
  text: string;
  status: SubscriptionStatus | null;
  course: string;
}

/** Search keys of each subscription (member code and name, course), folded once per load. */
export function searchKeys(subs: readonly Subscription[]): string[] {
  return subs.map((s) => foldText(`${s.member}\n${s.member_name}\n${s.member_kana}\n${s.course ?? ""}\n${s.course_name}`));
}

/**
 * The rows the list shows and the counts for the status tabs (of the rows matching the text and
 * the course, whatever their status). `keys` are `searchKeys(subs)`. `keep`: ids shown whatever
 * their status (a row just stopped stays where it was until the filter changes).
 */
export function filterSubs(
  subs: readonly Subscription[],
  keys: readonly string[],
  f: SubFilter,
  keep?: ReadonlySet<number>,
): { rows: Subscription[]; counts: Record<SubscriptionStatus | "all", number> } {
  const words = f.text.normalize("NFKC").split(/\s+/).map(foldText).filter(Boolean);
  const counts = { all: 0, active: 0, paused: 0, stopped: 0 };
  const rows: Subscription[] = [];
  for (let i = 0; i < subs.length; i++) {
    const s = subs[i];
    if (f.course && s.course !== f.course) continue;
    if (words.length && !words.every((w) => keys[i].includes(w))) continue;
    counts.all++;
    counts[s.status]++;
    if (!f.status || s.status === f.status || keep?.has(s.id)) rows.push(s);
  }
  return { rows, counts };
}

/** A delivery count as staff say it: `3回`. */
export function fmtTimes(n: number): string {
  return `${n}回`;
}

/** ISO dates inside a text the core wrote (`初回 2026-12-05`) as `12/5(土)`. */
export function prettyDates(text: string, today: string): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (d) => fmtDay(d, today));
}

/** 「毎月 15日」「2ヶ月ごと 月末」: a subscription's rhythm with its own day of the month. */
export function subRhythm(s: Pick<Subscription, "interval_label" | "interval_unit" | "anchor_day">): string {
  if (s.interval_unit !== "month" || s.anchor_day === null) return s.interval_label;
  return `${s.interval_label} ${s.anchor_day >= 31 ? "月末" : `${s.anchor_day}日`}`;
}

export type ActionKind = "skip" | "switch" | "pause" | "resume" | "stop" | "restart" | "change";

/** The actions of the detail panel, in toolbar order, with their key and what they are called. */
export const ACTIONS: { kind: ActionKind; label: string; key: string }[] = [
  { kind: "skip", label: "スキップ", key: "S" },
  { kind: "switch", label: "コース変更", key: "W" },
  { kind: "pause", label: "休止", key: "P" },
  { kind: "resume", label: "再開", key: "R" },
  { kind: "restart", label: "再契約", key: "R" },
  { kind: "change", label: "変更", key: "E" },
  { kind: "stop", label: "解約", key: "X" },
];

/** Whether an action applies to a subscription in this status (the core refuses the others). */
export function actionAllowed(kind: ActionKind, status: SubscriptionStatus): boolean {
  switch (kind) {
    case "skip":
    case "switch":
    case "stop":
      return status !== "stopped";
    case "pause":
      return status === "active";
    case "resume":
      return status === "paused";
    case "restart":
      return status === "stopped";
    case "change":
      return true;
  }
}

/** The action a key opens for a subscription in this status (R is 再開 or 再契約), or null. */
export function actionForKey(key: string, status: SubscriptionStatus): ActionKind | null {
  const k = key.toUpperCase();
  const hit = ACTIONS.find((a) => a.key === k && actionAllowed(a.kind, status));
  return hit ? hit.kind : null;
}
