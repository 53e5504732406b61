import { describe, expect, it } from "vitest";
import type { SkippedDelivery } from "../../bindings/SkippedDelivery";
import {
  courseBars, fmtReason, fmtYen, groupSkipped, monthLabel, nextMonth, numberRange, parseMonth, parseRun, progressView,
  reasonGroup, runLabel, shiftMonth,
} from "./month";

describe("months", () => {
  it("defaults to the month after today", () => {
    expect(nextMonth(new Date(2025, 5, 20))).toBe("2025-07");
    expect(nextMonth(new Date(2025, 11, 31))).toBe("2026-01");
  });

  it("steps across years", () => {
    expect(shiftMonth("2025-12", 1)).toBe("2026-01");
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
    expect(shiftMonth("2025-07", -13)).toBe("2024-06");
    expect(shiftMonth("bad", 1)).toBe("bad");
  });

  it("reads a month as staff type it", () => {
    expect(parseMonth("2025-07")).toBe("2025-07");
    expect(parseMonth("2025/7")).toBe("2025-07");
    expect(parseMonth("２０２５年７月")).toBe("2025-07");
    expect(parseMonth("2025年7月分")).toBe("2025-07");
    expect(parseMonth("202507")).toBe("2025-07");
    expect(parseMonth(" 2025.10 ")).toBe("2025-10");
    expect(parseMonth("令和7年8月")).toBe("2025-08");
    expect(parseMonth("R7.8")).toBe("2025-08");
  });

  it("reads a month alone as the next such month", () => {
    expect(parseMonth("7", "2025-06")).toBe("2025-07");
    expect(parseMonth("6月", "2025-06")).toBe("2025-06");
    expect(parseMonth("1", "2025-12")).toBe("2026-01");
    expect(parseMonth("５月", "2025-06")).toBe("2026-05");
  });

  it("refuses what is not a month", () => {
    expect(parseMonth("")).toBeNull();
    expect(parseMonth("2025-13")).toBeNull();
    expect(parseMonth("13")).toBeNull();
    expect(parseMonth("来月")).toBeNull();
    expect(parseMonth("2025-07-01")).toBeNull();
  });

  it("labels a month in Japanese", () => {
    expect(monthLabel("2025-07")).toBe("2025年7月");
    expect(monthLabel("2025-12")).toBe("2025年12月");
    expect(monthLabel("x")).toBe("x");
  });
});

describe("money and runs", () => {
  it("shows yen with the sign and separators", () => {
    expect(fmtYen(0)).toBe("¥0");
    expect(fmtYen(12345678)).toBe("¥12,345,678");
    expect(fmtYen(-500)).toBe("-¥500");
  });

  it("splits an earlier run into time and staff", () => {
    expect(parseRun("2025-06-20 14:32:10（佐藤）")).toEqual({ at: "2025-06-20 14:32", staff: "佐藤" });
    expect(parseRun("2025-06-20 09:05:00")).toEqual({ at: "2025-06-20 09:05", staff: "" });
    expect(parseRun("昨日")).toEqual({ at: "昨日", staff: "" });
    expect(runLabel(parseRun("2025-06-20 14:32:10（佐藤）"))).toBe("2025/06/20 14:32");
  });

  it("shows the range of the order numbers made", () => {
    expect(numberRange([null, null])).toBe("");
    expect(numberRange(["J0000012"])).toBe("J0000012");
    expect(numberRange(["J0000013", null, "J0000012", "J0000020"])).toBe("J0000012〜J0000020");
  });
});

describe("skipped deliveries", () => {
  const skip = (reason: string): SkippedDelivery => ({ subscription: 1, member: "M000001", member_name: "佐藤 花子", course: "青汁", date: null, reason });

  it("groups reasons without their dates", () => {
    expect(reasonGroup("スキップ（商品が余っている）")).toBe("スキップ（商品が余っている）");
    expect(reasonGroup("休止中（再開日未定）")).toBe("休止中（再開日未定）");
    expect(reasonGroup("休止中（2025-08-15 から再開）")).toBe("休止中（再開日あり）");
    expect(reasonGroup("会報誌: 会員の有効期限切れ（2025-05-31）")).toBe("会報誌: 会員の有効期限切れ");
    expect(fmtReason("休止中（2025-08-15 から再開）")).toBe("休止中（2025/08/15 から再開）");
  });

  it("counts each group, deliveries before the bulletin, larger first", () => {
    const groups = groupSkipped([
      skip("会報誌: DM不要の会員"),
      skip("休止中（再開日未定）"),
      skip("スキップ（商品が余っている）"),
      skip("スキップ（商品が余っている）"),
      skip("休止中（2025-08-15 から再開）"),
      skip("休止中（2025-09-01 から再開）"),
      skip("休止中（2025-09-01 から再開）"),
      skip("会報誌: DM不要の会員"),
    ]);
    expect(groups).toEqual([
      { reason: "休止中（再開日あり）", count: 3, bulletin: false },
      { reason: "スキップ（商品が余っている）", count: 2, bulletin: false },
      { reason: "休止中（再開日未定）", count: 1, bulletin: false },
      { reason: "会報誌: DM不要の会員", count: 2, bulletin: true },
    ]);
    expect(groupSkipped([])).toEqual([]);
  });
});

describe("chart and progress", () => {
  it("sizes the course bars against the largest", () => {
    expect(courseBars({ 青汁: 600, 黒酢: 300, 空: 0, コーヒー: 100 })).toEqual([
      { course: "青汁", count: 600, width: 100, share: 60 },
      { course: "黒酢", count: 300, width: 50, share: 30 },
      { course: "コーヒー", count: 100, width: 16.7, share: 10 },
    ]);
    expect(courseBars({})).toEqual([]);
  });

  it("turns the run's progress into a label and a percentage", () => {
    expect(progressView(null)).toEqual({ label: "準備しています…", percent: null });
    expect(progressView({ phase: "planning", done: 0, total: 0 }).percent).toBeNull();
    expect(progressView({ phase: "planning", done: 500, total: 1000 })).toEqual({ label: "定期契約を確認しています", percent: 10 });
    expect(progressView({ phase: "writing", done: 500, total: 1000 })).toEqual({ label: "受注と会報誌を書き込んでいます", percent: 60 });
    expect(progressView({ phase: "writing", done: 1000, total: 1000 }).percent).toBe(100);
    expect(progressView({ phase: "writing", done: 2000, total: 1000 }).percent).toBe(100);
  });
});
