import { describe, expect, it } from "vitest";
import { assignField, columnLetter, errorLines, kindLabel, mappingFileName, mergeIssues, progressView, rejectedFileName } from "./importing";

describe("columnLetter", () => {
  it("names columns the way Excel does", () => {
    expect(columnLetter(0)).toBe("A");
    expect(columnLetter(25)).toBe("Z");
    expect(columnLetter(26)).toBe("AA");
    expect(columnLetter(27)).toBe("AB");
    expect(columnLetter(701)).toBe("ZZ");
    expect(columnLetter(702)).toBe("AAA");
  });
});

describe("assignField", () => {
  it("sets the column and takes the field away from any other column", () => {
    expect(assignField(["code", "name", null], 2, "name")).toEqual(["code", null, "name"]);
    expect(assignField(["code", "name", null], 0, null)).toEqual([null, "name", null]);
    expect(assignField(["code", null], 1, "kana")).toEqual(["code", "kana"]);
  });
  it("keeps other 取り込まない columns as they are", () => {
    expect(assignField([null, null, "phone"], 0, "name")).toEqual(["name", null, "phone"]);
  });
});

describe("mergeIssues", () => {
  it("sorts by row, errors before warnings of the same row", () => {
    const e = (line: number, message: string) => ({ line, field: "", column: "", message });
    const rows = mergeIssues([e(5, "bad date"), e(3, "bad phone")], [e(3, "zero added"), e(4, "unknown postal")]);
    expect(rows.map((r) => `${r.line}${r.level[0]}`)).toEqual(["3e", "3w", "4w", "5e"]);
    expect(errorLines([e(5, "x"), e(5, "y"), e(7, "z")])).toEqual(new Set([5, 7]));
  });
});

describe("progressView", () => {
  it("says the phase and the share done", () => {
    expect(progressView(null)).toEqual({ label: "準備しています…", percent: null });
    expect(progressView({ phase: "check", done: 0, total: 0 })).toEqual({ label: "行を確認しています", percent: null });
    expect(progressView({ phase: "write", done: 50, total: 200 })).toEqual({ label: "書き込んでいます", percent: 25 });
    expect(progressView({ phase: "write", done: 300, total: 200 }).percent).toBe(100);
  });
});

describe("file names", () => {
  it("offers names next to the original", () => {
    expect(rejectedFileName("会員.csv")).toBe("会員_エラー行.csv");
    expect(rejectedFileName("顧客一覧.2025.CSV")).toBe("顧客一覧.2025_エラー行.csv");
    expect(rejectedFileName("noext")).toBe("noext_エラー行.csv");
    expect(mappingFileName("members")).toBe("取込の対応づけ_会員.json");
    expect(kindLabel("receivables")).toBe("未収の請求");
  });
});
