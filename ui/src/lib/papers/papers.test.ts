import { describe, expect, it } from "vitest";
import type { OddChar } from "../../bindings/OddChar";
import type { LabelSheet } from "../../bindings/LabelSheet";
import type { Shipment } from "../../bindings/Shipment";
import { moveItem } from "../settings/lists";
import {
  bars, base64ToBytes, clampStart, currentPage, datedName, exportBatches, initialAnswers, isFixedColumn, moveStart,
  newColumn, pageScale, parseMm, replacementsOf, sheetChoices, shipmentCounts, startGrid, toggleFixed, unconfirmed, visiblePages,
} from "./papers";

const sheet = (name: string, columns = 2, rows = 6, offset = 0): LabelSheet => ({
  name, columns, rows, label_width_mm: 86.4, label_height_mm: 42.3, margin_top_mm: 21.5, margin_left_mm: 18.6,
  gap_x_mm: 2.5, gap_y_mm: 0, offset_x_mm: offset, offset_y_mm: offset,
});

describe("start position grid", () => {
  it("numbers positions row by row from the top left", () => {
    const g = startGrid({ columns: 2, rows: 3 });
    expect(g.map((r) => r.map((c) => c.position))).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(g[2][1]).toEqual({ position: 6, row: 3, column: 2 });
  });
  it("moves with the arrows and stays on the sheet", () => {
    const s = { columns: 3, rows: 4 };
    expect(moveStart(1, "ArrowRight", s)).toBe(2);
    expect(moveStart(1, "ArrowLeft", s)).toBe(1);
    expect(moveStart(2, "ArrowDown", s)).toBe(5);
    expect(moveStart(11, "ArrowDown", s)).toBe(11);
    expect(moveStart(5, "ArrowUp", s)).toBe(2);
    expect(moveStart(12, "ArrowRight", s)).toBe(12);
  });
  it("clamps a start position to the sheet", () => {
    expect(clampStart(0, { columns: 2, rows: 6 })).toBe(1);
    expect(clampStart(13, { columns: 2, rows: 6 })).toBe(12);
    expect(clampStart(NaN, { columns: 2, rows: 6 })).toBe(1);
    expect(clampStart(4.7, { columns: 2, rows: 6 })).toBe(4);
  });
  it("offers the remembered sheet first, once", () => {
    const presets = [sheet("A4 12面"), sheet("A4 10面", 2, 5), sheet("A4 24面", 3, 8)];
    const remembered = sheet("A4 10面", 2, 5, 1.5);
    const out = sheetChoices(presets, remembered);
    expect(out.map((s) => s.name)).toEqual(["A4 10面", "A4 12面", "A4 24面"]);
    expect(out[0].offset_x_mm).toBe(1.5);
    expect(sheetChoices(presets, null)).toHaveLength(3);
  });
  it("reads offsets as typed", () => {
    expect(parseMm("1.5")).toBe(1.5);
    expect(parseMm("－２")).toBe(-2);
    expect(parseMm("0,5mm")).toBe(0.5);
    expect(parseMm("abc")).toBeNaN();
    expect(parseMm("")).toBeNaN();
  });
});

describe("template columns", () => {
  const fields = [{ key: "name", label: "氏名" }, { key: "postal_code", label: "郵便番号" }];
  it("reorders with the settings' moveItem", () => {
    const cols = [{ header: "A", field: "name" }, { header: "B", field: "postal_code" }, { header: "C", field: "=1" }];
    expect(moveItem(cols, 2, -1).map((c) => c.header)).toEqual(["A", "C", "B"]);
    expect(moveItem(cols, 0, -1).map((c) => c.header)).toEqual(["A", "B", "C"]);
  });
  it("adds the first unused field, then fixed text", () => {
    expect(newColumn([{ header: "氏名", field: "name" }], fields)).toEqual({ header: "郵便番号", field: "postal_code" });
    expect(newColumn([{ header: "", field: "name" }, { header: "", field: "postal_code" }], fields)).toEqual({ header: "", field: "=" });
  });
  it("switches between a field and fixed text", () => {
    const fixed = toggleFixed({ header: "品名", field: "name" }, fields);
    expect(isFixedColumn(fixed)).toBe(true);
    expect(toggleFixed(fixed, fields)).toEqual({ header: "品名", field: "name" });
  });
});

describe("odd characters", () => {
  const odd: OddChar[] = [
    { ch: "髙", code_point: "U+9AD9", suggestion: "高", count: 3, places: [] },
    { ch: "彅", code_point: "U+5F45", suggestion: "", count: 1, places: [] },
  ];
  it("starts from earlier answers, else the suggestion", () => {
    expect(initialAnswers(odd)).toEqual({ 髙: "高", 彅: "" });
    expect(initialAnswers(odd, { 彅: "薙" })).toEqual({ 髙: "高", 彅: "薙" });
  });
  it("needs every character ticked with a replacement", () => {
    const answers = { 髙: "高", 彅: "" };
    expect(unconfirmed(odd, answers, {})).toEqual(["髙", "彅"]);
    expect(unconfirmed(odd, answers, { 髙: true, 彅: true })).toEqual(["彅"]);
    expect(unconfirmed(odd, { ...answers, 彅: " 薙 " }, { 髙: true, 彅: true })).toEqual([]);
    expect(replacementsOf(odd, { 髙: "高", 彅: " 薙 " })).toEqual({ 髙: "高", 彅: "薙" });
  });
});

describe("preview pages", () => {
  it("fits the whole page or its width", () => {
    const a4 = { w: 595, h: 842 };
    expect(pageScale(a4, { w: 627, h: 2000 }, "width")).toBeCloseTo(1, 5);
    expect(pageScale(a4, { w: 1200, h: 874 }, "page")).toBeCloseTo(1, 5);
    expect(pageScale(a4, { w: 627, h: 2000 }, "page")).toBeCloseTo(1, 5);
    expect(pageScale(a4, { w: 627, h: 2000 }, 1.5)).toBe(1.5);
  });
  it("renders the visible pages and one either side", () => {
    expect(visiblePages(0, 800, 1000, 12, 40)).toEqual({ start: 0, end: 3 });
    expect(visiblePages(10120, 800, 1000, 12, 40)).toEqual({ start: 9, end: 13 });
    expect(visiblePages(1e9, 800, 1000, 12, 40).end).toBe(40);
    expect(visiblePages(0, 800, 1000, 12, 0)).toEqual({ start: 0, end: 0 });
  });
  it("counts the page in the middle of the view", () => {
    expect(currentPage(0, 800, 1000, 12, 40)).toBe(1);
    expect(currentPage(1012 * 5, 800, 1000, 12, 40)).toBe(6);
    expect(currentPage(1e9, 800, 1000, 12, 40)).toBe(40);
  });
  it("decodes base64", () => {
    expect([...base64ToBytes(btoa("%PDF"))]).toEqual([37, 80, 68, 70]);
  });
});

describe("names, batches, bars", () => {
  it("names files by day", () => {
    expect(datedName("B2", "2026-11-23", "csv")).toBe("B2_2026-11-23.csv");
    expect(datedName("佐川 e飛伝", "2026-11-23", "csv")).toBe("佐川_e飛伝_2026-11-23.csv");
  });
  it("groups parcels by carrier file and counts statuses", () => {
    const s = (status: Shipment["status"], export_id: number | null) => ({ status, export_id }) as Shipment;
    const list = [s("exported", 3), s("exported", 3), s("shipped", 2), s("cancelled", 3), s("planned", null)];
    expect(exportBatches(list)).toEqual([{ id: 3, count: 2 }, { id: 2, count: 1 }]);
    expect(shipmentCounts(list)).toEqual({ all: 5, planned: 1, exported: 2, shipped: 1, cancelled: 1 });
  });
  it("scales bars to the largest", () => {
    expect(bars([{ count: 50 }, { count: 100 }, { count: 0 }]).map((b) => b.width)).toEqual([50, 100, 1]);
    expect(bars([{ count: 0 }])[0].width).toBe(0);
  });
});
