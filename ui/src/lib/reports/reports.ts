//! Pure helpers of 集計 and the start screen's dashboard: the nine reports and their shortcuts, numbers
//! on a chart's axis and in its tooltip, the palette (told apart in greyscale print too), the
//! Chart.js configuration of the core's `Chart`, the shade of a heat cell, the colour of a figure's
//! change, the period a report shows when none is asked for, what a drilled cell is called, and the
//! toasts of the saved files. The numbers themselves are the core's. Tested in reports.test.ts.
import type { ChartConfiguration, ChartDataset, ScaleOptionsByType, TooltipItem } from "chart.js";
import type { Chart } from "../../bindings/Chart";
import type { CsvEncoding } from "../../bindings/CsvEncoding";
import type { Figure } from "../../bindings/Figure";
import type { MailingCsv } from "../../bindings/MailingCsv";
import type { ReportFilter } from "../../bindings/ReportFilter";
import type { ReportKind } from "../../bindings/ReportKind";
import type { Table } from "../../bindings/Table";
import type { Unit } from "../../bindings/Unit";
import { fmtNumber } from "../format";
import { shiftMonth } from "../month/month";

export interface ReportEntry {
  kind: ReportKind;
  /** The short name of the menu (the core's `title` is the long one). */
  label: string;
  key: string;
  /** What it answers, for the menu's tooltip. */
  hint: string;
}

/** The reports in the order of the menu; Ctrl+1…Ctrl+9 open them. */
export const REPORTS: readonly ReportEntry[] = [
  { kind: "members", label: "会員数の推移", key: "Ctrl+1", hint: "月末の会員数、新規と解約、更新の予定、退会理由" },
  { kind: "retention", label: "回数別継続率", key: "Ctrl+2", hint: "何回目のお届けまで続くか（コース別）、平均継続回数、F2転換率" },
  { kind: "cohorts", label: "コホート", key: "Ctrl+3", hint: "開始月ごとに、何か月後まで続いているか" },
  { kind: "3s", label: "3S", key: "Ctrl+4", hint: "スキップ・スイッチ・ストップの件数と理由" },
  { kind: "sales", label: "売上", key: "Ctrl+5", hint: "商品群別売上集計表、定期と都度、支払方法、税率別" },
  { kind: "forecast", label: "見込み", key: "Ctrl+6", hint: "次の月次処理からの売上・出荷の見込みと在庫" },
  { kind: "rfm", label: "RFM", key: "Ctrl+7", hint: "最終購入日（R）×購入回数（F）の人数と売上" },
  { kind: "cpm", label: "CPM", key: "Ctrl+8", hint: "顧客ポートフォリオ: 初回・よちよち・コツコツ・流行・優良 × 現役・離脱" },
  { kind: "receivables", label: "売掛金・回収", key: "Ctrl+9", hint: "経過日数別の未入金、口座振替の回収率、月別の入金" },
];

export function reportEntry(kind: ReportKind): ReportEntry {
  return REPORTS.find((r) => r.kind === kind) ?? REPORTS[0];
}

/** The filter sent to the core: empty months and 「すべてのコース」 as null. */
export function toFilter(from: string, to: string, course: number | null): ReportFilter {
  return { from: from.trim() || null, to: to.trim() || null, course };
}

/**
 * The months a report shows when none is asked for, as the core chooses them: a year up to the month
 * of `asOf` (two years for 継続率 and コホート). Null for 見込み, which starts at the next monthly run
 * (only the core knows which month that is).
 */
export function defaultPeriod(kind: ReportKind, asOf: string): { from: string; to: string } | null {
  const m = /^(\d{4})-(\d{2})/.exec(asOf);
  if (!m || kind === "forecast") return null;
  const to = `${m[1]}-${m[2]}`;
  const n = kind === "retention" || kind === "cohorts" ? 24 : 12;
  return { from: shiftMonth(to, -(n - 1)), to };
}

// ---- numbers ----

/** `x` with at most `digits` decimals, trailing zeros dropped: 1.50 → 1.5, 2.0 → 2. */
function trimmed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return digits > 0 ? s.replace(/\.?0+$/, "") : s;
}

/** One decimal with separators: 1234.56 → 1,234.6. */
function oneDecimal(x: number): string {
  const r = Math.round(x * 10) / 10;
  const [i, f] = Math.abs(r).toFixed(1).split(".");
  return `${r < 0 ? "-" : ""}${fmtNumber(Number(i))}.${f}`;
}

/** A big amount the way an axis says it: 1,234 / 1.2万 / 150万 / 1,235万 / 1.2億. */
function shortAmount(a: number): string {
  if (a >= 1e8) return `${trimmed(a / 1e8, a >= 1e10 ? 0 : 1)}億`;
  if (a >= 1e4) {
    const man = a / 1e4;
    return man >= 100 ? `${fmtNumber(Math.round(man))}万` : `${trimmed(man, 1)}万`;
  }
  return fmtNumber(Math.round(a));
}

/** A value on a chart's axis: ¥1.2万, 85%, 1,234, 1.5, 30日. */
export function fmtTick(v: number, unit: Unit): string {
  if (!Number.isFinite(v)) return "";
  const sign = v < 0 ? "-" : "";
  const a = Math.abs(v);
  switch (unit) {
    case "yen":
      return `${sign}¥${shortAmount(a)}`;
    case "percent":
      return `${trimmed(v, 1)}%`;
    case "count":
      return fmtNumber(Math.round(v));
    case "decimal":
      return trimmed(v, 1);
    case "days":
      return `${fmtNumber(Math.round(v))}日`;
    default:
      return String(v);
  }
}

/** A value in full (a chart's tooltip): ¥1,234,567, 85.3%, 1,234, 7.3, 30日. */
export function fmtValue(v: number, unit: Unit): string {
  if (!Number.isFinite(v)) return "—";
  switch (unit) {
    case "yen":
      return `${v < 0 ? "-" : ""}¥${fmtNumber(Math.round(Math.abs(v)))}`;
    case "percent":
      return `${v.toFixed(1)}%`;
    case "count":
      return fmtNumber(Math.round(v));
    case "decimal":
      return oneDecimal(v);
    case "days":
      return `${fmtNumber(Math.round(v))}日`;
    default:
      return String(v);
  }
}

// ---- colours ----

/**
 * The series colours: calm, and in an order of alternating lightness (greys 68, 183, 127, 213, 90,
 * 156, 55, 219 of 255), so neighbouring bars and stacked parts stay apart on a greyscale printer.
 */
export const PALETTE = ["#0b5d57", "#eab052", "#5b86b5", "#bfe0d9", "#74467e", "#a89a86", "#2b3a4a", "#f3d9a4"] as const;
/** Lines differ by dash and point shape as well as colour. */
export const DASHES: readonly number[][] = [[], [7, 4], [2, 3], [10, 4, 2, 4], [4, 4], [1, 2]];
export const POINTS = ["circle", "rect", "triangle", "rectRot", "crossRot", "star"] as const;

export const seriesColor = (i: number) => PALETTE[i % PALETTE.length];

/** Relative luminance (WCAG) of an sRGB colour given as 0–255 channels. */
export function luminance([r, g, b]: readonly number[]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: readonly number[], b: readonly number[]): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

const HEAT_LIGHT = [240, 246, 252];
const HEAT_DARK = [14, 66, 124];
const TEXT_DARK = [31, 36, 40];
const TEXT_LIGHT = [255, 255, 255];
const hex = (c: readonly number[]) => `#${c.map((x) => x.toString(16).padStart(2, "0")).join("")}`;

/**
 * The range a heat table's shades span: its lowest to its highest percentage, at least 30 points wide
 * (so a table of 96–100% is not painted as if it were 0–100), within 0–100.
 */
export function heatRange(values: readonly (number | null)[]): { min: number; max: number } {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (!xs.length) return { min: 0, max: 100 };
  const max = Math.min(100, Math.max(...xs));
  const min = Math.max(0, Math.min(Math.min(...xs), max - 30));
  return { min, max };
}

/**
 * The shade of a percentage cell in a heat table (the low end of `range` light, its high end dark
 * blue) and the text colour that reads best on it (dark, or white on the darker shades). Null for
 * an empty cell.
 */
export function heatColors(value: number | null, range: { min: number; max: number } = { min: 0, max: 100 }): { background: string; color: string } | null {
  if (value === null || !Number.isFinite(value)) return null;
  const span = range.max - range.min;
  const t = span > 0 ? Math.max(0, Math.min(1, (value - range.min) / span)) : 1;
  const bg = HEAT_LIGHT.map((f, i) => Math.round(f + (HEAT_DARK[i] - f) * t));
  const text = contrast(bg, TEXT_DARK) >= contrast(bg, TEXT_LIGHT) ? TEXT_DARK : TEXT_LIGHT;
  return { background: hex(bg), color: hex(text) };
}

export type Tone = "good" | "bad" | "flat" | "none";

/**
 * Whether a figure's change is good news (green), bad news (red) or none (grey): a rise is good when
 * `up_is_good`. A change smaller than the figure's shown precision counts as none. Without last
 * month's value there is nothing to colour.
 */
export function changeTone(f: Pick<Figure, "value" | "previous" | "up_is_good" | "unit">): Tone {
  if (f.previous === null || !Number.isFinite(f.previous)) return "none";
  const d = f.value - f.previous;
  const eps = f.unit === "percent" || f.unit === "decimal" ? 0.05 : 0.5;
  if (Math.abs(d) < eps) return "flat";
  return d > 0 === f.up_is_good ? "good" : "bad";
}

// ---- charts ----

/** The app's font, for the canvas (which cannot read CSS variables). */
export const CHART_FONT = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic UI", "Meiryo", sans-serif';

/** The height a chart is drawn at, in CSS pixels: bars across grow with their labels. */
export function chartHeight(c: Chart, compact = false): number {
  if (c.kind === "horizontal_bar") {
    const per = compact ? 18 : 26;
    const legend = c.series.length > 1 ? 28 : 0;
    return Math.max(compact ? 100 : 140, Math.min(compact ? 200 : 460, c.labels.length * per * Math.max(1, Math.min(2, c.series.length * 0.7)) + 44 + legend));
  }
  return compact ? 104 : 250;
}

type Kind = "bar" | "line";
export type ChartConfig = ChartConfiguration<Kind, number[], string>;

/**
 * The Chart.js configuration of one of the core's charts: no animation, drawn at twice the pixels
 * (crisp in print), axes in the chart's unit, the legend below (only with several series), the
 * tooltip in full. Copies the data, so Chart.js never touches the report.
 */
export function chartConfig(c: Chart, opts: { compact?: boolean } = {}): ChartConfig {
  const compact = !!opts.compact;
  const horizontal = c.kind === "horizontal_bar";
  const stacked = c.kind === "stacked_bar";
  const line = c.kind === "line";
  const size = compact ? 10 : 11.5;
  const datasets: ChartDataset<Kind, number[]>[] = c.series.map((s, i) => {
    const color = seriesColor(i);
    if (line) {
      return {
        type: "line", label: s.name, data: [...s.values], borderColor: color, backgroundColor: color, borderWidth: compact ? 1.6 : 2,
        borderDash: DASHES[i % DASHES.length], pointStyle: POINTS[i % POINTS.length], pointRadius: compact ? 2 : 3,
        pointHoverRadius: 5, tension: 0, spanGaps: true,
      };
    }
    return {
      type: "bar", label: s.name, data: [...s.values], backgroundColor: color, borderColor: "#ffffff",
      borderWidth: stacked || c.series.length > 1 ? 1 : 0, maxBarThickness: horizontal ? 22 : 38,
      categoryPercentage: 0.8, barPercentage: 0.92,
    };
  });
  const unit = c.unit;
  const valueAxis = {
    type: "linear",
    beginAtZero: true,
    stacked,
    grid: { color: "#e5e8ea" },
    border: { display: false },
    ticks: {
      font: { size },
      maxTicksLimit: compact ? 4 : 6,
      precision: unit === "count" || unit === "yen" || unit === "days" ? 0 : undefined,
      callback: (v: number | string) => fmtTick(Number(v), unit),
    },
  } as unknown as ScaleOptionsByType<"linear">;
  const categoryAxis = {
    type: "category",
    stacked,
    grid: { display: false },
    border: { color: "#c5cace" },
    ticks: { font: { size }, autoSkip: true, maxRotation: 0, autoSkipPadding: 6 },
  } as unknown as ScaleOptionsByType<"category">;
  const axis = horizontal ? "x" : "y";
  return {
    type: line ? "line" : "bar",
    data: { labels: [...c.labels], datasets },
    options: {
      animation: false,
      devicePixelRatio: 2,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? "y" : "x",
      interaction: { mode: "index", intersect: false, axis: horizontal ? "y" : "x" },
      layout: { padding: { top: 4, right: 8 } },
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      plugins: {
        legend: {
          display: c.series.length > 1,
          position: "bottom",
          labels: { usePointStyle: line, boxWidth: 12, boxHeight: line ? 8 : 12, padding: compact ? 8 : 14, font: { size } },
        },
        tooltip: {
          callbacks: {
            label: (ctx: TooltipItem<Kind>) => `${ctx.dataset.label ?? ""}: ${fmtValue(Number(ctx.parsed[axis]), unit)}`,
          },
        },
      },
    },
  };
}

// ---- drilling into a cell ----

/** What a drilled cell is called: its row's label and its column's (「優良・現役」). */
export function drillHeading(table: Pick<Table, "columns" | "rows">, row: number, col: number): string {
  const rowLabel = table.rows[row]?.cells[0]?.text.trim() ?? "";
  const colLabel = col > 0 ? table.columns[col]?.label.trim() ?? "" : "";
  return [rowLabel, colLabel].filter(Boolean).join("・");
}

// ---- saved files ----

/** The toast after a report's CSV is written (the core picks the encoding). */
export function csvSavedMessage(encoding: CsvEncoding): string {
  return encoding === "utf8_bom" ? "UTF-8（BOM付き）で保存しました（Shift_JISで書けない文字があるため）" : "Shift_JIS で保存しました";
}

/** The toast after a mailing list is written: how many, and how many the core left out. */
export function mailingSavedMessage(r: MailingCsv): string {
  let s = `${fmtNumber(r.written)}件を保存しました`;
  if (r.left_out > 0) s += `（退会・DM不要の${fmtNumber(r.left_out)}件を除きました）`;
  if (r.encoding === "utf8_bom") s += "\nShift_JISで書けない文字があるため、UTF-8（BOM付き）で保存しました";
  return s;
}
