//! Pure helpers of the 入金 screen: labels of the core's enums, the statement lines grouped into the
//! sections staff work through, the picks made on the suggestions turned into the core's
//! `DepositConfirmation`s, the bank-CSV column mapping, and the payment search form. Money is
//! never computed here beyond sums for display. Tested in money.test.ts.
import type { BankImportInfo } from "../../bindings/BankImportInfo";
import type { BankLine } from "../../bindings/BankLine";
import type { Candidate } from "../../bindings/Candidate";
import type { CsvMapping } from "../../bindings/CsvMapping";
import type { DepositConfirmation } from "../../bindings/DepositConfirmation";
import type { FieldError } from "../../bindings/FieldError";
import type { Fit } from "../../bindings/Fit";
import type { Found } from "../../bindings/Found";
import type { LineState } from "../../bindings/LineState";
import type { OpenInvoice } from "../../bindings/OpenInvoice";
import type { PaymentFilter } from "../../bindings/PaymentFilter";
import type { PaymentMethod } from "../../bindings/PaymentMethod";
import { fmtDate } from "../format";
import { pastDate } from "../invoices/invoices";
import { fmtYen } from "../products/products";

export const LINE_STATE_LABEL: Record<LineState, string> = {
  matched: "消込済",
  suggested: "要確認",
  unmatched: "未照合",
  withdrawal: "出金",
  duplicate: "取込済み",
  cancelled: "取消",
};

/** How the member was found, as a short tag beside a candidate. */
export const FOUND_LABEL: Record<Found, string> = {
  code: "会員番号",
  learned: "以前に確認した名義",
  kana: "フリガナ一致",
  staff: "担当者が選択",
};

/** How the amount fits, as a short tag beside a candidate. */
export const FIT_LABEL: Record<Fit, string> = {
  exact: "金額一致",
  fee: "手数料差引",
  over: "多い入金（前受金）",
  partial: "一部入金",
};

export const FORMAT_LABEL: Record<string, string> = {
  zengin01: "全銀 振込入金通知",
  zengin03: "全銀 入出金取引明細",
  csv: "銀行のCSV明細",
};

export const formatLabel = (format: string): string => FORMAT_LABEL[format] ?? format;

/** Where a line is in a list of lines of several imports (the 未処理 view): import and line. */
export const lineKey = (l: Pick<BankLine, "import" | "line">): string => `${l.import ?? 0}:${l.line}`;

export interface Sections {
  /** Booked by the rules (can be taken back). */
  auto: BankLine[];
  /** Booked by staff. */
  confirmed: BankLine[];
  /** Waiting for staff to pick a candidate. */
  suggested: BankLine[];
  /** Nobody found: staff search the member. */
  unmatched: BankLine[];
  /** Withdrawals, deposits imported before, cancelled transfers: listed, never booked. */
  other: BankLine[];
}

/** The lines in the screen's sections, each in the file's order. */
export function sectionLines(lines: readonly BankLine[]): Sections {
  const s: Sections = { auto: [], confirmed: [], suggested: [], unmatched: [], other: [] };
  for (const l of lines) {
    if (l.state === "matched") (l.auto ? s.auto : s.confirmed).push(l);
    else if (l.state === "suggested" && l.deposit) s.suggested.push(l);
    else if (l.state === "unmatched" && l.deposit) s.unmatched.push(l);
    else s.other.push(l);
  }
  return s;
}

export interface LineSummary {
  /** New deposits of the file (not imported before, not cancelled) and their sum. */
  deposits: number;
  amount: number;
  auto: number;
  autoAmount: number;
  confirmed: number;
  suggested: number;
  unmatched: number;
  waitingAmount: number;
  withdrawals: number;
  duplicates: number;
  cancelled: number;
}

/** The counts of the summary bar (display sums only). */
export function lineSummary(lines: readonly BankLine[]): LineSummary {
  const s: LineSummary = { deposits: 0, amount: 0, auto: 0, autoAmount: 0, confirmed: 0, suggested: 0, unmatched: 0, waitingAmount: 0, withdrawals: 0, duplicates: 0, cancelled: 0 };
  for (const l of lines) {
    if (!l.deposit) {
      s.withdrawals++;
      continue;
    }
    if (l.state === "duplicate") {
      s.duplicates++;
      continue;
    }
    if (l.state === "cancelled") {
      s.cancelled++;
      continue;
    }
    s.deposits++;
    s.amount += l.amount;
    if (l.state === "matched" && l.auto) {
      s.auto++;
      s.autoAmount += l.amount;
    } else if (l.state === "matched") s.confirmed++;
    else if (l.state === "suggested") {
      s.suggested++;
      s.waitingAmount += l.amount;
    } else if (l.state === "unmatched") {
      s.unmatched++;
      s.waitingAmount += l.amount;
    }
  }
  return s;
}

/** The candidate preselected for a suggestion: the only one; with several, staff must pick. */
export function defaultPick(l: Pick<BankLine, "state" | "candidates">): number | null {
  return l.state === "suggested" && l.candidates.length === 1 ? 0 : null;
}

/** Picks for the suggestions among `lines`: an earlier pick is kept while its candidate is still there. */
export function initialPicks(lines: readonly BankLine[], previous: Record<string, number | null> = {}): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const l of lines) {
    if (l.state !== "suggested") continue;
    const k = lineKey(l);
    const before = previous[k];
    out[k] = before !== undefined && before !== null && before < l.candidates.length ? before : defaultPick(l);
  }
  return out;
}

/** One deposit booked for a candidate: that member and that candidate's invoices. */
export function confirmationFor(l: BankLine, c: Pick<Candidate, "member" | "invoices">, staff: string): DepositConfirmation {
  return { import: l.import ?? 0, line: l.line, member: c.member, invoices: [...c.invoices], staff };
}

/** Every suggestion with a pick, as the core's confirmations (in the lines' order). */
export function pickedConfirmations(lines: readonly BankLine[], picks: Record<string, number | null>, staff: string): DepositConfirmation[] {
  const out: DepositConfirmation[] = [];
  for (const l of lines) {
    if (l.state !== "suggested") continue;
    const p = picks[lineKey(l)];
    const c = p === null || p === undefined ? undefined : l.candidates[p];
    if (c) out.push(confirmationFor(l, c, staff));
  }
  return out;
}

/**
 * Invoices named by more than one of the confirmations (two deposits for one invoice: the core
 * would refuse the second, and with it the whole batch): invoice → the line keys naming it.
 */
export function sharedInvoices(list: readonly DepositConfirmation[]): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const c of list) {
    for (const inv of c.invoices) {
      const keys = by.get(inv) ?? [];
      keys.push(lineKey(c));
      by.set(inv, keys);
    }
  }
  for (const [inv, keys] of [...by]) if (keys.length < 2) by.delete(inv);
  return by;
}

/** What a candidate books, in words: `I0002001 ¥3,980・I0002002 ¥1,200`. */
export function invoicesText(c: Pick<Candidate, "invoices" | "amounts">): string {
  return c.invoices.map((n, i) => (c.amounts[i] === undefined ? n : `${n} ${fmtYen(c.amounts[i])}`)).join("・");
}

/** The extras of a candidate: the transfer fee the shop bears and the credit kept. */
export function extrasText(c: Pick<Candidate, "fee" | "credit">): string {
  const parts: string[] = [];
  if (c.fee > 0) parts.push(`振込手数料 ${fmtYen(c.fee)} は当店負担`);
  if (c.credit > 0) parts.push(`${fmtYen(c.credit)} は前受金`);
  return parts.join("・");
}

/** `2026/11/01〜2026/11/20` of an import, or ``. */
export function importPeriod(i: Pick<BankImportInfo, "period_from" | "period_to">): string {
  if (!i.period_from && !i.period_to) return "";
  if (i.period_from === i.period_to) return fmtDate(i.period_from);
  return `${fmtDate(i.period_from)}〜${fmtDate(i.period_to)}`;
}

/** Open invoices oldest first (issue date, then number), as the core settles them by default. */
export function oldestFirst(list: readonly OpenInvoice[]): OpenInvoice[] {
  return [...list].sort((a, b) => (a.issued_on < b.issued_on ? -1 : a.issued_on > b.issued_on ? 1 : a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
}

/** The chosen invoices in the list's order (the order the core settles them in). */
export function chosenInvoices(list: readonly OpenInvoice[], chosen: Record<string, boolean>): string[] {
  return list.filter((i) => chosen[i.number]).map((i) => i.number);
}

/** Sum of the balances of the chosen invoices, or of all when none is chosen (display only). */
export function balanceOf(list: readonly OpenInvoice[], chosen: readonly string[]): number {
  const set = new Set(chosen);
  return list.filter((i) => set.size === 0 || set.has(i.number)).reduce((s, i) => s + i.balance, 0);
}

/** Deposit minus what the invoices ask, for the hint under the invoice choice (display only). */
export function differenceText(amount: number, balance: number, fees: readonly number[] = []): string {
  if (balance === 0) return `未払いの請求はありません（${fmtYen(amount)} は前受金になります）`;
  const d = amount - balance;
  if (d === 0) return `入金と請求 ${fmtYen(balance)} が一致します`;
  if (d > 0) return `請求 ${fmtYen(balance)} より ${fmtYen(d)} 多い入金です（差額は前受金）`;
  if (fees.includes(-d)) return `請求 ${fmtYen(balance)} から振込手数料 ${fmtYen(-d)} を差し引いた入金です（手数料は当店負担）`;
  return `請求 ${fmtYen(balance)} より ${fmtYen(-d)} 少ない入金です（古い請求から充当し、残りは未払いのまま）`;
}

// ---- the bank CSV's columns ----

export const MAPPING_ROLES: { key: keyof CsvMapping; label: string; required: boolean }[] = [
  { key: "date", label: "日付", required: true },
  { key: "description", label: "摘要（振込依頼人）", required: false },
  { key: "deposit", label: "入金額", required: true },
  { key: "withdrawal", label: "出金額", required: true },
  { key: "balance", label: "残高", required: false },
];

/** A first guess of the mapping from header words (staff confirm each column). */
export function guessMapping(headers: readonly string[]): CsvMapping {
  const used = new Set<string>();
  const find = (re: RegExp, avoid?: RegExp) => {
    const h = headers.find((x) => !used.has(x) && re.test(x) && !(avoid && avoid.test(x)));
    if (h) used.add(h);
    return h ?? "";
  };
  const balance = find(/残高|現在高/);
  const date = find(/日付|年月日|取扱日|取引日|日$/);
  const deposit = find(/入金|預入|預り|受取|入$/);
  const withdrawal = find(/出金|引出|支払|引落|出$/);
  const description = find(/摘要|依頼人|お振込人|名義/, /金額/) || find(/内容|区分/, /金額/);
  return { date, description, deposit, withdrawal, balance };
}

/** Field errors of a mapping: the required columns, and a column used for two roles. */
export function mappingProblems(m: CsvMapping): FieldError[] {
  const out: FieldError[] = [];
  for (const r of MAPPING_ROLES) if (r.required && !m[r.key].trim()) out.push({ field: r.key, message: `${r.label}の列を選んでください` });
  const seen = new Map<string, string>();
  for (const r of MAPPING_ROLES) {
    const h = m[r.key].trim();
    if (!h) continue;
    const other = seen.get(h);
    if (other && !out.some((e) => e.field === r.key)) out.push({ field: r.key, message: `「${h}」は${other}の列に選ばれています` });
    else seen.set(h, r.label);
  }
  return out;
}

// ---- 入金一覧 ----

export interface PaymentForm {
  member: string;
  from: string;
  to: string;
  method: PaymentMethod | "";
  includeVoid: boolean;
}

export const emptyPaymentForm = (member = ""): PaymentForm => ({ member, from: "", to: "", method: "", includeVoid: false });

/** How many payments a search shows at most (newest first). */
export const PAYMENT_LIMIT = 500;

/** The form as the core's filter; dates that cannot be read come back as field errors. */
export function toPaymentFilter(f: PaymentForm, today: string): { filter: PaymentFilter; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const date = (name: "from" | "to", text: string): string | null => {
    if (!text.trim()) return null;
    const d = pastDate(text, today);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) {
      errors.push({ field: name, message: "日付は 2026-11-01 や 11/1 の形で入力してください" });
      return null;
    }
    return d;
  };
  const filter: PaymentFilter = {
    member: f.member.normalize("NFKC").trim(),
    from: date("from", f.from),
    to: date("to", f.to),
    method: f.method || null,
    include_void: f.includeVoid,
    limit: PAYMENT_LIMIT,
  };
  if (filter.from && filter.to && filter.from > filter.to) errors.push({ field: "to", message: "終わりの日付が始まりより前です" });
  return { filter, errors };
}

/** A typed payment date: empty (today, the core's default), a full date, or `11/20` (the latest such day). */
export function paymentDate(text: string, today: string): { value: string; error: string | null } {
  if (!text.trim()) return { value: "", error: null };
  const d = pastDate(text, today);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) {
    return { value: text.trim(), error: "入金日は 2026-11-20 や 11/20 の形で入力してください" };
  }
  return { value: d, error: null };
}
