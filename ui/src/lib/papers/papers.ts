//! Pure helpers shared by 出荷, 請求 and 会報誌発送: labels of the core's enums, the PDF preview's
//! page math, the label sheet's start-position grid, template columns, the confirmation of
//! characters a file cannot hold, file names and bars. Unit-tested in papers.test.ts.
import type { CoolClass } from "../../bindings/CoolClass";
import type { DocKind } from "../../bindings/DocKind";
import type { InvoiceStatus } from "../../bindings/InvoiceStatus";
import type { LabelSheet } from "../../bindings/LabelSheet";
import type { OddChar } from "../../bindings/OddChar";
import type { Shipment } from "../../bindings/Shipment";
import type { ShipmentStatus } from "../../bindings/ShipmentStatus";
import type { SlipType } from "../../bindings/SlipType";
import type { TemplateColumn } from "../../bindings/TemplateColumn";
import { visibleRange, type Range } from "../virtual";

export const SHIPMENT_STATUS_LABEL: Record<ShipmentStatus, string> = {
  planned: "出荷予定",
  exported: "送り状出力済",
  shipped: "出荷済",
  cancelled: "取消",
};
export const SHIPMENT_STATUSES: ShipmentStatus[] = ["planned", "exported", "shipped", "cancelled"];

export const SLIP_TYPE_LABEL: Record<SlipType, string> = {
  hatsubarai: "発払い",
  collect: "コレクト",
  yu_mail: "ゆうメール",
  nekopos: "ネコポス",
  compact: "コンパクト",
  compact_collect: "コンパクトコレクト",
};

export const COOL_LABEL: Record<CoolClass, string> = { normal: "通常", chilled: "冷蔵", frozen: "冷凍" };

export const INVOICE_STATUS_LABEL: Record<InvoiceStatus, string> = {
  open: "未入金",
  partial: "一部入金",
  paid: "入金済",
  void: "取消",
};

export const DOC_KIND_LABEL: Record<DocKind, string> = { invoice: "請求書", delivery_slip: "納品書", receipt: "領収書" };

/** Counts per status of a list of parcels (and `all`). */
export function shipmentCounts(list: readonly Shipment[]): Record<ShipmentStatus | "all", number> {
  const c = { all: 0, planned: 0, exported: 0, shipped: 0, cancelled: 0 };
  for (const s of list) {
    c.all++;
    c[s.status]++;
  }
  return c;
}

export interface ExportBatch {
  id: number;
  count: number;
}

/** The carrier files the parcels were written in (newest first), for 再出力. */
export function exportBatches(list: readonly Shipment[]): ExportBatch[] {
  const m = new Map<number, number>();
  for (const s of list) if (s.export_id !== null && s.status !== "cancelled") m.set(s.export_id, (m.get(s.export_id) ?? 0) + 1);
  return [...m].map(([id, count]) => ({ id, count })).sort((a, b) => b.id - a.id);
}

// ---- PDF preview ----

/** The bytes of a base64 string (what `PdfDoc.base64` holds). */
export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Points (1/72 inch, the PDF's unit) → millimetres. */
export const ptToMm = (pt: number) => (pt * 25.4) / 72;

export type Zoom = number | "page" | "width";

/** The scale for a page of `page` points in a view of `view` CSS pixels (16 px margins): the whole
 *  page in view, the page's width, or the zoom asked for. */
export function pageScale(page: { w: number; h: number }, view: { w: number; h: number }, zoom: Zoom): number {
  if (typeof zoom === "number") return zoom;
  if (page.w <= 0 || page.h <= 0 || view.w <= 0) return 1;
  const width = (view.w - 32) / page.w;
  const whole = view.h > 0 ? Math.min(width, (view.h - 32) / page.h) : width;
  return Math.max(0.2, zoom === "width" ? width : whole);
}

/** The pages (0-based) worth rendering for a scroll position: the visible ones and one either side. */
export function visiblePages(scrollTop: number, viewport: number, pageHeight: number, gap: number, count: number): Range {
  return visibleRange(scrollTop, viewport, pageHeight + gap, count, 1);
}

/** The page (1-based) the reader is on: the one that covers the middle of the viewport. */
export function currentPage(scrollTop: number, viewport: number, pageHeight: number, gap: number, count: number): number {
  if (count <= 0 || pageHeight <= 0) return 0;
  const i = Math.floor((scrollTop + viewport / 2) / (pageHeight + gap));
  return Math.max(1, Math.min(count, i + 1));
}

// ---- Label sheets ----

/** How many labels a sheet holds. */
export const sheetSize = (s: Pick<LabelSheet, "columns" | "rows">) => Math.max(0, s.columns) * Math.max(0, s.rows);

/** The start positions of a sheet, row by row (1 = top left), as the small grid shows them. */
export function startGrid(s: Pick<LabelSheet, "columns" | "rows">): { position: number; row: number; column: number }[][] {
  const rows: { position: number; row: number; column: number }[][] = [];
  for (let r = 0; r < s.rows; r++) {
    const row = [];
    for (let c = 0; c < s.columns; c++) row.push({ position: r * s.columns + c + 1, row: r + 1, column: c + 1 });
    rows.push(row);
  }
  return rows;
}

/** The start position moved by an arrow key on the grid (stays on the sheet). */
export function moveStart(position: number, key: string, s: Pick<LabelSheet, "columns" | "rows">): number {
  const n = sheetSize(s);
  if (n === 0) return 1;
  const p = clampStart(position, s);
  const by = key === "ArrowLeft" ? -1 : key === "ArrowRight" ? 1 : key === "ArrowUp" ? -s.columns : key === "ArrowDown" ? s.columns : 0;
  const next = p + by;
  return next < 1 || next > n ? p : next;
}

/** A start position within the sheet (1…columns×rows). */
export function clampStart(position: number, s: Pick<LabelSheet, "columns" | "rows">): number {
  const n = sheetSize(s);
  if (!Number.isFinite(position) || n === 0) return 1;
  return Math.max(1, Math.min(n, Math.trunc(position)));
}

/** The sheets offered: the remembered one first (with its offsets), then the presets not named like it. */
export function sheetChoices(presets: readonly LabelSheet[], remembered: LabelSheet | null): LabelSheet[] {
  const out = remembered ? [remembered] : [];
  for (const p of presets) if (!out.some((s) => s.name === p.name)) out.push(p);
  return out;
}

/** Offsets typed in millimetres (full-width digits, a comma as decimal point) → a number, NaN when unreadable. */
export function parseMm(text: string): number {
  const t = text.normalize("NFKC").replace(/\s|mm$/gi, "").replace(",", ".").replace(/^[−ー]/, "-");
  if (!/^-?\d+(\.\d+)?$/.test(t)) return NaN;
  return Number(t);
}

// ---- Templates ----

/** A column writes the same text on every row when its field starts with `=`. */
export const isFixedColumn = (c: TemplateColumn) => c.field.startsWith("=");

/** A new column: the first field not used yet (or fixed text when all are). */
export function newColumn(columns: readonly TemplateColumn[], fields: readonly { key: string; label: string }[]): TemplateColumn {
  const used = new Set(columns.map((c) => c.field));
  const f = fields.find((x) => !used.has(x.key));
  return f ? { header: f.label, field: f.key } : { header: "", field: "=" };
}

/** A column switched between a field and fixed text (keeping what can be kept). */
export function toggleFixed(c: TemplateColumn, fields: readonly { key: string }[]): TemplateColumn {
  if (isFixedColumn(c)) return { header: c.header, field: fields[0]?.key ?? "" };
  return { header: c.header, field: "=" };
}

// ---- Characters a file cannot hold ----

/** The replacement each character starts with: one confirmed before, else the core's suggestion. */
export function initialAnswers(odd: readonly OddChar[], earlier: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of odd) out[o.ch] = earlier[o.ch] ?? o.suggestion;
  return out;
}

/** Characters still to confirm: not ticked, or ticked with an empty replacement. */
export function unconfirmed(odd: readonly OddChar[], answers: Record<string, string>, confirmed: Record<string, boolean>): string[] {
  return odd.filter((o) => !confirmed[o.ch] || !(answers[o.ch] ?? "").trim()).map((o) => o.ch);
}

/** The replacements to send: every confirmed character with its (trimmed) stand-in. */
export function replacementsOf(odd: readonly OddChar[], answers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of odd) {
    const r = (answers[o.ch] ?? "").trim();
    if (r) out[o.ch] = r;
  }
  return out;
}

// ---- Names and bars ----

/** `B2_2026-11-23.csv`: a default file name with the day or month it is for. */
export function datedName(prefix: string, date: string, ext: string): string {
  const safe = prefix.replace(/[\\/:*?"<>|\s]+/g, "_");
  return `${safe}_${date}.${ext}`;
}

/** Bars for counts in the order given: each one's width (0–100) relative to the largest. */
export function bars<T extends { count: number }>(items: readonly T[]): (T & { width: number })[] {
  const max = items.reduce((m, x) => Math.max(m, x.count), 0);
  return items.map((x) => ({ ...x, width: max > 0 ? Math.max(1, Math.round((x.count / max) * 1000) / 10) : 0 }));
}

