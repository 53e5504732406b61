//! Pure helpers of the データ取込 wizard: labels of the kinds, Excel column letters, moving a field
//! between columns, the issues table, the progress bar. Unit-tested in importing.test.ts.
import type { ImportIssue } from "../../bindings/ImportIssue";
import type { ImportKind } from "../../bindings/ImportKind";
import type { ImportProgress } from "../../bindings/ImportProgress";

export interface KindInfo {
  kind: ImportKind;
  label: string;
  what: string;
}

/** The kinds in the order a shop usually brings them in (会員 and 商品 first: the rest refer to them). */
export const KINDS: readonly KindInfo[] = [
  { kind: "members", label: "会員", what: "顧客台帳（会員番号・氏名・住所・電話・カルテ）" },
  { kind: "products", label: "商品", what: "商品コード・商品名・単価・税率" },
  { kind: "subscriptions", label: "定期購入", what: "続いている定期（会員番号・お届け周期・次回お届け日）" },
  { kind: "orders", label: "受注履歴", what: "これまでの注文（受注番号・受注日・会員番号・明細）" },
  { kind: "payments", label: "入金履歴", what: "これまでの入金（会員番号・入金日・入金額）" },
  { kind: "receivables", label: "未収の請求", what: "まだ入金されていない請求（請求番号・請求額・支払期限）" },
];

export function kindLabel(kind: ImportKind): string {
  return KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

/** 0 → A, 25 → Z, 26 → AA: the column letters Excel shows above the file's columns. */
export function columnLetter(index: number): string {
  let n = Math.max(0, Math.trunc(index));
  let out = "";
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

/**
 * The mapping after the user chose `field` (or null: 取り込まない) for column `column`. A field
 * belongs to one column only, so a column that had it before is set to 取り込まない (the core would
 * refuse a field on two columns).
 */
export function assignField(mapping: readonly (string | null)[], column: number, field: string | null): (string | null)[] {
  return mapping.map((f, i) => (i === column ? field : field !== null && f === field ? null : f));
}

export interface IssueRow extends ImportIssue {
  level: "error" | "warning";
}

/** Errors and warnings in one list by row number (errors first within a row). */
export function mergeIssues(errors: readonly ImportIssue[], warnings: readonly ImportIssue[]): IssueRow[] {
  const rows: IssueRow[] = [
    ...errors.map((e) => ({ ...e, level: "error" as const })),
    ...warnings.map((w) => ({ ...w, level: "warning" as const })),
  ];
  return rows.sort((a, b) => a.line - b.line || (a.level === b.level ? 0 : a.level === "error" ? -1 : 1));
}

/** The row numbers that have at least one error. */
export function errorLines(errors: readonly ImportIssue[]): Set<number> {
  return new Set(errors.map((e) => e.line));
}

/** What the progress bar says: the phase in Japanese and the share done (0-100; null when unknown). */
export function progressView(p: ImportProgress | null): { label: string; percent: number | null } {
  if (!p) return { label: "準備しています…", percent: null };
  const label = p.phase === "write" ? "書き込んでいます" : "行を確認しています";
  if (p.total <= 0) return { label, percent: null };
  return { label, percent: Math.max(0, Math.min(100, Math.round((p.done / p.total) * 100))) };
}

/** A file name for the rejected rows next to the original: `会員.csv` → `会員_エラー行.csv`. */
export function rejectedFileName(fileName: string): string {
  const m = /^(.*?)(\.[^.]*)?$/.exec(fileName);
  const stem = m?.[1] || "取込";
  return `${stem}_エラー行.csv`;
}

/** The file name offered when saving a mapping: `取込の対応づけ_会員.json`. */
export function mappingFileName(kind: ImportKind): string {
  return `取込の対応づけ_${kindLabel(kind)}.json`;
}

/** One big number of the preview or the summary. */
export interface Count {
  label: string;
  value: number;
  unit: string;
  note?: string;
  tone?: "ok" | "error" | "warn" | "plain";
  testid: string;
}
