import { describe, expect, it } from "vitest";
import type { Chart } from "../../bindings/Chart";
import type { Figure } from "../../bindings/Figure";
import {
  changeTone, chartConfig, chartHeight, contrast, csvSavedMessage, defaultPeriod, drillHeading, fmtTick, fmtValue, heatColors, heatRange,
  mailingSavedMessage, PALETTE, reportEntry, REPORTS, toFilter,
} from "./reports";

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const grey = (hex: string) => {
  const [r, g, b] = rgb(hex);
  return 0.299 * r + 0.587 * g + 0.114 * b;
};

describe("the reports", () => {
  it("lists the nine reports with Ctrl+1…Ctrl+9", () => {
    expect(REPORTS.map((r) => r.kind)).toEqual(["members", "retention", "cohorts", "3s", "sales", "forecast", "rfm", "cpm", "receivables"]);
    expect(REPORTS.map((r) => r.key)).toEqual(Array.from({ length: 9 }, (_, i) => `Ctrl+${i + 1}`));
    expect(REPORTS.map((r) => r.label)).toEqual(["会員数の推移", "回数別継続率", "コホート", "3S", "売上", "見込み", "RFM", "CPM", "売掛金・回収"]);
    expect(reportEntry("cpm").label).toBe("CPM");
  });

  it("sends empty months and every course as null", () => {
    expect(toFilter("", " ", null)).toEqual({ from: null, to: null, course: null });
    expect(toFilter("2025-12", "2026-11", 3)).toEqual({ from: "2025-12", to: "2026-11", course: 3 });
  });

  it("knows the period a report shows by default (but not the forecast's)", () => {
    expect(defaultPeriod("members", "2026-11-23")).toEqual({ from: "2025-12", to: "2026-11" });
    expect(defaultPeriod("cohorts", "2026-11-23")).toEqual({ from: "2024-12", to: "2026-11" });
    expect(defaultPeriod("retention", "2026-01-05")).toEqual({ from: "2024-02", to: "2026-01" });
    expect(defaultPeriod("forecast", "2026-11-23")).toBeNull();
    expect(defaultPeriod("sales", "")).toBeNull();
  });
});

describe("numbers", () => {
  it("writes axis ticks in the chart's unit", () => {
    expect(fmtTick(1234, "yen")).toBe("¥1,234");
    expect(fmtTick(12000, "yen")).toBe("¥1.2万");
    expect(fmtTick(150000, "yen")).toBe("¥15万");
    expect(fmtTick(1_500_000, "yen")).toBe("¥150万");
    expect(fmtTick(12_345_678, "yen")).toBe("¥1,235万");
    expect(fmtTick(120_000_000, "yen")).toBe("¥1.2億");
    expect(fmtTick(-50000, "yen")).toBe("-¥5万");
    expect(fmtTick(0, "yen")).toBe("¥0");
    expect(fmtTick(85, "percent")).toBe("85%");
    expect(fmtTick(12.5, "percent")).toBe("12.5%");
    expect(fmtTick(12345, "count")).toBe("12,345");
    expect(fmtTick(1.5, "decimal")).toBe("1.5");
    expect(fmtTick(30, "days")).toBe("30日");
    expect(fmtTick(NaN, "count")).toBe("");
  });

  it("writes values in full for the tooltip", () => {
    expect(fmtValue(1234567, "yen")).toBe("¥1,234,567");
    expect(fmtValue(-500, "yen")).toBe("-¥500");
    expect(fmtValue(85.25, "percent")).toBe("85.3%");
    expect(fmtValue(4812, "count")).toBe("4,812");
    expect(fmtValue(1234.56, "decimal")).toBe("1,234.6");
    expect(fmtValue(7, "decimal")).toBe("7.0");
    expect(fmtValue(45, "days")).toBe("45日");
  });
});

describe("colours", () => {
  it("keeps neighbouring series apart in greyscale", () => {
    for (let i = 1; i < PALETTE.length; i++) expect(Math.abs(grey(PALETTE[i]) - grey(PALETTE[i - 1]))).toBeGreaterThan(25);
    // Any two of the first five (a stacked bar's parts) differ by at least 15 of 255.
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) expect(Math.abs(grey(PALETTE[i]) - grey(PALETTE[j]))).toBeGreaterThan(15);
  });

  it("shades heat cells from light to dark, always readable", () => {
    expect(heatColors(null)).toBeNull();
    const low = heatColors(0)!;
    const high = heatColors(100)!;
    expect(grey(low.background)).toBeGreaterThan(grey(high.background) + 120);
    expect(low.color).toBe("#1f2428");
    expect(high.color).toBe("#ffffff");
    expect(heatColors(180)).toEqual(high);
    expect(heatColors(-5)).toEqual(low);
    for (let v = 0; v <= 100; v += 2.5) {
      const h = heatColors(v)!;
      expect(contrast(rgb(h.background), rgb(h.color))).toBeGreaterThan(3.8);
    }
    // Darker with the value.
    expect(grey(heatColors(40)!.background)).toBeGreaterThan(grey(heatColors(60)!.background));
  });

  it("spreads the shades over the table's own range, at least 30 points wide", () => {
    expect(heatRange([100, 78.5, null, 45.2])).toEqual({ min: 45.2, max: 100 });
    expect(heatRange([99, 97, 100])).toEqual({ min: 70, max: 100 });
    expect(heatRange([10, 20])).toEqual({ min: 0, max: 20 });
    expect(heatRange([null])).toEqual({ min: 0, max: 100 });
    const r = { min: 45, max: 100 };
    expect(heatColors(45, r)).toEqual(heatColors(0));
    expect(heatColors(100, r)).toEqual(heatColors(100));
    expect(heatColors(50, { min: 50, max: 50 })).toEqual(heatColors(100));
  });

  it("colours a change by whether it is good news", () => {
    const f = (value: number, previous: number | null, up_is_good = true, unit: Figure["unit"] = "count") => changeTone({ value, previous, up_is_good, unit });
    expect(f(120, 100)).toBe("good");
    expect(f(80, 100)).toBe("bad");
    expect(f(120, 100, false)).toBe("bad");
    expect(f(80, 100, false)).toBe("good");
    expect(f(100, 100)).toBe("flat");
    expect(f(100.2, 100)).toBe("flat");
    expect(f(78.42, 78.4, true, "percent")).toBe("flat");
    expect(f(78.5, 78.4, true, "percent")).toBe("good");
    expect(f(100, null)).toBe("none");
  });
});

describe("charts", () => {
  const model = (kind: Chart["kind"], series = 2, unit: Chart["unit"] = "yen"): Chart => ({
    kind, unit, labels: ["2026/10", "2026/11"],
    series: Array.from({ length: series }, (_, i) => ({ name: `系列${i + 1}`, values: [1000 * (i + 1), 2000 * (i + 1)] })),
  });

  it("draws crisp, still charts with the unit on the value axis", () => {
    const c = chartConfig(model("bar"));
    expect(c.type).toBe("bar");
    expect(c.options?.animation).toBe(false);
    expect(c.options?.devicePixelRatio).toBe(2);
    const y = c.options?.scales?.y as unknown as { ticks: { callback: (v: number) => string }; stacked: boolean };
    expect(y.ticks.callback(15000)).toBe("¥1.5万");
    expect(y.stacked).toBe(false);
    expect(c.options?.plugins?.legend?.display).toBe(true);
    expect(chartConfig(model("bar", 1)).options?.plugins?.legend?.display).toBe(false);
  });

  it("stacks stacked bars, lays bars across for rankings, and tells lines apart by dash and point", () => {
    const s = chartConfig(model("stacked_bar"));
    expect((s.options?.scales?.x as unknown as { stacked: boolean }).stacked).toBe(true);
    const h = chartConfig(model("horizontal_bar", 1, "count"));
    expect(h.options?.indexAxis).toBe("y");
    expect((h.options?.scales?.x as unknown as { ticks: { callback: (v: number) => string } }).ticks.callback(1200)).toBe("1,200");
    const l = chartConfig(model("line", 3, "percent"));
    expect(l.type).toBe("line");
    const ds = l.data.datasets as unknown as { borderDash: number[]; pointStyle: string; borderColor: string }[];
    expect(new Set(ds.map((d) => JSON.stringify(d.borderDash))).size).toBe(3);
    expect(new Set(ds.map((d) => d.pointStyle)).size).toBe(3);
    expect(new Set(ds.map((d) => d.borderColor)).size).toBe(3);
  });

  it("copies the data, so the report is never touched", () => {
    const m = model("bar");
    const c = chartConfig(m);
    expect(c.data.datasets[0].data).not.toBe(m.series[0].values);
    expect(c.data.labels).not.toBe(m.labels);
    expect(c.data.datasets[0].data).toEqual(m.series[0].values);
  });

  it("gives rankings room for their labels", () => {
    const many = { ...model("horizontal_bar", 1), labels: Array.from({ length: 12 }, (_, i) => `理由${i}`) };
    expect(chartHeight(many)).toBeGreaterThan(chartHeight({ ...many, labels: ["a", "b"] }));
    expect(chartHeight(model("bar"))).toBe(250);
    expect(chartHeight(model("bar"), true)).toBeLessThan(250);
  });
});

describe("drilling and files", () => {
  it("names a drilled cell by its row and column", () => {
    const t = {
      columns: [{ label: "顧客層", unit: "text" as const }, { label: "現役", unit: "count" as const }, { label: "離脱", unit: "count" as const }],
      rows: [{ cells: [{ text: "優良", value: null, drill: null }, { text: "612", value: 612, drill: "cpm:優良:active" }], total: false }],
    };
    expect(drillHeading(t, 0, 1)).toBe("優良・現役");
    expect(drillHeading(t, 0, 0)).toBe("優良");
    expect(drillHeading(t, 3, 1)).toBe("現役");
  });

  it("says which encoding a CSV got", () => {
    expect(csvSavedMessage("cp932")).toBe("Shift_JIS で保存しました");
    expect(csvSavedMessage("utf8_bom")).toBe("UTF-8（BOM付き）で保存しました（Shift_JISで書けない文字があるため）");
  });

  it("says how many addresses were written and left out", () => {
    expect(mailingSavedMessage({ written: 1234, left_out: 56, encoding: "cp932" })).toBe("1,234件を保存しました（退会・DM不要の56件を除きました）");
    expect(mailingSavedMessage({ written: 12, left_out: 0, encoding: "cp932" })).toBe("12件を保存しました");
    expect(mailingSavedMessage({ written: 3, left_out: 1, encoding: "utf8_bom" })).toContain("UTF-8（BOM付き）");
  });
});
